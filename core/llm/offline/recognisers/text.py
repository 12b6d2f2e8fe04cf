"""Free-text values taken out of a sentence: a name, a place, a street address, a reason, a thing.

What to look for comes from the variable (its ``role`` and ``cues``, read from its name and
description by the catalogue): a place after the description's own preposition ("the city the
passenger flies *from*"), a name after "my name is" or "for", a street address by its shape
("12 Oak Street"), a reason after "because", a thing after the description's verb ("the item the
caller wants to *send back*"). An answer to the simulator's own question is cleaned of its lead-in
("my last name is Müller" -> "Müller", "from Seattle" -> "Seattle", "the toaster" -> "toaster").
"""

from __future__ import annotations

import re

from ..lexicon import lemmas, proper
from ..wordnet import offsets, synset
from .spoken import Heard, own_words

_STREET = (r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|terrace|"
           r"circle|parkway|pkwy|highway|hwy|square|sq)")
ADDRESS_RE = re.compile(r"\b\d{1,6}[A-Za-z]?\s+(?:[A-Za-z][\w'’.-]*\s+){1,3}?" + _STREET + r"\b\.?", re.I)
_WORD = r"[^\W\d_][\w'’.-]*"
_PROPER = r"(?:[dDlL]['’])?[A-Z\u00C0-\u00DE][\w'’-]*"  # "Müller", "O'Neil", "Smith-Jones", "d'Angelo"
#: the small words inside surnames and place names: "Van der Berg", "de la Cruz", "von Trapp", "Rio de Janeiro"
_PARTICLES = ("van", "von", "der", "den", "de", "del", "della", "dela", "di", "da", "du", "des", "la", "le", "ten",
              "ter", "bin", "ibn", "al", "el", "dos", "das", "st")
_PARTICLE = r"(?i:(?:" + "|".join(_PARTICLES) + r")\.?\s+)"
#: a capitalised word with the particles before it; a name is one, then more (``_named_run``, ``clean_answer``)
_NAME_WORD = _PARTICLE + "{0,2}" + _PROPER
_NOT_NAMES = frozenset("""i i'm im dr mr mrs ms the a an my our please thanks hi hello yes no ok okay it it's
january february march april may june july august september october november december monday tuesday wednesday
thursday friday saturday sunday today tomorrow sorry actually oops wait""".split())
_LEAD_RE = re.compile(
    r"^\s*(?:(?:well|um+|uh+|so|ok(?:ay)?|yes|yeah|yep|sure|oh|hi|hello|right|alright|sorry|actually|no)\b[,.!\s]*)+",
    re.I)
_IT_IS_RE = re.compile(r"^\s*(?:it'?s|it\s+is|that'?s|that\s+is|this\s+is|i'?m|i\s+am|we'?re|call\s+me|"
                       r"make\s+(?:it|that)|just)\s+", re.I)
_IS_RE = re.compile(r"^.{0,40}?\b(?:is|are|was|'s)\s+(?=\S)", re.I)
#: a verb of going before a place: "leaving from", "going to", "flying out of"
_MOVING_RE = re.compile(r"^\s*[a-z]+ing\s+(?:out\s+of\s+|(?=(?:for|from|to|at|in|into|on)\s))", re.I)
_PREP_RE = re.compile(r"^\s*(?:for|from|to|at|in|on|under|by)\s+", re.I)
_ARTICLE_RE = re.compile(r"^\s*(?:the|a|an|my|our|his|her|their|this|that)\s+", re.I)
_TAIL_RE = re.compile(r"[\s,;:]*(?:please|thanks|thank\s+you|thx)?[\s.!?,;:]*$", re.I)
_REASON_RE = re.compile(r"\b(?:because|since|as|due\s+to|cause)\s+(?:of\s+)?(.+?)\s*(?=[.!?;]|,\s*(?:and|but|so|it)\b|$)",
                        re.I)
#: "for a sore throat", "for my annual checkup": what it is for, when it is no value (no digits, no name)
_FOR_RE = re.compile(r"\bfor\s+(?:a|an|my|our|his|her|their|some|(?P<the>the))\s+([a-z][a-z' -]*?)\s*(?=[.!?;,]|\s(?:and|but|so|on|at|in|by|with|from|to|because|since|please)\b|$)")
#: "..., the mug was chipped", "and it arrived broken": a fact about the thing, said as the reason
_FACT_RE = re.compile(r"(?:^|[,;]\s*|\band\s+)((?:the|my|it|its|they|this|that|our)\b(?:\s+[a-z]+){0,3}?\s+"
                      r"(?:was|were|is|are|arrived|came|got|broke|stopped|(?:does|did|do|wo|is|was|are|were)n'?t)"
                      r"(?:\s+[a-z]+){0,3}?)\s*(?=[.!?;,]|\s(?:and|but|so)\b|$)", re.I)
