"""A title as compared when the exact title no longer matches: the same key for full- and
half-width forms, case, spaces and punctuation, and for simplified and traditional characters
(Han characters are read as their toneless pinyin, which both scripts share)."""

from __future__ import annotations

import unicodedata

from pypinyin import lazy_pinyin

from qadocs.core.model import Memo


def title_key(title: str) -> str:
    """`title` folded: NFKC, case folded, letters and digits only, Han read as pinyin."""
    return _KEYS(title)


def _title_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    kept = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(part for word in kept.split() for part in lazy_pinyin(word))


# Each title read once per process (pinyin is the slow part).
_KEYS: Memo[str, str] = Memo(_title_key)
