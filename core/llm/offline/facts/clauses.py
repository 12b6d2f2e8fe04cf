"""One fact as a clause a person would say.

A clause is either a PREDICATE about the thing the caller asked about ("is shipped", "should be
delivered by November 28, 2026", "was ordered on November 20, 2026", "is not in stock"), said after
its subject ("Order ORD-10042 ..."), or a STATEMENT with its own subject ("the carrier is UPS",
"the card is blocked", "there are 7 units"). The form comes from the field's name read as a phrase
(``grammar``): a participle is something that happened, an adjective a state, an event noun with
"estimated" or "expected" something that should happen, a plural noun a count.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import grammar, speech
from .fields import Fact

#: trailing words of a date field's name that only say it holds a date ("ordered_on", "due_date")
MARKERS = frozenset({"on", "at", "date", "time", "day", "dt", "ts", "timestamp", "datetime", "for", "by", "until",
                     "from", "when", "since"})
PREPS = ("for", "by", "until", "from", "on", "at", "since")
#: how a value that is a span of time starts ("within 2 hours"), or what one says before it ("1 business day")
RELATIVE = ("within", "in", "by", "before", "after", "around", "about", "between", "under", "less", "up")
_SPAN_RE = re.compile(r"^(?:\d+|an?|one|two|three|few)\b.*\b(?:minutes?|hours?|days?|weeks?|months?)\b", re.I)
#: words that make an event one that should still happen ("estimated_delivery", "expected_arrival")
EXPECTED = frozenset({"estimated", "expected", "projected", "anticipated", "planned", "promised", "target", "est"})
ORDINALS = frozenset({"first", "next", "earliest", "soonest", "last", "latest", "new", "previous", "current",
                      "original", "final"})
MEASURES = frozenset({"quantity", "qty", "count", "number", "total", "amount", "num"})
ID_WORDS = frozenset({"ID", "id", "number", "code", "reference", "ref", "no", "SKU", "key", "pin", "PNR"})
STATUS_WORDS = frozenset({"status", "state"})
NOTE_WORDS = frozenset({"message", "note", "notes", "detail", "details", "summary", "comment", "explanation"})


@dataclass(frozen=True)
class Clause:
    text: str
    predicate: bool  # said after the subject ("is shipped"); else a statement ("the carrier is UPS")
    fact: Fact


def _the(words: tuple[str, ...] | list[str]) -> str:
    return "the " + " ".join(words)


def _be(words: tuple[str, ...] | list[str]) -> str:
    return "are" if words and grammar.is_plural(words[-1]) else "is"


def label_words(fact: Fact) -> tuple[str, ...]:
    """The field's name with the name of the object it sits in ("adjuster" + "name")."""
    return tuple(w for w in fact.owner if w not in ("details", "info", "data")) + fact.words


def clause(fact: Fact, today: dt.date, subject: bool = True) -> Clause:
    """The fact as a clause; without a ``subject`` to say it after, a date is a statement of its own
    ("the due date is ...", not "it will be due on ...")."""
    text, predicate = _say(fact, label_words(fact), today)
    if predicate and not subject and fact.kind in ("date", "time"):
        words = label_words(fact)
        timed = {w.lower() for w in words} & {"date", "time", "day", "when"}
        said = speech.when(fact.date, fact.time) if fact.date else str(fact.value)
        text, predicate = f"{_the(words + (() if timed else ('date' if fact.date else 'time',)))} is {said}", False
    return Clause(text, predicate, fact)


def _say(fact: Fact, words: tuple[str, ...], today: dt.date) -> tuple[str, bool]:
    if fact.kind == "bool":
        return _boolean(words, bool(fact.value))
    if fact.kind in ("date", "time"):
        return _moment(fact, words, today)
    if fact.kind == "amount":
        return f"{_the(words)} {_be(words)} {speech.money(fact.value, fact.currency)}", False
    if fact.kind == "number":
        return _number(fact, words)
    if fact.kind in ("list", "items"):
        return _listed(fact, words), False
    return _text(fact, words)


