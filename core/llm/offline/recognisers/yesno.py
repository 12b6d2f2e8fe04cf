"""Yes and no: anywhere in an answer to a yes/no question; elsewhere only when clearly meant."""

from __future__ import annotations

import re

_TRUE_WORDS = {"yes", "yeah", "yep", "yup", "sure", "true", "correct", "affirmative", "y", "please do", "ok", "okay"}
_BOOL_RE = re.compile(r"\b(yes|yeah|yep|yup|sure|true|correct|affirmative|please do|okay|ok|"
                      r"no|nope|nah|false|negative|don't|dont|do not|not)\b", re.I)


def find_yes_no(text: str, direct: bool, near: frozenset[str] = frozenset(),
                words_before: "callable[[str], set[str]] | None" = None) -> list[tuple[bool, int, int]]:
    """yes/no values: anywhere in a direct answer; in free text "true"/"false", a yes/no opening the
    message, or a yes/no right after one of the ``near`` words ("outdoor: yes")."""
    out = []
    for m in _BOOL_RE.finditer(text):
        word = m.group(1).lower()
        value = word in _TRUE_WORDS
        if direct or word in ("true", "false"):
            out.append((value, m.start(), m.end()))
        elif word in ("yes", "yeah", "yep", "yup", "no", "nope", "nah") and (
                m.start() == len(text) - len(text.lstrip())
                or (words_before is not None and near & words_before(text[max(0, m.start() - 24): m.start()]))):
            out.append((value, m.start(), m.end()))
    return out
