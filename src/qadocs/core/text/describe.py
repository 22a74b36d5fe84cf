"""Plain-text summaries: the `description` of a question page, from the start of its answer.

What a search engine or a link preview shows of a page (Material writes `page.meta.description`
into `<meta name="description">`): the text a reader sees at the start of the answer, markup
left out: code blocks (`lex.code_of`, as GitHub reads them: an answer's blocks are parsed once a
generation, for the checks), `$$` math blocks, HTML comments, scripts and styles, block marks
(quote, list, heading marks, task boxes, alert labels, table rules and pipes), and inline markup
as markdown-it-py reads it (emphasis marks, link targets, images, tags; entities decoded). Inline
code keeps its text; inline math keeps it when it is plain (`$T$`, `$t = 0$`), other inline math
shows as `MATH_SHOWN` (as Chinese sites summarise formulas). White space is folded, and a line
break between two Chinese characters (where the author wrapped a sentence) is dropped. A text
longer than `DESCRIPTION_MAX` is cut at a sentence or clause mark, or a space, and ends in "…".
Only the start of an answer is read
(`DESCRIBE_FIRST`, then at most `DESCRIBE_CHARS` characters): the cost per page is bounded
whatever the answer's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it.token import Token

from qadocs.core.model import Memo
from qadocs.core.text import words
from qadocs.core.text.chinese import EAST_ASIAN
from qadocs.core.text.lex import (
    LIST_MARKER,
    TABLE_RULE_RE,
    Code,
    Span,
    code_of,
    inline_parser,
    mask,
    without_spaced_images,
)

DESCRIPTION_MAX = 120  # characters of a description, its closing "…" included
DESCRIBE_FIRST = 400  # characters of an answer read first: most show enough text in them
DESCRIBE_CHARS = 3000  # characters from the start of an answer read at most for its description
SEARCH_CHARS = 30000  # characters from the start of an answer read at most for the search index
FALLBACK = words.DESCRIPTION_FALLBACK  # the description of a page whose answer shows no text
FALLBACK_OTHER = words.DESCRIPTION_FALLBACK_OTHER  # the same, when the first one is the site's own
MATH_SHOWN = words.MATH_SHOWN  # what inline math that is not plain text shows as

CJK_BREAK_RE = re.compile(f"(?<=[{EAST_ASIAN}])[ \t]*\n\\s*(?=[{EAST_ASIAN}])")  # a line break between Chinese text
PLAIN_MATH_RE = re.compile(r"[A-Za-z0-9 .,+\-=<>()/]+")  # inline math that reads as text as written
HIDDEN_TAG_RE = re.compile(r"<(/?)(script|style)\b", re.IGNORECASE)  # inline HTML whose content is no text
BREAK_TAG_RE = re.compile(r"<(?:br|/?p|/?div|/?li|/?td|/?th|/?tr|/?h\d)\b", re.IGNORECASE)  # a tag between words
# Block marks at the start of a line: a quote's `>`, a list item's bullet or number, then a task
# box or an alert label; a heading's `#`s (and its closing ones).
CONTAINER_RE = re.compile(f" {{0,3}}(?:>[ \t]?|{LIST_MARKER}(?:[ \t]+|\\Z))")
ITEM_MARK_RE = re.compile(r"\[(?: |x|X|!\w+)\][ \t]*")
HEADING_MARK_RE = re.compile(r" {0,3}#{1,6}(?:[ \t]+|\Z)")
HEADING_END_RE = re.compile(r"[ \t]#+\Z")  # closing `#`s, on a line with no white space after them
# A break or setext line, with no white space at its end (each pattern here is linear on a line).
RULE_RE = re.compile(r" {0,3}(?:(?:-[ \t]*){2,}-|(?:\*[ \t]*){2,}\*|(?:_[ \t]*){2,}_|=+)")
LINK_DEF_RE = re.compile(r" {0,3}\[[^\]]+\]:")  # a link reference definition or a footnote's
PIPE_RE = re.compile(r"(?<!\\)\|")
MARKUP_RE = re.compile(r"[\\`*_~\[\]<>&!$]")  # a character inline markup starts or ends with
SENTENCE_MARKS = "。！？!?；;…"  # a cut after one of these ends a sentence
CLAUSE_MARKS = "，、：,:）)」』》”"  # a cut after one of these ends a clause
TRAILING_MARKS = "，、：；,:;。！？!?…（(【[「『《“‘—-"  # dropped (with white space) before "…"


def answer_text(body: str) -> str:
    """The text a reader sees at the start of `body` (markdown), folded; "" when it shows none."""
    return _TEXT(body)


def search_text(body: str) -> str:
    """All the text a reader sees in `body` (markdown), read as `answer_text` reads its start, a
    paragraph a line; of an answer longer than `SEARCH_CHARS`, its lines within the first ones."""
    return _SEARCH_TEXT(body)


def _search_text(body: str) -> str:
    code = code_of(body)
    pieces = (_paragraph_text(par) for par in _paragraphs(_start(body, SEARCH_CHARS), code))
    return "\n".join(piece for piece in pieces if piece)


def _paragraph_text(paragraph: str) -> str:
    """A paragraph's text, folded: parsed as markdown only when it holds a character that may be markup."""
    text = "".join(_inline_texts(paragraph)).replace(MATH_SHOWN, " ") if MARKUP_RE.search(paragraph) else paragraph
    return " ".join(CJK_BREAK_RE.sub("", text).split())


