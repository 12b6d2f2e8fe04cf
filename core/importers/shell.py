"""A POSIX-shell reader for pasted commands: words, quotes, continuations, redirects, heredocs.

It does what bash does to a command line before the program sees it, as far as a pasted cURL
command needs: single, double and ``$'...'`` quotes, backslash escapes and line continuations,
comments, several commands (newlines, ``;``, ``&&``, ``||``, ``|``), ``< file``, ``<<EOF``
heredocs and ``<<< word`` here-strings. ``$VAR`` and ``${VAR}`` are not expanded: each becomes
a marker (:data:`ENV_RE`) so the importer can turn it into ``env:VAR``. Command substitution
(``$(...)``, backticks) cannot be imported and raises a ShellError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import ImportSourceError

ENV_MARK = "\x00env:{}\x00"
ENV_RE = re.compile("\x00env:([A-Za-z_][A-Za-z0-9_]*)\x00")
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ANSI_C = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
           "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}


class ShellError(ImportSourceError):
    """The pasted text cannot be read as a shell command line."""


@dataclass
class Command:
    """One simple command: its words, and where its standard input comes from (if anywhere)."""

    words: list[str] = field(default_factory=list)
    stdin_text: str | None = None  # a heredoc or here-string
    stdin_file: str | None = None  # `< FILE`


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text.replace("\r\n", "\n")
        self.i = 0
        self.commands: list[Command] = [Command()]
        self.word: list[str] = []
        self.in_word = False
        self.redirect: str | None = None  # the redirect whose target is the next word
        self.heredocs: list[tuple[Command, str, bool, bool]] = []  # (command, delimiter, strip tabs, expand)

    # -- words and commands ------------------------------------------------------------
    def end_word(self) -> None:
        if not self.in_word:
            return
        word = "".join(self.word)
        self.word, self.in_word = [], False
        redirect, self.redirect = self.redirect, None
        cmd = self.commands[-1]
        if redirect == "<":
            cmd.stdin_file = word
        elif redirect == "<<<":
            cmd.stdin_text = word + "\n"
        elif redirect in ("<<", "<<-"):
            quoted = word.startswith("\x01")
            self.heredocs.append((cmd, word.lstrip("\x01"), redirect == "<<-", not quoted))
        elif redirect == ">":
            pass  # output goes to a file: nothing the request depends on
        else:
            cmd.words.append(word)

    def end_command(self) -> None:
        self.end_word()
        if self.redirect:
            raise ShellError(f"a {self.redirect} redirect has no target; complete the command")
        if self.commands[-1].words or self.commands[-1].stdin_text is not None:
            self.commands.append(Command())

    def add(self, text: str) -> None:
        self.word.append(text)
        self.in_word = True

    # -- expansions ----------------------------------------------------------------------
    def dollar(self, quoted: bool) -> None:
        """At a ``$``: a variable becomes an env marker; $'..' and $".." are quotes."""
        t, i = self.text, self.i
        nxt = t[i + 1:i + 2]
        if nxt == "(":
            raise ShellError("the command uses $(...) command substitution; paste the command with the value filled in")
        if nxt == "{":
            end = t.find("}", i)
            name = t[i + 2:end] if end > 0 else ""
            if not _NAME_RE.fullmatch(name):
                raise ShellError(f"cannot read ${{{name}...}}; write the value itself or a plain $NAME")
            self.add(ENV_MARK.format(name))
            self.i = end + 1
            return
        m = _NAME_RE.match(t, i + 1)
        if m:
            self.add(ENV_MARK.format(m.group(0)))
            self.i = m.end()
            return
        if not quoted and nxt == "'":
            self.i += 2
            self.ansi_c()
            return
        if not quoted and nxt == '"':
            self.i += 1  # $"..." is a (translatable) double-quoted string
            return
        self.add("$")
        self.i += 1

    def ansi_c(self) -> None:
        t = self.text
        out: list[str] = []
        while self.i < len(t):
            ch = t[self.i]
            if ch == "'":
                self.i += 1
                self.add("".join(out))
                return
            if ch == "\\" and self.i + 1 < len(t):
                esc = t[self.i + 1]
                self.i += 2
                if esc in _ANSI_C:
                    out.append(_ANSI_C[esc])
                elif esc in "xuU":
                    digits = re.match(r"[0-9A-Fa-f]{1,%d}" % {"x": 2, "u": 4, "U": 8}[esc], t[self.i:])
                    if digits:
                        out.append(chr(int(digits.group(0), 16)))
                        self.i += len(digits.group(0))
                    else:
                        out.append("\\" + esc)
                elif esc in "01234567":
                    digits = re.match(r"[0-7]{0,2}", t[self.i:])
                    out.append(chr(int(esc + digits.group(0), 8)))  # type: ignore[union-attr]
                    self.i += len(digits.group(0))  # type: ignore[union-attr]
                elif esc == "c" and self.i < len(t):
                    out.append(chr(ord(t[self.i]) & 0x1F))
                    self.i += 1
                else:
                    out.append("\\" + esc)
                continue
            out.append(ch)
            self.i += 1
        raise ShellError("a $'...' quote is not closed; check the quotes")

    def double_quoted(self) -> None:
        t = self.text
        self.i += 1
        self.in_word = True
        while self.i < len(t):
            ch = t[self.i]
            if ch == '"':
                self.i += 1
                return
            if ch == "\\" and self.i + 1 < len(t) and t[self.i + 1] in '$`"\\\n':
                if t[self.i + 1] != "\n":  # backslash-newline inside quotes joins the lines
                    self.add(t[self.i + 1])
                self.i += 2
                continue
            if ch == "$":
                self.dollar(quoted=True)
                continue
            if ch == "`":
                raise ShellError("the command uses `...` command substitution; paste it with the value filled in")
            self.add(ch)
            self.i += 1
        raise ShellError('a "..." quote is not closed; check the quotes')

    # -- heredocs ------------------------------------------------------------------------
    def read_heredocs(self) -> None:
        """At the start of a line after `<<DELIM`: the following lines up to DELIM are the input."""
        t = self.text
        for cmd, delim, strip_tabs, expand in self.heredocs:
            lines: list[str] = []
            while True:
                if self.i >= len(t):
                    if lines or delim:
                        break  # bash warns and takes the rest of the input
                end = t.find("\n", self.i)
                line = t[self.i:] if end < 0 else t[self.i:end]
                self.i = len(t) if end < 0 else end + 1
                check = line.lstrip("\t") if strip_tabs else line
                if check == delim:
                    break
                lines.append(check)
                if end < 0:
                    break
            body = "\n".join(lines) + "\n"
            if expand:
                body = re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: ENV_MARK.format(m.group(1)), body)
            cmd.stdin_text = body
        self.heredocs = []

    # -- the main loop -------------------------------------------------------------------
    def read(self) -> list[Command]:
        t = self.text
        while self.i < len(t):
            ch = t[self.i]
            if ch == "\\":
                if t[self.i + 1:self.i + 2] == "\n":  # a line continuation
                    self.i += 2
                    continue
                if self.i + 1 < len(t):
                    self.add(t[self.i + 1])
                self.i += 2
            elif ch in " \t":
                self.end_word()
                self.i += 1
            elif ch == "\n":
                self.end_command()
                self.i += 1
                if self.heredocs:
                    self.read_heredocs()
            elif ch == "#" and not self.in_word:
                end = t.find("\n", self.i)
                self.i = len(t) if end < 0 else end
            elif ch == "'":
                end = t.find("'", self.i + 1)
                if end < 0:
                    raise ShellError("a '...' quote is not closed; check the quotes")
                self.add(t[self.i + 1:end])
                self.i = end + 1
            elif ch == '"':
                self.double_quoted()
            elif ch == "$":
                self.dollar(quoted=False)
            elif ch == "`":
                raise ShellError("the command uses `...` command substitution; paste it with the value filled in")
            elif ch in ";&|":
                self.end_command()
                self.i += 2 if t[self.i:self.i + 2] in ("&&", "||", ";;") else 1
            elif ch in "<>":
                self.redirection()
            elif ch in "()":
                raise ShellError("the command uses a ( subshell ); paste the curl command alone")
            else:
                self.add(ch)
                self.i += 1
        self.end_command()
        if self.heredocs:
            raise ShellError("a <<DELIMITER heredoc has no body; paste the lines that follow it too")
        return [c for c in self.commands if c.words]

    def redirection(self) -> None:
        t = self.text
        fd = "".join(self.word) if self.in_word and "".join(self.word).isdigit() else None
        if fd is not None:
            self.word, self.in_word = [], False  # `2>` : the digits are the descriptor, not a word
        else:
            self.end_word()
        for op in ("<<<", "<<-", "<<", "<", ">>", ">&", ">"):
            if t.startswith(op, self.i):
                self.i += len(op)
                break
        if op.startswith(">") or fd not in (None, "0"):
            self.redirect = ">"
            if op == ">&" and re.match(r"\d", t[self.i:self.i + 1]):
                self.i += 1  # 2>&1: no target word
                self.redirect = None
            return
        self.redirect = op
        if op in ("<<", "<<-"):
            while self.i < len(t) and t[self.i] in " \t":
                self.i += 1
            if self.i < len(t) and t[self.i] in "'\"":  # a quoted delimiter: the body is not expanded
                self.add("\x01")


def split_commands(text: str) -> list[Command]:
    """The simple commands in ``text`` (pipelines and lists are split into their commands)."""
    return _Reader(text).read()
