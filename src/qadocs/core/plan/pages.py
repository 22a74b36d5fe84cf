"""Render the generated files: question, chapter, source, section and home pages, nav,
questions.json, redirect pages and the legacy-anchor map.

Pure functions of a `Planned` collection (the results of the planning stages, read only). A page
whose text has links and images returns, with its text, what resolving them `Found`.
"""

from __future__ import annotations

import json
import posixpath
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape as html_escape
from importlib import resources
from typing import Any
from urllib.parse import quote

from qadocs.core.model import Chapter, InnerAnchor, Memo, Question, Source
from qadocs.core.plan.links import Collection, Found, PageLinks, rewrite_kept, target_url
from qadocs.core.plan.rewrite import relative_url
from qadocs.core.registry.records import Assigned, Children, Places, QuestionPage
from qadocs.core.split.outline import HTML_HEADING_RE
from qadocs.core.split.questions import md_heading
from qadocs.core.text import words
from qadocs.core.text.anchors import clean_fragment, loose_key
from qadocs.core.text.describe import page_description, shorten
from qadocs.core.text.escape import html_meta, html_text, json_for_html, md_escape, yaml_text
from qadocs.core.text.lex import as_written
from qadocs.core.text.schema import (
    ChapterMeta,
    HomeMeta,
    Number,
    Occurrence,
    PageMeta,
    QuestionEntry,
    QuestionMeta,
    ReviewMeta,
    SectionMeta,
    SourceMeta,
)
from qadocs.core.text.urls import REVIEW_DIR

ANCHORS_JSON = "anchors.json"  # beside each source's index page: old GitHub anchor -> question page
REVIEW_PAGE = REVIEW_DIR + "/index.md"
# The links assets/qadocs.js knows: a random question of the page's scope (the href, a fixed
# question of that scope, is where the link goes without JavaScript), and the search box.
RANDOM_LINK = "[" + words.RANDOM + "](<{url}>){{: .qadocs-random }}"
SEARCH_LINK = f'<a class="qadocs-search" href="?q=">{words.SEARCH}</a>'  # qadocs.js opens search for either
# Over the list of a question's follow-ups, after its answer.
FOLLOWUPS_TITLE = f'\n<p class="qadocs-followups" data-search-exclude>{words.FOLLOWUPS}</p>\n\n'


@dataclass(slots=True, frozen=True)
class Planned:
    """Everything the planning stages decided, for the renderers to read."""

    sources: list[Source]
    coll: Collection
    places: Places
    assigned: Assigned
    children: Children


def front_matter(meta: PageMeta | Mapping[str, Any]) -> str:
    """YAML front matter block; every string in it is HTML text (see escape.py), so engines that
    put `title` into `<title>`, the nav or the header unescaped show it as written, never run it."""
    data = dict(meta)
    return _FRONT_MATTER.ask(repr(data), lambda: "---\n" + yaml_text(html_meta(data)) + "---\n\n")


# Front matter by the `repr` of its values (text, numbers, lists and mappings of them, whose
# `repr` tells any two apart): `serve` writes only an edited page's again.
_FRONT_MATTER: Memo[str, str] = Memo()


def _number_value(number: str) -> Number:
    return int(number) if number.isdigit() else number or None


def _question_label(q: Question) -> str:
    return f"{q.number}. {q.title}" if q.number else q.title


def _link_list(p: Planned, from_dir: str, questions: list[Question], src: Source, depth: int = 0) -> list[str]:
    """A list of links to `questions`, each with its follow-ups listed under it."""
    lines: list[str] = []
    for q in questions:
        lines.append(f"{'  ' * depth}- [{md_escape(_question_label(q))}](<{_question_url(p, from_dir, q)}>)")
        lines += _link_list(p, from_dir, p.children.followups.get((src.path, q.line), []), src, depth + 1)
    return lines


def _question_url(p: Planned, from_dir: str, q: Question) -> str:
    """Relative URL from `from_dir` to the page that shows `q`."""
    return relative_url(from_dir, posixpath.join(p.assigned.page_of[(q.source, q.line)].dir, "index.md"))


