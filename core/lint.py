"""action -> findings: what would make the action fail, leak, or confuse the agent."""

from __future__ import annotations

import re
from typing import Callable, Literal, Sequence
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel

from . import template
from .action import Action, BasicAuth, BearerAuth, HeaderAuth, distinct_tool_names
from .body import CONTENT_TYPES
from .errors import TemplateError, VariableError
from .http.headers import CREDENTIAL_HEADER_RE
from .methods import extension_note, is_write, method_fix
from .project import static_url_fix
from .schema import coerce
from .secret import env_name

Severity = Literal["error", "warning", "info"]
SNAKE_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
SECRET_NAME_RE = re.compile(r"(api[_-]?key|apikey|token|secret|password|passwd|pwd|access[_-]?key|auth|signature|sig)$",
                            re.I)
SECRET_VALUE_RE = re.compile(r"^(sk|pk|rk|ghp|gho|xox[abp]|AKIA)[-_A-Za-z0-9]{8,}$|^[A-Za-z0-9_\-]{32,}$")
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Finding(BaseModel):
    severity: Severity
    code: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.field}: {self.message}"


def _looks_secret(name: str, value: str) -> bool:
    if env_name(value):  # read from the environment: not written in the file
        return False
    if template.PLACEHOLDER_RE.fullmatch(value.strip()):
        return False
    if UUID_RE.match(value):  # an identifier, not a credential
        return False
    return bool(value) and (bool(SECRET_NAME_RE.search(name)) or bool(SECRET_VALUE_RE.match(value)))


def lint(action: Action, others: Sequence[Action] = (), *, target: str = "synthflow") -> list[Finding]:
    """Findings for one action. ``others`` are the actions beside it (the agent's other tools), whose result
    picks may feed its placeholders; ``target`` is the project's (see core.project): under synthflow a
    path placeholder is an error, under generic each one must be a declared variable."""
    out: list[Finding] = []
    set_by = {name: o for o in others if o is not action and o.name != action.name for name in o.picks}

    def add(severity: Severity, code: str, field: str, message: str) -> None:
        out.append(Finding(severity=severity, code=code, field=field, message=message))

    n = len(action.description.strip())
    if not 10 <= n <= 200:
        add("error", "description-length", "description",
            f"is {n} characters; write 10-200 characters that say when the agent should use this action")

    parts = urlsplit(action.url)
    if parts.scheme == "http" and (parts.hostname or "") not in LOOPBACK:
        add("warning", "insecure-url", "url", f"uses http:// to {parts.hostname}; use https:// for every API endpoint")
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if _looks_secret(name, value):
            add("error", "secret-in-url", "url",
                f"query parameter {name!r} looks like a credential; never hardcode secrets in URLs, use the auth settings with env:NAME")
    for name, value in action.query.items():
        if _looks_secret(name, value):
            add("error", "secret-in-query", f"query.{name}",
                "looks like a credential; move it to auth (bearer, header or body) with env:NAME")

    method_problem = method_fix(action.method) if target == "synthflow" else extension_note(action.method)
    if method_problem:
        add("error" if target == "synthflow" else "warning", "method-target" if target == "synthflow"
            else "method-extension", "method", method_problem)
    names = {v.name for v in action.variables}
    path_names = action.path_placeholders()
    if path_names and target == "synthflow":
        add("error", "path-placeholder", "url", static_url_fix(path_names))
    for name in path_names:
        if name not in names:
            add("error", "path-placeholder-undeclared", "url",
                f"path placeholder {{{{{name}}}}} is not a declared variable; add a variable named {name}")
    _lint_credentials(action, add)
    for name, value in action.headers.items():
        if CREDENTIAL_HEADER_RE.match(name) and value and not template.find(value) and not env_name(value):
            continue  # reported by _lint_credentials
        if _looks_secret(name, value) and not value.startswith("env:"):
            add("warning", "secret-in-header", f"headers.{name}",
                "looks like a credential; move it to auth (bearer, basic or header) with env:NAME")
    if action.body_format != "text":
        try:
            template.body_template(action.body)
        except TemplateError as exc:
            add("error", "body-json", "body", str(exc))
    given = next((v for k, v in action.headers.items() if k.lower() == "content-type"), "")
    if action.body is not None and given and action.body_format in ("form", "multipart") \
            and CONTENT_TYPES[action.body_format] not in given.lower():
        add("warning", "content-type-mismatch", "headers.Content-Type",
            f"is {given!r} but the body is sent as {CONTENT_TYPES[action.body_format]}; remove the header "
            "or change body_format")
    used = action.placeholder_names()  # their names were checked when the action loaded (a bad file otherwise)
    for name in used:
        if name not in names and name not in template.RUNTIME_VARIABLES and name in set_by:
            add("info", "result-variable", "template",
                f"{{{{{name}}}}} comes from the result of {set_by[name].name} (result.pick.{name}): the agent "
                "must call that action first in the conversation")
        elif name not in names and name not in template.RUNTIME_VARIABLES and name not in path_names:
            add("error", "unknown-placeholder", "template",
                f"placeholder {{{{{name}}}}} has no variable; add a variable named {name} or fix the spelling")
    for var in action.variables:
        field = f"variables.{var.name}"
        if var.name not in used:
            add("warning", "unused-variable", field,
                "is never used; reference it as {{" + var.name + "}} in the query, headers or body, or remove it")
        if var.required and var.default is not None:
            add("warning", "required-with-default", field,
                "is required but has a default, which is never used; make it optional or drop the default")
        if not var.description.strip():
            add("warning", "missing-description", field, "has no description; say what it is so the agent knows when to collect it")
        if var.example in (None, ""):
            add("warning", "missing-example", field, "has no example; add one to show the agent the expected format")
        if not SNAKE_RE.match(var.name):
            add("warning", "variable-name", field, f"is not snake_case; rename it to {snake_case(var.name)}")
        if var.default is not None:
            try:
                coerce(var, var.default)
            except VariableError:
                add("error", "default-type", f"{field}.default",
                    f"{var.default!r:.60} is not a valid {var.type}, so a call without this variable fails; "
                    f"give a default of type {var.type} or none")
    out += _voice_findings(action)
    return out


