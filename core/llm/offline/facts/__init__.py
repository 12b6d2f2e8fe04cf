"""What a caller hears about a successful call: the facts of the response that answer the question,
in one or two sentences, the answer first.

``fields`` reads the body into facts (values typed: dates, amounts with their currency, counts,
yes/no, lists told by their items' names), ``relevance`` picks the ones that answer what the caller
asked and what the tool is for, ``clauses`` says each one the way a person would, and ``answer``
puts them after a subject ("Order ORD-10042 is shipped and should be delivered by November 28,
2026.") or after what was done ("I've booked the flight: the confirmation number is K7Q2PZ ...").
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..tools import _VERBS as ACTION_VERBS, humanize
from ..words import stem, words
from . import grammar, relevance, speech
from .clauses import EXPECTED, ID_WORDS, STATUS_WORDS, Clause, clause
from .fields import Fact, read

PER_SENTENCE = 2
#: verbs of a tool's name that look something up: the reply tells what was found, not what was done
LOOKUP_VERBS = frozenset("""check look lookup get find fetch track verify list search show view tell read query
retrieve see lookup health status""".split())
_IT_IS_RE = re.compile(r"\b([Ii]t) is\b")


def answer(body: Any, *, request: str, description: str, tool_name: str, key: tuple[str, str] | None,
           echoes: set[str], today: dt.date, picked: bool = False, given: tuple[str, ...] = ()) -> str:
    """The reply to a successful call whose response body is ``body`` (a dict or list).

    ``key`` is the (label, value) of the argument that names what was asked about ("order number",
    "ORD-10042"); ``echoes`` the lowercased values the caller gave and ``given`` the labels of the
    arguments they gave them for (in "my email is ann@x.com", "email" gives a value, it asks for none);
    ``picked``: the body holds only the fields the action's ``result.pick`` chose."""
    facts, context = read(body)
    lead = _lead(tool_name)
    key_value = key[1].lower() if key else None
    facts = [f for f in facts if key_value is None or str(f.value).lower() != key_value]
    if lead and any(f.head.lower() in STATUS_WORDS and relevance.is_negative(f.value) for f in facts):
        lead = None  # "status": "failed": nothing was done
    subject, proper, facts = _subject(facts, key, context or _status_of(tool_name), person=_about_people(tool_name),
                                      named=lead is None)
    facts = [f for f in facts if not (lead and _says_done(f, lead))]
    if not facts:
        return (lead + "." if lead else f"I looked up {subject[0].lower() + subject[1:] if subject != 'It' else 'that'}, "
                "but there are no details to share.")
    naming = tuple(w for label in ((key[0],) if key else ()) + given for w in words(label))
    described = {stem(w) for w in words(description)} - {stem(w) for w in naming}
    q = relevance.question(request, naming)
    total, asked = relevance.scores(facts, q, described, lead is not None, echoes, today, picked)
    facts, total, asked = _fold_status(facts, total, asked)
    # a pointed question ("how much", "when") gets its answer and one more fact; an open one
    # ("where is my order?") or a request that was carried out gets what the description names too
    chosen = _unsaid(relevance.choose(facts, total, asked, fill=2 if q.wants and not lead else 3))
    clauses = [clause(f, today, subject=bool(lead) or subject != "It" or i > 0) for i, f in enumerate(chosen)]
    first, second = clauses[:PER_SENTENCE], clauses[PER_SENTENCE:]
    if any(c.predicate for c in first):  # more about the same subject joins it: "... and it's confirmed for ..."
        first += [c for c in second if c.predicate][:1]
        second = [c for c in second if c not in first]
    if lead:
        text = lead + (": " + _sentence(first, "it") if first else "") + "."
    elif proper and not any(c.predicate for c in first):  # "I found Grace Hopper: the account is active ..."
        text = f"I found {_mid(subject)}: {_sentence(first, subject)}."
    else:
        text = speech.capital(_sentence(first, subject)) + "."
    if second:
        text += " " + speech.capital(_sentence(second, "it")) + "."
    return _IT_IS_RE.sub(r"\1's", text)


def _lead(tool_name: str) -> str | None:
    """What was done, for a tool that does something: "I've booked the flight"; None for a look-up."""
    names = humanize(tool_name).split()
    if len(names) < 2 or names[0].lower() in LOOKUP_VERBS or any(w.lower() in LOOKUP_VERBS for w in names[1:2]):
        return None
    verb = names[0].lower()
    if verb not in ACTION_VERBS and not (grammar.verb_lemma(verb) == verb and not grammar.is_noun(verb)):
        return None  # "demo_api_health_check" demos nothing
    return f"I've {grammar.participle(verb)} the {' '.join(names[1:])}"


def _says_done(fact: Fact, lead: str) -> bool:
    """A field that only repeats what the lead says ("status": "booked" after "I've booked ...")."""
    done = lead.split()[1]
    if fact.kind == "bool" and fact.value is True and fact.head.lower() == done:
        return True
    return fact.head.lower() in STATUS_WORDS and str(fact.value).lower() == done


def _status_of(tool_name: str) -> tuple[str, ...]:
    """What a status tool is about: "check_service_status" -> ("service",)."""
    names = humanize(tool_name).split()
    if len(names) >= 3 and names[-1].lower() in STATUS_WORDS and names[0].lower() in LOOKUP_VERBS:
        return tuple(names[1:-1])
    return ()


