"""Reading an export's JSON as it comes gives exactly what json.loads gives, however the file is laid out."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recovery_journal.portability import jsonstream

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=10,
)


def _rebuilt(text: str, streamed: tuple[str, ...]) -> dict[str, Any]:
    whole: dict[str, Any] = {}
    for key, value, item in jsonstream.members(io.StringIO(text), streamed):
        if item:
            whole.setdefault(key, []).append(value)
        else:
            whole[key] = value
    return whole


@settings(max_examples=300, deadline=None)
@given(
    doc=st.dictionaries(st.text(max_size=6), _VALUES, max_size=5),
    entries=st.lists(_VALUES, max_size=6),
    indent=st.sampled_from([None, 0, 2]),
    chunk=st.sampled_from([1, 2, 7, 64]),
)
def test_members_give_what_json_loads_gives(
    doc: dict[str, Any], entries: list[Any], indent: int | None, chunk: int
) -> None:
    doc = {**doc, "entries": entries}
    text = json.dumps(doc, indent=indent, ensure_ascii=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonstream, "CHUNK", chunk)  # tiny reads: every value crosses the edge of one
        rebuilt = _rebuilt(text, ("entries",))
    expected = json.loads(text)
    assert rebuilt.pop("entries", []) == expected.pop("entries")
    assert rebuilt == expected


@pytest.mark.parametrize(
    "text",
    ['{"entries": [1, 2', '{"a": 1} trailing', "[1, 2]", '{"a" 1}', '{"entries": [1 2]}', "", '{"a": tru}'],
)
def test_anything_but_one_whole_object_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        list(jsonstream.members(io.StringIO(text), ("entries",)))


def test_a_number_at_the_edge_of_a_read_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonstream, "CHUNK", 9)
    assert _rebuilt('{"version": 12345678901234}', ()) == {"version": 12345678901234}
