"""cURL commands for the actions: variables stay ``{{name}}``, secrets become ``$NAME`` shell variables."""

from __future__ import annotations

import shlex

from ..action import Action, BasicAuth
from ..curlargs import body_args
from ..secret import env_name
from .common import Exported, auth_headers


def _quote(text: str) -> str:
    """Double quotes where a ``$NAME`` secret must expand, single quotes otherwise."""
    if "$" in text and "${" not in text:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`") + '"'
    return shlex.quote(text)


def command(action: Action, out: Exported) -> str:
    style = "${}"
    url = action.url
    if action.query:
        query = "&".join(f"{k}=${env_name(v)}" if env_name(v) else f"{k}={v}" for k, v in action.query.items())
        url += ("&" if "?" in url else "?") + query
    parts = ["curl", "-X", action.method, _quote(url)]
    headers = {k: (f"${env_name(v)}" if env_name(v) else v) for k, v in action.headers.items()}
    if isinstance(action.auth, BasicAuth):
        user, password = (f"${env_name(x)}" if env_name(x) else x for x in (action.auth.username, action.auth.password))
        parts += ["-u", _quote(f"{user}:{password}")]
    else:
        headers.update(auth_headers(action, out, style))
    for name, value in headers.items():
        parts += ["-H", _quote(f"{name}: {value}")]
    has_type = any(k.lower() == "content-type" for k in headers)
    if action.body is not None and action.body_format == "json" and not has_type:
        parts += ["-H", "'Content-Type: application/json'"]
    text = action.body_format == "json" and isinstance(action.body, str)  # a JSON template: sent as written
    args, files = body_args(action.body, "text" if text else action.body_format, has_type)
    for flag, value in zip(args[::2], args[1::2]):
        parts += [flag, _quote(value) if flag in ("-H", "--data-urlencode", "--form-string") else shlex.quote(value)]
    for name in files:
        out.warn(action, f"the file {name} is embedded in the action; save it next to the command, which reads "
                         f"it with @{name}")
    return " \\\n  ".join([" ".join(parts[:4])] + [" ".join(parts[i:i + 2]) for i in range(4, len(parts), 2)])


def export(actions: list[Action]) -> Exported:
    out = Exported()
    out.text = "\n\n".join(f"# {a.name}: {a.description}\n{command(a, out)}" for a in actions) + "\n"
    return out
