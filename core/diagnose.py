"""trace -> troubleshooting hints, after the product docs' troubleshooting section."""

from __future__ import annotations

import difflib
from typing import Any
from urllib.parse import SplitResult, urlsplit

from . import template
from .action import Action, BasicAuth, BearerAuth, BodyAuth, HeaderAuth, OAuth2ClientCredentials
from .http.classify import CONNECT_TIMEOUT
from .secret import ENVIRONMENT, Resolver, default_resolver, env_name, sources_of
from .trace import Trace

PLACEHOLDER_ADVICE = (
    "Use the exact syntax {{variable_name}}, check the variable is defined in the action's variables, "
    "and avoid dotted placeholders such as {{contact.email}}."
)


def _auth_refs(action: Action) -> list[tuple[str, str]]:
    """(field, secret reference) for each credential of the action's auth."""
    auth = action.auth
    if isinstance(auth, BearerAuth):
        return [("token", auth.token)]
    if isinstance(auth, BasicAuth):
        return [("username", auth.username), ("password", auth.password)]
    if isinstance(auth, HeaderAuth):
        return [(auth.name, auth.value)]
    if isinstance(auth, BodyAuth):
        return list(auth.fields.items())
    if isinstance(auth, OAuth2ClientCredentials):
        return [("client_id", auth.client_id), ("client_secret", auth.client_secret)]
    return []


def _auth_sent(action: Action) -> str:
    auth = action.auth
    return {
        "bearer": "bearer auth (Authorization: Bearer <token>)",
        "basic": "basic auth (Authorization: Basic base64(username:password))",
        "header": f"header auth ({getattr(auth, 'name', '')}: <key>)",
        "body": f"body auth (fields {', '.join(getattr(auth, 'fields', {}))} in the JSON body)",
        "oauth2_client_credentials": f"an OAuth2 bearer token from {getattr(auth, 'token_url', '')}",
    }.get(auth.type, "no authentication (auth type none)")


def _sources(action: Action, resolver: Resolver) -> str:
    notes = []
    for field, ref in _auth_refs(action):
        name = env_name(ref)
        if name is None:
            notes.append(f"{field} is a literal in the action file (prefer env:NAME)")
        else:
            notes.append(f"{field} from env var {name}, which is {'set' if resolver(name) else 'NOT set'}")
    return "; ".join(notes)