_SEARCH_TEXT: Memo[str, str] = Memo(_search_text)  # each answer read once per generation


def page_description(title: str, body: str, avoid: str = "") -> str:
    """The description of a question page: the start of its answer, or, when that shows no text
    (or is exactly `avoid`, the site's own description), a sentence made from its title."""
    for text in (answer_text(body), FALLBACK.format(title=title), FALLBACK_OTHER.format(title=title)):
        text = shorten(" ".join(text.split()))
        if text and text != avoid:
            return text
    return shorten(FALLBACK.format(title=title), max(len(avoid) - 1, 2))  # both were `avoid`: shorter than it


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """`text`, or when it is longer than `limit` characters its start, cut at the last sentence
    mark, clause mark or space in the second half of the room, else between two words, then "…"."""
    if len(text) <= limit:
        return text
    room = limit - 1  # the "…"
    cut = _break_at(text, room, SENTENCE_MARKS) or _break_at(text, room, CLAUSE_MARKS + " ") or _word_end(text, room)
    return _trim_end(text[:cut]) + "…"


def _trim_end(text: str) -> str:
    """`text` without the white space and `TRAILING_MARKS` it ends with."""
    end = len(text)
    while end and (text[end - 1].isspace() or text[end - 1] in TRAILING_MARKS):
        end -= 1
    return text[:end]


