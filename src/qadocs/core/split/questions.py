"""Split one source file into its table of contents, chapters and questions.

The outline (`qadocs.core.split.outline`: heads as GitHub shows them) and the reading of every head
(`qadocs.core.split.roles`: title, chapter, question, follow-up, part of an answer, article) decide; the
docs/writing-content.md, "How a source is read", says the same for authors. This module finds what stands around
the parts (front matter, `[TOC]` markers, the table of contents, the title) and cuts the file at
its chapters and questions:

* Title: a lone leading `# X`, with only blank lines, front matter, a `[TOC]` marker or the
  table of contents before it.
* Table of contents: a heading (or a line) titled 目录/Contents/TOC and the link lines after
  it; without one, a run of two or more `#` link lines before the first heading after the title.
  Its links are kept to resolve legacy anchors; its lines make no page.
* Layout: a source may say how its questions are written, or that it is one page (its front
  matter `qadocs: {questions: 3}`, `{questions: page}`…, or the `layout` option).
* Everything between two structural heads belongs to the one above it; text before the first
  is the source's intro. A question that opens a list item has its item's lines dedented; a
  folded question leaves its `</details>` out; a bold question's answer starts with the text
  after it on its line.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from qadocs.core.model import Chapter, Diagnostic, Explained, InnerAnchor, Memo, Question, Severity, Source, TocLink
from qadocs.core.options import Layout
from qadocs.core.split.layout import file_layout
from qadocs.core.split.outline import (
    Heading,
    Outline,
    github_slugs,
    html_heading,
    read_outline,
)
from qadocs.core.split.roles import (
    HEADING_KINDS,
    Decision,
    Neighbours,
    Node,
    Reading,
    Survey,
    build_tree,
    read_roles,
    survey,
)
from qadocs.core.split.stamps import stamp_of
from qadocs.core.split.toc import find_toc
from qadocs.core.text.lex import (
    anchor_names,
    md_heading,
)
from qadocs.core.text.phrasing import QUESTION_END_RE

__all__ = ["md_heading", "split_source", "survey_source"]

UNFOUND_QUESTIONS_MIN = 3  # heads that ask in a one-page file that make `no-questions-found`
SWALLOWED_SHOWN = 5  # headings an unclosed fence swallows that its message names


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
    """What the outline could not read: a fence never closed, an HTML heading not on one line, front
    matter the safe YAML loader cannot read."""
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
    if outline.meta_refused is not None:
        diags.append(
            Diagnostic(
                path,
                outline.meta_refused.line + 1,
                "warning",
                "front-matter-invalid",
                f"front matter is not read: {outline.meta_refused.why}; it is left out of the page and "
                "its settings (`qadocs:`) are ignored",
            )
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
    toc, toc_links = find_toc(lines, outline, skip)
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


@dataclass(slots=True, frozen=True)
class _Prepared:
    """What is read of a source before its neighbours are asked: lines, outline, frame, the tree
    of its heads and its survey. Shared between the collection's survey and the split: never changed."""

    lines: list[str]
    outline: Outline
    frame: _Frame
    nodes: list[Node]
    survey: Survey


def _prepare_text(text: str) -> _Prepared:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    outline = read_outline(lines)
    frame = _frame(lines, outline)
    nodes = build_tree(frame.headings, lines, frame.skip)
    content = (i for i in range(len(lines)) if i not in frame.skip and i not in outline.code)
    return _Prepared(lines, outline, frame, nodes, survey(nodes, lines, content, frame.title))


# The survey and the split read a file once.
_PREPARED: Memo[str, _Prepared] = Memo(_prepare_text)


def survey_source(text: str) -> Survey:
    """What a source says of itself (`qadocs.core.split.roles.survey`), for the collection's neighbours."""
    return _SURVEYS(text)


def _survey_text(text: str) -> Survey:
    return _PREPARED(text).survey


_SURVEYS: Memo[str, Survey] = Memo(_survey_text)  # small: kept


