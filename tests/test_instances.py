"""core.instances.construct builds the same model instances as pydantic's model_construct (it skips the
per-field loop on the hot path); if pydantic changes how instances are laid out, this fails."""

from __future__ import annotations

import httpx
import pytest

from core.instances import construct
from core.render import RenderedRequest
from core.trace import ResponseInfo, Trace

REQUEST = {"method": "POST", "url": "https://api.example.com/x?a=1", "headers": {"Authorization": "Bearer t"},
           "query": {"a": "1"}, "body": {"k": "v"}, "body_format": "json", "secrets_masked": False}
PRIVATE = {"_secrets": ["t"], "_auth_headers": ["Authorization"], "_auth_fields": [], "_content": b'{"k": "v"}', "_wire": None}
RESPONSE = {"status_code": 200, "reason": "OK", "headers": {"content-type": "application/json"}, "body": {"a": 1},
            "is_json": True, "truncated": False, "size_bytes": 8, "elapsed_ms": 1.5, "redirects": [], "cookies": {}}


def test_a_constructed_request_is_the_one_model_construct_makes():
    ours = construct(RenderedRequest, dict(REQUEST), dict(PRIVATE))
    theirs = RenderedRequest.model_construct(**REQUEST)
    theirs.__pydantic_private__.update(PRIVATE)
    assert ours == theirs
    assert ours.model_dump() == theirs.model_dump() == REQUEST
    assert ours.model_fields_set == theirs.model_fields_set
    assert ours.__pydantic_extra__ == theirs.__pydantic_extra__
    assert ours.secrets == ["t"] and ours.content == b'{"k": "v"}'
    assert ours.masked().headers["Authorization"] == "Bearer ****"
    assert RenderedRequest.model_validate_json(ours.model_dump_json()).model_dump() == REQUEST


def test_a_constructed_response_validates_and_serialises_like_a_validated_one():
    ours = construct(ResponseInfo, dict(RESPONSE))
    assert ours == ResponseInfo(**RESPONSE) == ResponseInfo.model_construct(**RESPONSE)
    trace = Trace(action="a", response=ours)
    assert Trace.model_validate_json(trace.model_dump_json()).response == ours


def test_every_field_must_be_given():
    with pytest.raises(AssertionError):
        construct(ResponseInfo, {k: v for k, v in RESPONSE.items() if k != "cookies"})


def test_a_new_trace_is_the_validated_one():
    from core.trace import new_trace

    ours = new_trace("Order Status", "order_status", {"order_number": "ORD-1"})
    theirs = Trace(action="Order Status", tool_name="order_status", arguments={"order_number": "ORD-1"})
    assert ours.model_dump(exclude={"id", "started_at"}) == theirs.model_dump(exclude={"id", "started_at"})
    assert len(ours.id) == 12 and ours.id != new_trace("a", "a", {}).id and ours.started_at.tzinfo is not None
    assert Trace.model_validate_json(ours.model_dump_json()) == ours
    ours.hints.append("x")  # nothing shared between traces
    assert new_trace("a", "a", {}).hints == []


def test_response_headers_read_in_one_pass_are_httpx_s_dict():
    from core.http.response import header_dict

    headers = httpx.Headers([("Content-Type", "application/json"), ("Set-Cookie", "a=1"), ("X-Many", "1"),
                             ("set-cookie", "b=2"), ("x-many", "2, 3"), ("Date", "today")])
    assert header_dict(headers) == dict(headers)
    assert header_dict(httpx.Headers()) == {}
