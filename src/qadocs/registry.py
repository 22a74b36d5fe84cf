"""The id registry: the committed record of every question URL, so shared links keep working.

`content/qadocs-registry.yml` lists one entry per question page: its `id` (the URL slug, the one
field a maintainer edits on purpose), the `url` it is published at, and what it is recognised by
(`title`, `answer` fingerprint, `source`, `chapter`). Questions whose page changed URL keep their
former ones in `old_urls`; deleted questions move to `deleted` and keep theirs too.

A question finds its entry in this order, each entry used once:

1. same title and same answer;
2. same answer (the title was edited);
3. same title (the answer was edited);
4. titles at least `TITLE_THRESHOLD` similar (difflib ratio; a typo fix or a few added words),
   best pairs first, then deleted entries the same way (a question that comes back revives).

Anything left is new and gets a fresh slug; entries left over are deleted.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import posixpath
import re
import stat
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .model import Diagnostic
from .similar import candidate_pairs
from .urls import RESERVED_DIRS

REGISTRY_NAME = "qadocs-registry.yml"
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when built in: same output, faster
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TITLE_THRESHOLD = 0.8
MAX_ID = 64  # characters in a hand-edited id
MAX_NEW_ID = 61  # characters in a new id with its `-N` suffix
MAX_REGISTRY_BYTES = 64 * 1024 * 1024
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A page URL: up to 16 slug segments, each like an id; no dots, no empty segment, no `..`.
URL_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*){0,15}$")
MAX_URL = 512
HEADER = """\
# qadocs id registry: one entry per question page, kept by `qadocs split` and `mkdocs build`.
# Commit it with the content. To give a question another URL on purpose, edit its `id`;
# the former URL keeps working (it is kept in `old_urls` and redirects). Do not edit `url`.
"""


@dataclass(slots=True)
class Entry:
    """One registered question (live or deleted)."""

    id: str
    url: str
    title: str
    answer: str
    source: str
    chapter: str | None = None
    old_urls: list[str] = field(default_factory=list)
    line: int = 1  # where the entry starts in the registry file, for diagnostics

    def all_urls(self) -> list[str]:
        """The current URL and every former one."""
        return [self.url, *self.old_urls]


@dataclass(slots=True)
class Registry:
    """Live and deleted entries, as read from or written to the registry file."""

    questions: list[Entry] = field(default_factory=list)
    deleted: list[Entry] = field(default_factory=list)


@dataclass(slots=True)
class Candidate:
    """What the registry needs to know of one question page of this build."""

    title: str
    answer: str  # fingerprint
    source: str
    chapter: str | None
    section_dir: str  # where a new URL goes


@dataclass(slots=True)
class Change:
    """One line of the report: what happened to a question's URL or record."""

    kind: str  # new, moved, retitled, renamed, deleted, revived
    url: str
    detail: str

    def render(self) -> str:
        """`kind url detail` for the report."""
        return f"{self.kind:<9} /{self.url}/  {self.detail}"


def fingerprint(answer: str) -> str:
    """Short hash of an answer, blind to trailing spaces and blank lines."""
    lines = [line.rstrip() for line in answer.split("\n") if line.strip()]
    return hashlib.sha1("\n".join(lines).encode("utf-8")).hexdigest()[:12]


EMPTY_ANSWER = fingerprint("")


def _norm_title(title: str) -> str:
    return " ".join(title.split())


class RegistryUnusable(ValueError):
    """The registry file as a whole cannot be trusted (the message says why)."""


def _text_field(raw: dict[str, Any], key: str, line: int, required: bool = False) -> str:
    value = raw.get(key)
    if value is None and not required:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise RegistryUnusable(f"the entry at line {line} needs `{key}` to be text")
    return str(value)


