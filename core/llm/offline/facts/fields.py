"""A response body as a list of facts: one per field a caller could hear, each with what kind of value it is.

Nulls, empty values, links and metadata are left out. An amount takes its currency from a sibling
``currency`` field (or ``{"amount", "currency"}``, or a ``_usd``/``_cents`` name); a unit in the name
(``data_used_gb``) goes after the number; a date and a time of the same thing (``date`` and
``start_time``) become one; a list of records (``items``) is told by what names each record
("Wireless Headphones X2"), never by its first record's fields; a first and a last name make one name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from ..tools import humanize
from . import speech

MAX_FACTS = 60
MAX_DEPTH = 2
MAX_LISTED = 3
#: keys that only wrap the record a caller asks about ({"data": {...}})
WRAPPERS = frozenset({"data", "result", "results", "response", "payload", "record", "body"})
CURRENCY_KEYS = ("currency", "currency_code", "ccy")
#: words that make a number an amount of money (general vocabulary, not field names of one API)
MONEY = frozenset("""price prices cost costs total subtotal amount balance fee fees charge charges payment payments
paid refund refunds owed owe due tax taxes credit debit fare fares premium deposit payout spend spent rent salary
tip discount savings bill invoice""".split())
#: a currency code at the end of a name (``total_usd``) or the minor unit (``amount_cents``)
CURRENCY_SUFFIXES = frozenset({"usd", "eur", "gbp", "cad", "aud", "jpy", "chf", "inr", "mxn", "dollars", "euros"})
UNITS = {"gb": "GB", "mb": "MB", "kb": "KB", "tb": "TB", "gib": "GiB", "mib": "MiB", "kg": "kg", "lb": "lb",
         "lbs": "lb", "km": "km", "mi": "miles", "miles": "miles", "kwh": "kWh", "percent": "%", "pct": "%",
         "days": "days", "hours": "hours", "hrs": "hours", "minutes": "minutes", "mins": "minutes",
         "seconds": "seconds", "secs": "seconds", "ms": "milliseconds", "weeks": "weeks", "months": "months",
         "years": "years", "gallons": "gallons", "liters": "liters", "litres": "litres", "m3": "cubic meters",
         "c": "°C", "f": "°F", "celsius": "°C", "fahrenheit": "°F"}
NAME_WORDS = ("name", "title", "label", "description", "summary", "product", "item")
QUANTITY_WORDS = ("quantity", "qty", "count", "units")
#: what a (nested) field is called when nothing else names it
DATE_WORDS = frozenset({"date", "day", "on", "at", "when", "time"})


@dataclass(frozen=True)
class Fact:
    words: tuple[str, ...]  # the field's name as words: ("estimated", "delivery")
    value: Any  # a scalar; for lists, the spoken items
    kind: str  # bool | date | time | amount | number | text | code | list | items
    order: int  # position in the body
    owner: tuple[str, ...] = ()  # the enclosing object's name as words (nested fields)
    date: dt.date | None = None
    time: str | None = None
    currency: str | None = None
    unit: str | None = None
    count: int = 0  # records in a list

    @property
    def label(self) -> str:
        return " ".join(self.words)

    @property
    def head(self) -> str:
        return self.words[-1] if self.words else ""


def name_words(key: str) -> tuple[str, ...]:
    return tuple(humanize(str(key)).split())


def read(body: Any) -> tuple[list[Fact], tuple[str, ...]]:
    """The facts of a response body, and the words of the key that wrapped the record, if one did
    (``{"order": {...}}`` -> ("order",))."""
    context: tuple[str, ...] = ()
    while isinstance(body, dict) and len(body) == 1:
        (key, inner), = body.items()
        if not isinstance(inner, (dict, list)) or (isinstance(inner, list) and not inner):
            break
        if isinstance(inner, list) and not all(isinstance(v, dict) for v in inner):
            break
        context = context if str(key).lower() in WRAPPERS else name_words(key)
        body = inner
    out: list[Fact] = []
    if isinstance(body, list):
        fact = _fact(("results",), body, 0, (), None, 0, out)
        return ([fact] if fact is not None else []), context
    if isinstance(body, dict):
        _object(body, (), 0, out)
    return out[:MAX_FACTS], context


def _currency(obj: dict[str, Any]) -> str | None:
    for key in obj:
        if str(key).lower() in CURRENCY_KEYS and isinstance(obj[key], str) and speech.CURRENCY_RE.fullmatch(obj[key]):
            return obj[key].upper()
    return None


def _object(obj: dict[str, Any], owner: tuple[str, ...], depth: int, out: list[Fact]) -> None:
    currency = _currency(obj)
    keys = {str(k).lower(): k for k in obj}
    first, last = keys.get("first_name") or keys.get("firstname"), keys.get("last_name") or keys.get("lastname")
    merged: set[Any] = set()
    if first is not None and last is not None and isinstance(obj[first], str) and isinstance(obj[last], str):
        out.append(Fact(("name",), f"{obj[first]} {obj[last]}".strip(), "text", len(out), owner))
        merged = {first, last}
    start = len(out)
    for key, value in obj.items():
        if key in merged or str(key).lower() in CURRENCY_KEYS or str(key).startswith(("_", "@", "$")):
            continue
        if value is None or value == "" or value == [] or value == {}:
            continue
        fact = _fact(name_words(key), value, len(out), owner, currency, depth, out)
        if fact is not None:
            out.append(fact)
    _join_date_and_time(out, start)


def _fact(words: tuple[str, ...], value: Any, order: int, owner: tuple[str, ...], currency: str | None, depth: int,
          out: list[Fact]) -> Fact | None:
    if not words:
        return None
    if isinstance(value, dict):
        amount = _money_object(value)
        if amount is not None:
            return Fact(words, amount[0], "amount", order, owner, currency=amount[1])
        if depth < MAX_DEPTH:
            _object(value, owner + words, depth + 1, out)
        return None
    if isinstance(value, list):
        if all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
            shown = [speech.text(v) for v in value[:MAX_LISTED]]
            return Fact(words, shown, "list", order, owner, count=len(value))
        if all(isinstance(v, dict) for v in value):
            return _records(words, value, order, owner)
        return None
    if isinstance(value, bool):
        return Fact(words, value, "bool", order, owner)
    if isinstance(value, (int, float)):
        return _number(words, value, order, owner, currency)
    text = str(value).strip()
    if speech.URL_RE.match(text):
        return None
    when = speech.parse_when(text)
    if when is not None:
        return Fact(words, text, "date", order, owner, date=when[0], time=when[1])
    if speech.is_time(text):
        return Fact(words, speech.clock(text), "time", order, owner)
    if speech.SPAN_RE.fullmatch(text):  # "within 2 hours": when, said relative to now
        return Fact(words, text, "time", order, owner)
    if set(words) & MONEY and _numeric(text):
        return _number(words, float(text), order, owner, currency)
    return Fact(words, text, "code" if _code(text) else "text", order, owner)


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _code(text: str) -> bool:
    """An identifier rather than words: "ORD-10042", "K7Q2PZ", "1Z999AA10123456784"."""
    if " " in text or ":" in text or len(text) < 2 or speech.parse_when(text) is not None:
        return False
    has_digit = any(c.isdigit() for c in text)
    return (has_digit and any(c.isalpha() for c in text)) or (has_digit and "-" in text) or (
        text.isupper() and text.isalnum() and len(text) >= 5) or (text.isdigit() and len(text) >= 6)


def _number(words: tuple[str, ...], value: float | int, order: int, owner: tuple[str, ...],
            currency: str | None) -> Fact:
    unit = None
    if len(words) > 1 and words[-1] in ("cents", "cent"):
        return Fact(words[:-1], value / 100, "amount", order, owner, currency=currency or "USD")
    if len(words) > 1 and words[-1] in CURRENCY_SUFFIXES:
        code = {"dollars": "USD", "euros": "EUR"}.get(words[-1], words[-1].upper())
        return Fact(words[:-1], value, "amount", order, owner, currency=code)
    if set(words) & MONEY or (currency is not None and words[-1] in ("value", "price")):
        return Fact(words, value, "amount", order, owner, currency=currency)
    if len(words) > 1 and words[-1] in UNITS:
        unit, words = UNITS[words[-1]], words[:-1]
    return Fact(words, value, "number", order, owner, unit=unit)


def _money_object(value: dict[str, Any]) -> tuple[float, str | None] | None:
    """{"amount": 320, "currency": "EUR"} (or "value"/"total") -> (320, "EUR")."""
    currency = _currency(value)
    if currency is None:
        return None
    amounts = [v for k, v in value.items() if str(k).lower() in ("amount", "value", "total", "sum")
               and isinstance(v, (int, float)) and not isinstance(v, bool)]
    return (float(amounts[0]), currency) if len(amounts) == 1 and len(value) <= 3 else None


def _records(words: tuple[str, ...], records: list[dict[str, Any]], order: int, owner: tuple[str, ...]) -> Fact | None:
    """A list of records told by what names each one ("Ergonomic Mouse (2)"), or by its date and times."""
    shown = [s for s in (_record_text(r) for r in records[:MAX_LISTED]) if s]
    if len(shown) < min(len(records), MAX_LISTED):
        shown = []
    return Fact(words, shown, "items", order, owner, count=len(records))


def _record_text(record: dict[str, Any]) -> str:
    named = next((v for k, v in record.items() if isinstance(v, str) and v.strip()
                  and name_words(k)[-1:] and name_words(k)[-1] in NAME_WORDS), None)
    if named is not None:
        qty = next((v for k, v in record.items() if name_words(k)[-1:] and name_words(k)[-1] in QUANTITY_WORDS
                    and isinstance(v, int) and not isinstance(v, bool)), None)
        return speech.text(named) + (f" ({qty})" if qty is not None and qty > 1 else "")
    facts: list[Fact] = []
    _object(record, (), MAX_DEPTH, facts)
    parts = [speech.when(f.date, f.time) if f.date else speech.text(f.value) for f in facts
             if f.kind in ("date", "time", "text")]
    return ", ".join(parts[:2])


def _join_date_and_time(out: list[Fact], start: int) -> None:
    """``date`` and ``start_time`` of one object are one moment: keep the date, give it the time."""
    dates = [i for i in range(start, len(out)) if out[i].kind == "date" and out[i].time is None]
    times = [i for i in range(start, len(out)) if out[i].kind == "time"]
    if len(dates) != 1 or len(times) != 1:
        return
    d, t = out[dates[0]], out[times[0]]
    related = (set(d.words) & DATE_WORDS or len(d.words) == 1) and (
        set(t.words) & {"time", "start", "starts", "at"} or set(d.words[:-1]) & set(t.words))
    if related:
        out[dates[0]] = replace(d, time=t.value)
        del out[times[0]]
