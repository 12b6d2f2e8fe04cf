"""Dates and times of day, kept apart: "2026-12-10 at 15:30" is one date and one time.

Date phrases are found here ("next Tuesday", "the 15th of March", "tomorrow", ISO dates) and read by
dateparser against an injected ``today`` (never the clock, so the same words give the same date);
dateparser is imported on first use only, so starting the CLI does not pay for it. Times are read
here: "15:30", "3pm", "noon", "half past 2", "quarter to 10"; an hour from 1 to 7 with no am/pm is
taken as the afternoon (office hours).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+\d{4})?"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
#: a day gone by (an incident, a loss): read here, never by dateparser, which prefers future dates
_PAST_RE = re.compile(r"\b(?:(?:the\s+)?day\s+before\s+yesterday|yesterday|last\s+night|last\s+week|"
                      r"last\s+" + _WEEKDAY + r"|(\d+|a|an|one)\s+(days?|weeks?)\s+ago)\b", re.I)
_DAY_NUM = r"([12]\d|3[01]|0?[1-9])"
#: a weekday said with its day of the month ("Monday the 16th", "Friday, the 13th", "on Sunday 22nd"): the day wins
_WEEKDAY_DAY_RE = re.compile(r"\b(?:(?:next|this|coming|on)\s+)?(" + _WEEKDAY + r")\s*,?\s+(?:the\s+" + _DAY_NUM
                             + r"(?:st|nd|rd|th)?|" + _DAY_NUM + r"(?:st|nd|rd|th)|" + _DAY_NUM
                             + r"(?=\s*(?:$|[.,!?;]|at\b|please\b)))\b", re.I)
_DATE_RES = [  # (pattern, reader); earlier patterns claim their words first
    (re.compile(r"(?<![\d-])(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?![\d-])"), lambda m, today: _iso(m)),  # ISO
    (re.compile(r"\b" + _MONTH + r"\s+(?:the\s+)?" + _DAY + r"\b" + _YEAR, re.I), None),
    (re.compile(r"\b(?:the\s+)?" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?![a-z])" + _YEAR, re.I), None),
    (_WEEKDAY_DAY_RE, lambda m, today: _day_of_month(int(next(g for g in m.groups()[1:] if g)), today, m.group(1))),
    (_PAST_RE, lambda m, today: _past(m, today)),
    (re.compile(r"\b(?:(?:next|this|coming|on)\s+)?" + _WEEKDAY + r"\b", re.I), None),
    (re.compile(r"\b(?:(?:the\s+)?day\s+after\s+tomorrow|tomorrow|today|tonight|next\s+week|"
                r"in\s+(?:\d+|a)\s+(?:days?|weeks?))\b", re.I), None),
    (re.compile(r"(?<![\d/.-])(1[0-2]|0?[1-9])/([12]\d|3[01]|0?[1-9])(?:/(\d{2}|\d{4}))?(?![\d/.-])"), None),
    # "on the 25th": a day of the month alone, when nothing after it says it counts something else
    (re.compile(r"\bthe\s+([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b(?=\s*(?:$|[.,!?;]|at\b|in\s+the\b|please\b|"
                r"and\b|for\b|instead\b))", re.I), lambda m, today: _day_of_month(int(m.group(1)), today)),
]
#: what may stand between a weekday and the date it names ("Tuesday, March 10th", "March 10th, a Tuesday")
_BETWEEN_RE = re.compile(r"[\s,]*(?:(?:a|on|that'?s|which\s+is)\s+)?", re.I)
_WEEKDAY_ALONE_RE = _DATE_RES[5][0]
_WEEKDAY_RE = re.compile(r"\b(?:(next|this|coming|on)\s+)?(" + _WEEKDAY + r")\b", re.I)

_MERIDIEM = r"\s*(a\.?m\.?|p\.?m\.?)?"
_TIME_RES = [
    re.compile(r"(?<![\d:.-])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])" + _MERIDIEM, re.I),
    re.compile(r"(?<![\d:.-])(1[0-2]|0?[1-9])\s+([0-5]\d)\s*(a\.?m\.?|p\.?m\.?)", re.I),
    re.compile(r"(?<![\d:.-])(1[0-2]|0?[1-9])()\s*(a\.?m\.?|p\.?m\.?|o'?clock)(?![a-z])", re.I),
    re.compile(r"\b(half|quarter)\s+(past|to|after|before)\s+(1[0-2]|0?[1-9])\b", re.I),
    re.compile(r"\b(noon|midday|midnight)\b", re.I),
    re.compile(r"\bat\s+(1[0-2]|0?[1-9])\b(?=\s*(?:$|[.,!?;](?!\d)|in\s+the|tomorrow|today|tonight|on\b|please))", re.I),
]
_PM_AFTER_RE = re.compile(r"^\s*(?:in\s+the\s+(afternoon|evening)|at\s+night|tonight)", re.I)
_AM_AFTER_RE = re.compile(r"^\s*in\s+the\s+morning", re.I)


def find_dates(text: str, today: dt.date) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    weekdays: list[tuple[int, int]] = []  # spans of weekdays said alone
    for pattern, reader in _DATE_RES:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for _, s, e in found):
                continue
            value = reader(m, today) if reader is not None else read_date(m.group(0), today)
            if value is not None:
                found.append((value.isoformat(), m.start(), m.end()))
                if pattern is _WEEKDAY_ALONE_RE:
                    weekdays.append((m.start(), m.end()))
    found.sort(key=lambda f: f[1])
    return _weekday_with_date(found, weekdays, text)


def _weekday_with_date(found: list[tuple[str, int, int]], weekdays: list[tuple[int, int]],
                       text: str) -> list[tuple[str, int, int]]:
    """A weekday right before or after a date ("on Tuesday, March 10th") says that date's day of the week: one
    date, the explicit one (also when the weekday disagrees), spanning both."""
    out: list[tuple[str, int, int]] = []
    for value, s, e in found:
        prev = out[-1] if out else None
        if prev is not None and _BETWEEN_RE.fullmatch(text[prev[2]: s]):
            if (prev[1], prev[2]) in weekdays and (s, e) not in weekdays:  # "Tuesday, March 10th"
                out[-1] = (value, prev[1], e)
                continue
            if (s, e) in weekdays and (prev[1], prev[2]) not in weekdays:  # "March 10th, a Tuesday"
                out[-1] = (prev[0], prev[1], e)
                continue
        out.append((value, s, e))
    return out


def _day_of_month(day: int, today: dt.date, weekday: str | None = None) -> dt.date | None:
    """The next date with this day of the month: this month's if it has not passed, else a later month's. Said
    with a ``weekday`` ("Friday the 13th"), the next month's when only that one falls on it."""
    dates: list[dt.date] = []
    year, month = today.year, today.month
    for _ in range(4):  # the 31st may skip a month or two
        try:
            value = dt.date(year, month, day)
        except ValueError:
            value = None
        if value is not None and value >= today:
            dates.append(value)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if weekday and len(dates) > 1 and dates[0].weekday() != _WEEKDAYS.index(weekday[:3].lower()) \
            and dates[1].weekday() == _WEEKDAYS.index(weekday[:3].lower()):
        return dates[1]
    return dates[0] if dates else None


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _past(m: re.Match[str], today: dt.date) -> dt.date:
    """A day gone by: "yesterday", "last night", "the day before yesterday", "last Friday" (the latest Friday
    before today), "last week" (a week ago), "3 days ago", "a week ago"."""
    said = " ".join(m.group(0).lower().split())
    if m.group(1):
        n = int(m.group(1)) if m.group(1).isdigit() else 1
        return today - dt.timedelta(days=n * (7 if m.group(2).startswith("week") else 1))
    if said.endswith("before yesterday"):
        return today - dt.timedelta(days=2)
    if said in ("yesterday", "last night"):
        return today - dt.timedelta(days=1)
    if said == "last week":
        return today - dt.timedelta(days=7)
    day = _WEEKDAYS.index(said.split()[-1][:3])
    return today - dt.timedelta(days=(today.weekday() - day - 1) % 7 + 1)


