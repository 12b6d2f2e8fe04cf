"""What the simulator says when it is not calling: questions, help, honesty."""

from __future__ import annotations

import re

from .cues import BYE_RE, GREETING_RE, THANKS_RE
from .words import tokens
from .evidence import is_verb
from .tools import Param, Tool, ToolSet, article, humanize, second_person

MAX_LISTED_TOOLS = 8
CONFIRM_LEAD = "Just to check:"  # how a question before calling a weakly supported action starts
SIMULATOR_NOTE = "I'm the offline simulator of the Custom Actions Playground (rule-based, no LLM)"
SWITCH_NOTE = ("To chat with a real model, pick one in Settings, or run the CLI with "
               "`--model openai:MODEL` (any OpenAI-compatible server works).")

# --------------------------------------------------------------------------- conversation rules

_WH_WORDS = ("whether ", "how ", "when ", "which ", "what ", "who ", "where ", "why ", "if ")


_KIND_EXAMPLES = {"date": " \u2014 a date like tomorrow, next Friday or YYYY-MM-DD",
                  "email": " \u2014 an email address like name@example.com"}
_KIND_QUESTIONS = {"boolean": "Yes or no?", "date": "Which date?", "time": "What time?"}


def ask_text(tool: Tool, param: Param, note: str = "") -> str:
    if param.example:
        shown = f"\u201c{param.example}\u201d" if " " in param.example.strip() else param.example
        example = f" \u2014 for example {shown}"
    else:
        example = _KIND_EXAMPLES.get(param.kind, "")
    if param.enum:
        options = list(param.enum)
        question = "Is it " + (", ".join(options[:-1]) + " or " + options[-1] if len(options) > 1 else options[0]) + "?"
    else:
        question = _KIND_QUESTIONS.get(param.kind, "What is it?")
    need = "I need to know" if param.phrase.lower().startswith(_WH_WORDS) else "I need"
    return f"{note}{tool.purpose}, {need} {param.phrase}{example}. {question}"


def sorry(param: Param) -> str:
    return f"Sorry, I couldn't find {article(param.label)} {param.label} in that. "


def capabilities(ts: ToolSet) -> str:
    lines = []
    for tool in ts.tools[:MAX_LISTED_TOOLS]:
        desc = re.split(r"(?<=[.!?])\s|;", tool.description.strip(), maxsplit=1)[0].strip().rstrip(".")
        lines.append(f"- {second_person(desc)}" if desc else f"- {tool.purpose}")
    if len(ts.tools) > MAX_LISTED_TOOLS:
        lines.append(f"- and {len(ts.tools) - MAX_LISTED_TOOLS} more")
    return "\n".join(lines)


def help_text(ts: ToolSet, latest: str) -> str:
    if BYE_RE.search(latest):
        return "Goodbye! Come back any time to test your actions."
    if GREETING_RE.search(latest):
        lead = "Hello! "
    elif THANKS_RE.search(latest):
        if ts.tools and not set(tokens(latest)) - {"great", "cool", "nice", "perfect", "awesome", "lot", "much"}:
            return "You're welcome! Is there anything else I can help with?"
        lead = "You're welcome! "
    elif tokens(latest):
        lead = "I couldn't match that to any of the actions. "
    else:
        lead = ""
    if not ts.tools:
        return (f"{lead}{SIMULATOR_NOTE}. There are no actions to call yet: add or select an action, "
                "then ask me for something it does.")
    return (f"{lead}{SIMULATOR_NOTE}, so I can only help through these actions:\n{capabilities(ts)}\n"
            "What do you need?")


def honesty_text(pending_ask: str | None) -> str:
    text = ("I'm the offline simulator of the Custom Actions Playground: a rule-based program, not a person and "
            "not an LLM. I match your words against each action's name, "
            "description and variables, fill the variables from what you type, ask for what is missing, call "
            f"the action and summarise the result. {SWITCH_NOTE}")
    if pending_ask:
        text += f"\n\nBack to your request: {pending_ask}"
    return text


def which_text(tools: list[Tool]) -> str:
    """Two (or more) actions fit equally: ask which one is meant, in the caller's words."""
    options = [t.purpose[3:] if t.purpose.startswith("To ") else t.purpose.lower() for t in tools[:3]]
    return f"Just to be sure: do you want me to {', '.join(options[:-1])} or {options[-1]}?"


def doing(tool: Tool) -> str:
    """What the tool does, in the words of its description when it starts with a verb ("book a flight
    ticket"), else from its name ("book a clinic appointment")."""
    first = re.split(r"[,;(]|\.\s|\s(?:when|by|if|once|before|after|so that|and then)\s", tool.description.strip(),
                     maxsplit=1)[0].strip(" .")
    first = re.sub(r"\s+(?:and|or|but|to|for|with)$", "", first)
    verb = first.split()[0].lower() if first else ""
    if tokens(first) and is_verb(verb):
        return second_person(verb + first[len(verb):])
    if tool.purpose.startswith("To "):
        return tool.purpose[3:]
    named = humanize(tool.name).split()
    if len(named) > 1 and is_verb(named[0]):
        return f"{named[0]} {article(named[1])} {' '.join(named[1:])}"
    return f"use {humanize(tool.name)}"


def confirm_text(tool: Tool) -> str:
    """The best action fits only by its name, or its description says it does something else: ask."""
    return f"{CONFIRM_LEAD} do you want me to {doing(tool)}?"


def dropped_text() -> str:
    return "No problem, I've dropped that. What else can I help with?"


def negated_text(tool: Tool | None) -> str:
    if tool is None:
        return "Okay, I won't do anything then. Is there anything else I can help with?"
    what = tool.purpose[3:] if tool.purpose.startswith("To ") else "do that"
    return f"Okay, I won't {what[0].lower() + what[1:]}. Is there anything else I can help with?"
