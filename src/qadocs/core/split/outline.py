"""The heading outline of one source, as GitHub reads it.

markdown-it-py (the GFM parser `qadocs.extensions.gfm` renders with) reads the blocks, so what is code, an
HTML block, a comment or a heading is decided the way GitHub decides it, with line numbers:

* ATX (`## …`) and setext (`…` over `===` / `---`) headings at the top level of the document;
  never inside lists, quotes, code, math blocks or HTML blocks. A setext heading whose text runs
  over several lines is a paragraph that happens to stand on a `---`: it stays text.
* HTML headings written on one line, `<hN …>…</hN>`, in an HTML block that is not a comment.
* Heading text is the text a reader sees: emphasis marks, tags and link targets dropped, inline
  code kept, an image gives its alt text (never its URL), entities decoded. `slug_text` is what
  GitHub makes the anchor from (the same, without image alt texts).
* A leading number is read in every form authors use: `5.`, `5、`, `5 `, `Q5:`, `3.1.1`, glued
  to the title (`1.2【…`, `13.11训练…`), Chinese numerals (`一、`, `（三）`). Digits glued to
  letters (`3D`, `5G`) or to a unit (`2019年`, `3个`) are part of the title.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from markdown_it.token import Token

from qadocs.core.split.stamps import leading_stamp
from qadocs.core.text.anchors import github_slug
from qadocs.core.text.chinese import CN_DIGITS, cn_value, is_han
from qadocs.core.text.lex import (
    CODE_BLOCKS,
    CONTAINER_TAG_RE,
    ID_ATTR_RE,
    IMG_ALT_RE,
    MATH_BLOCKS,
    closes_fence,
    drop_tags,
    find_tags,
    inline_parser,
    parse_blocks,
)
from qadocs.core.text.phrasing import asks, strip_label
from qadocs.core.text.yamlread import YamlRefused, front_matter_data

HTML_HEADING_RE = re.compile(
    r"""^\s*<h([1-6])((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*>(.*?)</h\1\s*>\s*$""",
    re.IGNORECASE,
)
HTML_HEADING_START_RE = re.compile(r"^\s*<h[1-3][\s>]", re.IGNORECASE)  # a question-level heading
TOC_MARKER_RE = re.compile(r"^\s*\[\[?toc\]\]?\s*$", re.IGNORECASE)
FRONT_MATTER_MAX = 200  # lines a front matter may take; a longer `---` block is content

# Numbers: up to 6 digits first, 4 after each dot; 7 digits are a figure, not a question number.
ARABIC_RE = re.compile(
    r"(?:[Qq](?=\d)|(?:题目|題目|问题|問題|面试题|面試題|题|題|(?i:question|problem|exercise))\s*(?=\d))?"
    r"(\d{1,6}(?:[.．]\d{1,4})*(?:-\d{1,4})*)"
)
SEPARATORS = ".、．:：)）"
CN_RE = re.compile(f"([（(])?([{CN_DIGITS}]{{1,5}})(?(1)[)）]|[、.．:：)）])\\s*")
PAREN_RE = re.compile(r"[（(](\d{1,3})[)）]\s*")  # `（1）`, `(2)`: an item of a list numbered afresh
# After digits glued to a title these make a quantity, not a number: 2019年, 3个, 1.5倍.
UNITS = frozenset(
    "年月日号個个种種次倍万萬亿億千百岁歲位层層类類步点點级級维維天分秒元度期代届屆周週项項条條张張句字行列章节節篇部轮輪"
)
OPENERS = frozenset("【[（(「《“\"'‘〈")


@dataclass(slots=True, frozen=True)
class Number:
    """A heading's number: its scheme, as written, and its parts (`3.1.1` → (3, 1, 1))."""

    scheme: Literal["arabic", "cn", "paren"]
    text: str
    parts: tuple[int, ...]

    @property
    def depth(self) -> int:
        """How many parts a dotted number has (`3.1.1` → 3)."""
        return len(self.parts)


HeadKind = Literal["md", "html", "item", "bold", "fold"]
# Levels of the heads that are no heading: below every heading of the section they stand in.
PARAGRAPH_LEVEL = 7


@dataclass(slots=True)
class Heading:
    """One head of a source's outline: a heading, or another construct a reader takes for the
    start of a question (kind `item`: a heading that opens a list item, `1. ### Q`; `bold`: a
    paragraph that opens with a bold question, `**Q？**`; `fold`: a `<details>` whose summary asks)."""

    index: int  # 0-based first line (the text line of a setext heading, the `<details>` line)
    last: int  # 0-based last line of it (a setext underline, the `<summary>` line)
    kind: HeadKind
    level: int
    text: str  # the text a reader sees, number included
    slug_text: str  # the text GitHub makes the anchor from
    anchor: str | None  # the `id` of an HTML heading
    number: Number | None
    title: str  # the text without its number
    digits_glued: bool = False  # starts with digits that could not be read as a number
    indent: int = 0  # `item`: the list item's content column (its lines are dedented by it)
    end: int = 0  # `item`: 0-based line after the list item; `fold`: the `</details>` line
    rest: str = ""  # `bold`: what follows the bold question on its line
    weak: bool = False  # a bold line or folded block that does not ask (or count): a question only if a layout says so


@dataclass(slots=True)
class Outline:
    """What the parser knows of a source: headings, code lines, front matter, unclosed fences."""

    headings: list[Heading]
    code: set[int]  # 0-based lines inside code, math blocks and HTML comments
    meta: dict[str, Any] = field(default_factory=dict)
    meta_lines: list[int] = field(default_factory=list)  # 0-based lines of the front matter
    markers: list[int] = field(default_factory=list)  # 0-based `[TOC]` marker lines
    unclosed_fence: int | None = None  # 0-based line of a fence never closed
    not_parsed: list[int] = field(default_factory=list)  # `<hN` lines that are no one-line heading
    heading_lines: list[int] = field(default_factory=list)  # 0-based line of each heading, for bisection
    meta_refused: YamlRefused | None = None  # why the front matter was not read (its line 0-based)


def parse_number(text: str) -> tuple[Number | None, str, bool]:
    """(number, title, digits glued) of a heading's text; (None, text, …) when it has no number.

    Linear: each pattern is anchored and reads a bounded run of digits or numerals."""
    m = ARABIC_RE.match(text)
    if m:
        rest = text[m.end() :]
        digits = m.group(1).replace("．", ".")
        parts = tuple(int(p) for p in digits.replace("-", ".").split("."))
        number = Number("arabic", digits, parts)
        if rest[:1] and rest[0] in SEPARATORS:
            title = rest[1:].strip()
            # `1.5倍` read as `1` + `5倍` would be wrong: a separator must not be followed by a digit
            if title and not (rest[0] in ".．" and rest[1:2].isdigit()):
                return number, title, False
        elif rest[:1].isspace():
            return number, rest.strip(), False
        elif rest[:1] and (rest[0] in OPENERS or is_han(rest[0])):
            if rest[0] not in UNITS:
                return number, rest.strip(), False
            return None, text, False
        return None, text, bool(rest[:1]) and rest[0].isascii() and rest[0].isalpha()
    m = CN_RE.match(text)
    if m and text[m.end() :].strip():
        return Number("cn", m.group(2), (cn_value(m.group(2)),)), text[m.end() :].strip(), False
    m = PAREN_RE.match(text)
    if m and text[m.end() :].strip():
        return Number("paren", m.group(1), (int(m.group(1)),)), text[m.end() :].strip(), False
    return None, text, False


def split_number(text: str) -> tuple[str | None, str]:
    """Split `5.什么是扩散模型？` into ('5', '什么是扩散模型？'); (None, text) if unnumbered."""
    number, title, _ = parse_number(text)
    return (number.text, title) if number is not None else (None, text)


def html_text(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped (an `<img>` gives its alt), entities decoded,
    `**`/`__` emphasis marks removed, white space folded. Linear in the fragment."""
    fragment = IMG_ALT_RE.sub(lambda m: m.group(1) or m.group(2) or "", fragment)
    text = html.unescape(drop_tags(fragment))
    text = text.replace("**", "").replace("__", "")
    return " ".join(text.split())


def markdown_text(source: str) -> tuple[str, str]:
    """(text a reader sees, text GitHub slugs) of a markdown heading's content."""
    tokens = inline_parser().parseInline(source)
    shown: list[str] = []
    slugged: list[str] = []
    for tok in tokens[0].children or [] if tokens else []:
        for piece, in_slug in _inline_text(tok):
            shown.append(piece)
            if in_slug:
                slugged.append(piece)
    return " ".join("".join(shown).split()), " ".join("".join(slugged).split())


def _inline_text(tok: Token) -> Iterator[tuple[str, bool]]:
    if tok.type in ("text", "code_inline"):
        yield tok.content, True
    elif tok.type in ("softbreak", "hardbreak"):
        yield " ", True
    elif tok.type == "image":
        yield "".join(c.content for c in tok.children or []), False
    elif tok.type in ("math_inline", "math_inline_double"):
        fence = "$$" if tok.type == "math_inline_double" else "$"
        yield fence + tok.content + fence, True
    elif tok.type == "html_inline":
        alt = IMG_ALT_RE.match(tok.content)
        if alt:
            yield alt.group(1) or alt.group(2) or "", False


def heading_of(
    kind: Literal["md", "html"], index: int, last: int, level: int, source: str, anchor: str | None = None
) -> Heading | None:
    """A Heading from its content (markdown or HTML), or None when it has no text."""
    if kind == "md":
        text, slug_text = markdown_text(source)
    else:
        text = slug_text = html_text(source)
    if not text:
        return None
    number, title, glued = parse_number(text)
    title, _ = strip_label(title)
    return Heading(index, last, kind, level, text, slug_text, anchor, number, title, glued)


def html_heading(line: str, index: int) -> Heading | None:
    """The one-line HTML heading `<hN …>…</hN>` on `line`, or None."""
    m = HTML_HEADING_RE.match(line)
    if not m:
        return None
    idm = ID_ATTR_RE.search(m.group(2))
    anchor = next((g for g in idm.groups() if g is not None), None) if idm else None
    return heading_of(
        "html", index, index, int(m.group(1)), m.group(3), html.unescape(anchor) if anchor is not None else None
    )


def front_matter(lines: list[str]) -> tuple[dict[str, Any], int, YamlRefused | None]:
    """(mapping, number of lines, why it was not read) of a YAML front matter opening the file;
    ({}, 0, None) if none. Only a `---` block that closes within FRONT_MATTER_MAX lines and holds
    a mapping counts; one the safe loader cannot read counts with no data (the why's line is the
    file's, 0-based)."""
    if not lines or lines[0].rstrip() != "---":
        return {}, 0, None
    for i in range(1, min(len(lines), FRONT_MATTER_MAX)):
        if lines[i].rstrip() in ("---", "..."):
            try:
                meta = front_matter_data("\n".join(lines[1:i]))
            except YamlRefused as refused:
                return {}, i + 1, YamlRefused(refused.line + 1, refused.why)
            return (meta, i + 1, None) if meta is not None else ({}, 0, None)
    return {}, 0, None


def read_outline(lines: list[str]) -> Outline:
    """The outline of a source (its lines, without line ends)."""
    meta, meta_count, refused = front_matter(lines)
    # Front matter blanked, and a stray `\r` (markdown-it would end a line there) made a space, so
    # that markdown-it's line numbers are ours.
    blanked = [""] * meta_count + [line.replace("\r", " ") for line in lines[meta_count:]]
    tokens = parse_blocks("\n".join(blanked))
    out = Outline([], set(), meta, list(range(meta_count)), meta_refused=refused)
    folds = _Folds(blanked)
    for pos, tok in enumerate(tokens):
        if tok.map is None:
            continue
        start, end = tok.map
        if tok.type == "list_item_open" and tok.level == 1:
            _item_head(tokens, pos, blanked, out)
        if tok.level != 0:
            continue
        if tok.type == "heading_open":
            inline = tokens[pos + 1]
            if tok.markup in ("=", "-") and "\n" in inline.content:
                continue  # a paragraph standing on `---`: text, not a heading
            h = heading_of("md", start, end - 1, int(tok.tag[1]), inline.content)
            if h is not None:
                out.headings.append(h)
        elif tok.type == "html_block":
            _html_block(blanked, start, end, out)
            folds.block(start, end)
        elif tok.type in CODE_BLOCKS or tok.type in MATH_BLOCKS:
            _code_block(tok, blanked, out)
        elif tok.type == "paragraph_open":
            _paragraph(blanked, start, end, out)
    out.headings += folds.heads()
    out.headings.sort(key=lambda h: h.index)
    out.heading_lines = [h.index for h in out.headings]
    return out


def _code_block(tok: Token, lines: list[str], out: Outline) -> None:
    """The lines of a code or math block; a fence never closed is noted."""
    assert tok.map is not None
    start, end = tok.map
    out.code.update(range(start, end))
    if tok.type == "fence" and end == len(lines) and (end - 1 == start or not closes_fence(lines[end - 1], tok.markup)):
        out.unclosed_fence = start


def _paragraph(lines: list[str], start: int, end: int, out: Outline) -> None:
    """A top-level paragraph: a `[TOC]` marker, or a bold question."""
    if end - start == 1 and TOC_MARKER_RE.match(lines[start]):
        out.markers.append(start)
        return
    h = bold_head(lines[start], start)
    if h is not None:
        out.headings.append(h)


def _item_head(tokens: list[Token], pos: int, lines: list[str], out: Outline) -> None:
    """A list item of a top-level list that opens with an ATX heading (`1. ### Q`): a head whose
    level is its heading's, and whose item lines are dedented by the item's content column."""
    item, heading = tokens[pos], tokens[pos + 1] if pos + 1 < len(tokens) else None
    if heading is None or heading.type != "heading_open" or heading.map is None or item.map is None:
        return
    at = heading.map[0]
    if at != item.map[0] or heading.markup in ("=", "-"):
        return
    line = lines[at]
    column = line.find("#")
    if column < 0 or "\t" in line[:column]:
        return
    h = heading_of("md", at, at, int(heading.tag[1]), tokens[pos + 2].content)
    if h is not None:
        h.kind, h.indent, h.end = "item", column, item.map[1]
        if h.number is None and item.info.isdigit() and len(item.info) <= 6:
            h.number = Number("arabic", item.info, (int(item.info),))  # the list's number is the question's
        out.headings.append(h)


BOLD_START_RE = re.compile(r"^ {0,3}(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?![*_])")
LABEL_START_RE = re.compile(r"^ {0,3}(?:问|問|问题|問題|Q|Question)\s*[:：]\s*\S", re.IGNORECASE)
DETAILS_OPEN_RE = re.compile(r"^ {0,3}<details\b", re.IGNORECASE)
DETAILS_TAG_RE = re.compile(r"<(/?)details\b", re.IGNORECASE)
SUMMARY_OPEN_RE = re.compile(r"<summary\b", re.IGNORECASE)
SUMMARY_CLOSE_RE = re.compile(r"</summary\s*>", re.IGNORECASE)
HEADING_CONTAINERS = ("div", "details", "table", "blockquote", "center", "ul", "ol")  # hold a heading as content
SUMMARY_LINES = 3  # lines of a `<details>` block its `<summary>` must stand on


def bold_head(line: str, index: int) -> Heading | None:
    """The head of a paragraph that opens with bold text (`**2. 为什么要归一化？**`, maybe
    followed by text) or a question label (`问：…？`); `weak` when it neither asks nor counts. A
    stamp opening the line (`qadocs.core.split.stamps`) is set aside."""
    line = leading_stamp(line)
    m = BOLD_START_RE.match(line)
    if m is not None:
        h = heading_of("md", index, index, PARAGRAPH_LEVEL, m.group(0).strip())
        rest = line[m.end() :].strip()
        children = inline_parser().parseInline(m.group(0).strip())[0].children or []
        first = next((c.type for c in children if c.type != "text" or c.content), None)
        if h is None or first != "strong_open":
            return None
    elif LABEL_START_RE.match(line):
        h, rest = heading_of("md", index, index, PARAGRAPH_LEVEL, line.strip()), ""
    else:
        return None
    if h is None:
        return None
    h.kind, h.rest, h.weak = "bold", rest, not (asks(h.text) or h.number is not None)
    return h


def summary_text(line: str) -> str | None:
    """The text between the first `<summary>` of a line and the `</summary>` after it; None without
    both. Searches that never look back, so a line of many unclosed tags costs linear time: when
    the first `<summary` has no `>` or no `</summary>` after it, no later one has."""
    opened = SUMMARY_OPEN_RE.search(line)
    start = line.find(">", opened.end()) + 1 if opened else 0
    closed = SUMMARY_CLOSE_RE.search(line, start) if start else None
    return line[start : closed.start()] if closed else None


class _Folds:
    """The `<details>` blocks of a source whose `<summary>` is on one line near the top and whose
    `</details>` closes them at the top level: outermost ones only (`weak` when the summary does
    not ask: `展开`, `答案` only fold the answer above)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.open: list[tuple[int, int, str] | None] = []  # (line, summary line, summary) of each open block
        self.found: list[Heading] = []

    def block(self, start: int, end: int) -> None:
        """Read the `<details>` tags of one top-level HTML block (lines [start, end))."""
        for i in range(start, end):
            for tag in DETAILS_TAG_RE.finditer(self.lines[i]):
                if tag.group(1):
                    self._close(i)
                else:
                    self.open.append(self._summary(i, end) if DETAILS_OPEN_RE.match(self.lines[i]) else None)

    def _summary(self, at: int, end: int) -> tuple[int, int, str] | None:
        for k in range(at, min(end, at + SUMMARY_LINES)):
            text = summary_text(self.lines[k])
            if text is not None:
                return at, k, text
        return None

    def _close(self, line: int) -> None:
        if not self.open:
            return
        opened = self.open.pop()
        if opened is None or self.open or line <= opened[1]:
            return  # no summary, nested in another block, or closed on its summary's line
        at, summary_line, summary = opened
        h = heading_of("html", at, summary_line, PARAGRAPH_LEVEL, summary)
        if h is not None:
            h.kind, h.end, h.weak = "fold", line, not asks(h.text)
            self.found.append(h)

    def heads(self) -> list[Heading]:
        """The folded questions found."""
        return self.found


def _html_block(lines: list[str], start: int, end: int, out: Outline) -> None:
    """Headings and comment lines of one HTML block. A heading inside a container the block
    opened (`<div align="center">` … `<h1>…</h1>` … `</div>`) is that container's content, no head
    (a `<p>`, `<span>` or `<summary>` left open is none: a heading ends a `<p>` in HTML)."""
    in_comment = False
    depth = 0  # containers (`<div>`, `<details>`, `<table>`…) this block opened and has not closed
    for i in range(start, end):
        line = lines[i]
        if in_comment or line.lstrip().startswith("<!--"):
            out.code.add(i)
            in_comment = "-->" not in (line if in_comment else line.lstrip()[4:])
            continue
        h = html_heading(line, i) if depth == 0 else None
        if h is not None:
            out.headings.append(h)
        elif HTML_HEADING_START_RE.match(line) and depth == 0:
            out.not_parsed.append(i)
        for tag in find_tags(CONTAINER_TAG_RE, line):
            if not tag.group(3) and tag.group(2).lower() in HEADING_CONTAINERS:
                depth = max(0, depth + (-1 if tag.group(1) else 1))


def github_slugs(headings: list[Heading]) -> list[str]:
    """GitHub's anchor of each markdown heading, in order: `slug`, then `slug-1`, `slug-2` for
    repeats ('' for an HTML heading, which GitHub gives no anchor)."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for h in headings:
        if h.kind not in ("md", "item"):
            out.append("")
            continue
        base = github_slug(h.slug_text)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(base if n == 0 else f"{base}-{n}")
    return out
