"""How care looks: the support page, the person's safety plan, prompts, and the line offered after a save.

Plain lines everywhere (a hard moment is no time for a busy screen); headings in bold on a terminal.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..care import lines as known_lines
from ..care.lines import Country, Directory, Line
from ..care.plan import SafetyPlan
from ..errors import JournalError
from ..settings import COUNTRY_ENV, configured_country
from .output import NBSP, Output, hang, user_text

if TYPE_CHECKING:
    from rich.console import Group
    from rich.text import Text

GROUNDING = (
    "If it helps, one slow breath: in for a count of four, out for a count of six. Again, if you like.",
    "Look around and name, quietly, five things you can see, four you can hear, three you can touch.",
    "Notice where your body meets the chair, the bed or the floor. You are here, in this moment.",
)

# It thanks rather than tells: the check also speaks after about one ordinary entry in ten (docs/care.md),
# and "that sounded really heavy" after a pottery class told the writer what their own day had been.
OFFER_WORDS = (
    "Thank you for putting this into words. If you'd like someone to talk to, `recovery-journal support` has "
    "people you can reach any time."
)
OFFER_MOOD = (
    "Your last few entries have been heavy. If you'd like someone to talk to, `recovery-journal support` has "
    "people you can reach any time."
)
OFFER_DANGER = (
    "If you're not safe right now, call {number} `recovery-journal support` has people who can help, "
    "any time."
)
# For self-harm under way or about to be (an overdose taken, the pills laid out): what to do, not whether
# one is safe. Some overdoses (paracetamol) feel like nothing for hours while they do their harm: "even if you
# feel all right".
OFFER_HARMED = (
    "If you've taken something or hurt yourself, or think you might, call {number} now, even if you feel all "
    "right. `recovery-journal support` has people who can help, any time."
)
# For words that plainly speak of wanting to die, of self-harm or of a goodbye (care/gentle.py's "self_harm"):
# said as a condition, as safe-messaging guidance asks (Samaritans' online safety guidelines; 988, SAMHSA),
# with a way to reach someone now; a goodbye isn't thanked. The line, when the country's crisis line answers
# around the clock, comes from lines.json, where each was checked twice.
OFFER_PLAIN = (
    "If you're thinking of hurting yourself or ending your life, you don't have to face it alone. "
    "`recovery-journal support` has people you can talk to now, any time."
)
OFFER_PLAIN_LINE = (
    "If you're thinking of hurting yourself or ending your life, you don't have to face it alone: you can "
    "{reach} ({organisation}), any time. `recovery-journal support` has more."
)
# With no country known, the places `support` names, each with its line to talk to day and night: someone
# who has just written a goodbye needs a number more than a pointer to one.
OFFER_PLAIN_PLACES = (
    "If you're thinking of hurting yourself or ending your life, you don't have to face it alone: you can "
    "call {places}, any time. `recovery-journal support` has more."
)
# What `stage show` and the overviews say instead of their usual advice, for words that plainly call for it
# (journal/caring.py): a condition, never a claim about the writer's day.
SUPPORT_NOTE = "If today is heavy, `recovery-journal support` has people you can reach any time."
SEPARATOR = " · "
LOCAL_EMERGENCY = "your local emergency number"

# Where a number works without knowing the country: the places named when none is known, in this order.
# Only the places are written here; every number comes from lines.json, where each was checked twice.
_PLACES = (
    ("EU", "across", "the European Union"),
    ("US", "in", "the US"),
    ("CA", "in", "Canada"),
    ("GB", "in", "the UK"),
    ("AU", "in", "Australia"),
    ("NZ", "in", "New Zealand"),
)
EXAMPLE_COUNTRIES = ("GB", "US", "CA", "AU", "IE", "NZ")

_KIND_HEADINGS = (
    ("crisis", "Someone to talk to"),
    ("abuse", "If someone is hurting or frightening you"),
    ("mental-health", "Information and support"),
    ("directory", "Finding a line near you"),
)


def offer(kind: str, env: Mapping[str, str] | None = None) -> str:
    """The calm line after a save. For danger it names the emergency number: the country's when it is known,
    else the numbers of the places `support` names. For words said plainly, the country's crisis line."""
    if kind in ("danger", "harmed"):
        country = known_country(os.environ if env is None else env)
        caveat = f" {country.emergency_note}" if country is not None and country.emergency_note else ""
        if country is None or not country.emergency:  # someone hiding needs a number, not "your local" one
            number = f"{LOCAL_EMERGENCY} ({emergency_places(known_lines.directory())})"
        else:
            number = emergency_number(country)
        if kind == "harmed":
            return OFFER_HARMED.format(number=number) + caveat
        return OFFER_DANGER.format(number=number + "." + caveat)
    if kind == "plain":
        country = known_country(os.environ if env is None else env)
        places = crisis_places(known_lines.directory()) if country is None else ""
        if places:
            return OFFER_PLAIN_PLACES.format(places=places)
        line = crisis_line(country)
        if line is None or line.call is None:
            return OFFER_PLAIN
        return OFFER_PLAIN_LINE.format(reach=_call_or_text(line.call, line.text), organisation=_named(line))
    return OFFER_MOOD if kind == "mood" else OFFER_WORDS


