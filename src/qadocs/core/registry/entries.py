"""The id registry: the committed record of every question URL, so shared links keep working.

`content/qadocs-registry.yml` lists one entry per question page: its `id` (the URL slug, the one
field a maintainer edits on purpose), the `url` it is published at, and what it is recognised by
(`title`, `answer` fingerprint, `source`, `chapter`). Questions whose page changed URL keep their
former ones in `old_urls`; deleted questions move to `deleted` and keep theirs too.

A question finds its entry in this order, each entry used once:

1. same title and same answer;
2. same answer (the title was edited);
3. same title (the answer was edited);
4. the title folded (widths, case, punctuation, simplified or traditional: `text/titlekey`);
5. titles at least `TITLE_ALONE` similar (difflib ratio; a typo fix), or `TITLE_THRESHOLD` with
   answers that still share a line, best pairs first;

then deleted entries the same way (a question that comes back revives).

Anything left is new and gets a fresh slug; entries left over are deleted. This module reads,
checks and writes the file; `assign.assign` runs the stages in order: `renames.apply_renames`
(ids edited by hand), `matching.match_entries`, new ids and deleted entries, each returning its
part of the entries and of the report.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from qadocs.core.model import MAX_FOLDER_DEPTH, Diagnostic, Memo
from qadocs.core.registry.index_pages import dump_pages, read_pages
from qadocs.core.registry.records import Entry, Registry
from qadocs.core.text.escape import yaml_text
from qadocs.core.text.urls import RESERVED_DIRS
from qadocs.core.text.yamlread import ALIAS_REFUSED, construct, shown

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TITLE_ALONE = 0.9  # from this ratio alike titles pair alone; from TITLE_THRESHOLD, their answers must share a line
TITLE_THRESHOLD = 0.8  # difflib ratio from which two titles are the same question (a typo, a few words)
# Id lengths. A new id is a slug of at most slug.MAX_SLUG (48) characters, plus `-N` when taken;
# MAX_NEW_ID (61 = 48 + 13) leaves room for a `-` and a 12-digit N before the slug has to be cut.
# MAX_ID (64), the bound on an id edited by hand, is above it: every generated id passes that check.
MAX_SKETCH = 128  # characters of an entry's `lines` read (8 hashes of 8 hex digits and spaces: 71)
MAX_ID = 64
MAX_NEW_ID = 61
MAX_REGISTRY_BYTES = 64 * 1024 * 1024  # larger is refused unread (at ~330 bytes a question: ~200,000 questions)
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A page URL: slug segments, each like an id; no dots, no empty segment, no `..`. As many as the
# deepest page has: its sections (MAX_FOLDER_DEPTH folders), its source, a chapter.
MAX_URL_SEGMENTS = MAX_FOLDER_DEPTH + 2
URL_RE = re.compile(rf"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*){{0,{MAX_URL_SEGMENTS - 1}}}$")
MAX_URL = MAX_URL_SEGMENTS * (MAX_ID + 1)
HEADER = """\
# qadocs id registry: one entry per question page, kept by `qadocs split` and `mkdocs build`.
# Commit it with the content. To give a question another URL on purpose, edit its `id`;
# the former URL keeps working (it is kept in `old_urls` and redirects). Do not edit `url`.
# `pages` records the URLs of section, source and chapter pages the same way.
"""


class RegistryUnusable(ValueError):
    """The registry file as a whole cannot be trusted (the message says why, `line` where)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def _text_field(raw: dict[str, Any], key: str, line: int, required: bool = False) -> str:
    """`raw[key]` as text ('' when absent and not required); a list, mapping or bool is refused."""
    value = raw.get(key)
    if value is None and not required:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise RegistryUnusable(f"the entry at line {line} needs `{key}` to be text", line)
    return str(value)


