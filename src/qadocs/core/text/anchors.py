"""Anchor forms: the ways a link can name a heading (raw id, GitHub prefix and slug, encoded)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Generic, TypeVar
from urllib.parse import unquote

from qadocs.core.model import Memo

T = TypeVar("T")

GITHUB_PREFIX = "user-content-"
GITHUB_DROP_RE = re.compile(r"[^\w\- ]", re.UNICODE)


def clean_fragment(fragment: str) -> str:
    """Percent-decode a fragment and drop a leading `#` and GitHub's `user-content-` prefix."""
    return _CLEAN_FRAGMENTS(fragment)


def _clean_fragment(fragment: str) -> str:
    text = unquote(fragment.strip()).lstrip("#")
    if text.lower().startswith(GITHUB_PREFIX):
        text = text[len(GITHUB_PREFIX) :]
    return text


_CLEAN_FRAGMENTS: Memo[str, str] = Memo(_clean_fragment)  # every anchor's forms, every generation


def github_slug(text: str) -> str:
    """The anchor GitHub derives from heading text: lower case, punctuation dropped, spaces to `-`."""
    return GITHUB_DROP_RE.sub("", text.strip().lower()).replace(" ", "-")


def loose_key(text: str) -> str:
    """Letters and digits only, lower case: equal for every spelling of one anchor."""
    return _LOOSE_KEYS(text)


def _loose_key(text: str) -> str:
    return "".join(filter(str.isalnum, clean_fragment(text).lower()))


_LOOSE_KEYS: Memo[str, str] = Memo(_loose_key)  # every anchor's, asked again by every generation


def anchor_forms(anchor: str, heading_text: str) -> list[str]:
    """Every spelling a link may use for a heading with this id and text, original first."""
    forms = [anchor, GITHUB_PREFIX + anchor, github_slug(heading_text), github_slug(anchor)]
    return list(dict.fromkeys(f for f in forms if f))


def current_forms(anchor: str, heading: str) -> tuple[str, ...]:
    """Every spelling of a heading's anchor as `anchors.json` keys it (decoded, no `user-content-`)."""
    return tuple(dict.fromkeys(f for f in map(clean_fragment, anchor_forms(anchor, heading)) if f))


class AnchorIndex(Generic[T]):
    """Looks up a target by any anchor form: exact first, then a unique loose match."""

    def __init__(self) -> None:
        self._exact: dict[str, T] = {}
        self._loose: dict[str, list[T]] = {}

    def add(self, names: Iterable[str], target: T) -> None:
        """Register `target` under each name (first registration of a name wins)."""
        for name in names:
            self._exact.setdefault(clean_fragment(name), target)
            key = loose_key(name)
            if key:
                bucket = self._loose.setdefault(key, [])
                if len(bucket) < 2 and target not in bucket:  # two targets make a key ambiguous:
                    bucket.append(target)  # more need not be kept, and checking them is quadratic

    def find(self, fragment: str) -> T | None:
        """The target a fragment names, or None when it names nothing or is ambiguous."""
        text = clean_fragment(fragment)
        if text in self._exact:
            return self._exact[text]
        bucket = self._loose.get(loose_key(text), [])
        return bucket[0] if len(bucket) == 1 else None
