"""The planner's shared state: where every page goes, anchors, copied files, and the resolver.

`Site` places pages (registered URLs first, then index pages), merges duplicate questions,
builds the anchor index of each source and resolves TOC links; `PageResolver` answers the link
and image questions of one piece of markdown shown on one page.
"""

from __future__ import annotations

import difflib
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import quote, unquote

from .anchors import AnchorIndex, anchor_forms, clean_fragment, github_slug, loose_key
from .model import Chapter, Diagnostic, Question, Source
from .read import is_inside
from .registry import REGISTRY_NAME, Candidate, Change, Entry, Registry, assign, dump_registry, fingerprint
from .resolve import Image, Resolver, relative_url, rewrite_markdown
from .slug import slugify
from .split import Layout, split_number
from .urls import MEDIA_DIR, RESERVED_DIRS, WINDOWS_ABS_RE, is_external, is_remote

MissingImages = Literal["placeholder", "error"]
# The only files copied into the site: raster images, which a browser never runs. HTML, SVG,
# PDF, scripts, configuration and everything else stays out, whatever links to it.
MISSING_ANCHORS_SHOWN = 5  # more dead anchor links than this in one file make one summary line
REPAIR_MAX_CANDIDATES = 100  # a TOC link whose number more questions carry is not repaired (no guess)
COPYABLE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico"})


@dataclass(slots=True)
class Options:
    """Where things are and how strict to be; paths are absolute."""

    repo_root: Path
    content_dir: Path
    imgs_dir: Path
    base_url: str = "/"
    missing_images: MissingImages = "placeholder"
    registry_path: str = REGISTRY_NAME  # how diagnostics name the registry file
    layout: tuple[tuple[str, Layout], ...] = ()  # (glob, questions' heading level or "page"), first match wins


@dataclass(slots=True, frozen=True)
class DeadAnchor:
    """A link to an anchor that no heading or anchor of its target source has."""

    line: int
    col: int
    anchor: str
    target: str  # the source the link points into


@dataclass(slots=True)
class QuestionPage:
    """A question's page and every occurrence of it (the first one is the canonical one)."""

    id: str
    dir: str
    order: int
    occurrences: list[Question]
    anchors: list[str] = field(default_factory=list)
    _known: set[str] = field(default_factory=set)  # the anchors, for a constant-time test

    def add_anchor(self, form: str) -> None:
        """Add an anchor form unless the page has it already (first spelling first)."""
        if form not in self._known:
            self._known.add(form)
            self.anchors.append(form)

    @property
    def question(self) -> Question:
        """The occurrence the page is made from."""
        return self.occurrences[0]


@dataclass(slots=True)
class Children:
    """What each index page lists, grouped once, so that rendering every chapter and section page
    is linear in the collection, not chapters × questions or sections × sources."""

    questions: dict[tuple[str, int | None], list[Question]]  # (source, chapter or None) -> questions
    chapters: dict[tuple[str, int], list[Chapter]]  # (source, chapter) -> its sub-chapters
    sections: dict[str, list[tuple[str, str]]]  # section -> (sub-section, its dir)
    sources: dict[str, list[Source]]  # section -> its sources
    by_number: dict[tuple[str, str], list[Question]]  # (source, number) -> questions, for TOC repair


def group_children(sources: list[Source], section_dirs: dict[str, str]) -> Children:
    """The children of every source, chapter and section, in source order."""
    kids = Children({}, {}, {}, {}, {})
    for src in sources:
        kids.sources.setdefault(src.section, []).append(src)
        for q in src.questions:
            kids.questions.setdefault((src.path, q.chapter), []).append(q)
            kids.by_number.setdefault((src.path, q.number), []).append(q)
        for ch in src.chapters:
            if ch.parent is not None:
                kids.chapters.setdefault((src.path, ch.parent), []).append(ch)
    for sub, sub_dir in section_dirs.items():
        head = sub.rpartition("/")[0]
        if head != sub:
            kids.sections.setdefault(head, []).append((sub, sub_dir))
    return kids