def _entry(raw: Any, line: int) -> Entry:
    """The entry a YAML mapping describes, or why the registry cannot be trusted."""
    if not isinstance(raw, dict):
        raise RegistryUnusable(f"the entry at line {line} must be a mapping", line)
    for key in ("id", "url"):
        if key not in raw:
            raise RegistryUnusable(f"the entry at line {line} has no `{key}`", line)
    old = raw.get("old_urls") or []
    if not isinstance(old, list) or not all(isinstance(u, (str, int)) and not isinstance(u, bool) for u in old):
        raise RegistryUnusable(f"the entry at line {line} needs `old_urls` to be a list of page paths", line)
    return Entry(
        id=_text_field(raw, "id", line, True),
        url=_text_field(raw, "url", line, True),
        title=_text_field(raw, "title", line),
        answer=_text_field(raw, "answer", line),
        source=_text_field(raw, "source", line),
        chapter=None if raw.get("chapter") is None else _text_field(raw, "chapter", line),
        old_urls=[str(u) for u in old],
        line=line,
        anchor=_text_field(raw, "anchor", line),
        old_anchors=_text_list(raw, "old_anchors", line),
        old_sources=_text_list(raw, "old_sources", line),
        lines=_text_field(raw, "lines", line)[:MAX_SKETCH],
    )


def _text_list(raw: dict[str, Any], key: str, line: int) -> list[str]:
    """`raw[key]` as a list of text ([] when absent); anything else is refused."""
    items = raw.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, (str, int)) and not isinstance(i, bool) for i in items):
        raise RegistryUnusable(f"the entry at line {line} needs `{key}` to be a list of text", line)
    return [str(i) for i in items]


def _entries(node: yaml.Node | None, data: dict[str, Any], key: str) -> list[Entry]:
    """The entries under `key`, each with the line its mapping starts on."""
    lines: list[int] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in value_node.value]
    raws = data.get(key) or []
    if not isinstance(raws, list):
        raise RegistryUnusable(f"`{key}` must be a list")
    return [_entry(raw, lines[i] if i < len(lines) else 1) for i, raw in enumerate(raws)]


