"""The offline manual: help topics as plain lines, and the man page written from the command tree in roff."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import typer

WIDTH = 100
# Commands are shown from the root; each becomes a man page section, its options listed under it.
Command = Any  # Typer's commands (its vendored Click); only their public attributes are read
Context = Any  # a Typer context, or the root's (typed as its vendored Click's)


def table(rows: Sequence[tuple[str, str]], indent: int = 2) -> list[str]:
    """Two columns, the second wrapped and aligned; a name too long for the column gets a line of its own."""
    width = min(max((len(name) for name, _ in rows), default=0), 36)
    lines = []
    for name, meaning in rows:
        wrapped = textwrap.wrap(meaning, WIDTH - indent - width - 2) or [""]
        if len(name) > width:
            lines.append(" " * indent + name)
            lines.extend(" " * (indent + width + 2) + part for part in wrapped)
            continue
        lines.append(" " * indent + name.ljust(width) + "  " + wrapped[0])
        lines.extend(" " * (indent + width + 2) + part for part in wrapped[1:])
    return lines


def exit_code_lines(meanings: Mapping[int, tuple[str, str]]) -> list[str]:
    """`help exit-codes`: each code, its name and what it means."""
    rows = [(f"{code:>3}  {name}", meaning) for code, (name, meaning) in sorted(meanings.items())]
    return [
        "Exit codes: every error is two calm lines on stderr (what happened, and a hint) and one of these.",
        "",
        *table(rows),
    ]


def dates_lines(forms: Sequence[tuple[str, str]], parts: str) -> list[str]:
    """`help dates`: what can be typed wherever a date is asked for."""
    return [
        "Dates. Wherever a date is asked for (--date, --from, --to, --on, --since), these words work:",
        "",
        *(
            line
            for typed, meaning in forms
            for line in (
                *textwrap.wrap(typed, WIDTH - 2, initial_indent="  ", subsequent_indent="  "),
                *textwrap.wrap(meaning, WIDTH - 6, initial_indent="      ", subsequent_indent="      "),
            )
        ),
        "",
        *textwrap.wrap(parts, WIDTH),
    ]


def environment_lines(variables: Sequence[tuple[str, str]]) -> list[str]:
    """`help environment`: every variable read, and what it changes."""
    return [
        "Environment variables. A command-line option wins over a variable, and a variable over the config",
        "file (`recovery-journal help config`).",
        "",
        *table(variables),
    ]


def files_lines(places: Sequence[tuple[str, str]]) -> list[str]:
    """`help files`: where things are kept for this run."""
    lines = ["Files, as they are for you now (--journal and the environment can move them):", ""]
    for path, meaning in places:
        lines += [f"  {path}", *("      " + part for part in textwrap.wrap(meaning, WIDTH - 6)), ""]
    return lines[:-1]


def config_lines(path: str, keys: Sequence[tuple[str, str, str, Sequence[str]]]) -> list[str]:
    """`help config`: the file, and each key with an example and the variables that win over it."""
    lines = [
        f"The config file: {path}",
        'TOML, one setting a line, e.g. editor = "nano". It is not encrypted: it holds settings, never your',
        "words, but a default tag's name can be read there. `config set` and `config unset` change one line",
        "and keep the rest; a key it doesn't know is noted and left alone. A passphrase never goes in it.",
        "",
    ]
    rows = []
    for name, meaning, example, env in keys:
        wins = f" {' or '.join(env)} wins over it." if env else ""
        rows.append((name, f"{meaning}; e.g. {name} = {example}.{wins}"))
    return lines + table(rows)


def topics_lines(topics: Mapping[str, str]) -> list[str]:
    """`help` alone: the topics, and how to see one command's help."""
    return [
        "Help, offline: recovery-journal help TOPIC, where TOPIC is one of",
        "",
        *table(list(topics.items())),
        "",
        "`recovery-journal help COMMAND` (or `recovery-journal COMMAND --help`) shows one command's help.",
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
    root: Command,
    ctx: Context,
    version: str,
    sections: Mapping[str, Sequence[tuple[str, str]]],
    today: date | None = None,
) -> str:
    """The man page (section 1) for the whole command tree, with extra `sections` of (term, meaning)."""
    name = ctx.command_path
    summary = (root.help or "").strip().split("\n", 1)[0].rstrip(".")
    lines = [
        f'.TH {name.upper()} 1 "{(today or date.today()).isoformat()}" "{name} {version}" "User Commands"',
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