def split_source(path: str, text: str, layout: Layout = None, near: Neighbours | None = None) -> Source:
    """Split the text of one source (path relative to the content dir) into a Source. `layout`:
    how its questions are written (see `layout_value`), None to read it from the outline;
    `near`: what the rest of the collection says of it (`qadocs.core.split.roles.neighbours`)."""
    prep = _PREPARED(text)
    lines, outline, frame, nodes = prep.lines, prep.outline, prep.frame, prep.nodes
    layout, layout_diags = file_layout(outline.meta, layout, path)
    if layout in ("bold", "fold"):  # every bold line, every folded block, may then be a question
        nodes = build_tree(frame.headings, lines, frame.skip, str(layout))
    reading = read_roles(nodes, lines, prep.survey, near or Neighbours(), layout)
    file_head = _file_head(reading, frame, prep.survey)
    structural = [i for i in range(len(nodes)) if reading.decisions[i].role in ("chapter", "question")]
    if not structural and file_head is None:
        frame = _without_toc(frame, outline)
    source = Source(
        path=path,
        title=frame.title.text if frame.title else _stem(path),
        title_line=frame.title.index + 1 if frame.title else 0,
        toc_links=frame.toc_links,
        toc_lines=sorted(i + 1 for i in frame.toc),
        meta_lines=[i + 1 for i in outline.meta_lines],
        diagnostics=_outline_diagnostics(outline, lines, path) + layout_diags,
        kind=reading.kind,
        why=reading.why,
    )
    reader = _Reader(lines, outline, frame.skip - _lines_of(file_head))
    own = [h.index for h in outline.headings if h.index in frame.toc] + ([frame.title.index] if frame.title else [])
    source.page_anchors = tuple(reader.slugs[i] for i in own if reader.slugs.get(i))
    heads = [nodes[i].h for i in structural] if file_head is None else [file_head]
    first = heads[0].index if heads else len(lines)
    source.intro, source.intro_line = _segment(lines, 0, first, reader.skip)
    source.intro_anchors = reader.anchors(0, first)
    if file_head is not None:
        source.questions = [reader.question(path, file_head, len(lines), None, None)]
    else:
        source.chapters, source.questions = reader.parts(path, nodes, structural, reading.decisions)
    source.diagnostics += _doubts(reading, path, layout in ("page", "article"))
    source.reading = _explained(reading, frame.title, file_head)
    return source


def _file_head(reading: Reading, frame: _Frame, s: Survey) -> Heading | None:
    """The head that is the question of a file read as one question: its title."""
    if reading.kind != "file":
        return None
    if frame.title is not None:
        return frame.title
    if s.root is not None:
        return reading.nodes[s.root].h
    return reading.nodes[0].h if reading.nodes else None


def _dedented(line: str, column: int) -> str:
    """A list item's line without the item's indentation (up to `column` leading spaces)."""
    cut = 0
    while cut < column and cut < len(line) and line[cut] == " ":
        cut += 1
    return line[cut:]