class Site:
    """The planner's shared state: page dirs, anchor indexes, copied files, diagnostics."""

    def __init__(self, sources: list[Source], opts: Options, registry: Registry | None = None) -> None:
        self.sources = sources
        self.by_path = {s.path: s for s in sources}
        self.opts = opts
        self.diags: list[Diagnostic] = [d for s in sources for d in s.diagnostics]
        self.taken: set[str] = set(RESERVED_DIRS)
        self.suffixes: dict[str, int] = {}  # for _claim
        self.section_dirs: dict[str, str] = {}
        self.source_dirs: dict[str, str] = {}
        self.chapter_dirs: dict[tuple[str, int], str] = {}
        self.pages: list[QuestionPage] = []
        self.page_of: dict[tuple[str, int], QuestionPage] = {}
        self.indexes: dict[str, AnchorIndex[str]] = {}
        self.inner_indexes: dict[str, AnchorIndex[str]] = {}  # anchors inside answers and intros
        self.assets: dict[str, Path] = {}
        self.reported_outside = False
        self.registry = registry
        self.changes: list[Change] = []
        self.entries: dict[str, Entry] = {}  # page dir -> registry entry
        self.new_registry_text = ""
        self.deleted: list[Entry] = []  # registry entries of questions no longer in the content
        self.source_anchors: dict[str, dict[str, str]] = {}  # source -> anchor form -> page dir
        self.dead_anchors: dict[str, list[DeadAnchor]] = {}  # source -> links to anchors that exist nowhere
        self._place()
        self.children = group_children(sources, self.section_dirs)
        self._index_anchors()

    # -- placing pages --------------------------------------------------------------------
    def _claim(self, parent: str, slug: str) -> str:
        """`parent/slug`, or `parent/slug-2`, `-3`…: the first one not taken. The last suffix handed
        out per slug is remembered (taken paths are never freed), so many alike titles stay linear."""
        base = posixpath.join(parent, slug)
        n = self.suffixes.get(base, 1)
        path = base if n == 1 else f"{base}-{n}"
        while path in self.taken:
            n += 1
            path = f"{base}-{n}"
        self.suffixes[base] = n
        self.taken.add(path)
        return path

    def _section_dir(self, section: str) -> str:
        if section in self.section_dirs:
            return self.section_dirs[section]
        head, _, name = section.rpartition("/")
        parent = self._section_dir(head) if head else ""
        self.section_dirs[section] = self._claim(parent, slugify(name, fallback="section"))
        return self.section_dirs[section]

    def _place(self) -> None:
        if self.registry is not None:  # registered URLs are never handed to an index page
            for e in self.registry.questions + self.registry.deleted:
                self.taken.update(e.all_urls())
        for src in self.sources:
            parent = self._section_dir(src.section) if src.section else ""
            self.source_dirs[src.path] = self._claim(parent, slugify(src.title, fallback="source"))
        for src in self.sources:
            for ch in src.chapters:
                self.chapter_dirs[(src.path, ch.index)] = self._claim(
                    self.source_dirs[src.path], slugify(ch.title, fallback="chapter"))
        seen: dict[tuple[str, str], QuestionPage] = {}
        for src in self.sources:
            for q in src.questions:
                key = (" ".join(q.title.split()), fingerprint(q.body))  # the same key check.py uses
                page = seen.get(key)
                if page is None:
                    page = QuestionPage("", "", len(self.pages) + 1, [q])
                    seen[key] = page
                    self.pages.append(page)
                else:
                    page.occurrences.append(q)
                    first = page.question
                    self.diags.append(Diagnostic(
                        q.source, q.line, "warning", "duplicate-question",
                        f"same question as {first.source}:{first.line}; one page is made for both"))
                self.page_of[(src.path, q.line)] = page
        candidates = []
        for page in self.pages:
            q = page.question
            src = self.by_path[q.source]
            candidates.append(Candidate(
                title=q.title, answer=fingerprint(q.body), source=q.source,
                chapter=src.chapters[q.chapter].title if q.chapter is not None else None,
                section_dir=self.section_dirs.get(src.section, "")))
        entries, registry, self.changes, diags = assign(
            candidates, self.registry, self.taken, self.opts.registry_path, lambda title: slugify(title, fallback="q"))
        self.diags += diags
        for page, entry in zip(self.pages, entries, strict=True):
            page.id, page.dir = entry.id, entry.url
            self.entries[entry.url] = entry
        self.new_registry_text = dump_registry(registry)
        self.deleted = registry.deleted

    # -- anchors ----------------------------------------------------------------------------
    def _index_anchors(self) -> None:
        for src in self.sources:
            index: AnchorIndex[str] = AnchorIndex()
            for q in src.questions:
                page = self.page_of[(src.path, q.line)]
                forms = anchor_forms(q.anchor, q.heading)
                index.add(forms, page.dir)
                for form in forms:
                    page.add_anchor(form)
                for form in forms:
                    self.source_anchors.setdefault(src.path, {}).setdefault(form, page.dir)
            for ch in src.chapters:
                names = anchor_forms(ch.anchor, ch.title) if ch.anchor else [github_slug(ch.title)]
                ch_dir = self.chapter_dirs[(src.path, ch.index)]
                index.add(names, ch_dir)
                for name in names:
                    self.source_anchors.setdefault(src.path, {}).setdefault(name, ch_dir)
            # Anchors inside answers and intros (`<a name>`, `id`s, sub-headings): that page, at it.
            # Added last, so a question or chapter keeps any name it shares with one of them.
            # They have an index of their own, asked only when the questions and chapters' one finds
            # nothing, and join the legacy map only under keys no question or chapter uses: a
            # sub-heading can never make a question's anchor ambiguous.
            inner = [(self.page_of[(src.path, q.line)].dir, q.inner) for q in src.questions]
            inner += [(self.chapter_dirs[(src.path, ch.index)], ch.inner) for ch in src.chapters]
            inner.append((self.source_dirs[src.path], src.intro_anchors))
            inner_index: AnchorIndex[str] = AnchorIndex()
            known = self.source_anchors.setdefault(src.path, {})
            taken = {loose_key(form) for form in known}
            for page_dir, found in inner:
                for name, *_ in found:
                    target = f"{page_dir}#{name}"
                    inner_index.add([name], target)
                    if name not in known and loose_key(name) not in taken:
                        known[name] = target
            self.indexes[src.path] = index
            self.inner_indexes[src.path] = inner_index
        self.page_by_dir = {page.dir: page for page in self.pages}
        for src in self.sources:
            self._resolve_toc(src)

    def _resolve_toc(self, src: Source) -> None:
        index = self.indexes[src.path]
        for link in src.toc_links:
            path, hash_mark, fragment = link.target.partition("#")
            if not hash_mark:
                fragment, path = link.target, ""
                self.diags.append(Diagnostic(src.path, link.line, "info", "toc-link-no-hash",
                                             f"TOC link '{link.target}' has no '#'; read as an anchor"))
            own = not path or posixpath.normpath(posixpath.join(src.section, unquote(path))) == src.path
            target = index.find(fragment) if own else None
            if target is None and own:
                target = self._repair(src, link.text, fragment)
                if target is not None:
                    self.diags.append(Diagnostic(
                        src.path, link.line, "warning", "toc-link-repaired",
                        f"TOC link '#{clean_fragment(fragment)}' names no heading; matched by number and title"))
            if target is None:
                if own:
                    self.diags.append(Diagnostic(src.path, link.line, "warning", "toc-link-unresolved",
                                                 f"TOC link '{link.target}' matches no question or chapter"))
                continue
            form = clean_fragment(fragment)
            index.add([form], target)
            self.source_anchors.setdefault(src.path, {}).setdefault(form, target)
            page = self.page_by_dir.get(target)
            if page is not None:
                page.add_anchor(form)

    def _repair(self, src: Source, text: str, fragment: str) -> str | None:
        """The page of the one question with the TOC link's number whose title is most alike (at
        least 60 %); None when there is none or a tie, and when more than `REPAIR_MAX_CANDIDATES` questions carry
        that number (no guess then, and no work quadratic in the questions of a hostile file)."""
        number, title = split_number(text or clean_fragment(fragment))
        if number is None:
            return None
        candidates = self.children.by_number.get((src.path, number), [])
        if len(candidates) > REPAIR_MAX_CANDIDATES:
            return None
        best: tuple[float, str] | None = None
        tie = False
        matcher = difflib.SequenceMatcher(None, "", title)  # the title's index is built once
        for q in candidates:
            matcher.set_seq1(q.title)
            floor = 0.6 if best is None else best[0]
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue  # upper bounds of ratio(): it can neither win nor tie
            ratio = matcher.ratio()
            if ratio >= 0.6 and (best is None or ratio > best[0]):
                best, tie = (ratio, self.page_of[(src.path, q.line)].dir), False
            elif best is not None and ratio == best[0]:
                tie = True
        return None if best is None or tie else best[1]

    def dead_anchor_findings(self) -> list[Diagnostic]:
        """A `link-anchor-missing` per dead anchor link; in a file with more than
        MISSING_ANCHORS_SHOWN of them (dozens of `#bookmark123` links to a lost export, say), one
        `link-anchors-missing` line at the first, naming the first few."""
        found: list[Diagnostic] = []
        for path, dead in self.dead_anchors.items():
            if len(dead) <= MISSING_ANCHORS_SHOWN:
                found += [Diagnostic(path, d.line, "warning", "link-anchor-missing",
                                     f"link '#{d.anchor}' names no question, chapter or anchor in {d.target}", d.col)
                          for d in dead]
                continue
            named = ", ".join(f"'#{d.anchor}' (line {d.line})" for d in dead[:MISSING_ANCHORS_SHOWN])
            found.append(Diagnostic(path, dead[0].line, "warning", "link-anchors-missing",
                                    f"{len(dead)} links name anchors that no heading or anchor has: {named} "
                                    f"and {len(dead) - MISSING_ANCHORS_SHOWN} more; they are shown as plain text "
                                    "(point them at a heading, or remove them)", dead[0].col))
        return found

    # -- files ------------------------------------------------------------------------------
    def safe_file(self, candidates: list[Path], shown: str, line: int, src: Source, col: int = 1) -> Path | None:
        """The first candidate that is a file inside the repo, never one outside it.

        A reference is reported as leaving the repository when every candidate does, or when one
        that does names an existing file (a link or `..` path to something outside).
        """
        leaving = [c for c in candidates if not is_inside(c, self.opts.repo_root)]
        for candidate in candidates:
            if candidate not in leaving and candidate.is_file():
                return candidate
        if leaving and (len(leaving) == len(candidates) or any(c.exists() for c in leaving)):
            self.diags.append(Diagnostic(src.path, line, "error", "path-outside-repo",
                                         f"'{shown}' points outside the repository; not copied", col))
            self.reported_outside = True
        return None

    def refusal(self, path: Path) -> str | None:
        """Why the repository file `path` may not be copied into the site, or None when it may.

        Only raster images are copied, and nothing that is, or lies under, a dot-named file or
        folder (`.git/`, `.env`), neither as written nor where a symlink leads."""
        root = self.opts.repo_root.resolve()
        real = path.resolve()
        for shown in (Path(os.path.normpath(path.absolute())), real):  # as written (`..` folded), as linked
            try:
                parts = shown.relative_to(root).parts
            except ValueError:
                continue
            if any(part.startswith(".") for part in parts):
                return "it is a hidden file or lies in a hidden folder"
        if real.suffix.lower() not in COPYABLE_SUFFIXES or path.suffix.lower() not in COPYABLE_SUFFIXES:
            return ("only raster images (" + ", ".join(sorted(s[1:] for s in COPYABLE_SUFFIXES))
                    + ") are published; other files, SVG and HTML included, could run script on the site")
        return None

    def add_asset(self, path: Path) -> str:
        """Docs-dir path under which the repository file `path` is copied (call `refusal` first)."""
        rel = Path(path).resolve().relative_to(self.opts.repo_root.resolve()).as_posix()
        dest = f"{MEDIA_DIR}/{rel}"
        self.assets[dest] = path
        return dest


