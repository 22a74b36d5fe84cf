"""Split one source file into its table of contents, chapters and questions.

The rules, in the order they are applied:

* Lines inside fenced code (``` or ~~~, any indent) and HTML comments are never headings.
* The table of contents starts at a heading titled 目录/Contents/TOC and runs over blank
  lines, lines that are one internal link (optionally a list item), and headings that are
  followed by such lines. Its links are kept to resolve legacy anchors; its lines make no page.
* A question is an `<h1|h2|h3 id=…>` heading whose text starts with a number (`5.`, `5、`, `5 `).
  A file with none uses its numbered markdown headings (`## 5. …`) at the shallowest level
  (1 to 3) that has two or more.
* A numbered heading is a *section* instead when the next numbered heading is deeper and
  either restarts the numbering (0 or 1) or follows with nothing but blank lines between.
* A chapter is a markdown heading, or an unnumbered HTML heading with an id, at a level no
  deeper than the shallowest question; a lone leading `# Title` names the source instead.
  An unnumbered `<hN id>` at the questions' own level with an answer under it, not titled like
  a part, is a question that lost its number.
* Everything between two of those headings belongs to the one above it; text before the
  first of them is the source's intro. Files without questions are all intro.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .model import Chapter, Diagnostic, Question, Source, TocLink
from .urls import is_external

FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
# `## text ##`: the level, and the text after the spaces. `md_heading` drops the closing `#`s and
# trailing spaces in code: a lazy `(.*?)` before `(?:[ \t]+#+)?[ \t]*$` would retry those from
# every position of a run of spaces, quadratic in the run.
MD_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
HTML_HEADING_RE = re.compile(
    r"""^\s*<h([1-6])((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*>(.*?)</h\1\s*>\s*$""",
    re.IGNORECASE)
HTML_HEADING_START_RE = re.compile(r"^\s*<h[1-3][\s>]", re.IGNORECASE)
ID_ATTR_RE = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
NUMBER_RE = re.compile(r"^(\d{1,6}(?:\.\d{1,4})*)(?:\s*[.、．:：)）]\s*|\s+)(\S.*)$")
TAG_RE = re.compile(r"<[^>]*>")
CHAPTER_TITLE_RE = re.compile(
    r"^\s*(第\s*[0-9一二三四五六七八九十百零〇两]+\s*[章部篇节卷編编]|[一二三四五六七八九十]+\s*[、.．]|"
    r"(part|chapter|section|unit)\b)", re.IGNORECASE)
TOC_TITLE_RE = re.compile(r"^(目录|目錄|table of contents|contents|toc)$", re.IGNORECASE)
# `\s*+`: spaces after `(` are taken whole; giving some back never makes a match, and trying to
# (before an empty target and `\s*`) is quadratic in the run of spaces.
LINK_RE = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*+<?([^<>()\s]*(?:\([^()\s]*\)[^<>()\s]*)*)>?\s*\)")
LINK_LINE_START_RE = re.compile(r"\s*(?:(?:[-*+]|\d+[.)])\s+)?\[")  # the start of `is_link_line`
COMMENT_OPEN = "<!--"
COMMENT_CLOSE = "-->"


class FenceTracker:
    """Tells, line by line, whether a line is fenced code (the fence lines included)."""

    def __init__(self) -> None:
        self.open: tuple[str, int, int] | None = None  # (char, length, line index) of the open fence

    def is_code(self, line: str, index: int = 0) -> bool:
        """Feed the next line; True when it belongs to a code block."""
        m = FENCE_RE.match(line)
        if self.open is not None:
            if m and m.group(1)[0] == self.open[0] and len(m.group(1)) >= self.open[1] and not m.group(2).strip():
                self.open = None
            return True
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):  # ``` with a backtick after is inline code
            self.open = (m.group(1)[0], len(m.group(1)), index)
            return True
        return False


@dataclass(slots=True)
class _Heading:
    index: int  # 0-based line index
    kind: str  # "md" or "html"
    level: int
    text: str  # plain text
    anchor: str | None
    number: str | None
    title: str


def plain_text(fragment: str) -> str:
    """Heading markup to plain text: tags dropped, entities decoded, emphasis marks removed."""
    end = fragment.rfind(">") + 1  # no tag after the last `>`; searching there from each `<` is quadratic
    text = html.unescape(TAG_RE.sub("", fragment[:end]) + fragment[end:])
    text = text.replace("**", "").replace("__", "")
    return " ".join(text.split())


def md_heading(line: str) -> tuple[int, str | None] | None:
    """(level, text) of a markdown heading line, the text without the closing `#`s and spaces
    (None when there is no text at all); None when `line` is no heading. Linear in the line."""
    m = MD_HEADING_RE.match(line)
    if m is None:
        return None
    text = m.group(2)
    if text is None:
        return len(m.group(1)), None
    text = text.rstrip(" \t")
    body = text.rstrip("#")
    if body != text and body[-1:] in (" ", "\t"):  # a closing sequence: spaces, then `#`s
        text = body.rstrip(" \t")
    return len(m.group(1)), text


def is_link_line(line: str) -> bool:
    """True when `line` is `[…](…)` with an optional list marker: it starts with `[`, a `](`
    follows, and the last character that is not a space is a `)` after it. Linear in the line
    (a regex `\\[.*\\]\\(.*\\)` backtracks over every `](`, quadratic)."""
    m = LINK_LINE_START_RE.match(line)
    if m is None:
        return False
    rest = line[m.end():].rstrip()  # after the `[`
    return rest.endswith(")") and "\n" not in rest and 0 <= rest.find("](") <= len(rest) - 3


def split_number(text: str) -> tuple[str | None, str]:
    """Split `5.什么是扩散模型？` into ('5', '什么是扩散模型？'); (None, text) if unnumbered."""
    m = NUMBER_RE.match(text)
    if not m:
        return None, text
    return m.group(1), m.group(2).strip()


def _scan(lines: list[str], path: str, diags: list[Diagnostic]) -> list[_Heading]:
    """Find the headings outside code and HTML comments."""
    headings: list[_Heading] = []
    fences = FenceTracker()
    in_comment = False
    for i, line in enumerate(lines):
        if not in_comment and fences.is_code(line, i):
            continue
        if in_comment:
            if COMMENT_CLOSE in line:
                in_comment = False
            continue
        stripped = line.strip()
        if stripped.startswith(COMMENT_OPEN) and COMMENT_CLOSE not in stripped[4:]:
            in_comment = True
            continue
        heading = _heading(line, i)
        if heading is not None:
            headings.append(heading)
        elif HTML_HEADING_START_RE.match(line):
            diags.append(Diagnostic(path, i + 1, "warning", "heading-not-parsed",
                                    "looks like an HTML heading but is not one line `<hN id=\"…\">…</hN>`; "
                                    "it stays text inside the answer above"))
    fence = fences.open
    if fence is not None:
        swallowed = [h for h in (_heading(lines[k], k) for k in range(fence[2] + 1, len(lines)))
                     if h is not None and h.kind == "html" and h.number is not None and h.anchor is not None]
        what = "; it swallows " + ", ".join(f"'{h.text}' (line {h.index + 1})" for h in swallowed[:5]) + (
            f" and {len(swallowed) - 5} more" if len(swallowed) > 5 else "") if swallowed else ""
        diags.append(
            Diagnostic(path, fence[2] + 1, "error" if swallowed else "warning", "unclosed-fence",
                       f"code fence is never closed; the rest of the file is read as code{what}")
        )
    return headings


def _heading(line: str, index: int) -> _Heading | None:
    m = HTML_HEADING_RE.match(line)
    if m:
        level = int(m.group(1))
        idm = ID_ATTR_RE.search(m.group(2))
        anchor = next((g for g in idm.groups() if g is not None), None) if idm else None
        text = plain_text(m.group(3))
        number, title = split_number(text)
        return _Heading(index, "html", level, text, html.unescape(anchor) if anchor is not None else None,
                        number, title)
    md = md_heading(line)
    if md is not None and md[1]:
        text = plain_text(md[1])
        number, title = split_number(text)
        return _Heading(index, "md", md[0], text, None, number, title)
    return None


def _is_toc_title(text: str) -> bool:
    return bool(TOC_TITLE_RE.match(re.sub(r"[\s:：#*]+", "", text).lower()))


def _toc_links(line: str) -> list[tuple[str, str]]:
    """(text, target) of the links on a TOC line; a lone link may hold spaces or odd parentheses."""
    if not is_link_line(line):
        return []
    found = [(m.group(1), m.group(2)) for m in LINK_RE.finditer(line)]
    if len(found) <= 1:  # one link: take everything between `](` and the last `)`
        body = line.strip()
        start = body.find("[")
        mid = body.find("](", start)
        if start < 0 or mid < 0:
            return []
        found = [(body[start + 1:mid], body[mid + 2:body.rfind(")")].strip())]
    return found


def _is_internal_link_line(line: str) -> bool:
    targets = [t for _, t in _toc_links(line)]
    return bool(targets) and not any(is_external(t) for t in targets)


def _find_toc(lines: list[str], headings: list[_Heading]) -> tuple[set[int], list[TocLink]]:
    """Return the 0-based line indexes of the table of contents and its links."""
    by_index = {h.index: h for h in headings}
    start = next((h.index for h in headings if _is_toc_title(h.text)), None)
    if start is None:
        return set(), []
    region = {start}
    links: list[TocLink] = []
    i = start + 1
    n = len(lines)

    def next_nonblank(j: int) -> int:
        while j < n and not lines[j].strip():
            j += 1
        return j

    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if _is_internal_link_line(line):
            region.add(i)
            for text, target in _toc_links(line):
                links.append(TocLink(plain_text(text), target, i + 1))
            i += 1
            continue
        if i in by_index:
            j = next_nonblank(i + 1)
            if j < n and _is_internal_link_line(lines[j]):
                region.add(i)
                i += 1
                continue
        break
    return region, links


def _mark_sections(questions: list[_Heading], lines: list[str]) -> set[int]:
    """Numbered headings that group deeper numbered headings (see the module rules)."""
    sections: set[int] = set()
    for cur, nxt in zip(questions, questions[1:], strict=False):
        if nxt.level <= cur.level:
            continue
        assert nxt.number is not None
        first = int(nxt.number.split(".")[0])
        blank_between = all(not lines[k].strip() for k in range(cur.index + 1, nxt.index))
        if first <= 1 or blank_between:
            sections.add(cur.index)
    return sections


def _markdown_questions(headings: list[_Heading]) -> list[_Heading]:
    """For a file with no HTML questions: its numbered markdown headings (`## 1. 问题`) at the
    shallowest level, 1 to 3, that has at least two; deeper numbered headings stay answer text."""
    numbered = [h for h in headings if h.kind == "md" and h.number is not None and h.level <= 3]
    for level in sorted({h.level for h in numbered}):
        here = [h for h in numbered if h.level == level]
        if len(here) >= 2:
            for h in here:
                h.anchor = h.text  # GitHub's anchor is the slug of the text; anchor_forms adds it
            return here
    return []


def _lost_number(h: _Heading, nxt: _Heading | None, q_level: int, question_ids: set[int],
                 lines: list[str]) -> bool:
    """An unnumbered `<hN id>` at the questions' level, with an answer under it, is a question
    whose number was forgotten; one titled like a part (第一部分, Chapter 2) or followed directly
    by a question is a chapter."""
    if h.kind != "html" or h.anchor is None or h.number is not None or h.level != q_level:
        return False
    if CHAPTER_TITLE_RE.match(h.text):
        return False
    stop = nxt.index if nxt is not None else len(lines)
    has_body = any(lines[k].strip() for k in range(h.index + 1, stop))
    return has_body or nxt is None or nxt.index not in question_ids


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


def split_source(path: str, text: str, title: str | None = None) -> Source:
    """Split the text of one source (path relative to the content dir) into a Source."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    diags: list[Diagnostic] = []
    headings = _scan(lines, path, diags)
    stem = path.rsplit("/", 1)[-1]
    stem = stem[:-3] if stem.lower().endswith(".md") else stem
    source = Source(path=path, title=title or stem, diagnostics=diags)

    toc, source.toc_links = _find_toc(lines, headings)
    source.toc_lines = sorted(i + 1 for i in toc)
    headings = [h for h in headings if h.index not in toc]

    numbered = [h for h in headings if h.kind == "html" and h.level <= 3 and h.anchor is not None
                and h.number is not None]
    sections = _mark_sections(numbered, lines)
    questions = [h for h in numbered if h.index not in sections]
    if not questions:
        questions = _markdown_questions(headings)
    q_level = min((h.level for h in questions), default=0)
    if not questions and toc:  # a file that is only a TOC or README: its links are its content
        toc, source.toc_links, source.toc_lines = set(), [], []

    question_ids = {h.index for h in questions}
    for pos, h in enumerate(headings):
        if questions and _lost_number(h, headings[pos + 1] if pos + 1 < len(headings) else None,
                                      q_level, question_ids, lines):
            question_ids.add(h.index)
            diags.append(Diagnostic(path, h.index + 1, "warning", "question-unnumbered",
                                    f"heading '{h.text}' has no number but stands among the questions; "
                                    "read as a question"))
    structural: list[_Heading] = []
    for h in headings:
        if h.index in sections or h.index in question_ids:
            structural.append(h)
        elif questions and h.level <= q_level and (h.kind == "md" or h.anchor is not None):
            structural.append(h)

    if not questions:
        structural = []
    title_index = -1
    md_h1 = [h for h in headings if h.kind == "md" and h.level == 1]
    if (len(md_h1) == 1 and headings[0] is md_h1[0]
            and all(not lines[k].strip() or k in toc for k in range(md_h1[0].index))):
        title_index = md_h1[0].index
        source.title = md_h1[0].text
        source.title_line = title_index + 1
        structural = [h for h in structural if h is not md_h1[0]]

    skip = set(toc)
    if title_index >= 0:
        skip.add(title_index)
    first = structural[0].index if structural else len(lines)
    source.intro, source.intro_line = _segment(lines, 0, first, skip)

    stack: list[Chapter] = []
    for pos, h in enumerate(structural):
        stop = structural[pos + 1].index if pos + 1 < len(structural) else len(lines)
        body, body_line = _segment(lines, h.index + 1, stop, skip)
        if h.index in question_ids:
            assert h.anchor is not None
            source.questions.append(Question(
                number=h.number or "", title=h.title, heading=h.text, anchor=h.anchor, source=path, line=h.index + 1,
                chapter=stack[-1].index if stack else None, body=body, body_line=body_line,
                level=h.level,
            ))
            continue
        while stack and stack[-1].level >= h.level:
            stack.pop()
        name = h.text
        chapter = Chapter(title=name, line=h.index + 1, level=h.level, anchor=h.anchor,
                          titles=tuple(c.title for c in stack) + (name,), intro=body,
                          intro_line=body_line, index=len(source.chapters),
                          parent=stack[-1].index if stack else None)
        source.chapters.append(chapter)
        stack.append(chapter)
    return source