def _boolean(words: tuple[str, ...], value: bool) -> tuple[str, bool]:
    first, rest = words[0].lower(), " ".join(words[1:])
    if first in ("is", "are", "was") and rest:
        return f"is {'' if value else 'not '}{rest}", True
    if first in ("has", "have") and rest:
        return (f"has {rest}" if value else f"doesn't have {rest}"), True
    if first in ("can", "should", "will", "must") and rest:
        return (f"{first} {rest}" if value else f"{first}{'not' if first == 'can' else ' not'} {rest}"), True
    phrase = " ".join(words)
    if first in grammar.PREPOSITIONS and rest:
        return f"is {'' if value else 'not '}{phrase}", True
    if len(words) > 1 and words[1].lower() in grammar.PREPOSITIONS and (
            grammar.is_adjective(first) or grammar.is_participle(first)):  # "ready_for_pickup"
        return f"is {'' if value else 'not '}{phrase}", True
    last = words[-1].lower()
    if grammar.is_participle(last) or grammar.is_adjective(last):
        if len(words) == 1:
            return f"is {'' if value else 'not '}{last}", True
        return f"{_the(words[:-1])} {_be(words[:-1])} {'' if value else 'not '}{last}", False
    if len(words) == 1 and grammar.is_noun(last):  # "outage": there is one, or none
        return (f"there's {'an' if last[0] in 'aeiou' else 'a'} {last}" if value else f"there's no {last}"), False
    return f"{phrase} is {'on' if value else 'off'}", False


