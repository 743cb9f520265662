"""What issue 14 changed to make a large import fast gives exactly what the plainer code gave."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from recovery_journal.domain import entry as domain

# inline_tags as it was before: the look-behind first, and every text through the link pattern.
_OLD_TAG = re.compile(r"(?<![\w@#&/])[@#]([^\W\d_][\w-]*)")


def _old_inline_tags(text: str) -> tuple[str, ...]:
    words = domain._LINK.sub(" ", unicodedata.normalize("NFC", text))
    found = (domain._tag_form(tag.rstrip("-")) for tag in _OLD_TAG.findall(words))
    return tuple(
        dict.fromkeys(t for t in found if len(t) <= domain.MAX_TAG_CHARS and domain._TAG_OK.match(t))
    )


_TAGGY = st.text(alphabet=st.sampled_from("@#&/:. aAéİı_-1\nwW") | st.characters(), max_size=40)
_LINKY = st.sampled_from(["www.", "WwW.", "http://x", "://", "@walks", "#grief"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_TAGGY | _LINKY, max_size=6))
def test_inline_tags_finds_what_it_found_before(parts: list[str]) -> None:
    text = "".join(parts)
    assert domain.inline_tags(text) == _old_inline_tags(text)
