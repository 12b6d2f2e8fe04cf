"""A cURL command -> an action that sends what curl would send.

Read like curl: the shell's quoting first (:mod:`.shell`), then curl's options
(:mod:`.curl_options`), then curl's rules for the method, the data (``-d`` joined with ``&``,
``--json``, ``--data-urlencode``, ``@file``), ``-F`` forms, ``-G``, ``-T``, cookies and auth.
Literal credentials move to ``env:NAME`` (:mod:`.credentials`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlsplit, urlunsplit

from ..action import parse_action
from ..body import FILE
from ..errors import ActionFileError, ImportSourceError
from ..errors import TemplateError
from ..template import RUNTIME_VARIABLES, check_name, names_in
from .credentials import Credentials
from .curl_body import DATA_OPTIONS, Inputs, Stdin, binary_data, body_of, data_of, embedded, is_json, urlencoded
from .curl_form import FORM_OPTIONS, form_of
from .curl_options import CurlArgs, CurlError, parse_argv
from .naming import api_label, describe_request, name_request, variable_name
from .result import ImportResult
from .shell import ENV_RE, Command, ShellError, split_commands

#: Options that change nothing an action sends (output, progress, retries, transport details).
SILENT = frozenset("""
verbose silent show-error include output remote-name remote-name-all remote-header-name write-out dump-header
trace trace-ascii trace-time progress-bar no-progress-meter fail fail-with-body fail-early retry retry-delay
retry-max-time retry-all-errors retry-connrefused connect-timeout max-redirs location location-trusted follow
no-location no-location-trusted compressed no-compressed cookie-jar create-dirs output-dir no-buffer globoff
no-keepalive keepalive-time tcp-nodelay tcp-fastopen http1.1 http2 http2-prior-knowledge http3 http3-only
styled-output stderr no-clobber remove-on-error xattr remote-time basic no-basic parallel parallel-max
parallel-immediate speed-limit speed-time limit-rate path-as-is junk-session-cookies no-sessionid no-alpn no-npn
ipv4 ipv6 libcurl manual out-null skip-existing suppress-connect-headers etag-save etag-compare max-filesize
""".split())
NOTED = {
    "insecure": "-k/--insecure was ignored: the playground always verifies TLS certificates",
    "proxy": "the proxy (-x) was ignored: actions connect directly", "proxy-user": "the proxy (-U) was ignored",
    "socks4": "the SOCKS proxy was ignored", "socks4a": "the SOCKS proxy was ignored",
    "socks5": "the SOCKS proxy was ignored", "socks5-hostname": "the SOCKS proxy was ignored",
    "preproxy": "the proxy was ignored", "noproxy": "--noproxy was ignored",
    "cert": "the client certificate (--cert) was ignored: actions do not send client certificates",
    "key": "the client key (--key) was ignored", "cacert": "--cacert was ignored", "capath": "--capath was ignored",
    "http1.0": "--http1.0 was ignored: actions use HTTP/1.1", "resolve": "--resolve was ignored",
    "connect-to": "--connect-to was ignored", "interface": "--interface was ignored",
    "time-cond": "-z/--time-cond was ignored (no If-Modified-Since header is sent)",
}
REFUSED = {
    "digest": "HTTP Digest auth (--digest) is not supported: an action sends bearer, basic, header or body auth; "
              "use -u with basic auth if the API accepts it",
    "ntlm": "NTLM auth (--ntlm) is not supported; use basic or bearer auth",
    "ntlm-wb": "NTLM auth (--ntlm-wb) is not supported; use basic or bearer auth",
    "negotiate": "Negotiate/Kerberos auth (--negotiate) is not supported; use basic or bearer auth",
    "anyauth": "--anyauth lets curl pick the auth at run time; say which with -u (basic) or a bearer header",
    "aws-sigv4": "AWS Signature V4 (--aws-sigv4) is not supported: it signs each request",
    "config": "-K/--config reads more options from a file; paste the options themselves",
    "variable": "--variable is not supported; paste the values themselves",
    "request-target": "--request-target is not supported",
}
PREFIX_WORDS = {"sudo", "time", "command", "exec", "nohup", "env"}


def _curl_command(text: str, notes: list[str]) -> Command:
    try:
        commands = split_commands(text)
    except ShellError:
        if "curl" not in text.split() and not text.lstrip().startswith("curl"):
            raise _not_curl(text) from None
        raise
    found = []
    for cmd in commands:
        words = list(cmd.words)
        while words and (words[0] in PREFIX_WORDS or ("=" in words[0] and not words[0].startswith("-"))):
            words.pop(0)
        if words and os.path.basename(words[0]) in ("curl", "curl.exe"):
            cmd.words = words
            found.append(cmd)
    if not found:
        raise _not_curl(text)
    if len(found) > 1:
        notes.append(f"the input holds {len(found)} curl commands; imported the first one")
    return found[0]


def _not_curl(text: str) -> ImportSourceError:
    first = (text.split() or [""])[0]
    hint = {"http": " (that looks like HTTPie)", "https": " (that looks like HTTPie)", "wget": " (that is wget)",
            "fetch(": " (that is JavaScript)"}.get(first.lower(), "")
    what = f"it starts with {first[:30]!r}{hint}" if first else "it is empty"
    return ImportSourceError(f"not a cURL command: {what}; paste a command that starts with curl")


def _glob(url: str, off: bool, notes: list[str]) -> str:
    """curl's URL globbing: ``{a,b}`` and ``[1-3]`` make several requests; the first is imported.

    ``{{name}}`` is a playground placeholder, not a glob; ``-g`` turns globbing off."""
    if off or not any(c in url for c in "{["):
        return url
    out, i, many = [], 0, False
    while i < len(url):
        if url.startswith("{{", i):
            end = url.find("}}", i)
            end = len(url) if end < 0 else end + 2
            out.append(url[i:end])
            i = end
        elif url[i] == "\\" and i + 1 < len(url) and url[i + 1] in "{}[]":
            out.append(url[i + 1])
            i += 2
        elif url[i] == "{" and "}" in url[i:]:
            end = url.index("}", i)
            options = url[i + 1:end].split(",")
            many |= len(options) > 1
            if len(options) == 1:
                notes.append(f"{{{options[0]}}} in the URL is curl glob syntax, so curl sends {options[0]!r}; "
                             f"to make it a variable write {{{{{options[0]}}}}} (path placeholders need the "
                             "generic target)")
            out.append(options[0])
            i = end + 1
        elif url[i] == "[" and "]" in url[i:] and "://" in url[:i]:
            end = url.index("]", i)
            spec = url[i + 1:end]
            first = spec.split("-")[0] if "-" in spec and not spec.startswith(":") else None
            if first is None or i < url.index("://") + 3 + len(urlsplit(url).netloc):  # an IPv6 host, not a glob
                out.append(url[i:end + 1])
            else:
                many = True
                out.append(first)
            i = end + 1
        else:
            out.append(url[i])
            i += 1
    if many:
        notes.append("the URL is a curl glob that makes several requests; imported the first one")
    return "".join(out)


def _url(args: CurlArgs, notes: list[str]) -> str:
    if not args.urls:
        raise CurlError("the command has no URL; paste a command like: curl https://api.example.com/items")
    if len(args.urls) > 1:
        notes.append(f"the command names {len(args.urls)} URLs; imported the first one ({args.urls[0]})")
    if args.more_parts:
        notes.append("the command sends more requests after --next; imported the first one")
    url = args.urls[0].strip()
    if "://" not in url:
        url = "http://" + url  # curl's default scheme
        notes.append("the URL has no scheme, so curl uses http:// (as the action does); write https:// if "
                     "the API supports it")
    return url


def import_curl(text: str, *, name: str | None = None, cwd: str | Path | None = None,
                stdin: Stdin = None) -> ImportResult:
    """An action from a cURL command. ``cwd`` is where ``@file`` references are read (None: refuse them);
    ``stdin`` is what ``@-`` reads when the command itself gives no input (a text, or a function that reads
    it; None: refuse)."""
    notes: list[str] = []
    command = _curl_command(text, notes)
    args = parse_argv(command.words[1:])
    for option, _ in args.options:
        if option in REFUSED:
            raise CurlError(REFUSED[option])
    inputs = Inputs(Path(cwd) if cwd is not None else None, command, stdin)
    url = _glob(_url(args, notes), args.has("globoff"), notes)
    if ENV_RE.search(urlsplit(url).netloc):
        raise CurlError("the URL's host comes from a shell variable; write the host itself")
    binary = binary_data(args, inputs)  # --data-binary @image.png: sent as the file's bytes
    data, json_option = (None, False) if binary is not None else data_of(args, inputs)
    form = form_of(args, inputs, notes) if args.has(*FORM_OPTIONS) else None
    if form is not None and (data is not None or binary is not None):
        raise CurlError("the command mixes -d and -F; curl refuses that too (one kind of body per request)")
    for query in args.values("url-query"):
        sep = "&" if urlsplit(url).query else "?"
        url = url.split("#")[0] + sep + urlencoded(query, inputs)
    if data is not None and args.has("get"):
        url = url.split("#")[0] + ("&" if urlsplit(url).query else "?") + data
        data = None
    upload = args.last("upload-file")

    method = args.last("request") or (  # sent as written: a custom method (-X wHat) keeps its case
        "HEAD" if args.has("head") else "GET" if args.has("get") else "PUT" if upload
        else "POST" if data is not None or form is not None or binary is not None else "GET")
    for option in (o for o, _ in args.options):
        if option in NOTED and NOTED[option] not in notes:
            notes.append(NOTED[option])
        elif option not in SILENT | NOTED.keys() and option not in DATA_OPTIONS + FORM_OPTIONS and option not in (
                "url", "request", "header", "user", "user-agent", "referer", "cookie", "range", "get", "head",
                "upload-file", "url-query", "max-time", "oauth2-bearer") and not option.startswith("no-"):
            notes.append(f"--{option} was ignored")

    parts = urlsplit(url)
    creds = Credentials(api_label(parts.hostname or ""))
    if parts.username is not None or parts.password is not None:
        creds.basic(parts.username or "", parts.password or "")
    host = parts.hostname or ""
    netloc = host if ":" not in host else f"[{host}]"
    netloc += f":{parts.port}" if parts.port else ""
    user = args.last("user")
    if user is not None:
        username, sep, password = user.partition(":")
        if not sep:
            raise CurlError(f"-u {user!r} has no password, so curl would ask for one; write -u {user}:PASSWORD")
        creds.basic(username, password)
    if args.last("oauth2-bearer") and creds.free:
        creds.bearer(args.last("oauth2-bearer") or "")

    headers: dict[str, str] = {}
    removed: set[str] = set()  # "Name:" removes a header curl would send, e.g. its form Content-Type
    for raw in args.values("header"):
        if raw.startswith("@"):
            raise CurlError("-H @file reads headers from a file; paste the headers themselves")
        hname, colon, value = raw.partition(":")
        if not colon:
            hname, semi, _ = raw.partition(";")
            if semi and hname.strip():
                headers[hname.strip()] = ""  # "Name;" sends the header with no value
            continue
        hname, value = hname.strip(), value.strip()
        for key in [k for k in headers if k.lower() == hname.lower()]:
            del headers[key]
        if value:  # "Name:" with nothing after it removes the header
            headers[hname] = value
        else:
            removed.add(hname.lower())
    for option, header in (("user-agent", "User-Agent"), ("referer", "Referer")):
        value = args.last(option)
        if value is not None and not any(k.lower() == header.lower() for k in headers):
            headers[header] = value.split(";auto")[0] if option == "referer" else value
    cookies = [c for c in args.values("cookie") if "=" in c]
    if cookies and not any(k.lower() == "cookie" for k in headers):
        headers["Cookie"] = "; ".join(cookies)
    for c in args.values("cookie"):
        if "=" not in c:
            notes.append(f"cookies read from the file {c!r} were not imported; add a Cookie header if the API needs them")
    if args.last("range"):
        span = args.last("range") or ""
        headers["Range"] = f"bytes={span if '-' in span else span + '-'}"  # curl appends the dash too
    for key in [k for k in headers if k.lower() == "content-length"]:
        del headers[key]
        notes.append("the Content-Length header was dropped: it is computed when the request is sent")
    ctype_key = next((k for k in headers if k.lower() == "content-type"), None)
    ctype = headers.get(ctype_key) if ctype_key else None

    body: Any = None
    body_format = "json"
    if form is not None:
        body, body_format = form, "multipart"
        if ctype_key and "boundary=" in (ctype or ""):
            headers[ctype_key] = ctype.split(";")[0]  # type: ignore[union-attr]  # the boundary is chosen when sending
    elif binary is not None:
        body, body_format = binary, "file"
        if ctype is None and "content-type" not in removed:
            headers["Content-Type"] = "application/x-www-form-urlencoded"  # what curl sends with any -d
    elif data is not None and "content-type" in removed and ctype is None and not json_option:
        body, body_format = {FILE: "body", **embedded(data.encode("utf-8"))}, "file"  # sent with no Content-Type
    elif data is not None:
        body, body_format = body_of(data, ctype, json_option)
        if json_option:
            headers.setdefault(ctype_key or "Content-Type", ctype or "application/json")
            if not any(k.lower() == "accept" for k in headers):
                headers["Accept"] = "application/json"
        elif ctype is None and body_format == "text":
            headers["Content-Type"] = "application/x-www-form-urlencoded"  # what curl sends with -d
            if is_json(data):
                notes.append("the body is JSON but the command sets no Content-Type, so curl sends it as a form "
                             "(application/x-www-form-urlencoded) and so does this action, as text; add "
                             "-H 'Content-Type: application/json' to import it as a JSON body")
    elif upload is not None:
        if parts.path.endswith("/") or not parts.path:
            url_path = (parts.path or "/") + quote_plus(os.path.basename(upload))
            parts = parts._replace(path=url_path)
        filename = os.path.basename(upload.replace("\\", "/")) or upload
        body = {FILE: filename, **embedded(inputs.read_bytes(upload, "-T/--upload-file"))}
        body_format = "file"  # sent as the file's bytes, with no Content-Type unless -H gives one (as curl does)
    kept: dict[str, str] = {}
    for hname in sorted(headers, key=lambda h: h.lower() != "authorization"):  # Authorization claims the auth first
        new = creds.header(hname, headers[hname])
        if new is not None:
            kept[hname] = new
    kept = {h: kept[h] for h in headers if h in kept}
    if isinstance(body, dict) and body_format in ("json", "form", "multipart"):
        body = creds.body_fields(body)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    unique = len({k for k, _ in pairs}) == len(pairs)
    query = {k: creds.query(k, v) for k, v in pairs} if unique else {}
    base_url = urlunsplit((parts.scheme, netloc, parts.path, "" if unique else parts.query, ""))
    timeout = args.last("max-time")

    data_dict: dict[str, Any] = {
        "name": name or name_request(method, base_url), "description": describe_request(method, base_url),
        "method": method, "url": base_url, "auth": creds.auth, "headers": kept, "query": query,
        "body": body, "body_format": body_format if body is not None else "json",
    }
    if timeout:
        try:
            data_dict["timeout_s"] = min(max(float(timeout), 0.1), 300.0)
        except ValueError:
            raise CurlError(f"-m {timeout!r} is not a number of seconds") from None
    _declare_placeholders(data_dict, notes)
    try:
        action = parse_action(data_dict, "cURL command")
    except ActionFileError as exc:
        raise CurlError(str(exc)) from None
    notes += creds.notes
    return ImportResult([action], notes=notes, secrets=dict(creds.secrets))


def _declare_placeholders(data: dict[str, Any], notes: list[str]) -> None:
    """``$VAR`` left inside text, and ``{{name}}`` already in the command, become declared variables."""
    shell_vars: list[str] = []

    def swap(value: Any) -> Any:
        if isinstance(value, str):
            def sub(m: Any) -> str:
                shell_vars.append(m.group(1))
                return "{{" + variable_name(m.group(1)) + "}}"
            return ENV_RE.sub(sub, value)
        if isinstance(value, dict):
            return {swap(k): swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    for key in ("url", "headers", "query", "body"):
        data[key] = swap(data[key])
    variables = []
    try:
        names = [check_name(n) for n in names_in(data["url"], data["headers"], data["query"], data["body"])]
    except TemplateError as exc:
        raise CurlError(f"the command holds text that reads as a placeholder: {exc}. Actions have no way to "
                        "send {{...}} literally; change that text before importing") from None
    from_shell = {variable_name(v) for v in shell_vars}
    for n in (n for n in names if n not in RUNTIME_VARIABLES or n in from_shell):  # the session sets runtime ones
        origin = next((v for v in shell_vars if variable_name(v) == n), None)
        variables.append({"name": n, "type": "string", "required": True,
                          "description": f"The value of ${origin} in the command" if origin else n.replace("_", " "),
                          "example": None})
    for var in dict.fromkeys(shell_vars):
        notes.append(f"${var} is used inside a longer value, so it became the variable {variable_name(var)}")
    data["variables"] = variables
