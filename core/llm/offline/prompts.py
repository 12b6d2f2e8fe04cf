"""What the simulator says when it is not calling: questions, help, honesty."""

from __future__ import annotations

import re

from .words import _tokens
from .tools import _Param, _Tool, _ToolSet, _a

MAX_LISTED_TOOLS = 8
SIMULATOR_NOTE = "I'm the offline simulator of the Custom Actions Playground (rule-based, no LLM)"
SWITCH_NOTE = ("To chat with a real model, pick one in Settings, or run the CLI with "
               "`--model openai:MODEL` (any OpenAI-compatible server works).")

# --------------------------------------------------------------------------- conversation rules

_HONESTY_RE = re.compile(
    r"\b(?:are|r)\s+(?:you|u)\s+(?:an?\s+|just\s+an?\s+|really\s+an?\s+|actually\s+an?\s+)?"
    r"(?:real|human|person|bot|robot|ai|a\.i\.|machine|computer|simulat\w*|llm|chat\s?bot|language model|gpt|"
    r"program|automated|live)\b"
    r"|\bam\s+i\s+(?:talking|speaking|chatting)\s+(?:to|with)\s+(?:an?\s+)?(?:real|human|person|bot|robot|ai|"
    r"machine|computer|live)"
    r"|\b(?:what|which)\s+(?:llm|model|ai|language model)\b"
    r"|\bwho\s+are\s+you\b|\bwhat\s+are\s+you\b|\bis\s+this\s+an?\s+(?:bot|real|human|ai|robot|person|machine)"
    r"|\bwho\s+am\s+i\s+(?:talking|speaking|chatting)\s+(?:to|with)",
    re.I)
_GREETING_RE = re.compile(r"^\W*(?:hi|hello|hey|hiya|howdy|yo|greetings|good\s+(?:morning|afternoon|evening|day))\b",
                          re.I)
_THANKS_RE = re.compile(r"\b(?:thanks|thank\s+you|thx|ty|cheers|much\s+appreciated)\b", re.I)
_BYE_RE = re.compile(r"^\W*(?:bye|goodbye|good\s+bye|see\s+you|that'?s\s+all|that\s+is\s+all)\b", re.I)
_CANCEL_RE = re.compile(r"^\W*(?:never\s*mind|nvm|cancel(?:\s+(?:that|it|this))?|forget\s+(?:it|that|about\s+it)|"
                        r"stop)\W*$", re.I)


_WH_WORDS = ("whether ", "how ", "when ", "which ", "what ", "who ", "where ", "if ")


def _ask_text(tool: _Tool, param: _Param, note: str = "") -> str:
    if param.example:
        shown = f"\u201c{param.example}\u201d" if " " in param.example.strip() else param.example
        example = f" \u2014 for example {shown}"
    elif param.kind == "date":
        example = " \u2014 a date like tomorrow, next Friday or YYYY-MM-DD"
    elif param.kind == "email":
        example = " \u2014 an email address like name@example.com"
    else:
        example = ""
    if param.enum:
        options = list(param.enum)
        question = "Is it " + (", ".join(options[:-1]) + " or " + options[-1] if len(options) > 1 else options[0]) + "?"
    elif param.kind == "boolean":
        question = "Yes or no?"
    elif param.kind == "date":
        question = "Which date?"
    else:
        question = "What is it?"
    need = "I need to know" if param.phrase.lower().startswith(_WH_WORDS) else "I need"
    return f"{note}{tool.purpose}, {need} {param.phrase}{example}. {question}"


def _sorry(param: _Param) -> str:
    return f"Sorry, I couldn't find {_a(param.label)} {param.label} in that. "


def _capabilities(ts: _ToolSet) -> str:
    lines = []
    for tool in ts.tools[:MAX_LISTED_TOOLS]:
        desc = re.split(r"(?<=[.!?])\s|;", tool.description.strip(), maxsplit=1)[0].strip().rstrip(".")
        lines.append(f"- {desc} ({tool.name})" if desc else f"- {tool.name}")
    if len(ts.tools) > MAX_LISTED_TOOLS:
        lines.append(f"- and {len(ts.tools) - MAX_LISTED_TOOLS} more")
    return "\n".join(lines)


def _help_text(ts: _ToolSet, latest: str) -> str:
    if _BYE_RE.search(latest):
        return "Goodbye! Come back any time to test your actions."
    if _GREETING_RE.search(latest):
        lead = "Hello! "
    elif _THANKS_RE.search(latest):
        if ts.tools and not set(_tokens(latest)) - {"great", "cool", "nice", "perfect", "awesome", "lot", "much"}:
            return "You're welcome! Is there anything else I can help with?"
        lead = "You're welcome! "
    elif _tokens(latest):
        lead = "I couldn't match that to any of the actions. "
    else:
        lead = ""
    if not ts.tools:
        return (f"{lead}{SIMULATOR_NOTE}. There are no actions to call yet: add or select an action, "
                "then ask me for something it does.")
    return (f"{lead}{SIMULATOR_NOTE}, so I can only help through these actions:\n{_capabilities(ts)}\n"
            "What do you need?")


def _honesty_text(pending_ask: str | None) -> str:
    text = ("I'm the offline simulator of the Custom Actions Playground: a rule-based program, not a person and "
            "not an LLM. I match your words against each action's name, "
            "description and variables, fill the variables from what you type, ask for what is missing, call "
            f"the action and summarise the result. {SWITCH_NOTE}")
    if pending_ask:
        text += f"\n\nBack to your request: {pending_ask}"
    return text
