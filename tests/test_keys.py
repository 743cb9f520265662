"""Choosing passphrases and typing recovery codes: every slip is said, and on a terminal asked again."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from recovery_journal.commands import terminal as face
from recovery_journal.errors import ExitCode
from recovery_journal.sealing import crypto

from .conftest import PASSPHRASE, Cli, Ran

GROUPS = 8


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Behave as if a person is at a terminal (CliRunner feeds prompts from `input`)."""
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(face, "can_ask_secret", lambda: True)


def _code(ran: Ran) -> str:
    return ran.stdout.split("recovery code: ")[1].split()[0]


def names_group(said: str, group: int) -> bool:
    """The typo is named: that group, or (when the check letters allow two readings) it and one other."""
    named = re.search(r"recovery code's (group \d(?: or group \d)?) looks mistyped", said)
    return named is not None and f"group {group}" in named.group(1).split(" or ")


def _typo(code: str, group: int) -> str:
    """The code with one character of `group` (1-8) changed, as a slip of the fingers would."""
    index = (group - 1) * 5 + 1  # 5 per group with its hyphen; the second character of the group
    wrong = "7" if code[index] != "7" else "8"
    return code[:index] + wrong + code[index + 1 :]


def test_a_short_passphrase_is_mentioned_before_confirming_and_kept_by_default(
    cli: Cli, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    ran = cli("init", input="abc\n\nabc\n")  # Enter at the offer keeps it
    assert ran.exit_code == 0, ran.stderr
    note = ran.stderr.index("A phrase of a few words")
    assert note < ran.stderr.index("Once more"), "said before the confirmation, not after the code"
    assert "Choose a different one?" in ran.stderr
    assert "harder to guess" in ran.stderr and ran.stderr.count("harder to guess") == 1, "said once"
    assert cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE": "abc"}).exit_code == 0


def test_a_short_passphrase_can_be_chosen_again(
    cli: Cli, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    ran = cli("init", input="abc\ny\nthree quiet words\nthree quiet words\n")
    assert ran.exit_code == 0, ran.stderr
    assert cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE": "three quiet words"}).exit_code == 0
    assert cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE": "abc"}).exit_code == ExitCode.WRONG_SECRET


def test_an_answer_that_isnt_yes_or_no_is_asked_again_calmly(
    cli: Cli, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    ran = cli("init", input="abc\nmaybe\n\nabc\n")  # a slip at the offer, then Enter keeps it
    assert ran.exit_code == 0, ran.stderr
    assert "Please answer y or n." in ran.stderr and "Error" not in ran.stderr
    assert ran.stderr.count("Choose a different one? [y/N]") == 2
    assert cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE": "abc"}).exit_code == 0


def test_stopping_before_anything_was_changed_says_nothing_was(
    cli: Cli, terminal: None, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    """Ctrl-D at the first prompt: "Nothing more was changed" would suggest something had been."""
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    for typed in ("", "abc\n"):  # at "Choose a passphrase", and at "Choose a different one?"
        ran = cli("init", input=typed)
        assert ran.exit_code == ExitCode.INTERRUPTED
        assert "Stopped. Nothing was changed." in ran.stderr and "more" not in ran.stderr
        assert not isolated.exists()
    assert cli("init", env={"RECOVERY_JOURNAL_PASSPHRASE": PASSPHRASE}).exit_code == 0
    ran = cli("list", input="")  # at the passphrase: the journal's file isn't even opened yet
    assert ran.exit_code == ExitCode.INTERRUPTED and "Stopped. Nothing was changed." in ran.stderr
    ran = cli("list", input="not it\n")  # the wrong try opened the file, which may have upgraded it
    assert ran.exit_code == ExitCode.INTERRUPTED and "Stopped. Nothing more was changed." in ran.stderr


def test_a_short_passphrase_from_the_environment_gets_the_note_without_a_question(cli: Cli) -> None:
    ran = cli("init", env={"RECOVERY_JOURNAL_PASSPHRASE": "abc"})
    assert ran.exit_code == 0, ran.stderr
    assert "harder to guess" in ran.stderr and "Choose a different one?" not in ran.stderr


def test_an_empty_passphrase_is_asked_again_with_the_reason(
    cli: Cli, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    ran = cli("init", input="\n   \nmy own words\nmy own words\n")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stderr.count("An empty passphrase can't protect anything.") == 2


def test_passwd_asks_for_the_current_passphrase_and_refuses_the_same_one(
    cli: Cli, terminal: None, initialised: Ran, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    answers = [PASSPHRASE, PASSPHRASE, "a different passphrase", "a different passphrase"]
    ran = cli("passwd", input="\n".join(answers) + "\n")
    assert ran.exit_code == 0, ran.stderr
    assert "Current passphrase" in ran.stderr
    assert "already has" in ran.stderr
    assert cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE": "a different passphrase"}).exit_code == 0


def test_passwd_from_the_environment_refuses_the_same_passphrase(cli: Cli, initialised: Ran) -> None:
    for args in (("passwd",), ("passwd", "--rotate-data-key")):
        ran = cli(*args, env={"RECOVERY_JOURNAL_NEW_PASSPHRASE": PASSPHRASE})
        assert ran.exit_code == ExitCode.PASSPHRASE_PROBLEM, ran.stderr
        assert "already has" in ran.stderr and "nothing has been changed" in ran.stderr
        assert ran.stdout == "" and "Traceback" not in ran.stderr
    assert cli("list").exit_code == 0


def test_the_same_passphrase_in_another_unicode_form_is_the_same(cli: Cli) -> None:
    assert cli("init", env={"RECOVERY_JOURNAL_PASSPHRASE": "caf\u00e9 au lait"}).exit_code == 0
    ran = cli(
        "passwd",
        env={
            "RECOVERY_JOURNAL_PASSPHRASE": "caf\u00e9 au lait",
            "RECOVERY_JOURNAL_NEW_PASSPHRASE": "cafe\u0301 au lait",
        },
    )
    assert ran.exit_code == ExitCode.PASSPHRASE_PROBLEM


@pytest.mark.parametrize("group", range(1, GROUPS + 1))
def test_a_mistyped_group_is_named(group: int) -> None:
    code = crypto.format_recovery_code(hashlib.sha256(b"named %d" % group).digest()[:18])
    with pytest.raises(crypto.InvalidRecoveryCode) as caught:
        crypto.parse_recovery_code(_typo(code, group))
    assert group in caught.value.groups and len(caught.value.groups) <= 2


def test_swapped_neighbours_and_a_letter_codes_never_use_are_named() -> None:
    code = crypto.format_recovery_code(hashlib.sha256(b"swap").digest()[:18])
    plain = code.replace("-", "")
    i = next(i for i in range(8, 11) if plain[i] != plain[i + 1])  # inside group 3
    swapped = plain[:i] + plain[i + 1] + plain[i] + plain[i + 2 :]
    with pytest.raises(crypto.InvalidRecoveryCode) as caught:
        crypto.parse_recovery_code(swapped)
    assert 3 in caught.value.groups
    with pytest.raises(crypto.InvalidRecoveryCode) as caught:
        crypto.parse_recovery_code(plain[:21] + "U" + plain[22:])
    assert caught.value.groups == (6,)


def test_recover_names_the_mistyped_group_without_repeating_the_code(cli: Cli) -> None:
    code = _code(cli("init"))
    ran = cli(
        "recover",
        env={
            "RECOVERY_JOURNAL_RECOVERY_CODE": _typo(code, 3),
            "RECOVERY_JOURNAL_NEW_PASSPHRASE": "new words here",
        },
    )
    assert ran.exit_code == ExitCode.WRONG_SECRET
    assert names_group(ran.stderr, 3) and "checksum" not in ran.stderr
    for group in code.split("-"):
        assert group not in ran.stderr


def test_recover_asks_again_on_a_terminal_naming_the_group(
    cli: Cli, terminal: None, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _code(cli("init"))
    monkeypatch.setenv("RECOVERY_JOURNAL_NEW_PASSPHRASE", "a fresh start")
    ran = cli("recover", input=f"{_typo(code, 5)}\n{code}\n")
    assert ran.exit_code == 0, ran.stderr
    assert names_group(ran.stderr, 5) and "type it again" in ran.stderr
    assert "That code opened the journal." in ran.stderr
    assert "every backup made from now on" in ran.stdout + ran.stderr
    assert cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE": "a fresh start"}).exit_code == 0


def test_recover_stops_calmly_after_a_few_tries(cli: Cli, terminal: None) -> None:
    code = _code(cli("init"))
    ran = cli(
        "recover", input=f"{_typo(code, 2)}\n" * 3, env={"RECOVERY_JOURNAL_NEW_PASSPHRASE": "a fresh start"}
    )
    assert ran.exit_code == ExitCode.WRONG_SECRET
    assert ran.stderr.count("Recovery code") == 3 and "Traceback" not in ran.stderr


def test_init_says_what_the_recovery_code_opens(cli: Cli) -> None:
    ran = cli("init")
    assert "It opens this journal, and every backup made from now on." in ran.stdout
