"""Action files: loading, validation messages (file + field + fix, one line), normalisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.action import VAR_TYPES, Action, BasicAuth, BearerAuth, BodyAuth, HeaderAuth, NoAuth, load_action, parse_action
from core.errors import ActionFileError, PlaygroundError

ROOT = Path(__file__).resolve().parent.parent
DOC_EXAMPLE = {
    "name": "Lookup Order Status",
    "description": "Look up the shipping status of an order by its order number.",
    "method": "GET",
    "url": "https://api.example.com/orders/status",
    "auth": {"type": "bearer", "token": "env:ORDERS_API_TOKEN"},
    "headers": {"Accept": "application/json"},
    "query": {"order_number": "{{order_number}}"},
    "body": None,
    "variables": [
        {"name": "order_number", "type": "string", "description": "The order number on the confirmation email",
         "example": "ORD-10042", "required": True, "default": None}
    ],
    "timeout_s": 10,
}


def write(tmp_path: Path, data: object, name: str = "order.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def load_error(tmp_path: Path, data: object) -> str:
    path = write(tmp_path, data)
    with pytest.raises(ActionFileError) as info:
        load_action(path)
    message = str(info.value)
    assert str(path) in message, "the message names the file"
    assert "\n" not in message and "\r" not in message, "the message is one line"
    return message


def with_(**changes: object) -> dict:
    return {**DOC_EXAMPLE, **changes}


# -- valid files --------------------------------------------------------------------------

def test_design_example_loads(tmp_path: Path) -> None:
    action = load_action(write(tmp_path, DOC_EXAMPLE))
    assert action.name == "Lookup Order Status"
    assert action.method == "GET"
    assert isinstance(action.auth, BearerAuth) and action.auth.token == "env:ORDERS_API_TOKEN"
    assert action.query == {"order_number": "{{order_number}}"}
    assert action.variable("order_number").example == "ORD-10042"
    assert action.timeout_s == 10
    assert action.tool_name == "lookup_order_status"


def test_saved_file_loads_back_identical(tmp_path: Path) -> None:
    action = parse_action(DOC_EXAMPLE)
    again = load_action(write(tmp_path, action.to_file_dict()))
    assert again == action


def test_minimal_action_gets_defaults() -> None:
    action = parse_action({"name": "Ping", "url": "https://api.example.com/ping"})
    assert action.method == "GET"
    assert isinstance(action.auth, NoAuth)
    assert action.headers == {} and action.query == {} and action.body is None and action.variables == []
    assert action.timeout_s == 10


@pytest.mark.parametrize("method", ["get", "Post", "put", "patch", "delete"])
def test_method_is_case_insensitive(method: str) -> None:
    assert parse_action(with_(method=method)).method == method.upper()


@pytest.mark.parametrize(
    "url, expected",
    [
        ("api.example.com/orders", "https://api.example.com/orders"),
        ("  api.example.com/orders  ", "https://api.example.com/orders"),
        ("localhost:8000/orders", "https://localhost:8000/orders"),
        ("api.example.com/go?next=http://x.example", "https://api.example.com/go?next=http://x.example"),
        ("http://127.0.0.1:8765/orders", "http://127.0.0.1:8765/orders"),
        ("https://api.example.com/orders", "https://api.example.com/orders"),
    ],
)
def test_https_is_prepended_when_the_scheme_is_missing(url: str, expected: str) -> None:
    assert parse_action(with_(url=url)).url == expected


@pytest.mark.parametrize(
    "auth, cls",
    [
        ({"type": "none"}, NoAuth),
        ({"type": "bearer", "token": "env:T"}, BearerAuth),
        ({"type": "basic", "username": "me@example.com", "password": "env:P"}, BasicAuth),
        ({"type": "header", "name": "X-API-Key", "value": "env:K"}, HeaderAuth),
        ({"type": "body", "fields": {"api_key": "env:K"}}, BodyAuth),
    ],
)
def test_every_auth_type_loads(auth: dict, cls: type) -> None:
    assert isinstance(parse_action(with_(auth=auth)).auth, cls)


def test_header_auth_defaults_to_x_api_key() -> None:
    auth = parse_action(with_(auth={"type": "header", "value": "env:K"})).auth
    assert isinstance(auth, HeaderAuth) and auth.name == "X-API-Key"


def test_every_variable_type_loads() -> None:
    variables = [{"name": f"v_{t}", "type": t}
                 for t in ("string", "integer", "float", "boolean", "date", "email", "phone", "array", "object")]
    action = parse_action(with_(variables=variables))
    assert [v.type for v in action.variables] == list(VAR_TYPES)


def test_variable_defaults() -> None:
    var = parse_action(with_(variables=[{"name": "note"}])).variables[0]
    assert (var.type, var.required, var.default, var.description) == ("string", True, None, "")


def test_timeout_s_accepts_fractions() -> None:
    assert parse_action(with_(timeout_s=0.5)).timeout_s == 0.5


def test_body_may_be_text_or_json_value() -> None:
    assert parse_action(with_(method="POST", body='{"qty": {{qty}}}')).body == '{"qty": {{qty}}}'
    assert parse_action(with_(method="POST", body={"qty": "{{qty}}"})).body == {"qty": "{{qty}}"}


@pytest.mark.parametrize("path", sorted((ROOT / "sample_actions").rglob("*.json")), ids=lambda p: p.name)
def test_sample_actions_load(path: Path) -> None:
    assert isinstance(load_action(path), Action)


# -- errors: the file, the field and the fix, on one line ---------------------------------

def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ActionFileError, match="no such action file; check the path"):
        load_action(tmp_path / "nope.json")


def test_not_json_names_line_and_column(tmp_path: Path) -> None:
    message = load_error(tmp_path, '{\n  "name": "x",\n  "url": oops\n}')
    assert "not valid JSON at line 3" in message
    assert "fix the syntax" in message


def test_json_that_is_not_an_object(tmp_path: Path) -> None:
    message = load_error(tmp_path, "[1, 2]")
    assert "one JSON object" in message and "list" in message


@pytest.mark.parametrize(
    "changes, field, fix",
    [
        ({"method": "GE T"}, "method", "use GET, POST, PUT, PATCH or DELETE"),
        ({"auth": {"type": "oauth2", "token": "x"}}, "auth", "none, bearer, basic, header, body"),
        ({"auth": {"token": "x"}}, "auth", '"type"'),
        ({"auth": {"type": "bearer"}}, "token", "add this field"),
        ({"variables": [{"name": "qty", "type": "money"}]}, "variables.0.type", "'integer'"),
        ({"timeout_s": "fast"}, "timeout_s", "use a number"),
        ({"timeout_s": 0}, "timeout_s", "above 0 and at most 300"),
        ({"timeout_s": 1000}, "timeout_s", "above 0 and at most 300"),
        ({"headers": ["Accept: application/json"]}, "headers", "JSON object"),
        ({"query": {"limit": 10}}, "query.limit", "JSON string"),
        ({"variables": [{"name": "x", "required": "maybe"}]}, "variables.0.required", "true or false"),
        ({"variables": "order_number"}, "variables", "JSON list"),
        ({"name": ""}, "name", "give it a value"),
        ({"urll": "https://x.example"}, "urll", "remove it or check its spelling"),
        ({"url": "ftp://files.example.com/x"}, "url", "use https://"),
        ({"url": "https:///orders"}, "url", "write the full URL"),
        ({"url": "  "}, "url", "write the full URL"),
        ({"url": "https://[::1/x"}, "url", "fix it"),
    ],
)
def test_invalid_field_message_names_field_and_fix(tmp_path: Path, changes: dict, field: str, fix: str) -> None:
    message = load_error(tmp_path, with_(**changes))
    assert field in message
    assert fix in message


def test_unknown_method_names_the_value(tmp_path: Path) -> None:
    assert "unknown method 'GE T'" in load_error(tmp_path, with_(method="GE T"))


def test_unknown_auth_type_names_the_value(tmp_path: Path) -> None:
    assert "unknown auth type 'oauth2'" in load_error(tmp_path, with_(auth={"type": "oauth2"}))


def test_duplicate_variable_names(tmp_path: Path) -> None:
    message = load_error(tmp_path, with_(variables=[{"name": "order_number"}, {"name": "order_number", "type": "integer"}]))
    assert "variables" in message and "'order_number' is defined twice" in message
    assert "keep one definition" in message


def test_dotted_variable_name_suggests_a_flat_one(tmp_path: Path) -> None:
    message = load_error(tmp_path, with_(variables=[{"name": "contact.email"}]))
    assert "variables.0.name" in message and "rename it to 'contact_email'" in message
    assert "has '.' in it" in message


@pytest.mark.parametrize("name, problem, valid", [
    ("2345", "starts with a digit", "var_2345"),
    ("1st_choice", "starts with a digit", "var_1st_choice"),
    ("order number", "has ' ' in it", "order_number"),
    ("prix-€", "has '-', '€' in it", "prix"),
])
def test_a_bad_variable_name_says_what_is_wrong_and_suggests_a_valid_one(tmp_path: Path, name, problem, valid) -> None:
    message = load_error(tmp_path, with_(variables=[{"name": name}]))
    assert problem in message and f"rename it to {valid!r}" in message
    assert f"rename it to {name!r}" not in message  # never the bad input again


@pytest.mark.parametrize("url", ["https://api.example.com/orders/{{order_id}}", "api.example.com/{{ id }}/x"])
def test_a_path_placeholder_loads_the_target_decides_whether_it_may_be_sent(url: str) -> None:
    # the static-URL rule of the synthflow target is checked by lint and `call` (see test_target.py)
    action = parse_action(with_(url=url))
    assert action.path_placeholders() in (["order_id"], ["id"])


@pytest.mark.parametrize("url", ["https://{{tenant}}.example.com/orders", "https://api.example.com/orders?id={{id}}",
                                 "https://api.example.com/orders/{{id", "https://api.example.com/{{order.id}}"])
def test_a_placeholder_outside_the_url_path_is_refused(tmp_path: Path, url: str) -> None:
    message = load_error(tmp_path, with_(url=url))
    assert "url" in message
    assert "path" in message or "flat" in message or "contact" in message or "variable" in message


def test_several_errors_report_the_first_and_count_the_rest(tmp_path: Path) -> None:
    message = load_error(tmp_path, with_(method="GE T", timeout_s=-1))
    assert "(and 1 more)" in message


def test_parse_action_uses_the_given_source_name() -> None:
    with pytest.raises(ActionFileError, match=r"^pasted action: method"):
        parse_action(with_(method="GE T"), "pasted action")


def test_action_file_error_is_a_playground_error() -> None:
    assert issubclass(ActionFileError, PlaygroundError)
