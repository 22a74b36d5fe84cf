"""Split one source file into its table of contents, chapters and questions.

The outline (`qadocs.outline`: headings as GitHub reads them) decides; the README's "How a
source is read" says the same for authors. Every heading gets one role: the source's title, a
chapter (an index page), a question (a page of its own) or text of the page above.

* Title: a lone leading `# X`, with only blank lines, front matter, a `[TOC]` marker or the
  table of contents before it.
* Table of contents: a heading (or a line) titled 目录/Contents/TOC and the link lines after
  it; without one, a run of two or more `#` link lines before the first heading after the title.
  Its links are kept to resolve legacy anchors; its lines make no page.
* Layout: a source may say which heading level holds its questions, or that it is one page
  (its front matter `qadocs: {questions: 3}` / `{questions: page}`, or the `layout` option).
* HTML-id files: numbered `<h1|h2|h3 id=…>` headings are the questions; such a heading is a
  *section* when the next one is deeper and restarts the numbering (0 or 1) or follows with
  nothing but blank lines between; markdown headings at or above the questions' level are
  chapters, deeper ones are answer text.
* Otherwise the outline tree decides (see `_roles`): dotted numbers of several depths put the
  questions at the shallowest depth that is mostly not a group of deeper numbers; a heading
  titled like a chapter (第三章, 基础篇, Part 2) is a chapter; a heading with sub-headings and no
  text of its own is a topic; a heading with text of its own is a question, its sub-headings
  parts of the answer (unless they look like questions); an empty heading among questions is
  a placeholder, text of the page above. A file without two question-like headings (numbered,
  or ending in ？/?) has no questions.
* Everything between two structural headings belongs to the one above it; text before the
  first is the source's intro.
"""

from __future__ import annotations

import bisect
import fnmatch
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from .lex import anchor_names, code_spans, inline_refs, is_link_line, md_heading, split_target
from .model import Chapter, Diagnostic, Question, Severity, Source, TocLink
from .outline import (
    Heading,
    Number,
    Outline,
    github_slugs,
    html_heading,
    html_text,
    parse_number,
    read_outline,
)
from .urls import is_external

__all__ = ["Layout", "layout_for", "layout_value", "md_heading", "split_number", "split_source"]

Layout = int | Literal["page"] | None
Role = Literal["title", "chapter", "question", "text"]

CHAPTER_TITLE_RE = re.compile(
    r"^\s*(第\s*[0-9一二三四五六七八九十百零〇两]{1,6}\s*(?:[章部篇节節卷編编讲講]|部分|单元|單元)|"
    r"(?:part|chapter|section|unit|lecture)\s+[0-9ivxlc]+\b)|篇\s*$",
    re.IGNORECASE,
)
TOC_TITLE_RE = re.compile(r"^(目录|目錄|table of contents|contents|toc)$", re.IGNORECASE)
QUESTION_END_RE = re.compile(r"[？?][\s*_`:：]*$")
LINK_TOC_MIN = 2  # link lines that make a table of contents without a title
TOC_TITLE_MAX = 40  # characters: a line longer than this is no `目录` title
QUESTIONS_MIN = 2  # question-like or numbered headings that show a file is questions and answers
UNFOUND_QUESTIONS_MIN = 3  # headings ending in ？ in a one-page file that make `no-questions-found`
HTML_QUESTION_LEVEL_MAX = 3  # `<h1>`…`<h3>` with an id can be questions (the HTML-id style)
SWALLOWED_SHOWN = 5  # headings an unclosed fence swallows that its message names


def split_number(text: str) -> tuple[str | None, str]:
    """Split `5.什么是扩散模型？` into ('5', '什么是扩散模型？'); (None, text) if unnumbered."""
    number, title, _ = parse_number(text)
    return (number.text, title) if number is not None else (None, text)


def question_like(h: Heading) -> bool:
    """A heading that reads like a question: it ends in ？ or ?."""
    return bool(QUESTION_END_RE.search(h.text))


def chapter_like(h: Heading) -> bool:
    """A heading titled like a chapter: 第三章, 第一部分, Part 2, anything ending in 篇."""
    return bool(CHAPTER_TITLE_RE.search(h.text))


