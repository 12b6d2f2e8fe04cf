"""General language knowledge: how close two words are in meaning, from WordNet (``wordnet``).

A word is described by the concepts (synsets) of its most frequent senses, their parents
(hypernyms), the synsets derived from them ("refund" the verb and the noun), and the words of their
definitions. ``concepts`` returns these as keys with a closeness factor; two words are related when
their keys meet: "postpone" and "delay" share a synset, "visit" and "appointment" a parent ("meeting").

Being a kind of something is not symmetric: a GP is a doctor, but a doctor is not a vet. So the keys
of what a caller says (``side="caller"``) reach up to its parents at ``UP``, and the keys of a tool's
words (``side="tool"``) reach up at ``DOWN``: a caller's word that is a kind of the tool's word meets
it at ``UP``, a tool's word that is a kind of the caller's at ``DOWN``, two kinds of one thing at ``UP * DOWN``.

A caller may also describe a thing instead of naming it: "my money back" is what the dictionary says
a refund is ("money returned to a payer"; "pay back"). ``definition`` is the bag of words WordNet
uses for a word (its definitions, its synonyms, its parents' names); two words of the caller's that
are both in it say that word (``phrase.defined``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .wordnet import POS, common, data_dir, known, lemmas, offsets, synset
from .words import stem

SENSES = 3  # senses per part of speech: WordNet lists the most frequent first
SAME, DERIVED, PARENT, GLOSS = 1.0, 0.8, 0.6, 0.35
UP, DOWN = 0.8, 0.3  # a parent, seen from a caller's word / from a tool's word (see above)
_PARENT = {"both": PARENT, "caller": UP, "tool": DOWN}
_GLOSS_STOP = frozenset("""a an the of to or and in on for by with from as at into that which who whom whose
something someone somebody thing things being be is are was were been have has had do does done not no any
some one ones used use often especially usually etc e g eg its it their them they this these those such
than more most very also way act state quality make made give gets get""".split())
_GLOSS_WORD_RE = re.compile(r"[a-z]+")

__all__ = ["DOWN", "GLOSS", "PARENT", "POS", "SAME", "UP", "closeness", "concepts", "data_dir", "definition",
           "known", "lemmas", "phrase_lemma", "proper", "sense_keys"]


def _gloss_words(text: str) -> list[str]:
    return [g for g in _GLOSS_WORD_RE.findall(text.lower()) if len(g) > 2 and g not in _GLOSS_STOP]


@lru_cache(maxsize=65536)
def concepts(word: str, gloss: bool = True, side: str = "both", part: str = "") -> dict[str, float]:
    """The keys that describe a word, each with how close it is to the word itself (1.0); ``side`` says whose
    word it is (``UP`` / ``DOWN`` above; "both" counts a parent ``PARENT`` either way); ``part``, when the
    word is known to be a noun or a verb there ("my visit"), keeps the senses of that part of speech."""
    keys: dict[str, float] = {"w:" + stem(word.lower()): SAME}
    parent = _PARENT[side]

    def add(key: str, factor: float) -> None:
        if keys.get(key, 0.0) < factor:
            keys[key] = factor

    found = lemmas(word)
    for lemma, pos in [f for f in found if f[1] == part] or found:
        add("w:" + stem(lemma), SAME)
        for offset in common(lemma, pos, SENSES):
            add(f"{pos[0]}{offset}", SAME)
            _, ptrs, meaning = synset(pos, offset)
            for sym, ppos, poff in ptrs:
                if sym in ("@", "@i"):
                    add(f"{ppos[0]}{poff}", parent)
                elif sym in ("+", "$", "&"):
                    add(f"{ppos[0]}{poff}", DERIVED)
            if gloss:
                for g in _gloss_words(meaning):
                    add("w:" + stem(g), GLOSS)
    return keys


def sense_keys(word: str, context: frozenset[str], part: str, side: str = "tool") -> dict[str, float]:
    """The keys of the one sense of ``word`` (as ``part``) that its ``context`` (stems of the words around it)
    points at: the sense whose definition shares the most words with it (Lesk), else the most frequent; with
    its parents, not its similar senses. "Move an existing appointment to a new date" is move as in displacing to a new position, not
    as in travelling."""
    best: tuple[int, int, str] | None = None
    for lemma, pos in lemmas(word):
        if pos != part:
            continue
        for rank, offset in enumerate(common(lemma, pos, SENSES)):
            names, ptrs, meaning = synset(pos, offset)
            bag = {stem(g) for g in _gloss_words(meaning)} - {stem(word.lower())}
            overlap = len(bag & context)
            if best is None or overlap > best[0]:
                best = (overlap, offset, pos)
    if best is None:
        return concepts(word, gloss=False, side=side, part=part)
    _, offset, pos = best
    keys = {"w:" + stem(word.lower()): SAME, f"{pos[0]}{offset}": SAME}
    for sym, ppos, poff in synset(pos, offset)[1]:
        if sym in ("@", "@i"):
            keys[f"{ppos[0]}{poff}"] = _PARENT[side]
    return keys


@lru_cache(maxsize=16384)
def definition(word: str) -> frozenset[str]:
    """The stems of the words WordNet uses for ``word``'s most frequent senses: their definitions, the other
    words of their synsets and the names of their parents ("refund": money, return, payer, pay, back, ...)."""
    out: set[str] = set()
    for lemma, pos in lemmas(word):
        for offset in common(lemma, pos, SENSES):
            names, ptrs, meaning = synset(pos, offset)
            parents = [synset(ppos, poff)[0] for sym, ppos, poff in ptrs if sym in ("@", "@i")]
            for name in [*names, *(n for group in parents for n in group)]:
                out.update(stem(part) for part in name.split("_") if len(part) > 2 and part not in _GLOSS_STOP)
            out.update(stem(g) for g in _gloss_words(meaning))
    out.discard(stem(word.lower()))
    return frozenset(out)


@lru_cache(maxsize=16384)
def phrase_lemma(first: str, rest: str) -> str | None:
    """The WordNet entry for a phrase said with an inflected first word ("sold out" -> "sell_out",
    "calling off" -> "call_off"), or None."""
    for lemma, _ in lemmas(first) or ((first.lower(), ""),):
        key = f"{lemma}_{rest}"
        if lemmas(key):
            return key
    return None


@lru_cache(maxsize=4096)
def proper(phrase: str) -> bool | None:
    """Whether WordNet knows a word or phrase as a proper name (an instance: "seattle", "new york") among its
    most frequent senses; False for ordinary words ("book"), None for words it does not know ("nguyen")."""
    key = phrase.lower().strip().replace(" ", "_")
    found = offsets(key, "noun")[:SENSES]
    if not found:
        return False if lemmas(key) else None
    return any(sym == "@i" for offset in found for sym, _, _ in synset("noun", offset)[1])


def closeness(a: str, b: str) -> float:
    """How related two words are: 1.0 the same concept, less through parents, derivations, definitions."""
    ka, kb = concepts(a), concepts(b)
    return max((fa * kb[k] for k, fa in ka.items() if k in kb), default=0.0)