def _actions(p: Planned, from_dir: str, first: Question | None) -> str:
    """The line under an index page's title: a random question of its scope (`first` without
    JavaScript); "" when the scope has no question."""
    if first is None:
        return ""
    return f'\n<p class="qadocs-actions" data-search-exclude markdown>{RANDOM_LINK.format(url=_question_url(p, from_dir, first))}</p>\n'


def _also_in(p: Planned, page_dir: str, q: Question) -> str:
    """The line of a question page naming another place its question is written: that source's
    chapter (or the source) and its number there."""
    src = p.coll.by_path[q.source]
    chapter = None if q.chapter is None else p.places.chapter_dirs[(src.path, q.chapter)]
    target = chapter or p.places.source_dirs[src.path]
    number = words.QUESTION_NUMBER.format(number=md_escape(q.number)) if q.number else ""
    url = relative_url(page_dir, target + "/index.md")
    also = words.ALSO_IN.format(source=md_escape(src.title), number=number, url=url)
    return f'<p class="qadocs-also-in" data-search-exclude markdown>{also}</p>\n\n'


def _rewrite(
    p: Planned, src: Source, page_dir: str, text: str, first_line: int, inner: tuple[InnerAnchor, ...]
) -> tuple[str, Found]:
    """Text of `src` shown on the page in `page_dir`: sub-headings with GitHub's ids, links and
    images resolved; and what resolving them found."""
    resolver = PageLinks(p.coll, src, page_dir)
    return rewrite_kept(resolver, _SHOWN((text, first_line, inner)), first_line), resolver.found


def _shown(key: tuple[str, int, tuple[InnerAnchor, ...]]) -> str:
    text, first_line, inner = key
    return with_heading_ids(as_written(text), first_line, inner)  # as written first: before links are read


# An answer as the page shows it before its links are resolved, kept from generation to generation.
_SHOWN: Memo[tuple[str, int, tuple[InnerAnchor, ...]], str] = Memo(_shown)


def question_file(p: Planned, page: QuestionPage) -> tuple[str, Found]:
    """The page of one question: front matter, title, where it sits, its answer."""
    q = page.question
    src = p.coll.by_path[q.source]
    meta: QuestionMeta = {
        "id": page.id,
        "title": q.title,
        "description": page_description(q.title, q.body, p.coll.opts.site_description),
        "number": _number_value(q.number),
        "source": q.source,
        "source_line": q.line,
        "anchors": list(p.coll.targets.page_anchors[page.dir]),
        "chapter": src.titles(q.chapter),
        "order": page.order,
    }
    if len(page.occurrences) > 1:
        meta["also_in"] = [Occurrence(source=o.source, source_line=o.line) for o in page.occurrences[1:]]
    where = [f"[{md_escape(src.title)}](<{relative_url(page.dir, p.places.source_dirs[src.path] + '/index.md')}>)"]
    if q.chapter is not None:
        ch_dir = p.places.chapter_dirs[(src.path, q.chapter)]
        where.append(f"[{md_escape(src.chapters[q.chapter].title)}](<{relative_url(page.dir, ch_dir + '/index.md')}>)")
    if q.parent is not None:
        parent = src.questions[q.parent]
        meta["follows"] = p.assigned.page_of[(src.path, parent.line)].id
        where.append(f"[{md_escape(parent.title)}](<{_question_url(p, page.dir, parent)}>)")
    body, found = _rewrite(p, src, page.dir, q.body, q.body_line, q.inner)
    number = " · " + words.QUESTION_NUMBER.format(number=md_escape(q.number)) if q.number else ""
    followups = _link_list(p, page.dir, p.children.followups.get((src.path, q.line), []), src)
    return (
        front_matter(meta)
        + f"# {md_escape(q.title)}\n\n"
        + f'<p class="qadocs-where" data-search-exclude markdown>{" › ".join(where)}{number}</p>\n\n'
        + "".join(_also_in(p, page.dir, other) for other in page.occurrences[1:])
        + (body + "\n" if body else "")
        + (FOLLOWUPS_TITLE + "\n".join(followups) + "\n" if followups else "")
    ), found