def _about_people(tool_name: str) -> bool:
    return any(grammar.is_person(w) for w in humanize(tool_name).split() if len(w) > 2)


def _subject(facts: list[Fact], key: tuple[str, str] | None, context: tuple[str, ...], person: bool,
             named: bool) -> tuple[str, bool, list[Fact]]:
    """Who or what the predicates are about, whether that is a name from the body, and the other facts:
    the record's name ("The USB-C Dock", "Ada Lovelace"; a ``customer_name`` or ``customer.name`` of a
    tool about people too, but not a name in another nested record, the claim's adjuster's), else what
    the caller named ("Order ORD-10042"), else the wrapping key ("The order"), else "It"."""
    if named:
        for i, fact in enumerate(facts):
            path = tuple(w.lower() for w in fact.owner + fact.words)
            main = not fact.owner or (person and grammar.is_person(path[0])) or path[0] in context
            if fact.kind == "text" and main and path[-1:] in (("name",), ("title",)) and len(path) <= 2 \
                    and (len(path) == 1 or grammar.is_person(path[0]) or path[0] in context):
                name = speech.text(fact.value)
                people = person or (len(path) == 2 and grammar.is_person(path[0]))
                product = any(c.isdigit() or c == "-" for c in name) or not people
                return ("The " + name if product and not name.lower().startswith("the ") else name), True, \
                    facts[:i] + facts[i + 1:]
    if key is not None:
        ids = {x.lower() for x in ID_WORDS}
        label = [w for w in key[0].split() if w.lower() not in ids]
        if 0 < len(label) <= 2 and len(label[0]) > 2 and grammar.is_noun(label[0].lower()):
            return f"{speech.capital(' '.join(label))} {key[1]}", False, facts
        return key[1], False, facts
    if context:
        return "The " + " ".join(context), False, facts
    return "It", False, facts


def _fold_status(facts: list[Fact], total: list[float], asked: list[float]
                 ) -> tuple[list[Fact], list[float], list[float]]:
    """"status": "delivered" with "delivered_on": the date says both ("was delivered on November 3")."""
    for i, fact in enumerate(facts):
        if fact.head.lower() not in STATUS_WORDS or fact.owner or len(fact.words) != 1:
            continue
        value = str(fact.value).lower()
        for j, other in enumerate(facts):
            if other.kind in ("date", "time") and value in (w.lower() for w in other.words):
                total[j], asked[j] = max(total[j], total[i]), max(asked[j], asked[i])
                drop = slice(i, i + 1)
                return [f for k, f in enumerate(facts) if k != i], \
                    total[:drop.start] + total[drop.stop:], asked[:drop.start] + asked[drop.stop:]
    return facts, total, asked


def _unsaid(chosen: list[Fact]) -> list[Fact]:
    """Leave out what another chosen fact already says: a zero count after a "no" ("not in stock",
    "quantity_available": 0), an estimate of what has happened ("estimated_delivery" once "delivered_on")."""
    out = []
    moments = {speech.when(f.date, f.time) for f in chosen if f.date is not None}
    for fact in chosen:
        if fact.kind == "number" and fact.value == 0 and any(f.kind == "bool" and f.value is False for f in chosen):
            continue
        if fact.kind == "items" and fact.value and fact.value[0] in moments:  # the first slot, said already
            continue
        if fact.kind in ("date", "time") and set(w.lower() for w in fact.words) & EXPECTED:
            verb = grammar.event_verb(fact.head.lower())
            if verb and any(grammar.is_participle(w.lower()) and grammar.verb_lemma(w.lower()) == verb
                            for f in chosen if f is not fact and f.kind in ("date", "time") for w in f.words):
                continue
        out.append(fact)
    return out


def _sentence(clauses: list[Clause], subject: str) -> str:
    """The clauses in their order, the predicates together after the subject: "Order ORD-10042 is
    shipped and should be delivered by ...; the carrier is UPS"; a status and a bare date as one
    ("is confirmed for December 3, 2026 at 09:00")."""
    predicates = [c.text for c in clauses if c.predicate]
    state = next((p for p in predicates if p.startswith("is ") and not p.startswith(("is on ", "is not "))), None)
    when = next((p for p in predicates if p.startswith("is on ")), None)
    if state and when:
        predicates = [f"{state} for {when[6:]}" if p == state else p for p in predicates if p != when]
    parts: list[str] = []
    placed = False
    for c in clauses:
        if not c.predicate:
            parts.append(c.text)
        elif not placed:
            parts.append(f"{subject if not parts else _mid(subject)} {speech.join(predicates)}")
            placed = True
    if len(parts) > 1 and len(predicates) > 1:
        return "; ".join(parts)
    return speech.join(parts)


def _mid(subject: str) -> str:
    """A subject inside a sentence: "the USB-C Dock", "order ORD-10042"; names and codes as they are."""
    first, _, rest = subject.partition(" ")
    if first == "It":
        return "it"
    if rest and first[1:].islower() and (first in ("The", "It") or not rest[:1].isupper() or _code(rest)):
        return first.lower() + " " + rest
    return subject


def _code(text: str) -> bool:
    return any(c.isdigit() for c in text) and " " not in text
