"""A corpus of malformed action files (issue 13, point 5): each must give one clear line and exit 2 from
`playground lint`, `render` and `call`, and never a traceback.

``build(folder)`` writes the files and returns ``[(case name, path)]``. Used by tests/test_malformed.py
(in-process, every case) and benchmarks/malformed.py (real subprocesses, counts tracebacks).
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any, Callable

BASE: dict[str, Any] = {
    "name": "Lookup Order Status",
    "description": "Look up the shipping status of an order by its order number.",
    "method": "GET",
    "url": "http://127.0.0.1:9/orders/status",
    "auth": {"type": "bearer", "token": "env:ORDERS_API_TOKEN"},
    "headers": {"Accept": "application/json"},
    "query": {"order_number": "{{order_number}}"},
    "body": None,
    "variables": [{"name": "order_number", "type": "string", "description": "The order number",
                   "example": "ORD-10042", "required": True, "default": None}],
    "timeout_s": 10,
}


def _with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is _DROP:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def _var(**changes: Any) -> dict[str, Any]:
    var = dict(BASE["variables"][0])
    var.update(changes)
    return _with(variables=[{k: v for k, v in var.items() if v is not _DROP}])


_DROP = object()
NESTED_40: Any = "x"
for _ in range(40):
    NESTED_40 = {"a": NESTED_40}
NESTED_400: Any = 1
for _ in range(400):
    NESTED_400 = [NESTED_400]


def _text(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2)


def _raw_cases() -> dict[str, str | bytes]:
    good = _text(BASE)
    return {
        "empty": "", "whitespace": "  \n\t ", "null": "null", "list": "[]", "number": "42", "string": '"action"',
        "true": "true", "list-of-action": json.dumps([BASE]),
        **{f"truncated-{n}": good[:n] for n in (1, 10, 60, 200, len(good) - 2)},
        "trailing-comma": good.replace('"timeout_s": 10', '"timeout_s": 10,'),
        "single-quotes": good.replace('"', "'"),
        "comment": "// my action\n" + good,
        "unquoted-keys": good.replace('"name":', "name:"),
        "latin1": good.replace("Look up", "Lookup für").encode("latin-1"),
        "utf16": good.encode("utf-16"),
        "utf8-bom": "\ufeff" + good,
        "binary": bytes(range(256)) * 4,
        "nul-bytes": good[:20] + "\x00" + good[20:],
        "duplicate-url": good.replace('"method": "GET",', '"method": "GET", "url": "http://127.0.0.1:9/other",'),
        "duplicate-header": good.replace('"Accept": "application/json"',
                                         '"Accept": "application/json", "Accept": "text/html"'),
        "duplicate-body-key": _text(_with(method="POST")).replace('"body": null', '"body": {"a": 1, "a": 2}'),
        "duplicate-variable-key": good.replace('"type": "string",', '"type": "string", "type": "integer",'),
        "nan-body": _text(_with(method="POST")).replace('"body": null', '"body": {"n": NaN}'),
        "infinity-body": _text(_with(method="POST")).replace('"body": null', '"body": {"n": Infinity}'),
        "minus-infinity-body": _text(_with(method="POST")).replace('"body": null', '"body": [-Infinity]'),
        "nan-timeout": good.replace('"timeout_s": 10', '"timeout_s": NaN'),
        "overflow-float-timeout": good.replace('"timeout_s": 10', '"timeout_s": 1e999'),
        "overflow-float-body": _text(_with(method="POST")).replace('"body": null', '"body": {"n": 1e400}'),
        "huge-int-body": _text(_with(method="POST")).replace('"body": null', '"body": {"n": ' + "9" * 5000 + "}"),
        "huge-int-timeout": good.replace('"timeout_s": 10', '"timeout_s": ' + "1" * 4301),
        "huge-int-default": good.replace('"default": null', '"default": ' + "7" * 6000),
        "deep-100000": _text(_with(method="POST")).replace('"body": null', '"body": ' + "[" * 100_000 + "]" * 100_000),
        "deep-5000-objects": _text(_with(method="POST")).replace('"body": null',
                                                                 '"body": ' + '{"a":' * 5000 + "1" + "}" * 5000),
        "lone-surrogate-body": _text(_with(method="POST")).replace('"body": null', '"body": {"note": "\\ud800"}'),
        "lone-surrogate-name": good.replace('"Lookup Order Status"', '"Lookup \\udfff Status"'),
        "lone-surrogate-header": good.replace('"application/json"', '"application/\\ud83d"'),
        "lone-surrogate-key": _text(_with(method="POST")).replace('"body": null', '"body": {"\\udc00": 1}'),
        "lone-surrogate-description": good.replace('"Look up the', '"Look \\ud800 up the'),
        "too-big": _text(_with(description="x" * 3_000_000)),
    }


def _data_cases() -> dict[str, dict[str, Any]]:
    return {
        # name and description
        "no-name": _with(name=_DROP), "empty-name": _with(name=""), "name-number": _with(name=42),
        "name-list": _with(name=["a"]), "name-null": _with(name=None), "description-number": _with(description=1),
        # method
        "method-unknown": _with(method="GE T"), "method-number": _with(method=1), "method-null": _with(method=None),
        "method-empty": _with(method=""), "method-connect": _with(method="CONNECT"),
        "method-path": _with(method="GET /orders"),
        # url
        "no-url": _with(url=_DROP), "url-empty": _with(url=""), "url-blank": _with(url="   "),
        "url-ftp": _with(url="ftp://127.0.0.1/x"), "url-no-host": _with(url="http://"),
        "url-bad-ipv6": _with(url="http://[::1/x"), "url-space-host": _with(url="http://exa mple.com/x"),
        "url-port-99999": _with(url="http://127.0.0.1:99999/x"), "url-port-65536": _with(url="http://127.0.0.1:65536/"),
        "url-port-0": _with(url="http://127.0.0.1:0/x"), "url-port-negative": _with(url="http://127.0.0.1:-1/x"),
        "url-port-letters": _with(url="http://127.0.0.1:http/x"),
        "url-label-10000": _with(url="http://" + "a" * 10_000 + ".example.com/x"),
        "url-label-64": _with(url="http://" + "b" * 64 + ".example.com/x"),
        "url-host-300": _with(url="http://" + ".".join(["c" * 50] * 6) + "/x"),
        "url-number": _with(url=42), "url-null": _with(url=None), "url-list": _with(url=["http://x"]),
        "url-placeholder-host": _with(url="https://{{host}}/x"), "url-javascript": _with(url="javascript:alert(1)"),
        "url-file": _with(url="file:///etc/passwd"), "url-control-char": _with(url="http://exa\x01mple.com/"),
        # auth
        "auth-unknown": _with(auth={"type": "oauth3"}), "auth-no-type": _with(auth={"token": "x"}),
        "auth-string": _with(auth="bearer"), "auth-list": _with(auth=[]), "auth-type-number": _with(auth={"type": 1}),
        "bearer-no-token": _with(auth={"type": "bearer"}), "bearer-token-number": _with(auth={"type": "bearer", "token": 5}),
        "bearer-token-null": _with(auth={"type": "bearer", "token": None}),
        "bearer-extra": _with(auth={"type": "bearer", "token": "env:T", "scheme": "Token"}),
        "basic-no-password": _with(auth={"type": "basic", "username": "u"}),
        "basic-no-username": _with(auth={"type": "basic", "password": "env:P"}),
        "header-no-value": _with(auth={"type": "header", "name": "X-API-Key"}),
        "header-value-list": _with(auth={"type": "header", "name": "X-API-Key", "value": ["a"]}),
        "body-fields-list": _with(auth={"type": "body", "fields": ["api_key"]}),
        "body-fields-number-value": _with(auth={"type": "body", "fields": {"api_key": 1}}),
        "body-auth-list-body": _with(method="POST", auth={"type": "body", "fields": {"k": "env:K"}}, body=[1, 2]),
        "body-auth-number-body": _with(method="POST", auth={"type": "body", "fields": {"k": "env:K"}}, body=5),
        "body-auth-text-template-list": _with(method="POST", auth={"type": "body", "fields": {"k": "env:K"}},
                                              body='[{{order_number}}]'),
        "body-auth-true-body": _with(method="POST", auth={"type": "body", "fields": {"k": "env:K"}}, body=True),
        # headers
        "headers-list": _with(headers=["Accept"]), "headers-string": _with(headers="Accept: x"),
        "header-value-number": _with(headers={"X-Count": 3}), "header-value-null": _with(headers={"X-A": None}),
        "header-value-object": _with(headers={"X-A": {"b": 1}}),
        "header-name-non-ascii": _with(headers={"X-Städte": "1"}), "header-name-emoji": _with(headers={"X-\U0001f600": "1"}),
        "header-name-space": _with(headers={"X Order": "1"}), "header-name-colon": _with(headers={"X-Order:": "1"}),
        "header-name-empty": _with(headers={"": "1"}), "header-name-newline": _with(headers={"X-A\nX-B": "1"}),
        "header-name-trailing-newline": _with(headers={"X-A\n": "1"}),
        "header-name-nul": _with(headers={"X-A\x00": "1"}), "header-name-slash": _with(headers={"X/A": "1"}),
        "header-value-lf": _with(headers={"X-A": "a\nb"}), "header-value-cr": _with(headers={"X-A": "a\rb"}),
        "header-value-nul": _with(headers={"X-A": "a\x00b"}), "header-value-vt": _with(headers={"X-A": "a\x0bb"}),
        "header-value-esc": _with(headers={"X-A": "\x1b[31m"}), "header-value-del": _with(headers={"X-A": "a\x7f"}),
        "header-value-leading-space": _with(headers={"X-A": " a"}),
        "header-value-trailing-space": _with(headers={"X-A": "a "}),
        "header-value-trailing-tab": _with(headers={"X-A": "a\t"}),
        "header-template-trailing-space": _with(headers={"X-A": "{{order_number}} "}),
        "header-template-nul": _with(headers={"X-A": "id\x00{{order_number}}"}),
        # query
        "query-list": _with(query=["a"]), "query-value-number": _with(query={"n": 1}),
        "query-value-list": _with(query={"n": ["a"]}), "query-value-null": _with(query={"n": None}),
        # body and formats
        "body-template-invalid": _with(method="POST", body='{"qty": {{qty}'),
        "body-template-dotted": _with(method="POST", body={"email": "{{contact.email}}"}),
        "body-template-empty-placeholder": _with(method="POST", body={"x": "{{}}"}),
        "body-format-unknown": _with(method="POST", body_format="xml", body={"a": 1}),
        "body-format-form-list": _with(method="POST", body_format="form", body=[1]),
        "body-format-text-object": _with(method="POST", body_format="text", body={"a": 1}),
        "body-deep-40": _with(method="POST", body=NESTED_40), "body-deep-400": _with(method="POST", body=NESTED_400),
        "query-placeholder-dotted": _with(query={"e": "{{contact.email}}"}),
        "header-placeholder-bad-name": _with(headers={"X-A": "{{order number}}"}),
        # variables
        "variables-object": _with(variables={"order_number": {}}), "variables-string": _with(variables="order_number"),
        "variable-string": _with(variables=["order_number"]), "variable-no-name": _var(name=_DROP),
        "variable-name-dash": _var(name="order-number"), "variable-name-space": _var(name="order number"),
        "variable-name-dot": _var(name="order.number"), "variable-name-digit": _var(name="1st"),
        "variable-name-empty": _var(name=""), "variable-name-number": _var(name=1),
        "variable-type-unknown": _var(type="uuid"), "variable-type-number": _var(type=1),
        "variable-type-list": _var(type=["string"]), "variable-extra": _var(pattern="^ORD"),
        "variable-required-list": _var(required=[]), "variable-items-on-string": _var(items="string"),
        "variable-description-number": _var(description=7),
        "variables-duplicate": _with(variables=[BASE["variables"][0], BASE["variables"][0]]),
        # timeout
        "timeout-true": _with(timeout_s=True), "timeout-false": _with(timeout_s=False), "timeout-zero": _with(timeout_s=0),
        "timeout-negative": _with(timeout_s=-1), "timeout-301": _with(timeout_s=301), "timeout-text": _with(timeout_s="ten"),
        "timeout-null": _with(timeout_s=None), "timeout-list": _with(timeout_s=[10]), "timeout-object": _with(timeout_s={}),
        # unknown fields
        "unknown-field": _with(urll="http://x"), "unknown-field-typo-variables": _with(variable=[]),
        "unknown-field-result": _with(result_path="$.a"),
    }


def _special(folder: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    fifo = folder / "fifo.json"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
        out["fifo"] = fifo
    sub = folder / "a-folder.json"
    sub.mkdir()
    out["folder-named-json"] = sub
    out["missing"] = folder / "does-not-exist.json"
    loop = folder / "loop.json"
    loop.symlink_to(loop)
    out["symlink-loop"] = loop
    dangling = folder / "dangling.json"
    dangling.symlink_to(folder / "nowhere.json")
    out["dangling-symlink"] = dangling
    for dev in ("/dev/null", "/dev/zero"):
        if os.path.exists(dev):
            out[f"device-{Path(dev).name}"] = Path(dev)
    return out


def build(folder: Path) -> list[tuple[str, Path]]:
    """Write every malformed case into ``folder``; returns (case, path) pairs."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[tuple[str, Path]] = []
    writers: list[tuple[str, Callable[[Path], None]]] = []
    for name, content in _raw_cases().items():
        writers.append((name, (lambda c: lambda p: p.write_bytes(c) if isinstance(c, bytes)
                               else p.write_text(c, encoding="utf-8", errors="surrogatepass"))(content)))
    for name, data in _data_cases().items():
        writers.append((name, (lambda d: lambda p: p.write_text(json.dumps(d), encoding="utf-8"))(data)))
    for name, write in writers:
        path = folder / f"{name}.json"
        write(path)
        cases.append((name, path))
    cases += list(_special(folder).items())
    return cases
