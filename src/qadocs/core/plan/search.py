"""The site's search index: static files under `qadocs-search/`, read by assets/qadocs-search.js
only once a reader opens search, and only the pieces a query needs.

What a page is found by is its title and the text a reader sees in it (`describe.search_text`:
markup, code blocks and math blocks left out). Text is cut into terms the same way here and in
the browser (`terms`, and `terms` in qadocs-search.js, which a browser test holds equal):
NFKC, lower case; a run of Han characters gives each pair of neighbours (扩散模型: 扩散 散模 模型)
and its last character alone, so a query of any length matches a page holding it without a
dictionary on either side; a run of other letters and digits is one word (LoRA, 2d). Chinese next
to Latin is two runs: 什么是LoRA is 什么是 + lora. A page is also found by the pinyin of its
title (`sounds`: kuosan moxing finds 扩散模型).

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

import bisect
import hashlib
import operator
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from qadocs.core.model import Memo
from qadocs.core.text.escape import json_for_html
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
INCREMENTAL_MAX = 64  # pages changed since the last generation up to which its index is updated
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


_TEXT_FILES: Memo[str, str] = Memo(lambda text: _dump({"t": text[:PAGE_TEXT_MAX]}))  # p/<n>.json by text
_HASH: Memo[str, str] = Memo(lambda text: hashlib.sha1(text.encode()).hexdigest())  # of each file written


def sounds(title: str) -> list[str]:
    """The toneless pinyin of `title`'s Han runs as words: each two and three neighbouring
    syllables (扩散模型 → kuosan, sanmo, moxing, kuosanmo, sanmoxing), so a reader who types the
    pinyin of a word of two or three characters (kuosan moxing, zhuyili jizhi) finds the title.
    Each character reads as its most common reading (no dictionary of words)."""
    runs = [run for run in RUN_RE.findall(fold(title)) if _HAN_ONE.match(run)]
    if not runs:
        return []
    _learn_pinyin("".join(runs))
    found: list[str] = []
    for run in runs:
        syllables = [_PINYIN[ch] for ch in run if _PINYIN.get(ch)]
        found += map(operator.add, syllables, syllables[1:])
        found += (a + b + c for a, b, c in zip(syllables, syllables[1:], syllables[2:], strict=False))
    own = set(terms(title))
    return [word[:WORD_MAX] for word in dict.fromkeys(found) if word not in own]


_PINYIN: dict[str, str] = {}  # a Han character's toneless pinyin ("" when pypinyin has none)


def _learn_pinyin(text: str) -> None:
    """Every character of `text` in `_PINYIN` (pypinyin asked once for all the new ones)."""
    new = [ch for ch in dict.fromkeys(text) if ch not in _PINYIN]
    if new:
        _PINYIN.update(
            (ch, py if py.isascii() and py.isalpha() else "") for ch, py in zip(new, lazy_pinyin(new), strict=True)
        )


def _page_codes(key: tuple[str, str]) -> dict[str, int]:
    """A page's terms (`key`: its title and text) with min(count, TF_MAX) - 1 each; its title's
    pinyin words as met once."""
    title, text = key
    counts = Counter(terms(title + "\n" + text))
    codes = {term: min(n, TF_MAX) - 1 for term, n in counts.items()}
    for word in sounds(title):
        codes.setdefault(word, 0)
    return codes


_CODES: Memo[tuple[str, str], dict[str, int]] = Memo(_page_codes)  # each page's, while it is unchanged


@dataclass(slots=True)
class _Postings:
    """What the last generation's index was made of, to update when few pages changed (`mkdocs
    serve` after an edit) instead of making it again: each page's codes (the very objects `_CODES`
    returned), every term's page number * TF_MAX + code in ascending order, the terms of each
    shard and each shard's file."""

    codes: list[dict[str, int]]
    held: dict[str, list[int]]
    members: list[set[str]]
    texts: list[str]


_LAST: list[_Postings] = []  # the last generation's, if any (never more than one)


def _encode(values: list[int]) -> list[int]:
    """A term's postings as written: each page number as the step from the one before."""
    out: list[int] = []
    before = 0
    for value in values:
        out.append(value - before)
        before = value - value % TF_MAX
    return out


def _shard_count(total: int) -> int:
    count = 1
    while count < SHARDS_MAX and total / count > POSTINGS_PER_SHARD:
        count *= 2
    return count


def _full(codes: list[dict[str, int]]) -> _Postings:
    held: defaultdict[str, list[int]] = defaultdict(list)
    for number, page in enumerate(codes):
        base = number * TF_MAX
        for term, code in page.items():
            held[term].append(base + code)
    count = _shard_count(sum(map(len, held.values())))
    members: list[set[str]] = [set() for _ in range(count)]
    for term in held:
        members[shard_of(term, count)].add(term)
    texts = [_dump({term: _encode(held[term]) for term in sorted(terms_k)}) for terms_k in members]
    return _Postings(codes, dict(held), members, texts)


def _updated(last: _Postings, codes: list[dict[str, int]], changed: list[int]) -> _Postings | None:
    """`last` with the pages `changed` replaced by theirs in `codes`; None when the number of
    shards would change."""
    held, touched = last.held, set()
    for n in changed:
        for term, code in last.codes[n].items():
            values = held[term]
            del values[bisect.bisect_left(values, n * TF_MAX + code)]
            if not values:
                del held[term]
            touched.add(term)
        for term, code in codes[n].items():
            bisect.insort(held.setdefault(term, []), n * TF_MAX + code)
            touched.add(term)
    count = len(last.members)
    if _shard_count(sum(map(len, held.values()))) != count:
        return None
    by_shard: defaultdict[int, list[str]] = defaultdict(list)
    for term in touched:
        by_shard[shard_of(term, count)].append(term)
    texts = list(last.texts)
    for k, terms_k in by_shard.items():
        members = last.members[k]
        for term in terms_k:
            if term in held:
                members.add(term)
            else:
                members.discard(term)
        texts[k] = _dump({term: _encode(held[term]) for term in sorted(members)})
    return _Postings(codes, held, last.members, texts)


def _index(codes: list[dict[str, int]]) -> _Postings:
    """The postings of pages with these `codes`: the last generation's updated when at most
    `INCREMENTAL_MAX` pages changed and the pages are as many, else made anew."""
    last = _LAST.pop() if _LAST else None  # taken out while it is changed: an error leaves none
    found = None
    if last is not None and len(last.codes) == len(codes):
        changed = [n for n, (was, now) in enumerate(zip(last.codes, codes, strict=True)) if was is not now]
        if len(changed) <= INCREMENTAL_MAX:
            found = _updated(last, codes, changed)
    found = found if found is not None else _full(codes)
    _LAST.append(found)
    return found


def search_files(pages: list[Entry]) -> dict[str, str]:
    """The search index's files for `pages` (question pages first), by their path in the docs dir."""
    index = _index([_CODES((page.title, page.text)) for page in pages])
    files = {f"{SEARCH_DIR}/i/{k}.json": text for k, text in enumerate(index.texts)}
    hashes = [_HASH(text)[:8] for text in index.texts]
    wheres: dict[str, int] = {}
    rows = [[page.url, page.title, page.kind, wheres.setdefault(page.where, len(wheres))] for page in pages]
    version = hashlib.sha1(_dump(rows).encode())
    for number, page in enumerate(pages):
        text = _TEXT_FILES(page.text)
        files[f"{SEARCH_DIR}/p/{number}.json"] = text
        version.update(_HASH(text).encode())
    meta = {"v": FORMAT, "id": version.hexdigest()[:10], "shards": len(index.texts), "hash": hashes}
    meta["where"] = list(wheres)
    files[META] = _dump({**meta, "pages": rows})
    return files
