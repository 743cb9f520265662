"""Where output goes: data on stdout, messages on stderr; Rich on a terminal, plain text when piped.

Rich is loaded only when something is drawn on a terminal: piped output and plain messages never need it,
and importing it costs more than most commands' own work.

User text is never read as Rich markup (markup is off, and it is passed as Text), and terminal control
characters in it are shown as visible symbols, so an entry cannot restyle or clear the screen.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterable
from contextvars import ContextVar, Token
from functools import cached_property
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

    from ..settings import Colour

JSON_VERSION = 1

# C0 and C1 controls (not tab or newline), and the bidi embeddings, overrides and isolates that can make
# text show in an order other than it reads (U+202A-E, U+2066-9). The marks LRM/RLM/ALM stay: right-to-left
# writing needs them, and they reorder nothing beyond themselves.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same, as JSON leaves them raw (it escapes only C0 controls).
_JSON_RAW = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _json_safe(text: str) -> str:
    """JSON text with C1 controls and bidirectional overrides as \\u escapes (never raw on a terminal)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ESC shows as ␛
    if code == 0x7F:
        return "\u2421"
    if code > 0xFF:
        return f"\\u{code:04x}"
    return f"\\x{code:02x}"


def neutralise(text: str) -> str:
    """Show control characters (except tab and newline) as harmless visible symbols."""
    return _CONTROL.sub(_visible, text)


def user_text(text: str, style: str = "") -> Text:
    """Text written by the person, safe to print: no markup, no control sequences."""
    from rich.text import Text

    return Text(neutralise(text), style=style)


def message_width() -> int | None:
    """The width of the terminal messages (stderr) go to; None when they go to a file or a pipe.

    $COLUMNS first, as everywhere, then the terminal itself: Rich would say 80 for any TERM=dumb terminal.
    """
    try:
        if not os.isatty(sys.stderr.fileno()):
            return None
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) if columns.isdigit() and int(columns) > 0 else os.get_terminal_size(2).columns
    except (OSError, ValueError, AttributeError):  # no real stderr (a test runner's buffer), or no size
        return None
    return width if width > 0 else None  # a terminal that says 0 columns (`stty cols 0`) knows no width


