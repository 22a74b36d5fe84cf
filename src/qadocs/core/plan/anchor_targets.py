"""What every anchor of a source leads to: the anchor index stage.

For each source, the question and chapter anchors (every spelling a link may use), the anchors
inside answers and intros, its TOC links (repaired by number and title when they name no
heading), and the spellings its questions' headings had in earlier builds (registry/history.py). `index_targets` returns them as data with the diagnostics of the TOC links.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from qadocs.core.model import Diagnostic, Source, TocLink
from qadocs.core.registry.records import Assigned, Children, Places
from qadocs.core.split.outline import split_number
from qadocs.core.split.stamps import STAMP_PREFIX
from qadocs.core.text.anchors import AnchorIndex, anchor_forms, clean_fragment, current_forms, github_slug, loose_key
from qadocs.core.text.similar import ratio_at_least

REPAIR_MAX_CANDIDATES = 100  # a TOC link whose number more questions carry is not repaired (no guess)
REPAIR_MIN_RATIO = 0.6  # a TOC link's title and a question's must be at least this alike (difflib ratio)


@dataclass(slots=True, frozen=True)
class AnchorTargets:
    """The anchors of every source and where they lead (a page dir, or `dir#name` inside a page)."""

    indexes: Mapping[str, AnchorIndex[str]]  # source -> its questions' and chapters' anchors (and TOC links')
    inner_indexes: Mapping[str, AnchorIndex[str]]  # source -> anchors inside its answers and intros
    source_anchors: Mapping[str, Mapping[str, str]]  # source -> anchor form -> target, for anchors.json
    page_anchors: Mapping[str, tuple[str, ...]]  # question page dir -> its anchors, first spelling first
    diagnostics: tuple[Diagnostic, ...]


class _Anchors:
    """The anchors found so far: one source's index and legacy map, and every page's anchors."""

    def __init__(self, page_anchors: dict[str, dict[str, None]]) -> None:
        self.index: AnchorIndex[str] = AnchorIndex()
        self.known: dict[str, str] = {}  # anchor form -> target: the source's legacy map
        self.page_anchors = page_anchors  # page dir -> its anchors (an ordered set)

    def add(self, forms: list[str], target: str) -> None:
        """`forms` lead to `target` unless an earlier anchor has them; a question page lists them."""
        self.index.add(forms, target)
        for form in forms:
            self.known.setdefault(form, target)
        page = self.page_anchors.get(target)
        if page is not None:
            page.update(dict.fromkeys(forms))


def _heading_anchors(src: Source, places: Places, assigned: Assigned, found: _Anchors) -> None:
    """The anchors of the source's questions, then of its chapters, then of its own page."""
    for q in src.questions:
        page = assigned.page_of[(src.path, q.line)]
        # `#q-ID`: the heading's stamp, when it is the page's id (not an invalid or shared one)
        stamp = [STAMP_PREFIX + q.stamp] if q.stamp is not None and q.stamp == page.id else []
        found.add(anchor_forms(q.anchor, q.heading) + stamp, page.dir)
    for ch in src.chapters:
        names = anchor_forms(ch.anchor, ch.title) if ch.anchor else [github_slug(ch.title)]
        found.add(names, places.chapter_dirs[(src.path, ch.index)])
    found.add(list(src.page_anchors), places.source_dirs[src.path])  # its title, its table of contents


def _inner_index(src: Source, places: Places, assigned: Assigned, known: dict[str, str]) -> AnchorIndex[str]:
    """Anchors inside answers and intros (`<a name>`, `id`s, sub-headings): that page, at it.

    They have an index of their own, asked only when the questions' and chapters' one finds
    nothing, and join the legacy map only under keys no question or chapter uses: a sub-heading
    can never make a question's anchor ambiguous."""
    inner = [(assigned.page_of[(src.path, q.line)].dir, q.inner) for q in src.questions]
    inner += [(places.chapter_dirs[(src.path, ch.index)], ch.inner) for ch in src.chapters]
    inner.append((places.source_dirs[src.path], src.intro_anchors))
    index: AnchorIndex[str] = AnchorIndex()
    taken = {loose_key(form) for form in known}
    for page_dir, names in inner:
        for name, *_ in names:
            target = f"{page_dir}#{name}"
            index.add([name], target)
            if name not in known and loose_key(name) not in taken:
                known[name] = target
    return index


def _former_forms(found: Mapping[str, _Anchors], assigned: Assigned) -> dict[str, list[tuple[str, str]]]:
    """Source -> (a spelling a question heading had in an earlier build, its page dir), from the
    registry entries' history: in the source the question is in now, and in the sources it moved
    from that are still there."""
    extra: dict[str, list[tuple[str, str]]] = {}
    for page in assigned.pages:
        entry = assigned.entries[page.dir]
        now = page.question.source
        extra.setdefault(now, []).extend((form, page.dir) for form in entry.old_anchors)
        forms = (*current_forms(page.question.anchor, page.question.heading), *entry.old_anchors)
        for old in entry.old_sources:
            if old in found and old != now:
                extra.setdefault(old, []).extend((form, page.dir) for form in forms)
    return extra


