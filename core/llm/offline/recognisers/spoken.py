"""Speech-to-text transcripts made readable: number words to digits, spelled codes, spoken emails.

``normalise`` runs once on every user message; every other recogniser reads its output. Number words
go through text2num's ``alpha2digit`` (made for speech transcripts); the rest are small rewrites that
it does not do: "and a half", "a dozen", dollars and cents, digits read one by one ("five five five,
zero one four" -> 555014), letters and NATO words spelled with digits ("alpha bravo seven four two" ->
AB742), and emails read aloud ("john dot smith at example dot com").
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from text_to_num import alpha2digit

NATO = {
    "alpha": "A", "alfa": "A", "bravo": "B", "charlie": "C", "delta": "D", "echo": "E", "foxtrot": "F", "golf": "G",
    "hotel": "H", "india": "I", "juliet": "J", "juliett": "J", "kilo": "K", "lima": "L", "mike": "M",
    "november": "N", "oscar": "O", "papa": "P", "quebec": "Q", "romeo": "R", "sierra": "S", "tango": "T",
    "uniform": "U", "victor": "V", "whiskey": "W", "whisky": "W", "xray": "X", "x-ray": "X", "yankee": "Y",
    "zulu": "Z",
}
_DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                "seven": "7", "eight": "8", "nine": "9"}
_DASH_WORDS = {"dash", "hyphen", "minus"}

_PHRASES = [  # before alpha2digit: quantities it does not read
    (re.compile(r"\bhalf\s+a\s+dozen\b", re.I), "6"),
    (re.compile(r"\ba\s+dozen\b", re.I), "12"),
    (re.compile(r"\b(?:a\s+)?couple\s+of\b", re.I), "2"),
    (re.compile(r"\ba\s+(hundred|thousand)\b", re.I), r"one \1"),
    # "oh" read out for a zero among digits ("oh nine one seven", "five oh two")
    (re.compile(r"(?<![,.!?]\s)(?<!^)\boh\b(?=[\s-]+(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\d)\b)|"
                r"^oh\b(?=[\s-]+(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\d)\b(?:[\s,-]+(?:zero|oh|one|two|"
                r"three|four|five|six|seven|eight|nine|\d)\b){2})", re.I), "zero"),
    (re.compile(r"\b(zero|one|two|three|four|five|six|seven|eight|nine|\d)([\s,-]+)oh\b", re.I), r"\1\2zero"),
    # digits read out as "double five", "triple zero" (phone numbers, card digits)
    (re.compile(r"\bdouble\s+(zero|oh|one|two|three|four|five|six|seven|eight|nine|\d)\b", re.I), r"\1 \1"),
    (re.compile(r"\btriple\s+(zero|oh|one|two|three|four|five|six|seven|eight|nine|\d)\b", re.I), r"\1 \1 \1"),
]
_HALF_RE = re.compile(r"\b(\d+)\s+and\s+a\s+half\b", re.I)
_CENTS_RE = re.compile(r"\$?\b(\d{1,3}(?:,\d{3})+|\d+)\s*(?:dollars?|bucks|usd)\s*(?:and\s+)?(\d{1,2})(?:\s*cents?)?\b(?!\s*(?:\d|%))", re.I)
_DOLLARS_RE = re.compile(r"(?<![$\d.,])\b((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?:dollars?|bucks|usd)\b(?<!\$)", re.I)
_DIGIT_RUN_RE = re.compile(r"(?<![\w.,:/-])\d{1,3}(?:(?:\s*,\s*|\s+)\d{1,4}){2,}(?![\w.:/-]|,\d)")
_SPELLED_GAP_RE = re.compile(r"[\s,-]*")
_TOKEN_RE = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)?|\d+|,")
#: "plus" said before a number as long as a phone number's is the "+" of its country code ("plus 44 ...")
_PLUS_RE = re.compile(r"(?:\bplus\s*,?|\+)\s+(?=\d{8,15}(?![\w.]|,\d))", re.I)
#: " at example dot com", " at example.com" (a domain part written, the rest said)
_EMAIL_TAIL_RE = re.compile(r"\s+at\s+([a-z0-9-]+(?:\s+dot\s+[a-z0-9-]+)+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})\b(?![.@-]?\w)",
                            re.I)
_EMAIL_SEP = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-", "plus": "+"}


class Heard(str):
    """A message as normalised (what the recognisers read) that keeps the caller's own words: ``said`` is the
    message with only spelled letters and spoken emails joined ("two days" stays words), ``raw`` as written."""

    said: str
    raw: str

    def __new__(cls, text: str, said: str, raw: str) -> "Heard":
        heard = super().__new__(cls, text)
        heard.said, heard.raw = said, raw
        return heard


@lru_cache(maxsize=4096)
def normalise(text: str) -> Heard:
    """The message as a careful listener would write it down."""
    raw = text
    text = said = _spelled_codes(_spoken_emails(text))
    for pattern, repl in _PHRASES:
        text = pattern.sub(repl, text)
    try:
        text = alpha2digit(text, "en", threshold=0)
    except Exception:  # pragma: no cover - a transcript it cannot read is left as it is
        pass
    text = _HALF_RE.sub(lambda m: f"{m.group(1)}.5", text)
    text = _CENTS_RE.sub(lambda m: f"${m.group(1)}.{int(m.group(2)):02d} dollars", text)
    text = _DOLLARS_RE.sub(lambda m: f"${m.group(1)} dollars", text)
    text = _DIGIT_RUN_RE.sub(_join_digits, text)
    return Heard(_PLUS_RE.sub("+", text), said, raw)


_WORD_RE = re.compile(r"\w+|[^\w\s]")


def own_words(text: str, start: int, end: int) -> str:
    """``text[start:end]`` in the words the caller said: where normalising rewrote numbers ("after 2 days"), the
    words it was said in ("after two days"). Words are lined up by difflib; a rewritten run is taken whole."""
    if not isinstance(text, Heard) or text.said == text:
        return text[start:end]
    return text.said[slice(*_said_span(str(text), text.said, start, end))]


@lru_cache(maxsize=256)
def _lined_up(heard: str, said: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[str, int, int, int, int]]]:
    mine = [m.span() for m in _WORD_RE.finditer(heard)]
    theirs = [m.span() for m in _WORD_RE.finditer(said)]
    ops = SequenceMatcher(None, [heard[a:b].lower() for a, b in mine], [said[a:b].lower() for a, b in theirs],
                          autojunk=False).get_opcodes()
    return mine, theirs, ops


def _said_span(heard: str, said: str, start: int, end: int) -> tuple[int, int]:
    mine, theirs, ops = _lined_up(heard, said)
    first = next((i for i, (a, b) in enumerate(mine) if b > start), None)
    last = next((i for i in range(len(mine) - 1, -1, -1) if mine[i][0] < end), None)
    if first is None or last is None or first > last:
        return start, start
    return _edge(first, start, mine, theirs, ops, True), _edge(last, end, mine, theirs, ops, False)


def _edge(i: int, pos: int, mine: list[tuple[int, int]], theirs: list[tuple[int, int]],
          ops: list[tuple[str, int, int, int, int]], left: bool) -> int:
    """Where a span's start (``left``) or end inside word ``i`` of the normalised text falls in the said text."""
    k, (tag, i1, i2, j1, j2) = next((k, op) for k, op in enumerate(ops) if op[1] <= i < op[2])
    if not left and i == i2 - 1 and k + 1 < len(ops) and ops[k + 1][0] == "insert":
        return theirs[ops[k + 1][4] - 1][1]  # words said after it that the normaliser folded in ("... fifty")
    if tag == "equal":
        a, b = theirs[j1 + i - i1]
        return min(max(a + pos - mine[i][0], a), b)
    if j1 == j2:  # words the normaliser added ("dollars" after "$23.50"): nothing of the caller's
        return theirs[j1][0] if j1 < len(theirs) else (theirs[-1][1] if theirs else 0)
    return theirs[j1][0] if left else theirs[j2 - 1][1]