def _entry(raw: Any, line: int) -> Entry:
    if not isinstance(raw, dict):
        raise RegistryUnusable(f"the entry at line {line} must be a mapping")
    for key in ("id", "url"):
        if key not in raw:
            raise RegistryUnusable(f"the entry at line {line} has no `{key}`")
    old = raw.get("old_urls") or []
    if not isinstance(old, list) or not all(isinstance(u, (str, int)) and not isinstance(u, bool) for u in old):
        raise RegistryUnusable(f"the entry at line {line} needs `old_urls` to be a list of page paths")
    return Entry(id=_text_field(raw, "id", line, True), url=_text_field(raw, "url", line, True),
                 title=_text_field(raw, "title", line), answer=_text_field(raw, "answer", line),
                 source=_text_field(raw, "source", line),
                 chapter=None if raw.get("chapter") is None else _text_field(raw, "chapter", line),
                 old_urls=[str(u) for u in old], line=line)


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
    """Parse with the safe loader; aliases are refused before anything is built (no alias bombs)."""
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise RegistryUnusable("it uses a YAML alias (`*name`); write every value out")
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()  # parsed once: the node gives lines, the data follows from it
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def read_registry(path: Path, shown: str) -> tuple[str | None, Diagnostic | None]:
    """The registry file's text (None when there is none yet), or why it cannot be used.

    Never follows a symlink; an empty, oversized, unreadable or non-UTF-8 file is unusable."""
    def unusable(why: str) -> tuple[None, Diagnostic]:
        return None, Diagnostic(shown, 1, "error", "registry-invalid",
                                f"registry {why}; nothing was built and the file was left untouched. "
                                "Restore it from git (`git checkout -- <path>`), or delete it to start afresh")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return unusable(f"cannot be read ({exc.strerror})")
    if stat.S_ISLNK(info.st_mode):
        return unusable("is a symbolic link, which is never followed")
    if not stat.S_ISREG(info.st_mode):
        return unusable("is not a regular file")
    if info.st_size > MAX_REGISTRY_BYTES:
        return unusable(f"is larger than {MAX_REGISTRY_BYTES // 2**20} MB")
    try:
        with open(path, "rb") as f:  # noqa: PTH123 - opened once, after the lstat above
            data = f.read(MAX_REGISTRY_BYTES + 1)
    except OSError as exc:
        return unusable(f"cannot be read ({exc.strerror})")
    if not data.strip():
        return unusable("is empty (a build or merge was interrupted?)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return unusable(f"is not UTF-8 (byte {exc.start})")
    return text.replace("\r\n", "\n"), None


def parse_registry(text: str, path: str) -> tuple[Registry | None, list[Diagnostic]]:
    """Read registry text; None (with a `registry-invalid` error) when it cannot be trusted."""
    try:
        node, data = _load_yaml(text)
        if not isinstance(data, dict):
            raise RegistryUnusable("must be a mapping with `questions` and `deleted`")
        reg = Registry(_entries(node, data, "questions"), _entries(node, data, "deleted"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return None, [Diagnostic(path, line, "error", "registry-invalid",
                                 f"registry is not valid YAML ({getattr(exc, 'problem', None) or exc}); "
                                 "nothing was built and the file was left untouched. Fix it, e.g. from git history")]
    except (RegistryUnusable, RecursionError, MemoryError) as exc:
        why = str(exc) if isinstance(exc, RegistryUnusable) else "is nested too deeply or too large"
        return None, [Diagnostic(path, 1, "error", "registry-invalid",
                                 f"registry is malformed: {why}; nothing was built and the file was left untouched")]
    return reg, validate(reg, path)


def _url_problem(url: str) -> str | None:
    if len(url) > MAX_URL or not URL_RE.match(url):
        return "is not a page path of lower-case slugs joined by '/' (e.g. 'ai-shipin/kuosan-moxing')"
    if url.split("/", 1)[0] in RESERVED_DIRS:
        return f"lies in /{url.split('/', 1)[0]}/, which the site itself uses"
    return None


def validate(reg: Registry, path: str) -> list[Diagnostic]:
    """Check every URL of the registry as data; bad entries and URLs are dropped, each reported.

    A `url` must be a normalised page path used by no other entry; otherwise the entry is ignored.
    An `old_urls` item that is not such a path, or that another entry already uses, is dropped."""
    diags: list[Diagnostic] = []
    owner: dict[str, Entry] = {}

    def bad(e: Entry, msg: str) -> None:
        diags.append(Diagnostic(path, e.line, "error", "registry-bad-url", msg))

    for group in (reg.questions, reg.deleted):
        kept = []
        for e in group:
            url = e.url.strip("/")
            problem = _url_problem(url) or (
                f"is also the URL of the entry at line {owner[url].line}" if url in owner else None)
            if problem is not None:
                bad(e, f"url '{e.url}' {problem}; this entry is ignored (fix it or restore it from git)")
                continue
            e.url = url
            owner[url] = e
            kept.append(e)
        group[:] = kept
    for e in reg.questions + reg.deleted:
        old_urls = []
        for old in e.old_urls:
            url = old.strip("/")
            problem = _url_problem(url) or (
                f"is also a URL of the entry at line {owner[url].line}" if url in owner and owner[url] is not e
                else None)
            if problem is not None:
                bad(e, f"old_urls item '{old}' {problem}; it is dropped (old_urls is a list of page paths)")
                continue
            if owner.get(url) is not e:  # its own current URL, or an item it already has: skipped
                owner[url] = e
                old_urls.append(url)
        e.old_urls = old_urls
    return diags


def dump_registry(reg: Registry) -> str:
    """Registry text in a stable order (by URL), one small block per question."""

    def row(e: Entry) -> dict[str, Any]:
        out: dict[str, Any] = {"id": e.id, "url": e.url, "title": e.title, "source": e.source}
        if e.chapter is not None:
            out["chapter"] = e.chapter
        out["answer"] = e.answer
        if e.old_urls:
            out["old_urls"] = e.old_urls
        return out

    data = {"questions": [row(e) for e in sorted(reg.questions, key=lambda e: e.url)],
            "deleted": [row(e) for e in sorted(reg.deleted, key=lambda e: e.url)]}
    return HEADER + yaml.dump(data, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)


def _apply_renames(reg: Registry, path: str, taken: set[str], diags: list[Diagnostic],
                   changes: list[Change]) -> None:
    """An `id` edited by hand moves `url`; the former URL joins `old_urls`.

    The new URL may be no other entry's (current or former) and no page the site already has
    (`taken`: index pages, reserved folders)."""
    owners = {url: e for e in reg.questions + reg.deleted for url in e.all_urls()}
    for e in reg.questions:
        current = posixpath.basename(e.url)
        if e.id == current:
            continue
        new_url = posixpath.join(posixpath.dirname(e.url), e.id)
        owner = owners.get(new_url)
        if not ID_RE.match(e.id) or len(e.id) > MAX_ID:
            problem = "must be lower-case ASCII letters, digits and '-' (e.g. 'kuosan-moxing')"
        elif owner is not None and owner is not e:
            problem = f"would reuse the URL /{new_url}/ of another question"
        elif owner is None and new_url in taken:
            problem = f"would take the URL /{new_url}/ of another page of the site"
        else:
            problem = None
        if problem is not None:
            diags.append(Diagnostic(path, e.line, "error", "registry-bad-id",
                                    f"id '{e.id}' {problem}; keeping '{current}'"))
            e.id = current
            continue
        changes.append(Change("renamed", new_url, f"was /{e.url}/ (redirects)"))
        e.old_urls = [u for u in [e.url, *e.old_urls] if u != new_url]
        owners[new_url] = e
        e.url = new_url


def assign(candidates: list[Candidate], reg: Registry | None, taken: set[str], path: str,
           new_slug: Callable[[str], str]) -> tuple[list[Entry], Registry, list[Change], list[Diagnostic]]:
    """Give every candidate its entry (found or new); return them, the new registry and the report.

    `taken` holds the page paths already used (index pages); every registered URL, current or
    former, is added to it, so no URL is ever handed to a second question. `new_slug(title)`
    makes the slug of a new question.
    """
    diags: list[Diagnostic] = []
    changes: list[Change] = []
    reg = reg if reg is not None else Registry()
    _apply_renames(reg, path, taken, diags, changes)
    for e in reg.questions + reg.deleted:
        taken.update(e.all_urls())
    ids = {e.id for e in reg.questions + reg.deleted}

    chosen: list[Entry | None] = [None] * len(candidates)
    used: set[int] = set()  # ids of the entries already given to a candidate
    free = list(reg.questions)
    revived: set[int] = set()

    def take(pool: list[Entry], key: Callable[[Candidate | Entry], str | None]) -> None:
        """Match candidates to the one entry of `pool` with the same key (ambiguous keys match nothing)."""
        by_key: dict[str, list[Entry]] = defaultdict(list)
        for e in pool:
            k = key(e)
            if k is not None:
                by_key[k].append(e)
        for i, cand in enumerate(candidates):
            k = key(cand)
            if chosen[i] is not None or k is None:
                continue
            hits = by_key.get(k, [])
            if len(hits) == 1:
                entry = hits.pop()
                chosen[i] = entry
                used.add(id(entry))
        pool[:] = [e for e in pool if id(e) not in used]

    def fuzzy(pool: list[Entry]) -> None:
        pairs = []
        open_ = [i for i in range(len(candidates)) if chosen[i] is None]
        left = [_norm_title(candidates[i].title) for i in open_]
        right = [_norm_title(e.title) for e in pool]
        for a, b in candidate_pairs(left, right):  # every pair when few, else those sharing bigrams
            matcher = difflib.SequenceMatcher(None, left[a], right[b])
            if matcher.real_quick_ratio() >= TITLE_THRESHOLD and matcher.quick_ratio() >= TITLE_THRESHOLD:
                ratio = matcher.ratio()
                if ratio >= TITLE_THRESHOLD:
                    pairs.append((-ratio, open_[a], pool[b].url, pool[b]))
        for _, i, _, e in sorted(pairs, key=lambda p: (p[0], p[1], p[2])):
            if chosen[i] is None and id(e) not in used:
                chosen[i] = e
                used.add(id(e))
        pool[:] = [e for e in pool if id(e) not in used]

    def title_key(x: Candidate | Entry) -> str | None:
        return _norm_title(x.title)

    def answer_key(x: Candidate | Entry) -> str | None:
        return x.answer if x.answer != EMPTY_ANSWER else None  # empty answers say nothing

    def both_key(x: Candidate | Entry) -> str | None:
        return _norm_title(x.title) + "\0" + x.answer

    for pool, revive in ((free, False), (list(reg.deleted), True)):
        before = {i for i, c in enumerate(chosen) if c is not None}
        take(pool, both_key)
        take(pool, answer_key)
        take(pool, title_key)
        fuzzy(pool)
        if revive:
            revived.update(i for i, c in enumerate(chosen) if c is not None and i not in before)

    out: list[Entry] = []
    suffixes: dict[tuple[str, str], int] = {}
    for i, cand in enumerate(candidates):
        found = chosen[i]
        if found is None:
            slug = new_slug(cand.title)
            key = (cand.section_dir, slug)
            n = suffixes.get(key, 1)  # ids and taken only grow: resume where this slug stopped here
            qid = slug if n == 1 else f"{slug[:MAX_NEW_ID - 1 - len(str(n))]}-{n}"
            while qid in ids or posixpath.join(cand.section_dir, qid) in taken:
                n += 1
                qid = f"{slug[:MAX_NEW_ID - 1 - len(str(n))]}-{n}"
            suffixes[key] = n
            ids.add(qid)
            url = posixpath.join(cand.section_dir, qid)
            taken.add(url)
            e = Entry(qid, url, cand.title, cand.answer, cand.source, cand.chapter)
            changes.append(Change("new", url, cand.title))
        else:
            if i in revived:
                changes.append(Change("revived", found.url, cand.title))
            if found.source != cand.source:
                changes.append(Change("moved", found.url, f"{found.source} → {cand.source}"))
            if _norm_title(found.title) != _norm_title(cand.title):
                changes.append(Change("retitled", found.url, f"{found.title} → {cand.title}"))
            e = Entry(found.id, found.url, cand.title, cand.answer, cand.source, cand.chapter, found.old_urls)
        out.append(e)
    deleted = [e for e in reg.deleted if id(e) not in used]
    for e in reg.questions:
        if id(e) not in used:
            deleted.append(e)
            changes.append(Change("deleted", e.url, f"{e.title} (redirects to its former chapter)"))
    return out, Registry(list(out), deleted), changes, diags