# -- table of contents ---------------------------------------------------------------------------
def _is_toc_title(text: str) -> bool:
    return bool(TOC_TITLE_RE.match(re.sub(r"[\s:：#*_]+", "", text).lower()))


def _toc_links(line: str) -> list[tuple[str, str]]:
    """(text, target) of the links on a TOC line; a lone link may hold spaces or odd parentheses.
    An image counts as one: a line that holds one is no list of anchors."""
    if not is_link_line(line):
        return []
    found = [
        (line[r.text[0] : r.text[1]], split_target(line[r.target[0] : r.target[1]]))
        for r in inline_refs(line, code_spans(line))
        if r.kind in ("link", "image")
    ]
    if len(found) <= 1:  # one link: take everything between `](` and the last `)`
        body = line.strip()
        start = body.find("[")
        mid = body.find("](", start)
        if start < 0 or mid < 0:
            return []
        found = [(body[start + 1 : mid], body[mid + 2 : body.rfind(")")].strip())]
    return found


def _is_internal_link_line(line: str, anchors_only: bool = False) -> bool:
    targets = [t for _, t in _toc_links(line)]
    if anchors_only:
        return bool(targets) and all(t.startswith("#") for t in targets)
    return bool(targets) and not any(is_external(t) for t in targets)


def _toc_run(lines: list[str], start: int, heading_at: set[int], anchors_only: bool) -> tuple[set[int], list[TocLink]]:
    """The TOC lines from `start` on: blank lines, link lines, and headings followed by links."""
    region: set[int] = set()
    links: list[TocLink] = []
    n = len(lines)
    i = start
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if _is_internal_link_line(line, anchors_only):
            region.add(i)
            links.extend(TocLink(html_text(text), target, i + 1) for text, target in _toc_links(line))
            i += 1
            continue
        if i in heading_at:
            j = i + 1
            while j < n and not lines[j].strip():
                j += 1
            if j < n and _is_internal_link_line(lines[j], anchors_only):
                region.add(i)
                i += 1
                continue
        break
    return region, links


def _find_toc(lines: list[str], outline: Outline, skip: set[int]) -> tuple[set[int], list[TocLink]]:
    """The 0-based lines of the table of contents, and its links."""
    heading_at = {h.index for h in outline.headings}
    start = next((h.index for h in outline.headings if _is_toc_title(h.text)), None)
    if start is None:  # a TOC titled by a plain line (`**目录**`) before the first heading
        first = min(heading_at, default=len(lines))
        start = next(
            (
                i
                for i in range(first)
                if i not in outline.code
                and lines[i].strip()
                and len(lines[i]) < TOC_TITLE_MAX
                and _is_toc_title(html_text(lines[i]))
            ),
            None,
        )
    if start is not None:
        region, links = _toc_run(lines, start + 1, heading_at, False)
        return region | {start}, links
    # No title: a run of `#` links before the first heading that is not the source's title.
    headings = [h for h in outline.headings if h.index not in skip]
    if headings and headings[0].kind == "md" and headings[0].level == 1:
        headings = headings[1:]
    stop = headings[0].index if headings else len(lines)
    first_link = next(
        (i for i in range(stop) if i not in outline.code and i not in skip and _is_internal_link_line(lines[i], True)),
        None,
    )
    if first_link is None:
        return set(), []
    region, links = _toc_run(lines, first_link, heading_at, True)
    if len([i for i in region if i not in heading_at]) < LINK_TOC_MIN:
        return set(), []
    return region, links


# -- roles -----------------------------------------------------------------------------------
@dataclass(slots=True)
class _Node:
    """A heading in the outline tree: its parent, its sub-headings, whether text stands under it."""

    h: Heading
    parent: int | None = None
    kids: list[int] = field(default_factory=list)
    own: bool = False  # non-blank lines between it and the next heading