def _call_or_text(call: str, text: str | None) -> str:
    """'call 116 123', or 'call or text 988' where the same number takes texts (lines.json's "Text 988")."""
    same = text is not None and text.strip().lower() == f"text {call}".lower()
    return f"call or text {call}" if same else f"call {call}"


def _named(line: Line) -> str:
    """The line's name without the number it begins with: "Suicide & Crisis Lifeline" after "call 988"."""
    call = line.call or ""
    return line.organisation.removeprefix(call).lstrip(" :,–—-") or line.organisation  # "3114 – numéro ..."


def crisis_line(country: Country | None) -> Line | None:
    """The country's first line to talk to that takes calls around the clock (lines.json); None when none."""
    if country is None:
        return None
    return next(
        (x for x in country.lines if x.kind == "crisis" and x.call and (x.hours or "").startswith("24/7")),
        None,
    )


def support_line(kind: str | None, env: Mapping[str, str] | None = None) -> str | None:
    """The line `stage show`, `stage`, `progress` and `timeline` give for words that call for it: for danger
    and for words said plainly, the same line as after a save; for the rest, SUPPORT_NOTE; None for none."""
    if kind is None:
        return None
    return offer(kind, env) if kind in ("danger", "harmed", "plain") else SUPPORT_NOTE


def known_country(env: Mapping[str, str]) -> Country | None:
    """The person's country as `support` finds it (setting, config file, locale); None when unknown.

    A mistake in the config file only means the number isn't named: this runs after a save, never to stop one.
    """
    try:
        given = (env.get(COUNTRY_ENV) or "").strip() or configured_country(env)
    except JournalError:
        given = None
    code = known_lines.resolve(given) if given else known_lines.from_locale(env)
    return known_lines.for_country(code) if code else None


def emergency_number(country: Country | None) -> str:
    """'999', '999 or 112' (lines.json's '999 / 112'), or 'your local emergency number' when unknown."""
    if country is None or not country.emergency:
        return LOCAL_EMERGENCY
    return " or ".join(part.strip() for part in country.emergency.split("/"))


def emergency_places(directory: Directory) -> str:
    """'112 across the European Union, 911 in the US and Canada, ...', every number from lines.json."""
    by_number: dict[tuple[str, str], list[str]] = {}
    for code, preposition, place in _PLACES:
        country = directory.countries.get(code)
        if country is not None and country.emergency:
            by_number.setdefault((country.emergency, preposition), []).append(place)
    return ", ".join(
        f"{number} {prep} {' and '.join(places)}" for (number, prep), places in by_number.items()
    )


def crisis_places(directory: Directory) -> str:
    """'988 in the US and Canada, 116 123 in the UK, 13 11 14 in Australia or 1737 in New Zealand': the line
    to talk to, day and night, of each place `support` names that has one (9-8-8 and 988 are one number)."""
    by_number: dict[str, tuple[str, str, list[str]]] = {}
    for code, preposition, place in _PLACES:
        line = crisis_line(directory.countries.get(code))
        if line is not None and line.call:
            digits = "".join(ch for ch in line.call if ch.isdigit())
            by_number.setdefault(digits, (line.call, preposition, []))[2].append(place)
    said = [f"{call} {prep} {' and '.join(places)}" for call, prep, places in by_number.values()]
    return ", ".join(said[:-1]) + f" or {said[-1]}" if len(said) > 1 else "".join(said)


def first_calls(directory: Directory, kind: str = "crisis") -> list[tuple[Country, Line]]:
    """Each example country's first line of a kind (to talk to, or about abuse), from lines.json, for a page
    that knows no country."""
    found = []
    for code in EXAMPLE_COUNTRIES:
        country = directory.countries.get(code)
        line = next((x for x in country.lines if x.kind == kind and x.call), None) if country else None
        if country is not None and line is not None:
            found.append((country, line))
    return found


