"""Following one redirect by hand: every hop is checked, credentials never go where they should not."""

from __future__ import annotations

import httpx

from ..action import Action, BodyAuth, HeaderAuth
from ..errors import RequestBlockedError
from .guard import check_host, url_problem

MAX_REDIRECTS = 10


class InsecureRedirectError(RequestBlockedError):
    """A redirect that would send the request in clear text, or body credentials to another origin."""


def same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def next_request(response: httpx.Response, action: Action, content: bytes | None, cookies: httpx.Cookies,
                 *, allow_link_local: bool = False) -> httpx.Request:
    """The request for the redirect ``response`` points to.

    httpx works out the method and the URL (``response.next_request``); the headers, the body and
    the cookies are decided here: credentials are dropped on a redirect to another origin, body
    credentials are never resent there, an https -> http downgrade is refused, and cookies come
    from this conversation's jar only.
    """
    request = response.request
    nxt = response.next_request
    if nxt is None:  # has_redirect_location was true, so httpx always builds one
        raise httpx.RemoteProtocolError("redirect without a usable Location", request=request)
    if request.url.scheme == "https" and nxt.url.scheme == "http":
        raise InsecureRedirectError(
            f"refused to follow a {response.status_code} redirect from https://{request.url.host} to "
            f"http://{nxt.url.host}: the request would travel in clear text; point the action at an https URL")
    problem = url_problem(nxt.url)
    if problem:
        raise httpx.RemoteProtocolError(f"redirect Location: {problem}", request=request)
    check_host(nxt.url.host, allow_link_local=allow_link_local)
    headers = nxt.headers.copy()
    headers.pop("cookie", None)
    keep_body = content is not None and nxt.method == request.method
    if not same_origin(nxt.url, request.url):
        headers.pop("authorization", None)
        if isinstance(action.auth, HeaderAuth):
            headers.pop(action.auth.name, None)
        if keep_body and isinstance(action.auth, BodyAuth):
            raise InsecureRedirectError(
                f"refused to resend body-auth credentials to another origin ({nxt.url.host}) on a "
                f"{response.status_code} redirect; point the action at the final URL")
    if not keep_body:
        for name in ("content-length", "content-type", "transfer-encoding"):
            headers.pop(name, None)
    out = httpx.Request(nxt.method, nxt.url, headers=headers, content=content if keep_body else None,
                        extensions=dict(nxt.extensions))
    cookies.set_cookie_header(out)
    return out