def _lint_credentials(action: Action, add: Callable[[Severity, str, str, str], None]) -> None:
    """Credentials where they are never masked or never filled in: literal credential headers, a password in
    the URL, placeholders in auth values (only body-auth fields are rendered)."""
    for name, value in action.headers.items():
        if CREDENTIAL_HEADER_RE.match(name) and value and not template.find(value) and not env_name(value):
            add("error", "credential-header", f"headers.{name}",
                "is a credential written in the action file, where anyone who reads the file sees it; move it to "
                "auth (bearer, basic or header) with env:NAME")
    parts = urlsplit(action.url)
    if parts.username or parts.password:
        add("error", "url-credentials", "url",
            "holds credentials (user:password@host), sent as basic auth and written in the file; remove them "
            "and use auth type basic with env:NAME")
    auth = action.auth
    values = {"bearer": [("token", getattr(auth, "token", ""))],
              "basic": [("username", getattr(auth, "username", "")), ("password", getattr(auth, "password", ""))],
              "header": [("name", getattr(auth, "name", "")), ("value", getattr(auth, "value", ""))]}
    if isinstance(auth, (BearerAuth, BasicAuth, HeaderAuth)):
        for field, value in values[auth.type]:
            if template.find(value):
                add("error", "auth-placeholder", f"auth.{field}",
                    "holds a {{placeholder}}, but auth values are sent exactly as written; use env:NAME for a "
                    "secret (or put the placeholder in a header)")


