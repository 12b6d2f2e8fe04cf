"""{{placeholder}} rendering: property tests that every body is valid JSON whatever the values hold."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import template
from core.action import Action, parse_action
from core.errors import ActionFileError, InvalidRequestError, TemplateError
from core.render import render

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Text that stresses JSON escaping: quotes, backslashes, newlines, control chars, unicode, braces.
NASTY = st.lists(
    st.one_of(
        st.sampled_from(['"', "\\", "\n", "\r", "\t", "\x00", "\x1f", "\x7f", "{", "}", "{{", "}}", "é", "日", "😀",
                         "\u2028", "$", "'", "</script>", "{{x}}", "{{ other }}", "\\u0000"]),
        st.text(max_size=5),
    ),
    max_size=12,
).map("".join)
# A blank answer counts as no answer (a required variable is then missing), so values hold something.
FILLED = NASTY.filter(str.strip)


def action(body: Any, variables: list[dict[str, Any]], **extra: Any) -> Action:
    return parse_action({"name": "T", "url": "https://api.example.com/t", "method": "POST", "body": body,
                         "variables": variables, **extra}, "test")


def sent_body(act: Action, values: dict[str, Any], runtime: dict[str, Any] | None = None) -> Any:
    """What the API would receive: the exact bytes of the request body, parsed as JSON."""
    content = render(act, values, runtime).content
    assert content is not None
    return json.loads(content.decode("utf-8"))


TEXT_BODY = action(
    '{"name": "{{name}}", "note": "Note: {{note}} (end)", "qty": {{qty}}, "gift": {{gift}}, '
    '"tags": ["{{name}}", {{qty}}], "nested": {"inner": "{{ note }}"}}',
    [{"name": "name"}, {"name": "note"}, {"name": "qty", "type": "integer"}, {"name": "gift", "type": "boolean"}],
)
OBJECT_BODY = action(
    {"name": "{{name}}", "note": "Note: {{note}} (end)", "qty": "{{qty}}", "gift": "{{ gift }}",
     "tags": ["{{name}}", "{{qty}}"], "nested": {"inner": "{{note}}"}},
    [{"name": "name"}, {"name": "note"}, {"name": "qty", "type": "integer"}, {"name": "gift", "type": "boolean"}],
)


@PROPERTY
@given(name=FILLED, note=FILLED, qty=st.integers(min_value=-(10**18), max_value=10**18), gift=st.booleans())
@pytest.mark.parametrize("act", [TEXT_BODY, OBJECT_BODY], ids=["text-template", "object-body"])
def test_any_values_render_to_valid_json_that_round_trips(act: Action, name: str, note: str, qty: int,
                                                          gift: bool) -> None:
    body = sent_body(act, {"name": name, "note": note, "qty": qty, "gift": gift})
    assert body == {"name": name, "note": f"Note: {note} (end)", "qty": qty, "gift": gift,
                    "tags": [name, qty], "nested": {"inner": note}}


@PROPERTY
@given(value=st.text(alphabet=st.characters(blacklist_categories=()), max_size=20).filter(str.strip))
def test_even_lone_surrogates_give_a_valid_json_body(value: str) -> None:
    act = action('{"v": "{{v}}", "w": {{v}}}', [{"name": "v"}])
    assert sent_body(act, {"v": value}) == {"v": value, "w": value}


@PROPERTY
@given(value=NASTY, other=FILLED)
def test_values_are_never_rescanned(value: str, other: str) -> None:
    act = action('{"a": "{{a}} {{b}}", "b": {{b}}}', [{"name": "a"}, {"name": "b"}])
    body = sent_body(act, {"a": "{{b}}" + value, "b": other})
    assert body == {"a": "{{b}}" + value + " " + other, "b": other}


@PROPERTY
@given(value=st.one_of(st.integers(), st.booleans(), st.floats(allow_nan=False, allow_infinity=False), NASTY))
def test_render_text_substitutes_exactly_once(value: Any) -> None:
    assert template.render_text("[{{v}}]", {"v": value}) == f"[{template.to_text(value)}]"


# -- typed whole values ------------------------------------------------------------------

def test_bare_placeholder_in_text_template_takes_the_typed_value() -> None:
    act = action('{"qty": {{qty}}, "gift": {{gift}}, "price": {{price}}, "day": {{day}}}',
                 [{"name": "qty", "type": "integer"}, {"name": "gift", "type": "boolean"},
                  {"name": "price", "type": "float"}, {"name": "day", "type": "date"}])
    content = render(act, {"qty": "42", "gift": "yes", "price": "9.5", "day": "2024-03-15"}).content
    assert json.loads(content) == {"qty": 42, "gift": True, "price": 9.5, "day": "2024-03-15"}
    assert b'"qty": 42' in content and b'"gift": true' in content


def test_quoted_whole_placeholder_in_object_body_takes_the_typed_value() -> None:
    act = action({"qty": "{{qty}}", "gift": "{{gift}}", "label": "qty={{qty}}"},
                 [{"name": "qty", "type": "integer"}, {"name": "gift", "type": "boolean"}])
    assert sent_body(act, {"qty": 42, "gift": "no"}) == {"qty": 42, "gift": False, "label": "qty=42"}


def test_placeholder_inside_a_string_is_escaped_text() -> None:
    act = action('{"msg": "He said \\"{{quote}}\\""}', [{"name": "quote"}])
    assert sent_body(act, {"quote": 'hi "there"\n\\'}) == {"msg": 'He said "hi "there"\n\\"'}


def test_optional_variable_without_value_is_left_out_not_sent_as_null() -> None:
    act = action('{"note": {{note}}, "text": "[{{note}}]"}', [{"name": "note", "required": False}])
    assert sent_body(act, {}) == {"text": "[]"}


def test_a_nested_object_whose_optional_fields_were_all_left_out_is_left_out_too() -> None:
    act = action('{"name": {{name}}, "address": {"city": {{address_city}}, "zip": {{address_zip}}}, "tags": [{{tag}}]}',
                 [{"name": "name"}, {"name": "address_city", "required": False},
                  {"name": "address_zip", "required": False}, {"name": "tag", "required": False}])
    assert sent_body(act, {"name": "Ada"}) == {"name": "Ada"}
    assert sent_body(act, {"name": "Ada", "address_city": "Paris"}) == {"name": "Ada", "address": {"city": "Paris"}}
    only_optional = action('{"note": {{note}}}', [{"name": "note", "required": False}])
    assert sent_body(only_optional, {}) == {}


def test_placeholder_as_an_object_key_becomes_text() -> None:
    act = action('{ {{field}}: 1 }', [{"name": "field"}])
    assert sent_body(act, {"field": "color"}) == {"color": 1}


def test_body_may_be_a_bare_placeholder_list_or_scalar() -> None:
    assert sent_body(action("[{{a}}, {{b}}]", [{"name": "a", "type": "integer"}, {"name": "b"}]),
                     {"a": 1, "b": "x"}) == [1, "x"]


def test_braces_and_placeholders_inside_string_literals_of_the_template_stay_text() -> None:
    act = action('{"tpl": "{not a placeholder} {{a}}", "esc": "\\\\{{a}}"}', [{"name": "a"}])
    assert sent_body(act, {"a": "v"}) == {"tpl": "{not a placeholder} v", "esc": "\\v"}


# -- names -------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["{{name}}", "{{ name }}", "{{  name\t}}", "{{name }}"])
def test_inner_spaces_are_allowed(raw: str) -> None:
    assert template.render_text(f"Hello {raw}!", {"name": "Ada"}) == "Hello Ada!"


def test_find_and_names_in() -> None:
    assert [p.name for p in template.find("{{a}} and {{ b }} and {{a}}")] == ["a", "b", "a"]
    assert template.names_in({"h": "{{a}}"}, ["{{b}}", {"{{c}}": "{{a}}"}], '{"x": {{d}}}') == ["a", "b", "c", "d"]


def test_dotted_placeholder_says_to_add_a_flat_variable() -> None:
    with pytest.raises(TemplateError, match="contact_email") as info:
        template.render_text("{{contact.email}}", {"contact": {"email": "a@b.co"}})
    assert "{{contact.email}}" in str(info.value)


# A file with these is refused when it loads (issue 12); render still refuses them in an action changed
# without validation (model_copy(update=...)), so nothing unrendered is ever sent.
def test_dotted_placeholder_in_a_text_body_is_refused_too() -> None:
    with pytest.raises(ActionFileError, match="test: body: .*contact_email"):
        action('{"email": {{contact.email}}}', [])
    act = action(None, []).model_copy(update={"body": '{"email": {{contact.email}}}'})
    with pytest.raises(TemplateError, match="contact_email"):
        render(act, {})


def test_dotted_placeholder_in_a_header_is_refused_when_rendering() -> None:
    with pytest.raises(ActionFileError, match="headers: .*add a variable named contact_email"):
        action(None, [], headers={"X-Email": "{{contact.email}}"})
    act = action(None, []).model_copy(update={"headers": {"X-Email": "{{contact.email}}"}})
    with pytest.raises(TemplateError, match="add a variable named contact_email"):
        render(act, {})


def test_empty_placeholder_says_to_put_a_name_inside() -> None:
    with pytest.raises(TemplateError, match="empty"):
        template.render_text("{{ }}", {})


def test_invalid_characters_suggest_a_rename() -> None:
    with pytest.raises(TemplateError, match=r"rename it to \{\{order_no\}\}"):
        template.render_text("{{order-no}}", {})


def test_unknown_placeholder_says_to_add_a_variable() -> None:
    act = action({"n": "{{order_numbr}}"}, [{"name": "order_number"}])
    with pytest.raises(TemplateError) as info:
        render(act, {"order_number": "ORD-1"})
    message = str(info.value)
    assert "{{order_numbr}}" in message and "add a variable named order_numbr" in message


def test_body_template_that_is_not_json_says_how_to_fix() -> None:
    with pytest.raises(ActionFileError, match="test: body is not valid JSON .*line 1.*fix the body template"):
        action('{"qty": {{qty}}', [{"name": "qty", "type": "integer"}])
    act = action(None, [{"name": "qty", "type": "integer"}]).model_copy(update={"body": '{"qty": {{qty}}'})
    with pytest.raises(InvalidRequestError, match="body is not valid JSON .*line 1"):
        render(act, {"qty": 1})


def test_blank_text_body_means_no_body() -> None:
    req = render(action("  ", []), {})
    assert req.body is None and req.content is None and "Content-Type" not in req.headers


# -- runtime variables ---------------------------------------------------------------------

def test_runtime_variables_resolve() -> None:
    act = action({"email": "{{cal_email}}", "account": "{{account_id}}", "custom": "{{session_tag}}"}, [])
    body = sent_body(act, {}, {"cal_email": "me@cal.example", "account_id": "acc_1", "session_tag": "t"})
    assert body == {"email": "me@cal.example", "account": "acc_1", "custom": "t"}


def test_runtime_variables_work_in_headers_and_query() -> None:
    act = action(None, [], method="GET", headers={"X-Call": "{{call_id}}"}, query={"from": "{{user_phone_number}}"})
    req = render(act, {}, {"call_id": "c-9", "user_phone_number": "+15551234567"})
    assert req.headers["X-Call"] == "c-9"
    assert req.query == {"from": "+15551234567"}


def test_action_variable_shadows_runtime_variable_of_the_same_name() -> None:
    act = action({"account": "{{account_id}}"}, [{"name": "account_id"}])
    assert sent_body(act, {"account_id": "from-the-caller"}, {"account_id": "from-runtime"}) == {
        "account": "from-the-caller"}


def test_known_runtime_variable_not_set_says_to_set_it() -> None:
    act = action({"email": "{{cal_email}}"}, [])
    with pytest.raises(TemplateError) as info:
        render(act, {}, {"account_id": "acc_1"})
    message = str(info.value)
    assert "{{cal_email}}" in message and "runtime variable" in message
    assert "set it" in message and "--runtime cal_email=" in message


def test_empty_runtime_value_counts_as_not_set() -> None:
    act = action({"email": "{{cal_email}}"}, [])
    with pytest.raises(TemplateError, match="set it"):
        render(act, {}, {"cal_email": ""})
