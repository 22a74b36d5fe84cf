"""The site's search index: static files under `qadocs-search/`, read by assets/qadocs-search.js
only once a reader opens search, and only the pieces a query needs.

What a page is found by is its title and the text a reader sees in it (`describe.search_text`:
markup, code blocks and math blocks left out). Text is cut into terms the same way here and in
the browser (`terms`, and `terms` in qadocs-search.js, which a browser test holds equal):
NFKC, lower case; a run of Han characters gives each pair of neighbours (扩散模型: 扩散 散模 模型)
and its last character alone, so a query of any length matches a page holding it without a
dictionary on either side; a run of other letters and digits is one word (LoRA, 2d). Chinese next
to Latin is two runs: 什么是LoRA is 什么是 + lora. A page is also found by the pinyin of its
title's words (`sounds`: kuosan moxing finds 扩散模型).

Files (every text is JSON, escaped for HTML though it is never parsed as such):
- `meta.json`: the pages (URL from the site's root, title, kind, where it sits), the number of
  term shards and a hash of each (the browser asks for `i/<k>.json?v=<hash>`: a shard that did
  not change is reused from the browser's cache).
- `i/<k>.json`: the postings of every term whose shard is k: `{term: [n, ...]}` where each n is
  (page number - previous page number) * 4 + min(count, 4) - 1. A Han term's shard follows from
  its first character, a word's from its first two, so a typed word prefix needs one shard.
- `p/<n>.json`: page n's text, for the snippet around the match, asked for as `?v=<id>`: meta.json's
  `id`, a hash of the page list and every text (meta.json itself is revalidated on every visit).
"""

from __future__ import annotations

import hashlib
import operator
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from qadocs.core.model import Memo
from qadocs.core.text.escape import json_for_html
from qadocs.core.text.slug import slugify
from qadocs.core.text.urls import SEARCH_DIR

META = SEARCH_DIR + "/meta.json"
FORMAT = 1  # meta.json's "v": the browser ignores an index it does not know
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U000323af"
# A run of Han characters, or a run of other letters and digits (linear: one class test a character).
RUN_RE = re.compile(f"[{HAN}]+|(?:(?![{HAN}])[^\\W_])+")
WORD_MAX = 32  # characters of a word kept (longer ones are cut: a hash or a URL is not searched by)
TF_MAX = 4  # counts above are counted as this
POSTINGS_PER_SHARD = 6000  # about 25 KB of JSON, 8 KB compressed, per shard
SHARDS_MAX = 1024
SOUND_SLUG_MAX = 400  # characters of a title's pinyin read for its pinyin words
PAGE_TEXT_MAX = 10000  # characters of a page's text kept for snippets
QUESTION, INDEX = 0, 1  # kinds of page (the browser puts question pages first)


def fold(text: str) -> str:
    """`text` as terms are cut from it: NFKC, lower case."""
    return unicodedata.normalize("NFKC", text).lower()


_HAN_ONE = re.compile(f"[{HAN}]")


def terms(text: str) -> list[str]:
    """The terms of `text` (see the module's docstring), in order, repeated as often as they occur."""
    found: list[str] = []
    for run in RUN_RE.findall(fold(text)):
        if _HAN_ONE.match(run):
            found += map(operator.add, run, run[1:])
            found.append(run[-1])
        else:
            found.append(run[:WORD_MAX])
    return found


def _counts(text: str) -> dict[str, int]:
    return Counter(terms(text))


_COUNTS: Memo[str, dict[str, int]] = Memo(_counts)  # a page's terms, counted once while its text stays


def shard_of(term: str, count: int) -> int:
    """The shard holding `term`: from its first character (Han), or first two (a word)."""
    key = ord(term[0]) * 31
    if len(term) > 1 and _HAN_ONE.match(term) is None:
        key += ord(term[1])
    return key % count


@dataclass(slots=True, frozen=True)
class Entry:
    """One page as search knows it."""

    url: str  # from the site's root, ends with "/" ("" for the home page)
    title: str
    kind: int
    where: str  # what it sits in, " › " between levels ("" for the home page)
    text: str  # the text a reader sees, title excluded


def _dump(data: object) -> str:
    return json_for_html(data) + "\n"


def sounds(title: str) -> list[str]:
    """The toneless pinyin of each Chinese word of `title` (jieba's words, as in URL slugs), as
    words: 扩散模型 → kuosan, moxing. A reader who types pinyin finds the title."""
    if not _HAN_ONE.search(title):
        return []
    own = set(terms(title))
    return [w[:WORD_MAX] for w in dict.fromkeys(slugify(title, SOUND_SLUG_MAX).split("-")) if w and w not in own]


def _page_counts(page: Entry) -> dict[str, int]:
    """How often each term occurs in a page's title and text; its title's pinyin words once."""
    counts = _COUNTS(page.title + "\n" + page.text)
    extra = [w for w in sounds(page.title) if w not in counts]
    return {**counts, **dict.fromkeys(extra, 1)} if extra else counts


def _postings(pages: list[Entry]) -> dict[str, list[int]]:
    """Every term's postings, encoded (see the module's docstring)."""
    postings: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    for number, page in enumerate(pages):
        for term, count in _page_counts(page).items():
            code = (number - last.get(term, 0)) * TF_MAX + min(count, TF_MAX) - 1
            last[term] = number
            postings.setdefault(term, []).append(code)
    return postings


def search_files(pages: list[Entry]) -> dict[str, str]:
    """The search index's files for `pages` (question pages first), by their path in the docs dir."""
    postings = _postings(pages)
    total = sum(len(v) for v in postings.values())
    count = 1
    while count < SHARDS_MAX and total / count > POSTINGS_PER_SHARD:
        count *= 2
    shards: list[dict[str, list[int]]] = [{} for _ in range(count)]
    for term in sorted(postings):
        shards[shard_of(term, count)][term] = postings[term]
    files: dict[str, str] = {}
    hashes: list[str] = []
    for k, shard in enumerate(shards):
        text = _dump(shard)
        files[f"{SEARCH_DIR}/i/{k}.json"] = text
        hashes.append(hashlib.sha1(text.encode()).hexdigest()[:8])
    wheres: dict[str, int] = {}
    rows = [[page.url, page.title, page.kind, wheres.setdefault(page.where, len(wheres))] for page in pages]
    version = hashlib.sha1(_dump(rows).encode())
    for number, page in enumerate(pages):
        text = _dump({"t": page.text[:PAGE_TEXT_MAX]})
        files[f"{SEARCH_DIR}/p/{number}.json"] = text
        version.update(text.encode())
    meta = {"v": FORMAT, "id": version.hexdigest()[:10], "shards": count, "hash": hashes, "where": list(wheres)}
    files[META] = _dump({**meta, "pages": rows})
    return files
