"""Words: tokens, light stemming, stopwords, and the small built-in synonym groups."""

from __future__ import annotations

import re
from functools import lru_cache


# --------------------------------------------------------------------------- words

_STOPWORDS = frozenset("""
a an the and or but if then else of to in on at by for with from about as into like through over after before
between out up down off than so such too very can could would should will shall may might must do does did done
doing have has had having be is am are was were been being i me my mine myself we us our ours you your yours he
him his she her it its they them their theirs this that these those there here what which who whom whose when
where why how all any both each few more most other some no nor not only own same just also s t don doesn didn
isn aren wasn won ll re ve d m o y hi hello hey hiya howdy please pls thanks thank thx ok okay yes yeah yep yup
sure want wanted wants need needs needed know let lets get got tell give say said would like im wanna gonna hmm
um uh well now still again really something anything thing one caller user agent ask asks asked given use used
using whether today tomorrow yesterday tonight monday tuesday wednesday thursday friday saturday sunday morning
afternoon evening day via e g eg etc
""".split())

#: verbs that appear in many tool names; they say little about which tool is meant
_GENERIC = frozenset({"check", "look", "lookup", "find", "fetch", "show", "see", "view", "make", "run", "do", "get"})

_SYNONYM_GROUPS = [
    "order package parcel shipment delivery purchase ship track",
    "stock inventory available availability supply",
    "appointment booking book schedule meeting slot reserve reservation",
    "ticket issue problem complaint broken bug support",
    "customer account profile client",
    "verify verification identity authenticate",
    "email mail",
    "price cost",
    "cancel cancellation",
    "refund reimburse",
    "report sales",
]

#: phrases that mean more than their (stop)words: "where is my order?" asks for its status / tracking.
#: Each phrase counts like a synonym (half weight) of the best of its words, once per tool.
_INTENT_PHRASES = [
    (re.compile(r"\bwhere(?:'s|\s+(?:is|are|was|were|has|have|did|does))\b", re.I),
     "status track ship delivery location"),
]

#: a description that restricts its tool ("use only when asked to test redirects") loses near-ties
_RESTRICTED_RE = re.compile(r"\b(?:use|call|choose|pick)\s+(?:it\s+|this\s+(?:action|tool)\s+)?only\s+(?:when|if|for)\b"
                            r"|\bonly\s+use\s+(?:it\s+|this\s+(?:action|tool)\s+)?(?:when|if|for)\b"
                            r"|\b(?:troubleshooting|testing|debug(?:ging)?)\s+(?:sample|example|only)\b", re.I)

_WORD_RE = re.compile(r"[a-z0-9]+")
_CAMEL_RE = re.compile(r"([a-z0-9])([A-Z])")


def _stem(w: str) -> str:
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


@lru_cache(maxsize=8192)
def _stem_word(w: str) -> str:
    return _stem(w)


def _tokens(text: str) -> list[str]:
    """Lowercase, split, drop stopwords and numbers, light stemming."""
    out = []
    for w in _WORD_RE.findall(_CAMEL_RE.sub(r"\1 \2", text).replace("_", " ").lower()):
        if w in _STOPWORDS or w.isdigit() or len(w) < 2:
            continue
        out.append(_stem_word(w))
    return out


_SYNONYMS: dict[str, tuple[str, ...]] = {}
for _group in _SYNONYM_GROUPS:
    _stems = [_stem(w) for w in _group.split()]
    for _s in _stems:
        _SYNONYMS[_s] = tuple(x for x in _stems if x != _s)

_INTENTS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (pattern, tuple(_stem(w) for w in words.split())) for pattern, words in _INTENT_PHRASES]

_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12, "a dozen": 12, "a couple": 2, "a couple of": 2,
}
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _WORD_NUMBERS), key=len, reverse=True))
                             + r")\b", re.I)
