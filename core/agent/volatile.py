"""Values that change on every run and mean nothing: ids the server generated, timestamps. A comparison of two
runs ignores them; the rules are plain text, one per line, so a page can list them and a user can edit them::

    field *_id        # a response field named like this whose value the request did not send: server-made
    text \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z?   # text like this, anywhere in responses and replies

Latencies, start times and trace ids are never compared at all.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any, Iterable, Literal, Sequence

from pydantic import BaseModel

from ..errors import PlaygroundError
from ..trace import Trace

DEFAULT_RULES = """\
field *_id      # ids the server generated (booking_id, ticket_id...), unless the request sent that value
field id
field *_at      # timestamps such as created_at
field timestamp
field request_id
text \\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?   # ISO date-times
"""


class Rule(BaseModel):
    kind: Literal["field", "text"]
    pattern: str

    def __str__(self) -> str:
        return f"{self.kind} {self.pattern}"


def parse_rules(text: str) -> list[Rule]:
    """One rule per line (``field GLOB`` or ``text REGEX``; ``#`` starts a comment). Raises PlaygroundError
    naming the line."""
    rules: list[Rule] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"\s+#.*$", "", raw).strip()
        if not line or line.startswith("#"):
            continue
        kind, _, pattern = line.partition(" ")
        pattern = pattern.strip()
        if kind not in ("field", "text") or not pattern:
            raise PlaygroundError(f"ignore rule on line {n} ({raw.strip()!r}): write `field NAME` (a response "
                                  "field name, * as a wildcard) or `text REGEX`")
        if kind == "text":
            try:
                re.compile(pattern)
            except re.error as exc:
                raise PlaygroundError(f"ignore rule on line {n}: invalid regex {pattern!r} ({exc}); escape special "
                                      "characters with \\") from None
        rules.append(Rule(kind=kind, pattern=pattern))  # type: ignore[arg-type]
    return rules


def _scalars(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _scalars(v)
    elif isinstance(value, list):
        for v in value:
            yield from _scalars(v)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


class Volatile:
    """The rules applied to one run: which response fields to drop, which text to blank."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.fields = [r.pattern.lower() for r in rules if r.kind == "field"]
        self.texts = [re.compile(r.pattern) for r in rules if r.kind == "text"]

    def is_volatile_field(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name.lower(), p) for p in self.fields)

    def generated(self, traces: Sequence[Trace]) -> dict[str, str]:
        """Values the server generated in these traces' responses -> a stand-in naming their field."""
        out: dict[str, str] = {}
        for trace in traces:
            if trace.response is None:
                continue
            sent = set(_scalars(trace.request.model_dump() if trace.request else {})) | set(
                _scalars(trace.arguments))

            def walk(value: Any) -> None:
                if isinstance(value, dict):
                    for key, v in value.items():
                        if isinstance(v, (str, int)) and not isinstance(v, bool) and self.is_volatile_field(str(key)):
                            if str(v) not in sent and len(str(v)) >= 2:
                                out[str(v)] = f"<{key}>"
                        else:
                            walk(v)
                elif isinstance(value, list):
                    for v in value:
                        walk(v)

            walk(trace.response.body)
        return out

    def text(self, text: str, generated: dict[str, str]) -> str:
        """``text`` with generated values and volatile text blanked, for comparing."""
        for value in sorted(generated, key=len, reverse=True):
            text = text.replace(value, generated[value])
        for rx in self.texts:
            text = rx.sub("<time>", text)
        return text

    def body(self, trace: Trace, generated: dict[str, str]) -> Any:
        """The response body without its volatile fields, generated values blanked in its texts."""

        def walk(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: walk(v) for k, v in value.items()
                        if not (self.is_volatile_field(str(k)) and str(v) in generated)}
            if isinstance(value, list):
                return [walk(v) for v in value]
            return self.text(value, generated) if isinstance(value, str) else value

        return walk(trace.response.body) if trace.response is not None else None