def _reach(line: Line) -> str:
    parts = []
    if line.call:
        parts.append(f"call {line.call}")
    if line.text:
        parts.append(line.text if line.text.lower().startswith(("text", "sms")) else f"text {line.text}")
    if line.web:
        parts.append(line.web)
    if line.hours:  # "Fri 6pm to Mon 6am" is one thought: bound with no-break spaces, split only at "; "
        parts.append("; ".join(chunk.replace(" ", NBSP) for chunk in line.hours.split("; ")))
    return SEPARATOR.join(parts)


def _line_rows(line: Line, sources: bool) -> list[tuple[str, str]]:
    """A line as rows: who and what for (its wrap sits under the way to reach it), then how to reach it."""
    rows = [("line", f"  {line.organisation}: {line.purpose}"), ("", f"    {_reach(line)}")]
    if sources:
        rows.append(("", f"    checked {line.checked} against {line.source}"))
    return rows


def support_lines(
    country: Country | None,
    asked: str | None,
    directory: Directory,
    *,
    sources: bool = False,
    plan_hint: str | None = None,
) -> list[tuple[str, str]]:
    """The support page as (style, text) rows: style 'heading', 'first', 'line' (a line's name) or ''."""
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
                f"If you are in danger right now, call {LOCAL_EMERGENCY} ({emergency_places(directory)}).",
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
                rows += [row for line in found for row in _line_rows(line, sources)]
        if country.find_help:
            rows += [("", ""), ("heading", "Finding a therapist or a support group")]
            rows += [row for line in country.find_help for row in _line_rows(line, sources)]
        rows += [("", ""), ("heading", "More lines, by what you need")]
        rows += [row for line in directory.international for row in _line_rows(line, sources)]
    else:
        if asked:
            rows += [
                ("", ""),
                ("", f"There are no checked lines for {asked} here yet; these reach every country."),
            ]
        rows += [("", ""), ("heading", "Someone to talk to, any time, in a few countries")]
        for place, line in first_calls(directory):
            rows.append(("line", f"  {place.name}: {line.organisation}"))
            rows.append(("", f"    {_reach(line)}"))
        # after the danger line, this page is where a person is sent: someone hurting them needs these too
        abuse = first_calls(directory, "abuse")
        if abuse:
            rows += [("", ""), ("heading", "If someone is hurting or frightening you, in a few countries")]
            for place, line in abuse:
                rows.append(("line", f"  {place.name}: {line.organisation}"))
                rows.append(("", f"    {_reach(line)}"))
        rows += [("", ""), ("heading", "Finding a line near you")]
        rows += [row for line in directory.international for row in _line_rows(line, sources)]
    rows.append(("", ""))
    if country is None:
        rows += [
            ("", "Your country's lines (GB, US, CA, AU, IE, NZ, and more):"),
            ("", "  `recovery-journal support --country GB`"),
            ("", "To keep your country for next time:"),
            ("", "  `recovery-journal config set country GB`"),
            ("", "Every country's lines: `recovery-journal support --all`."),
        ]
    else:
        other = "GB" if country.code == "US" else "US"  # never the country already shown
        rows.append(
            (
                "",
                f"Somewhere else? `recovery-journal support --country {other}`, say; "
                "`--all` lists every country.",
            )
        )
    if not sources:
        rows.append(
            (
                "",
                "Every number was checked twice against official or organisation pages; "
                "`--sources` shows the first page for each, and when.",
            )
        )
    if plan_hint:
        rows.append(("", plan_hint))
    return rows


def show_rows(out: Output, rows: list[tuple[str, str]]) -> None:
    """The rows as plain lines when piped; on a terminal, wrapped to it with hanging indents, easy to scan."""
    if not out.rich:
        out.lines([text.replace(NBSP, " ") for _, text in rows])
        return
    out.show(rows_view(rows, out.out.width))


def rows_view(rows: list[tuple[str, str]], width: int) -> Group:
    """Each row wrapped to `width`: its later lines indented under its first, a way to reach a line whole."""
    from rich.console import Group  # only on a terminal: a piped save never loads Rich
    from rich.text import Text

    styled = {"heading": "bold", "first": "bold"}
    return Group(
        *[
            Text(part, style=styled.get(style, ""), overflow="fold")
            for style, text in rows
            for part in hang(text, width, more=4 if style == "line" else 2, separator=SEPARATOR)
        ]
    )


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
        rows += [row for line in (*country.lines, *country.find_help) for row in _line_rows(line, sources)]
        rows.append(("", ""))
    rows.append(("heading", "Anywhere"))
    rows += [row for line in directory.international for row in _line_rows(line, sources)]
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
