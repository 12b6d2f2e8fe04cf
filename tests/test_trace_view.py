"""The words of the trace view (ui/traceview/labels.py) and the timeline's rows: pure functions."""

from __future__ import annotations

import datetime as dt

from core.agent import CallRecord, Conversation, Turn
from core.trace import ErrorInfo, ResponseInfo, Trace
from ui.traceview import labels
from ui.traceview.timeline import timeline_rows, timeline_spec

NBSP = "\u00a0"


def failed(kind: str, message: str, elapsed: float = 0.0, status: int | None = None, reason: str = "") -> Trace:
    response = ResponseInfo(status_code=status, reason=reason, elapsed_ms=elapsed) if status else None
    return Trace(action="Lookup Order Status", error=ErrorInfo(kind=kind, message=message), response=response,
                 elapsed_ms=elapsed)


def test_error_labels_say_each_thing_once_with_the_elapsed_time():
    # the two labels the issue quotes
    assert labels.error_label(failed("timeout", "timed out (ReadTimeout): ReadTimeout", 1002.4)) == \
        f"Timeout after 1,002{NBSP}ms"
    assert labels.error_label(failed("http_5xx", "HTTP 503 Service Unavailable", 12, 503, "Service Unavailable")) == \
        f"503 Service Unavailable after 12{NBSP}ms"
    # what is new in a message stays
    assert labels.error_label(failed("timeout", "timed out (ReadTimeout): no complete response within 1 s", 1001)) \
        == f"Timeout after 1,001{NBSP}ms: no complete response within 1 s"
    assert labels.error_label(failed("connection_refused", "connection failed: [Errno 111] Connection refused", 2)) \
        == f"Connection refused after 2{NBSP}ms"
    # nothing was sent: no time to report
    assert labels.error_label(failed("unreplaced_placeholder", "{{x}} has no value; add a variable named x")) == \
        "Placeholder not replaced: {{x}} has no value; add a variable named x"
    # an error kind the view has no title for (a new one) still reads
    trace = failed("timeout", "x")
    trace.error = ErrorInfo.model_construct(kind="cookie_rejected", message="the server refused the cookie")
    assert labels.error_label(trace) == "Cookie rejected: the server refused the cookie"


def test_a_200_that_is_not_json_shows_the_code_and_the_error_apart():
    trace = failed("not_json", "the response is not JSON (content-type: text/html)", 5, 200, "OK")
    assert labels.status_badge(trace) == ":orange-badge[200]"  # not "200 · not_json"
    assert labels.error_label(trace).startswith(f"Not JSON after 5{NBSP}ms")


def test_status_colours_and_texts():
    ok = Trace(action="A", response=ResponseInfo(status_code=200, reason="OK", elapsed_ms=3), elapsed_ms=3)
    assert labels.status_badge(ok) == ":green-badge[200]"
    assert labels.status_badge(failed("http_404", "HTTP 404 Not Found", 3, 404, "Not Found")) == ":orange-badge[404]"
    assert labels.status_badge(failed("timeout", "timed out", 1000)) == ":red-badge[timeout]"


def test_arguments_of_a_call_without_any_read_as_words_not_braces():
    assert labels.arguments_text({}) == "no arguments"
    assert labels.arguments_text(None) == "no arguments"
    assert labels.arguments_text({"order_number": "ORD-1", "qty": 2, "note": "two words"}) == \
        "order_number=ORD-1, qty=2, note='two words'"


def test_short_hint_is_the_first_sentence_without_the_error_title():
    hint = ("401 Unauthorized: the request sent bearer auth (Authorization: Bearer <token>); token from env var "
            "DEMO_CRM_TOKEN, which is set. Check the credential is correct, not expired or revoked.")
    short = labels.short_hint(hint, "401 Unauthorized")
    assert short.startswith("The request sent bearer auth") and "Check the credential" not in short
    assert len(short) <= labels.SHORT_HINT_CHARS
    assert hint not in short


def test_sidebar_row_is_method_path_status_time():
    trace = Trace(action="Lookup Order Status", request={"method": "GET", "url": "http://h/orders/status?x=1",
                                                          "headers": {}, "query": {"x": "1"}},
                  response=ResponseInfo(status_code=200, reason="OK", elapsed_ms=12.3), elapsed_ms=12.3)
    assert labels.row_label(trace, 3) == f"#3 **GET** /orders/status :green-badge[200] 12{NBSP}ms"
    assert labels.path_of("http://h/" + "a" * 60).count("…") == 1


def _conversation(starts_ms: list[list[float]], elapsed: float = 10.0) -> Conversation:
    conv, t0 = Conversation(), dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    for turn_no, starts in enumerate(starts_ms):
        turn = Turn(user=f"turn {turn_no}")
        for start in starts:
            trace = Trace(action="A", started_at=t0 + dt.timedelta(seconds=60 * turn_no, milliseconds=start),
                          response=ResponseInfo(status_code=200, elapsed_ms=elapsed), elapsed_ms=elapsed)
            conv.traces.append(trace)
            turn.calls.append(CallRecord(tool_name="a", action="A", arguments={}, status_code=200, error_kind=None,
                                         trace_id=trace.id))
        conv.turns.append(turn)
    return conv


def test_timeline_reads_from_one_call_and_shows_parallel_calls_overlapping():
    one = timeline_rows(_conversation([[0]]))
    assert [(r["call"], r["start"], r["end"]) for r in one] == [("#1", 0.0, 10.0)]
    spec = timeline_spec(one)
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 10.0]  # no extent computed from data

    rows = timeline_rows(_conversation([[0, 2], [0]]))  # two calls in parallel, then a call a minute later
    assert [(r["call"], r["turn"], r["start"]) for r in rows] == [("#1", 1, 0.0), ("#2", 1, 2.0), ("#3", 2, 0.0)]


def test_a_call_that_failed_before_sending_still_has_a_row():
    conv = _conversation([[0]], elapsed=0.0)
    conv.traces[0].response, conv.traces[0].error = None, ErrorInfo(kind="invalid_arguments", message="x")
    (row,) = timeline_rows(conv)
    assert row["start"] == row["end"] == 0.0 and row["status"] == "invalid_arguments"


def test_an_mcp_call_reads_as_mcp():
    from core.trace import McpExchange

    exchange = McpExchange(server="weather", transport="stdio", target="python w.py",
                           request={"method": "tools/call", "params": {"name": "get_forecast", "arguments": {}}},
                           response={"content": []}, result="Sunny")
    ok = Trace(action="get_forecast", tool_name="get_forecast", mcp=exchange, elapsed_ms=12)
    assert labels.status_badge(ok) == ":green-badge[ok]"
    assert labels.row_label(ok, 2) == f"#2 **MCP** get_forecast :green-badge[ok] 12{NBSP}ms"
    tool_error = ok.model_copy(update={"error": ErrorInfo(kind="mcp_error", message="no such city")})
    assert labels.status_badge(tool_error) == ":orange-badge[mcp_error]"  # it answered, with an error
    assert labels.error_label(tool_error) == f"MCP tool error after 12{NBSP}ms: no such city"
    gone = tool_error.model_copy(update={"mcp": exchange.model_copy(update={"response": None}),
                                         "error": ErrorInfo(kind="mcp_unavailable", message="it exited")})
    assert labels.status_badge(gone) == ":red-badge[mcp_unavailable]"
    assert labels.error_title(gone) == "MCP server unavailable"