def _tree(headings: list[Heading], lines: list[str], skip: set[int]) -> list[_Node]:
    nodes = [_Node(h) for h in headings]
    stack: list[int] = []
    for i, node in enumerate(nodes):
        while stack and nodes[stack[-1]].h.level >= node.h.level:
            stack.pop()
        if stack:
            node.parent = stack[-1]
            nodes[stack[-1]].kids.append(i)
        stack.append(i)
        stop = headings[i + 1].index if i + 1 < len(headings) else len(lines)
        node.own = any(lines[k].strip() for k in range(node.h.last + 1, stop) if k not in skip)
    return nodes


def _continues(prev: Number | None, nxt: Number | None) -> bool:
    """True when `nxt` is the number right after `prev` (4 → 5, 3.1.2 → 3.1.3)."""
    if prev is None or nxt is None or prev.scheme != nxt.scheme or prev.depth != nxt.depth:
        return False
    return prev.parts[:-1] == nxt.parts[:-1] and nxt.parts[-1] == prev.parts[-1] + 1


def _restarts(prev: Number | None, nxt: Number | None) -> bool:
    """True when the numbering starts over at `nxt` (at 0 or 1, or lower than before)."""
    if nxt is None:
        return False
    return nxt.parts[-1] <= 1 or (prev is not None and prev.scheme == nxt.scheme and nxt.parts <= prev.parts)


def _question_depth(nodes: list[_Node]) -> int | None:
    """For dotted numbering of several depths: the shallowest depth whose headings are mostly not
    groups of deeper numbers; None when the file has one depth only. A heading is such a group
    when deeper numbers stand under it and it has no text of its own, or one of them asks a
    question (a section's intro; an answer's parts, `3.1 原理`, do not ask)."""
    arabic = [n for n in nodes if n.h.number is not None and n.h.number.scheme == "arabic"]
    depths = sorted({n.h.number.depth for n in arabic if n.h.number is not None})
    if len(depths) < 2 or depths[-1] < 2:
        return None
    for d in depths:
        at = [n for n in arabic if n.h.number is not None and n.h.number.depth == d]
        groups = 0
        for n in at:
            deeper = [nodes[k] for k in n.kids if _dotted_deeper(nodes[k].h.number, d)]
            if deeper and (not n.own or any(question_like(k.h) for k in deeper)):
                groups += 1
        if 2 * groups <= len(at):
            return d
    return depths[-1]


def _dotted_deeper(number: Number | None, depth: int) -> bool:
    return number is not None and number.scheme == "arabic" and number.depth > depth


@dataclass(slots=True)
class _Siblings:
    """What the rules ask about a heading's siblings, counted once per sibling list (so that a
    file of 100,000 sibling questions is decided in linear time)."""

    answering: list[bool]  # text of its own, and sub-headings that mostly do not ask
    numbered: list[bool]
    before: list[Number | None]  # the number of the last numbered sibling before each
    after: list[Number | None]  # the number of the first numbered sibling after each
    n_answering: int = 0
    n_numbered: int = 0

    def __post_init__(self) -> None:
        self.n_answering, self.n_numbered = sum(self.answering), sum(self.numbered)

    def mostly_answering(self, pos: int) -> bool:
        """More than half of the other siblings have the shape of a question."""
        others = len(self.answering) - 1
        return others > 0 and 2 * (self.n_answering - self.answering[pos]) > others

    def mostly_numbered(self, pos: int) -> bool:
        """More than half of the other siblings are numbered."""
        others = len(self.numbered) - 1
        return others > 0 and 2 * (self.n_numbered - self.numbered[pos]) > others


