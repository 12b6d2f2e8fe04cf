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


# --------------------------------------------------------------------------- file and typed text parts
def multipart_parts(content_type: str, body: bytes) -> list[tuple[Any, ...]]:
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    return [(p.get_param("name", header="content-disposition"), p.get_filename(), p.get("content-type"),
             p.get_payload(decode=True)) for p in msg.iter_parts()]


UPLOAD = {"method": "POST", "body_format": "multipart",
          "body": {"title": "{{title}}", "photo": {"$file": "cat.png", "base64": "iVBORw0KGgoAAAAN"},
                   "meta": {"$text": '{"by": "{{title}}"}', "content_type": "application/json"},
                   "notes": {"$text": "{{notes}}", "content_type": "text/markdown"},
                   "pages": [{"$file": "p1.txt", "text": "one", "content_type": "text/plain; charset=utf-8"},
                             {"$file": "p2.bin", "text": "two", "content_type": ""}]},
          "variables": [{"name": "title"}, {"name": "notes", "required": False}]}


def test_multipart_file_parts_send_their_name_type_and_bytes(fault_server, executor) -> None:
    got = sent(fault_server, executor, dict(UPLOAD), {"title": 'A "cat"'})
    assert multipart_parts(got["headers"]["content-type"], got["body"]) == [
        ("title", None, None, b'A "cat"'),
        ("photo", "cat.png", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\r"),  # the type from the name, as curl
        ("meta", None, "application/json", b'{"by": "A "cat""}'),  # a text part is text: filled in as written
        ("pages", "p1.txt", 'text/plain; charset="utf-8"', b"one"), ("pages", "p2.bin", None, b"two")]


def test_a_typed_text_part_whose_optional_variable_is_not_given_is_left_out(fault_server, executor) -> None:
    got = sent(fault_server, executor, dict(UPLOAD), {"title": "T", "notes": "# Hi"})
    names = [p[0] for p in multipart_parts(got["headers"]["content-type"], got["body"])]
    assert names == ["title", "photo", "meta", "notes", "pages", "pages"]
    got = sent(fault_server, executor, dict(UPLOAD), {"title": "T"})
    assert "notes" not in [p[0] for p in multipart_parts(got["headers"]["content-type"], got["body"])]


def test_a_file_body_is_sent_as_its_bytes_with_no_content_type_unless_given(fault_server, executor) -> None:
    data = {"method": "PUT", "body_format": "file", "body": {"$file": "a.bin", "base64": "AAEC/w=="}}
    got = sent(fault_server, executor, dict(data))
    assert got["body"] == b"\x00\x01\x02\xff" and "content-type" not in got["headers"]
    typed = {**data, "body": {**data["body"], "content_type": "application/octet-stream"}}
    assert sent(fault_server, executor, typed)["headers"]["content-type"] == "application/octet-stream"
    header = {**data, "headers": {"Content-Type": "image/x-icon"}}
    assert sent(fault_server, executor, header)["headers"]["content-type"] == "image/x-icon"


@pytest.mark.parametrize("body_format,body,message", [
    ("multipart", {"f": {"$file": "a", "base64": "not base64!"}}, "base64 is not valid base64"),
    ("multipart", {"f": {"$file": "a", "path": "/etc/passwd"}}, "unknown key 'path'"),
    ("multipart", {"f": {"$file": "a", "text": "x", "base64": "eA=="}}, "as text or as base64, not both"),
    ("multipart", {"f": {"$text": "x", "content_type": "a/b\r\nX-Evil: 1"}}, "line break"),
    ("multipart", {"f": {"$text": 5}}, "write it as a JSON string"),
    ("form", {"f": {"$file": "a", "text": "x"}}, "sent only in a multipart body"),
    ("file", {"text": "x"}, "a file body is one file object"),
    ("file", '{"$file": "a"}', "a file body is one file object"),
])
def test_a_part_that_cannot_be_sent_is_refused_at_load(body_format: str, body: Any, message: str) -> None:
    with pytest.raises(ActionFileError, match=message):
        parse_action({"name": "T", "url": "https://api.example.com/x", "method": "POST", "body_format": body_format,
                      "body": body})


def test_body_auth_cannot_go_into_a_file_body() -> None:
    with pytest.raises(ActionFileError, match="a file body has no fields"):
        parse_action({"name": "T", "url": "https://api.example.com/x", "method": "PUT", "body_format": "file",
                      "body": {"$file": "a", "text": "x"}, "auth": {"type": "body", "fields": {"k": "env:K"}}})


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs the curl command")
def test_the_curl_command_of_a_trace_sends_the_same_parts(fault_server, executor, tmp_path) -> None:
    data = {**UPLOAD, "body": {k: v for k, v in UPLOAD["body"].items() if k != "photo"}}  # no file to save
    action = parse_action({"name": "T", "url": fault_server.url(), **data}, "test")
    ours = sent(fault_server, executor, dict(data), {"title": "T"})
    subprocess.run(shlex.split(to_curl(render(action, {"title": "T"}))) + ["-s", "-o", "/dev/null"], check=True,
                   timeout=30, cwd=tmp_path)
    theirs = fault_server.log[-1]
    assert multipart_parts(theirs["headers"]["content-type"], theirs["body"]) == \
        multipart_parts(ours["headers"]["content-type"], ours["body"])