def _join_digits(m: re.Match[str]) -> str:
    """Digits read in groups ("555, 014, 2233", "9 4 1 1 0") are one number; "2 or 3" is not."""
    groups = re.findall(r"\d+", m.group(0))
    if sum(len(g) for g in groups) < 4 or all(len(g) >= 3 for g in groups[:1]) and len(groups[0]) > 3:
        return m.group(0)
    return "".join(groups)


def _spelled_codes(text: str) -> str:
    """Runs of spelled letters, NATO words and digits that hold at least one letter and one digit ("alpha bravo
    seven four two"), or three letters or more ("lima foxtrot papa golf", "L F P G", "z i g g y": a lowercase
    "a" or "i" is a letter among letters, a word elsewhere)."""
    tokens = list(_TOKEN_RE.finditer(text))
    out, last, i = [], 0, 0
    while i < len(tokens):
        j, parts, letters, digits = i, [], 0, 0
        if re.search(r"\d[.,]$", text[: tokens[i].start()]):  # the decimals of "12.50": no spelled run starts there
            i += 1
            continue
        while j < len(tokens):
            word = tokens[j].group(0)
            low = word.lower()
            gap = text[tokens[j - 1].end(): tokens[j].start()] if j > i else ""
            if not (_SPELLED_GAP_RE.fullmatch(gap) or (gap.startswith(".") and tokens[j - 1].group(0).isalpha()
                                                        and _SPELLED_GAP_RE.fullmatch(gap[1:]))):
                break  # "59.90 I paid": a decimal point ends a spelled run, unless after a letter ("U.A. 482")
            if low in NATO:
                parts.append(NATO[low]); letters += 1
            elif (len(word) == 1 and word.isalpha()
                  and (word.isupper() or low not in ("a", "i") or (parts and parts[-1].isalpha())
                       or (j + 1 < len(tokens) and re.fullmatch(r"[A-Za-z]", tokens[j + 1].group(0))))
                  and text[tokens[j].start() - 1: tokens[j].start()] not in ("'", "\u2019")
                  and text[tokens[j].end(): tokens[j].end() + 1] not in ("'", "\u2019")):
                parts.append(word.upper()); letters += 1
            elif low in _DIGIT_WORDS and (letters or digits):
                parts.append(_DIGIT_WORDS[low]); digits += 1
            elif word.isdigit() and len(word) <= 6:
                parts.append(word); digits += 1
            elif low in _DASH_WORDS and parts:
                parts.append("-")
            else:
                break
            j += 1
        if (letters and digits and len(parts) >= 3 and letters <= 4) or (not digits and 3 <= letters <= 8):
            out.append(text[last:tokens[i].start()])
            out.append("".join(parts).strip("-"))
            last = tokens[j - 1].end()
            i = j
        else:
            i += 1
    out.append(text[last:])
    return "".join(out)


