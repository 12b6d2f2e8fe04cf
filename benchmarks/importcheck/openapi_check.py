"""Is an imported OpenAPI operation faithful? An oracle written apart from the importer.

It reads the document itself (its own ``$ref`` walker, files included), works out what the
operation needs - method, server URL and path, every parameter (path, query, header, cookie), the
request body's properties (nested objects down to 3 levels, each with its JSON type), and the auth
- then renders the imported action with a distinct value for every variable and a secret for every
``env:NAME``, and checks that each thing is in the rendered request where the document says.

An operation is faithful when every check passes; the first failure is its reason.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import yaml

from core.render import render
from core.session import default_runtime
from core.template import to_text

DEPTH = 3
SKIP_HEADERS = {"accept", "content-type", "authorization"}


class Spec:
    """The document and the files it refers to; ``resolve`` follows $ref (pointer and relative file)."""

    def __init__(self, path: Path) -> None:
        self.path = path.resolve()
        self.files: dict[Path, Any] = {}
        self.root = self.load(self.path)

    def load(self, path: Path) -> Any:
        if path not in self.files:
            text = path.read_text(encoding="utf-8")
            self.files[path] = json.loads(text) if text.lstrip()[:1] in "{[" else yaml.load(
                text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return self.files[path]

    def resolve(self, node: Any, base: Path) -> tuple[Any, Path]:
        for _ in range(40):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node, base
            ref = node["$ref"]
            file_part, _, pointer = ref.partition("#")
            target_file = (base.parent / unquote(file_part)).resolve() if file_part else base
            target = self.load(target_file)
            for token in [t for t in pointer.split("/") if t]:
                token = unquote(token).replace("~1", "/").replace("~0", "~")
                target = target[int(token)] if isinstance(target, list) else target[token]
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node, base = ({**target, **siblings} if siblings and isinstance(target, dict) else target), target_file
        raise ValueError("$ref loop")


@dataclass
class Expect:
    method: str
    url: str  # server + path template (relative when the document names no host)
    params: list[tuple[str, str]]  # (in, name)
    body_media: str | None
    body_paths: list[tuple[tuple[str, ...], str]]  # (property path, JSON type)
    body_unsendable: str | None
    security: list[dict[str, dict[str, Any]]]  # alternatives: scheme name -> scheme


def _schema_props(spec: Spec, node: Any, base: Path, prefix: tuple[str, ...], depth: int,
                  out: list[tuple[tuple[str, ...], str]], seen: frozenset[int] = frozenset()) -> str:
    """Collects (path, type) of every property under ``node``; returns the node's own type."""
    node, base = spec.resolve(node, base)
    if not isinstance(node, dict) or id(node) in seen:
        return "any"
    seen = seen | {id(node)}
    props: dict[str, tuple[Any, Path]] = {}
    types: list[str] = []
    mixed: list[bool] = []

    def absorb(schema: Any, b: Path) -> None:
        schema, b = spec.resolve(schema, b)
        if not isinstance(schema, dict):
            return
        t = schema.get("type")
        t = next((x for x in t if x != "null"), None) if isinstance(t, list) else t
        if t:
            types.append(t)
        for k, v in (schema.get("properties") or {}).items():
            props.setdefault(k, (v, b))
        for part in schema.get("allOf") or []:
            absorb(part, b)
        branches = (schema.get("oneOf") or []) + (schema.get("anyOf") or [])
        kinds = set()
        for part in branches:
            part_r, _ = spec.resolve(part, b)
            if isinstance(part_r, dict):
                pt = part_r.get("type") or ("object" if part_r.get("properties") or part_r.get("allOf") else None)
                kinds.add(next((x for x in pt if x != "null"), None) if isinstance(pt, list) else pt)
        if len(kinds - {None}) > 1:
            mixed.append(True)  # a string or an object...: either way of sending it is faithful
        for part in branches:
            part_r, pb = spec.resolve(part, b)
            if isinstance(part_r, dict) and (part_r.get("properties") or part_r.get("allOf")):
                absorb(part_r, pb)
            elif isinstance(part_r, dict) and not types:
                pt = part_r.get("type")
                pt = next((x for x in pt if x != "null"), None) if isinstance(pt, list) else pt
                if pt:
                    types.append(pt)
        if schema.get("items") is not None and not types:
            types.append("array")

    absorb(node, base)
    kind = types[0] if types else ("object" if props else "any")
    if mixed and not types[:1] == ["object"]:
        kind = "any"
    if props and kind == "object" and depth <= DEPTH:
        for name, (sub, b) in props.items():
            sub_r, _ = spec.resolve(sub, b)
            if isinstance(sub_r, dict) and sub_r.get("readOnly"):
                continue
            path = prefix + (name,)
            sub_kind = _schema_props(spec, sub, b, path, depth + 1, out, seen)
            out.append((path, sub_kind))
    return kind


