"""Form, multipart and text bodies, left-out optional values and path placeholders, on the wire."""

from __future__ import annotations

import email.parser
import email.policy
import shlex
import shutil
import subprocess
from typing import Any
from urllib.parse import parse_qsl

import pytest

from core.action import parse_action
from core.errors import ActionFileError, VariableError
from core.lint import lint
from core.render import render
from core.trace import to_curl


def sent(fault_server, executor, data: dict[str, Any], values: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the server received when the action ran with these values."""
    action = parse_action({"name": "T", "description": "An action used by tests.",
                           "url": fault_server.url(data.pop("path", "/echo")), **data}, "test")
    before = len(fault_server.log)
    executor.execute(action, values or {})
    [got] = fault_server.log[before:]
    return got


def multipart_fields(content_type: str, body: bytes) -> list[tuple[str, str]]:
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    return [(part.get_param("name", header="content-disposition"), part.get_content()) for part in msg.iter_parts()]


FORM = {"method": "POST", "body_format": "form",
        "body": {"amount": "{{amount}}", "currency": "usd", "note": "{{note}}", "tags": ["{{tag}}", "vip"],
                 "address": {"city": "{{city}}"}},
        "variables": [{"name": "amount", "type": "integer"}, {"name": "note", "required": False},
                      {"name": "tag"}, {"name": "city", "required": False}]}


def test_form_body_is_url_encoded_with_repeated_keys_and_bracketed_objects(fault_server, executor) -> None:
    got = sent(fault_server, executor, dict(FORM), {"amount": 1500, "tag": "a&b=c", "city": "São Paulo"})
    assert got["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(got["body"].decode(), keep_blank_values=True) == [
        ("amount", "1500"), ("currency", "usd"), ("tags", "a&b=c"), ("tags", "vip"), ("address[city]", "São Paulo")]


def test_an_optional_form_field_not_given_is_left_out(fault_server, executor) -> None:
    got = sent(fault_server, executor, dict(FORM), {"amount": 5, "tag": "x"})
    assert dict(parse_qsl(got["body"].decode())) == {"amount": "5", "currency": "usd", "tags": "vip"}


def test_multipart_body_sends_one_text_part_per_field(fault_server, executor) -> None:
    data = {"method": "POST", "body_format": "multipart", "body": {"from": "a@example.com", "text": "{{text}}"},
            "variables": [{"name": "text"}]}
    got = sent(fault_server, executor, data, {"text": 'Hi "there"\nbye'})
    ctype = got["headers"]["content-type"]
    assert ctype.startswith("multipart/form-data; boundary=")
    assert multipart_fields(ctype, got["body"]) == [("from", "a@example.com"), ("text", 'Hi "there"\nbye')]


def test_text_body_is_sent_as_written_with_its_content_type(fault_server, executor) -> None:
    data = {"method": "POST", "body_format": "text", "headers": {"Content-Type": "application/xml"},
            "body": "<order><id>{{id}}</id></order>", "variables": [{"name": "id"}]}
    got = sent(fault_server, executor, data, {"id": "A&B"})
    assert got["headers"]["content-type"] == "application/xml"
    assert got["body"] == b"<order><id>A&B</id></order>"


def test_an_optional_header_not_given_is_left_out(fault_server, executor) -> None:
    data = {"headers": {"X-Request-Id": "{{request_id}}", "Accept": "application/json"},
            "variables": [{"name": "request_id", "required": False}]}
    assert "x-request-id" not in sent(fault_server, executor, data)["headers"]
    assert sent(fault_server, executor, data, {"request_id": "r-1"})["headers"]["x-request-id"] == "r-1"


def test_path_placeholder_is_encoded_as_one_path_segment(fault_server, executor) -> None:
    data = {"path": "/items/{{item_id}}/notes", "variables": [{"name": "item_id"}]}
    assert sent(fault_server, executor, data, {"item_id": "a/b c?d"})["path"] == "/items/a%2Fb%20c%3Fd/notes"


def test_a_path_placeholder_needs_a_value_even_when_declared_optional() -> None:
    action = parse_action({"name": "T", "url": "https://api.example.com/items/{{item_id}}",
                           "variables": [{"name": "item_id", "required": False}]})
    with pytest.raises(VariableError, match="item_id.*path parameter"):
        render(action, {})


@pytest.mark.parametrize("body_format,body", [("form", "[1, 2]"), ("multipart", ["a"]), ("text", {"a": 1})])
def test_a_body_that_does_not_fit_its_format_is_refused_at_load(body_format: str, body: Any) -> None:
    with pytest.raises(ActionFileError, match="body"):
        parse_action({"name": "T", "url": "https://api.example.com/x", "body_format": body_format, "body": body})


def test_lint_warns_when_the_content_type_header_contradicts_the_body_format() -> None:
    action = parse_action({"name": "T", "description": "An action used by tests.", "url": "https://api.example.com/x",
                           "method": "POST", "headers": {"Content-Type": "application/json"},
                           "body_format": "form", "body": {"a": "1"}})
    assert "content-type-mismatch" in {f.code for f in lint(action)}


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs the curl command")
@pytest.mark.parametrize("data", [FORM, {"method": "POST", "body_format": "multipart", "body": {"f": "{{tag}}"},
                                         "variables": [{"name": "tag"}]}])
def test_the_curl_command_sends_what_the_executor_sends(fault_server, executor, data: dict[str, Any]) -> None:
    values = {"amount": 7, "tag": "x y", "city": "Oslo"}
    action = parse_action({"name": "T", "url": fault_server.url(), **data}, "test")
    ours = sent(fault_server, executor, dict(data), values)
    subprocess.run(shlex.split(to_curl(render(action, values))) + ["-s", "-o", "/dev/null"], check=True, timeout=30)
    theirs = fault_server.log[-1]
    if data["body_format"] == "form":
        assert parse_qsl(theirs["body"].decode()) == parse_qsl(ours["body"].decode())
    else:
        assert multipart_fields(theirs["headers"]["content-type"], theirs["body"]) == \
            multipart_fields(ours["headers"]["content-type"], ours["body"])


def test_header_and_query_values_written_env_name_are_secrets(fault_server, executor, secrets_env) -> None:
    data = {"headers": {"X-App-Key": "env:API_KEY"}, "query": {"token": "env:API_TOKEN", "q": "x"}}
    got = sent(fault_server, executor, data)
    assert got["headers"]["x-app-key"] == secrets_env["API_KEY"]
    assert got["query"] == {"token": secrets_env["API_TOKEN"], "q": "x"}
    action = parse_action({"name": "T", "url": "https://api.example.com/x", **data})
    shown = render(action, {}, resolver=secrets_env.get).masked().model_dump_json()
    assert secrets_env["API_KEY"] not in shown and secrets_env["API_TOKEN"] not in shown
