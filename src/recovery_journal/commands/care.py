"""Commands that care for the person: support (offline, no journal needed), the safety plan, prompts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ..care import lines, prompts
from ..care.plan import page, read_page
from ..domain.dates import parse_day
from ..domain.entry import clean_tags
from ..errors import EditorFailed, Interrupted, InvalidDate, InvalidInput, JournalError, UsageProblem
from ..journal import editor, opening
from ..journal.service import Journal, local_now
from ..portability import outfiles
from ..render import care as view
from ..render.output import Output
from ..settings import COUNTRY_ENV, GENTLE_CHECKS_ENV, configured_country
from . import terminal
from .options import DAY_WORDS, JsonOpt, TagOpt

support_app = typer.Typer(
    help="People to reach and a moment to ground yourself, offline; your own safety plan.",
    no_args_is_help=False,
)

CountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country",
        "-c",
        metavar="XX",
        show_default=False,
        help="Two-letter country code (GB, US, IE...); default: RECOVERY_JOURNAL_COUNTRY, else the config "
        "file's country, else your locale.",
    ),
]


@support_app.callback(invoke_without_command=True)
def support(
    ctx: typer.Context,
    country: CountryOpt = None,
    every: Annotated[bool, typer.Option("--all", help="List the lines of every country.")] = False,
    sources: Annotated[
        bool, typer.Option("--sources", help="Show where and when each number was checked.")
    ] = False,
    plan: Annotated[
        bool, typer.Option("--plan", help="Show your own safety plan too (needs your passphrase).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Help for right now: who to call, a short grounding exercise, and where to find ongoing support.

    Works without a journal, a passphrase or a network.

    Example: recovery-journal support --country GB
    """
    if ctx.invoked_subcommand is not None:
        return
    out = Output(as_json)
    env = dict(os.environ)  # not Settings: a malformed unrelated setting must never hide these numbers
    directory = lines.directory()
    if every:
        if as_json:
            out.document(
                "support",
                countries=[view.country_json(c) for _, c in sorted(directory.countries.items())],
                international=[view.line_json(line) for line in directory.international],
            )
        else:
            view.show_rows(out, view.every_country(directory, sources))
        return
    given = country if country is not None else (env.get(COUNTRY_ENV) or "").strip() or _configured(out, env)
    asked = lines.resolve(given) if given else lines.from_locale(env)
    found = lines.for_country(asked) if asked else None
    if given and found is None:
        asked = given.strip() or None  # shown as typed: "no checked lines for ... here yet"; never an error
    has_journal = _has_journal(ctx)
    if as_json:
        out.document(
            "support",
            country=view.country_json(found) if found else None,
            asked=asked,
            international=[view.line_json(line) for line in directory.international],
        )
        return
    hint = None
    if has_journal and not plan:
        hint = (
            "Your own safety plan: `recovery-journal support --plan`."
            if not terminal.stdin_is_terminal()
            else None
        )
    view.show_rows(out, view.support_lines(found, asked, directory, sources=sources, plan_hint=hint))
    if not has_journal:
        if plan:
            out.say("There's no journal here, so there's no safety plan to show.")
        return
    if not plan and terminal.stdin_is_terminal() and terminal.can_ask_secret():
        try:
            plan = terminal.yes_or_no("\nShow your own plan too? It needs your passphrase.")
        except typer.Abort:
            return
    if plan:
        _show_plan(ctx, out)


def _configured(out: Output, env: dict[str, str]) -> str | None:
    """The config file's country; a mistake in the file is said, and the numbers are shown anyway."""
    try:
        return configured_country(env)
    except JournalError as error:
        out.say(f"{error.message} The support below is shown with the usual settings.", style="yellow")
        return None


def _has_journal(ctx: typer.Context) -> bool:
    try:
        opening.require_journal(terminal.settings(ctx))
    except (JournalError, OSError):  # no journal, not one of ours, or a setting astray: no plan to offer
        return False
    return True


def _show_plan(ctx: typer.Context, out: Output) -> None:
    with terminal.open_journal(ctx, out) as journal:
        kept = journal.care.plan()
    if kept is None:
        out.say(
            "You haven't written a safety plan yet. "
            "`recovery-journal support plan` starts one, whenever you like."
        )
        return
    view.plan_view(out, kept)


