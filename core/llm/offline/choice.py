"""Choosing the action from what a model sees: the tool's name, description and parameters.

A message scores for each tool by its words (name words count most, then the description's, then the
parameters'; words many tools share count less), by words related in meaning through WordNet
(``lexicon``: "money back" meets "refund", "visit" meets "appointment"), and by values shaped for a
tool's parameters (an ``ORD-10042`` for an order number). Tools within ``NEAR_TIE`` of the best are
settled by their name, then by a description that does not restrict them; when that still leaves
two, the simulator asks which one is meant.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import lexicon
from .evidence import UNBACKED, Index
from .filling import Text
from .recognisers import Found, scan
from .recognisers.codes import shaped_matches
from .recognisers.text import ADDRESS_RE
from .tools import ToolSet
from .words import INTENTS, STOPWORDS, stem, words

EXAMPLE_BONUS = 4.0      # a value in the text with the letters of a parameter's example (ORD-10042)
SHAPE_BONUS = 1.5        # ... with other letters in the same shape
DIGITS_BONUS = 1.0       # ... a digits-only example (a ZIP code): any such number matches
TYPED_BONUS = 0.75       # an email / phone number / street address in the text and such a parameter
DATE_BONUS = 0.5         # a date or a time in the text and such a parameter
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
    """How well the words of ``text`` match each tool's words in ``index`` (and, when ``related``, the
    words WordNet relates to them: a related word counts at most what the tool's word would)."""
    scores = empty(ts)
    plain = words(text)
    stems = {stem(w) for w in plain}
    for tok in stems:
        for ti, w, sure in index.get(tok, ()):
            scores.add(ti, w, sure)
    if related:
        lowered = [w for w in re.findall(r"[a-z]+", text.lower())]
        phrases = [f"{a}_{b}" for a, b in zip(lowered, lowered[1:]) if b not in STOPWORDS or b in ("back", "off", "up", "out")]
        for word in [w for w in plain if stem(w) not in index] + [p for p in phrases if lexicon.lemmas(p)]:
            best: dict[int, tuple[float, bool]] = {}
            for key, factor in lexicon.concepts(word).items():
                for ti, w, sure in ts.related.get(key, ()):
                    if best.get(ti, (0.0, False))[0] < w * factor:
                        best[ti] = (w * factor, sure)
            for ti, (w, sure) in best.items():
                scores.add(ti, w, sure)
    for pattern, intent in INTENTS:
        if pattern.search(text):
            found: dict[int, tuple[float, bool]] = {}
            for word in intent:
                if word not in stems:
                    for ti, w, sure in index.get(word, ()):
                        if found.get(ti, (0.0, False))[0] < w:
                            found[ti] = (w, sure)
            for ti, (w, sure) in found.items():
                scores.add(ti, w, sure, 0.5)
    return scores


def message_scores(ts: ToolSet, text: str, today: dt.date) -> Scores:
    cached = ts.score_cache.get(text)
    if cached is not None:
        return cached
    sc = scan(text, today)
    scores = word_scores(ts, _unlabelled(ts, _without(text, sc.emails)), ts.index)
    has_address = bool(ADDRESS_RE.search(text))
    for tool in ts.tools:
        for p in tool.params:
            if p.shape is not None:
                found = shaped_matches(p.shape, text)
                if found:
                    scores.add(tool.index, DIGITS_BONUS if p.shape.digits_only
                               else EXAMPLE_BONUS if any(lit for *_, lit in found) else SHAPE_BONUS, bool(p.about), weak=1.0)
        for p in tool.params:  # each of its variables whose kind of value was said
            if (p.kind == "email" and sc.emails) or (p.kind == "phone" and sc.phones) or (
                    p.role == "address" and has_address) or (p.money and sc.amounts):
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
                spans += [(s, p.label_words) for _, s, _, _ in shaped_matches(p.shape, text)]
    for start, label in sorted(spans, reverse=True):
        m = re.search(r"(\w+)\s+(?:(?:number|no|#|id)\s+)?$", text[:start])
        if m and stem(m.group(1).lower()) in {stem(w) for w in label}:
            text = text[: m.start()] + " " * (start - m.start()) + text[start:]
    return text


def tied_tools(ts: ToolSet, scores: dict[int, float], words_by: list[tuple[str, float]] | dict[int, list[tuple[str, float]]]
               ) -> list[int]:
    """The tools that fit best, best first: one, or several that fit equally (name, restriction, score)."""
    if not scores:
        return []
    top = max(scores.values())
    tied = [i for i, t in scores.items() if t > 0 and t >= top * (1 - NEAR_TIE)]
    if len(tied) <= 1:
        return [max(scores, key=lambda i: (scores[i], -i))]
    names: dict[int, float] = {}
    for i in tied:
        for text, weight in (words_by.get(i, []) if isinstance(words_by, dict) else words_by):
            names[i] = names.get(i, 0.0) + weight * word_scores(ts, text, ts.name_index, related=False).score[i]

    def key(i: int) -> tuple[float, bool]:
        return round(names.get(i, 0.0), 6), not ts.tools[i].restricted

    ranked = sorted(tied, key=lambda i: (key(i), scores[i], -i), reverse=True)
    return [i for i in ranked if key(i) == key(ranked[0]) and abs(scores[i] - scores[ranked[0]]) < 1e-9] or ranked[:1]


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