def _by_loose_key(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Loose key -> target of the former spellings; a key two targets share leads nowhere."""
    targets: dict[str, set[str]] = {}
    for form, target in pairs:
        targets.setdefault(loose_key(form), set()).add(target)
    return {key: next(iter(found)) for key, found in targets.items() if len(found) == 1}


def _former_anchors(found: Mapping[str, _Anchors], extra: Mapping[str, list[tuple[str, str]]]) -> None:
    """The former spellings join the legacy map last, under names no current heading (or TOC
    link) of that source uses, and loose keys none uses for another target: a current heading
    always wins."""
    for path, pairs in extra.items():
        known = found[path].known
        taken = {loose_key(form): target for form, target in known.items()}
        for form, target in pairs:
            if form not in known and taken.get(loose_key(form), target) == target:
                known[form] = target


def _repair(src: Source, text: str, fragment: str, children: Children, assigned: Assigned) -> str | None:
    """The page of the one question with the TOC link's number whose title is most alike (at
    least REPAIR_MIN_RATIO); None when there is none or a tie, and when more than
    REPAIR_MAX_CANDIDATES questions carry that number (no guess then, and no work quadratic in the
    questions of a hostile file)."""
    number, title = split_number(text or clean_fragment(fragment))
    if number is None:
        return None
    candidates = children.by_number.get((src.path, number), [])
    if len(candidates) > REPAIR_MAX_CANDIDATES:
        return None
    best: tuple[float, str] | None = None
    tie = False
    matcher = difflib.SequenceMatcher(None, "", title)  # the title's index is built once
    for q in candidates:
        matcher.set_seq1(q.title)
        ratio = ratio_at_least(matcher, REPAIR_MIN_RATIO if best is None else best[0])
        if ratio is None:
            continue  # it can neither win nor tie
        if best is None or ratio > best[0]:
            best, tie = (ratio, assigned.page_of[(src.path, q.line)].dir), False
        elif best is not None and ratio == best[0]:
            tie = True
    return None if best is None or tie else best[1]


def _toc_target(
    src: Source, link: TocLink, found: _Anchors, former: Mapping[str, str], children: Children, assigned: Assigned
) -> tuple[str, str | None, list[Diagnostic]]:
    """(fragment, the target of one TOC link or None, diagnostics): a current heading's, else a
    former spelling's (`former`: loose key -> target), else one repaired by number and title."""
    diags: list[Diagnostic] = []
    path, hash_mark, fragment = link.target.partition("#")
    if not hash_mark:
        fragment, path = link.target, ""
        diags.append(
            Diagnostic(
                src.path,
                link.line,
                "info",
                "toc-link-no-hash",
                f"TOC link '{link.target}' has no '#'; read as an anchor",
            )
        )
    own = not path or posixpath.normpath(posixpath.join(src.section, unquote(path))) == src.path
    if not own:
        return fragment, None, diags
    target = found.index.find(fragment)
    if target is None:  # a heading as it was numbered or spelled in an earlier build
        target = former.get(loose_key(clean_fragment(fragment)))
    if target is None:
        target = _repair(src, link.text, fragment, children, assigned)
        if target is not None:
            diags.append(
                Diagnostic(
                    src.path,
                    link.line,
                    "warning",
                    "toc-link-repaired",
                    f"TOC link '#{clean_fragment(fragment)}' names no heading; matched by number and title",
                )
            )
    if target is None:
        diags.append(
            Diagnostic(
                src.path,
                link.line,
                "warning",
                "toc-link-unresolved",
                f"TOC link '{link.target}' matches no question or chapter",
            )
        )
    return fragment, target, diags


def index_targets(sources: list[Source], places: Places, assigned: Assigned, children: Children) -> AnchorTargets:
    """The anchor indexes of every source; then its TOC links, each an anchor of what it leads to."""
    page_anchors: dict[str, dict[str, None]] = {page.dir: {} for page in assigned.pages}
    found = {src.path: _Anchors(page_anchors) for src in sources}
    inner: dict[str, AnchorIndex[str]] = {}
    for src in sources:
        _heading_anchors(src, places, assigned, found[src.path])
        inner[src.path] = _inner_index(src, places, assigned, found[src.path].known)
    diags: list[Diagnostic] = []
    extra = _former_forms(found, assigned)
    for src in sources:
        former = _by_loose_key(extra.get(src.path, [])) if src.toc_links else {}
        for link in src.toc_links:
            fragment, target, link_diags = _toc_target(src, link, found[src.path], former, children, assigned)
            diags += link_diags
            if target is not None:
                found[src.path].add([clean_fragment(fragment)], target)
    _former_anchors(found, extra)
    return AnchorTargets(
        {path: f.index for path, f in found.items()},
        inner,
        {path: f.known for path, f in found.items()},
        {page_dir: tuple(forms) for page_dir, forms in page_anchors.items()},
        tuple(diags),
    )