def with_heading_ids(text: str, first_line: int, inner: tuple[InnerAnchor, ...]) -> str:
    """`text` (whose first line is source line `first_line`) with each heading the splitter found
    in it given its anchor as its id (`### 标题 {#标题}`, read by attr_list): GitHub's for a
    markdown heading, so that a link written for GitHub to a sub-heading of an answer lands on it
    here too; its own `id` for a one-line `<hN id>` heading, which becomes a markdown heading so
    that the page's table of contents lists it like the others. A heading is found by its line
    number (never by its text: the same text may stand in code), and left as written when it
    ends in a `{…}` of its own that cannot be escaped safely."""
    lines = text.split("\n")
    for name, raw, line in inner:
        at = line - first_line
        if not raw or not 0 <= at < len(lines) or lines[at] != raw:
            continue
        atx = md_heading(raw) or _html_heading_parts(raw, name)
        shown = (atx[1] or "") if atx is not None else raw.rstrip()
        if shown.endswith("}"):
            if "`" in shown or ATTR_LIST_END_RE.search(shown):
                continue  # code, or the author's own attr_list: leave the heading alone
            shown = shown.replace("{", "\\{")  # `{a, b}` is text, not attributes
        if shown.endswith("#") and "`" not in shown:
            shown = shown[:-1] + "\\#"  # `C#` keeps its `#`
        lines[at] = f"{'#' * atx[0]} {shown} {{#{name}}}" if atx is not None else f"{shown} {{#{name}}}"
    return "\n".join(lines)


def _html_heading_parts(raw: str, name: str) -> tuple[int, str] | None:
    """(level, inner HTML) of a one-line `<hN …>…</hN>` heading whose id `name` can be written
    `{#name}` (no spaces, no braces), or None: such a heading stays as written."""
    m = HTML_HEADING_RE.match(raw)
    if not m or not m.group(3).strip() or UNWRITABLE_ID_RE.search(name):
        return None
    return int(m.group(1)), m.group(3).strip()


UNWRITABLE_ID_RE = re.compile(r"[\s{}]")  # what attr_list cannot hold in `{#id}`


ATTR_LIST_END_RE = re.compile(r"\{:?\s*[#.][^{}]*\}$")  # `{#id}`, `{.class}`, `{: #id }` closing a heading


def anchor_map(p: Planned, src: Source) -> str | None:
    """`anchors.json` of a source: what `assets/qadocs.js` reads to forward `#<old GitHub anchor>`
    on the source's page to the question's page. A file of its own, outside any page body, so
    content cannot imitate it; None when the source has no anchors."""
    anchors = p.coll.targets.source_anchors.get(src.path)
    if not anchors:
        return None
    page_dir = p.places.source_dirs[src.path]
    return _ANCHOR_MAPS.ask((page_dir, tuple(anchors.items())), lambda: _anchor_map(page_dir, anchors))


def _map_url(page_dir: str, target: str) -> str:
    """A target as `anchors.json` gives it: the page's relative URL (`../dir/`), and for an anchor
    inside it `#` and the name percent-encoded whole, so the URL is ASCII for the script to check."""
    page, _, name = target.partition("#")
    return target_url(page_dir, page) + ("#" + quote(name, safe="") if name else "")


def _anchor_map(page_dir: str, anchors: Mapping[str, str]) -> str:
    exact: dict[str, str] = {}
    loose: dict[str, str | None] = {}
    for form, target in anchors.items():
        url = _map_url(page_dir, target)
        exact.setdefault(clean_fragment(form), url)
        key = loose_key(form)
        if key:
            loose[key] = url if loose.get(key, url) == url else None  # ambiguous keys are dropped
    data = {"exact": exact, "loose": {k: v for k, v in loose.items() if v is not None}}
    return json_for_html(data, sort_keys=True) + "\n"