@dataclass(slots=True)
class _Decider:
    """Decides the role of each heading of the outline tree, from the top down."""

    nodes: list[_Node]
    depth: int | None
    roles: dict[int, Role] = field(default_factory=dict)
    placeholders: list[int] = field(default_factory=list)
    unnumbered: list[int] = field(default_factory=list)  # questions without number among numbered ones

    def visit(self, siblings: list[int]) -> None:
        ctx = self._siblings(siblings)
        asked = False  # a question among the siblings so far
        for pos, i in enumerate(siblings):
            role = self.role(i, ctx, pos, asked, last=pos + 1 == len(siblings))
            self.roles[i] = role
            asked = asked or role == "question"
            if role == "chapter":
                self.visit(self.nodes[i].kids)
            else:
                self._text_below(i)

    def _siblings(self, siblings: list[int]) -> _Siblings:
        nodes = [self.nodes[i] for i in siblings]
        numbers = [n.h.number for n in nodes]
        before: list[Number | None] = []
        last: Number | None = None
        for number in numbers:
            before.append(last)
            last = number or last
        after: list[Number | None] = []
        last = None
        for number in reversed(numbers):
            after.append(last)
            last = number or last
        after.reverse()
        answering = [n.own and 2 * self._asking(n) <= len(n.kids) for n in nodes]
        return _Siblings(answering, [x is not None for x in numbers], before, after)

    def _text_below(self, i: int) -> None:
        for k in self.nodes[i].kids:
            self.roles[k] = "text"
            self._text_below(k)

    def role(self, i: int, ctx: _Siblings, pos: int, asked: bool, last: bool) -> Role:
        node = self.nodes[i]
        h, number = node.h, node.h.number
        if number is not None and number.scheme == "arabic" and self.depth is not None:
            if number.depth < self.depth:
                return "chapter"
            if number.depth == self.depth:
                return "question"
        if chapter_like(h):
            return "chapter"
        if node.kids:
            asking = self._asking(node)
            if node.own:
                return "chapter" if 2 * asking > len(node.kids) else "question"
            return "question" if asking == 0 and ctx.mostly_answering(pos) else "chapter"
        numbered = ctx.mostly_numbered(pos)
        restarts = ctx.after[pos] is not None and (
            ctx.before[pos] is None or _restarts(ctx.before[pos], ctx.after[pos])
        )
        if number is None and numbered and restarts:
            return "chapter"
        if node.own or question_like(h) or (number is not None and numbered):
            if number is None and numbered and node.own:
                self.unnumbered.append(i)
            return "question"
        if not last and not asked:
            return "chapter"  # an empty heading before the questions it stands over
        self.placeholders.append(i)
        return "text"

    def _asking(self, node: _Node) -> int:
        """How many sub-headings of `node` look like questions."""
        return sum(question_like(self.nodes[k].h) for k in node.kids)


def _has_questions(headings: list[Heading]) -> bool:
    """Evidence that a file is questions and answers: two question-like or numbered headings."""
    return sum(question_like(h) or h.number is not None for h in headings) >= QUESTIONS_MIN


# -- the HTML-id rule (the seeds' style) ------------------------------------------------------------
def _mark_sections(questions: list[Heading], lines: list[str]) -> set[int]:
    """Numbered headings that group deeper numbered headings (see the module rules)."""
    sections: set[int] = set()
    for cur, nxt in itertools.pairwise(questions):
        if nxt.level <= cur.level:
            continue
        assert nxt.number is not None
        blank_between = all(not lines[k].strip() for k in range(cur.index + 1, nxt.index))
        if nxt.number.parts[0] <= 1 or blank_between:
            sections.add(cur.index)
    return sections


def _html_roles(headings: list[Heading], nodes: list[_Node], lines: list[str]) -> _Decider | None:
    """Roles for a file whose questions are numbered `<h1|h2|h3 id>` headings; None for other files."""
    numbered = [
        h
        for h in headings
        if h.kind == "html"
        and h.level <= HTML_QUESTION_LEVEL_MAX
        and h.anchor is not None
        and h.number is not None
        and h.number.scheme == "arabic"
    ]
    if not numbered:
        return None
    sections = _mark_sections(numbered, lines)
    questions = {h.index for h in numbered if h.index not in sections}
    q_level = min(h.level for h in numbered if h.index in questions)
    decided = _Decider(nodes, None)
    last_question: Heading | None = None
    for pos, node in enumerate(nodes):
        h = node.h
        nxt = nodes[pos + 1].h if pos + 1 < len(nodes) else None
        if h.index in questions:
            decided.roles[pos] = "question"
            last_question = h
        elif h.index in sections:
            decided.roles[pos] = "chapter"
        elif _lost_number(node, nxt, q_level, questions):
            decided.roles[pos] = "question"
            decided.unnumbered.append(pos)
        elif h.level <= q_level and (h.kind == "md" or h.anchor is not None):
            decided.roles[pos] = "chapter"
            if _placeholder(node, last_question, nxt, questions):
                decided.roles[pos] = "text"
                decided.placeholders.append(pos)
        else:
            decided.roles[pos] = "text"
    return decided


