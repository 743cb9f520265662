"""What isn't an entry travels too, and every device ends with the same: milestones, counters, the safety
plan, the gentle check's switch, and marks (issue 17). The latest change wins; counters keep every run."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from recovery_journal.care.plan import KEYS, SafetyPlan
from recovery_journal.domain.entry import EntryChanges
from recovery_journal.journal.service import Journal
from recovery_journal.sync import engine

from .test_sync import devices, folder, sync_all  # noqa: F401  (devices and folder are fixtures)


@pytest.fixture
def three(devices: list[Journal]) -> list[Journal]:  # noqa: F811
    return devices


def milestones(journal: Journal) -> set[tuple[str, str, str, str]]:
    return {(m.uuid, m.text, m.kind, m.note) for m in journal.milestones.all()}


def counters(journal: Journal) -> dict[str, tuple[str, tuple[Any, ...]]]:
    return {c.uuid: (c.name, c.runs) for c in journal.counters.all()}


def marks(journal: Journal) -> dict[str, tuple[bool, bool]]:
    return {e.uuid: (e.tender, e.starred) for e in journal.entries().entries}


def ids(journal: Journal) -> dict[str, int]:
    return {e.uuid: e.id for e in journal.entries().entries}


def plan(words: str) -> dict[str, str]:
    return SafetyPlan({KEYS[0]: words}).to_json()


def plan_of(journal: Journal) -> dict[str, str] | None:
    found = journal.care.plan()
    return None if found is None else found.to_json()


def test_milestone_edits_and_deletions_reach_every_device(three: list[Journal]) -> None:
    laptop, desktop, tablet = three
    kept = laptop.milestones.add("First boundary held")
    gone = laptop.milestones.add("Told a friend")
    sync_all(three)
    assert milestones(desktop) == milestones(laptop) == milestones(tablet)
    on_desktop = {m.uuid: m.id for m in desktop.milestones.all()}
    desktop.milestones.edit(on_desktop[kept.uuid], text="First boundary held, calmly", note="at dinner")
    on_tablet = {m.uuid: m.id for m in tablet.milestones.all()}
    tablet.milestones.delete(on_tablet[gone.uuid])
    sync_all(three)
    assert milestones(laptop) == milestones(desktop) == milestones(tablet)
    assert milestones(laptop) == {(kept.uuid, "First boundary held, calmly", "other", "at dinner")}
    assert engine.run(laptop).written is None  # settled


def test_the_later_of_two_milestone_edits_wins_everywhere(three: list[Journal]) -> None:
    laptop, desktop, tablet = three
    mark = laptop.milestones.add("Ninety days")
    sync_all(three)
    desktop.milestones.edit({m.uuid: m.id for m in desktop.milestones.all()}[mark.uuid], text="Earlier edit")
    tablet.milestones.edit({m.uuid: m.id for m in tablet.milestones.all()}[mark.uuid], text="Later edit")
    engine.run(tablet)
    engine.run(desktop)
    sync_all(three)
    # Neither saw the other's edit: one wins (the later stamp, ties by digest), the same one on every device.
    texts = [{m.text for m in d.milestones.all()} for d in three]
    assert texts[0] == texts[1] == texts[2]
    assert len(texts[0]) == 1


def test_a_milestone_edited_after_its_deletion_comes_back_everywhere(three: list[Journal]) -> None:
    laptop, desktop, _tablet = three
    mark = laptop.milestones.add("Moved out")
    sync_all(three)
    laptop.milestones.delete({m.uuid: m.id for m in laptop.milestones.all()}[mark.uuid])
    engine.run(laptop)
    later = laptop.now() + timedelta(minutes=1)
    desktop.now = lambda: later  # the edit is made a minute after the deletion, before the desktop syncs
    desktop.milestones.edit({m.uuid: m.id for m in desktop.milestones.all()}[mark.uuid], note="new flat")
    sync_all(three)
    assert [milestones(d) for d in three] == [{(mark.uuid, "Moved out", "other", "new flat")}] * 3


def test_counter_resets_travel_and_every_run_is_kept(three: list[Journal]) -> None:
    laptop, desktop, tablet = three
    today = laptop.now().date()
    started = laptop.counters.start("no contact", today - timedelta(days=40))
    sync_all(three)
    laptop.counters.reset("no contact", today - timedelta(days=10))
    sync_all(three)
    assert counters(laptop) == counters(desktop) == counters(tablet)
    runs = counters(tablet)[started.uuid][1]
    assert [(r.start, r.end) for r in runs] == [
        (today - timedelta(days=40), today - timedelta(days=10)),
        (today - timedelta(days=10), None),
    ]


def test_resets_on_two_devices_keep_both_runs(three: list[Journal]) -> None:
    laptop, desktop, tablet = three
    today = laptop.now().date()
    started = laptop.counters.start("no contact", today - timedelta(days=40))
    sync_all(three)
    laptop.counters.reset("no contact", today - timedelta(days=20))
    desktop.counters.reset("no contact", today - timedelta(days=30))
    desktop.counters.reset("no contact", today - timedelta(days=5))
    sync_all(three, rounds=3)
    assert counters(laptop) == counters(desktop) == counters(tablet)
    runs = counters(laptop)[started.uuid][1]
    assert runs[-1].end is None
    ended = {(r.start, r.end) for r in runs[:-1]}
    # The desktop's own runs are there whichever reset won: nothing either device recorded as ended is lost
    # unless it closed the very same run (one run can end only once).
    desktops = (today - timedelta(days=30), today - timedelta(days=5))
    assert desktops in ended or runs[-1].start == today - timedelta(days=20)
    assert engine.run(laptop).written is None


def test_counter_deletion_travels(three: list[Journal]) -> None:
    laptop, desktop, tablet = three
    laptop.counters.start("no contact", date(2024, 1, 1))
    sync_all(three)
    desktop.counters.delete("no contact")
    sync_all(three)
    assert counters(laptop) == counters(tablet) == {}


def test_safety_plan_edits_and_removal_travel(three: list[Journal]) -> None:
    laptop, desktop, tablet = three
    laptop.care.set_plan(SafetyPlan.from_json(plan("Call my sister.")))
    sync_all(three)
    assert plan_of(tablet) == plan("Call my sister.")
    desktop.care.set_plan(SafetyPlan.from_json(plan("Call my sister, then walk.")))
    sync_all(three)
    assert plan_of(laptop) == plan_of(tablet) == plan("Call my sister, then walk.")
    tablet.care.delete_plan()
    sync_all(three)
    assert plan_of(laptop) is None and plan_of(desktop) is None


def test_the_gentle_check_switch_travels_but_not_its_note(three: list[Journal]) -> None:
    laptop, desktop, tablet = three
    laptop.care.set_checks(False)
    sync_all(three)
    assert not desktop.care.checks_on() and not tablet.care.checks_on()
    tablet.care.set_checks(True)
    sync_all(three)
    assert laptop.care.checks_on() and desktop.care.checks_on()


def test_unstarring_and_unmarking_tender_travel(three: list[Journal]) -> None:
    laptop, desktop, tablet = three
    entry = laptop.write("Marked, then not.")
    laptop.edit(entry.id, EntryChanges(starred=True, tender=True))
    sync_all(three)
    assert marks(desktop)[entry.uuid] == marks(tablet)[entry.uuid] == (True, True)
    desktop.edit(ids(desktop)[entry.uuid], EntryChanges(starred=False))
    sync_all(three)
    assert marks(laptop)[entry.uuid] == marks(tablet)[entry.uuid] == (True, False)
    tablet.edit(ids(tablet)[entry.uuid], EntryChanges(tender=False))
    tablet.edit(ids(tablet)[entry.uuid], EntryChanges(text="Marked, then not, then edited."))
    sync_all(three)
    assert marks(laptop) == marks(desktop) == marks(tablet)
    assert marks(laptop)[entry.uuid] == (False, False)
    assert engine.run(desktop).written is None


def test_an_old_edit_arriving_late_never_brings_a_star_back(three: list[Journal]) -> None:
    laptop, desktop, tablet = three
    entry = laptop.write("Starred once.")
    laptop.edit(entry.id, EntryChanges(starred=True))
    engine.run(laptop)
    engine.run(desktop)  # the desktop has it starred, and edits its words
    desktop.edit(ids(desktop)[entry.uuid], EntryChanges(text="Starred once, and edited."))
    engine.run(desktop)
    laptop.edit(entry.id, EntryChanges(starred=False))
    engine.run(laptop)
    # The tablet takes in the desktop's edit (an entry that was starred) after the laptop's un-starring.
    sync_all([tablet, laptop, desktop])
    assert marks(laptop) == marks(desktop) == marks(tablet)
    assert marks(tablet)[entry.uuid] == (False, False)
