"""Codes shaped like a variable's example (ORD-10042, UA482, 94110) and values from a fixed list.

A value with the example's own letters is a strong match ("ord 10042" -> ORD-10042); one with other
letters of the same shape a weaker one. Letter runs match exactly; digit runs allow a digit or two
more or less (flight UA482 and DL1207), except for digits-only examples (a ZIP code, the last four
digits of a card), whose length is part of their meaning. Spelled codes ("alpha papa tango 4 8 2")
were joined by ``spoken.normalise`` before they get here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import lexicon
from ..words import STOPWORDS

#: a word names a listed value when it is that value's concept, derived from it, or a kind of it ("car" is
#: an "auto", "fixing" a "repair", a "house" a "home")
MEANS = lexicon.UP


@dataclass(frozen=True)
class Shape:
    literal: re.Pattern[str]  # the example's letters
    loose: re.Pattern[str] | None  # any letters in their place
    parts: tuple[str, ...]  # "ORD", "-", "10042"
    digits_only: bool
    case: str  # "upper", "lower" or ""
    letters_only: bool = False  # a code of capitals alone ("LFPG", "JFK"): others of its shape are any acronym


def shape_of(example: str | None) -> Shape | None:
    """The shape of an example with digits in it (and no spaces), or of three to five capitals ("LFPG"), or None."""
    if not example or any(c.isspace() for c in example) or not 3 <= len(example) <= 40:
        return None
    if example.isalpha() and example.isupper() and len(example) <= 5:
        edge_l, edge_r = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
        return Shape(re.compile(edge_l + re.escape(example) + edge_r, re.I),
                     re.compile(edge_l + f"[A-Z]{{{len(example)}}}" + edge_r), (example,), False, "upper", True)
    parts = tuple(re.findall(r"[A-Za-z]+|\d+|[^A-Za-z\d]", example))
    has_letters = any(p.isalpha() for p in parts)
    if not any(p.isdigit() for p in parts):
        return None
    if not has_letters and sum(len(p) for p in parts if p.isdigit()) < 3:
        return None
    literal, loose = [], []
    for p in parts:
        if p.isalpha():
            literal.append(re.escape(p))
            loose.append(f"[A-Za-z]{{{len(p)}}}")
        elif p.isdigit():
            n = len(p)
            literal.append(f"\\d{{{n}}}" if not has_letters else f"\\d{{{max(1, n - 2)},{n + 2}}}")
            loose.append(f"\\d{{{max(1, n - 1)},{n + 1}}}")
        else:
            literal.append(f"(?:{re.escape(p)}|\\s)?")
            loose.append(f"{re.escape(p)}?")
    edge_l, edge_r = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
    letters = "".join(c for c in example if c.isalpha())
    case = "upper" if letters.isupper() else "lower" if letters.islower() else ""
    return Shape(re.compile(edge_l + "".join(literal) + edge_r, re.I),
                 re.compile(edge_l + "".join(loose) + edge_r) if has_letters else None,
                 parts, not has_letters, case)


def normalise_shaped(shape: Shape, matched: str) -> str:
    """A matched value written the way the example is: ``prod 12345`` -> ``PROD-12345``."""
    runs = re.findall(r"[A-Za-z]+|\d+", matched)
    slots = [p for p in shape.parts if p.isalnum()]
    if len(runs) == len(slots):
        it = iter(runs)
        value = "".join(next(it) if p.isalnum() else p for p in shape.parts)
    else:
        value = matched
    return value.upper() if shape.case == "upper" else value.lower() if shape.case == "lower" else value


def shaped_matches(shape: Shape, text: str, loose: bool = True) -> list[tuple[str, int, int, bool]]:
    """(value, start, end, literal) for each match: the example's letters first, then the same shape."""
    found = [(normalise_shaped(shape, m.group(0)), m.start(), m.end(), True) for m in shape.literal.finditer(text)]
    if not found and loose and shape.loose is not None:
        found = [(normalise_shaped(shape, m.group(0)), m.start(), m.end(), False) for m in shape.loose.finditer(text)]
    return found


def choice_matches(options: tuple[str, ...], text: str) -> list[tuple[str, int, int]]:
    """Values from a fixed list (an enum, "low, normal or high") named in the text."""
    out = []
    for value in options:
        for m in re.finditer(r"(?<![\w-])" + re.escape(value) + r"(?![\w-])", text, re.I):
            out.append((value, m.start(), m.end()))
    out.sort(key=lambda f: f[1])
    return out


def meaning_matches(options: tuple[str, ...], text: str) -> list[tuple[str, int, int]]:
    """Values from a fixed list that a word of the text means without saying them (``MEANS``): "my car" for
    auto, "needs fixing" for repair. Only when no value is named (``choice_matches``)."""
    out = []
    for m in re.finditer(r"[A-Za-z]+", text):
        word = m.group(0).lower()
        if word in STOPWORDS or len(word) < 3:
            continue
        mine = lexicon.concepts(word, gloss=False, side="caller")
        best, pick = 0.0, None
        for value in options:
            theirs = lexicon.concepts(value.lower().replace(" ", "_"), gloss=False, side="tool")
            near = max((f * theirs[k] for k, f in mine.items() if k in theirs), default=0.0)
            if near > best:
                best, pick = near, value
        if pick is not None and best >= MEANS:
            out.append((pick, m.start(), m.end()))
    return out