@dataclass(slots=True)
class _Reader:
    """Reads the parts of a source, each from its head to the next structural one."""

    lines: list[str]
    outline: Outline
    skip: set[int]
    slugs: dict[int, str] = field(init=False)  # 0-based heading line -> GitHub's anchor

    def __post_init__(self) -> None:
        headings = self.outline.headings
        self.slugs = dict(zip((h.index for h in headings), github_slugs(headings), strict=True))

    def anchors(self, start: int, stop: int) -> tuple[InnerAnchor, ...]:
        """The anchors inside lines [start, stop) (see `_inner_anchors`)."""
        return _inner_anchors(self.lines, start, stop, self.outline, self.slugs, self.skip)

    def body(self, h: Heading, stop: int) -> tuple[str, int]:
        """The answer under head `h`, up to line `stop`: a list item's lines dedented, a folded
        question's `</details>` left out, a bold question's line reduced to what follows it."""
        start = h.last + 1
        if h.kind == "bold" and h.rest:
            start = h.index
        piece = self.lines[start:stop]
        if h.kind == "item":
            piece = [_dedented(line, h.indent) if start + k < h.end else line for k, line in enumerate(piece)]
        elif h.kind == "fold" and start <= h.end < stop:
            piece[h.end - start] = ""
        elif h.kind == "bold" and h.rest:
            piece[0] = h.rest
        text, first = _segment(piece, 0, len(piece), {i - start for i in self.skip if start <= i < stop})
        return text, first + start if first else 0

    def question(self, path: str, h: Heading, stop: int, chapter: int | None, parent: int | None) -> Question:
        """The question whose head is `h`, its answer running to line `stop`."""
        body, body_line = self.body(h, stop)
        anchor = h.anchor if h.anchor is not None else self.slugs.get(h.index) or h.text
        return Question(
            number=h.number.text if h.number else "",
            title=h.title,
            heading=h.text,
            anchor=anchor,
            source=path,
            line=h.index + 1,
            chapter=chapter,
            body=body,
            body_line=body_line,
            inner=self.anchors(h.last + 1, stop),
            parent=parent,
            form=h.kind,
            stamp=self.stamp(h),
        )

    def stamp(self, h: Heading) -> str | None:
        """The id the head's line (or its `<summary>` line) is stamped with, None if unstamped."""
        found = stamp_of(self.lines[h.index]) or (stamp_of(self.lines[h.last]) if h.last != h.index else None)
        return found[0] if found else None

    def parts(
        self, path: str, nodes: list[Node], structural: list[int], decisions: dict[int, Decision]
    ) -> tuple[list[Chapter], list[Question]]:
        """The chapters and questions of the structural heads (node indexes, in order)."""
        chapters: list[Chapter] = []
        questions: list[Question] = []
        asked: dict[int, int] = {}  # node -> its question's index
        stack: list[tuple[Chapter, bool]] = []  # (chapter, has sub-heads)
        for k, i in enumerate(structural):
            h = nodes[i].h
            stop = nodes[structural[k + 1]].h.index if k + 1 < len(structural) else len(self.lines)
            d = decisions[i]
            if d.role == "question" and d.parent is not None and d.parent in asked:
                parent = questions[asked[d.parent]]
                asked[i] = len(questions)
                questions.append(self.question(path, h, stop, parent.chapter, asked[d.parent]))
                continue
            if d.role == "question":
                while stack and (stack[-1][0].level > h.level or (stack[-1][0].level == h.level and stack[-1][1])):
                    stack.pop()
                asked[i] = len(questions)
                questions.append(self.question(path, h, stop, stack[-1][0].index if stack else None, None))
                continue
            while stack and stack[-1][0].level >= h.level:
                stack.pop()
            chapter = self.chapter(h, stop, len(chapters), stack)
            chapters.append(chapter)
            stack.append((chapter, bool(nodes[i].kids)))
        return chapters, questions

    def chapter(self, h: Heading, stop: int, index: int, stack: list[tuple[Chapter, bool]]) -> Chapter:
        """The chapter whose head is `h`, its intro running to line `stop`, inside the chapters of `stack`."""
        intro, intro_line = self.body(h, stop)
        return Chapter(
            title=h.text,
            line=h.index + 1,
            level=h.level,
            anchor=h.anchor,
            titles=(*(c.title for c, _ in stack), h.text),
            intro=intro,
            intro_line=intro_line,
            index=index,
            parent=stack[-1][0].index if stack else None,
            inner=self.anchors(h.last + 1, stop),
        )


def _inner_anchors(
    lines: list[str], start: int, stop: int, outline: Outline, slugs: dict[int, str], skip: set[int]
) -> tuple[InnerAnchor, ...]:
    """Every anchor inside lines [start, stop): GitHub's slug of each
    markdown sub-heading and the `id` of each one-line `<hN id>` (with the line it stands on, to
    give the page the same id), and each HTML `id` / `name`. Its cost is that of the lines (the
    headings are found by bisection)."""
    found: list[InnerAnchor] = []
    headings = outline.headings
    k = bisect.bisect_left(outline.heading_lines, start)
    while k < len(headings) and headings[k].index < stop:
        h = headings[k]
        if h.index not in skip and slugs.get(h.index):
            found.append(InnerAnchor(slugs[h.index], lines[h.index], h.index + 1))
        elif h.index not in skip and h.kind == "html" and h.anchor:
            found.append(InnerAnchor(h.anchor, lines[h.index], h.index + 1))  # shown as a heading with this id
        k += 1
    found.extend(InnerAnchor(name, "", 0) for name in _names(lines, start, stop, outline.code, skip))
    return tuple(found)


def _note(path: str, h: Heading, code: str, message: str, severity: Severity = "warning") -> Diagnostic:
    """A finding at head `h`."""
    return Diagnostic(path, h.index + 1, severity, code, message)


