"""Render the generated files: question, chapter, source, section and home pages, nav,
questions.json, redirect pages and the legacy-anchor map. Pure functions of the `Site`.
"""

from __future__ import annotations

import json
import posixpath
import re
from html import escape as html_escape
from typing import Any

import yaml

from .anchors import clean_fragment, loose_key
from .escape import html_meta, html_text, json_for_html, md_escape
from .model import Chapter, Question, Source
from .registry import SAFE_DUMPER
from .resolve import relative_url
from .site import PageResolver, QuestionPage, Site, target_url
from .split import md_heading

ANCHORS_JSON = "anchors.json"  # beside each source's index page: old GitHub anchor -> question page


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter block; every string in it is HTML text (see escape.py), so engines that
    put `title` into `<title>`, the nav or the header unescaped show it as written, never run it."""
    text = yaml.dump(html_meta(meta), Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)
    return "---\n" + text + "---\n\n"


def _number_value(number: str) -> int | str | None:
    return int(number) if number.isdigit() else number or None


def _titles(site: Site, src: Source, chapter: int | None) -> list[str]:
    titles = [part for part in src.section.split("/") if part] + [src.title]
    if chapter is not None:
        titles += list(src.chapters[chapter].titles)
    return titles


def _question_label(q: Question) -> str:
    return f"{q.number}. {q.title}" if q.number else q.title


def _link_list(site: Site, from_dir: str, questions: list[Question], src: Source) -> list[str]:
    lines = []
    for q in questions:
        page = site.page_of[(src.path, q.line)]
        url = relative_url(from_dir, posixpath.join(page.dir, "index.md"))
        lines.append(f"- [{md_escape(_question_label(q))}](<{url}>)")
    return lines


def question_file(site: Site, page: QuestionPage) -> str:
    """The page of one question: front matter, title, where it sits, its answer."""
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
    body = PageResolver(site, src, page.dir).rewrite(with_heading_ids(q.body, q.body_line, q.inner), q.body_line)
    number = f" · 第 {md_escape(q.number)} 题" if q.number else ""
    return (front_matter(meta) + f"# {md_escape(q.title)}\n\n"
            + f'<p class="qadocs-where" markdown>{" › ".join(where)}{number}</p>\n\n'
            + (body + "\n" if body else ""))


def with_heading_ids(text: str, first_line: int, inner: tuple[tuple[str, str, int], ...]) -> str:
    """`text` (whose first line is source line `first_line`) with each markdown heading the
    splitter found in it given GitHub's anchor as its id (`### 标题 {#标题}`, read by attr_list), so
    that a link written for GitHub to a sub-heading of an answer lands on it here too. A heading
    is found by its line number (never by its text: the same text may stand in code), and left
    as written when it ends in a `{…}` of its own that cannot be escaped safely."""
    lines = text.split("\n")
    for name, raw, line in inner:
        at = line - first_line
        if not raw or not 0 <= at < len(lines) or lines[at] != raw:
            continue
        atx = md_heading(raw)
        shown = (atx[1] or "") if atx is not None else raw.rstrip()
        if shown.endswith("}"):
            if "`" in shown or ATTR_LIST_END_RE.search(shown):
                continue  # code, or the author's own attr_list: leave the heading alone
            shown = shown.replace("{", "\\{")  # `{a, b}` is text, not attributes
        if shown.endswith("#") and "`" not in shown:
            shown = shown[:-1] + "\\#"  # `C#` keeps its `#`
        lines[at] = f"{'#' * atx[0]} {shown} {{#{name}}}" if atx is not None else f"{shown} {{#{name}}}"
    return "\n".join(lines)


ATTR_LIST_END_RE = re.compile(r"\{:?\s*[#.][^{}]*\}$")  # `{#id}`, `{.class}`, `{: #id }` closing a heading


def anchor_map(site: Site, src: Source) -> str | None:
    """`anchors.json` of a source: what `assets/qadocs.js` reads to forward `#<old GitHub anchor>`
    on the source's page to the question's page. A file of its own, outside any page body, so
    content cannot imitate it; None when the source has no anchors."""
    anchors = site.source_anchors.get(src.path)
    if not anchors:
        return None
    page_dir = site.source_dirs[src.path]
    exact: dict[str, str] = {}
    loose: dict[str, str | None] = {}
    for form, target in anchors.items():
        url = target_url(page_dir, target)
        exact.setdefault(clean_fragment(form), url)
        key = loose_key(form)
        if key:
            loose[key] = url if loose.get(key, url) == url else None  # ambiguous keys are dropped
    data = {"exact": exact, "loose": {k: v for k, v in loose.items() if v is not None}}
    return json_for_html(data, sort_keys=True) + "\n"


def chapter_file(site: Site, src: Source, ch: Chapter) -> str:
    """A chapter's index page: its intro, sub-chapters and questions in source order."""
    ch_dir = site.chapter_dirs[(src.path, ch.index)]
    meta = {"title": ch.title, "kind": "chapter", "source": src.path, "source_line": ch.line,
            "chapter": _titles(site, src, ch.index)}
    parts = [front_matter(meta) + f"# {md_escape(ch.title)}\n"]
    intro = PageResolver(site, src, ch_dir).rewrite(with_heading_ids(ch.intro, ch.intro_line, ch.inner), ch.intro_line)
    if intro:
        parts.append(intro + "\n")
    children = site.children
    for sub in children.chapters.get((src.path, ch.index), []):
        url = relative_url(ch_dir, site.chapter_dirs[(src.path, sub.index)] + "/index.md")
        parts.append(f"- [{md_escape(sub.title)}](<{url}>)")
    own = children.questions.get((src.path, ch.index), [])
    if own:
        parts.append("\n".join(_link_list(site, ch_dir, own, src)) + "\n")
    return "\n".join(parts)