def _break_at(text: str, room: int, marks: str) -> int:
    """The end of the last of `marks` in `text[:room]` past half of `room` (0: none)."""
    for at in range(room, room // 2, -1):
        if text[at - 1] in marks:
            return at
    return 0


def _word_end(text: str, room: int) -> int:
    """`room`, or nearer the start when `room` falls inside a run of letters and digits."""
    at = room
    while at > room // 2 and text[at - 1].isascii() and text[at].isascii() and (text[at - 1] + text[at]).isalnum():
        at -= 1
    return at if at > room // 2 else room


def _answer_text(body: str) -> str:
    """`answer_text`, worked out: from a short start of `body` when that shows enough text."""
    code = code_of(body)
    text = ""
    for size in (DESCRIBE_FIRST, DESCRIBE_CHARS):
        start = _start(body, size)
        pieces: list[str] = []
        length = 0
        for paragraph in _paragraphs(start, code):
            piece = " ".join(CJK_BREAK_RE.sub("", "".join(_inline_texts(paragraph))).split())
            if piece:
                pieces.append(piece)
                length += len(piece) + 1
            if length > DESCRIPTION_MAX:  # enough: `shorten` looks no further
                break
        text = " ".join(pieces)
        if length > DESCRIPTION_MAX or start == body:
            break
    return text


_TEXT: Memo[str, str] = Memo(_answer_text)  # each answer read once per generation


def _start(body: str, size: int) -> str:
    """The lines of `body` within its first `size` characters (the first `size` if one line is longer)."""
    if len(body) <= size:
        return body
    cut = body.rfind("\n", 0, size)
    return body[: cut if cut > 0 else size]


@dataclass(slots=True)
class _Lines:
    """Reads the lines of an answer's start one by one: what is left of each once blocks that
    show no text (math, comments) and block marks are taken out."""

    math: bool = False  # inside a `$$` block
    comment: bool = False  # inside an HTML comment
    starts: bool = False  # whether the last line read starts a block of its own (a list item, a heading)

    def text(self, line: str, spans: tuple[Span, ...]) -> str:
        """What `line` (its code `spans`) shows as text ("" for none: that ends a paragraph)."""
        if self.math:
            self.math = not _without_block_marks(line)[0].rstrip().endswith("$$")
            return ""
        masked = mask(line, spans, "`")  # a comment mark in code is code
        if self.comment:
            end = masked.find("-->")
            if end < 0:
                return ""
            self.comment, line, masked = False, line[end + 3 :], masked[end + 3 :]
        opened = masked.rfind("<!--")
        if opened >= 0 and masked.find("-->", opened) < 0:
            self.comment, line = True, line[:opened]
        line, self.starts = _without_block_marks(line)
        if line.startswith("$$"):
            self.math = not (len(line.rstrip()) > 3 and line.rstrip().endswith("$$"))
            return ""
        return "" if RULE_RE.fullmatch(line.rstrip(" \t")) or LINK_DEF_RE.match(line) else line


def _without_block_marks(line: str) -> tuple[str, bool]:
    """`line` without its quote and list marks (nested ones too), task box, alert label and
    heading marks; and whether it starts a block of its own (a list item or a heading)."""
    starts = False
    while (mark := CONTAINER_RE.match(line)) is not None and mark.end():
        starts = starts or ">" not in mark.group()
        line = line[mark.end() :]
        if box := ITEM_MARK_RE.match(line):
            line = line[box.end() :]
    heading = HEADING_MARK_RE.match(line)
    if heading is not None:
        line, starts = without_closing_hashes(line[heading.end() :]), True
    return line, starts


def without_closing_hashes(text: str) -> str:
    """A heading's text without its closing `#`s (after white space) and the white space around."""
    text = text.rstrip(" \t")
    closing = HEADING_END_RE.search(text)
    return text[: closing.start()].rstrip(" \t") if closing else text


def _paragraphs(text: str, code: Code) -> Iterator[str]:
    """The runs of lines of `text` that show text (code blocks, blank lines and the like end
    one), block marks taken out, table rules dropped and table pipes made spaces."""
    lines = _Lines()
    run: list[str] = []
    for index, line in enumerate([*text.split("\n"), ""]):  # the last: a blank line after all
        shown = "" if code.is_block(index) else lines.text(line, code.spans_on(index))
        if shown.strip() and not (run and lines.starts):
            run.append(shown)
            continue
        if run:
            rows = [row for row in run if not TABLE_RULE_RE.fullmatch(row)]
            joined = "\n".join(rows)
            yield PIPE_RE.sub(" ", joined) if len(rows) < len(run) else joined
        run = [shown] if shown.strip() else []


def _inline_texts(paragraph: str) -> Iterator[str]:
    """The text of one paragraph (markdown inline content; an image whose path has spaces is an
    image here too, as on the page)."""
    if " " in paragraph and "![" in paragraph:
        paragraph = without_spaced_images(paragraph)
    tokens = inline_parser().parseInline(paragraph)
    hidden = ""  # the tag (`script`, `style`) whose content is being skipped
    for tok in tokens[0].children or [] if tokens else []:
        if tok.type == "html_inline":
            tag = HIDDEN_TAG_RE.match(tok.content)
            if tag and not hidden and not tag.group(1):
                hidden = tag.group(2).lower()
            elif tag and tag.group(1) and tag.group(2).lower() == hidden:
                hidden = ""
            yield " " if BREAK_TAG_RE.match(tok.content) else ""
        elif not hidden:
            yield _inline_piece(tok)


def _inline_piece(tok: Token) -> str:
    if tok.type in ("text", "code_inline"):
        return tok.content
    if tok.type in ("softbreak", "hardbreak"):
        return "\n"
    if tok.type in ("math_inline", "math_inline_double"):
        return tok.content.strip() if PLAIN_MATH_RE.fullmatch(tok.content) else MATH_SHOWN
    return ""  # images, emphasis and link marks, anything else: no text of its own