# anchors.json by the source's page and its anchors (form -> target, in order): one key per source.
_ANCHOR_MAPS: Memo[tuple[str, tuple[tuple[str, str], ...]], str] = Memo()


def _chapter_tree(p: Planned, src: Source, index: int) -> list[int]:
    """A chapter and every chapter inside it, outermost first."""
    found = [index]
    for sub in p.children.chapters.get((src.path, index), []):
        found += _chapter_tree(p, src, sub.index)
    return found


def _scope(p: Planned, src: Source, chapters: list[int]) -> tuple[Question | None, int]:
    """The first question (in source order) of these chapters of `src`, and how many they hold
    (follow-ups included)."""
    own = [p.children.questions.get((src.path, index), []) for index in chapters]
    firsts = [qs[0] for qs in own if qs]
    count = sum(p.children.counts.get((src.path, index), 0) for index in chapters)
    return min(firsts, key=lambda q: q.line, default=None), count


def _count(n: int) -> str:
    return words.COUNT.format(n=n)


def chapter_file(p: Planned, src: Source, ch: Chapter) -> tuple[str, Found]:
    """A chapter's index page: its intro, sub-chapters and questions in source order."""
    ch_dir = p.places.chapter_dirs[(src.path, ch.index)]
    first, count = _scope(p, src, _chapter_tree(p, src, ch.index))
    meta: ChapterMeta = {
        "title": ch.title,
        "kind": "chapter",
        "description": shorten(f"《{src.title}》{ch.title}：{_count(count)}"),
        "source": src.path,
        "source_line": ch.line,
        "chapter": src.titles(ch.index),
    }
    parts = [front_matter(meta) + f"# {md_escape(ch.title)}\n" + _actions(p, ch_dir, first)]
    intro, found = _rewrite(p, src, ch_dir, ch.intro, ch.intro_line, ch.inner)
    if intro:
        parts.append(intro + "\n")
    for sub in p.children.chapters.get((src.path, ch.index), []):
        url = relative_url(ch_dir, p.places.chapter_dirs[(src.path, sub.index)] + "/index.md")
        parts.append(f"- [{md_escape(sub.title)}](<{url}>)")
    own = p.children.questions.get((src.path, ch.index), [])
    if own:
        parts.append("\n".join(_link_list(p, ch_dir, own, src)) + "\n")
    return "\n".join(parts), found


def source_file(p: Planned, src: Source) -> tuple[str, Found]:
    """A source's index page: its intro, chapters and questions, and its legacy-anchor map."""
    src_dir = p.places.source_dirs[src.path]
    meta: SourceMeta = {
        "title": src.title,
        "kind": "source",
        "description": shorten(f"《{src.title}》：{_count(len(src.questions))}"),
        "source": src.path,
        "questions": len(src.questions),
    }
    first = src.questions[0] if src.questions else None
    parts = [front_matter(meta) + f"# {md_escape(src.title)}\n" + _actions(p, src_dir, first)]
    intro, found = _rewrite(p, src, src_dir, src.intro, src.intro_line, src.intro_anchors)
    if intro:
        parts.append(intro + "\n")
    loose = p.children.questions.get((src.path, None), [])
    if loose:
        parts.append("\n".join(_link_list(p, src_dir, loose, src)) + "\n")
    for ch in src.chapters:
        url = relative_url(src_dir, p.places.chapter_dirs[(src.path, ch.index)] + "/index.md")
        depth = "#" * min(6, 2 + len(ch.titles) - 1)
        parts.append(f"{depth} [{md_escape(ch.title)}](<{url}>)\n")
        own = p.children.questions.get((src.path, ch.index), [])
        if own:
            parts.append("\n".join(_link_list(p, src_dir, own, src)) + "\n")
    if not src.questions:
        parts.append(f'<p class="qadocs-empty">{words.EMPTY_SOURCE}</p>\n')
    if p.coll.targets.source_anchors.get(src.path):  # tells assets/qadocs.js to look for anchors.json here
        parts.append('<div class="qadocs-anchors" hidden></div>\n')
    return "\n".join(parts), found