#: "..., I ordered the wrong size", "but we don't need it any more": what the caller did or does not, said as
#: the reason (after a comma or "and"/"but": a message's own first clause is its request)
_I_DID_RE = re.compile(r"(?:[,;]\s*|\b(?:and|but)\s+)((?:i|we)\s+(?:[a-z]+ed|found|bought|got|made|paid|chose|picked|"
                       r"(?:do|did)n'?t\s+[a-z]+|no\s+longer\s+[a-z]+|never\s+[a-z]+)\b(?:\s+[\w'-]+){0,6}?)\s*"
                       r"(?=[.!?;,]|\s(?:and|but|so)\b|$)", re.I)
_VAGUE = frozenset({"something", "anything", "it", "them", "this", "that", "one", "some", "stuff", "things"})


def clean_answer(text: str, role: str, label_words: tuple[str, ...] = (), keep_stop: bool = False) -> str:
    """The value in an answer to "what is your <label>?" (a whole sentence keeps its full stop). A message as
    ``spoken.normalise`` heard it is read in the caller's own words ("after two days"), unless the value is a
    number or a code ("1234", not "one two three four") or an address ("12 Oak Street")."""
    if not isinstance(text, Heard):
        return _clean(text, role, label_words, keep_stop, None)
    heard = _clean(text, role, label_words, keep_stop, text.raw)
    if role == "address" or _CODE_RE.fullmatch(heard):
        return heard
    return _clean(text.said, role, label_words, keep_stop, text.raw)


#: one token with a digit in it: a number, an amount, a phone number or a code, written as normalised
_CODE_RE = re.compile(r"[^\s]*\d[^\s]*")


def _clean(text: str, role: str, label_words: tuple[str, ...], keep_stop: bool, raw: str | None) -> str:
    value = _LEAD_RE.sub("", text).strip()
    value = _IT_IS_RE.sub("", value)
    head = _IS_RE.match(value)
    if head and (set(re.findall(r"[a-z]+", head.group(0).lower())) & set(label_words) or role in ("name", "place")):
        value = value[head.end():]
    if role == "place":  # "leaving from Atlanta", "going to Salt Lake City", "flying out of Denver"
        value = _MOVING_RE.sub("", value)
    if role in ("name", "place", "thing", "address"):
        value = _PREP_RE.sub("", value)
    if role in ("thing", "place", "name"):
        value = _ARTICLE_RE.sub("", value)
    stop = "." if keep_stop and value.rstrip().endswith(".") else ""
    value = _TAIL_RE.sub("", value).strip(" \"'`\u201c\u201d\u2018\u2019") + stop
    if role == "name":
        proper = re.findall(_NAME_WORD + r"(?:\s+" + _NAME_WORD + r")*", value)
        proper = [p for p in proper if p.lower() not in _NOT_NAMES]
        if proper:
            return capitalised(proper[-1], role, raw)
    return capitalised(value, role, raw)


def _named_run(text: str) -> str:
    """Words that may be a name: capitalised ones, or in a lowercase transcript up to three of any."""
    lower = r"|[a-z][\w'’-]+(?:\s+[a-z][\w'’-]+){0,2}" if text == text.lower() else ""
    return _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){0,2}" + lower


def _named(words: list[str], last: bool = False) -> str:
    """In a lowercase transcript, the words that name something: the longest run (from the start, or from
    the end when ``last``) WordNet knows as a name ("new york"), else one word it does not know at all
    ("nguyen"); never an ordinary word ("book" in "i want to book a flight")."""
    lead = next((i for i, w in enumerate(words) if w not in _PARTICLES), len(words))
    if lead and not last and lead < len(words):  # "de la cruz": the particles and the name after them
        return " ".join(words[: lead + 1])
    runs = [words[-n:] if last else words[:n] for n in range(len(words), 0, -1)]
    for run in runs:
        if proper(" ".join(run)):
            return " ".join(run)
    one = runs[-1] if runs else []
    return " ".join(one) if one and proper(one[0]) is None else ""


def capitalised(value: str, role: str, raw: str | None = None) -> str:
    """A name or a place heard in a lowercase transcript, or spelled letter by letter (joined in capitals by
    ``spoken.normalise``: capitals the ``raw`` message does not hold), written as a name: "o'brien" -> "O'Brien",
    "Z I G G Y" -> "Ziggy"; "LAX" typed as such stays. Codes never get here: a variable whose example has
    digits or is all capitals has a shape (``codes.shape_of``) and is read by it."""
    if role not in ("name", "place"):
        return value
    if value.islower():
        return _title(value)
    if raw is not None and value.isupper():
        return re.sub(r"\b[A-Z]{2,}\b", lambda m: m.group(0) if re.search(r"(?<!\w)" + m.group(0) + r"(?!\w)", raw)
                      else m.group(0).title(), value)
    return value


