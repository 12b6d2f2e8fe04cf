"""core.http.url: the URL the executor sends is the very URL httpx makes of the rendered text, whether it was
composed from its parts (the query string render encoded, set on the parsed base) or parsed whole."""

from __future__ import annotations

import httpx
import pytest

from core.action import parse_action
from core.http.url import compose, wire_url
from core.render import render

BASES = ["https://api.example.com/customers", "http://127.0.0.1:8080/a/b", "https://API.Example.com",
         "https://bücher.example/äöü path/x", "http://[::1]:9000/v1/", "https://user:pa%20ss@host.example/p/./q/../r",
         "HTTPS://host.example:443/x%2Fy"]
QUERIES = [None, "a=1", "q=value+2+with+spaces+%26+symbols&ids=1&ids=2", "empty=&x=%C3%A9", "k=a~b.c_d-e"]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("query", QUERIES)
def test_a_composed_url_is_the_parsed_one(base: str, query: str | None) -> None:
    text = base if query is None else f"{base}?{query}"
    whole = httpx.URL(text)
    for cached in (True, False):
        ours = compose(base, query, cached=cached)
        assert ours == whole
        assert str(ours) == str(whole) and ours.raw_path == whole.raw_path and ours.host == whole.host
        assert ours.params == whole.params and ours.port == whole.port


def test_a_query_render_did_not_encode_is_left_to_httpx() -> None:
    assert compose("https://h.example/p", "a=b c|d", cached=False) == httpx.URL("https://h.example/p?a=b c|d")
    with pytest.raises(httpx.InvalidURL):  # httpx's own limit still applies
        compose("https://h.example/p", "a=" + "x" * 70000, cached=False)


def test_the_executor_sends_the_rendered_url() -> None:
    action = parse_action({"name": "Find", "url": "https://api.example.com/items/{{id}}",
                           "query": {"q": "{{q}}", "tag": "static value"},
                           "variables": [{"name": "id", "description": "id"}, {"name": "q", "description": "q"}]},
                          "test")
    rendered = render(action, {"id": "a/b ..", "q": "x & y=ü"})
    assert wire_url(rendered) == httpx.URL(rendered.url)
    assert str(wire_url(rendered)) == rendered.url
    rendered.url = "https://other.example/"  # edited after render: parsed as it now reads
    assert wire_url(rendered) == httpx.URL("https://other.example/")
