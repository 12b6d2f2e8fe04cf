"""What counts as evidence for a tool: its description says WHEN to use it; its name is a label.

A model reads a tool's description to learn what the tool does and when to use it. So here a word
of the tool's counts in full when a description says it (the tool's own, or a variable's), or a word
close in meaning; a word that only a name carries (the tool's or a variable's) is weak evidence and
counts ``UNBACKED`` as much. The same goes for values: one shaped like the example of a variable
whose description says nothing is weak evidence too (``described``).

A description that names other things than the caller does, while the tool's name matches the
caller's words ("Book a flight ticket" on ``book_appointment``, asked for an appointment), contradicts
the name (``contradicted``): the description wins, and the simulator asks before it calls.
"""

from __future__ import annotations

import math
import re
from typing import Iterable

from . import lexicon
from .words import GENERIC, stem, tokens, words

UNBACKED = 0.5           # a word or value only a name or a bare example supports counts this much
BACKING = lexicon.PARENT  # a name word is backed by a described word at least this close in meaning
RELATED = 0.7            # a word related in meaning (WordNet) counts this much of the tool's word
LOOSE = lexicon.GLOSS * lexicon.GLOSS  # a contradiction needs words not even this close (definitions that meet)

Index = dict[str, list[tuple[int, float, bool]]]  # key -> [(tool index, weight, backed)]
GLOSSED = "g:"  # the key of a word in the definition of a tool's word


def described(text: str) -> bool:
    """Whether a description says anything: "Does a thing." has no word a caller could match."""
    return bool(tokens(text))


def backed(word: str, told: Iterable[str], close: float = BACKING) -> bool:
    """Whether a description word (``told``: lowercase words) says ``word`` or a word at least ``close``
    to it in meaning."""
    told = list(told)
    key = stem(word)
    return any(stem(t) == key for t in told) or any(lexicon.closeness(word, t) >= close for t in told)


def is_verb(word: str) -> bool:
    return any(p == "verb" for _, p in lexicon.lemmas(word))


def leading_verb(description: str) -> str:
    """The verb a description starts with ("book" in "Book a flight ticket"), or ""."""
    lead = re.match(r"\W*([A-Za-z]+)", description)
    return lead.group(1).lower() if lead and is_verb(lead.group(1)) else ""


def objects(description: str) -> frozenset[str]:
    """What a description says the tool acts on: its words that name things (not its leading verb)."""
    verb = leading_verb(description)
    return frozenset(w for w in words(description) if w != verb and w not in GENERIC and _thing(w))


def contradicted(text: str, name_words: Iterable[str], told: Iterable[str], things: frozenset[str],
                 verb: str = "") -> bool:
    """The caller names a thing that the tool's name has and its description does not, and none of the
    things its description names: the description says the tool does something else. ``text`` is what
    the caller said, with the labels of the values they gave ("date" for a date); the description's
    own verb (``verb``: "book") names no thing."""
    if not things:
        return False
    said = [w for w in words(text) if not verb or stem(w) != stem(verb)]
    if any(backed(w, things, LOOSE) for w in said):
        return False
    named = {stem(w) for w in name_words}
    told = [w for w in told if not verb or stem(w) != stem(verb)]
    return any(stem(w) in named and not backed(w, told, LOOSE) and _thing(w) for w in said)


def _thing(word: str) -> bool:
    return any(pos == "noun" for _, pos in lexicon.lemmas(word))


def build_index(weights: list[dict[str, tuple[float, bool]]], surfaces: list[dict[str, str]] | None = None,
                related: bool = True) -> tuple[Index, Index]:
    """The word index (stem -> tools) and the related-concept index of a set of tools, from each tool's
    {stem: (weight, backed)} and {stem: the word as written} (WordNet knows "move", not the stem "mov");
    words many tools share count less (1 / sqrt of how many)."""
    df: dict[str, int] = {}
    for tool in weights:
        for tok in tool:
            df[tok] = df.get(tok, 0) + 1
    index: Index = {}
    concepts: Index = {}
    for ti, tool in enumerate(weights):
        best: dict[str, tuple[float, bool]] = {}
        for tok, (w, sure) in tool.items():
            w = w / math.sqrt(df[tok])
            index.setdefault(tok, []).append((ti, w, sure))
            word = surfaces[ti].get(tok, tok) if surfaces else tok
            for key, factor in lexicon.concepts(word, side="tool").items() if related else ():
                if factor <= lexicon.GLOSS and key.startswith("w:"):
                    key = GLOSSED + key[2:]  # a word of its definition: kept apart (see choice.meant)
                if best.get(key, (0.0, False))[0] < w * factor * RELATED:
                    best[key] = (w * factor * RELATED, sure)
        for key, (w, sure) in best.items():
            concepts.setdefault(key, []).append((ti, w, sure))
    return index, concepts


def definitions(surfaces: list[dict[str, str]]) -> dict[str, frozenset[str]]:
    """For the tools' words ({stem: word as written} per tool): each word of their WordNet definitions ->
    the tool words it helps define (``phrases.definitions`` reads it)."""
    out: dict[str, set[str]] = {}
    for surface in surfaces:
        for tok, word in surface.items():
            for part in lexicon.definition(word):
                out.setdefault(part, set()).add(tok)
    return {part: frozenset(toks) for part, toks in out.items()}


def acting(tools: list) -> dict[str, list[tuple[int, float, bool]]]:
    """Each concept of the tools' action verbs (``Tool.actions``, in the sense their description gives them)
    -> [(tool index, how close, backed by a description)], the best per tool."""
    out: dict[str, dict[int, tuple[float, bool]]] = {}
    for tool in tools:
        context = frozenset(stem(w) for w in words(f"{tool.name} {tool.description}"))
        for verb in tool.actions:
            sure = backed(verb, tool.told)
            for key, factor in lexicon.sense_keys(verb, context, "verb").items():
                here = out.setdefault(key, {})
                if here.get(tool.index, (0.0, False))[0] < factor:
                    here[tool.index] = (factor, sure)
    return {key: sorted((ti, f, sure) for ti, (f, sure) in found.items()) for key, found in out.items()}
