"""Export to other tools' formats: each checked against its schema, OpenAPI round-trips through import."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from core import cli
from core.action import parse_action
from core.export import export
from core.importers import import_curl
from core.importers.openapi import import_openapi
from core.store import load_actions

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "tests" / "schemas"
SAMPLES = load_actions([ROOT / "sample_actions"])

FORM = parse_action({"name": "Create Charge", "description": "Create a charge for the caller's order amount.",
                     "method": "POST", "url": "https://api.stripe.com/v1/charges/{{order_id}}",
                     "auth": {"type": "bearer", "token": "env:STRIPE_TOKEN"}, "body_format": "form",
                     "body": {"amount": "{{amount}}", "currency": "usd"},
                     "variables": [{"name": "amount", "type": "integer", "description": "Amount in cents",
                                    "example": 1500}, {"name": "order_id", "description": "The order"}]})


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def test_openai_tools_as_today() -> None:
    from core.schema import tool_schema

    assert export("openai", SAMPLES).data == [tool_schema(a) for a in SAMPLES]


def test_openapi_document_is_valid_openapi_3_1() -> None:
    doc = export("openapi", SAMPLES + [FORM]).data
    jsonschema.Draft202012Validator(schema("openapi-3.1.json")).validate(doc)
    assert doc["openapi"] == "3.1.0" and "/v1/charges/{order_id}" in doc["paths"]


def _expressible(action) -> bool:
    """No body auth, fixed query or body values, or runtime variables: what OpenAPI cannot say (export warns)."""
    from core.template import RUNTIME_VARIABLES

    fixed = [v for v in action.query.values() if not v.startswith("{{")]
    if isinstance(action.body, dict):
        fixed += [v for v in action.body.values() if not str(v).startswith("{{")]
    return action.auth.type != "body" and not fixed and not set(action.placeholder_names()) & set(RUNTIME_VARIABLES)


@pytest.mark.parametrize("action", [a for a in SAMPLES if _expressible(a)] + [
    FORM.model_copy(update={"body": {"amount": "{{amount}}"}})], ids=lambda a: a.tool_name)
def test_openapi_export_imports_back_to_the_same_action(action) -> None:
    result = export("openapi", [action])
    back = import_openapi("export.json", text=json.dumps(result.data), all_ops=True).action
    same = ("name", "description", "method", "url", "query", "body", "body_format", "auth", "timeout_s")
    assert {k: getattr(back, k) for k in same} == {k: getattr(action, k) for k in same}
    fields = ("type", "items", "description", "example", "required")
    assert {v.name: [getattr(v, k) for k in fields] for v in back.variables} == \
        {v.name: [getattr(v, k) for k in fields] for v in action.variables}


def test_openapi_export_says_what_it_cannot_express() -> None:
    warnings = export("openapi", SAMPLES + [FORM]).warnings
    assert any("fixed value 'usd'" in w for w in warnings) and any("body auth" in w or "auth type body" in w
                                                                   for w in warnings)


def test_postman_collection_is_valid_v2_1() -> None:
    doc = export("postman", SAMPLES + [FORM]).data
    jsonschema.Draft4Validator(schema("postman-collection-v2.1.0.json")).validate(doc)
    charge = doc["item"][-1]["request"]
    assert charge["body"]["mode"] == "urlencoded" and charge["auth"]["bearer"][0]["value"] == "{{STRIPE_TOKEN}}"
    assert {"key": "STRIPE_TOKEN", "value": "", "type": "string"} in doc["variable"]


@pytest.mark.parametrize("fmt,schema_file", [("vapi", "vapi-api-request-tool.json"),
                                             ("retell", "retell-custom-function.json"),
                                             ("elevenlabs", "elevenlabs-webhook-tool.json")])
def test_voice_platform_tools_match_their_documented_shape(fmt: str, schema_file: str) -> None:
    result = export(fmt, [a for a in SAMPLES if not a.url.startswith("http://")] + [FORM])
    validator = jsonschema.Draft202012Validator(schema(schema_file))
    for tool in result.data:
        validator.validate(tool)
    assert any("form body" in w for w in result.warnings)  # what the platform cannot express is said


def test_elevenlabs_path_parameters_use_single_braces() -> None:
    tool = export("elevenlabs", [FORM]).data[0]
    assert tool["api_schema"]["url"] == "https://api.stripe.com/v1/charges/{order_id}"
    assert tool["api_schema"]["path_params_schema"]["order_id"]["type"] == "string"


def test_no_secret_value_is_ever_exported() -> None:
    literal = parse_action({"name": "T", "description": "A test action for secrets.", "url": "https://a.example.com/x",
                            "auth": {"type": "bearer", "token": "sk-live-abcdefgh12345678"}})
    for fmt in ("openapi", "postman", "vapi", "retell", "elevenlabs", "curl"):
        result = export(fmt, [literal])
        text = result.text or json.dumps(result.data)
        assert "sk-live-abcdefgh12345678" not in text, fmt


def test_curl_export_imports_back() -> None:
    text = export("curl", [FORM]).text
    command = text.split("\n", 1)[1]
    back = import_curl(command).action
    assert (back.method, back.url, back.auth.token) == ("POST", FORM.url, "env:STRIPE_TOKEN")
    assert back.body == {"amount": "{{amount}}", "currency": "usd"} and back.body_format == "form"


def test_body_auth_is_reported_not_dropped_silently() -> None:
    verify = next(a for a in SAMPLES if a.auth.type == "body")
    for fmt in ("openapi", "postman", "vapi", "retell", "elevenlabs", "curl"):
        assert any("body auth" in w or "auth type body" in w for w in export(fmt, [verify]).warnings), fmt


def test_cli_export_writes_a_file_and_never_overwrites(tmp_path: Path, capsys) -> None:
    out = tmp_path / "tools.json"
    assert cli.main(["export", "postman", str(ROOT / "sample_actions"), "--out", str(out)]) == 0
    assert json.loads(out.read_text())["info"]["schema"].endswith("v2.1.0/collection.json")
    assert cli.main(["export", "postman", str(ROOT / "sample_actions"), "--out", str(out)]) == 2
    assert "exists" in capsys.readouterr().err
    assert cli.main(["export", "vapi", str(ROOT / "sample_actions")]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["type"] == "apiRequest" and "warning:" in captured.err


UPLOAD = parse_action({"name": "Upload Receipt", "description": "Upload the caller's receipt to their expense claim.",
                       "method": "POST", "url": "https://api.example.com/claims/receipts", "body_format": "multipart",
                       "body": {"claim": "{{claim}}",
                                "meta": {"$text": '{"source": "voice"}', "content_type": "application/json"},
                                "receipt": {"$file": "receipt.png", "content_type": "image/png",
                                            "base64": "iVBORw0KGgo="},
                                "note": {"$file": "note.txt", "text": "Paid in cash"}},
                       "variables": [{"name": "claim", "description": "The claim id", "example": "C-1"}]})
PUT_FILE = parse_action({"name": "Put Report", "description": "Store the weekly report file on the file server.",
                         "method": "PUT", "url": "https://files.example.com/reports/week.csv", "body_format": "file",
                         "body": {"$file": "week.csv", "text": "a,b\n1,2\n"}})
HEAD = parse_action({"name": "Check Report", "description": "Check that the weekly report is on the file server.",
                     "method": "HEAD", "url": "https://files.example.com/reports/week.csv"})
PURGE = HEAD.model_copy(update={"name": "Purge Report", "method": "PURGE"})


def test_file_parts_file_bodies_and_more_methods_export_to_valid_documents() -> None:
    result = export("openapi", [UPLOAD, PUT_FILE, HEAD, PURGE])
    jsonschema.Draft202012Validator(schema("openapi-3.1.json")).validate(result.data)
    receipt = result.data["paths"]["/claims/receipts"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert receipt["schema"]["properties"]["receipt"] == {"type": "string", "format": "binary"}
    assert "head" in result.data["paths"]["/reports/week.csv"]
    assert any("no PURGE operations" in w for w in result.warnings)
    assert any("receipt.png embedded" in w for w in result.warnings)
    postman = export("postman", [UPLOAD, PUT_FILE, HEAD, PURGE])
    jsonschema.Draft4Validator(schema("postman-collection-v2.1.0.json")).validate(postman.data)
    fields = postman.data["item"][0]["request"]["body"]["formdata"]
    assert {"key": "receipt", "type": "file", "src": "receipt.png", "contentType": "image/png"} in fields
    assert [i["request"]["method"] for i in postman.data["item"]] == ["POST", "PUT", "HEAD", "PURGE"]
    for fmt in ("vapi", "retell", "elevenlabs"):
        assert any("file body" in w for w in export(fmt, [PUT_FILE]).warnings), fmt


def test_curl_export_of_files_imports_back_with_the_embedded_file_saved(tmp_path: Path) -> None:
    result = export("curl", [UPLOAD, PUT_FILE])
    assert any("save it next to the command" in w and "receipt.png" in w for w in result.warnings)
    (tmp_path / "receipt.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    upload, put = (command.split("\n", 1)[1] for command in result.text.strip().split("\n\n"))
    back = import_curl(upload, cwd=tmp_path).action
    note = {**UPLOAD.body["note"], "content_type": "text/plain"}  # what was sent, now written out
    assert (back.body, back.body_format) == ({**UPLOAD.body, "note": note}, "multipart")
    back = import_curl(put, cwd=tmp_path).action
    assert (back.method, back.body_format, back.body) == ("PUT", "file", {"$file": "body", "text": "a,b\n1,2\n"})
    assert "Content-Type" not in render_headers(back)


def render_headers(action) -> dict:
    from core.render import render

    return render(action).headers
