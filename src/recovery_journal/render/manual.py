"""The offline manual: help topics as plain lines, and the man page written from the command tree in roff."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import typer

WIDTH = 100  # the width when stdout is a file or a pipe, or the terminal is wider
NARROWEST = 30  # below this, lines are left for the terminal to fold
_ROOM = 30  # the least a meaning beside its name is wrapped to
# Commands are shown from the root; each becomes a man page section, its options listed under it.
Command = Any  # Typer's commands (its vendored Click); only their public attributes are read
Context = Any  # a Typer context, or the root's (typed as its vendored Click's)


def fit(columns: int | None) -> int:
    """The width the topics are wrapped to: the terminal's, at most WIDTH; WIDTH when piped."""
    return WIDTH if columns is None else max(NARROWEST, min(columns, WIDTH))


def _wrap(text: str, width: int, indent: int = 0) -> list[str]:
    pad = " " * indent
    # Never inside a word: recovery-journal and its paths stay whole, so they can be copied.
    wrap = textwrap.TextWrapper(width, initial_indent=pad, subsequent_indent=pad)
    wrap.break_on_hyphens = wrap.break_long_words = False
    return wrap.wrap(text) or [""]


def table(rows: Sequence[tuple[str, str]], indent: int = 2, width: int = WIDTH) -> list[str]:
    """Two columns, the second wrapped and aligned; a name too long for the column gets a line of its own.

    On a narrow page, where two columns would leave the meanings too little room, each name gets a line of
    its own and its meaning sits under it.
    """
    column = min(max((len(name) for name, _ in rows), default=0), 36)
    if width - indent - column - 2 < _ROOM:
        column = 0
    lines = []
    for name, meaning in rows:
        if len(name) > column:
            lines.append(" " * max(0, min(indent, width - len(name))) + name)  # nearer the margin, not folded
            beside = indent + column + 2
            lines.extend(_wrap(meaning, width, beside if column and width - beside >= _ROOM else indent + 4))
            continue
        wrapped = _wrap(meaning, width - indent - column - 2)
        lines.append(" " * indent + name.ljust(column) + "  " + wrapped[0])
        lines.extend(" " * (indent + column + 2) + part for part in wrapped[1:])
    return lines


def exit_code_lines(meanings: Mapping[int, tuple[str, str]], width: int = WIDTH) -> list[str]:
    """`help exit-codes`: each code, its name and what it means."""
    rows = [(f"{code:>3}  {name}", meaning) for code, (name, meaning) in sorted(meanings.items())]
    return [
        *_wrap(
            "Exit codes: every error is two calm lines on stderr (what happened, and a hint) "
            "and one of these.",
            width,
        ),
        "",
        *table(rows, width=width),
    ]


def dates_lines(forms: Sequence[tuple[str, str]], parts: str, width: int = WIDTH) -> list[str]:
    """`help dates`: what can be typed wherever a date is asked for."""
    return [
        *_wrap(
            "Dates. Wherever a date is asked for (--date, --from, --to, --on, --since), these words work:",
            width,
        ),
        "",
        *(line for typed, meaning in forms for line in (*_wrap(typed, width, 2), *_wrap(meaning, width, 6))),
        "",
        *_wrap(parts, width),
    ]


def environment_lines(variables: Sequence[tuple[str, str]], width: int = WIDTH) -> list[str]:
    """`help environment`: every variable read, and what it changes."""
    return [
        *_wrap(
            "Environment variables. A command-line option wins over a variable, and a variable "
            "over the config file (`recovery-journal help config`).",
            width,
        ),
        "",
        *table(variables, width=width),
    ]


def files_lines(places: Sequence[tuple[str, str]], width: int = WIDTH) -> list[str]:
    """`help files`: where things are kept for this run."""
    intro = "Files, as they are for you now (--journal and the environment can move them):"
    lines = [*_wrap(intro, width), ""]
    for path, meaning in places:
        lines += [f"  {path}", *_wrap(meaning, width, 6), ""]
    return lines[:-1]


