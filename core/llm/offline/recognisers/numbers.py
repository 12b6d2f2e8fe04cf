"""Numbers and amounts: "3", "1,250.00", "$23.50", "2.5" (number words are digits by now)."""

from __future__ import annotations

import re
from typing import Iterable

NUMBER_RE = re.compile(r"(?<![\w.,/:@-])(-?)\$?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w/:@%]|[.,]\d|-\d)")
#: letters and digits in one token (an order number, a flight) are not numbers
ID_RE = re.compile(r"(?=[\w-]*[A-Za-z])(?=[\w-]*\d)\b\w+(?:-\w+)*\b")
_ORDINAL_RE = re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.I)


def find_numbers(text: str, taken: Iterable[tuple[int, int]] = ()) -> list[tuple[int | float, int, int]]:
    busy = list(taken) + [(m.start(), m.end()) for m in ID_RE.finditer(text)]
    busy += [(m.start(), m.end()) for m in _ORDINAL_RE.finditer(text)]
    out: list[tuple[int | float, int, int]] = []
    for m in NUMBER_RE.finditer(text):
        if any(m.start() < b and a < m.end() for a, b in busy):
            continue
        whole = m.group(2).replace(",", "")
        if m.group(3):
            out.append((float(m.group(1) + whole + m.group(3)), m.start(), m.end()))
        else:
            out.append((int(m.group(1) + whole), m.start(), m.end()))
    return out
