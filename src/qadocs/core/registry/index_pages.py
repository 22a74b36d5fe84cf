"""The registry's `pages:` list: one record per index page (section, source, chapter), read,
checked and written.

A record names what the page is recognised by (a section by its `folder`; a source by its
`source` file and `title`; a chapter by its `source` and `chapter` title), the `url` it is
published at and its former URLs (`old_urls`), each of which redirects. The list is untrusted
like the rest of the registry: a record that is not a mapping of text, whose kind is unknown or
whose `url` is no page path or is already a question's or another page's, is reported at its
line (`registry-bad-page`) and ignored; a bad `old_urls` item is dropped the same way. Question
URLs are never touched by a bad record.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import yaml

KINDS = ("section", "source", "chapter")
# The key that names what each kind is recognised by, and the key of its title (None: no title).
_PATH_KEY = {"section": "folder", "source": "source", "chapter": "source"}
_TITLE_KEY: dict[str, str | None] = {"section": None, "source": "title", "chapter": "chapter"}

UrlCheck = Callable[[str], "str | None"]  # why a URL is no page path, or None
# (line, code, message) of a bad record: `registry-bad-page`, or `registry-shared-url` for a URL
# another record or a question holds (what a merge that kept both sides leaves: it stops a build)
Problem = tuple[int, str, str]


@dataclass(slots=True)
class PageRecord:
    """One registered index page: a section (`path` its folder), a source (`path` the file,
    `title` its title) or a chapter (`path` its source, `title` the chapter's)."""

    kind: str  # section, source, chapter
    url: str
    path: str
    title: str = ""
    old_urls: list[str] = field(default_factory=list)
    line: int = 1  # where the record starts in the registry file, for diagnostics

    def all_urls(self) -> list[str]:
        """The current URL and every former one."""
        return [self.url, *self.old_urls]


def _lines(node: yaml.Node | None) -> list[int]:
    """The line each item of the `pages` sequence starts on."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == "pages" and isinstance(value_node, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value_node.value]
    return []


def _text(raw: dict[str, Any], key: str) -> str | None:
    """`raw[key]` as text, or None when it is absent or not text."""
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return str(value)


def _record(raw: Any, line: int) -> PageRecord | str:
    """The record a YAML mapping describes, or why it is none."""
    if not isinstance(raw, dict):
        return "is not a mapping"
    kind = raw.get("kind")
    if kind not in KINDS:
        return "needs `kind` to be one of " + ", ".join(KINDS)
    keys = ["url", _PATH_KEY[kind]] + ([t] if (t := _TITLE_KEY[kind]) else [])
    values = [_text(raw, key) for key in keys]
    missing = [key for key, value in zip(keys, values, strict=True) if not value]
    if missing:
        return f"needs `{missing[0]}` as text"
    old = raw.get("old_urls") or []
    if not isinstance(old, list) or not all(isinstance(u, (str, int)) and not isinstance(u, bool) for u in old):
        return "needs `old_urls` to be a list of page paths"
    url, path = str(values[0]), str(values[1])
    title = str(values[2]) if len(values) > 2 else ""
    return PageRecord(str(kind), url.strip("/"), path, title, [str(u) for u in old], line)


def read_pages(
    node: yaml.Node | None, data: dict[str, Any], question_urls: Collection[str], url_problem: UrlCheck
) -> tuple[list[PageRecord], list[Problem]]:
    """The valid records of `data['pages']` and the line and message of each bad one.

    `question_urls` are every URL of a question entry (live or deleted, current or former): no
    page may have one. `url_problem` is the registry's rule for a page path."""
    raws = data.get("pages") or []
    if not isinstance(raws, list):
        return [], [(1, "registry-bad-page", "`pages` must be a list; it is ignored")]
    lines = _lines(node)
    problems: list[Problem] = []
    owner: dict[str, PageRecord] = {}
    records: list[PageRecord] = []

    def bad(line: int, msg: str, code: str = "registry-bad-page") -> None:
        problems.append((line, code, msg))

    for i, raw in enumerate(raws):
        line = lines[i] if i < len(lines) else 1
        rec = _record(raw, line)
        if isinstance(rec, str):
            bad(line, f"the page record {rec}; it is ignored")
            continue
        shared = _shared(rec.url, question_urls, owner)
        if shared is not None:
            bad(
                line,
                f"the page record's url '{rec.url}' {shared}: which page was published there cannot be told "
                "(a merge kept both sides?); keep one of the two records",
                "registry-shared-url",
            )
            continue
        problem = url_problem(rec.url)
        if problem is not None:
            bad(line, f"the page record's url '{rec.url}' {problem}; the record is ignored")
            continue
        owner[rec.url] = rec
        records.append(rec)
    for rec in records:
        _keep_good_old_urls(rec, question_urls, owner, url_problem, bad)
    return records, problems


def _shared(url: str, question_urls: Collection[str], owner: dict[str, PageRecord]) -> str | None:
    """Why `url` is already someone else's: a question's or another page record's."""
    if url in question_urls:
        return "is also a question's URL"
    if url in owner:
        return f"is also the URL of the page record at line {owner[url].line}"
    return None


def _keep_good_old_urls(
    rec: PageRecord,
    question_urls: Collection[str],
    owner: dict[str, PageRecord],
    url_problem: UrlCheck,
    bad: Callable[[int, str, str], None],
) -> None:
    kept: list[str] = []
    for old in rec.old_urls:
        url = old.strip("/")
        if owner.get(url) is rec:
            continue  # its own URL, or an item it already has
        shared = _shared(url, question_urls, owner)
        if shared is not None:
            bad(rec.line, f"old_urls item '{old}' {shared}; keep it in one record only", "registry-shared-url")
            continue
        problem = url_problem(url)
        if problem is not None:
            bad(rec.line, f"old_urls item '{old}' {problem}; it is dropped", "registry-bad-page")
            continue
        owner[url] = rec
        kept.append(url)
    rec.old_urls = kept


def dump_pages(records: list[PageRecord]) -> list[dict[str, Any]]:
    """The `pages` list as written: by URL, each record's keys in a fixed order, its URL first: a
    record's first line is its own, so two branches that each add a page merge as two whole
    records (git aligns on no shared `- kind:` line), whichever side or both a person keeps."""
    rows: list[dict[str, Any]] = []
    for rec in sorted(records, key=lambda r: r.url):
        row: dict[str, Any] = {"url": rec.url, "kind": rec.kind, _PATH_KEY[rec.kind]: rec.path}
        title_key = _TITLE_KEY[rec.kind]
        if title_key is not None:
            row[title_key] = rec.title
        if rec.old_urls:
            row["old_urls"] = rec.old_urls
        rows.append(row)
    return rows