def _section_sources(p: Planned, section: str) -> list[Source]:
    """The sources of a section and of every section inside it, in the order the pages list them."""
    found = list(p.children.sources.get(section, []))
    for sub, _ in p.children.sections.get(section, []):
        found += _section_sources(p, sub)
    return found


def _question_count(p: Planned, sources: list[Source]) -> int:
    """How many question pages show the questions of `sources` (a question in two of them is one)."""
    return len({p.assigned.page_of[(src.path, q.line)].dir for src in sources for q in src.questions})


def _first_question(sources: list[Source]) -> Question | None:
    return next((src.questions[0] for src in sources if src.questions), None)


def _source_item(p: Planned, from_dir: str, src: Source) -> str:
    """A source in a list: its page, its question count and a link to its first question."""
    url = relative_url(from_dir, p.places.source_dirs[src.path] + "/index.md")
    item = f"- [{md_escape(src.title)}](<{url}>)" + words.QUESTIONS_OF.format(n=len(src.questions))
    if src.questions:
        item += f" · [{words.FROM_FIRST}](<{_question_url(p, from_dir, src.questions[0])}>)"
    return item


def section_file(p: Planned, section: str) -> str:
    """A section (content folder) index page: its sub-sections and sources, with their counts."""
    sec_dir = p.places.section_dirs[section]
    title = section.rsplit("/", 1)[-1]
    sources = _section_sources(p, section)
    count = _question_count(p, sources)
    meta: SectionMeta = {
        "title": title,
        "kind": "section",
        "description": shorten(words.SECTION_SUMMARY.format(title=title, files=len(sources), count=_count(count))),
        "section": section,
    }
    lines = [front_matter(meta) + f"# {md_escape(title)}\n" + _actions(p, sec_dir, _first_question(sources))]
    for sub, sub_dir in p.children.sections.get(section, []):
        n = _question_count(p, _section_sources(p, sub))
        name = md_escape(sub.rsplit("/", 1)[-1])
        lines.append(f"- [{name}](<{relative_url(sec_dir, sub_dir + '/index.md')}>)" + words.QUESTIONS_OF.format(n=n))
    lines += [_source_item(p, sec_dir, src) for src in p.children.sources.get(section, [])]
    return "\n".join(lines) + "\n"


def _home_sections(p: Planned, section: str, depth: int) -> list[str]:
    """The home page's part for `section`: its sources, then each section inside it under a
    heading that links to its page and says how many questions it holds."""
    lines = [_source_item(p, "", src) for src in p.children.sources.get(section, [])]
    if lines:
        lines.append("")
    for sub, sub_dir in p.children.sections.get(section, []):
        n = _question_count(p, _section_sources(p, sub))
        name = md_escape(sub.rsplit("/", 1)[-1])
        link = f"[{name}](<{relative_url('', sub_dir + '/index.md')}>)"
        lines.append(f"{'#' * min(6, depth)} {link}{words.QUESTIONS_OF.format(n=n)}\n")
        lines += _home_sections(p, sub, depth + 1)
    return lines