def expectations(spec: Spec, path: str, method: str) -> Expect:
    root, base = spec.root, spec.path
    item, ibase = spec.resolve(root["paths"][path], base)
    op, obase = spec.resolve(item[method], ibase)
    swagger2 = str(root.get("swagger", "")).startswith("2")
    if swagger2:
        schemes = root.get("schemes") or []
        scheme = "https" if "https" in schemes or not schemes else schemes[0]
        server = f"{scheme}://{root['host']}{root.get('basePath', '')}" if root.get("host") else root.get("basePath", "")
    else:
        server = ""
        for owner in (op, item, root):
            servers = owner.get("servers") if isinstance(owner, dict) else None
            if servers:
                s, _ = spec.resolve(servers[0], base)
                server = s.get("url", "")
                for name, var in (s.get("variables") or {}).items():
                    value = var.get("default", (var.get("enum") or [name])[0])
                    server = server.replace("{" + name + "}", str(value))
                break
    params: dict[tuple[str, str], Any] = {}
    for owner, b in ((item, ibase), (op, obase)):
        for p in owner.get("parameters") or []:
            p, _ = spec.resolve(p, b)
            params[(p["in"], p["name"])] = p
    wanted = [(where, name) for (where, name) in params
              if where in ("path", "query", "header", "cookie") and not (where == "header" and name.lower() in SKIP_HEADERS)]
    body_paths: list[tuple[tuple[str, ...], str]] = []
    media = unsendable = None
    if swagger2:
        body = [p for p in params.values() if p["in"] == "body"]
        form = [p for p in params.values() if p["in"] == "formData"]
        if body:
            media = "application/json"
            kind = _schema_props(spec, body[0].get("schema"), obase, (), 1, body_paths)
            if kind not in ("object", "any"):
                body_paths.append(((), kind))
        elif form:
            media = "form"
            for p in form:
                if p.get("type") == "file":
                    unsendable = f"file field {p['name']}"
                body_paths.append(((p["name"],), p.get("type", "string")))
    else:
        rb, rbase = spec.resolve(op.get("requestBody"), obase)
        content = (rb or {}).get("content") or {}
        if content:
            for needle in ("json", "application/x-www-form-urlencoded", "multipart/form-data", "text/", "xml"):
                media = next((m for m in content if needle in m.lower()), None)
                if media:
                    break
            media = media or ("*/*" if "*/*" in content else None)
            if media is None:
                unsendable = f"body media {', '.join(content)}"
            else:
                mt, mbase = spec.resolve(content[media], rbase)
                kind = _schema_props(spec, (mt or {}).get("schema"), mbase, (), 1, body_paths)
                if kind not in ("object", "any") and not body_paths:
                    body_paths.append(((), kind))
                schema_r, sb = spec.resolve((mt or {}).get("schema"), mbase)
                for name, sub in ((schema_r or {}).get("properties") or {}).items():
                    sub_r, _ = spec.resolve(sub, sb)
                    if isinstance(sub_r, dict) and sub_r.get("format") in ("binary", "byte") and sub_r.get("type") == "string" \
                            and "json" not in media:
                        unsendable = f"file field {name}"
    security = op.get("security", root.get("security")) or []
    defs = root.get("securityDefinitions") if swagger2 else (root.get("components") or {}).get("securitySchemes")
    defs, dbase = spec.resolve(defs or {}, base)
    alternatives = []
    for alt in security:
        if isinstance(alt, dict) and all(name in defs for name in alt):  # a scheme nowhere defined: no expectation
            alternatives.append({name: spec.resolve(defs[name], dbase)[0] for name in alt})
    return Expect(method.upper(), server.rstrip("/") + path, wanted, media, body_paths, unsendable, alternatives)


# -- checking a rendered request ---------------------------------------------------------------
def marker(var: Any, i: int) -> Any:
    t = var.type
    if t == "array":
        element = type("V", (), {"type": var.items or "string", "items": None})
        return [marker(element, i)]
    return {"string": f"m{i}x", "integer": 7000 + i, "float": 7000.5 + i, "boolean": True,
            "date": (dt.date(2001, 1, 1) + dt.timedelta(days=i)).isoformat(), "email": f"m{i}@example.com",
            "phone": f"+1555{i:07d}", "object": {"m": i}}.get(t, f"m{i}x")


