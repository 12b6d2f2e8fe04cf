"""Choosing the action from what a model sees: the tool's name, description and parameters.

A message scores for each tool by its words (name words count most, then the description's, then the
parameters'; words many tools share count less), by words related in meaning through WordNet
(``lexicon``: a GP is a doctor, "fixing" is a repair), by phrases that mean more than their words
(``phrases``: "call it off", "money back" meets the definition of "refund"), by the caller's verb naming
what a tool does ("push my visit to Friday": push is a way to move, which is what the reschedule action
does), and by values shaped for a tool's parameters (an ``ORD-10042`` for an order number). Tools within
``NEAR_TIE`` of the best are settled by what the caller's verb says to do, then by their name, then by a
description that does not restrict them; when that still leaves two, the simulator asks which one is meant.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import lexicon, phrases
from .evidence import GLOSSED, UNBACKED, Index
from .filling import Text
from .recognisers import Found, scan
from .recognisers.codes import shaped_matches
from .recognisers.text import ADDRESS_RE, find_free_text
from .tools import Tool, ToolSet
from .words import INTENTS, stem, words

EXAMPLE_BONUS = 4.0      # a value in the text with the letters of a parameter's example (ORD-10042)
SHAPE_BONUS = 1.5        # ... with other letters in the same shape
DIGITS_BONUS = 1.0       # ... a digits-only example (a ZIP code): any such number matches
TYPED_BONUS = 0.75       # an email / phone number / street address in the text and such a parameter
DATE_BONUS = 0.5         # a date or a time in the text and such a parameter
#: the caller's verb says what a tool does (its ``actions``: "push" is a way to "move") when it is that verb
#: or a kind of it (``AGREES``); in full when the things the caller names fit the tool at least ``THING``
#: (exactly, or by meaning even where another tool has the word: "my visit" is a kind of appointment), else
#: in proportion
ACTION = 2.5
AGREES = lexicon.PARENT
THING = 0.25
NEAR_TIE = 0.1           # tools within 10% of the best score are tied: the best name match wins


@dataclass(frozen=True)
class Scores:
    """Per tool: ``score`` ranks the tools (a word only a name carries counts ``UNBACKED``), ``support`` is
    the part a description backs: a tool is called without asking first only when that reaches ``SUPPORT``.
    A value shaped for a variable ranks in full (it says which tool takes it, whatever the descriptions),
    but supports the call only when the variable is described. ``full`` counts everything in full."""

    score: list[float]
    support: list[float]
    full: list[float]

    def add(self, ti: int, weight: float, sure: bool, factor: float = 1.0, weak: float = UNBACKED) -> None:
        self.score[ti] += weight * factor * (1.0 if sure else weak)
        self.full[ti] += weight * factor
        if sure:
            self.support[ti] += weight * factor

    def plus(self, other: Scores, factor: float = 1.0) -> None:
        for mine, theirs in ((self.score, other.score), (self.support, other.support), (self.full, other.full)):
            for i, value in enumerate(theirs):
                mine[i] += factor * value


def empty(ts: ToolSet) -> Scores:
    n = len(ts.tools)
    return Scores([0.0] * n, [0.0] * n, [0.0] * n)


def word_scores(ts: ToolSet, text: str, index: Index, related: bool = True) -> Scores:
    """How well the words of ``text`` match each tool's words in ``index`` and, when ``related``: the words
    WordNet relates to them (a related word counts at most what the tool's word would), the phrases that
    mean more than their words (``phrases``: "call it off", "money back"; their own words count ``PART``),
    and the caller's verb naming what a tool does (``agreement``)."""
    scores = empty(ts)
    plain = words(text)
    stems = {stem(w) for w in plain}
    found = phrases.entries(text) if related else []
    found += phrases.definitions(text, ts.defined, stems, {p for ph in found for p in ph.parts}) if related else []
    part = {p for ph in found if ph.replaces for p in ph.parts}
    if not related:
        for tok in stems:
            for ti, w, sure in index.get(tok, ()):
                scores.add(ti, w, sure)
    else:  # per tool, each word counts as its best match: the tool's own word, or one related to it
        said = [(w, phrases.PART if stem(w) in part else 1.0) for w in dict.fromkeys(plain)]
        pos = phrases.parts_of_speech(text)
        things = empty(ts)  # what the words that are no verb give each tool: the things the caller names
        for word, factor in said + [(ph.entry, 1.0) for ph in found if ph.entry]:
            exact = [(ti, w * factor, sure) for ti, w, sure in index.get(stem(word), ())]
            _add_best(scores, exact or meant(ts, word, factor, part=pos.get(word, "")))
            if pos.get(word) != "verb" and "_" not in word:
                _add_best(things, exact + meant(ts, word, factor, loose=False, part=pos.get(word, "")))
        for ti, (close, sure) in agreement(ts, text, pos, found).items():  # "change when my appointment is"
            scores.add(ti, ACTION * close * min(1.0, things.score[ti] / THING), sure)
        for ph in found:
            if ph.defines:
                _add_best(scores, [(ti, w * phrases.DEFINED, sure) for ti, w, sure in index.get(ph.defines, ())])
    for pattern, intent in INTENTS:
        if pattern.search(text):
            _add_best(scores, [(ti, w * 0.5, sure) for word in intent if word not in stems
                               for ti, w, sure in index.get(word, ())])
    return scores


def agreement(ts: ToolSet, text: str, pos: dict[str, str] | None = None, found: list[phrases.Phrase] | None = None
              ) -> dict[int, tuple[float, bool]]:
    """Per tool, how closely a verb the caller uses (a word in a verb's place, or a phrasal verb: "push",
    "call off") names what the tool does (``Tool.actions``), when at least ``AGREES``; and whether a
    description says that action."""
    pos = phrases.parts_of_speech(text) if pos is None else pos
    found = phrases.entries(text) if found is None else found
    part = {p for ph in found if ph.replaces for p in ph.parts}
    verbs = [w for w, p in pos.items() if p == "verb" and stem(w) not in part]
    best: dict[int, tuple[float, bool]] = {}
    for word in verbs + [ph.entry for ph in found if ph.entry and ph.replaces]:
        for key, f in lexicon.concepts(word, gloss=False, side="caller", part="verb").items():
            for ti, near, sure in ts.acting.get(key, ()):
                if f * near >= AGREES and best.get(ti, (0.0, False))[0] < f * near:
                    best[ti] = (f * near, sure)
    return best


def meant(ts: ToolSet, word: str, factor: float = 1.0, loose: bool = True, part: str = ""
          ) -> list[tuple[int, float, bool]]:
    """The tools' words related in meaning to a caller's ``word`` (as ``part`` of speech, when known):
    (tool index, weight, backed). Through definitions ("money" is in the definition of "refund") only when
    ``loose``: whether the things a caller names fit a tool asks for closer kin."""
    out = []
    for key, f in lexicon.concepts(word, side="caller", part=part).items():
        if not loose and f <= lexicon.GLOSS:
            continue
        keys = (key, GLOSSED + key[2:]) if loose and key.startswith("w:") else (key,)
        out += [(ti, w * f * factor, sure) for k in keys for ti, w, sure in ts.related.get(k, ())]
    return out


def _add_best(scores: Scores, matches: list[tuple[int, float, bool]]) -> None:
    """Each tool's best match among ``matches`` (tool index, weight, backed), counted once."""
    best: dict[int, tuple[float, bool]] = {}
    for ti, w, sure in matches:
        if best.get(ti, (0.0, False))[0] < w:
            best[ti] = (w, sure)
    for ti, (w, sure) in best.items():
        scores.add(ti, w, sure)


def message_scores(ts: ToolSet, text: str, today: dt.date) -> Scores:
    cached = ts.score_cache.get(text)
    if cached is not None:
        return cached
    sc = scan(text, today)
    scores = word_scores(ts, _unlabelled(ts, _without(text, sc.emails)), ts.index)
    has_address = bool(ADDRESS_RE.search(text))
    for tool in ts.tools:
        for p in tool.params:
            if p.shape is not None:  # capitals alone are any acronym unless they are the example's
                found = shaped_matches(p.shape, text, loose=not p.shape.letters_only)
                if found:
                    scores.add(tool.index, DIGITS_BONUS if p.shape.digits_only
                               else EXAMPLE_BONUS if any(lit for *_, lit in found) else SHAPE_BONUS, bool(p.about), weak=1.0)
        for p in tool.params:  # each of its variables whose kind of value was said ("in Berlin" for a city)
            if (p.kind == "email" and sc.emails) or (p.kind == "phone" and sc.phones) or (
                    p.role == "address" and has_address) or (p.money and sc.amounts) or (
                    p.role == "place" and find_free_text(text, "place", p.cues)):
                scores.add(tool.index, TYPED_BONUS, bool(p.about), weak=1.0)
        for p in tool.params:
            if (p.kind == "date" and sc.dates) or (p.kind == "time" and sc.times):
                scores.add(tool.index, DATE_BONUS, bool(p.about), weak=1.0)
                break
    if len(ts.score_cache) > 512:
        ts.score_cache.clear()
    ts.score_cache[text] = scores
    return scores


def _without(text: str, values: tuple[Found, ...]) -> str:
    """The text with these values blanked out: the words in an email address say nothing about the request."""
    for f in values:
        text = text[: f.start] + " " * (f.end - f.start) + text[f.end:]
    return text


def _unlabelled(ts: ToolSet, text: str) -> str:
    """The text without the word that names a value right before it ("order SO-1", "flight UA482"):
    it says what the value is, not what to do with it."""
    spans = []
    for tool in ts.tools:
        for p in tool.params:
            if p.shape is not None and not p.shape.digits_only:
                spans += [(s, p.label_words) for _, s, _, _ in shaped_matches(p.shape, text, not p.shape.letters_only)]
    for start, label in sorted(spans, reverse=True):
        m = re.search(r"(\w+)\s+(?:(?:number|no|#|id)\s+)?$", text[:start])
        if m and stem(m.group(1).lower()) in {stem(w) for w in label}:
            text = text[: m.start()] + " " * (start - m.start()) + text[start:]
    return text


def tied_tools(ts: ToolSet, scores: dict[int, float], words_by: list[tuple[str, float]] | dict[int, list[tuple[str, float]]],
               today: dt.date | None = None) -> list[int]:
    """The tools that fit best, best first: one, or several that fit equally (name, restriction, score)."""
    if not scores:
        return []
    top = max(scores.values())
    tied = [i for i, t in scores.items() if t > 0 and t >= top * (1 - NEAR_TIE)]
    if len(tied) <= 1:
        return [max(scores, key=lambda i: (scores[i], -i))]
    names: dict[int, float] = {}
    verbs: dict[int, float] = {}
    for i in tied:
        for text, weight in (words_by.get(i, []) if isinstance(words_by, dict) else words_by):
            text = _unlabelled(ts, text)  # "order SO-1" says what the value is, not which tool
            names[i] = names.get(i, 0.0) + weight * word_scores(ts, text, ts.name_index, related=False).score[i]
            verbs[i] = verbs.get(i, 0.0) + weight * agreement(ts, text).get(i, (0.0, False))[0]

    said = " ".join(text for text, _ in (words_by if isinstance(words_by, list) else []))
    fits = {i: _fit(ts.tools[i], said, today) for i in tied} if said and today is not None else {}

    def key(i: int) -> tuple[float, float, float, bool]:  # the values said fit it, what the caller's verb says
        return (round(fits.get(i, 0.0), 6), round(verbs.get(i, 0.0), 6), round(names.get(i, 0.0), 6),
                not ts.tools[i].restricted)  # to do, then the name

    ranked = sorted(tied, key=lambda i: (key(i), scores[i], -i), reverse=True)
    return [i for i in ranked if key(i) == key(ranked[0]) and abs(scores[i] - scores[ranked[0]]) < 1e-9] or ranked[:1]


def _fit(tool: Tool, text: str, today: dt.date) -> float:
    """How many of the tool's required variables of a typed kind (an email, a phone number, a date, an amount,
    a coded value) the text holds a value for: "move 120 dollars to ana@x.com" fits a
    transfer (amount, email), not a reschedule (appointment ID, date), whatever the verb suggests."""
    sc = scan(text, today)
    have = {"email": bool(sc.emails), "phone": bool(sc.phones), "date": bool(sc.dates), "time": bool(sc.times)}
    fit = 0.0
    for p in tool.params:
        if not p.required:
            continue
        if p.shape is not None:
            said = bool(shaped_matches(p.shape, text, loose=not p.shape.letters_only))
        elif p.money:
            said = bool(sc.amounts)
        elif p.kind in have:
            said = have[p.kind]
        else:
            continue
        fit += 1.0 if said else 0.0
    return fit


def best_tool(ts: ToolSet, scores: dict[int, float],
              words_by: list[tuple[str, float]] | dict[int, list[tuple[str, float]]]) -> int | None:
    tied = tied_tools(ts, scores, words_by)
    return tied[0] if tied else None


CLAUSE_RE = re.compile(r"[.!?;,]+(?=\s|$)|\s(?:and|also|plus|then|but|as\s+well\s+as)\s", re.I)


def own_part(texts: list[Text], spans: list[tuple[int, int, int]], taken: list[tuple[int, int, int]]) -> list[str]:
    """The words around a tool's values: for each value, its clause, cut short at any value of another call."""
    parts: dict[tuple[int, int, int], str] = {}
    for pos, s, e in spans:
        text = texts[pos].text
        lo, hi = 0, len(text)
        for m in CLAUSE_RE.finditer(text):
            if m.end() <= s:
                lo = max(lo, m.end())
            elif m.start() >= e:
                hi = min(hi, m.start())
        for p2, s2, e2 in taken:
            if p2 == pos and e2 <= s:
                lo = max(lo, e2)
            elif p2 == pos and s2 >= e:
                hi = min(hi, s2)
        parts[(pos, lo, hi)] = text[lo:hi]
    return [parts[k] for k in sorted(parts)]
