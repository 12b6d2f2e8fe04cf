"""Words: tokens, light stemming and stopwords (no hand-made synonyms: related words come from ``lexicon``)."""

from __future__ import annotations

import re
from functools import lru_cache

from .wordnet import known, verb

STOPWORDS = frozenset("""
a an the and or but if then else of to in on at by for with from about as into like through over after before
between out up down off than so such too very can could would should will shall may might must do does did done
doing have has had having be is am are was were been being i me my mine myself we us our ours you your yours he
him his she her it its they them their theirs this that these those there here what which who whom whose when
where why how all any both each few more most other some no nor not only own same just also s t don doesn didn
isn aren wasn won ll re ve d m o y hi hello hey hiya howdy please pls thanks thank thx ok okay yes yeah yep yup
sure want wanted wants need needs needed know let lets get got tell give say said would like im wanna gonna hmm
um uh well now still again really something anything thing one caller user agent ask asks asked given use used
using whether today tomorrow yesterday tonight monday tuesday wednesday thursday friday saturday sunday morning
afternoon evening day via e g eg etc sorry actually oops wait mean meant think thinking going
someone somebody anyone anybody everyone everybody nobody come comes came coming go goes went gone see saw seen
""".split())

#: verbs that appear in many tool names; they say little about which tool is meant
GENERIC = frozenset({"check", "look", "lookup", "find", "fetch", "show", "see", "view", "make", "run", "do", "get",
                     "start", "request", "submit"})

#: phrases that mean more than their (stop)words: "where is my order?" asks for its status / tracking.
#: Each phrase counts like a related word (half weight) of the best of its words, once per tool.
_INTENT_PHRASES = [
    (re.compile(r"\bwhere(?:'s|\s+(?:is|are|was|were|has|have|did|does))\b", re.I),
     "status track ship delivery location"),
    (re.compile(r"\bhow\s+(?:much|many)\b", re.I), "balance amount quantity total count unit available"),
]

#: a description that restricts its tool ("use only when asked to test redirects") loses near-ties
RESTRICTED_RE = re.compile(r"\b(?:use|call|choose|pick)\s+(?:it\s+|this\s+(?:action|tool)\s+)?only\s+(?:when|if|for)\b"
                           r"|\bonly\s+use\s+(?:it\s+|this\s+(?:action|tool)\s+)?(?:when|if|for)\b"
                           r"|\b(?:troubleshooting|testing|debug(?:ging)?)\s+(?:sample|example|only)\b", re.I)

WORD_RE = re.compile(r"[a-z0-9]+")
CAMEL_RE = re.compile(r"([a-z0-9])([A-Z])")


@lru_cache(maxsize=16384)
def stem(w: str) -> str:
    """A light stemmer for plurals, -ing and -ed, that asks WordNet which form is a word: "rescheduled" and
    "reschedule" meet, "plane" stays apart from "plan", "cancelled" is "cancel", "boxes" is "box"."""
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("es") and w[:-2].endswith(("s", "x", "z", "ch", "sh")) and known(w[:-2]):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) > 5:
        return _base(w[:-3])
    if w.endswith("ed") and len(w) > 4:
        return _base(w[:-2])
    return w


def _base(w: str) -> str:
    """The word left when -ing or -ed is cut off, a verb when one fits: "book", "ship" (from "shipp"), "move"
    (from "mov"), "make" (from "mak")."""
    doubled = len(w) > 3 and w[-1] == w[-2]
    forms = [w, *([w[:-1]] if doubled else []), w + "e"]
    for test in (verb, known):
        found = next((f for f in forms if test(f)), None)
        if found is not None:
            return found
    return w[:-1] if doubled and w[-1] not in "lsz" else w


def words(text: str) -> list[str]:
    """Lowercase words of a text (names split at underscores and camelCase), stopwords and numbers out."""
    return [w for w in WORD_RE.findall(CAMEL_RE.sub(r"\1 \2", text).replace("_", " ").lower())
            if w not in STOPWORDS and not w.isdigit() and len(w) >= 2]


def tokens(text: str) -> list[str]:
    """``words`` with light stemming."""
    return [stem(w) for w in words(text)]


INTENTS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (pattern, tuple(stem(w) for w in ws.split())) for pattern, ws in _INTENT_PHRASES]