_JSON_KIND = {"array": list, "object": dict, "integer": int, "number": (int, float), "boolean": bool, "string": str}


def _auth_ok(alt: dict[str, dict[str, Any]], req: Any) -> bool:
    headers = {k.lower(): v for k, v in req.headers.items()}
    query = dict(parse_qsl(urlsplit(req.url).query, keep_blank_values=True))
    for scheme in alt.values():
        kind = str(scheme.get("type", "")).lower()
        if kind in ("oauth2", "openidconnect") or (kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer"):
            ok = headers.get("authorization", "").startswith("Bearer secret-")
        elif kind == "basic" or (kind == "http" and str(scheme.get("scheme", "")).lower() == "basic"):
            ok = headers.get("authorization", "").startswith("Basic ")
        elif kind == "apikey" and scheme.get("in") == "header":
            ok = headers.get(str(scheme.get("name", "")).lower(), "").startswith("secret-")
        elif kind == "apikey" and scheme.get("in") == "query":
            ok = query.get(str(scheme.get("name", ""))) is not None and "secret-" in query[str(scheme["name"])]
        elif kind == "apikey" and scheme.get("in") == "cookie":
            ok = "secret-" in headers.get("cookie", "")
        else:
            ok = False
        if not ok:
            return False
    return True


def check_action(expect: Expect, action: Any) -> str | None:
    """None when the action is faithful to the operation, else the first thing that is wrong."""
    values = {v.name: marker(v, i) for i, v in enumerate(action.variables)}
    texts = {to_text(v) for v in values.values()} | {to_text(x) for v in values.values() if isinstance(v, list)
                                                     for x in v}
    try:
        req = render(action, values, default_runtime(), resolver=lambda name: f"secret-{name}")
    except Exception as exc:  # noqa: BLE001 - a render failure is a finding
        return f"render: {exc}"
    if req.method != expect.method:
        return f"method {req.method} != {expect.method}"
    exp = urlsplit(expect.url)
    got = urlsplit(req.url)
    if exp.netloc and (exp.scheme, exp.netloc) != (got.scheme, got.netloc):
        return f"server {got.scheme}://{got.netloc} != {exp.scheme}://{exp.netloc}"
    pattern = "^" + re.sub(r"\\\{[^}]*\\\}", "([^/]+)", re.escape(exp.path)) + "$"
    m = re.match(pattern, got.path if exp.netloc else got.path[-len(exp.path):] if exp.path else got.path)
    if not m:
        return f"path {got.path} does not match {exp.path}"
    if any(unquote(seg) not in texts for seg in m.groups()):
        return f"path parameter value missing in {got.path}"
    query = parse_qsl(got.query, keep_blank_values=True)
    headers = {k.lower(): v for k, v in req.headers.items()}
    for where, name in expect.params:
        if where == "query" and not any(k == name for k, _ in query):
            return f"query parameter {name} missing"
        if where == "header" and name.lower() not in headers:
            return f"header parameter {name} missing"
        if where == "cookie" and f"{name}=" not in headers.get("cookie", ""):
            return f"cookie parameter {name} missing"
    if expect.body_unsendable:
        return f"body: {expect.body_unsendable} cannot be sent"
    if expect.body_media and expect.body_paths:
        problem = _body_problem(expect, req)
        if problem:
            return problem
    if expect.security and not any(_auth_ok(alt, req) for alt in expect.security if alt) and \
            not any(not alt for alt in expect.security):
        return "auth: " + " or ".join("+".join(alt) for alt in expect.security)
    return None


def _body_problem(expect: Expect, req: Any) -> str | None:
    body = req.body
    if req.body_format in ("form", "multipart"):
        from core.body import form_pairs

        keys = [k for k, _ in form_pairs(body)] if isinstance(body, dict) else []
        for path, _ in expect.body_paths:
            flat = path[0] + "".join(f"[{p}]" for p in path[1:])
            if not any(k == flat or k.startswith(flat + "[") for k in keys):
                return f"body field {flat} missing"
        return None
    for path, kind in expect.body_paths:
        node = body
        for p in path:
            if not isinstance(node, dict) or p not in node:
                return f"body field {'.'.join(path) or '(root)'} missing"
            node = node[p]
        want = _JSON_KIND.get(kind)
        if want and not (isinstance(node, want) and not (kind in ("integer", "number") and isinstance(node, bool))):
            if not (kind == "object" and path and isinstance(node, dict)):
                return f"body field {'.'.join(path) or '(root)'} is {type(node).__name__}, not {kind}"
    return None


def quote_segment(value: Any) -> str:
    return quote(to_text(value), safe="")
