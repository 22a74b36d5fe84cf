"""Which registered index page each section, source and chapter of this build is, and the records
the build leaves.

Each record is used once. A source is found by its file's path, then by its title (when one
source and one record have it), then by where most of its questions were (their registry
entries' `source`). A chapter is found among its source's records by its title, then by its
title without its number (`第二章：…` renumbered `第三章：…`), then by its number alone. A section
is found by its folder, then, deepest first, by where most of what it holds was: the folders of
its sources' and sub-sections' records. A page found keeps its URL; a record found by nothing is
a page whose content is gone, and its URLs go to the nearest page that is still there: the
source now holding most of its questions (whose anchors.json forwards its old GitHub anchors),
else the page above it (its source, its section, a section above; under the home page the
record is kept as it is, and found again if its page comes back).
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from qadocs.core.model import Source, fingerprint
from qadocs.core.registry.index_pages import PageRecord
from qadocs.core.registry.records import Registry
from qadocs.core.text.chinese import CN_DIGITS
from qadocs.core.text.phrasing import CHAPTER_TITLE_RE

Key = tuple[str, int]  # (source path, chapter index)
K = TypeVar("K", str, Key)
# A chapter's number before its title: `2.`, `2.1 `, `二、`, `（3）`; `第二章` is CHAPTER_TITLE_RE's.
NUMBER_RE = re.compile(
    rf"[（(]?(\d{{1,6}}(?:[.．]\d{{1,4}})*|[{CN_DIGITS}]{{1,5}})[)）]?(?:[、:：\s]|[.．](?!\d)|(?<=[)）]))\s*"
)


@dataclass(slots=True, frozen=True)
class IndexMatch:
    """The record found for each index page of this build (those without one are new)."""

    sections: Mapping[str, PageRecord]  # folder -> record
    sources: Mapping[str, PageRecord]  # source path -> record
    chapters: Mapping[Key, PageRecord]  # (source path, chapter index) -> record
    heirs: Mapping[str, str] = field(default_factory=dict)  # a gone source's path -> where most of its questions are


def chapter_number(title: str) -> tuple[str | None, str]:
    """(number, rest) of a chapter title: `第二章：基础` -> ('第二章', '基础'); (None, title) unnumbered."""
    m = CHAPTER_TITLE_RE.match(title)
    if m:
        return "".join(m.group(1).split()).lower(), title[m.end() :].lstrip(" \t:：.．、-—")
    m = NUMBER_RE.match(title)
    return (m.group(1), title[m.end() :]) if m and title[m.end() :] else (None, title)


def _pair_unique(
    items: list[K],
    recs: list[PageRecord],
    key_of: Callable[[K], str | None],
    rec_key: Callable[[PageRecord], str | None],
    out: dict[K, PageRecord],
) -> None:
    """Pair the items and records not paired yet that have the same key, where exactly one item
    and one record have it."""
    left = [i for i in items if i not in out]
    used = {id(r) for r in out.values()}
    free = [r for r in recs if id(r) not in used]
    item_keys = Counter(k for i in left if (k := key_of(i)) is not None)
    rec_keys = Counter(k for r in free if (k := rec_key(r)) is not None)
    by_key = {rec_key(r): r for r in free}
    for i in left:
        k = key_of(i)
        if k is not None and item_keys[k] == 1 and rec_keys[k] == 1:
            out[i] = by_key[k]


def _constant(value: str) -> Callable[[str], str | None]:
    return lambda _item: value


def _path(rec: PageRecord) -> str | None:
    return rec.path


def _former_sources(registry: Registry) -> tuple[dict[str, str], dict[str, str]]:
    """Where each registered question was: by answer fingerprint, by title."""
    by_answer: dict[str, str] = {}
    by_title: dict[str, str] = {}
    for e in registry.questions:
        by_answer.setdefault(e.answer, e.source)
        by_title.setdefault(e.title, e.source)
    return by_answer, by_title


def _match_sources(
    sources: list[Source], recs: list[PageRecord], registry: Registry
) -> tuple[dict[str, PageRecord], dict[str, str]]:
    """The record of each source, and for each former source, the source holding most of its questions."""
    by_src = {s.path: s for s in sources}
    out: dict[str, PageRecord] = {}
    paths = list(by_src)
    _pair_unique(paths, recs, lambda p: p, lambda r: r.path, out)
    _pair_unique(paths, recs, lambda p: by_src[p].title, lambda r: r.title, out)
    by_answer, by_title = _former_sources(registry)
    held: Counter[tuple[str, str]] = Counter()  # (former source, source now) -> questions
    heirs_of: list[tuple[int, str, str]] = []  # (questions it holds, source now, former source)
    for path in paths:
        qs = by_src[path].questions
        votes = Counter(f for q in qs if (f := by_answer.get(fingerprint(q.body)) or by_title.get(q.title)))
        held.update({(former, path): n for former, n in votes.items()})
        if path in out or not votes:
            continue
        former, n = votes.most_common(1)[0]
        if 2 * n > len(qs):  # most of its questions were in one former source
            heirs_of.append((n, path, former))
    # A file split in two: the part holding most of the former file's questions takes its record,
    # whatever the order of their names.
    for _n, path, former in sorted(heirs_of, key=lambda h: (-h[0], h[1])):
        _pair_unique([path], recs, _constant(former), _path, out)
    heirs: dict[str, str] = {}
    for (former, path), _n in sorted(held.items(), key=lambda item: -item[1]):
        heirs.setdefault(former, path)
    return out, heirs


def _match_chapters(
    sources: list[Source], found: Mapping[str, PageRecord], recs: list[PageRecord]
) -> dict[Key, PageRecord]:
    by_source: dict[str, list[PageRecord]] = {}
    for r in recs:
        by_source.setdefault(r.path, []).append(r)
    out: dict[Key, PageRecord] = {}
    for src in sources:
        mine = by_source.get(found[src.path].path, []) if src.path in found else []
        titles = {(src.path, ch.index): ch.title for ch in src.chapters}
        keys = list(titles)
        for part in (_whole, _unnumbered, _number):
            _pair_unique(keys, mine, _by_title(titles, part), _by_title(None, part), out)
    return out


def _by_title(titles: Mapping[Key, str] | None, part: Callable[[str], str | None]) -> Callable[[Any], str | None]:
    """The key of a chapter (`titles[key]`) or of a record (its title) for one matching stage."""
    if titles is None:
        return lambda rec: part(rec.title)
    return lambda key: part(titles[key])


def _whole(title: str) -> str | None:
    return title


def _unnumbered(title: str) -> str | None:
    number, rest = chapter_number(title)
    return rest if number is not None and rest else None


def _number(title: str) -> str | None:
    return chapter_number(title)[0]


def folders_of(sources: Iterable[Source]) -> list[str]:
    """Every section of the build, each after the folders above it."""
    seen: dict[str, None] = {}
    for src in sources:
        parts = src.placed_section.split("/") if src.section else []
        for depth in range(1, len(parts) + 1):
            seen.setdefault("/".join(parts[:depth]), None)
    return list(seen)


def _match_sections(
    sources: list[Source], found: Mapping[str, PageRecord], recs: list[PageRecord]
) -> dict[str, PageRecord]:
    folders = folders_of(sources)
    out: dict[str, PageRecord] = {}
    _pair_unique(folders, recs, lambda f: f, lambda r: r.path, out)
    held: dict[str, list[str]] = {}  # folder -> the former folders of what it holds
    for src in sources:
        if src.section and src.path in found:
            held.setdefault(src.placed_section, []).append(posixpath.dirname(found[src.path].path))
    for folder in sorted(folders, key=lambda f: -f.count("/")):  # deepest first: sub-sections vote
        votes = Counter(held.get(folder, []))
        if folder not in out and votes:
            former, n = votes.most_common(1)[0]
            if 2 * n > len(held[folder]):
                _pair_unique([folder], recs, _constant(former), _path, out)
        if folder in out and "/" in folder:
            held.setdefault(folder.rpartition("/")[0], []).append(posixpath.dirname(out[folder].path))
    return out


def match_index_pages(sources: list[Source], registry: Registry | None) -> IndexMatch:
    """The record of every index page of this build found in the registry."""
    if registry is None or not registry.pages:
        return IndexMatch({}, {}, {})
    kinds = {kind: [r for r in registry.pages if r.kind == kind] for kind in ("section", "source", "chapter")}
    found, heirs = _match_sources(sources, kinds["source"], registry)
    return IndexMatch(
        _match_sections(sources, found, kinds["section"]),
        found,
        _match_chapters(sources, found, kinds["chapter"]),
        heirs,
    )


def _kept(kind: str, url: str, path: str, title: str, rec: PageRecord | None) -> PageRecord:
    """The record this build leaves for a page at `url` (its former URLs kept)."""
    old = [u for u in rec.all_urls() if u != url] if rec is not None else []
    return PageRecord(kind, url, path, title, old)


@dataclass(slots=True, frozen=True)
class Dirs:
    """The dirs this build gave the index pages."""

    sections: Mapping[str, str]
    sources: Mapping[str, str]
    chapters: Mapping[Key, str]


def settle_pages(
    sources: list[Source], dirs: Dirs, match: IndexMatch, registry: Registry | None
) -> tuple[tuple[PageRecord, ...], dict[str, str], dict[str, str]]:
    """The records this build leaves, where each former index URL now forwards (URL -> dir), and
    where the page of each source that is gone now forwards (source path -> dir)."""
    now: dict[int, PageRecord] = {}  # id of a former record -> the record of its page now
    records: list[PageRecord] = []

    def add(kind: str, url: str, path: str, title: str, former: PageRecord | None) -> None:
        records.append(_kept(kind, url, path, title, former))
        if former is not None:
            now[id(former)] = records[-1]

    for folder, d in dirs.sections.items():
        add("section", d, folder, "", match.sections.get(folder))
    for src in sources:
        add("source", dirs.sources[src.path], src.path, src.title, match.sources.get(src.path))
        for ch in src.chapters:
            key = (src.path, ch.index)
            add("chapter", dirs.chapters[key], src.path, ch.title, match.chapters.get(key))
    up = _Above.of(match, now, records)
    home: list[PageRecord] = []  # gone with every page above them: they forward home
    gone_sources: dict[str, str] = {}
    inherited: dict[int, dict[str, None]] = {}  # id of a record -> its old URLs, as a set kept in order
    for rec in registry.pages if registry is not None else []:
        if id(rec) not in now:
            above = up.find(rec)
            if above is None:
                home.append(PageRecord(rec.kind, rec.url, rec.path, rec.title, list(rec.old_urls)))
            else:  # many gone pages may forward to one: linear, never a list searched per URL
                urls = inherited.get(id(above))
                if urls is None:
                    urls = inherited[id(above)] = dict.fromkeys(above.old_urls)
                fresh = [u for u in dict.fromkeys(rec.all_urls()) if u not in urls]
                urls.update(dict.fromkeys(fresh))
                above.old_urls.extend(fresh)
            if rec.kind == "source":
                gone_sources[rec.path] = above.url if above is not None else ""
    redirects = {old: r.url for r in records for old in r.old_urls}
    redirects.update({url: "" for r in home for url in r.all_urls()})
    return (*records, *home), redirects, gone_sources


@dataclass(slots=True, frozen=True)
class _Above:
    """Finds the page still there above a page that is gone (each in time of its path's depth:
    the registry may hold any number of gone records)."""

    heirs: Mapping[str, str]  # a gone source's path -> where most of its questions are
    sources_now: Mapping[str, PageRecord]  # a matched source record's path -> its page's record now
    moved: Mapping[str, PageRecord]  # a matched section record's folder -> its section's record now
    sections: Mapping[str, PageRecord]  # folder -> its section's record now
    sources: Mapping[str, PageRecord]  # source path -> its record now
    depth: int  # folders in the deepest of `moved` and `sections`: a record's path is read no deeper

    @classmethod
    def of(cls, match: IndexMatch, now: Mapping[int, PageRecord], records: list[PageRecord]) -> _Above:
        """`now`: id of a former record -> its page's record now; `records`: this build's."""
        sources_now: dict[str, PageRecord] = {}
        for former in match.sources.values():
            if id(former) in now:
                sources_now.setdefault(former.path, now[id(former)])
        moved = {r.path: now[id(r)] for r in match.sections.values() if id(r) in now}
        sections = {r.path: r for r in records if r.kind == "section"}
        depth = max((folder.count("/") + 1 for folder in (*moved, *sections)), default=0)
        return cls(match.heirs, sources_now, moved, sections, {r.path: r for r in records if r.kind == "source"}, depth)

    def find(self, rec: PageRecord) -> PageRecord | None:
        """The record of the nearest page above the gone page `rec` (None: the home page)."""
        if rec.kind == "chapter" and rec.path in self.sources_now:
            return self.sources_now[rec.path]
        heir = self.heirs.get(rec.path) if rec.kind != "section" else None
        if heir is not None:  # its questions are there now, and so are its old anchors
            return self.sources[heir]
        # The folders above it, deepest first; only as deep as a folder that can be found, so a
        # path of any depth costs its length once.
        parts = rec.path.split("/", self.depth)[:-1]
        for n in range(len(parts), 0, -1):
            folder = "/".join(parts[:n])
            found = self.moved.get(folder) or self.sections.get(folder)
            if found is not None:
                return found
        return None
