"""Readable names, clean descriptions and secret names for imported actions. Pure."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Iterable
from urllib.parse import urlsplit

from ..action import tool_name
from ..lint import snake_case

DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 200
VERBS = {"GET": "Get", "POST": "Create", "PUT": "Update", "PATCH": "Update", "DELETE": "Delete"}
_BLOCKS = {"p", "div", "li", "ul", "ol", "br", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
           "blockquote", "section", "dd", "dt", "hr"}
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[`])|\n+")
_ID_SEGMENT_RE = re.compile(r"^(\{\{?.*\}?\}|v\d+(\.\d+)*|\d[\w-]*|[0-9a-f-]{16,}|[A-Za-z]{1,4}_[A-Za-z0-9]{8,}|api|rest)$",
                            re.I)
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _markdown_html(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(text)


def clean_text(text: str | None) -> str:
    """Plain text from Markdown and HTML: tags, emphasis, links and code marks go, the words stay.

    Paragraphs and list items end up on their own lines (so they count as sentence ends)."""
    if not text or not str(text).strip():
        return ""
    parser = _Text()
    parser.feed(_markdown_html(str(text)))
    parser.close()
    out = html.unescape("".join(parser.parts))
    out = re.sub(r"\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*", "", out)  # GitHub alert markers
    lines = [re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in out.split("\n")]
    return "\n".join(line for line in lines if line)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END_RE.split(text) if s and s.strip()]


def _end(sentence: str) -> str:
    sentence = sentence.rstrip(" :;,-")
    return sentence if sentence[-1:] in ".!?" else sentence + "."


def cut(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """Whole sentences of ``text`` up to ``limit`` characters. A first sentence longer than that is cut
    at the last clause or word boundary and ends with an ellipsis."""
    whole = re.sub(r"\s*\n\s*", " ", text.strip())
    if len(whole) <= limit:
        return whole
    out = ""
    for sentence in sentences(text):
        candidate = f"{out} {_end(sentence)}".strip()
        if len(candidate) > limit:
            break
        out = candidate
    if out or not text.strip():
        return out
    head = text.strip().split("\n")[0][: limit - 1]
    for mark in ("; ", ", ", " - ", " "):
        pos = head.rfind(mark)
        if pos >= limit // 2:
            return head[:pos].rstrip(" ,;:-") + "…"
    return head.rstrip() + "…"


def describe(*texts: str | None, fallback: str) -> str:
    """The first of ``texts`` that gives 10-200 characters of whole sentences, else ``fallback``."""
    for text in texts:
        result = cut(clean_text(text))
        if len(result) >= DESCRIPTION_MIN and not result.endswith("…"):
            return result
    for text in texts:  # no whole sentence fits: a cut one beats the generic fallback
        result = cut(clean_text(text))
        if len(result) >= DESCRIPTION_MIN:
            return result
    return cut(fallback)


def resource_words(path: str) -> str:
    """``/v1/customers/{id}/sources`` -> ``customer sources``: the path's nouns, ids and versions dropped."""
    segments = [s for s in path.split("/") if s and not _ID_SEGMENT_RE.match(s)]
    words = [re.sub(r"[_\-.]+", " ", snake_case(s) if not s.islower() else s) for s in segments[-2:]]
    return " ".join(w.strip() for w in words if w.strip())


def host_of(url: str) -> str:
    return (urlsplit(url if "://" in url else "http://" + url).hostname or "").lower()


def describe_request(method: str, url: str) -> str:
    """A usable description from the method and the URL, for an import with nothing better."""
    host, path = host_of(url), urlsplit(url).path or "/"
    what = resource_words(path) or "the resource"
    verb = VERBS.get(method.upper(), method.capitalize())
    return cut(f"{verb} {what} on {host} ({method.upper()} {path}).")


def name_request(method: str, url: str) -> str:
    what = resource_words(urlsplit(url).path) or api_label(host_of(url)).lower().replace("_", " ")
    return title(f"{VERBS.get(method.upper(), method.capitalize())} {what}")


def title(text: str) -> str:
    """``list all pets`` -> ``List All Pets`` (words already capitalised, like IDs, stay as they are)."""
    words = re.sub(r"\s+", " ", text).strip(" .").split(" ")
    small = {"a", "an", "the", "of", "for", "to", "in", "on", "by", "and", "or", "with", "from"}
    return " ".join(w if (w[:1].isupper() or (i and w in small)) else w[:1].upper() + w[1:]
                    for i, w in enumerate(words) if w)


def humanize(identifier: str) -> str:
    """``listPets`` -> ``list pets``; ``repos/create-for-user`` -> ``repos create for user``."""
    return re.sub(r"[_\-/.:]+", " ", snake_case(identifier) if not identifier.isupper() else identifier).strip()


def distinct(names: Iterable[str], hints: Iterable[str] | None = None) -> list[str]:
    """Names whose tool names (snake_case, 64 characters) differ: a repeat gets its hint, then a number."""
    names = list(names)
    hints = list(hints) if hints is not None else []
    hints += [""] * (len(names) - len(hints))
    counts: dict[str, int] = {}
    for n in names:
        counts[tool_name(n)] = counts.get(tool_name(n), 0) + 1
    out: list[str] = []
    seen: set[str] = set()
    for name, hint in zip(names, hints):
        candidate = name
        if counts[tool_name(name)] > 1 and hint:
            candidate = f"{name} ({hint})"
        n = 2
        while tool_name(candidate) in seen:
            candidate = f"{name} {n}"
            n += 1
        seen.add(tool_name(candidate))
        out.append(candidate)
    return out


def api_label(host: str, title_text: str = "") -> str:
    """A short upper-case label for the API: ``api.stripe.com`` -> ``STRIPE`` (a title when the host says nothing)."""
    labels = [p for p in host.lower().split(".") if p]
    if len(labels) >= 2 and not re.fullmatch(r"[\d.]+", host):
        labels = labels[:-1]  # the top-level domain
        if len(labels) >= 2 and labels[-1] in _SECOND_LEVEL:
            labels = labels[:-1]
        label = labels[-1]
    elif title_text:
        label = " ".join(title_text.split()[:2])
    else:
        label = "api"
    return re.sub(r"[^A-Z0-9]+", "_", label.upper()).strip("_") or "API"


def env_var(label: str, what: str) -> str:
    """``env_var("STRIPE", "token")`` -> ``STRIPE_TOKEN`` (never starting with a digit)."""
    what = re.sub(r"[^A-Z0-9]+", "_", snake_case(what).upper()).strip("_")
    name = f"{label}_{what}" if what and not what.startswith(label) else (what or label)
    return ("API_" + name) if name[:1].isdigit() else name


def variable_name(*parts: str) -> str:
    """A flat snake_case variable name from name parts (``address``, ``city`` -> ``address_city``)."""
    words = [snake_case(re.sub(r"[^A-Za-z0-9]+", "_", p)) for p in parts if p]
    name = "_".join(w for w in words if w and w != "value") or "value"
    return name if not name[0].isdigit() else "v_" + name