@support_app.command("plan")
def plan_command(
    ctx: typer.Context,
    show: Annotated[bool, typer.Option("--show", help="Show the plan instead of editing it.")] = False,
    delete: Annotated[bool, typer.Option("--delete", help="Remove the plan (asks first).")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --delete: don't ask first.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Write or change your safety plan in your editor: signs, what helps, people, reasons to keep going.

    It is sealed like your entries, and `recovery-journal support` offers to show it.

    Example: recovery-journal support plan
    """
    out = Output(as_json)
    if show or as_json:
        with terminal.open_journal(ctx, out) as journal:
            kept = journal.care.plan()
        if as_json:
            out.document("safety-plan", plan=None if kept is None else kept.to_json())
        elif kept is None:
            out.say("You haven't written a safety plan yet. `recovery-journal support plan` starts one.")
        else:
            view.plan_view(out, kept)
        return
    if delete:
        if not yes and not terminal.stdin_is_terminal():
            raise UsageProblem(
                "Removing the plan asks first, and there's no terminal to ask in.",
                hint="If you're sure, add --yes: recovery-journal support plan --delete --yes",
            )
        with terminal.open_journal(ctx, out) as journal:
            if not yes:
                try:
                    sure = terminal.yes_or_no("Remove your safety plan? This can't be undone.")
                except typer.Abort:
                    raise Interrupted("Stopped. Your plan is as it was.") from None
                if not sure:
                    out.say("Kept it. Your plan is as it was.")
                    return
            removed = journal.care.delete_plan()
        out.say("Your safety plan was removed." if removed else "There was no plan to remove.")
        return
    piped = not terminal.stdin_is_terminal()
    text = terminal.read_stdin_text(200_000, outcome="your plan is as it was") if piped else None
    if text is not None and not text.strip():
        raise UsageProblem(
            "No plan was piped in, and there's no terminal to open your editor in. Your plan is as it was.",
            hint="Run it in a terminal, or pipe a plan in: recovery-journal support plan < plan.txt",
        )
    with terminal.open_journal(ctx, out) as journal:
        if text is None:
            text = _edit_plan(journal)
        journal.care.set_plan(read_page(text))
    out.say("Your safety plan is saved, sealed. `recovery-journal support` offers to show it.", style="green")


@support_app.command("gentle")
def gentle_command(
    ctx: typer.Context,
    switch: Annotated[
        str | None,
        typer.Argument(
            metavar="[on|off]",
            help="Switch the gentle check on or off; leave out to see it.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """See, or switch on or off, the calm line offered after an entry that sounds very heavy.

    Example: recovery-journal support gentle off
    """
    if switch is not None and switch.strip().lower() not in ("on", "off"):
        raise UsageProblem(f"'{switch}' isn't on or off.", hint="recovery-journal support gentle on (or off)")
    out = Output()
    with terminal.open_journal(ctx, out) as journal:
        if switch is not None:
            journal.care.set_checks(switch.strip().lower() == "on")
        on = journal.care.checks_on()
        overridden = journal.settings.gentle_checks is not None
        by = (
            GENTLE_CHECKS_ENV
            if journal.settings.env.get(GENTLE_CHECKS_ENV)
            else "the config file's gentle_checks"
        )
    state = "on" if on else "off"
    if switch is None:
        out.say(f"The gentle check is {state}" + (f" (set by {by})." if overridden else "."))
    elif overridden:
        out.say(f"Saved, but {by} is set, so for now the check stays {state}.")
    else:
        out.say(
            f"The gentle check is {state}."
            + (" `recovery-journal support` is always there when you want it." if not on else "")
        )


def _edit_plan(journal: Journal) -> str:
    current = journal.settings
    with editor.session(current.scratch, current.paths.tag, current.env, current.editor) as session:
        initial = page(journal.care.plan())
        edited = session.run(initial)
        if edited.ok and edited.raw is None:
            return edited.text
        if edited.text.strip() and edited.text != initial:
            failed = "The editor didn't close cleanly, so the plan wasn't changed."
            try:  # sealed at once: a plan's names and numbers never wait in a plain file
                kept = journal.drafts.keep(edited.text, reason=failed + " (your safety plan)")
            except Exception:  # whatever stops the draft, the editor's file is still there to keep
                raise EditorFailed(
                    f"{failed} What you typed is still in {session.keep()}",
                    hint="The next time the journal opens, it is sealed into an encrypted draft.",
                ) from None
            raise EditorFailed(
                f"{failed} What you typed is kept safe (encrypted) as draft {kept.number}.",
                hint=f"`recovery-journal drafts show {kept.number}` shows it; pipe it back in with "
                "`recovery-journal support plan`, then `drafts discard` it.",
            )
        if edited.interrupted:
            raise Interrupted("The editor was stopped (Ctrl-C). Your plan is as it was.")
        raise EditorFailed(
            f"The editor closed with an error (status {edited.status}). Your plan is as it was.",
            hint="Check $VISUAL / $EDITOR and try again, "
            "or pipe the plan in: recovery-journal support plan < plan.txt",
        )


def list_prompts(
    stage: Annotated[
        str | None,
        typer.Argument(
            metavar="[STAGE]",
            help="recognition, acceptance, recovery, milestone or hard-day; all of them when left out.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List writing prompts for each stage, for a milestone and for a hard day.

    Example: recovery-journal prompts acceptance
    """
    out = Output(as_json)
    every = prompts.all_prompts()
    if stage is not None:
        group = prompts.find_group(stage)
        if group is None:
            raise InvalidInput(  # as `write --prompt` and `list --stage` refuse a word they don't know
                f"'{stage}' isn't a kind of prompt.",
                hint="Use recognition, acceptance, recovery, milestone or hard-day.",
            )
        every = {group: every[group]}
    if as_json:
        out.document("prompts", prompts={g: list(p) for g, p in every.items()})
    else:
        out.lines(view.prompt_lines(every))


FormatOpt = Annotated[
    str, typer.Option("--format", "-f", metavar="FORMAT", help="markdown (the default) or html.")
]


def share(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option("--from", metavar="DAY", show_default=False, help=f"Start on this day: {DAY_WORDS}."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--to", metavar="DAY", show_default=False, help="End on this day (default today)."),
    ] = None,
    tag: TagOpt = None,
    entries: Annotated[
        str | None,
        typer.Option(
            "--entries",
            metavar="IDS",
            show_default=False,
            help="Entries to include by number, e.g. 3,7,12, even from outside the period "
            "(the only way a tender entry is included).",
        ),
    ] = None,
    starred: Annotated[
        bool, typer.Option("--starred", help="Include the starred entries of the period.")
    ] = False,
    counters: Annotated[
        bool, typer.Option("--counters", help="Include your counters (left out unless asked for).")
    ] = False,
    redact: Annotated[
        list[str] | None,
        typer.Option(
            "--redact",
            metavar="NAME",
            show_default=False,
            help="Replace a name (whole word, any case) everywhere in the summary; repeat for more.",
        ),
    ] = None,
    fmt: FormatOpt = "markdown",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", dir_okay=False, show_default=False, help="Where to write it."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be included; write nothing.")
    ] = False,
) -> None:
    """Write a summary of a period to share with a therapist or a group: only the entries you pick.

    How the stages moved, mood over time, milestones and counters, then the entries you chose by number,
    tag or star. Tender entries appear only when named by number. The file is not encrypted.

    Example: recovery-journal share --from "3 months ago" --entries 12,15 --redact Alex -o summary.md
    """
    from ..overviews import summary as sharing  # the overviews: only for share (their picture, after the key)

    if fmt not in sharing.FORMATS:
        raise UsageProblem(f"'{fmt}' isn't a summary format.", hint="Use --format markdown or html.")
    numbers = _numbers(entries)
    now = local_now()
    order = terminal.date_order(ctx)
    first = parse_day(since, now, order) if since else None
    last = parse_day(until, now, order) if until else now.date()
    if first is not None and first > last:
        raise InvalidDate(f"--from ({first}) comes after --to ({last}).", hint="Swap them round.")
    names = [n for n in (redact or []) if n.strip()]
    if output is None and not dry_run:
        raise UsageProblem(
            "share writes to a file: say where with -o FILE.",
            hint="Or add --dry-run to see what it would hold.",
        )
    if output is not None and not dry_run:
        outfiles.check_target(terminal.settings(ctx).paths.home, output, force=force)
    out = Output()
    with terminal.open_journal(ctx, out) as journal:
        built = sharing.gather(
            journal,
            first,
            last,
            numbers=numbers,
            tags=clean_tags(tag or []),
            starred=starred,
            redact=names,
            counters=counters,
        )
    # The picture's Rich loads only now: the key derivation's 64 MiB came on top of it (100.5 MiB at 50,000).
    from ..render import share as share_view

    missing = [name for name, hits in built.redactions.items() if not hits]
    if missing:
        raise InvalidInput(
            f"{', '.join(repr(n) for n in missing)} {'doesn' if len(missing) == 1 else 'don'}'t appear "
            "in what would be shared, "
            "so nothing was written.",
            hint="If it's a spelling, check it; if it isn't needed, leave that --redact out.",
        )
    if dry_run:
        out.lines(share_view.contents_lines(built))
        return
    assert output is not None  # noqa: S101 - checked above
    text = share_view.markdown(built) if fmt == "markdown" else share_view.as_html(built)
    left = sharing.still_named(text, names)
    if left:  # a last look at the finished file, however the name was written in it
        raise InvalidInput(
            f"{', '.join(repr(n) for n in left)} could still be read in the summary, so nothing was written.",
            hint="Please report this; meanwhile, leave out the entries that mention it.",
        )
    outfiles.write_text(output, text, overwrite=force)
    out.say(
        f"Wrote the summary to {output} ({_count(len(built.entries), 'entry', 'entries')} of your words, "
        f"{_count(len(built.milestones), 'milestone', 'milestones')}).",
        style="green",
    )
    out.say(
        "It isn't encrypted: only you can read it on this computer, but anyone you give it to can. "
        "Delete it when you no longer need it."
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _numbers(given: str | None) -> list[int]:
    if not given:
        return []
    found = []
    for part in given.replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit() or not part.isascii():
            raise UsageProblem(
                f"'{part}' isn't an entry number.", hint="Give numbers separated by commas: --entries 3,7,12"
            )
        found.append(int(part))
    return sorted(set(found))