def source_file(site: Site, src: Source) -> str:
    """A source's index page: its intro, chapters and questions, and its legacy-anchor map."""
    src_dir = site.source_dirs[src.path]
    meta = {"title": src.title, "kind": "source", "source": src.path,
            "questions": len(src.questions)}
    parts = [front_matter(meta) + f"# {md_escape(src.title)}\n"]
    intro = PageResolver(site, src, src_dir).rewrite(with_heading_ids(src.intro, src.intro_line, src.intro_anchors), src.intro_line)
    if intro:
        parts.append(intro + "\n")
    children = site.children
    loose = children.questions.get((src.path, None), [])
    if loose:
        parts.append("\n".join(_link_list(site, src_dir, loose, src)) + "\n")
    for ch in src.chapters:
        url = relative_url(src_dir, site.chapter_dirs[(src.path, ch.index)] + "/index.md")
        depth = "#" * min(6, 2 + len(ch.titles) - 1)
        parts.append(f"{depth} [{md_escape(ch.title)}](<{url}>)\n")
        own = children.questions.get((src.path, ch.index), [])
        if own:
            parts.append("\n".join(_link_list(site, src_dir, own, src)) + "\n")
    if not src.questions:
        parts.append('<p class="qadocs-empty">这个文件里没有题目。</p>\n')
    if site.source_anchors.get(src.path):  # tells assets/qadocs.js to look for anchors.json here
        parts.append('<div class="qadocs-anchors" hidden></div>\n')
    return "\n".join(parts)


def section_file(site: Site, section: str) -> str:
    """A section (content folder) index page: its sub-sections and sources."""
    sec_dir = site.section_dirs[section]
    title = section.rsplit("/", 1)[-1]
    lines = [front_matter({"title": title, "kind": "section", "section": section}) + f"# {md_escape(title)}\n"]
    children = site.children
    for sub, sub_dir in children.sections.get(section, []):
        lines.append(f"- [{md_escape(sub.rsplit('/', 1)[-1])}](<{relative_url(sec_dir, sub_dir + '/index.md')}>)")
    for src in children.sources.get(section, []):
        url = relative_url(sec_dir, site.source_dirs[src.path] + "/index.md")
        lines.append(f"- [{md_escape(src.title)}](<{url}>)（{len(src.questions)} 题）")
    return "\n".join(lines) + "\n"


def home_file(site: Site) -> str:
    """The home page: every source with its question count."""
    lines = [front_matter({"title": "首页", "kind": "home"}) + "# 题库目录\n",
             f"共 {len(site.sources)} 个文件，{len(site.pages)} 道题。按章节浏览，或用右上角的搜索。\n"]
    for src in site.sources:
        url = relative_url("", site.source_dirs[src.path] + "/index.md")
        label = f"{src.section} / {src.title}" if src.section else src.title
        lines.append(f"- [{md_escape(label)}](<{url}>)（{len(src.questions)} 题）")
    return "\n".join(lines) + "\n"


def nav_tree(site: Site) -> list[Any]:
    """MkDocs nav: section → source → chapter → question, in source order; titles are HTML text."""
    nav: list[Any] = [{"首页": "index.md"}]
    section_nodes: dict[str, list[Any]] = {"": nav}

    def section_node(section: str) -> list[Any]:
        if section not in section_nodes:
            head = section.rpartition("/")[0]
            node: list[Any] = [site.section_dirs[section] + "/index.md"]
            section_node(head).append({html_text(section.rsplit("/", 1)[-1]): node})
            section_nodes[section] = node
        return section_nodes[section]

    for src in site.sources:
        src_node: list[Any] = [site.source_dirs[src.path] + "/index.md"]
        section_node(src.section).append({html_text(src.title): src_node})
        chapter_nodes: dict[int, list[Any]] = {}
        for ch in src.chapters:
            node: list[Any] = [site.chapter_dirs[(src.path, ch.index)] + "/index.md"]
            parent = src_node if ch.parent is None else chapter_nodes[ch.parent]
            parent.append({html_text(ch.title): node})
            chapter_nodes[ch.index] = node
        for q in src.questions:
            page = site.page_of[(src.path, q.line)]
            if page.question is not q:
                continue  # the page sits in the nav where its first occurrence is
            parent = src_node if q.chapter is None else chapter_nodes[q.chapter]
            parent.append({html_text(_question_label(q)): page.dir + "/index.md"})
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


def redirect_files(site: Site) -> dict[str, str]:
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


def questions_json(site: Site) -> list[dict[str, Any]]:
    """The entries of questions.json, one per question page."""
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