def _lost_number(node: _Node, nxt: Heading | None, q_level: int, questions: set[int]) -> bool:
    """An unnumbered `<hN id>` at the questions' level, with an answer under it, is a question
    whose number was forgotten; one titled like a chapter (第一部分, Part 2), numbered in another
    scheme (一、), or followed directly by a question is a chapter."""
    h = node.h
    if h.kind != "html" or h.anchor is None or h.number is not None or h.level != q_level or chapter_like(h):
        return False
    return node.own or nxt is None or nxt.index not in questions


def _placeholder(node: _Node, before: Heading | None, after: Heading | None, questions: set[int]) -> bool:
    """An empty unnumbered markdown heading between two questions (`before` it, right `after` it)
    whose numbering runs on across it. (An HTML heading given an id stays a chapter: the id was
    written to be linked to.)"""
    h = node.h
    if h.kind != "md" or h.number is not None or node.own or chapter_like(h):
        return False
    return (
        before is not None
        and after is not None
        and after.index in questions
        and _continues(before.number, after.number)
    )


# -- layout ---------------------------------------------------------------------------------
def layout_value(value: object) -> Layout | None:
    """A layout as written (a heading level 1 to 6, or "page"), or None when it is not one."""
    if value == "page":
        return "page"
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 6:
        return value
    return None


def layout_for(path: str, rules: Iterable[tuple[str, Layout]]) -> Layout:
    """The layout of the first rule whose glob matches `path` (`*` matches across folders)."""
    return next((layout for glob, layout in rules if fnmatch.fnmatchcase(path, glob)), None)


def _layout(meta: dict[str, object], given: Layout, path: str) -> tuple[Layout, list[Diagnostic]]:
    """The layout a source asks for in its front matter (`qadocs: {questions: N|page}`), else `given`;
    with a diagnostic when the front matter says something else."""
    own = meta.get("qadocs")
    if own is None:
        return given, []
    value = layout_value(own.get("questions") if isinstance(own, dict) else None)
    if value is not None:
        return value, []
    return given, [
        Diagnostic(
            path,
            1,
            "warning",
            "layout-invalid",
            f"front matter `qadocs: {own!r}` is not understood; write `qadocs: {{questions: 3}}` "
            "(the heading level of the questions, 1 to 6) or `qadocs: {questions: page}`; ignored",
        )
    ]


def _level_roles(nodes: list[_Node], level: int) -> _Decider:
    """Roles when the layout names the questions' level: shallower headings are chapters."""
    decided = _Decider(nodes, None)
    for pos, node in enumerate(nodes):
        lv = node.h.level
        decided.roles[pos] = "question" if lv == level else "chapter" if lv < level else "text"
    return decided


# -- splitting ------------------------------------------------------------------------------------
def _segment(lines: list[str], start: int, stop: int, skip: set[int]) -> tuple[str, int]:
    """Lines [start, stop) minus `skip`, with blank lines trimmed at both ends; (text, first line)."""
    kept = [i for i in range(start, stop) if i not in skip]
    first = 0
    while first < len(kept) and not lines[kept[first]].strip():
        first += 1
    while len(kept) > first and not lines[kept[-1]].strip():
        kept.pop()
    kept = kept[first:]
    if not kept:
        return "", 0
    out: list[str] = []
    prev = kept[0] - 1
    for i in kept:
        if i != prev + 1 and out and out[-1].strip():
            out.append("")  # keep a paragraph break where skipped lines were
        out.append(lines[i])
        prev = i
    return "\n".join(out), kept[0] + 1


def _names(lines: list[str], start: int, stop: int, code: set[int], skip: set[int]) -> Iterable[str]:
    """The `id` and `name` values of the HTML tags on lines [start, stop), outside code."""
    for i in range(start, stop):
        if i not in code and i not in skip and "<" in lines[i]:
            yield from anchor_names(lines[i])