def config_lines(
    path: str, keys: Sequence[tuple[str, str, str, Sequence[str]]], width: int = WIDTH
) -> list[str]:
    """`help config`: the file, and each key with an example and the variables that win over it."""
    lines = [
        *_wrap(f"The config file: {path}", width),
        *_wrap(
            'TOML, one setting a line, e.g. editor = "nano". It is not encrypted: it holds settings, '
            "never your words, but a default tag's name can be read there. `config set` and "
            "`config unset` change one line and keep the rest; a key it doesn't know is noted and "
            "left alone. A passphrase never goes in it.",
            width,
        ),
        "",
    ]
    rows = []
    for name, meaning, example, env in keys:
        wins = f" {' or '.join(env)} wins over it." if env else ""
        rows.append((name, f"{meaning}; e.g. {name} = {example}.{wins}"))
    return lines + table(rows, width=width)


def topics_lines(topics: Mapping[str, str], width: int = WIDTH) -> list[str]:
    """`help` alone: the topics, and how to see one command's help."""
    return [
        *_wrap("Help, offline: recovery-journal help TOPIC, where TOPIC is one of", width),
        "",
        *table(list(topics.items()), width=width),
        "",
        *_wrap(
            "`recovery-journal help COMMAND` (or `recovery-journal COMMAND --help`) shows one "
            "command's help.",
            width,
        ),
    ]


# --- the man page -------------------------------------------------------------------------------------


def _roff(text: str) -> str:
    """Text safe in roff: backslashes escaped, hyphens kept as hyphens, no line read as a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + line) if line.startswith((".", "'")) else line for line in text.split("\n"))


def _paragraphs(text: str) -> list[str]:
    """Help text as roff paragraphs; one Click keeps as written (after a \\b line) stays unfilled."""
    out: list[str] = []
    for part in (p.strip() for p in re.split(r"\n\s*\n", text.strip())):
        if part.startswith("\b"):
            kept = [line.strip() for line in part.split("\n")[1:]]
            out += [".PP", ".nf", *(_roff(line) for line in kept), ".fi"]
        elif part:
            out += [".PP", _roff(re.sub(r"\s*\n\s*", " ", part))]
    return out


def _walk(command: Command, ctx: Context) -> Iterator[tuple[Command, Context]]:
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        if getattr(sub, "hidden", False):
            continue
        sub_ctx = typer.Context(sub, info_name=name, parent=ctx)
        yield sub, sub_ctx
        yield from _walk(sub, sub_ctx)


def _options(command: Command, ctx: Context) -> list[str]:
    out = []
    for param in command.params:
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, about = record
        out += [".TP", f"\\fB{_roff(names)}\\fR", _roff(about or "")]
    return out


def manpage(
    root: Command, ctx: Context, version: str, sections: Mapping[str, Sequence[tuple[str, str]]]
) -> str:
    """The man page (section 1) for the whole command tree, with extra `sections` of (term, meaning).

    Built from nothing but its arguments, so the same commands give the same page: no date (the version
    says which it is), no path of the computer it was made on. The package ships it (man/recovery-journal.1).
    """
    name = ctx.command_path
    summary = (root.help or "").strip().split("\n", 1)[0].rstrip(".")
    lines = [
        f'.TH {name.upper()} 1 "" "{name} {version}" "User Commands"',
        ".SH NAME",
        f"{name} \\- {_roff(summary[:1].lower() + summary[1:])}",
        ".SH SYNOPSIS",
        f".B {name}",
        "[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR]...",
        ".SH DESCRIPTION",
        *_paragraphs(root.help or ""),
        ".SH OPTIONS",
        *_options(root, ctx),
        ".SH COMMANDS",
    ]
    for command, sub_ctx in _walk(root, ctx):
        usage = " ".join(command.collect_usage_pieces(sub_ctx))
        lines += [f'.SS "{_roff(sub_ctx.command_path)} {_roff(usage)}"', *_paragraphs(command.help or "")]
        options = _options(command, sub_ctx)
        lines += options
    for title, rows in sections.items():
        lines.append(f".SH {title.upper()}")
        for term, meaning in rows:
            lines += [".TP", f"\\fB{_roff(term)}\\fR", _roff(meaning)]
    return "\n".join(lines) + "\n"