def home_file(p: Planned) -> str:
    """The home page: the counts, a random question, search and the review page, then every
    section and source with its question count and a link to its first question."""
    meta: HomeMeta = {"title": words.HOME, "kind": "home"}
    sections = words.HOME_SECTIONS.format(n=len(p.places.section_dirs)) if p.places.section_dirs else ""
    actions = [SEARCH_LINK] if p.coll.opts.search else []
    actions.append(f"[{words.REVIEW}](<{REVIEW_PAGE}>)")
    if p.assigned.pages:
        first = posixpath.join(p.assigned.pages[0].dir, "index.md")
        actions.insert(0, RANDOM_LINK.format(url=relative_url("", first)))
    lines = [
        front_matter(meta) + f"# {words.HOME_TITLE}\n",
        '<p class="qadocs-summary" data-search-exclude>'
        + words.HOME_SUMMARY.format(pages=len(p.assigned.pages), files=len(p.sources), sections=sections)
        + "</p>\n",
        f'<p class="qadocs-actions" data-search-exclude markdown>{" · ".join(actions)}</p>\n',
        *_home_sections(p, "", 2),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def review_file() -> str:
    """The 待复习 page: what the reader marked on question pages, listed by assets/qadocs.js from
    the browser's storage and questions.json into the empty `.qadocs-review` container."""
    meta: ReviewMeta = {"title": words.REVIEW, "kind": "review", "description": words.REVIEW_DESCRIPTION}
    return (
        front_matter(meta)
        + f"# {words.REVIEW}\n\n"
        + words.REVIEW_INTRO
        + "\n\n"
        + '<div class="qadocs-review"></div>\n\n'
        + f'<p class="qadocs-nojs">{words.REVIEW_NO_SCRIPT}</p>\n'
    )


def _source_nav(p: Planned, src: Source) -> list[Any]:
    """A source's nav node: its page, then its chapters (nested) and questions."""
    src_node: list[Any] = [p.places.source_dirs[src.path] + "/index.md"]
    chapter_nodes: dict[int, list[Any]] = {}
    for ch in src.chapters:
        node: list[Any] = [p.places.chapter_dirs[(src.path, ch.index)] + "/index.md"]
        parent = src_node if ch.parent is None else chapter_nodes[ch.parent]
        parent.append({html_text(ch.title): node})
        chapter_nodes[ch.index] = node
    question_nodes: dict[int, list[Any]] = {}  # a question with follow-ups: its node
    for k, q in enumerate(src.questions):
        page = p.assigned.page_of[(src.path, q.line)]
        if page.question is not q:
            continue  # the page sits in the nav where its first occurrence is
        if q.parent is not None and q.parent in question_nodes:
            parent = question_nodes[q.parent]
        else:
            parent = src_node if q.chapter is None else chapter_nodes[q.chapter]
        if (src.path, q.line) in p.children.followups:
            question_nodes[k] = [page.dir + "/index.md"]
            parent.append({html_text(_question_label(q)): question_nodes[k]})
        else:
            parent.append({html_text(_question_label(q)): page.dir + "/index.md"})
    return src_node


def nav_tree(p: Planned) -> list[Any]:
    """MkDocs nav: the home and review pages, then section → source → chapter → question, in
    source order; titles are HTML text."""
    nav: list[Any] = [{words.HOME: "index.md"}, {words.REVIEW: REVIEW_PAGE}]
    section_nodes: dict[str, list[Any]] = {"": nav}

    def section_node(section: str) -> list[Any]:
        if section not in section_nodes:
            head = section.rpartition("/")[0]
            node: list[Any] = [p.places.section_dirs[section] + "/index.md"]
            section_node(head).append({html_text(section.rsplit("/", 1)[-1]): node})
            section_nodes[section] = node
        return section_nodes[section]

    for src in p.sources:
        section_node(src.placed_section).append({html_text(src.title): _source_nav(p, src)})
    return nav


# Redirect and deleted-question pages are no MkDocs pages: they carry their own small style, in
# the site's colours (Material's defaults, its dark scheme when the system asks for one). The page is
# templates/qadocs-redirect.html, a `string.Template` (`${name}` fields), not a Jinja one.
REDIRECT_HTML = string.Template(
    resources.files("qadocs").joinpath("templates", "qadocs-redirect.html").read_text(encoding="utf-8")
)
SENTENCE_END_RE = re.compile(r"[？?！!。.…][\s\"'”’」』）)》】]*\Z")  # a sentence mark, then closing quotes or brackets


def as_sentence(text: str) -> str:
    """`text` ending a sentence: "。" added unless it ends in a sentence mark already (behind any
    closing quotes and brackets), so that a title `…吗？` never reads `…吗？。`."""
    text = text.rstrip()
    return text if SENTENCE_END_RE.search(text) else text + "。"


def _redirect_html(from_dir: str, to_dir: str, title: str, notice: str, link: str, delay: int) -> str:
    url = relative_url(from_dir, to_dir or ".") + "/"
    esc = html_escape
    return REDIRECT_HTML.substitute(
        title=esc(title),
        delay=delay,
        url=esc(url),
        url_js=json.dumps(url),
        delay_ms=delay * 1000,
        notice=esc(notice),
        link=esc(link),
    )


def _index_titles(p: Planned) -> dict[str, str]:
    """The title of every index page by its dir (the home page's dir is '')."""
    titles = {d: section.rsplit("/", 1)[-1] for section, d in p.places.section_dirs.items()}
    for src in p.sources:
        titles[p.places.source_dirs[src.path]] = src.title
        titles.update({p.places.chapter_dirs[(src.path, ch.index)]: ch.title for ch in src.chapters})
    titles[""] = words.HOME
    return titles


def index_redirect_files(p: Planned) -> dict[str, str]:
    """Static pages at the former URLs of sections, sources and chapters. Each forwards with the
    URL's fragment (the template adds `location.hash`), so an old GitHub anchor on a source's
    former URL reaches its page, whose anchors.json forwards it on."""
    titles = _index_titles(p)
    files: dict[str, str] = {}
    for old, target in p.places.page_redirects.items():
        title = titles.get(target, words.HOME)
        notice = as_sentence(words.PAGE_MOVED.format(title=title))
        files[old + "/index.html"] = _redirect_html(old, target, title, notice, words.MOVED_LINK, 0)
    return files


def _source_now(p: Planned, source: str) -> str:
    """The dir of `source`'s page, or of the page its former page forwards to when it is gone (its
    questions' new file, else its section), else of its folder's nearest section ("": home)."""
    if source in p.places.source_dirs:
        return p.places.source_dirs[source]
    if source in p.places.gone_sources:
        return p.places.gone_sources[source]
    folder = posixpath.dirname(source)
    while folder and folder not in p.places.section_dirs:
        folder = posixpath.dirname(folder)
    return p.places.section_dirs.get(folder, "")


def redirect_files(p: Planned) -> dict[str, str]:
    """Static pages at every former URL: moved questions forward, deleted ones explain and go to their chapter."""
    files: dict[str, str] = index_redirect_files(p)
    for page in p.assigned.pages:
        for old in p.assigned.entries[page.dir].old_urls:
            files[old + "/index.html"] = _redirect_html(
                old,
                page.dir,
                page.question.title,
                as_sentence(words.MOVED.format(title=page.question.title)),
                words.MOVED_LINK,
                0,
            )
    chapters = {
        (src.path, ch.title): p.places.chapter_dirs[(src.path, ch.index)] for src in p.sources for ch in src.chapters
    }
    for entry in p.assigned.deleted:
        target = chapters.get((entry.source, entry.chapter or "")) or _source_now(p, entry.source)
        for old in entry.all_urls():
            files[old + "/index.html"] = _redirect_html(
                old,
                target,
                entry.title,
                as_sentence(words.DELETED.format(title=entry.title)) + words.DELETED_GOING,
                words.DELETED_LINK,
                3,
            )
    return files


def questions_json(p: Planned) -> list[QuestionEntry]:
    """The entries of questions.json, one per question page."""
    base = p.coll.opts.base_url.rstrip("/") + "/"
    entries: list[QuestionEntry] = []
    for page in p.assigned.pages:
        q = page.question
        src = p.coll.by_path[q.source]
        entry: QuestionEntry = {
            "id": page.id,
            "title": q.title,
            "url": base + page.dir + "/",
            "number": _number_value(q.number),
            "source": q.source,
            "source_url": base + p.places.source_dirs[q.source] + "/",
            "source_line": q.line,
            "chapter": src.titles(q.chapter),
            "anchors": list(p.coll.targets.page_anchors[page.dir]),
        }
        if q.parent is not None:
            entry["follows"] = p.assigned.page_of[(q.source, src.questions[q.parent].line)].id
        entries.append(entry)
    return entries