def _spoken_emails(text: str) -> str:
    """"ben dot carter at example dot com" -> "ben.carter@example.com", each address said."""
    m = _EMAIL_TAIL_RE.search(text)
    if not m or "@" in text:
        return text
    words = text[: m.start()].split()
    local: list[str] = []
    while words:  # walk back over the local part: words joined by dot/underscore/dash, or spelled letters
        word = words[-1].lower().strip(",")
        if not re.fullmatch(r"[a-z0-9]+(?:[._-][a-z0-9]+)*", word):
            break
        if local and local[0] not in _EMAIL_SEP and word not in _EMAIL_SEP and not (len(word) == 1 and len(local[0]) == 1):
            break
        local.insert(0, word)
        words.pop()
        if local[0] not in _EMAIL_SEP and len(local[0]) > 1 and (not words or words[-1].lower() not in _EMAIL_SEP):
            break
    if not local or local[0] in _EMAIL_SEP:
        return text
    domain = ".".join(p.strip() for p in re.split(r"\s+dot\s+|\.", m.group(1), flags=re.I))
    address = "".join(_EMAIL_SEP.get(w, w) for w in local) + "@" + domain.lower()
    prefix = " ".join(text[: m.start()].split()[: len(words)])
    lead = text[: len(text[: m.start()]) - len(text[: m.start()].lstrip())]
    # and any other address said after it ("..., oops, I mean jon dot doe at example dot org")
    return f"{lead}{prefix}{' ' if prefix else ''}{address}{_spoken_emails(text[m.end():])}"