def _load_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse with the safe loader; aliases are refused before anything is built (no alias bombs).

    The text is composed once: an alias makes the node it names appear twice, which a walk of the
    nodes finds before any data is built. When composing fails, the events up to the failure are
    read for an alias first, so that an alias before an error is reported as before. Garbage
    collection is paused meanwhile: composing builds one node per value and frees nothing, and
    collections that rescan the growing tree would cost more than the parse."""
    loader = SAFE_LOADER(text)
    paused = gc.isenabled()
    gc.disable()
    try:
        try:
            node = loader.get_single_node()  # parsed once: the node gives lines, the data follows from it
        except (yaml.YAMLError, RecursionError, MemoryError):
            _refuse_aliases(text)
            raise
        if node is not None:
            _check_nodes(node)
        return node, construct(loader, node) if node is not None else None
    finally:
        loader.dispose()
        if paused:
            gc.enable()


def _refuse_aliases(text: str) -> None:
    """Raise RegistryUnusable at the first alias event of `text` (a YAMLError where it stops parsing)."""
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise RegistryUnusable(ALIAS_REFUSED)


DUPLICATE_KEY = (
    "the key {key} stands twice in one mapping (line {line}, first at line {first}): a merge kept both "
    "sides of a conflict. Keep one side of each conflicting entry, or delete the conflicting entries and "
    "build again (their questions get new ids)"
)


def _check_nodes(root: yaml.Node) -> None:
    """Raise RegistryUnusable when a node stands twice in the tree under `root` (what an alias
    makes) or a mapping holds a key twice (at the second key's line). One pass, linear."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise RegistryUnusable(ALIAS_REFUSED)
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack += node.value
        elif isinstance(node, yaml.MappingNode):
            _refuse_duplicate_keys(node)
            for key, value in node.value:
                stack += (key, value)


def _refuse_duplicate_keys(node: yaml.MappingNode) -> None:
    """Raise RegistryUnusable at the second of two equal scalar keys of `node` (the loader would
    silently keep the last value)."""
    first: dict[tuple[str, str], int] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        line = key.start_mark.line + 1
        at = first.get((key.tag, key.value))
        if at is not None:
            raise RegistryUnusable(DUPLICATE_KEY.format(key=shown(key.value), line=line, first=at), line)
        first[(key.tag, key.value)] = line


def _unusable(shown: str, why: str) -> tuple[None, Diagnostic]:
    """The `registry-invalid` error of a registry file that cannot be used at all."""
    return None, Diagnostic(
        shown,
        1,
        "error",
        "registry-invalid",
        f"registry {why}; nothing was built and the file was left untouched. "
        "Restore it from git (`git checkout -- <path>`), or delete it to start afresh",
    )


def _file_problem(info: os.stat_result) -> str | None:
    """Why the file `os.lstat` describes is no registry to read (a link, a folder, too large)."""
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link, which is never followed"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_size > MAX_REGISTRY_BYTES:
        return f"is larger than {MAX_REGISTRY_BYTES // 2**20} MB"
    return None


def read_registry(path: Path, shown: str) -> tuple[str | None, Diagnostic | None]:
    """The registry file's text (None when there is none yet), or why it cannot be used.

    Never follows a symlink; an empty, oversized, unreadable or non-UTF-8 file is unusable."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return _unusable(shown, f"cannot be read ({exc.strerror})")
    problem = _file_problem(info)
    if problem is not None:
        return _unusable(shown, problem)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_REGISTRY_BYTES + 1)
    except OSError as exc:
        return _unusable(shown, f"cannot be read ({exc.strerror})")
    if not data.strip():
        return _unusable(shown, "is empty (a build or merge was interrupted?)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _unusable(shown, f"is not UTF-8 (byte {exc.start})")
    return text.replace("\r\n", "\n"), None


def parse_registry(text: str, path: str) -> tuple[Registry | None, list[Diagnostic]]:
    """Read registry text; None (with a `registry-invalid` error) when it cannot be trusted."""
    try:
        node, data = _load_yaml(text)
        if not isinstance(data, dict):
            raise RegistryUnusable("must be a mapping with `questions` and `deleted`")
        reg = Registry(_entries(node, data, "questions"), _entries(node, data, "deleted"))
        diags = validate(reg, path)
        question_urls = {url for e in reg.questions + reg.deleted for url in e.all_urls()}
        reg.pages, problems = read_pages(node, data, question_urls, _url_problem)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return None, [
            Diagnostic(
                path,
                line,
                "error",
                "registry-invalid",
                f"registry is not valid YAML ({getattr(exc, 'problem', None) or exc}); "
                "nothing was built and the file was left untouched. Fix it, e.g. from git history",
            )
        ]
    except (RegistryUnusable, RecursionError, MemoryError) as exc:
        why = str(exc) if isinstance(exc, RegistryUnusable) else "is nested too deeply or too large"
        return None, [
            Diagnostic(
                path,
                exc.line if isinstance(exc, RegistryUnusable) else 1,
                "error",
                "registry-invalid",
                f"registry is malformed: {why}; nothing was built and the file was left untouched",
            )
        ]
    return reg, diags + [Diagnostic(path, line, "error", code, msg) for line, code, msg in problems]


def _url_problem(url: str) -> str | None:
    """Why `url` cannot be a question page's path, or None."""
    if len(url) > MAX_URL or not URL_RE.match(url):
        return "is not a page path of lower-case slugs joined by '/' (e.g. 'ai-shipin/kuosan-moxing')"
    if url.split("/", 1)[0] in RESERVED_DIRS:
        return f"lies in /{url.split('/', 1)[0]}/, which the site itself uses"
    return None


SHARED_URL = (
    "{what} is also {whose} URL of the entry at line {line}: two entries hold one URL (did a merge keep "
    "both sides of a conflict?); {effect}. Keep the entry of the question published there and delete the other "
    "(its question gets a new id), or restore the registry from git"
)
# Codes of findings that stop a build that would write the registry (`build.generate`).
FATAL_CODES = frozenset({"registry-invalid", "registry-shared-url"})

Report = Callable[[Entry, str, str], None]  # (entry, code, message)


def _drop_bad_urls(group: list[Entry], owner: dict[str, Entry], bad: Report) -> None:
    """Keep the entries of `group` whose `url` is a page path no earlier entry has; record them in `owner`."""
    kept = []
    for e in group:
        url = e.url.strip("/")
        problem = _url_problem(url)
        if problem is not None:
            bad(
                e, "registry-bad-url", f"url '{e.url}' {problem}; this entry is ignored (fix it or restore it from git)"
            )
            continue
        if url in owner:
            what, line = f"url '{e.url}'", owner[url].line
            effect = "a build stops, a check or preview ignores this entry"
            bad(e, "registry-shared-url", SHARED_URL.format(what=what, whose="the", line=line, effect=effect))
            continue
        e.url = url
        owner[url] = e
        kept.append(e)
    group[:] = kept


def _drop_bad_old_urls(e: Entry, owner: dict[str, Entry], bad: Report) -> None:
    """Keep the `old_urls` of `e` that are page paths of no other entry, each once; record them in `owner`."""
    old_urls = []
    for old in e.old_urls:
        url = old.strip("/")
        problem = _url_problem(url)
        if problem is not None:
            bad(
                e,
                "registry-bad-url",
                f"old_urls item '{old}' {problem}; it is dropped (old_urls is a list of page paths)",
            )
            continue
        if url in owner and owner[url] is not e:
            what, line = f"old_urls item '{old}'", owner[url].line
            bad(
                e,
                "registry-shared-url",
                SHARED_URL.format(what=what, whose="a", line=line, effect="a build stops, a check or preview drops it"),
            )
            continue
        if owner.get(url) is not e:  # its own current URL, or an item it already has: skipped
            owner[url] = e
            old_urls.append(url)
    e.old_urls = old_urls


def validate(reg: Registry, path: str) -> list[Diagnostic]:
    """Check every URL of the registry as data; bad entries and URLs are dropped, each reported.

    A `url` must be a normalised page path (`registry-bad-url`) used by no other entry
    (`registry-shared-url`, which stops a build: which question the URL was published for cannot
    be told); otherwise the entry is ignored. An `old_urls` item that is not such a path, or that
    another entry already uses, is dropped, reported the same way."""
    diags: list[Diagnostic] = []
    owner: dict[str, Entry] = {}  # every URL kept so far -> its entry

    def bad(e: Entry, code: str, msg: str) -> None:
        diags.append(Diagnostic(path, e.line, "error", code, msg))

    for group in (reg.questions, reg.deleted):
        _drop_bad_urls(group, owner, bad)
    for e in reg.questions + reg.deleted:
        _drop_bad_old_urls(e, owner, bad)
    return diags


def dump_registry(reg: Registry) -> str:
    """Registry text in a stable order (by URL), one small block per question."""
    return _DUMPED.ask(repr(reg), lambda: _dump_registry(reg))


# Registry text by the `repr` of the registry (text, numbers and lists of text only): the same
# after an edit that changed no title, place or answer (an answer's fingerprint is in it).
_DUMPED: Memo[str, str] = Memo()


def _dump_registry(reg: Registry) -> str:
    def row(e: Entry) -> dict[str, Any]:
        out: dict[str, Any] = {"id": e.id, "url": e.url, "title": e.title, "source": e.source}
        if e.chapter is not None:
            out["chapter"] = e.chapter
        out["answer"] = e.answer
        if e.lines:
            out["lines"] = e.lines
        if e.old_urls:
            out["old_urls"] = e.old_urls
        for key in ("anchor", "old_anchors", "old_sources"):  # registry/history.py
            if getattr(e, key):
                out[key] = getattr(e, key)
        return out

    data = {
        "questions": [row(e) for e in sorted(reg.questions, key=lambda e: e.url)],
        "deleted": [row(e) for e in sorted(reg.deleted, key=lambda e: e.url)],
    }
    if reg.pages:
        data["pages"] = dump_pages(reg.pages)
    return HEADER + yaml_text(data)
