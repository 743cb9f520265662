"""Opening a journal and keeping words safe, at the service level: no CLI, prompts passed in as callables."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace

import pytest

from recovery_journal.domain.entry import EntryChanges
from recovery_journal.errors import Locked, NoJournal, PassphraseProblem, WrongSecret
from recovery_journal.journal import composing, opening
from recovery_journal.journal.service import Journal
from recovery_journal.settings import Settings

from .conftest import PASSPHRASE


def _prompted(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings with no passphrase in the environment, so only the prompt can give one."""
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    return Settings.from_env()


def test_no_journal_is_said_before_anything_is_asked(settings: Settings) -> None:
    def ask(attempt: int) -> str:
        raise AssertionError("asked for a passphrase with no journal to open")

    with pytest.raises(NoJournal):
        opening.open_journal(settings, ask)


def test_the_environment_passphrase_opens_without_asking(journal: Journal, settings: Settings) -> None:
    def ask(attempt: int) -> str:
        raise AssertionError("asked although the environment gave the passphrase")

    opened = opening.open_journal(settings, ask)
    with opened.journal:
        assert opened.passphrase == PASSPHRASE
        assert opened.rescued == []


def test_a_mistyped_passphrase_gets_two_more_tries(journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _prompted(monkeypatch)
    typed = iter(["wrong once", "wrong twice", PASSPHRASE])
    attempts: list[int] = []

    def ask(attempt: int) -> str:
        attempts.append(attempt)
        return next(typed)

    with opening.open_journal(settings, ask).journal as opened:
        assert opened.count() == 0
    assert attempts == [1, 2, 3]


def test_three_wrong_passphrases_are_refused(journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _prompted(monkeypatch)
    attempts: list[int] = []

    def ask(attempt: int) -> str:
        attempts.append(attempt)
        return "not it"

    with pytest.raises(WrongSecret):
        opening.open_journal(settings, ask)
    assert attempts == [1, 2, 3]


def test_no_terminal_and_no_environment_says_how_to_give_one(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _prompted(monkeypatch)
    with pytest.raises(PassphraseProblem) as caught:
        opening.open_journal(settings, None)
    assert "no terminal" in caught.value.message
    assert "RECOVERY_JOURNAL_PASSPHRASE_FILE" in (caught.value.hint or "")


def test_a_new_journal_is_refused_where_one_is_before_asking(journal: Journal, settings: Settings) -> None:
    def ask() -> str:
        raise AssertionError("asked for a passphrase although a journal is already there")

    with pytest.raises(Exception, match="already a journal"):
        opening.create_journal(settings, ask)


def test_create_uses_the_asked_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _prompted(monkeypatch)
    created = opening.create_journal(settings, lambda: "a brand new passphrase")
    created.journal.close()
    assert created.passphrase == "a brand new passphrase"
    with Journal.unlock(settings, "a brand new passphrase") as reopened:
        assert reopened.count() == 0
    with Journal.unlock_with_recovery_code(settings, created.recovery_code) as by_code:
        assert by_code.count() == 0


def test_words_a_crashed_editor_left_are_sealed_and_reported(journal: Journal, settings: Settings) -> None:
    folder = settings.scratch / f"edit-{settings.paths.tag}-999999999-abc"
    folder.mkdir(parents=True, mode=0o700)
    (folder / "entry.md").write_text("words from before the crash", encoding="utf-8")
    opened = opening.open_journal(settings, None)
    with opened.journal as reopened:
        assert len(opened.rescued) == 1
        assert reopened.drafts.get(opened.rescued[0]).text == "words from before the crash"
    assert not folder.exists()


@pytest.fixture
def impatient(journal: Journal, settings: Settings) -> Iterator[Journal]:
    """The same journal, opened with a short lock wait so a busy journal fails fast."""
    with Journal.unlock(replace(settings, lock_timeout=0.1), PASSPHRASE) as quick:
        yield quick


@pytest.fixture
def busy(impatient: Journal) -> Iterator[None]:
    """Another window holds the write lock for the whole test."""
    other = sqlite3.connect(impatient.settings.paths.db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield
    other.execute("ROLLBACK")
    other.close()


def test_a_failed_save_keeps_piped_words_as_a_draft(impatient: Journal, busy: None) -> None:
    journal = impatient
    with pytest.raises(Locked) as caught:
        composing.write(journal, "words that must not be lost", tags=("hope",))
    assert "draft 1" in caught.value.message
    kept = journal.drafts.get(1)
    assert (kept.text, kept.tags) == ("words that must not be lost", ("hope",))


def test_an_edit_that_cannot_save_keeps_the_new_words_for_that_entry(
    journal: Journal, impatient: Journal
) -> None:
    entry = journal.write("first words")
    other = sqlite3.connect(journal.settings.paths.db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(Locked) as caught:
            composing.edit(impatient, entry.id, EntryChanges(), text="second words")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "draft 1" in caught.value.message
    assert journal.drafts.get(1).entry_uuid == entry.uuid
    assert journal.drafts.save(1).entry.text == "second words"
    assert journal.entry(entry.id).revisions == 1
