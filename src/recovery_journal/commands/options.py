"""Options several commands share, declared once so they read and behave the same everywhere."""

from __future__ import annotations

from typing import Annotated, TypeVar

import typer

from ..errors import UsageProblem

T = TypeVar("T")

# Every date option reads the same words (domain/dates.py); `recovery-journal help dates` lists them all.
DAY_WORDS = '"yesterday", "last friday", "3 days ago", 2024-03-01 (more: recovery-journal help dates)'

DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        "-d",
        metavar="WHEN",
        help='When it is about: "yesterday 9pm", "last night", "friday", 2024-03-01 21:30 '
        "(more: recovery-journal help dates).",
        show_default=False,
    ),
]
TagOpt = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", metavar="TAG", help="A tag; repeat for more.", show_default=False),
]
MoodOpt = Annotated[
    int | None,
    typer.Option(
        "--mood",
        "-m",
        metavar="1-10",
        help="How the day felt, 1 (heaviest) to 10 (lightest).",
        show_default=False,
    ),
]
TitleOpt = Annotated[
    str | None, typer.Option("--title", metavar="TITLE", help="A short title.", show_default=False)
]
StarOpt = Annotated[
    bool | None,
    typer.Option(
        "--star/--unstar", help="Star it, to find it again easily (list --starred).", show_default=False
    ),
]
TENDER_HELP = (
    "Mark as painful: never brought back unasked (on-this-day, stage review); its words stay folded in lists."
)
TenderOpt = Annotated[
    bool | None,
    typer.Option(
        "--tender/--not-tender",
        help=TENDER_HELP,
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as one JSON document on stdout.")]
PromptOpt = Annotated[
    str | None,
    typer.Option(
        "--prompt",
        metavar="[STAGE]",
        show_default=False,
        help="Start from a writing prompt: alone, for the stage you are in now; or for recognition, "
        "acceptance, recovery, milestone or hard-day. It is kept with the entry, not in its text.",
    ),
]
IncludeTenderOpt = Annotated[
    bool, typer.Option("--include-tender", help="Include the entries you marked as tender, words and all.")
]
LimitOpt = Annotated[
    int | None,
    typer.Option("--limit", "-n", min=0, metavar="N", help="Only the most recent N.", show_default=False),
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Don't ask first.")]
# Counters count the days *since* something; `--date`/`-d`, which `counter reset` took before, still works.
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since", metavar="DAY", show_default=False, help=f"When it began (default today): {DAY_WORDS}."
    ),
]
SinceAliasOpt = Annotated[str | None, typer.Option("--date", "-d", hidden=True, show_default=False)]


def either(value: str | None, alias: str | None, name: str, alias_name: str) -> str | None:
    """One option's value given under its name or its older, hidden one; both at once only if they agree."""
    if value is not None and alias is not None and value != alias:
        raise UsageProblem(f"{name} and {alias_name} are the same option, given twice.", hint=f"Use {name}.")
    return value if value is not None else alias


def most_recent(items: list[T], limit: int | None) -> list[T]:
    """The last `limit` of a list kept oldest first (all of it when no limit was given)."""
    return items if limit is None else items[len(items) - min(limit, len(items)) :]
