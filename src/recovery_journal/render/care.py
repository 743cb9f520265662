"""How care looks: the support page, the person's safety plan, prompts, and the line offered after a save.

Plain lines everywhere (a hard moment is no time for a busy screen); headings in bold on a terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..care.lines import Country, Directory, Line
from ..care.plan import SafetyPlan
from .output import Output, user_text

if TYPE_CHECKING:
    from rich.text import Text

GROUNDING = (
    "If it helps, one slow breath: in for a count of four, out for a count of six. Again, if you like.",
    "Look around and name, quietly, five things you can see, four you can hear, three you can touch.",
    "Notice where your body meets the chair, the bed or the floor. You are here, in this moment.",
)

OFFER_WORDS = (
    "That sounded really heavy. If you'd like someone to talk to, `recovery-journal support` has people "
    "you can reach any time."
)
OFFER_MOOD = (
    "Your last few entries have been heavy. If you'd like someone to talk to, `recovery-journal support` has "
    "people you can reach any time."
)
OFFER_DANGER = (
    "If you're not safe right now, call your local emergency number. `recovery-journal support` has people "
    "who can help, any time."
)

_KIND_HEADINGS = (
    ("crisis", "Someone to talk to"),
    ("abuse", "If someone is hurting or frightening you"),
    ("mental-health", "Information and support"),
    ("directory", "Finding a line near you"),
)


def offer(kind: str) -> str:
    return {"mood": OFFER_MOOD, "danger": OFFER_DANGER}.get(kind, OFFER_WORDS)


def _reach(line: Line) -> str:
    parts = []
    if line.call:
        parts.append(f"call {line.call}")
    if line.text:
        parts.append(line.text if line.text.lower().startswith(("text", "sms")) else f"text {line.text}")
    if line.web:
        parts.append(line.web)
    if line.hours:
        parts.append(line.hours)
    return " · ".join(parts)


def _line_rows(line: Line, sources: bool) -> list[str]:
    rows = [f"  {line.organisation}: {line.purpose}", f"    {_reach(line)}"]
    if sources:
        rows.append(f"    checked {line.checked} against {line.source}")
    return rows


def support_lines(
    country: Country | None,
    asked: str | None,
    directory: Directory,
    *,
    sources: bool = False,
    plan_hint: str | None = None,
) -> list[tuple[str, str]]:
    """The support page as (style, text) rows: style 'heading', 'first' or ''."""
    rows: list[tuple[str, str]] = []
    if country is not None and country.emergency:
        danger = f"If you are in danger right now, call {country.emergency}."
        if country.emergency_note:
            danger += f" {country.emergency_note}"
        if sources and country.emergency_source:
            danger += f" (checked {country.emergency_checked} against {country.emergency_source})"
        rows.append(("first", danger))
    else:
        rows.append(
            (
                "first",
                "If you are in danger right now, call your local emergency number "
                "(112 across the European Union, 911 in North America, 999 in the UK, 000 in Australia).",
            )
        )
    rows.append(("", ""))
    rows.append(("heading", "A moment to ground yourself"))
    rows += [("", f"  {step}") for step in GROUNDING]
    if country is not None:
        for kind, heading in _KIND_HEADINGS:
            found = [line for line in country.lines if line.kind == kind]
            if found:
                rows += [("", ""), ("heading", f"{heading} ({country.name})")]
                rows += [("", text) for line in found for text in _line_rows(line, sources)]
        if country.find_help:
            rows += [("", ""), ("heading", "Finding a therapist or a support group")]
            rows += [("", text) for line in country.find_help for text in _line_rows(line, sources)]
        rows += [("", ""), ("heading", "More lines, by what you need")]
        rows += [("", text) for line in directory.international for text in _line_rows(line, sources)]
    else:
        if asked:
            rows += [
                ("", ""),
                ("", f"There are no checked lines for {asked} here yet; these reach every country."),
            ]
        rows += [("", ""), ("heading", "Finding a line near you")]
        rows += [("", text) for line in directory.international for text in _line_rows(line, sources)]
    rows.append(("", ""))
    if country is None:
        rows.append(
            ("", "`recovery-journal support --country XX` shows a country's lines; `--all` lists every one.")
        )
    else:
        rows.append(
            ("", "Somewhere else? `recovery-journal support --country XX`; `--all` lists every country.")
        )
    if not sources:
        rows.append(
            (
                "",
                "Every number was checked twice against official or organisation pages; "
                "`--sources` shows where and when.",
            )
        )
    if plan_hint:
        rows.append(("", plan_hint))
    return rows


def show_rows(out: Output, rows: list[tuple[str, str]]) -> None:
    if not out.rich:
        out.lines([text for _, text in rows])
        return
    from rich.console import Group  # only on a terminal: a piped save never loads Rich
    from rich.text import Text

    styled = {"heading": "bold", "first": "bold"}
    out.show(Group(*[Text(text, style=styled.get(style, "")) for style, text in rows]))


def every_country(directory: Directory, sources: bool) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for code in sorted(directory.countries):
        country = directory.countries[code]
        rows.append(
            (
                "heading",
                f"{country.name} ({code})"
                + (f": emergency {country.emergency}" if country.emergency else ""),
            )
        )
        rows += [
            ("", text) for line in (*country.lines, *country.find_help) for text in _line_rows(line, sources)
        ]
        rows.append(("", ""))
    rows.append(("heading", "Anywhere"))
    rows += [("", text) for line in directory.international for text in _line_rows(line, sources)]
    return rows


def line_json(line: Line) -> dict[str, Any]:
    return {
        "organisation": line.organisation,
        "kind": line.kind,
        "purpose": line.purpose,
        "call": line.call,
        "text": line.text,
        "web": line.web,
        "hours": line.hours,
        "source": line.source,
        "checked": line.checked,
    }


def country_json(country: Country) -> dict[str, Any]:
    return {
        "code": country.code,
        "name": country.name,
        "emergency": country.emergency,
        "emergency_note": country.emergency_note,
        "emergency_source": country.emergency_source,
        "emergency_checked": country.emergency_checked,
        "lines": [line_json(line) for line in country.lines],
        "find_help": [line_json(line) for line in country.find_help],
    }


def plan_view(out: Output, plan: SafetyPlan) -> None:
    filled = plan.filled()
    if not out.rich:
        out.lines(
            [row for heading, text in filled for row in (heading, *[f"  {t}" for t in text.splitlines()], "")]
        )
        return
    from rich.console import Group
    from rich.text import Text

    parts: list[Text] = [Text("Your safety plan", style="bold"), Text("")]
    for heading, text in filled:
        parts.append(Text(heading, style="bold"))
        parts += [Text("  ").append(user_text(line)) for line in text.splitlines()]
        parts.append(Text(""))
    out.show(Group(*parts))


def prompt_lines(groups: dict[str, tuple[str, ...]]) -> list[str]:
    rows = []
    for group, prompts in groups.items():
        rows.append(group.replace("_", " ").capitalize() if group != "hard_day" else "For a hard day")
        rows += [f"  {n}. {prompt}" for n, prompt in enumerate(prompts, start=1)]
        rows.append("")
    return rows[:-1]
