"""Choosing the action: how well a message matches each tool, and how ties are settled."""

from __future__ import annotations

import datetime as dt
import re

from .words import _INTENTS, _SYNONYMS, _tokens
from .recognisers import _scan
from .tools import _ToolSet
from .filling import _Text, _shaped_matches

EXAMPLE_BONUS = 4.0      # a value in the text shaped like a parameter's example
DIGITS_BONUS = 1.0       # ... when the example is digits only (any number matches)
TYPED_BONUS = 0.75       # an email / phone number in the text and an email / phone parameter
DATE_BONUS = 0.5         # a date in the text and a date parameter
NEAR_TIE = 0.1           # tools within 10% of the best score are tied: the best name match wins

# --------------------------------------------------------------------------- scoring and filling


def _word_scores(ts: _ToolSet, text: str, index: dict[str, list[tuple[int, float]]]) -> list[float]:
    """How well the words of ``text`` match each tool's words in ``index`` (all words, or the name's only)."""
    scores = [0.0] * len(ts.tools)
    tokens = set(_tokens(text))
    for tok in tokens:
        best: dict[int, float] = {}
        for ti, w in index.get(tok, ()):
            best[ti] = w
        for syn in _SYNONYMS.get(tok, ()):
            for ti, w in index.get(syn, ()):
                if best.get(ti, 0.0) < 0.5 * w:
                    best[ti] = 0.5 * w
        if len(tok) >= 5 and tok not in ts.index:
            for voc in ts.prefixes.get(tok[:5], ()):
                if voc.startswith(tok) or tok.startswith(voc):
                    for ti, w in index.get(voc, ()):
                        if best.get(ti, 0.0) < 0.6 * w:
                            best[ti] = 0.6 * w
        for ti, w in best.items():
            scores[ti] += w
    for pattern, words in _INTENTS:
        if not pattern.search(text):
            continue
        best = {}
        for word in words:
            if word in tokens:  # already counted in full
                continue
            for ti, w in index.get(word, ()):
                if best.get(ti, 0.0) < 0.5 * w:
                    best[ti] = 0.5 * w
        for ti, w in best.items():
            scores[ti] += w
    return scores


def _message_scores(ts: _ToolSet, text: str, today: dt.date) -> list[float]:
    cached = ts.score_cache.get(text)
    if cached is not None:
        return cached
    scores = _word_scores(ts, text, ts.index)
    scan = _scan(text, today)
    for tool in ts.tools:
        for p in tool.params:
            if p.shaped and _shaped_matches(p, text):
                scores[tool.index] += DIGITS_BONUS if p.digits_only else EXAMPLE_BONUS
        if tool.has_email and scan.emails:
            scores[tool.index] += TYPED_BONUS
        if tool.has_phone and scan.phones:
            scores[tool.index] += TYPED_BONUS
        if tool.has_date and scan.dates:
            scores[tool.index] += DATE_BONUS
    if len(ts.score_cache) > 512:
        ts.score_cache.clear()
    ts.score_cache[text] = scores
    return scores


_CLAUSE_RE = re.compile(r"[.!?;,]+(?=\s|$)|\s(?:and|also|plus|then|but|as\s+well\s+as)\s", re.I)


def _best_tool(ts: _ToolSet, scores: dict[int, float],
               words: list[tuple[str, float]] | dict[int, list[tuple[str, float]]]) -> int | None:
    """The best-scoring tool of ``scores`` (tool index -> score). Tools within NEAR_TIE of the best are
    tied: the one whose NAME best matches the user's ``words`` ((text, weight) pairs, or such pairs by tool
    index when each tool is judged on its own part of the text) wins, then one whose
    description does not restrict it ("use only when ..."), then the higher score, then the earlier tool,
    so the choice never depends on chance (nor on anything but the inputs)."""
    if not scores:
        return None
    top = max(scores.values())
    tied = [i for i, t in scores.items() if t > 0 and t >= top * (1 - NEAR_TIE)]
    if len(tied) <= 1:
        return max(scores, key=lambda i: (scores[i], -i))
    names: dict[int, float] = {}
    for i in tied:
        for text, weight in (words.get(i, []) if isinstance(words, dict) else words):
            names[i] = names.get(i, 0.0) + weight * _word_scores(ts, text, ts.name_index)[i]
    return max(tied, key=lambda i: (round(names.get(i, 0.0), 6), not ts.tools[i].restricted, scores[i], -i))


def _own_part(texts: list[_Text], spans: list[tuple[int, int, int]], taken: list[tuple[int, int, int]]) -> list[str]:
    """The words around a tool's values: for each value, its clause, cut short at any value of another call."""
    parts: dict[tuple[int, int, int], str] = {}
    for pos, s, e in spans:
        text = texts[pos].text
        lo, hi = 0, len(text)
        for m in _CLAUSE_RE.finditer(text):
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