def _core(words: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """A date field's name without its date words, and the preposition it ends with:
    ("scheduled", "for") -> (("scheduled",), "for"); ("due", "date") -> (("due",), None)."""
    prep = None
    core = list(words)
    while core and core[-1].lower() in MARKERS:
        word = core.pop().lower()
        if prep is None and word in PREPS:
            prep = word
    return tuple(core), prep


def _moment(fact: Fact, words: tuple[str, ...], today: dt.date) -> tuple[str, bool]:
    if fact.date is not None:
        moment, at = speech.when(fact.date, fact.time), "on"
        future = fact.date >= today
    else:
        moment, at, future = str(fact.value), "at", True
    core, prep = _core(words)
    if relative(moment):  # "within 2 hours" says its own preposition
        at, prep = "", None
    lowered = [w.lower() for w in core]
    for i, w in enumerate(lowered):  # "eta" is an estimated arrival
        if w in grammar.ABBREVIATIONS:
            lowered[i:i + 1] = list(grammar.ABBREVIATIONS[w])
    if not lowered:
        return f"{'is' if future else 'was'} {at} {moment}".replace("  ", " "), True
    head = lowered[-1]
    if prep == "since":  # "customer_since": has been a customer since ...
        noun = grammar.is_noun(head) or not grammar.is_adjective(head)
        return f"has been {grammar.article(lowered[0]) + ' ' if noun else ''}{' '.join(lowered)} since {moment}", True
    owner = lowered[:-1]
    expected = [i for i, w in enumerate(lowered) if w in EXPECTED]
    if expected and expected[-1] < len(lowered) - 1:
        verb = grammar.event_verb(head)
        if verb is not None:
            return _event(verb, lowered[: expected[-1]], moment, at, future, "by")
    if grammar.is_participle(head) and not set(owner) & ORDINALS:
        if prep == "for" or (future and fact.date != today):
            text = f"is {head} {prep or ('for' if fact.date else at)} {moment}"
        else:
            text = f"was {head} {at} {moment}"
        return _owned(owner, text.replace("  ", " "))
    if grammar.is_third_person(head) and not owner[:1] == ["next"]:
        lemma = grammar.verb_lemma(head) or head
        verb = head if future else grammar.participle(lemma)
        return _owned(owner, f"{verb} {prep or at} {moment}", plain=True)
    if grammar.is_adjective(head) and head not in grammar.PREPOSITIONS:
        if set(owner) & ORDINALS:  # "first_available": the first available date is ...
            return f"{_the(core)} {'date' if fact.date else 'time'} is {moment}", False
        return _owned(owner, f"{'will be' if future else 'was'} {head} {prep or at} {moment}".replace("  ", " "))
    if grammar.is_base_verb(head) and not owner:
        return _event(head, [], moment, at, future, prep or "by")
    timed = any(w in ("date", "time", "day", "datetime", "timestamp") for w in (x.lower() for x in words))
    if timed:
        return f"{_the(words)} is {moment}", False
    if fact.date is None and "-" not in moment:  # "new_departure": the new departure time is 16:40
        return f"{_the(core)} time is {moment}", False
    if fact.date is None:
        return f"{_the(core)} is {moment}", False
    return f"{_the(core)} {'is' if future else 'was'} {at} {moment}", False


def relative(moment: str) -> bool:
    """A moment said relative to now ("within 2 hours", "in 5 days")."""
    return moment.split(" ", 1)[0].lower() in RELATIVE and any(c.isdigit() for c in moment) or bool(
        _SPAN_RE.match(moment)) and moment.split(" ", 1)[0].lower() in RELATIVE


def _event(verb: str, owner: list[str], moment: str, at: str, future: bool, prep: str) -> tuple[str, bool]:
    """Something that should happen: "should be delivered by ...", "the crew should arrive within 2 hours"."""
    if relative(moment):
        prep = ""  # "within 2 hours" says its own preposition
    elif at == "at":
        prep = "at"
    passive = grammar.transitive(verb)
    done = grammar.participle(verb)
    if future:
        text = f"should be {done}" if passive else f"should {verb}"
    else:
        text = f"was due to be {done}" if passive else f"was due to {verb}"
    return _owned(owner, f"{text} {prep} {moment}".replace("  ", " "), plain=True)


def _owned(owner: list[str] | tuple[str, ...], text: str, plain: bool = False) -> tuple[str, bool]:
    """A predicate, or with the name of what it is about ("replacement arrives"), a statement."""
    if not owner:
        return text, True
    verb = text.split(" ", 1)
    if plain or verb[0] not in ("is", "was"):
        return f"{_the(owner)} {text}", False
    return f"{_the(owner)} {'are' if grammar.is_plural(owner[-1]) and verb[0] == 'is' else verb[0]} {verb[1]}", False


def _number(fact: Fact, words: tuple[str, ...]) -> tuple[str, bool]:
    value = fact.value
    said = speech.number(value) + (f" {fact.unit}" if fact.unit and fact.unit != "%" else fact.unit or "")
    lowered = [w.lower() for w in words]
    if lowered and grammar.is_third_person(lowered[0]):
        return f"{' '.join(lowered)} {said}", True
    last = lowered[-1]
    if fact.unit is None and len(lowered) >= 2 and (grammar.is_adjective(last) or grammar.is_participle(last)) \
            and lowered[0] in MEASURES | {"units", "seats", "items"}:
        noun = " ".join(lowered[:-1]) if lowered[0] not in MEASURES else ""
        if value == 0:
            return (f"there are no {noun} {last}" if noun else f"none are {last}"), False
        noun = (grammar.singular(noun) if value == 1 else noun) + " " if noun else ""
        return f"there {'is' if value == 1 else 'are'} {said} {noun}{last}", False
    if fact.unit is None and isinstance(value, int) and grammar.is_plural(last) and last not in ("status",):
        noun = " ".join(lowered)
        if value == 0:
            return f"there are no {noun}", False
        if value == 1:
            return f"there is 1 {' '.join(lowered[:-1] + [grammar.singular(last)])}", False
        return f"there are {said} {noun}", False
    return f"{_the(words)} is {said}", False


def _listed(fact: Fact, words: tuple[str, ...]) -> str:
    shown = list(fact.value)
    last = words[-1]
    if not shown:
        if fact.count == 1:
            return f"there is 1 {' '.join(words[:-1] + (grammar.singular(last),))}"
        return f"there are {fact.count} {' '.join(words[:-1] + (grammar.plural(last),))}"
    if fact.count == 1:
        return f"{_the(words[:-1] + (grammar.singular(last),))} is {shown[0]}"
    more = fact.count - len(shown)
    shown = shown + ([f"{more} more"] if more > 0 else [])
    return f"{_the(words[:-1] + (grammar.plural(last),))} are {speech.join(shown)}"


def _text(fact: Fact, words: tuple[str, ...]) -> tuple[str, bool]:
    value = speech.text(fact.value)
    head = words[-1].lower()
    lowered = [w.lower() for w in words]
    if set(lowered) & (EXPECTED | {"eta"}) and (relative(value) or _SPAN_RE.match(value)):
        span = value if relative(value) else "within " + value
        for i, w in enumerate(lowered):
            if w in grammar.ABBREVIATIONS and i:  # "crew_eta": the crew should arrive within 2 hours
                return _event(grammar.event_verb(grammar.ABBREVIATIONS[w][1]) or "arrive", lowered[:i], span, "", True, "")
        return f"{_the(words)} is {span}", False
    if head in STATUS_WORDS:
        if len(words) == 1:
            return f"is {value}", True
        return f"{_the(words[:-1])} {_be(words[:-1])} {value}", False
    if head in ("name", "title") and len(words) > 1:
        return f"{_the(words[:-1])} is {value}", False
    if head in NOTE_WORDS and len(value.split()) >= 3:
        value = value.rstrip(" .!")
        return (value[0].lower() + value[1:] if value[1:2].islower() else value), False
    done = next((i for i, w in enumerate(words) if i and grammar.is_participle(w.lower())), None)
    if done is not None and len(words) - done <= 2:  # "label_sent_to": "the label was sent to ..."
        return f"{_the(words[:done])} was {' '.join(words[done:])} {value}", False
    if fact.kind == "code" and not set(words) & ID_WORDS and len(value) > 4:  # not "the gate number is B12"
        words = words + ("number",)
    return f"{_the(words)} {_be(words)} {value}", False
