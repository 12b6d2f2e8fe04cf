"""What lint catches from the file alone (issue 13, point 5): credentials that are never masked or never
filled in, defaults of the wrong type; and what is now refused when the file loads."""

from __future__ import annotations

from typing import Any

import pytest

from core.action import parse_action
from core.errors import ActionFileError
from core.lint import lint
from test_lint import GOOD_VAR, action, only


@pytest.mark.parametrize("headers", [{"Authorization": "Bearer sk-live-0123456789abcdef"}, {"X-API-Key": "abc123def"},
                                     {"Api-Key": "k"}, {"X-Auth-Token": "t0k3n"}, {"Cookie": "session=abc"}])
def test_a_literal_credential_header_is_an_error(headers: dict[str, str]) -> None:
    (finding,) = only("credential-header", headers=headers)
    assert finding.severity == "error" and "env:NAME" in finding.message


def test_a_credential_header_from_a_variable_or_an_ordinary_header_is_fine() -> None:
    assert only("credential-header", headers={"Accept": "application/json", "X-Request-Key": "{{order_number}}"}) == []


def test_credentials_in_the_url_are_an_error() -> None:
    (finding,) = only("url-credentials", url="https://admin:hunter2@api.example.com/orders")
    assert finding.severity == "error" and "auth type basic" in finding.message
    assert only("url-credentials", url="https://api.example.com/orders") == []


@pytest.mark.parametrize("auth, field", [
    ({"type": "bearer", "token": "{{token}}"}, "auth.token"),
    ({"type": "basic", "username": "{{user}}", "password": "env:P"}, "auth.username"),
    ({"type": "basic", "username": "me", "password": "pw-{{pin}}"}, "auth.password"),
    ({"type": "header", "name": "X-API-Key", "value": "{{key}}"}, "auth.value"),
])
def test_a_placeholder_in_an_auth_value_is_an_error(auth: dict[str, Any], field: str) -> None:
    (finding,) = only("auth-placeholder", auth=auth)
    assert finding.field == field and "sent exactly as written" in finding.message


def test_placeholders_in_body_auth_fields_are_rendered_so_fine() -> None:
    assert only("auth-placeholder", method="POST", auth={"type": "body", "fields": {"pin": "{{order_number}}"}}) == []


@pytest.mark.parametrize("var", [{"type": "integer", "default": "ten"}, {"type": "boolean", "default": "maybe"},
                                 {"type": "date", "default": "tomorrow"}, {"type": "email", "default": "nobody"}])
def test_a_default_that_does_not_fit_its_type_is_an_error(var: dict[str, Any]) -> None:
    variable = {**GOOD_VAR, "required": False, **var}
    (finding,) = only("default-type", variables=[variable])
    assert finding.severity == "error" and var["type"] in finding.message


def test_a_default_that_fits_is_fine() -> None:
    assert only("default-type", variables=[{**GOOD_VAR, "type": "integer", "required": False, "default": "7"}]) == []


@pytest.mark.parametrize("fields, expected", [
    ({"timeout_s": True}, "true is not a number of seconds"),
    ({"headers": {"X-Städte": "1"}}, "not a valid HTTP header name"),
    ({"headers": {"X-Trailing\n": "1"}}, "not a valid HTTP header name"),  # $ would match before the newline
    ({"headers": {"X-A": "a\x00b"}}, "control character U+0000"),
    ({"headers": {"X-A": "{{order_number}} "}}, "space or tab at its start or end"),
    ({"method": "POST", "auth": {"type": "body", "fields": {"k": "env:K"}}, "body": [1]}, "JSON object body"),
    ({"body": {"n": float("nan")}, "method": "POST"}, "nan is not JSON"),
    ({"url": "http://127.0.0.1:99999/x"}, "port 99999 is out of range"),
    ({"url": "http://" + "a" * 10_000 + ".com/"}, "not a valid DNS name"),
])
def test_what_can_never_be_sent_is_refused_when_the_file_loads(fields: dict[str, Any], expected: str) -> None:
    with pytest.raises(ActionFileError) as info:
        action(**fields)
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_lint_of_a_good_action_is_still_clean() -> None:
    assert lint(action(headers={"Accept": "application/json"})) == []
    parse_action({"name": "x", "url": "https://[::1]:8443/x"}, "ipv6")  # IPv6 literal hosts still load
