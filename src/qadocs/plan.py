"""Plan the generated docs dir: one page per distinct question, index pages, nav, questions.json.

Planning is pure: it returns `{docs path: text}` plus the files to copy; `write.py` touches disk.
Every page lives at `<dir>/index.md`, so its URL is `<dir>/` whatever `use_directory_urls` says
and relative URLs in raw HTML work the same as in markdown.
"""

from __future__ import annotations

import difflib
import json
import posixpath
import re
from dataclasses import dataclass, field
from html import escape as html_escape
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

import yaml

from .anchors import AnchorIndex, anchor_forms, clean_fragment, github_slug, loose_key
from .model import Chapter, Diagnostic, Question, Source
from .read import is_inside
from .registry import REGISTRY_NAME, Candidate, Change, Entry, assign, dump_registry, fingerprint, parse_registry
from .resolve import Image, Resolver, is_external, relative_url, rewrite_markdown
from .slug import slugify
from .split import split_number

MissingImages = Literal["placeholder", "error"]
MEDIA_DIR = "media"
CSS_PATH = "assets/qadocs.css"
JS_PATH = "assets/qadocs.js"
QUESTIONS_JSON = "questions.json"
WINDOWS_ABS_RE = re.compile(r"^[a-zA-Z]:[\\/]")
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when built in: same output, faster
MD_ESCAPE_RE = re.compile(r"([\\`*_\[\]#|])")


@dataclass(slots=True)
class Options:
    """Where things are and how strict to be; paths are absolute."""

    repo_root: Path
    content_dir: Path
    imgs_dir: Path
    base_url: str = "/"
    missing_images: MissingImages = "placeholder"
    registry_text: str | None = None  # the registry file's text; None when there is none yet
    registry_path: str = REGISTRY_NAME  # how diagnostics name it


@dataclass(slots=True)
class QuestionPage:
    """A question's page and every occurrence of it (the first one is the canonical one)."""

    id: str
    dir: str
    order: int
    occurrences: list[Question]
    anchors: list[str] = field(default_factory=list)

    @property
    def question(self) -> Question:
        """The occurrence the page is made from."""
        return self.occurrences[0]


@dataclass(slots=True)
class Plan:
    """Everything the writer puts in the docs dir, and what the build should report."""

    files: dict[str, str]
    assets: dict[str, Path]
    nav: list[Any]
    questions: list[dict[str, Any]]
    diagnostics: list[Diagnostic]
    registry_text: str | None  # the updated registry; None when the old one must be left alone
    changes: list[Change]


def md_escape(text: str) -> str:
    """Make plain text safe to put in markdown link text or a heading."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MD_ESCAPE_RE.sub(r"\\\1", text)


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter block, written by the YAML library so any title round-trips."""
    text = yaml.dump(meta, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)
    return "---\n" + text + "---\n\n"


