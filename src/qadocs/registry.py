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
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from .model import Diagnostic

REGISTRY_NAME = "qadocs-registry.yml"
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when built in: same output, faster
TITLE_THRESHOLD = 0.8
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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


def _entry(raw: Any, line: int) -> Entry:
    if not isinstance(raw, dict):
        raise ValueError(f"the entry at line {line} must be a mapping")
    try:
        old = raw.get("old_urls") or []
        return Entry(id=str(raw["id"]), url=str(raw["url"]).strip("/"), title=str(raw.get("title", "")),
                     answer=str(raw.get("answer", "")), source=str(raw.get("source", "")),
                     chapter=None if raw.get("chapter") is None else str(raw["chapter"]),
                     old_urls=[str(u).strip("/") for u in old], line=line)
    except KeyError as exc:
        raise ValueError(f"the entry at line {line} has no `{exc.args[0]}`") from exc


def _entries(node: yaml.Node | None, data: dict[str, Any], key: str) -> list[Entry]:
    """The entries under `key`, each with the line its mapping starts on."""
    lines: list[int] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in value_node.value]
    raws = data.get(key) or []
    if not isinstance(raws, list):
        raise ValueError(f"`{key}` must be a list")
    return [_entry(raw, lines[i] if i < len(lines) else 1) for i, raw in enumerate(raws)]


def parse_registry(text: str, path: str) -> tuple[Registry | None, list[Diagnostic]]:
    """Read registry text; None (with a diagnostic) when it cannot be trusted."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()  # parsed once: the node gives lines, the data follows from it
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
        if not isinstance(data, dict):
            raise ValueError("the registry must be a mapping with `questions` and `deleted`")
        reg = Registry(_entries(node, data, "questions"), _entries(node, data, "deleted"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return None, [Diagnostic(path, line, "error", "registry-invalid",
                                 f"registry is not valid YAML ({getattr(exc, 'problem', exc)}); it is left "
                                 "untouched and this build uses fresh URLs. Fix it, e.g. from git history")]
    except ValueError as exc:
        return None, [Diagnostic(path, 1, "error", "registry-invalid",
                                 f"registry is malformed: {exc}; it is left untouched and this build uses "
                                 "fresh URLs")]
    return reg, []


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


def _apply_renames(reg: Registry, path: str, diags: list[Diagnostic], changes: list[Change]) -> None:
    """An `id` edited by hand moves `url`; the former URL joins `old_urls`."""
    for e in reg.questions:
        current = posixpath.basename(e.url)
        if e.id == current:
            continue
        if not ID_RE.match(e.id) or len(e.id) > 64:
            diags.append(Diagnostic(path, e.line, "error", "registry-bad-id",
                                    f"id '{e.id}' must be lower-case ASCII letters, digits and '-' "
                                    f"(e.g. 'kuosan-moxing'); keeping '{current}'"))
            e.id = current
            continue
        new_url = posixpath.join(posixpath.dirname(e.url), e.id)
        if any(new_url in other.all_urls() for other in reg.questions + reg.deleted if other is not e):
            diags.append(Diagnostic(path, e.line, "error", "registry-bad-id",
                                    f"id '{e.id}' would reuse the URL /{new_url}/ of another question; "
                                    f"keeping '{current}'"))
            e.id = current
            continue
        changes.append(Change("renamed", new_url, f"was /{e.url}/ (redirects)"))
        e.old_urls = [u for u in [e.url, *e.old_urls] if u != new_url]
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
    _apply_renames(reg, path, diags, changes)
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
        for i, cand in enumerate(candidates):
            if chosen[i] is not None:
                continue
            for e in pool:
                matcher = difflib.SequenceMatcher(None, _norm_title(cand.title), _norm_title(e.title))
                if matcher.real_quick_ratio() >= TITLE_THRESHOLD and matcher.quick_ratio() >= TITLE_THRESHOLD:
                    ratio = matcher.ratio()
                    if ratio >= TITLE_THRESHOLD:
                        pairs.append((-ratio, i, e.url, e))
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
    for i, cand in enumerate(candidates):
        found = chosen[i]
        if found is None:
            slug = new_slug(cand.title)
            qid, n = slug, 1
            while qid in ids or posixpath.join(cand.section_dir, qid) in taken:
                n += 1
                qid = f"{slug[:60 - len(str(n))]}-{n}"
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