def _api_message(body: Any) -> str:
    """The error text an API put in its body, if any."""
    if isinstance(body, dict):
        for key in ("message", "detail", "error_description", "error", "title"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                return value["message"]
            if isinstance(value, list) and value:
                first = value[0]
                if isinstance(first, dict) and "msg" in first:
                    loc = ".".join(str(p) for p in first.get("loc", []) if p != "body")
                    return f"{loc}: {first['msg']}" if loc else str(first["msg"])
    return ""


def _placeholder_fixes(action: Action) -> list[str]:
    """For each placeholder that resolves to nothing: the variable it probably meant."""
    known = [v.name for v in action.variables]
    out = []
    for name in action.placeholder_names():
        if name in known or name in template.RUNTIME_VARIABLES or not template.FLAT_NAME_RE.match(name):
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        out.append(f"{{{{{name}}}}} is not a variable: " + (f"did you mean {{{{{close[0]}}}}}? Rename the placeholder, "
                   f"or add a variable named {name}." if close else f"add a variable named {name}."))
    return out


def _port(parts: SplitResult) -> int | str:
    try:
        return parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # out of range (e.g. 99999): shown as written
        return parts.netloc.rpartition(":")[2]


def diagnose(trace: Trace, action: Action, resolver: Resolver | None = None) -> list[str]:
    """Specific, actionable hints for what the trace shows."""
    resolver = resolver or default_resolver()
    hints: list[str] = []
    error = trace.error
    url = trace.request.url if trace.request else action.url
    if error is not None and error.url:  # a redirect target failed, not the action's URL
        url = error.url
    resp = trace.response
    if error is None:  # a success: only the response, and a plain-http URL, can say more
        return _response_hints(hints, None, resp, action, urlsplit(url) if url[:5].lower() == "http:" else None)
    parts = urlsplit(url)
    port = _port(parts)
    path = parts.path or "/"
    method = trace.request.method if trace.request else action.method

    if error is not None:
        api_msg = f" The API said: {_api_message(resp.body)}." if resp and _api_message(resp.body) else ""
        kind = error.kind
        if kind == "timeout" and error.message.startswith(CONNECT_TIMEOUT):
            hints.append(
                f"Nothing answered the connection attempt to {parts.hostname}:{port} within {action.timeout_s:g} s: "
                "the host is unreachable or a firewall silently drops the packets (filtered), which is not a slow "
                "API. Check the host and port, that this machine can reach it (VPN, firewall, security group), "
                "and that the server listens on that port."
            )
        elif kind == "timeout":
            hints.append(
                f"No response within the action's {action.timeout_s:g} s limit (timeout_s): the API is responding "
                "too slowly. Optimise the endpoint or cache frequently accessed data, raise timeout_s if it is "
                "legitimately slow, or move slow work to a webhook (custom actions run synchronously mid-conversation)."
            )
        elif kind == "connection_refused":
            hints.append(
                f"Nothing accepted the connection at {parts.hostname}:{port}. "
                "Check the URL's host and port and that the server is running (samples: start the demo API with "
                "`playground demo-api`)."
            )
        elif kind == "dns":
            hints.append(
                f"The host name {parts.hostname!r}{' (where a redirect pointed)' if error.url else ''} could not be "
                "resolved. Check the spelling of the endpoint URL's host (https:// is added only when the scheme is "
                "missing) and that this machine can reach it."
            )
        elif kind == "tls":
            hints.append(
                f"The TLS handshake with {parts.hostname} failed: the certificate is invalid, expired or self-signed, "
                "or the server does not speak HTTPS on this port. For a plain-HTTP local server use http:// in the URL."
            )
        elif kind == "protocol" and "invalid URL" in error.message:
            hints.append(
                "The server answered with a redirect whose Location is not a valid URL, so it could not be followed. "
                "Point the action at the final URL, or fix the redirect on the server."
            )
        elif kind == "protocol":
            hints.append(
                "The connection was reset or the server sent a broken HTTP response. Check the server's logs and that "
                "the URL's port serves HTTP; retry once to rule out a transient network fault."
            )
        elif kind == "too_many_redirects":
            hints.append(f"{url} redirects in a loop (more than 10 redirects). Point the action at the final URL directly.")
        elif kind == "http_400":
            hints.append(
                f"400 Bad Request: the API rejected the request format.{api_msg} Compare the rendered query and body with "
                "the API's documentation and check each variable's type and example."
            )
        elif kind == "http_401":
            hints.append(
                f"401 Unauthorized: the request sent {_auth_sent(action)}"
                + (f"; {_sources(action, resolver)}" if _auth_refs(action) else "")
                + ". "
                + ("The API requires credentials: set auth to bearer, basic, header or body as the API documents."
                   if action.auth.type == "none" else
                   "Check the credential is correct, not expired or revoked, and that the auth type is the one the API expects.")
                + api_msg
            )
        elif kind == "http_403":
            hints.append(
                f"403 Forbidden: the credentials were accepted but may not {method} {path}.{api_msg} Check the key's "
                "permissions or scopes, and that this account can access the resource."
            )
        elif kind == "http_404":
            sent = ", ".join(f"{k}={v}" for k, v in (trace.request.query.items() if trace.request else []))
            hints.append(
                f"404 Not Found for {method} {path}: the URL is wrong or the resource does not exist.{api_msg} Verify the "
                f"static endpoint URL path{', check the query values populate correctly (sent ' + sent + ')' if sent else ''}"
                ", check body variables, and test with static values first."
            )
        elif kind == "http_405":
            allow = resp.headers.get("allow", "") if resp else ""
            hints.append(
                f"405 Method Not Allowed: {path} does not accept {method}."
                + (f" It allows: {allow}." if allow else "")
                + " Set the method the API documents (GET retrieves, POST creates, PUT replaces, PATCH updates, DELETE removes)."
            )
        elif kind == "http_422":
            hints.append(
                f"422 Unprocessable: the API understood the request but rejected a value.{api_msg} Check the variable's "
                "type, and give it a clear description and example so the agent collects a valid value."
            )
        elif kind == "http_429":
            retry = resp.headers.get("retry-after") if resp else None
            hints.append(
                "429 Too Many Requests: the API is rate limiting"
                + (f" (retry after {retry} s)" if retry else "")
                + ". Slow down, cache frequently accessed data, or ask the provider for a higher limit."
            )
        elif kind == "http_5xx":
            hints.append(
                f"{resp.status_code if resp else '5xx'} server error: the API failed on its side.{api_msg} Retry; if it keeps "
                "failing check the API's logs or status page. Tell the agent's prompt to handle API errors gracefully."
            )
        elif kind == "http_4xx":
            hints.append(f"{resp.status_code if resp else '4xx'}: the API refused the request.{api_msg}")
        elif kind == "not_json" and "empty" in error.message:
            hints.append(
                "The API answered 200 with an empty body while its Content-Type promises JSON, so the agent gets "
                "nothing to read. Make the endpoint return a JSON object (even {\"ok\": true}), or 204 No Content "
                "when there is nothing to say."
            )
        elif kind == "not_json" and "HTML" in error.message:
            hints.append(
                "The server labels the response application/json but sends an HTML page: usually a login, proxy, "
                "firewall or error page in front of the API. Check the URL and the credentials, and call the endpoint "
                "with cURL (Copy as cURL) to see the page."
            )
        elif kind == "not_json":
            ctype = resp.headers.get("content-type", "unknown") if resp else "unknown"
            hints.append(
                f"The response is {ctype}, not JSON, so the agent cannot read its fields. Check the URL points at the API "
                "rather than a web page (a login, error or docs page), and send the header Accept: application/json."
            )
        elif kind == "unreplaced_placeholder":
            hints.extend(_placeholder_fixes(action))
            hints.append(PLACEHOLDER_ADVICE)
        elif kind == "invalid_arguments":
            hints.append(
                "A variable is missing or has the wrong type. Check it is defined in the variables with type, a clear "
                "description and an example, and set required=true for essential ones so the agent collects them first."
            )
        elif kind == "invalid_request":
            hints.append(
                "The request could not be built, so nothing was sent. A header name must be letters, digits and -; "
                "a header value cannot contain a line break or control character, nor start or end with a space "
                "(check the variable's value); and a body template must be valid JSON, e.g. "
                "{\"qty\": {{qty}}, \"note\": \"{{note}}\"}."
            )
        elif kind == "secret_invalid":
            hints.append(
                "The secret's value has whitespace at its start or end, or a control character, usually a copy-paste "
                "slip (a trailing newline or tab). Set the named variable again with the bare value; nothing was sent."
            )
        elif kind == "pool_timeout":
            hints.append(
                "Every connection of the playground's pool stayed busy until the call's timeout_s: too many calls ran "
                "at once (parallel tool calls, several sessions). Nothing was sent to the API, so this is not the API "
                "being slow; run fewer calls at once or retry."
            )
        elif kind == "decompression_bomb":
            hints.append(
                "The response is compressed far beyond what any API answer needs (a decompression bomb, or a body "
                "compressed twice): reading stopped at the body cap to protect memory. Check what the server sends "
                "with Content-Encoding, and return a plain, small JSON body."
            )
        elif kind == "bad_encoding":
            hints.append(
                "The response's Content-Encoding does not match its bytes (corrupt or truncated gzip/deflate, or an "
                "encoding that was not asked for). Check the server's compression middleware, or have it send "
                "uncompressed JSON."
            )
        elif kind == "insecure_redirect":
            hints.append(
                "A redirect would have sent the request (and its credentials or body) in clear text or to another "
                "origin, so it was not followed. Point the action at the final https:// URL."
            )
        elif kind == "oauth_token" and isinstance(action.auth, OAuth2ClientCredentials):
            from .oauth import hint as oauth_hint  # authlib loads only for OAuth2 actions

            hints.append(oauth_hint(trace, action.auth, _sources(action, resolver)))
        elif kind == "secret_missing":
            files = [src for src in sources_of(resolver) if src != ENVIRONMENT]  # only what is really read
            hints.append("Set the named environment variable" + "".join(f" (or add it to {f})" for f in files)
                         + " and retry.")
        elif kind == "blocked":
            hints.append(
                "Link-local and cloud-metadata addresses can leak credentials, so they are refused. Use the API's real "
                "host, or allow them explicitly (--allow-link-local) if you really mean to."
            )
    return _response_hints(hints, error, resp, action, parts)


def _response_hints(hints: list[str], error: Any, resp: Any, action: Action, parts: SplitResult | None) -> list[str]:
    """The hints about the response itself (empty, cut, slow) and a plain-http endpoint (``parts``: the URL, split;
    None for an https URL)."""
    if resp is not None:
        if error is None and resp.status_code == 200 and resp.size_bytes == 0:
            hints.append(
                "The API answered 200 with an empty body, so the agent has nothing to read or tell the caller. "
                "Return a JSON object that says what happened (or 204 No Content when there is nothing to say)."
            )
        if resp.truncated:
            hints.append(
                f"The response body was cut at the size cap ({resp.size_bytes} bytes received or more): the agent sees only "
                "part of it. Return only the fields the agent needs, or add query filters."
            )
        if error is None and resp.elapsed_ms > 0.8 * action.timeout_s * 1000:
            hints.append(
                f"The call took {resp.elapsed_ms:.0f} ms, close to the {action.timeout_s:g} s limit: speed the API up or "
                "use a webhook for slow work."
            )
        if parts is not None and parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            hints.append("The endpoint uses http://: use HTTPS for every API endpoint so credentials are not sent in clear.")
    return hints