def _iso(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


@lru_cache(maxsize=2048)
def read_date(phrase: str, today: dt.date) -> dt.date | None:
    """A date phrase against ``today``; "on Friday" when today is Friday means next week's."""
    import dateparser  # lazy: heavy, and only a conversation about dates needs it

    base = dt.datetime.combine(today, dt.time(12, 0))
    words = re.sub(r"^(?:on|the)\s+", "", phrase.strip(), flags=re.I)
    words = re.sub(r"\bcoming\b", "next", words, flags=re.I)
    if words.lower() == "tonight":
        return today
    parsed = dateparser.parse(words, languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "MDY", "REQUIRE_PARTS": []})
    if parsed is None:
        return None
    value = parsed.date()
    weekday = _WEEKDAY_RE.fullmatch(phrase.strip())
    if weekday and value <= today and (weekday.group(1) or "").lower() != "this":
        value += dt.timedelta(days=7 - (today - value).days % 7 or 7)
    return value


def find_times(text: str) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    for i, pattern in enumerate(_TIME_RES):
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for _, s, e in found):
                continue
            value = _time_of(i, m, text[m.end():])
            if value is not None:
                found.append((value, m.start(), m.end()))
    found.sort(key=lambda f: f[1])
    return found


def _time_of(kind: int, m: re.Match[str], after: str) -> str | None:
    meridiem = ""
    if kind in (0, 1, 2):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        meridiem = (m.group(3) or "").lower().replace(".", "")
        explicit_24h = kind == 0 and (m.group(1).startswith("0") or hour > 12)
    elif kind == 3:
        hour = int(m.group(3))
        past = m.group(2).lower() in ("past", "after")
        minute = (30 if m.group(1).lower() == "half" else 15) if past else 45
        hour = hour if past else hour - 1 or 12
        explicit_24h = False
    elif kind == 4:
        return "00:00" if m.group(1).lower() == "midnight" else "12:00"
    else:
        hour, minute, explicit_24h = int(m.group(1)), 0, False
    if meridiem.startswith("o"):
        meridiem = ""
    if not meridiem and not explicit_24h:
        if _PM_AFTER_RE.match(after):
            meridiem = "pm"
        elif _AM_AFTER_RE.match(after):
            meridiem = "am"
        elif 1 <= hour <= 7:
            meridiem = "pm"  # office hours: "at half past 2" is the afternoon
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return f"{hour:02d}:{minute:02d}"