def _outline_diagnostics(outline: Outline, lines: list[str], path: str) -> list[Diagnostic]:
    """What the outline could not read: a fence never closed, an HTML heading not on one line."""
    diags: list[Diagnostic] = []
    start = outline.unclosed_fence
    if start is not None:
        swallowed = [
            h
            for h in (html_heading(lines[k], k) for k in range(start + 1, len(lines)))
            if h is not None and h.number is not None and h.anchor is not None
        ]
        what = (
            "; it swallows "
            + ", ".join(f"'{h.text}' (line {h.index + 1})" for h in swallowed[:SWALLOWED_SHOWN])
            + (f" and {len(swallowed) - SWALLOWED_SHOWN} more" if len(swallowed) > SWALLOWED_SHOWN else "")
            if swallowed
            else ""
        )
        diags.append(
            Diagnostic(
                path,
                start + 1,
                "error" if swallowed else "warning",
                "unclosed-fence",
                f"code fence is never closed; the rest of the file is read as code{what}",
            )
        )
    diags.extend(
        Diagnostic(
            path,
            i + 1,
            "warning",
            "heading-not-parsed",
            'looks like an HTML heading but is not one line `<hN id="…">…</hN>`; it stays text inside the answer above',
        )
        for i in outline.not_parsed
    )
    return diags


@dataclass(slots=True)
class _Frame:
    """What stands around a source's parts: its table of contents, its title heading, the lines
    that belong to no part, and the headings left to decide."""

    toc: set[int]  # 0-based lines of the table of contents, `[TOC]` markers included
    toc_links: list[TocLink]
    title: Heading | None  # a lone leading `# X`
    skip: set[int]  # 0-based lines of no part: front matter, markers, TOC, title
    headings: list[Heading]  # the headings outside the TOC, the title's left out


def _stem(path: str) -> str:
    """The file name without `.md`: the title of a source without one."""
    stem = path.rsplit("/", 1)[-1]
    return stem[:-3] if stem.lower().endswith(".md") else stem


def _lines_of(h: Heading | None) -> set[int]:
    return set(range(h.index, h.last + 1)) if h is not None else set()


def _frame(lines: list[str], outline: Outline) -> _Frame:
    """The table of contents, then the title: a lone leading `# X`, with only blank lines, front
    matter, markers or the table of contents before it."""
    skip = set(outline.meta_lines) | set(outline.markers)
    toc, toc_links = _find_toc(lines, outline, skip)
    toc |= set(outline.markers)
    headings = [h for h in outline.headings if h.index not in toc]
    md_h1 = [h for h in headings if h.kind == "md" and h.level == 1]
    title = None
    if (
        len(md_h1) == 1
        and headings[0] is md_h1[0]
        and all(not lines[k].strip() or k in toc or k in skip for k in range(md_h1[0].index))
    ):
        title = md_h1[0]
        headings = headings[1:]
    return _Frame(toc, toc_links, title, skip | toc | _lines_of(title), headings)


def _without_toc(frame: _Frame, outline: Outline) -> _Frame:
    """The frame of a file without questions: one that is only a TOC or README has its links as
    its content, so only the `[TOC]` markers are left out."""
    if not frame.toc:
        return frame
    markers = set(outline.markers)
    return _Frame(markers, [], frame.title, set(outline.meta_lines) | markers | _lines_of(frame.title), frame.headings)


