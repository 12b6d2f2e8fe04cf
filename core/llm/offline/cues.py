"""Cues in what the caller says: honesty questions, greetings, cancelling, negation, corrections."""

from __future__ import annotations

import re

HONESTY_RE = re.compile(
    r"\b(?:are|r)\s+(?:you|u)\s+(?:an?\s+|just\s+an?\s+|really\s+an?\s+|actually\s+an?\s+)?"
    r"(?:real|human|person|bot|robot|ai|a\.i\.|machine|computer|simulat\w*|llm|chat\s?bot|language model|gpt|"
    r"program|automated|live)\b"
    r"|\bam\s+i\s+(?:talking|speaking|chatting)\s+(?:to|with)\s+(?:an?\s+)?(?:real|human|person|bot|robot|ai|"
    r"machine|computer|live)"
    r"|\b(?:what|which)\s+(?:llm|model|ai|language model)\b"
    r"|\bwho\s+are\s+you\b|\bwhat\s+are\s+you\b|\bis\s+this\s+an?\s+(?:bot|real|human|ai|robot|person|machine)"
    r"|\bwho\s+am\s+i\s+(?:talking|speaking|chatting)\s+(?:to|with)",
    re.I)
GREETING_RE = re.compile(r"^\W*(?:hi|hello|hey|hiya|howdy|yo|greetings|good\s+(?:morning|afternoon|evening|day))\b",
                          re.I)
THANKS_RE = re.compile(r"\b(?:thanks|thank\s+you|thx|ty|cheers|much\s+appreciated)\b", re.I)
BYE_RE = re.compile(r"^\W*(?:bye|goodbye|good\s+bye|see\s+you|that'?s\s+all|that\s+is\s+all)\b", re.I)
_DROP = r"(?:never\s*mind|nvm|cancel(?:\s+(?:that|it|this))?|forget\s+(?:it|that|about\s+it)|stop)"
CANCEL_RE = re.compile(r"^\W*" + _DROP + r"(?:\W+" + _DROP + r")*\W*$", re.I)  # "never mind, forget it"


#: the caller takes a request back, or never meant it ("I was going to ... but I'll keep it")
CHANGED_MIND_RE = re.compile(
    r"\b(?:(?:i'?ll|i\s+will|i'?d\s+rather|let'?s)\s+keep\s+(?:it|them|that|the\s+\w+)|changed\s+my\s+mind|"
    r"on\s+second\s+thoughts?|not\s+now|(?:just\s+)?found\s+(?:it|them)(?:\s+(?:again|now|already))?\s*(?:$|[.,!?;])|forget\s+(?:it|that|about\s+it)|"
    r"never\s*mind|nvm|i'?ll\s+(?:drive|do\s+it\s+myself|think\s+about\s+it|call\s+back)|it'?s\s+fine|"
    r"already\s+(?:paid|did|done|sorted)|no\s+need|don'?t\s+(?:do\s+(?:that|it|this)|bother)|"
    r"no,?\s+don'?t\b|i\s+still\s+want\s+it|might\b.*\blater)", re.I)
#: "don't cancel", "please do not transfer": the next word says what is not wanted. Only said as a request
#: (a clause's start, after "please", "I", "we"): "they don't fit" says nothing about what to do
NEGATED_VERB_RE = re.compile(r"(?:^|[,.;:!?]\s*|\b(?:please|so|but|and|just|then|oh|no|i|we)\s+)"
                             r"(?:(?:don'?t|do\s+not|never)\s+(?:want|need|wish)\s+(?:you\s+)?to|(?:i'?d|i\s+would|we'?d|we\s+would)\s+rather\s+not|"
                             r"don'?t|do\s+not|never)\s+(?!want|need|like|have|know|think)(\w+)", re.I)
#                            ("I don't want to cancel it", "I'd rather not transfer it" say not to do it too)
#: a correction of what was just sent ("sorry, it's AA1118", "actually make that 4")
CORRECTION_AFTER_RE = re.compile(
    r"\b(?:sorry|oops|i\s+mean[t]?|actually|make\s+(?:it|that)|instead|should\s+(?:be|have\s+been)|"
    r"wrong|correction|no\s+wait|wait)\b|\bnot\s+[^,]+,", re.I)
#: "not Phoenix, Tucson": the old value and the new one
NOT_THIS_BUT_THAT_RE = re.compile(r"\bnot\s+([^,.!?]+?)\s*,\s*(?:but\s+|it'?s\s+|rather\s+)?([^,.!?]+)", re.I)
#: a date said relative to the one given before: "the day after", "a week later", "two days earlier"
SHIFT_RE = re.compile(r"\b(?:the\s+)?(?P<unit1>day|week)\s+(?P<dir1>after|before)\b(?!\s+(?:tomorrow|next|that))|"
                      r"\b(?P<n>a|an|one|two|three|four|five|six|seven|\d{1,2})\s+(?P<unit2>day|week)s?\s+"
                      r"(?P<dir2>later|earlier|after|before|sooner)\b", re.I)
#: a question about an action, not a request for it: "should I cancel it?", "what happens if I cancel it?"
HYPOTHETICAL_RE = re.compile(r"\b(?:should\s+i|what\s+(?:happens|would\s+happen|if)|how\s+(?:do|can|would)\s+i|"
                             r"is\s+it\s+possible\s+to|am\s+i\s+able\s+to|would\s+it\s+be\s+(?:possible|wise))\b", re.I)
#: a message that asks for something rather than answers: "what plan am I on?", "can you check ...", "I need ..."
ASKING_RE = re.compile(r"\?\s*$|^\W*(?:(?:can|could|would|will)\s+you|i\s+(?:need|want|would\s+like|'d\s+like)|"
                       r"i'd\s+like|please|what|where|when|how|is|are|do|does|check|look|get|find|book|cancel)\b", re.I)
