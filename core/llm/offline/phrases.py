"""Phrases in what a caller says that mean more than their words: general language knowledge from WordNet.

* Multi-word entries WordNet has, said together or split by the thing they act on: "call off" (cancel),
  "put it off" (postpone), "give me my money back" (refund, repay), "sold out" (sell out).
* Words that together say what a tool's word means (a reverse dictionary): "money back" is what WordNet
  says a refund is ("money returned to a payer"; "pay back"), so two adjacent words of the caller's that are
  both in a tool word's ``lexicon.definition`` say that word, though the caller never used it.

The words of a phrasal verb or of a definition mean less on their own: "call off" is not a call, "money
back" is not about sending money, so ``choice`` counts them ``PART`` as much (a compound such as "credit
card" is still a card: its words count in full). Pure functions of the text; the look-ups are cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from . import lexicon
from .words import GENERIC, STOPWORDS, stem

PART = 0.5      # a word that is part of a phrase counts this much on its own
DEFINED = 0.7   # two words that define a tool's word count this much of that word
PARTICLES = ("back", "off", "up", "out", "over", "away", "down", "in", "on", "around", "through")
#: what may stand between a verb and its particle ("call it off", "push my visit back")
_BETWEEN = frozenset("it them this that these those me him her us you my your his our their the a an".split())
_TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|[.,;:!?]")
_MAX_SPLIT = 3  # words between a verb and its particle
_LIGHT_VERBS = frozenset({"give", "get", "got", "let", "put", "take"})  # stopwords that start phrasal verbs


@dataclass(frozen=True)
class Phrase:
    parts: tuple[str, ...]  # the stems of the caller's words it is made of
    entry: str = ""         # a WordNet entry ("call_off"), or
    defines: str = ""       # the stem of the tool word its words define ("refund")
    replaces: bool = True   # its words mean less on their own ("call off"; not "credit card", a kind of card)


#: before a verb ("to cancel", "I need to", "can you move", "please book") and before a noun ("my visit")
_VERB_BEFORE = frozenset("""to i we you please can could would will should must lets let's pls just i'd i'll we'd
we'll you'd gonna wanna gotta kindly""".split())
_NOUN_BEFORE = frozenset("a an the my your his her our their this that these those its some any no".split())


def parts_of_speech(text: str) -> dict[str, str]:
    """What the caller's words are by where they stand: "verb" after "to", "I", "can you", "please"; "noun"
    after a determiner or possessive ("my visit"). Words with no such clue are left out."""
    toks = _tokens(text)
    out: dict[str, str] = {}
    for prev, word in zip(["."] + toks, toks):
        if _content(word) and word not in out:
            if prev in _VERB_BEFORE and any(pos == "verb" for _, pos in lexicon.lemmas(word)):
                out[word] = "verb"
            elif prev in _NOUN_BEFORE:
                out[word] = "noun"
    return out


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.lower())


def _content(word: str) -> bool:
    return word.isalpha() and len(word) >= 2 and word not in STOPWORDS


def entries(text: str) -> list[Phrase]:
    """WordNet's multi-word entries in the text: adjacent ("sold out", "credit card", "call off") or a verb
    split from its particle by what it acts on ("call it off", "give me my money back")."""
    toks = _tokens(text)
    found: list[Phrase] = []
    for i, first in enumerate(toks):
        if not (_content(first) or first in _LIGHT_VERBS):
            continue
        for j in range(i + 1, min(i + 2 + _MAX_SPLIT, len(toks))):
            word = toks[j]
            if not word.isalpha():
                break
            if word in PARTICLES or (j == i + 1 and _content(word)):
                entry = lexicon.phrase_lemma(first, word)
                if entry and (j == i + 1 or any(pos == "verb" for _, pos in lexicon.lemmas(entry))):
                    found.append(Phrase((stem(first), stem(word)), entry=entry, replaces=word in PARTICLES))
                    break
                if word in PARTICLES:
                    break
            if (word not in _BETWEEN and not _content(word)) or sum(_content(w) for w in toks[i + 1: j + 1]) > 1:
                break
    return found


def definitions(text: str, defined: dict[str, frozenset[str]], own: Iterable[str] = (),
                taken: Iterable[str] = ()) -> list[Phrase]:
    """Two words of the caller's next to each other (only a determiner or a possessive between them: "my
    money back") that are both in the definition of a tool word (``defined``: definition stem -> tool word
    stems), when the caller did not say that word itself (``own``: the stems said). Words of a WordNet entry
    (``taken``: "back" in "call back") are that entry's."""
    said, used = set(own), set(taken)
    words: list[str | None] = []
    for tok in _tokens(text):
        if tok in _BETWEEN:
            continue
        words.append(tok if _content(tok) and tok not in GENERIC and stem(tok) not in used else None)
    found: list[Phrase] = []
    for a, b in zip(words, words[1:]):
        if a is None or b is None:
            continue
        sa, sb = stem(a), stem(b)
        if sa == sb:
            continue
        for tool_word in sorted(defined.get(sa, frozenset()) & defined.get(sb, frozenset())):
            if tool_word not in said:
                found.append(Phrase((sa, sb), defines=tool_word))
    return found