def _title(value: str) -> str:
    """A lowercase name written as one: "o'brien" -> "O'Brien", "de la cruz" -> "De la Cruz"."""
    words = value.split(" ")
    return " ".join(w if i and w in _PARTICLES else w.title() for i, w in enumerate(words))


def find_free_text(text: str, role: str, cues: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """Values for a free-text variable in a sentence that was not an answer to its question: found in the
    message as normalised, and (but for an address) written in the caller's own words ("after two days")."""
    raw = text.raw if isinstance(text, Heard) else None
    out = []
    for v, s, e in _free_text(text, role, cues):
        if role != "address" and v.lower() == text[s:e].lower() and not _CODE_RE.fullmatch(v):
            said = own_words(text, s, e)
            v = v[:1] + said[1:] if said[:1].lower() == v[:1].lower() else said
        out.append((capitalised(v, role, raw), s, e))
    return out


def _free_text(text: str, role: str, cues: tuple[str, ...]) -> list[tuple[str, int, int]]:
    if role == "address":
        return [(m.group(0).rstrip("."), m.start(), m.start() + len(m.group(0).rstrip("."))) for m in ADDRESS_RE.finditer(text)]
    if role == "reason":
        return find_reasons(text, cues)
    if role == "problem":
        return find_problems(text)
    if role == "labelled":
        return find_labelled(text, cues)
    out: list[tuple[str, int, int]] = []
    for cue in cues:
        if role == "thing":
            pattern = (r"\b" + _said(cue) + r"\s+(?:for\s+)?(?:the|my|a|an|our|this|that|these|those)?\s*(" + _WORD
                       + r"(?:\s+" + _WORD + r")?)")
            if " " in cue:  # "send the lamp from order SO-1 back": the thing between the verb and its particle
                pattern += (r"|\b" + _said(cue, split=True) + r"\s+(?:the|my|a|an|our|this|that|these|those)\s+(" + _WORD
                            + r"(?:\s+" + _WORD + r")?)(?=[^.!?]{0,60}?\b" + re.escape(cue.split(" ", 1)[1]) + r"\b)")
        else:
            pattern = r"\b" + re.escape(cue) + r"\s+(" + _named_run(text) + r")(?![\w@.-]*\d)"
        for m in re.finditer(pattern, text, 0 if role != "thing" else re.I):
            group = next(g for g in range(1, (m.lastindex or 1) + 1) if m.group(g) is not None)
            value = _trim(m.group(group), role)
            if role != "thing" and text == text.lower():
                value = _named(value.split())
            if value and value.lower() not in _NOT_NAMES | _VAGUE and value.split()[0].lower() not in _STOP_AFTER | _VERBS:
                out.append((value, m.start(group), m.start(group) + len(value)))
    if role == "place" and "from" in cues and not out:  # "Boston to Seattle": the place before "to" <place>
        run = _named_run(text)
        for m in re.finditer(r"(?<!\bto\s)\b(" + run + r")\s+(?:to|->)\s+(?=" + run + r")", text):
            value = m.group(1) if text != text.lower() else _named(m.group(1).split(), last=True)
            if value and value.lower() not in _NOT_NAMES | _STOP_AFTER | _VERBS:
                out.append((value, m.end(1) - len(value), m.end(1)))
    if role == "name" and not out:
        # a capitalised word not opening a sentence (unless after a particle: "von Trapp"), joined to the next
        # by particles ("Ali bin Hamad")
        for m in re.finditer(r"(?<![\w'’-])(?:(?<![.!?]\s)(?<!^)|(?=[a-z]))" + _PARTICLE + "{0,2}" + _PROPER
                             + r"(?:\s+" + _PARTICLE + "{1,2}" + _PROPER + r")*(?![\w'’-])", text):
            word = m.group(0)
            if word.lower() not in _NOT_NAMES and not word.isupper() and not any(c.isdigit() for c in word):
                out.append((word, m.start(), m.end()))
    out.sort(key=lambda f: f[1])
    return out


def _said(cue: str, split: bool = False) -> str:
    """A pattern for a cue verb said in other words: "send back" is also "ship back" or "mail back" (the words
    of the verb's synsets in WordNet, with the same particle). ``split``: the verb alone, for "send <the thing>
    back", where the particle comes after the thing."""
    verb, _, rest = cue.partition(" ")
    same = sorted({name for lemma, pos in lemmas(verb) if pos == "verb" for offset in offsets(lemma, pos)
                   for name in synset(pos, offset)[0] if name.isalpha()} | {verb}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w) for w in same) + ")" + (r"\s+" + re.escape(rest) if rest and not split else "")


