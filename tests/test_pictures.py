"""The timeline as a picture: readable colours, a title and words for screen readers, never colour alone."""

from __future__ import annotations

import re
import xml.dom.minidom
from pathlib import Path

import pytest

from recovery_journal.journal.service import Journal
from recovery_journal.overviews import facts, timeline
from recovery_journal.render import overview as view
from recovery_journal.render import share
from recovery_journal.stages.model import STAGES

from .conftest import Cli, Ran
from .test_overview import ago, fixed, render, story

__all__ = ["fixed"]  # the fixture, imported to be used here

SHADES = {"recognition": "░", "acceptance": "▒", "recovery": "▓"}


def contrast(one: str, other: str) -> float:
    """WCAG 2's contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_matches_wcag() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # WCAG's well-known near miss
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


def lived_timeline(journal: Journal) -> timeline.Timeline:
    story(journal)  # three stages, moods, moves and one tender entry (drawn dim)
    journal.milestones.add("First boundary held", day=ago(30).date(), kind="boundary")
    return timeline.build(facts.snapshot(journal), since=ago(160).date(), by="month")


def pictures(journal: Journal) -> tuple[str, str, timeline.Timeline]:
    built = lived_timeline(journal)
    lines = view.timeline_lines(built, view.PICTURE_WIDTH)
    words = share.timeline_words(built)
    return (
        share.picture_svg(lines, "My timeline", words),
        share.picture_page(lines, "My timeline", words),
        built,
    )


def test_the_svg_has_a_title_and_a_description_for_screen_readers(fixed: Journal) -> None:
    svg, _, built = pictures(fixed)
    root = xml.dom.minidom.parseString(svg.encode()).documentElement  # noqa: S318 - our own output
    assert root.getAttribute("role") == "img"
    named = {e.getAttribute("id"): e for e in root.childNodes if e.nodeType == e.ELEMENT_NODE}
    title_id, desc_id = root.getAttribute("aria-labelledby").split()
    assert named[title_id].tagName == "title" and named[title_id].firstChild.data == "My timeline"
    description = named[desc_id].firstChild.data
    assert named[desc_id].tagName == "desc"
    for bucket in built.buckets:
        assert bucket.label in description
    assert "First boundary held" in description and "moved into acceptance" in description
    for stage, shade in SHADES.items():
        assert f"{shade} {stage}" in description and f"mostly {stage}" in description


@pytest.mark.parametrize("kind", ["svg", "html"])
def test_every_colour_in_a_picture_reads_at_4_5_to_1(fixed: Journal, kind: str) -> None:
    svg, page, _ = pictures(fixed)
    if kind == "svg":
        background = re.search(r'<rect width="100%" height="100%" fill="(#[0-9a-f]{6})"', svg)
        used = set(re.findall(r"fill(?::\s*|=\")(#[0-9a-fA-F]{6})", svg))
    else:
        background = re.search(r'<pre aria-hidden="true" style="[^"]*background-color: (#[0-9a-f]{6})', page)
        used = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", page))
    assert background is not None
    used.discard(background.group(1))
    assert len(used) >= 5, used  # the three stages, milestones, and the plain and quiet text
    for colour in used:
        assert contrast(colour.lower(), background.group(1)) >= 4.5, colour


def test_stages_never_rest_on_colour_alone(fixed: Journal) -> None:
    built = lived_timeline(fixed)
    plain = render(view.timeline_lines(built, view.PICTURE_WIDTH), width=view.PICTURE_WIDTH)
    assert len(set(SHADES.values())) == len(STAGES)
    for stage, shade in SHADES.items():
        assert f"{shade}{shade} {stage}" in plain, "the legend names each stage beside its shading"
    rows = {
        b.dominant.value: line
        for b in built.buckets
        if b.dominant
        for line in plain.splitlines()
        if line.startswith(b.label)
    }
    for stage, row in rows.items():
        assert SHADES[stage] in row and stage.capitalize() in row, "each row names its stage in words too"
    svg, page, _ = pictures(fixed)
    for shade in SHADES.values():
        assert shade in svg and shade in page


def test_timeline_saves_accessible_pictures(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    assert cli("write", "--date", "3 days ago", input="I keep doubting my memory.").exit_code == 0
    assert cli("milestone", "add", "Said no", "--date", "2 days ago").exit_code == 0
    svg, html = tmp_path / "t.svg", tmp_path / "t.html"
    assert cli("timeline", "--svg", str(svg), "--html", str(html)).exit_code == 0
    drawn = svg.read_text(encoding="utf-8")
    assert 'role="img" aria-labelledby="picture-title picture-desc"' in drawn
    assert '<title id="picture-title">recovery-journal timeline</title>' in drawn
    assert re.search(r'<desc id="picture-desc">Timeline (by week|for the week of).*Said no', drawn, re.S)
    assert "#ff5f57" not in drawn, "no window buttons: decoration that reads as nothing"
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert 'aria-labelledby="picture-title" aria-describedby="picture-desc"' in page
    assert '<pre aria-hidden="true"' in page and "The picture in words" in page
    assert re.search(r"<li>[^<]*Said no \(other\)", page)