def _norm_body(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def _number_value(number: str) -> int | str:
    return int(number) if number.isdigit() else number


class _Site:
    """The planner's shared state: page dirs, anchor indexes, copied files, diagnostics."""

    def __init__(self, sources: list[Source], opts: Options) -> None:
        self.sources = sources
        self.by_path = {s.path: s for s in sources}
        self.opts = opts
        self.diags: list[Diagnostic] = [d for s in sources for d in s.diagnostics]
        self.taken: set[str] = {MEDIA_DIR, "assets", "search"}
        self.ids: set[str] = set()
        self.section_dirs: dict[str, str] = {}
        self.source_dirs: dict[str, str] = {}
        self.chapter_dirs: dict[tuple[str, int], str] = {}
        self.pages: list[QuestionPage] = []
        self.page_of: dict[tuple[str, int], QuestionPage] = {}
        self.indexes: dict[str, AnchorIndex[str]] = {}
        self.assets: dict[str, Path] = {}
        self.reported_outside = False
        self.registry, reg_diags = (parse_registry(opts.registry_text, opts.registry_path)
                                    if opts.registry_text is not None else (None, []))
        self.diags += reg_diags
        self.changes: list[Change] = []
        self.entries: dict[str, Entry] = {}  # page dir -> registry entry
        self.new_registry_text: str | None = None
        self.source_anchors: dict[str, dict[str, str]] = {}  # source -> anchor form -> page dir
        self._place()
        self._index_anchors()

    # -- placing pages --------------------------------------------------------------------
    def _claim(self, parent: str, slug: str) -> str:
        base, n = slug, 1
        while posixpath.join(parent, slug) in self.taken:
            n += 1
            slug = f"{base}-{n}"
        path = posixpath.join(parent, slug)
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
                key = (" ".join(q.title.split()), _norm_body(q.body))
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
        if self.opts.registry_text is None or self.registry is not None:
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
                page.anchors.extend(f for f in forms if f not in page.anchors)
                for form in forms:
                    self.source_anchors.setdefault(src.path, {}).setdefault(form, page.dir)
            for ch in src.chapters:
                names = anchor_forms(ch.anchor, ch.title) if ch.anchor else [github_slug(ch.title)]
                index.add(names, self.chapter_dirs[(src.path, ch.index)])
            self.indexes[src.path] = index
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
            page = self.page_by_dir.get(target)
            if page is not None:
                form = clean_fragment(fragment)
                if form not in page.anchors:
                    page.anchors.append(form)
                index.add([form], target)
                self.source_anchors.setdefault(src.path, {}).setdefault(form, target)

    def _repair(self, src: Source, text: str, fragment: str) -> str | None:
        number, title = split_number(text or clean_fragment(fragment))
        if number is None:
            return None
        best: tuple[float, str] | None = None
        tie = False
        for q in src.questions:
            if q.number != number:
                continue
            ratio = difflib.SequenceMatcher(None, q.title, title).ratio()
            if ratio >= 0.6 and (best is None or ratio > best[0]):
                best, tie = (ratio, self.page_of[(src.path, q.line)].dir), False
            elif best is not None and ratio == best[0]:
                tie = True
        return None if best is None or tie else best[1]

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

    def add_asset(self, path: Path) -> str:
        """Docs-dir path under which the repository file `path` is copied."""
        rel = Path(path).resolve().relative_to(self.opts.repo_root.resolve()).as_posix()
        dest = f"{MEDIA_DIR}/{rel}"
        self.assets[dest] = path
        return dest


class _PageResolver(Resolver):
    """Resolves the references of one piece of text from one source, shown on one page."""

    def __init__(self, site: _Site, src: Source, page_dir: str) -> None:
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
        if re.match(r"^(?:https?:)?//", target, re.IGNORECASE):
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
        return Image(relative_url(self.page_dir, self.site.add_asset(found)))

    def link(self, target: str, line: int, col: int = 1, html: bool = False) -> str | None:
        self.col = col
        if not target or is_external(target) or WINDOWS_ABS_RE.match(target) is None and target.startswith("/"):
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
        found_dir = self.site.indexes[src.path].find(fragment)
        if found_dir is None:
            self._diag(line, "warning", "link-anchor-missing",
                       f"link '#{clean_fragment(fragment)}' names no question or chapter in {src.path}")
            return None
        return self._page_url(found_dir, html)

    def _page_url(self, page_dir: str, html: bool) -> str:
        if html:
            return relative_url(self.page_dir, page_dir) + "/"
        return relative_url(self.page_dir, posixpath.join(page_dir, "index.md"))

    def rewrite(self, text: str, first_line: int) -> str:
        """The text with its links and images resolved for this page."""
        return rewrite_markdown(text, first_line, self) if text else ""


def _titles(site: _Site, src: Source, chapter: int | None) -> list[str]:
    titles = [part for part in src.section.split("/") if part] + [src.title]
    if chapter is not None:
        titles += list(src.chapters[chapter].titles)
    return titles


def _question_label(q: Question) -> str:
    return f"{q.number}. {q.title}"


def _link_list(site: _Site, from_dir: str, questions: list[Question], src: Source) -> list[str]:
    lines = []
    for q in questions:
        page = site.page_of[(src.path, q.line)]
        url = relative_url(from_dir, posixpath.join(page.dir, "index.md"))
        lines.append(f"- [{md_escape(_question_label(q))}](<{url}>)")
    return lines


def _question_file(site: _Site, page: QuestionPage) -> str:
    q = page.question
    src = site.by_path[q.source]
    meta: dict[str, Any] = {
        "id": page.id,
        "title": q.title,
        "number": _number_value(q.number),
        "source": q.source,
        "source_line": q.line,
        "anchors": page.anchors,
        "chapter": _titles(site, src, q.chapter),
        "order": page.order,
    }
    if len(page.occurrences) > 1:
        meta["also_in"] = [{"source": o.source, "source_line": o.line} for o in page.occurrences[1:]]
    where = [f"[{md_escape(src.title)}](<{relative_url(page.dir, site.source_dirs[src.path] + '/index.md')}>)"]
    if q.chapter is not None:
        ch_dir = site.chapter_dirs[(src.path, q.chapter)]
        where.append(f"[{md_escape(src.chapters[q.chapter].title)}](<{relative_url(page.dir, ch_dir + '/index.md')}>)")
    body = _PageResolver(site, src, page.dir).rewrite(q.body, q.body_line)
    return (front_matter(meta) + f"# {md_escape(q.title)}\n\n"
            + f'<p class="qadocs-where" markdown>{" › ".join(where)} · 第 {md_escape(q.number)} 题</p>\n\n'
            + (body + "\n" if body else ""))


def _legacy_anchor_map(page_dir: str, anchors: dict[str, str]) -> str:
    """The map `assets/qadocs.js` uses to forward `#<old GitHub anchor>` to the question's page."""
    exact: dict[str, str] = {}
    loose: dict[str, str | None] = {}
    for form, target in anchors.items():
        url = relative_url(page_dir, target) + "/"
        exact.setdefault(clean_fragment(form), url)
        key = loose_key(form)
        if key:
            loose[key] = url if loose.get(key, url) == url else None  # ambiguous keys are dropped
    data = {"exact": exact, "loose": {k: v for k, v in loose.items() if v is not None}}
    payload = html_escape(json.dumps(data, ensure_ascii=False, sort_keys=True), quote=True)
    return f'<div class="qadocs-anchors" hidden data-anchors="{payload}"></div>\n'


def _chapter_file(site: _Site, src: Source, ch: Chapter) -> str:
    ch_dir = site.chapter_dirs[(src.path, ch.index)]
    meta = {"title": ch.title, "kind": "chapter", "source": src.path, "source_line": ch.line,
            "chapter": _titles(site, src, ch.index)}
    parts = [front_matter(meta) + f"# {md_escape(ch.title)}\n"]
    intro = _PageResolver(site, src, ch_dir).rewrite(ch.intro, ch.intro_line)
    if intro:
        parts.append(intro + "\n")
    subs = [c for c in src.chapters if c.parent == ch.index]
    for sub in subs:
        url = relative_url(ch_dir, site.chapter_dirs[(src.path, sub.index)] + "/index.md")
        parts.append(f"- [{md_escape(sub.title)}](<{url}>)")
    own = [q for q in src.questions if q.chapter == ch.index]
    if own:
        parts.append("\n".join(_link_list(site, ch_dir, own, src)) + "\n")
    return "\n".join(parts)


def _source_file(site: _Site, src: Source) -> str:
    src_dir = site.source_dirs[src.path]
    meta = {"title": src.title, "kind": "source", "source": src.path,
            "questions": len(src.questions)}
    parts = [front_matter(meta) + f"# {md_escape(src.title)}\n"]
    intro = _PageResolver(site, src, src_dir).rewrite(src.intro, src.intro_line)
    if intro:
        parts.append(intro + "\n")
    loose = [q for q in src.questions if q.chapter is None]
    if loose:
        parts.append("\n".join(_link_list(site, src_dir, loose, src)) + "\n")
    for ch in src.chapters:
        url = relative_url(src_dir, site.chapter_dirs[(src.path, ch.index)] + "/index.md")
        depth = "#" * min(6, 2 + len(ch.titles) - 1)
        parts.append(f"{depth} [{md_escape(ch.title)}](<{url}>)\n")
        own = [q for q in src.questions if q.chapter == ch.index]
        if own:
            parts.append("\n".join(_link_list(site, src_dir, own, src)) + "\n")
    if not src.questions:
        parts.append('<p class="qadocs-empty">这个文件里没有题目。</p>\n')
    anchors = site.source_anchors.get(src.path)
    if anchors:
        parts.append(_legacy_anchor_map(src_dir, anchors))
    return "\n".join(parts)


def _section_file(site: _Site, section: str) -> str:
    sec_dir = site.section_dirs[section]
    title = section.rsplit("/", 1)[-1]
    lines = [front_matter({"title": title, "kind": "section", "section": section}) + f"# {md_escape(title)}\n"]
    for sub, sub_dir in site.section_dirs.items():
        if sub.rpartition("/")[0] == section and sub != section:
            lines.append(f"- [{md_escape(sub.rsplit('/', 1)[-1])}](<{relative_url(sec_dir, sub_dir + '/index.md')}>)")
    for src in site.sources:
        if src.section == section:
            url = relative_url(sec_dir, site.source_dirs[src.path] + "/index.md")
            lines.append(f"- [{md_escape(src.title)}](<{url}>)（{len(src.questions)} 题）")
    return "\n".join(lines) + "\n"


def _home_file(site: _Site) -> str:
    lines = [front_matter({"title": "首页", "kind": "home"}) + "# 题库目录\n",
             f"共 {len(site.sources)} 个文件，{len(site.pages)} 道题。按章节浏览，或用右上角的搜索。\n"]
    for src in site.sources:
        url = relative_url("", site.source_dirs[src.path] + "/index.md")
        label = f"{src.section} / {src.title}" if src.section else src.title
        lines.append(f"- [{md_escape(label)}](<{url}>)（{len(src.questions)} 题）")
    return "\n".join(lines) + "\n"


def _nav(site: _Site) -> list[Any]:
    nav: list[Any] = [{"首页": "index.md"}]
    section_nodes: dict[str, list[Any]] = {"": nav}

    def section_node(section: str) -> list[Any]:
        if section not in section_nodes:
            head = section.rpartition("/")[0]
            node: list[Any] = [site.section_dirs[section] + "/index.md"]
            section_node(head).append({section.rsplit("/", 1)[-1]: node})
            section_nodes[section] = node
        return section_nodes[section]

    for src in site.sources:
        src_node: list[Any] = [site.source_dirs[src.path] + "/index.md"]
        section_node(src.section).append({src.title: src_node})
        chapter_nodes: dict[int, list[Any]] = {}
        for ch in src.chapters:
            node: list[Any] = [site.chapter_dirs[(src.path, ch.index)] + "/index.md"]
            parent = src_node if ch.parent is None else chapter_nodes[ch.parent]
            parent.append({ch.title: node})
            chapter_nodes[ch.index] = node
        for q in src.questions:
            page = site.page_of[(src.path, q.line)]
            if page.question is not q:
                continue  # the page sits in the nav where its first occurrence is
            parent = src_node if q.chapter is None else chapter_nodes[q.chapter]
            parent.append({_question_label(q): page.dir + "/index.md"})
    return nav


REDIRECT_HTML = """<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="{delay}; url={url}">
<link rel="canonical" href="{url}">
<script>setTimeout(function () {{ location.replace({url_js} + location.hash); }}, {delay_ms});</script>
</head>
<body>
<p>{notice}</p>
<p><a href="{url}">{link}</a></p>
</body>
</html>
"""


def _redirect_html(from_dir: str, to_dir: str, title: str, notice: str, link: str, delay: int) -> str:
    url = relative_url(from_dir, to_dir or ".") + "/"
    esc = html_escape
    return REDIRECT_HTML.format(title=esc(title), delay=delay, url=esc(url), url_js=json.dumps(url),
                                delay_ms=delay * 1000, notice=esc(notice), link=esc(link))


def _redirect_files(site: _Site) -> dict[str, str]:
    """Static pages at every former URL: moved questions forward, deleted ones explain and go to their chapter."""
    files: dict[str, str] = {}
    for page in site.pages:
        for old in site.entries[page.dir].old_urls:
            files[old + "/index.html"] = _redirect_html(
                old, page.dir, page.question.title, f"这道题的地址已更改：{page.question.title}",
                "前往新地址", 0)
    chapters = {(src.path, ch.title): site.chapter_dirs[(src.path, ch.index)]
                for src in site.sources for ch in src.chapters}
    for entry in site.deleted:
        target = chapters.get((entry.source, entry.chapter or "")) or site.source_dirs.get(entry.source, "")
        for old in entry.all_urls():
            files[old + "/index.html"] = _redirect_html(
                old, target, entry.title, f"这道题已从题库删除：{entry.title}。正在前往它原来所在的章节。",
                "前往原来的章节", 3)
    return files


def _questions_json(site: _Site) -> list[dict[str, Any]]:
    base = site.opts.base_url.rstrip("/") + "/"
    entries = []
    for page in site.pages:
        q = page.question
        src = site.by_path[q.source]
        entries.append({
            "id": page.id, "title": q.title, "url": base + page.dir + "/",
            "number": _number_value(q.number), "source": q.source,
            "source_url": base + site.source_dirs[q.source] + "/", "source_line": q.line,
            "chapter": _titles(site, src, q.chapter), "anchors": page.anchors,
        })
    return entries


def plan_pages(sources: list[Source], opts: Options) -> Plan:
    """Turn split sources into the docs dir's files, nav and question list."""
    site = _Site(sources, opts)
    files: dict[str, str] = {"index.md": ""}
    for section, sec_dir in site.section_dirs.items():
        files[sec_dir + "/index.md"] = _section_file(site, section)
    for src in sources:
        files[site.source_dirs[src.path] + "/index.md"] = _source_file(site, src)
        for ch in src.chapters:
            files[site.chapter_dirs[(src.path, ch.index)] + "/index.md"] = _chapter_file(site, src, ch)
    for page in site.pages:
        files[page.dir + "/index.md"] = _question_file(site, page)
    files["index.md"] = _home_file(site)
    questions = _questions_json(site)
    files[QUESTIONS_JSON] = json.dumps(questions, ensure_ascii=False, indent=1) + "\n"
    for asset in (CSS_PATH, JS_PATH):
        files[asset] = resources.files("qadocs").joinpath(asset).read_text(encoding="utf-8")
    for path, text in _redirect_files(site).items():
        files.setdefault(path, text)  # a live page always wins over a redirect
    return Plan(files, dict(sorted(site.assets.items())), _nav(site), questions, site.diags,
                site.new_registry_text, site.changes)