def find_labelled(text: str, labels: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """Free text said right after its name: "with the note rent for March", "memo: rent"."""
    out = []
    for label in labels:
        pattern = (r"\b" + re.escape(label) + r"s?\b\s*(?:is|:|saying|says|that\s+says|reading|reads)?\s*[\"'“]?"
                   r"([^.!?;,\"”]+?)[\"'”]?\s*(?=[.!?;,]|\s(?:and|but|please)\b|$)")
        for m in re.finditer(pattern, text, re.I):
            value = m.group(1).strip()
            if value and value.split()[0].lower() not in _STOP_AFTER | _VERBS | {"the", "a", "an"}:
                out.append((value, m.start(1), m.start(1) + len(value)))
    return sorted(out, key=lambda f: f[1])


def _describes(word: str) -> bool:
    """A word that says how a thing is: an adjective or a participle ("empty", "cracked", "broken")."""
    return bool(re.fullmatch(r"[a-z]+(?:ed|en)", word)) or any(pos == "adj" for _, pos in lemmas(word))


def find_reasons(text: str, things: tuple[str, ...] = ()) -> list[tuple[str, int, int]]:
    """Why the caller wants it: after "because", "since", "due to"; "for a sore throat"; "the lid was cracked".
    "for an order" names one of the request's own ``things`` (words of the tool's name and variables), no reason."""
    found = [(m.group(1).strip(), m.start(1), m.end(1)) for m in _REASON_RE.finditer(text)]
    if not found:
        found = [(m.group(2), m.start(2), m.end(2)) for m in _FOR_RE.finditer(text) if m.group(2).strip()
                 and not set(m.group(2).lower().split()) <= set(things)
                 and (not m.group("the") or _describes(m.group(2).split()[0].lower()))]  # "for the broken kettle"
    if not found:
        found = [(m.group(1), m.start(1), m.end(1)) for m in _FACT_RE.finditer(text)
                 if not re.search(r"\b(?:name|number|email|address|phone)\b", m.group(1), re.I)
                 and (re.search(r"n'?t\b", m.group(1)) or _describes(m.group(1).split()[-1]))]
    if not found:
        found = [(m.group(1), m.start(1), m.end(1)) for m in _I_DID_RE.finditer(text)
                 if not re.search(r"\b(?:wanted|mind|called|calling)\b", m.group(1), re.I)]
    return found


#: what went wrong after a colon: "I want to report a problem: the app crashes when I log in"
_AFTER_COLON_RE = re.compile(r":\s*(.+?)\s*(?=,\s*(?:and\s+)?(?:my\s+|the\s+)?(?:e-?mail|phone|number|name|address)\b|[.;!?]|$)",
                             re.I)
#: what went wrong said as a fact: "my router keeps dropping the connection", "the app crashes when I log in"
_PROBLEM_RE = re.compile(r"(?:^|[,;.:!?]\s*|\b(?:that|because|since|and)\s+)((?:my|our|the|it|its|i|we)\b"
                         r"(?:\s+[\w'-]+){2,16}?)\s*(?=[,.;!?]|$|\s(?:and|but|so)\s+(?:please|can|could|i|my|email)\b)",
                         re.I)
#: a clause that asks for something or gives a value, not what went wrong
_NOT_A_PROBLEM_RE = re.compile(r"^(?:i|we)\s+(?:want|wanna|would|'d|need|'m\s+calling|am\s+calling|have\s+a|got\s+a)\b|"
                               r"^(?:i|we)'d\b|^(?:my|our|the)\s+(?:e-?mail|phone|number|name|address|account|order|"
                               r"customer)\b|\bticket\b|\breport\b", re.I)


def find_problems(text: str) -> list[tuple[str, int, int]]:
    """What went wrong, in the caller's words: the clause after a colon, or a clause that states a fault."""
    found = [(m.group(1), m.start(1), m.end(1)) for m in _AFTER_COLON_RE.finditer(text)
             if len(m.group(1).split()) >= 3 and not _NOT_A_PROBLEM_RE.search(m.group(1))]
    if not found:
        found = [(m.group(1), m.start(1), m.end(1)) for m in _PROBLEM_RE.finditer(text)
                 if not _NOT_A_PROBLEM_RE.search(m.group(1))]
    return [(v[:1].upper() + v[1:], s, e) for v, s, e in found]


_VERBS = frozenset("is are was were be been am has have had do does did will would can could should".split())
_STOP_AFTER = frozenset("""on at for to from in by with and or but please because since as from order which that who
when tomorrow today next this i we you he she they it my our""".split())


def _trim(value: str, role: str) -> str:
    words = value.split()
    kept = []
    for w in words:
        if w.lower() in _STOP_AFTER:
            break
        kept.append(w)
    return " ".join(kept).strip(" ,.;:!?")
