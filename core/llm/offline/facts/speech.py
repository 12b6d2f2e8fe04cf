"""Values as a person says them: dates, times, amounts with their currency, numbers, codes and words."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

#: currency codes a caller hears as a symbol; others are said after the amount ("12.50 CHF")
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "KRW": "₩", "NGN": "₦", "ILS": "₪",
           "PHP": "₱", "VND": "₫", "UAH": "₴", "TRY": "₺", "RUB": "₽", "BRL": "R$", "CAD": "C$", "AUD": "A$",
           "NZD": "NZ$", "MXN": "MX$", "HKD": "HK$", "SGD": "S$"}
CURRENCY_RE = re.compile(r"[A-Za-z]{3}")
DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
#: an ISO date, optionally with a time or a window of times ("2026-11-20T10:30:00Z", "2026-12-02 09:00-12:00")
WHEN_RE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T(\d{1,2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
                     r"|[ ,]+(\d{1,2}:\d{2}(?:\s*-\s*\d{1,2}:\d{2})?))?")
TIME_RE = re.compile(r"(\d{1,2}:\d{2})(?::\d{2})?(?:\s*([AaPp][Mm]))?")
RANGE_RE = re.compile(r"\d{1,2}:\d{2}(?:\s*[AaPp][Mm])?\s*-\s*\d{1,2}:\d{2}(?:\s*[AaPp][Mm])?")
#: a moment said relative to now: "within 2 hours", "in 3 business days"
SPAN_RE = re.compile(r"(?:within|in|under|about|around)\s+(?:\d+|an?|one|two|three|a\s+few)(?:\s+\w+)?\s+"
                     r"(?:minutes?|hours?|days?|weeks?|months?)", re.I)
SNAKE_RE = re.compile(r"[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)+")
URL_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
MAX_TEXT = 80


def day(value: dt.date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def parse_date(text: str) -> dt.date | None:
    m = DATE_RE.fullmatch(text.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_when(text: str) -> tuple[dt.date, str | None] | None:
    """(date, "HH:MM" or None) of an ISO date or date-time string; None for anything else."""
    m = WHEN_RE.fullmatch(text.strip())
    if not m:
        return None
    date = parse_date(m.group(1))
    if date is None:
        return None
    return date, _time_of(m)


def _time_of(m: re.Match[str]) -> str | None:
    if m.group(2):
        return clock(m.group(2))
    return re.sub(r"\s+", "", m.group(3)) if m.group(3) else None


def is_time(text: str) -> bool:
    """A time of day or a window of times ("16:40", "8:00-12:00")."""
    return bool(TIME_RE.fullmatch(text.strip()) or RANGE_RE.fullmatch(text.strip()))


def clock(text: str) -> str:
    """A time of day without seconds: "16:40:00" -> "16:40", "9:30 pm" -> "9:30 pm"."""
    m = TIME_RE.fullmatch(text.strip())
    if not m:
        return re.sub(r"\s+", "", text) if RANGE_RE.fullmatch(text.strip()) else text.strip()
    return m.group(1) + (f" {m.group(2).lower()}" if m.group(2) else "")


def when(date: dt.date, time: str | None = None) -> str:
    """"November 20, 2026", "... at 10:30", or with a window of times "..., 09:00-12:00"."""
    if not time:
        return day(date)
    return day(date) + (f", {time}" if "-" in time else f" at {time}")


def number(value: float | int) -> str:
    """42 -> "42", 1250 -> "1,250", 18.40 -> "18.4", 0.125 -> "0.13"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text
    whole = int(value)
    return f"{whole:,}" if abs(whole) >= 10000 else str(whole)


def money(amount: float | int, currency: str | None) -> str:
    """An amount with its currency: "$1,523.40", "€320.00", "12.50 CHF"; without one, "42.17"."""
    text = f"{abs(amount):,.2f}"
    sign = "-" if amount < 0 else ""
    code = (currency or "").upper()
    if code in SYMBOLS:
        return f"{sign}{SYMBOLS[code]}{text}"
    return f"{sign}{text} {code}" if code else f"{sign}{text}"


def words_of(text: str) -> str:
    """A value written like a name ("in_transit", "OUT_FOR_DELIVERY") as words ("in transit")."""
    if SNAKE_RE.fullmatch(text) and "_" in text and not any(c.isdigit() for c in text):
        text = text.replace("_", " ")
        return text.lower() if text.isupper() else text
    if text.isupper() and " " not in text and text.isalpha() and len(text) > 4:
        return text.lower()
    return text


def text(value: Any) -> str:
    """Any scalar value as it is said: dates spoken, names of values as words, long text shortened."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return number(value)
    out = words_of(str(value).replace("\n", " ").strip())
    out = WHEN_RE.sub(lambda m: _spoken_when(m) or m.group(0), out)
    return out if len(out) <= MAX_TEXT else out[: MAX_TEXT - 3].rsplit(" ", 1)[0] + "..."


def _spoken_when(m: re.Match[str]) -> str | None:
    date = parse_date(m.group(1))
    if date is None:
        return None
    return when(date, _time_of(m))


def join(items: list[str]) -> str:
    items = [i for i in items if i]
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
