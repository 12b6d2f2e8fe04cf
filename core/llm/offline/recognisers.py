"""Typed values in a message: emails, phone numbers, dates, numbers, yes/no."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from .words import _NUMBER_WORD_RE, _WORD_NUMBERS, _tokens

# --------------------------------------------------------------------------- typed scanning

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE_RE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,20}\d(?![\w])")
_NUMBER_RE = re.compile(r"(?<![\w.,/:@-])(-?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w/:@]|[.,]\d|-\d)")
_ID_RE = re.compile(r"(?=[\w-]*[A-Za-z])(?=[\w-]*\d)\b\w+(?:-\w+)*\b")
_ISO_RE = re.compile(r"(?<![\d-])(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?![\d-])")
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
           "oct": 10, "nov": 11, "dec": 12}
_MONTH = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_MONTH_DAY_RE = re.compile(r"\b" + _MONTH + r"\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?", re.I)
_DAY_MONTH_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4})\b)?", re.I)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_RE = re.compile(r"\b(?:(next|this|coming|on)\s+)?(" + "|".join(_WEEKDAYS) + r")\b", re.I)
_RELATIVE_RE = re.compile(
    r"\b(?:(?:the\s+)?day\s+after\s+tomorrow|tomorrow|tmrw|today|tonight|yesterday|next\s+week|"
    r"in\s+(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+(days?|weeks?))\b", re.I)
_TRUE_WORDS = {"yes", "yeah", "yep", "yup", "sure", "true", "correct", "affirmative", "y", "please do", "ok", "okay"}
_FALSE_WORDS = {"no", "nope", "nah", "false", "negative", "n", "not", "don't", "dont", "do not"}
_BOOL_RE = re.compile(r"\b(yes|yeah|yep|yup|sure|true|correct|affirmative|please do|okay|ok|"
                      r"no|nope|nah|false|negative|don't|dont|do not|not)\b", re.I)


@dataclass(frozen=True)
class _Scan:
    """Typed values found in one message: lists of (value, start, end)."""

    emails: tuple = ()
    phones: tuple = ()
    dates: tuple = ()
    numbers: tuple = ()  # (value, start, end, is_integer)


def _overlaps(spans: Iterable[tuple[int, int]], s: int, e: int) -> bool:
    return any(s < b and a < e for a, b in spans)


def _year_for(month: int, day: int, year: str | None, today: dt.date) -> dt.date | None:
    try:
        if year:
            return dt.date(int(year), month, day)
        value = dt.date(today.year, month, day)
        if value < today:
            value = dt.date(today.year + 1, month, day)
        return value
    except ValueError:
        return None


def _scan_dates(text: str, today: dt.date) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    spans: list[tuple[int, int]] = []

    def add(value: dt.date | None, s: int, e: int) -> None:
        if value is not None and not _overlaps(spans, s, e):
            found.append((value.isoformat(), s, e))
            spans.append((s, e))

    for m in _ISO_RE.finditer(text):
        try:
            add(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), m.start(), m.end())
        except ValueError:
            pass
    for m in _MONTH_DAY_RE.finditer(text):
        add(_year_for(_MONTHS[m.group(1)[:3].lower()], int(m.group(2)), m.group(3), today), m.start(), m.end())
    for m in _DAY_MONTH_RE.finditer(text):
        add(_year_for(_MONTHS[m.group(2)[:3].lower()], int(m.group(1)), m.group(3), today), m.start(), m.end())
    for m in _RELATIVE_RE.finditer(text):
        word = m.group(0).lower()
        if "after" in word:
            days = 2
        elif word.startswith(("tomorrow", "tmrw")):
            days = 1
        elif word in ("today", "tonight"):
            days = 0
        elif word == "yesterday":
            days = -1
        elif word.startswith("next"):
            days = 7
        else:
            n = m.group(1).lower()
            count = int(n) if n.isdigit() else (1 if n == "a" else _WORD_NUMBERS.get(n, 1))
            days = count * (7 if m.group(2).lower().startswith("week") else 1)
        add(today + dt.timedelta(days=days), m.start(), m.end())
    for m in _WEEKDAY_RE.finditer(text):
        target = _WEEKDAYS.index(m.group(2).lower())
        ahead = (target - today.weekday()) % 7
        if ahead == 0 and (m.group(1) or "").lower() != "this":
            ahead = 7
        add(today + dt.timedelta(days=ahead), m.start(), m.end())
    found.sort(key=lambda f: f[1])
    return found


@lru_cache(maxsize=4096)
def _scan(text: str, today: dt.date) -> _Scan:
    emails = [(m.group(0), m.start(), m.end()) for m in _EMAIL_RE.finditer(text)]
    taken = [(s, e) for _, s, e in emails]
    dates = [d for d in _scan_dates(text, today) if not _overlaps(taken, d[1], d[2])]
    taken += [(s, e) for _, s, e in dates]
    phones = []
    for m in _PHONE_RE.finditer(text):
        raw = m.group(0).strip()
        digits = re.sub(r"\D", "", raw)
        if 7 <= len(digits) <= 15 and not _overlaps(taken, m.start(), m.end()):
            if raw.count("(") != raw.count(")"):
                raw = raw.lstrip("(")
            phones.append((("+" if raw.startswith("+") else "") + digits, m.start(), m.end()))
    taken += [(s, e) for _, s, e in phones]
    taken += [(m.start(), m.end()) for m in _ID_RE.finditer(text)]
    numbers = []
    for m in _NUMBER_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        whole = m.group(2).replace(",", "")
        if m.group(3):
            numbers.append((float(m.group(1) + whole + m.group(3)), m.start(), m.end(), False))
        else:
            numbers.append((int(m.group(1) + whole), m.start(), m.end(), True))
    for m in _NUMBER_WORD_RE.finditer(text):
        if not _overlaps(taken, m.start(), m.end()):
            numbers.append((_WORD_NUMBERS[m.group(1).lower()], m.start(), m.end(), True))
    numbers.sort(key=lambda n: n[1])
    return _Scan(tuple(emails), tuple(phones), tuple(dates), tuple(numbers))


def _bool_candidates(text: str, direct: bool, name_tokens: frozenset[str] = frozenset()) -> list[tuple[bool, int, int]]:
    """yes/no values: anywhere in a direct answer; in free text "true"/"false", a yes/no opening the
    message, or a yes/no right after the parameter's name ("outdoor: yes")."""
    out = []
    for m in _BOOL_RE.finditer(text):
        word = m.group(1).lower()
        value = word in _TRUE_WORDS
        if direct or word in ("true", "false"):
            out.append((value, m.start(), m.end()))
        elif word in ("yes", "yeah", "yep", "yup", "no", "nope", "nah") and (
                m.start() == len(text) - len(text.lstrip())
                or name_tokens & set(_tokens(text[max(0, m.start() - 24): m.start()]))):
            out.append((value, m.start(), m.end()))
    return out