def fit(line: str, width: int | None, indent: int = 2) -> str:
    """One message line fitted to the terminal, broken between words, later lines indented by `indent`.

    Unbroken on a pipe or in a file, so each message stays one line there; a word longer than the terminal
    (a path) is left whole, for the terminal to fold, rather than cut.
    """
    if width is None:
        return line
    return "\n".join(
        part
        if len(part) <= width
        else textwrap.fill(
            part,
            width=max(width, indent + 20),
            subsequent_indent=" " * indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        for part in line.split("\n")
    )


def page_width() -> int | None:
    """The width of the terminal stdout goes to ($COLUMNS first); None when it goes to a file or a pipe."""
    try:
        if not os.isatty(sys.stdout.fileno()):
            return None
        columns = os.environ.get("COLUMNS", "")
        return int(columns) if columns.isdigit() and int(columns) > 0 else os.get_terminal_size(1).columns
    except (OSError, ValueError, AttributeError):
        return None


NBSP = "\u00a0"
_CODE = re.compile(r"`[^`]*`")


def hang(line: str, width: int, more: int = 2, separator: str | None = None) -> list[str]:
    """One line wrapped to `width` with a hanging indent: later lines sit `more` further in than the first.

    The first line keeps its own leading spaces. With a `separator` (" · "), the parts between separators
    are kept whole where they fit, so an opening time or an address is never split in the middle. A
    `command` in backticks is kept whole too; anything longer than the line is left for the terminal to fold.
    """
    body = line.lstrip(" ")
    first = line[: len(line) - len(body)]
    later = first + " " * more
    if len(line) <= width or not body:
        return [line]
    room = max(width, len(later) + 20)
    wrap = textwrap.TextWrapper(
        width=room,
        initial_indent=first,
        subsequent_indent=later,
        break_long_words=False,
        break_on_hyphens=False,
    )
    kept = _CODE.sub(lambda m: m.group().replace(" ", NBSP), body)
    if separator is None or separator not in kept:
        fitted = wrap.wrap(kept)
    else:
        fitted = _parts(kept, separator, first, later, room, wrap)
    return [_nearer_the_margin(row, width).replace(NBSP, " ") for row in fitted]


def _nearer_the_margin(row: str, width: int) -> str:
    """An address or a command too long for its indent moves left just enough, rather than being folded."""
    over = len(row) - width
    if over <= 0:
        return row
    spaces = len(row) - len(row.lstrip(" "))
    return row[over:] if over <= spaces else row  # wider than the screen anyway: it folds where it stands


def _parts(
    body: str, separator: str, first: str, later: str, room: int, wrap: textwrap.TextWrapper
) -> list[str]:
    """Lines of whole parts where they fit; a part longer than a line is broken between words after all."""
    rows: list[str] = []
    current = first
    for part in body.split(separator):
        if not current.strip():
            current += part
        elif len(current + separator + part) <= room:
            current += separator + part
        else:
            rows.append(current)
            current = later + part
    rows.append(current)
    fitted: list[str] = []
    for index, row in enumerate(rows):
        if len(row) <= room:
            fitted.append(row)
            continue
        wrap.initial_indent = first if index == 0 else later
        fitted += wrap.wrap(row.lstrip(" "))
    return fitted


# How this run's consoles treat colour (settings.colour: NO_COLOR, FORCE_COLOR, the config file's color),
# set once by the root command for the command it runs.
_COLOUR: ContextVar[Colour] = ContextVar("colour", default="auto")


def use_colour(mode: Colour) -> Token[Colour]:
    """Make the consoles of this run use colour `mode`; the token undoes it."""
    return _COLOUR.set(mode)


def reset_colour(token: Token[Colour]) -> None:
    _COLOUR.reset(token)


def _console(stderr: bool, width: int | None = None) -> Console:
    from rich.console import Console

    mode = _COLOUR.get()
    return Console(
        stderr=stderr,
        markup=False,
        emoji=False,
        highlight=False,
        width=width,
        # A width alone is ignored on a TERM=dumb terminal unless a height comes too (Rich then says 80x25).
        height=None if width is None else 25,
        force_terminal=True if mode == "always" else None,  # colour even through a pipe (less -R)
        no_color=True if mode == "never" else None,
    )


# What makes Rich treat a stream as a terminal whatever it is; with any of them set, Rich itself decides.
_RICH_SETTINGS = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


def _surely_not_a_terminal(stream: IO[str]) -> bool:
    """A pipe or a file, as Rich would judge it, known without loading Rich."""
    if _COLOUR.get() == "always" or any(name in os.environ for name in _RICH_SETTINGS):
        return False
    try:
        return not stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class Output:
    """One command's view of stdout and stderr."""

    def __init__(self, json_mode: bool = False) -> None:
        self.json_mode = json_mode

    @cached_property
    def out(self) -> Console:
        """Rich's console for stdout (loading Rich)."""
        return _console(stderr=False)

    @cached_property
    def err(self) -> Console:
        """Rich's console for stderr (loading Rich)."""
        return _console(stderr=True, width=message_width())

    @property
    def rich(self) -> bool:
        """True when stdout is a terminal and the picture is worth drawing."""
        return not _surely_not_a_terminal(sys.stdout) and self.out.is_terminal

    @property
    def err_terminal(self) -> bool:
        """True when messages go to a terminal (where Rich styles them)."""
        return not _surely_not_a_terminal(sys.stderr) and self.err.is_terminal

    def show(self, renderable: RenderableType) -> None:
        """A Rich picture on stdout (callers use `lines` when not on a terminal)."""
        self.out.print(renderable)

    def view(self, renderable: RenderableType, lines: list[str]) -> None:
        """The Rich picture on a terminal, the plain lines otherwise."""
        if self.rich:
            self.show(renderable)
        else:
            self.lines(lines)

    def lines(self, lines: list[str]) -> None:
        """Plain lines on stdout, neutralised, never wrapped or styled."""
        for line in lines:
            sys.stdout.write(neutralise(line) + "\n")

    def say(self, message: str | Text, style: str = "") -> None:
        """A message for the person, on stderr, so stdout stays clean for data.

        Messages often quote the person's words (a milestone, a counter's name), so they are neutralised too.
        """
        if not self.err_terminal:
            plain = message if isinstance(message, str) else message.plain
            sys.stderr.write(neutralise(plain) + "\n")
            return
        from rich.text import Text

        self.err.print(Text(neutralise(message), style=style) if isinstance(message, str) else message)

    def document(self, kind: str, **payload: Any) -> None:
        """One versioned JSON document on stdout."""
        import json

        doc = {"version": JSON_VERSION, "kind": kind, **payload}
        sys.stdout.write(_json_safe(json.dumps(doc, sort_keys=True, ensure_ascii=False)) + "\n")

    def document_streamed(
        self, kind: str, key: str, items: Iterable[Any], rest: Callable[[], dict[str, Any]]
    ) -> None:
        """The same document as document(kind, key=list(items), **rest()), byte for byte, written an item at a
        time so a long list is never held whole. Every other key must sort after `key` (their values, from
        `rest`, are known only once the items are written)."""
        import json

        if key >= "kind":  # "kind" and "version" always follow it
            raise ValueError(f"every other key must sort after {key!r}")
        sys.stdout.write("{" + json.dumps(key) + ": [")
        for n, item in enumerate(items):
            text = json.dumps(item, sort_keys=True, ensure_ascii=False)
            sys.stdout.write((", " if n else "") + _json_safe(text))
        after = {"version": JSON_VERSION, "kind": kind, **rest()}
        if any(name <= key for name in after):
            raise ValueError(f"every other key must sort after {key!r}")
        tail = json.dumps(after, sort_keys=True, ensure_ascii=False)  # "{...}": its members follow the list
        sys.stdout.write("], " + _json_safe(tail[1:]) + "\n")
