"""Which facts answer what the caller asked.

A fact counts for the question when its name says a word the caller said, a word that contains it
("restock" for "in stock"), or a word close in meaning (WordNet, ``lexicon``); when it is the kind of
value the question asks for ("when" wants a date, "how much" an amount, "how many" a count, "is it
...?" a yes or no), in the tense asked ("when will it arrive" wants what is still to come); and when
the tool's description names it (what the developer says the action is for). A negative answer
("not in stock") brings the date things change ("restock_date"); a status brings the fields it
explains ("delivered" -> ``delivered_on``, "cancelled" -> ``cancel_reason``). Identifiers other than
the one just created, metadata and echoes of what the caller said count against a fact.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .. import lexicon
from ..recognisers.emails import EMAIL_RE
from ..words import INTENTS, STOPWORDS, stem, words
from . import grammar, speech
from .clauses import EXPECTED, ID_WORDS, MARKERS, STATUS_WORDS, label_words
from .fields import MONEY, Fact

SAID, IMPLIED, CONTAINED, DESCRIBED = 3.0, 2.0, 2.0, 1.5
KIND, TENSE, FOLLOW_UP = 4.0, 1.5, 3.0
PICKED = 1.5  # a field the developer picked for the model is worth saying
ENOUGH = 1.5  # a fact is worth saying from this score
ASKED = 2.0  # ... and asked for from this much of it coming from the question
MAX_CHOSEN = 4
CLOSE = 0.6

_WHEN_RE = re.compile(r"\bwhen\b|\bwhat\s+(?:time|day|date)\b|\bhow\s+(?:long|soon)\b|\buntil\b|\bwhich\s+day\b"
                      r"|\bwhat\s+\w+\s+(?:time|day|date)\b|\bschedul", re.I)
_AMOUNT_RE = re.compile(r"\bhow\s+much\b|\$|\b(?:owe|owed|cost|costs|pay|paid|spend|spent|charged?|worth)\b", re.I)
_HOW_MUCH_RE = re.compile(r"\bhow\s+much\s+([a-z]+)", re.I)
_MONEY_STEMS = frozenset(stem(m) for m in MONEY)
_COUNT_RE = re.compile(r"\bhow\s+many\b|\bnumber\s+of\b", re.I)
_CONTENTS_RE = re.compile(r"\bwhat(?:'s|\s+is|\s+was|\s+were|\s+are)?\s+in\b|\bcontain|\binclud|\binside\b"
                          r"|\bwhat\s+did\s+(?:i|we)\s+(?:order|buy|get|book)\b", re.I)
_YES_NO_RE = re.compile(r"^\W*(?:is|are|am|was|were|do|does|did|can|could|will|would|has|have|should)\b", re.I)
_FUTURE_RE = re.compile(r"\bwill\b|'ll\b|\bgoing\s+to\b|\bgonna\b|\barriv|\bexpect|\bsoon\b|\bnext\b|\bback\b"
                        r"|\bready\b|\bget\s+(?:here|there|it)\b|\bcome\b|\bcoming\b", re.I)
_PAST_RE = re.compile(r"\bdid\b|\bwas\b|\bwere\b|\balready\b|\bago\b|\blast\b|\bhave\s+(?:i|you|we)\b", re.I)
#: what metadata is called: the caller never needs it
_TECHNICAL = frozenset("""ms took latency source version request trace debug internal hash etag raw meta metadata
url link href call calls attempt attempts api endpoint schema timestamp""".split())
#: dates of the record itself, not of what the caller asked about
_RECORD_KEEPING = frozenset({"created", "updated", "modified", "generated", "inserted", "synced", "last"})
_WHY = frozenset({"reason", "cause", "error", "message", "detail", "explanation"})
_WORDY_RE = re.compile(r"[A-Za-z]+(?:[ _-][A-Za-z]+){0,2}")  # a value that is a few words ("on_time", "delayed")
_NEGATIVE = re.compile(r"\b(?:fail\w*|error|declin\w*|reject\w*|denied|refus\w*|invalid|unsuccessful|not\s+found)\b", re.I)


@dataclass(frozen=True)
class Question:
    stems: dict[str, float]  # stem -> how strongly the caller said it
    said: tuple[str, ...]  # the caller's words
    wants: frozenset[str]  # moment | amount | count | yesno
    tense: str | None  # future | past


def question(text: str, naming: tuple[str, ...] = ()) -> Question:
    """What the caller asked; ``naming`` are the words that only name the thing asked about ("order" in
    "where is my order ORD-10042?"): they say which record, not which of its fields."""
    named = {stem(w) for w in naming}
    said = tuple(w for w in words(text) if stem(w) not in named)
    stems = {stem(w): SAID for w in said}
    wants = set()
    if _WHEN_RE.search(text):
        wants.add("moment")
    measured = _HOW_MUCH_RE.search(text)  # "how much data": the data, not money
    if measured and measured.group(1).lower() not in STOPWORDS and stem(measured.group(1).lower()) not in _MONEY_STEMS:
        wants.add("count")
    elif _AMOUNT_RE.search(text) or any(stem(w) in _MONEY_STEMS for w in said):
        wants.add("amount")
    if _COUNT_RE.search(text):
        wants.add("count")
    if _YES_NO_RE.search(text):
        wants.add("yesno")
    if _CONTENTS_RE.search(text):
        wants.add("contents")
    for pattern, intent in INTENTS:  # "where is" asks for status, tracking, delivery
        if pattern.search(text) and not wants & {"amount", "count"}:
            for s in intent:
                stems.setdefault(s, IMPLIED)
    tense = "future" if _FUTURE_RE.search(text) else "past" if _PAST_RE.search(text) else None
    return Question(stems, said, frozenset(wants), tense)


def is_negative(value: object) -> bool:
    """A status that says it did not work ("failed", "declined"): no "I've booked it" then."""
    return isinstance(value, str) and bool(_NEGATIVE.search(value.replace("_", " ")))


def _matched(word: str, q: Question) -> float:
    key = stem(word)
    if key in q.stems:
        return q.stems[key]
    if len(word) >= 4 and any(len(s) >= 4 and (s in word or word in s) for s in q.said):
        return CONTAINED
    best = max((lexicon.closeness(word, s) for s in q.said if len(s) >= 3), default=0.0)
    return IMPLIED * best if best >= CLOSE else 0.0


def expected(fact: Fact, today: dt.date) -> bool:
    """A fact about something still to come ("estimated_delivery", "crew_eta", "next_bill", a future date)."""
    names = {w.lower() for w in fact.words}
    if fact.kind not in ("date", "time"):
        return fact.kind == "text" and bool(names & (EXPECTED | {"eta"}))
    if fact.date is None and speech.SPAN_RE.fullmatch(str(fact.value)):
        return True
    if fact.date is not None and fact.date < today:
        return False  # an estimate that has passed is no longer what happens next
    return bool(names & (EXPECTED | {"eta", "next", "new"})) or (fact.date is not None and fact.date > today)


def _kind_score(fact: Fact, q: Question, today: dt.date) -> float:
    score = 0.0
    if "moment" in q.wants and fact.kind in ("date", "time"):
        future = expected(fact, today)
        score += KIND if q.tense is None or (q.tense == "future") == future else KIND / 4
    if "amount" in q.wants and fact.kind == "amount":
        score += KIND
    if "count" in q.wants and (fact.kind == "number" or fact.kind == "items"):
        score += KIND
    if "contents" in q.wants and fact.kind in ("items", "list"):
        score += KIND
    if "yesno" in q.wants and fact.kind == "bool":
        score += 1.0
    if q.wants - {"moment"}:
        return score  # "how much did it cost" asks for the amount, "is it ready?" for a yes or no, whatever the tense
    if q.tense == "future" and expected(fact, today):
        score += TENSE
    if q.tense == "past" and fact.kind == "date" and fact.date is not None and fact.date <= today:
        score += TENSE
    return score


def _prior(fact: Fact, names: list[str], q: Question, creating: bool, first_id: bool, echoed: bool,
           today: dt.date) -> float:
    """What a fact is worth whatever was asked: a status most ("is my flight on time?" is answered by
    it), what a done request costs, not identifiers, metadata or echoes."""
    score = {"bool": 0.5, "date": 0.3, "time": 0.3, "amount": 0.3}.get(fact.kind, 0.0)
    if creating and fact.kind in ("amount", "date", "time"):  # what it costs and when it happens
        score += 1.2
    if expected(fact, dt.date.min if creating else today):  # what happens next
        score += 1.5
    if names[-1:] and names[-1] in STATUS_WORDS and not fact.owner:
        score += 3.5 if "yesno" in q.wants else 1.5
    if fact.kind == "code" or (names and names[-1] in {w.lower() for w in ID_WORDS}):
        score += 2.5 if creating and first_id else -1.0
    if set(names) & _TECHNICAL or (fact.kind == "date" and set(names) & _RECORD_KEEPING):
        score -= 2.0
    if fact.kind in ("text", "code") and (len(str(fact.value)) > 60 or EMAIL_RE.fullmatch(str(fact.value))):
        score -= 1.0  # long text, or an address that is tedious to hear
    if echoed and fact.kind not in ("date", "time"):
        score -= 2.0
    return score


def scores(facts: list[Fact], q: Question, described: set[str], creating: bool, echoes: set[str],
           today: dt.date, picked: bool = False) -> tuple[list[float], list[float]]:
    """How well each fact answers the question ``q`` (``described``: the stems of the tool's description;
    ``picked``: the developer chose these fields with ``result.pick``): the whole score, and the part of
    it that comes from what the caller asked."""
    first_id = next((i for i, f in enumerate(facts) if f.kind == "code" and str(f.value).lower() not in echoes), None)
    total, asked = [], []
    for i, fact in enumerate(facts):
        names = [w.lower() for w in words(" ".join(label_words(fact)))]
        mine = sum(_matched(w, q) for w in names if w not in MARKERS)
        echoed = str(fact.value).lower() in echoes
        if fact.kind == "text" and not echoed and _WORDY_RE.fullmatch(str(fact.value)):  # "is it delayed?": "delayed"
            mine += sum(_matched(w, q) for w in words(fact.value)) / 2
        mine += _kind_score(fact, q, today)
        score = mine + min(DESCRIBED * sum(stem(w) in described for w in names), 2 * DESCRIBED)
        score += _prior(fact, names, q, creating, i == first_id, echoed, today) + (PICKED if picked else 0.0)
        total.append(score)
        asked.append(mine)
    _follow_ups(facts, total, asked, today)
    return total, asked


def _follow_ups(facts: list[Fact], total: list[float], asked: list[float], today: dt.date) -> None:
    """An asked-for "no" brings when it changes; the status brings the fields that explain it."""
    for i, fact in enumerate(facts):
        extra = [0.0] * len(facts)
        if asked[i] >= ASKED and (
                (fact.kind == "bool" and fact.value is False) or (fact.kind == "number" and fact.value == 0)):
            mine = {stem(w) for w in words(fact.label)}
            for j, other in enumerate(facts):
                if j != i and expected(other, today):
                    near = any(m in stem(w) or stem(w) in m for w in words(other.label) for m in mine if len(m) >= 4)
                    extra[j] = FOLLOW_UP if near else FOLLOW_UP / 2
        if fact.kind == "text" and fact.head.lower() in STATUS_WORDS and not fact.owner and isinstance(fact.value, str):
            told = {stem(w) for w in words(fact.value)} | {stem(grammar.verb_lemma(w) or w) for w in words(fact.value)}
            if is_negative(fact.value):  # "declined": say why
                told |= _WHY
            for j, other in enumerate(facts):
                if j != i and {stem(w) for w in words(other.label)} & told:
                    extra[j] = IMPLIED
        for j, more in enumerate(extra):  # worth saying with what it explains, right after it
            if more and total[j] < total[i]:
                total[j] = max(min(total[j] + more, total[i] - 0.01), ENOUGH)
                asked[j] = max(asked[j], min(asked[i], ASKED))


def choose(facts: list[Fact], total: list[float], asked: list[float], fill: int = 2) -> list[Fact]:
    """The facts worth saying, the answer first: those the question asks for (up to MAX_CHOSEN), then,
    to make ``fill`` facts, the best of the others worth saying (what the description names, a new ID)."""
    ranked = sorted(range(len(facts)), key=lambda i: (-total[i], i))
    chosen = [i for i in ranked if asked[i] >= ASKED and total[i] >= ENOUGH][:MAX_CHOSEN]
    chosen += [i for i in ranked if i not in chosen and total[i] >= ENOUGH][:max(fill - len(chosen), 0)]
    chosen = sorted(chosen, key=lambda i: (-asked[i], -total[i], i)) or ranked[:1]
    return [facts[i] for i in chosen]
