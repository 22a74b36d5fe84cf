"""A title as compared when the exact title no longer matches.

`title_key` is the same for full- and half-width forms, case, spaces and punctuation.
`sound_key` is also the same for simplified and traditional characters: Han characters are read
as their toneless pinyin, which both scripts share. Homophones share it too (`什么是栈`,
`什么是站`), so it is given only to titles of at least `SOUND_MIN_HAN` Han characters, where two
different questions that sound alike are not met in practice.
"""

from __future__ import annotations

import unicodedata

from pypinyin import lazy_pinyin

from qadocs.core.model import Memo
from qadocs.core.text.chinese import is_han

SOUND_MIN_HAN = 8  # Han characters from which a title's pinyin may stand for it


def title_key(title: str) -> str:
    """`title` folded: NFKC, case folded, its letters and digits only (no spaces either)."""
    return _KEYS(title)


def _title_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def sound_key(title: str) -> str | None:
    """`title_key` with Han characters read as toneless pinyin; None for a title of fewer than
    `SOUND_MIN_HAN` Han characters."""
    return _SOUNDS(title)


def _sound_key(title: str) -> str | None:
    folded = title_key(title)
    if sum(map(is_han, folded)) < SOUND_MIN_HAN:
        return None
    return " ".join(lazy_pinyin(folded))


# Each title read once per process (pinyin is the slow part).
_KEYS: Memo[str, str] = Memo(_title_key)
_SOUNDS: Memo[str, str | None] = Memo(_sound_key)
