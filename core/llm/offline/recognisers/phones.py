"""Phone numbers, found and checked with phonenumbers (Google's libphonenumber).

A number said with its country code keeps it in E.164 (+15550142233), also when the "+" was said as a word
("plus one five five five ...", "plus 44 ..."); one said without keeps the digits the caller said
(5550142233). Digits read out in groups are joined by ``spoken.normalise`` first. A match that starts
inside a word or a code is not a phone number.
"""

from __future__ import annotations

import re

import phonenumbers

DEFAULT_REGION = "US"
_PLUS_BEFORE_RE = re.compile(r"\bplus\s*,?\s*$", re.I)


def find_phones(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION, leniency=phonenumbers.Leniency.POSSIBLE):
        raw = m.raw_string
        digits = re.sub(r"\D", "", raw)
        if not 7 <= len(digits) <= 15 or re.search(r"[A-Za-z0-9][-_]?$", text[: m.start]):
            continue  # too short or long, or the tail of a code ("RX-123456 2 packs" is no phone number)
        if raw.startswith("+"):
            value = phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
        elif _PLUS_BEFORE_RE.search(text[: m.start]):  # "plus 1 (555) 014-2233": the "+" was said as a word
            value = "+" + digits
        else:
            value = digits
        out.append((value, m.start, m.end))
    return out