def split_source(path: str, text: str, layout: Layout = None) -> Source:
    """Split the text of one source (path relative to the content dir) into a Source. `layout`:
    the heading level of its questions, "page" for one page, None to decide from the outline."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    outline = read_outline(lines)
    layout, layout_diags = _layout(outline.meta, layout, path)
    diags = _outline_diagnostics(outline, lines, path) + layout_diags
    frame = _frame(lines, outline)
    nodes = _tree(frame.headings, lines, frame.skip)
    decided = _decide(nodes, lines, layout)
    roles = decided.roles
    if "question" not in roles.values():
        roles, frame = {}, _without_toc(frame, outline)
    source = Source(
        path=path,
        title=frame.title.text if frame.title else _stem(path),
        title_line=frame.title.index + 1 if frame.title else 0,
        toc_links=frame.toc_links,
        toc_lines=sorted(i + 1 for i in frame.toc),
        meta_lines=[i + 1 for i in outline.meta_lines],
        diagnostics=diags,
    )
    reader = _Reader(lines, outline, frame.skip)
    structural = [pos for pos in range(len(nodes)) if roles.get(pos) in ("chapter", "question")]
    first = nodes[structural[0]].h.index if structural else len(lines)
    source.intro, source.intro_line = _segment(lines, 0, first, frame.skip)
    source.intro_anchors = reader.anchors(0, first)
    source.chapters, source.questions = reader.parts(
        path, [nodes[pos] for pos in structural], [roles[pos] for pos in structural]
    )
    source.diagnostics += _doubts(nodes, decided, roles, path, layout == "page")
    return source


@dataclass(slots=True)
class _Reader:
    """Reads the parts of a source, each from its heading to the next structural one."""

    lines: list[str]
    outline: Outline
    skip: set[int]
    slugs: dict[int, str] = field(init=False)  # 0-based heading line -> GitHub's anchor

    def __post_init__(self) -> None:
        headings = self.outline.headings
        self.slugs = dict(zip((h.index for h in headings), github_slugs(headings), strict=True))

    def anchors(self, start: int, stop: int) -> tuple[tuple[str, str, int], ...]:
        """The anchors inside lines [start, stop) (see `_inner_anchors`)."""
        return _inner_anchors(self.lines, start, stop, self.outline, self.slugs, self.skip)

    def parts(self, path: str, nodes: list[_Node], roles: list[Role]) -> tuple[list[Chapter], list[Question]]:
        """The chapters and questions of the structural headings `nodes` (with their `roles`)."""
        chapters: list[Chapter] = []
        questions: list[Question] = []
        stack: list[tuple[Chapter, bool]] = []  # (chapter, has sub-headings)
        for k, node in enumerate(nodes):
            h = node.h
            stop = nodes[k + 1].h.index if k + 1 < len(nodes) else len(self.lines)
            body, body_line = _segment(self.lines, h.last + 1, stop, self.skip)
            inner = self.anchors(h.last + 1, stop)
            if roles[k] == "question":
                while stack and (stack[-1][0].level > h.level or (stack[-1][0].level == h.level and stack[-1][1])):
                    stack.pop()
                anchor = h.anchor if h.anchor is not None else self.slugs[h.index] or h.text
                questions.append(
                    Question(
                        number=h.number.text if h.number else "",
                        title=h.title,
                        heading=h.text,
                        anchor=anchor,
                        source=path,
                        line=h.index + 1,
                        chapter=stack[-1][0].index if stack else None,
                        body=body,
                        body_line=body_line,
                        inner=inner,
                    )
                )
                continue
            while stack and stack[-1][0].level >= h.level:
                stack.pop()
            chapter = Chapter(
                title=h.text,
                line=h.index + 1,
                level=h.level,
                anchor=h.anchor,
                titles=(*(c.title for c, _ in stack), h.text),
                intro=body,
                intro_line=body_line,
                index=len(chapters),
                parent=stack[-1][0].index if stack else None,
                inner=inner,
            )
            chapters.append(chapter)
            stack.append((chapter, bool(node.kids)))
        return chapters, questions


def _decide(nodes: list[_Node], lines: list[str], layout: Layout) -> _Decider:
    if layout == "page":
        return _Decider(nodes, None)
    if isinstance(layout, int):
        return _level_roles(nodes, layout)
    decided = _html_roles([n.h for n in nodes], nodes, lines)
    if decided is not None:
        return decided
    decided = _Decider(nodes, _question_depth(nodes))
    if _has_questions([n.h for n in nodes]):
        decided.visit([i for i, n in enumerate(nodes) if n.parent is None])
    return decided


def _inner_anchors(
    lines: list[str], start: int, stop: int, outline: Outline, slugs: dict[int, str], skip: set[int]
) -> tuple[tuple[str, str, int], ...]:
    """(name, heading line or '', its line number or 0) of every anchor inside lines [start, stop): GitHub's slug of each
    markdown sub-heading (with the line it stands on, to give the page the same id), and each
    HTML `id` / `name`. Its cost is that of the lines (the headings are found by bisection)."""
    found: list[tuple[str, str, int]] = []
    headings = outline.headings
    k = bisect.bisect_left(outline.heading_lines, start)
    while k < len(headings) and headings[k].index < stop:
        h = headings[k]
        if h.index not in skip and slugs.get(h.index):
            found.append((slugs[h.index], lines[h.index], h.index + 1))
        k += 1
    found.extend((name, "", 0) for name in _names(lines, start, stop, outline.code, skip))
    return tuple(found)


def _note(path: str, h: Heading, code: str, message: str, severity: Severity = "warning") -> Diagnostic:
    """A finding at heading `h`."""
    return Diagnostic(path, h.index + 1, severity, code, message)


def _question_doubts(nodes: list[_Node], roles: dict[int, Role], path: str, questions: list[int]) -> list[Diagnostic]:
    """Questions whose number could not be read, and answers holding what look like questions."""
    diags: list[Diagnostic] = []
    numbered = sum(nodes[pos].h.number is not None for pos in questions)
    for k, pos in enumerate(questions):
        h = nodes[pos].h
        if h.number is None and h.digits_glued and 2 * numbered > len(questions):
            message = (
                f"heading '{h.text}' starts with digits that could not be told from its title, so it is read "
                "as unnumbered; write the number apart ('3. 3D…': a space or '.' after the number)"
            )
            diags.append(_note(path, h, "number-unclear", message))
        stop = questions[k + 1] if k + 1 < len(questions) else len(nodes)
        asking = [nodes[p].h for p in range(pos + 1, stop) if roles.get(p) == "text" and _asks(nodes[p].h, h)]
        if asking:
            first = asking[0]
            message = (
                f"the answer of '{h.text}' holds {len(asking)} sub-heading(s) that look like questions, "
                f"first '{first.text}' (line {first.index + 1}); if they are questions, give the file "
                f"`qadocs: {{questions: {first.level}}}` in its front matter (or a `layout` entry in mkdocs.yml)"
            )
            diags.append(_note(path, h, "answer-has-questions", message))
    return diags


def _doubts(
    nodes: list[_Node], decided: _Decider, roles: dict[int, Role], path: str, one_page: bool
) -> list[Diagnostic]:
    """Diagnostics for what the rules may have got wrong, each saying what to write instead."""
    diags = [
        _note(
            path,
            nodes[pos].h,
            "heading-empty",
            f"heading '{nodes[pos].h.text}' has nothing under it and stands "
            "among questions; kept as text of the page above, not as a chapter",
            "info",
        )
        for pos in decided.placeholders
    ]
    diags += [
        _note(
            path,
            nodes[pos].h,
            "question-unnumbered",
            f"heading '{nodes[pos].h.text}' has no number but stands among the questions; read as a question",
        )
        for pos in decided.unnumbered
    ]
    questions = [pos for pos in sorted(roles) if roles[pos] == "question"]
    diags += _question_doubts(nodes, roles, path, questions)
    if not questions and not one_page:  # a file asked to be one page is one page
        asking_all = [n.h for n in nodes if question_like(n.h)]
        if len(asking_all) >= UNFOUND_QUESTIONS_MIN:
            message = (
                f"{len(asking_all)} headings end in ？ but no question was found, so the file is one page; "
                f"if they are questions, give the file `qadocs: {{questions: {asking_all[0].level}}}` "
                "in its front matter (or a `layout` entry in mkdocs.yml)"
            )
            diags.append(_note(path, asking_all[0], "no-questions-found", message))
    return diags


def _asks(sub: Heading, question: Heading) -> bool:
    """A sub-heading of an answer that looks like a question of its own: it ends in ？, or it
    carries a dotted number of the question's depth (3.1.2 inside 3.1.1)."""
    if question_like(sub):
        return True
    a, b = sub.number, question.number
    return (
        a is not None
        and b is not None
        and a.scheme == b.scheme == "arabic"
        and a.depth == b.depth > 1
        and a.parts != b.parts
    )
