"""Numbers and amounts: "3", "1,250.00", "$23.50", "2.5" (number words are digits by now).

An amount of money is a number said with "$" (spoken dollars became "$" in ``spoken.normalise``), or a
price written with cents and no currency, next to a word about paying: "the 59.90 I paid", "it cost 12.50".
"""

from __future__ import annotations

import re
from typing import Iterable

NUMBER_RE = re.compile(r"(?<![\w.,/:@-])(-?)\$?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w/:@%]|[.,]\d|-\d)")
#: letters and digits in one token (an order number, a flight) are not numbers
ID_RE = re.compile(r"(?=[\w-]*[A-Za-z])(?=[\w-]*\d)\b\w+(?:-\w+)*\b")
_ORDINAL_RE = re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.I)
_CENTS_RE = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d{2}|-?\d+\.\d{2}")
_PAYING = (r"(?:paid|pay|paying|cost|costs|costing|charged?|charges|charging|refund(?:ed|s)?|back|spent|spend|"
           r"price[ds]?|bill(?:ed)?|owed?|owes|fee|total|worth|sum)")
#: a word about paying at most three words before or after it, in the same clause
_PAYING_BEFORE_RE = re.compile(r"\b" + _PAYING + r"\b(?:[^\w.;!?]+[\w'-]+){0,3}[^\w.;!?]*$", re.I)
_PAYING_AFTER_RE = re.compile(r"^(?:[^\w.;!?]+[\w'-]+){0,3}?[^\w.;!?]+" + _PAYING + r"\b", re.I)


def is_amount(text: str, start: int, end: int) -> bool:
    """Whether the number at ``text[start:end]`` is an amount of money."""
    said = text[start:end]
    if said.lstrip("-").startswith("$"):
        return True
    return bool(_CENTS_RE.fullmatch(said) and (_PAYING_BEFORE_RE.search(text[max(0, start - 60): start])
                                               or _PAYING_AFTER_RE.search(text[end: end + 60])))


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
