"""Where every page goes: the folders of sections, sources and chapters, one page per distinct
question (duplicates merged), and the registry's ids and URLs for those pages.

Two stages, each a function of what came before that returns frozen data and its diagnostics:
`place` (folders and question groups) and `assign_pages` (ids and URLs from the registry).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from qadocs.core.model import Chapter, Diagnostic, Question, Source, fingerprint, question_key
from qadocs.core.registry.assign import assign
from qadocs.core.registry.entries import dump_registry
from qadocs.core.registry.index_match import Dirs, IndexMatch, match_index_pages, settle_pages
from qadocs.core.registry.lives_on import answer_lines
from qadocs.core.registry.records import Assigned, Candidate, Children, Places, QuestionPage, Registry
from qadocs.core.registry.stamps import page_stamps
from qadocs.core.text.anchors import current_forms
from qadocs.core.text.slug import slugify
from qadocs.core.text.urls import RESERVED_DIRS


class _Claims:
    """Hands out unique dirs: `parent/slug`, or `parent/slug-2`, `-3`… The last suffix handed
    out per slug is remembered (taken paths are never freed), so many alike titles stay linear."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.suffixes: dict[str, int] = {}

    def claim(self, parent: str, slug: str) -> str:
        """The first free dir for `slug` under `parent`, now taken."""
        base = posixpath.join(parent, slug)
        n = self.suffixes.get(base, 1)
        path = base if n == 1 else f"{base}-{n}"
        while path in self.taken:
            n += 1
            path = f"{base}-{n}"
        self.suffixes[base] = n
        self.taken.add(path)
        return path


def _folder_dirs(sources: list[Source], claims: _Claims, match: IndexMatch) -> tuple[dict[str, str], dict[str, str]]:
    """The dirs of every section (each folder above it first) and of every source, claimed in
    source order: a section's dir is claimed just before its first source's. A page found in the
    registry keeps its URL."""
    section_dirs: dict[str, str] = {}

    def section_dir(section: str) -> str:
        if section not in section_dirs:
            head, _, name = section.rpartition("/")
            parent = section_dir(head) if head else ""
            found = match.sections.get(section)
            section_dirs[section] = found.url if found else claims.claim(parent, slugify(name, fallback="section"))
        return section_dirs[section]

    source_dirs: dict[str, str] = {}
    for src in sources:
        parent = section_dir(src.placed_section) if src.section else ""
        found = match.sources.get(src.path)
        source_dirs[src.path] = found.url if found else claims.claim(parent, slugify(src.title, fallback="source"))
    return section_dirs, source_dirs


def _group_questions(
    sources: list[Source],
) -> tuple[list[list[Question]], dict[tuple[str, int], int], list[Diagnostic]]:
    """One group per distinct question (same title and answer: one page), in source order."""
    groups: list[list[Question]] = []
    group_of: dict[tuple[str, int], int] = {}
    seen: dict[tuple[str, str], int] = {}
    diags: list[Diagnostic] = []
    for src in sources:
        for q in src.questions:
            at = seen.setdefault(question_key(q), len(groups))
            if at == len(groups):
                groups.append([q])
            else:
                groups[at].append(q)
                first = groups[at][0]
                diags.append(
                    Diagnostic(
                        q.source,
                        q.line,
                        "warning",
                        "duplicate-question",
                        f"same question as {first.source}:{first.line}; one page is made for both",
                    )
                )
            group_of[(src.path, q.line)] = at
    return groups, group_of, diags