def target_url(from_dir: str, target: str, html: bool = True) -> str:
    """The URL, relative to the page in `from_dir`, of an anchor target: a page dir, or a page dir
    and a fragment (`dir#name`, an anchor inside that page). `html`: the page's URL (`dir/`),
    else its markdown file (`dir/index.md`), which MkDocs turns into the page's URL."""
    page_dir, hash_mark, fragment = target.partition("#")
    if html:
        url = relative_url(from_dir, page_dir) + "/"
    else:
        url = relative_url(from_dir, posixpath.join(page_dir, "index.md"))
    return url + hash_mark + "".join(quote(ch) if ch in UNSAFE_IN_FRAGMENT else ch for ch in fragment)


UNSAFE_IN_FRAGMENT = frozenset(' "<>\\`{}|^%')  # percent-encoded in a fragment (an `id` may hold them)


class PageResolver(Resolver):
    """Resolves the references of one piece of text from one source, shown on one page."""

    def __init__(self, site: Site, src: Source, page_dir: str) -> None:
        self.site = site
        self.src = src
        self.page_dir = page_dir
        self.src_dir = site.opts.content_dir / src.section if src.section else site.opts.content_dir
        self.col = 1  # column of the reference being resolved, for diagnostics

    def _diag(self, line: int, severity: Literal["error", "warning", "info"], code: str, msg: str) -> None:
        self.site.diags.append(Diagnostic(self.src.path, line, severity, code, msg, self.col))

    def _local(self, target: str) -> str | None:
        """A relative path with fragment and query dropped, or None (with a diagnostic) if unusable."""
        path = unquote(target.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
        if WINDOWS_ABS_RE.match(target) or path.startswith("/"):
            return None
        return path[2:] if path.startswith("./") else path

    def image(self, target: str, line: int, col: int = 1) -> Image:
        self.col = col
        if not target:
            return Image(None)
        if is_remote(target):
            self._diag(line, "info", "remote-image", f"image '{target}' is loaded from another host")
            return Image(target, remote=True)
        if target.lower().startswith("data:image/"):
            return Image(target)
        rel = self._local(target) if not is_external(target) else None
        if rel is None:
            self._diag(line, "error", "path-absolute",
                       f"image '{target}' is an absolute or non-file path; use a path inside the repository")
            return Image(None)
        opts = self.site.opts
        candidates = [self.src_dir / rel, opts.content_dir / rel, opts.imgs_dir / rel]
        if rel.startswith("imgs/"):
            candidates.append(opts.imgs_dir / rel[len("imgs/"):])
        self.site.reported_outside = False
        found = self.site.safe_file(candidates, target, line, self.src, col)
        if found is None and self.site.reported_outside:
            return Image(None)
        if found is None:
            severity: Literal["error", "warning"] = "error" if opts.missing_images == "error" else "warning"
            self._diag(line, severity, "image-missing", f"image '{target}' is not in the repository")
            return Image(None)
        why = self.site.refusal(found)
        if why is not None:
            self._diag(line, "warning", "file-not-copied", f"image '{target}' is not copied: {why}")
            return Image(None)
        return Image(relative_url(self.page_dir, self.site.add_asset(found)))

    def link(self, target: str, line: int, col: int = 1, html: bool = False) -> str | None:
        self.col = col
        if not target or is_external(target) or target.startswith("/"):
            return target
        path, hash_mark, fragment = target.partition("#")
        src = self.src
        if path:
            rel = self._local(path)
            self.site.reported_outside = False
            found = self.site.safe_file([self.src_dir / rel], target, line, src, col) if rel else None
            if found is None and self.site.reported_outside:
                return None
            if found is not None and found.suffix.lower() == ".md":
                other = (found.resolve().relative_to(self.site.opts.content_dir.resolve()).as_posix()
                         if is_inside(found, self.site.opts.content_dir) else "")
                if other not in self.site.by_path:  # markdown outside content/ is no page of the site
                    self._diag(line, "warning", "link-missing", f"link target '{target}' is not a source")
                    return None
                src, path = self.site.by_path[other], ""
            elif found is not None:
                why = self.site.refusal(found)
                if why is not None:
                    self._diag(line, "warning", "file-not-copied", f"link target '{target}' is not copied: {why}")
                    return None
                dest = relative_url(self.page_dir, self.site.add_asset(found))
                return dest + (hash_mark + fragment if fragment else "")
            elif not hash_mark and self.site.indexes[src.path].find(path) is not None:
                fragment, path = target, ""
                self._diag(line, "info", "link-no-hash", f"link '{target}' has no '#'; read as an anchor")
            else:
                self._diag(line, "warning", "link-missing", f"link target '{target}' does not exist")
                return None
        if not fragment:
            return self._page_url(self.site.source_dirs[src.path], html)
        found_dir = self.site.indexes[src.path].find(fragment) or self.site.inner_indexes[src.path].find(fragment)
        if found_dir is None:
            self.site.dead_anchors.setdefault(self.src.path, []).append(
                DeadAnchor(line, col, clean_fragment(fragment), src.path))
            return None
        return self._page_url(found_dir, html)

    def _page_url(self, target: str, html: bool) -> str:
        return target_url(self.page_dir, target, html)

    def rewrite(self, text: str, first_line: int) -> str:
        """The text with its links and images resolved for this page."""
        return rewrite_markdown(text, first_line, self) if text else ""