def _voice_findings(action: Action) -> list[Finding]:
    """result, retry, speak_during and mode: what would waste the caller's time or never be seen."""
    out: list[Finding] = []
    if action.mode == "async" and action.picks:
        out.append(Finding(severity="warning", code="async-result-picks", field="result.pick",
                           message="an async call's result is never given to the model; remove result.pick or "
                                   "make the action sync (mode: sync)"))
    if action.mode == "async" and action.result and action.result.max_chars:
        out.append(Finding(severity="warning", code="async-result-picks", field="result.max_chars",
                           message="an async call's result is never given to the model; remove result.max_chars"))
    spec = action.retry
    if spec is not None:
        if spec.attempts == 1:
            out.append(Finding(severity="info", code="retry-single", field="retry.attempts",
                               message="1 attempt means no retry; use 2 or more, or remove retry"))
        waits = sum(spec.backoff_s * 2 ** i * 0.5 for i in range(spec.attempts - 1))  # the shortest jittered waits
        if spec.attempts > 1 and waits >= action.timeout_s:
            out.append(Finding(severity="warning", code="retry-budget", field="retry",
                               message=f"the waits between attempts alone take at least {waits:.1f} s of the "
                                       f"{action.timeout_s:g} s timeout_s, so the last attempts never run; lower "
                                       "retry.backoff_s or raise timeout_s"))
        if is_write(action.method) and not action.retry_writes:
            out.append(Finding(severity="info", code="retry-writes", field="retry",
                               message=f"a {action.method} is retried only when the request never reached the "
                                       "server; set retry_writes: true if the endpoint is idempotent"))
    elif action.retry_writes:
        out.append(Finding(severity="warning", code="retry-writes", field="retry_writes",
                           message="has no effect without a retry policy; add retry or remove retry_writes"))
    if action.speak_during and len(action.speak_during) > 120:
        out.append(Finding(severity="warning", code="speak-during-length", field="speak_during",
                           message=f"is {len(action.speak_during)} characters; keep it to one short sentence "
                                   "(callers hear it before the answer)"))
    return out


def lint_all(actions: Sequence[Action], *, targets: Sequence[str] | None = None,
             beside: Sequence[Action] = ()) -> list[list[Finding]]:
    """:func:`lint` for each action (``targets``: each one's project target), plus what only shows across them:
    two actions whose names give one tool name (see :func:`name_clashes`), and placeholders fed by another
    action's result pick. ``beside``: more actions of the same tool set (not linted here) whose picks count,
    e.g. the rest of the folder of a file linted alone."""
    others = [*actions, *beside]
    out = [lint(a, others) if targets is None else lint(a, others, target=t)
           for a, t in zip(actions, targets or actions)]
    for i, finding in name_clashes(actions).items():
        out[i].append(finding)
    return out


def name_clashes(actions: Sequence[Action]) -> dict[int, Finding]:
    """index -> a warning, for each action whose tool name an earlier one already gives (the model would see
    it as ``NAME_2``)."""
    out: dict[int, Finding] = {}
    first: dict[str, Action] = {}
    for i, (action, distinct) in enumerate(zip(actions, distinct_tool_names(actions))):
        if distinct.tool_name != action.tool_name:
            out[i] = Finding(
                severity="warning", code="duplicate-tool-name", field="name",
                message=f"gives the tool name {action.tool_name}, as {first[action.tool_name].name!r} does; the model "
                        f"sees this one as {distinct.tool_name}; rename one of them so their names differ")
        first.setdefault(action.tool_name, action)
    return out


def snake_case(name: str) -> str:
    """``orderNumber`` -> ``order_number``, ``ORDER_ID`` -> ``order_id``, ``customerID`` -> ``customer_id``."""
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)  # acronym then word: HTTPStatus -> HTTP_Status
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)  # word boundary: orderNumber -> order_Number
    s = re.sub(r"[^a-z0-9]+", "_", s.lower()).strip("_")
    return re.sub(r"^[0-9_]+", "", s) or "value"


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