def _question_doubts(reading: Reading, path: str) -> list[Diagnostic]:
    """Questions whose number could not be read, and answers holding headings that ask but were
    read as parts of the answer."""
    diags: list[Diagnostic] = []
    nodes, decisions = reading.nodes, reading.decisions
    questions = [i for i in range(len(nodes)) if decisions[i].role == "question"]
    numbered = sum(nodes[i].h.number is not None for i in questions)
    for i in questions:
        h = nodes[i].h
        if h.number is None and h.digits_glued and 2 * numbered > len(questions):
            message = (
                f"heading '{h.text}' starts with digits that could not be told from its title, so it is read "
                "as unnumbered; write the number apart ('3. 3D…': a space or '.' after the number)"
            )
            diags.append(_note(path, h, "number-unclear", message))
        asking = [nodes[k].h for k in _answer_heads(nodes, decisions, i) if _asks_as_part(nodes[k], decisions[k])]
        if asking:
            first = asking[0]
            message = (
                f"the answer of '{h.text}' holds {len(asking)} sub-heading(s) that ask but are read as parts of it, "
                f"first '{first.text}' (line {first.index + 1}); if they are questions, give the file "
                f"`qadocs: {{questions: {first.level}}}` in its front matter (or a `layout` entry in mkdocs.yml)"
            )
            diags.append(_note(path, h, "answer-has-questions", message))
    return diags


def _answer_heads(nodes: list[Node], decisions: dict[int, Decision], question: int) -> list[int]:
    """The heads inside a question's answer: under it, down to its follow-ups (not into them)."""
    found: list[int] = []
    todo = list(reversed(nodes[question].kids))
    while todo:
        k = todo.pop()
        if decisions[k].role == "question":
            continue
        found.append(k)
        todo.extend(reversed(nodes[k].kids))
    return found


def _asks_as_part(node: Node, d: Decision) -> bool:
    return d.role == "part" and node.h.kind in HEADING_KINDS and question_like(node.h)


def question_like(h: Heading) -> bool:
    """A head that ends in ？ or ? (the strongest sign of a question), behind closing marks."""
    return bool(QUESTION_END_RE.search(h.text))


def _doubts(reading: Reading, path: str, one_page: bool) -> list[Diagnostic]:
    """Diagnostics for what the rules may have got wrong, each saying what to write instead."""
    nodes = reading.nodes
    diags = [
        _note(
            path,
            nodes[i].h,
            "heading-empty",
            f"heading '{nodes[i].h.text}' has nothing under it and stands "
            "among questions; kept as text of the page above, not as a chapter",
            "info",
        )
        for i in reading.placeholders
    ]
    diags += [
        _note(
            path,
            nodes[i].h,
            "question-unnumbered",
            f"heading '{nodes[i].h.text}' has no number but stands among the questions; read as a question",
        )
        for i in reading.unnumbered
    ]
    if reading.kind == "questions":
        diags += _question_doubts(reading, path)
    elif reading.kind in ("page", "article") and not one_page:
        asking_all = [n.h for n in nodes if n.h.kind in HEADING_KINDS and not n.link and question_like(n.h)]
        if len(asking_all) >= UNFOUND_QUESTIONS_MIN:
            message = (
                f"{len(asking_all)} headings end in ？ but the file reads as one {reading.kind} ({reading.why}); "
                f"if they are questions, give the file `qadocs: {{questions: {asking_all[0].level}}}` "
                "in its front matter (or a `layout` entry in mkdocs.yml)"
            )
            diags.append(_note(path, asking_all[0], "no-questions-found", message))
    return diags


def _explained(reading: Reading, title: Heading | None, file_head: Heading | None) -> tuple[Explained, ...]:
    """How each head was read, for `qadocs check --explain`."""
    rows: list[Explained] = []
    if title is not None:
        role = "question" if file_head is title else "title"
        why = reading.why if file_head is title else "a lone leading `# …`: the file's title"
        rows.append(Explained(title.index + 1, title.kind, title.level, title.text, role, why))
    for i, n in enumerate(reading.nodes):
        h, d = n.h, reading.decisions[i]
        if h is file_head:
            rows.append(Explained(h.index + 1, h.kind, h.level, h.text, "question", reading.why))
            continue
        parent = reading.nodes[d.parent].h.index + 1 if d.parent is not None else 0
        role = "follow-up" if parent else _label(reading.kind, d)
        rows.append(Explained(h.index + 1, h.kind, h.level, h.text, role, d.why, parent))
    return tuple(rows)


def _label(kind: str, d: Decision) -> str:
    """The role `--explain` shows: text of a one-question file is a part of its answer, of an
    article or a one-page file that file's text."""
    if d.role != "text":
        return d.role
    return {"article": "article", "page": "page", "file": "part"}.get(kind, "text")
