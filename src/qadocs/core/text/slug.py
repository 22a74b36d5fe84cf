"""ASCII slugs for URLs and ids: Chinese words become pinyin, everything else is kept if ASCII."""

from __future__ import annotations

import logging
import re
from functools import cache

import jieba
from pypinyin import lazy_pinyin

from qadocs.core.model import Memo
from qadocs.core.text.chinese import HAN_RE

MAX_SLUG = 48
NON_SLUG_RE = re.compile(r"[^a-z0-9]+")

jieba.setLogLevel(logging.WARNING)


@cache
def _word(token: str) -> str:
    if HAN_RE.search(token):
        return "".join(lazy_pinyin(token))
    return token


def slugify(text: str, max_len: int = MAX_SLUG, fallback: str = "page") -> str:
    """Readable ASCII slug of at most `max_len` characters, cut at a word boundary."""
    return _SLUGS((text, max_len, fallback))


def _slugify(key: tuple[str, int, str]) -> str:
    text, max_len, fallback = key
    words = [_word(t) for t in jieba.cut(text)]
    slug = NON_SLUG_RE.sub("-", "-".join(words).lower()).strip("-")
    if len(slug) > max_len:
        cut = slug[: max_len + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut[: max_len + 1] else slug[:max_len]
        slug = slug[:max_len].strip("-")
    return slug or fallback


_SLUGS: Memo[tuple[str, int, str], str] = Memo(_slugify)  # jieba is slow: each title is cut once