def place(sources: list[Source], registry: Registry | None) -> Places:
    """The dirs of sections, sources and chapters, and the questions grouped into pages.
    An index page found in the registry keeps its URL; no other registered URL is handed to one."""
    taken = set(RESERVED_DIRS)
    if registry is not None:
        for rec in registry.questions + registry.deleted + registry.pages:
            taken.update(rec.all_urls())
    match = match_index_pages(sources, registry)
    claims = _Claims(taken)
    section_dirs, source_dirs = _folder_dirs(sources, claims, match)
    chapter_dirs: dict[tuple[str, int], str] = {}
    for src in sources:
        for ch in src.chapters:
            found = match.chapters.get((src.path, ch.index))
            chapter_dirs[(src.path, ch.index)] = (
                found.url if found else claims.claim(source_dirs[src.path], slugify(ch.title, fallback="chapter"))
            )
    pages, redirects, gone_sources = settle_pages(
        sources, Dirs(section_dirs, source_dirs, chapter_dirs), match, registry
    )
    groups, group_of, diags = _group_questions(sources)
    return Places(
        section_dirs,
        source_dirs,
        chapter_dirs,
        tuple(tuple(g) for g in groups),
        group_of,
        frozenset(taken),
        tuple(diags),
        pages,
        redirects,
        gone_sources,
    )


def _chapter_title(src: Source, chapter: int | None) -> str | None:
    return src.chapters[chapter].title if chapter is not None else None


def assign_pages(places: Places, sources: list[Source], registry: Registry | None, registry_path: str) -> Assigned:
    """Give every question page its entry in the registry (found or new)."""
    by_path = {s.path: s for s in sources}
    stamps, stamp_diags = page_stamps(places.groups)
    candidates = []
    for group, stamp in zip(places.groups, stamps, strict=True):
        q = group[0]
        src = by_path[q.source]
        candidates.append(
            Candidate(
                title=q.title,
                answer=fingerprint(q.body),
                source=q.source,
                chapter=_chapter_title(src, q.chapter),
                section_dir=places.section_dirs.get(src.placed_section, ""),
                stamp=stamp,
                anchor=q.anchor,
                forms=current_forms(q.anchor, q.heading),
                lines=(lines := answer_lines(q.body))[0],
                line_set=lines[1],
            )
        )
    entries, new_registry, changes, diags = assign(
        candidates, registry, set(places.taken), registry_path, lambda title: slugify(title, fallback="q")
    )
    new_registry.pages = list(places.pages)
    pages = tuple(
        QuestionPage(entry.id, entry.url, order, group)
        for order, (group, entry) in enumerate(zip(places.groups, entries, strict=True), start=1)
    )
    page_of = {key: pages[at] for key, at in places.group_of.items()}
    return Assigned(
        pages,
        page_of,
        {e.url: e for e in entries},
        tuple(new_registry.deleted),
        dump_registry(new_registry),
        tuple(changes),
        tuple(stamp_diags + diags),
    )


def group_children(sources: list[Source], section_dirs: Mapping[str, str]) -> Children:
    """The children of every source, chapter and section, in source order."""
    questions: dict[tuple[str, int | None], list[Question]] = {}
    followups: dict[tuple[str, int], list[Question]] = {}
    counts: dict[tuple[str, int | None], int] = {}
    chapters: dict[tuple[str, int], list[Chapter]] = {}
    sections: dict[str, list[tuple[str, str]]] = {}
    by_section: dict[str, list[Source]] = {}
    by_number: dict[tuple[str, str], list[Question]] = {}
    for src in sources:
        by_section.setdefault(src.placed_section, []).append(src)
        for q in src.questions:
            counts[(src.path, q.chapter)] = counts.get((src.path, q.chapter), 0) + 1
            if q.parent is None:
                questions.setdefault((src.path, q.chapter), []).append(q)
            else:
                followups.setdefault((src.path, src.questions[q.parent].line), []).append(q)
            by_number.setdefault((src.path, q.number), []).append(q)
        for ch in src.chapters:
            if ch.parent is not None:
                chapters.setdefault((src.path, ch.parent), []).append(ch)
    for sub, sub_dir in section_dirs.items():
        head = sub.rpartition("/")[0]
        if head != sub:
            sections.setdefault(head, []).append((sub, sub_dir))
    return Children(questions, followups, counts, chapters, sections, by_section, by_number)
