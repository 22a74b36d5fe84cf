"""The markdown constructs qadocs reads, found in one place, the way GitHub reads them.

* Code: the lines of fenced and indented code blocks, and the inline code spans (one may run
  over the lines of a paragraph), decided by markdown-it-py (`block_parser`), the GFM parser the
  outline is read with, so that what is code here is what is code on GitHub.
* Links and images: `[text](target "title")`, `![alt](target)`, `<img src>` and `<a href>`,
  outside code, each link's text holding the references inside it (`inline_refs`).
* HTML tags: `<img>`, `<a>` and their attributes, the container tags whose balance is checked,
  any tag (to read a heading's text), and the `id` / `name` anchors on a line.
* ATX heading lines (`md_heading`) and lines that are only a link (`is_link_line`).

Every offset returned is one into the text as written, so a column reported from it is the
column in the source. Every pattern is linear in the line it reads (tests/core/text/test_linear.py).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from qadocs.core.model import Memo

# -- the parsers -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """markdown-it-py reading blocks only (inline parsing is what costs, and headings are read on
    their own), with the block rules GitHub has: tables, `$$` math, raw HTML."""
    md = (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table"])
        .use(dollarmath_plugin, allow_space=True, double_inline=True)
    )
    md.core.ruler.disable(["inline"])
    return md


@lru_cache(maxsize=1)
def inline_parser() -> MarkdownIt:
    """markdown-it-py for the text of one heading (strikethrough and `$…$` as GitHub reads them)."""
    return (
        MarkdownIt("commonmark", {"html": True})
        .enable(["strikethrough"])
        .use(dollarmath_plugin, allow_space=True, double_inline=True)
    )


@lru_cache(maxsize=1)
def render_parser() -> MarkdownIt:
    """markdown-it-py set up as GitHub reads whole answers (`gfmblocks.py` takes their block
    structure from it): CommonMark, tables, strikethrough, raw HTML, task lists, footnotes and `$…$` /
    `$$…$$` math (GitHub parses math before markdown)."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return md.use(dollarmath_plugin, allow_space=True, double_inline=True).use(footnote_plugin).use(tasklists_plugin)


def parse_blocks(text: str) -> list[Token]:
    """The block tokens of `text`, their `map` our 0-based line numbers (a stray `\\r`, where
    markdown-it would end a line, is read as a space)."""
    return block_parser().parse(text.replace("\r", " ") if "\r" in text else text)


# -- code ------------------------------------------------------------------------------------------
# List items' markers as GitHub's parser reads them: a bullet, or up to 9 digits and `.` or `)`.
BULLET = r"[-*+]"
ORDINAL = r"\d{1,9}[.)]"
LIST_MARKER = f"(?:{BULLET}|{ORDINAL})"
CODE_BLOCKS = frozenset({"fence", "code_block"})  # the block tokens that are code
MATH_BLOCKS = frozenset({"math_block", "math_block_label"})  # `$$` blocks: no markdown inside either
BACKTICKS_RE = re.compile("`+")
# A table's delimiter row (`| --- | :-: |`), with `fullmatch`; each run of spaces or tabs has one
# place in the pattern, so it is linear on a line.
TABLE_RULE_RE = re.compile(r"[ \t]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*(?:\|[ \t]*)?")
Span = tuple[int, int]  # (start, end) offsets into one line


@dataclass(slots=True, frozen=True)
class Code:
    """Where a piece of markdown has code: the lines of its code blocks, and per line the
    columns inside inline code spans."""

    blocks: frozenset[int] = frozenset()  # 0-based lines of fenced or indented code, fences included
    spans: Mapping[int, tuple[Span, ...]] = field(default_factory=dict)  # 0-based line -> its code spans

    def is_block(self, index: int) -> bool:
        """True when line `index` belongs to a code block."""
        return index in self.blocks

    def spans_on(self, index: int) -> tuple[Span, ...]:
        """The code spans of line `index` (part of a span that runs over several lines included)."""
        return self.spans.get(index, ())


NO_CODE = Code()


def _has_block_marks(text: str) -> bool:
    """False when `text` can hold no code block: no ``` or `~~~` fence, and no indentation of 4
    columns (indented code needs 4 spaces or a tab)."""
    return "```" in text or "~~~" in text or "    " in text or "\t" in text


def code_of(text: str) -> Code:
    """Where `text` (a body, an intro, a source) has code, as GitHub reads it on its own (each
    text worked out once: the checks read a body, then the resolver; see `model.Memo`)."""
    return _CODE(text)


def _find_code(text: str) -> Code:
    """`code_of`, worked out."""
    lines = text.split("\n")
    spans: dict[int, tuple[Span, ...]] = {}
    literal = False  # a run of backticks outside every span of its line: it may pair with a later line
    for index, line in enumerate(lines):
        if "`" in line:
            found = code_spans(line)
            literal = literal or _has_literal_run(line, found)
            if found:
                spans[index] = tuple(found)
    if not literal and not _has_block_marks(text):
        return Code(frozenset(), spans) if spans else NO_CODE  # no blocks; each span on its line
    blocks: set[int] = set()
    inline_done: set[int] = set()  # first line of each inline region read (table cells share one)
    for tok in parse_blocks(text):
        if tok.map is None:
            continue
        start, end = tok.map
        if tok.type in CODE_BLOCKS:
            blocks.update(range(start, end))
        elif tok.type == "inline" and start not in inline_done and literal:  # a span may cross lines
            inline_done.add(start)
            for index in range(start, end):
                spans.pop(index, None)
            spans.update(_region_spans(lines, start, end))
    return Code(frozenset(blocks), {i: found for i, found in spans.items() if i not in blocks})


_CODE: Memo[str, Code] = Memo(_find_code)


def _has_literal_run(line: str, spans: list[Span]) -> bool:
    """True when a run of backticks of `line` stands outside all of its `spans`. Without one,
    the spans of a paragraph are those of its lines: each run's closer is on its own line."""
    k = 0
    for m in BACKTICKS_RE.finditer(line):
        while k < len(spans) and spans[k][1] <= m.start():
            k += 1
        if k == len(spans) or m.start() < spans[k][0]:
            return True
    return False


def _region_spans(lines: list[str], start: int, end: int) -> dict[int, tuple[Span, ...]]:
    """The code spans of the inline text on lines [start, end) (a paragraph), which may run from
    one line to the next, cut into spans per line. Container marks (`> `, indentation) hold no
    backtick, so the runs are those of the paragraph's text."""
    region = lines[start:end]
    if not any("`" in line for line in region):
        return {}
    firsts: list[int] = []  # offset of each line in the joined text
    pos = 0
    for line in region:
        firsts.append(pos)
        pos += len(line) + 1
    out: dict[int, list[Span]] = {}
    k = 0
    for a, b in code_spans("\n".join(region)):
        while firsts[k] + len(region[k]) < a:
            k += 1
        j = k
        while j < len(region) and firsts[j] < b:
            lo, hi = max(a - firsts[j], 0), min(b - firsts[j], len(region[j]))
            out.setdefault(start + j, []).append((lo, hi))
            j += 1
    return {index: tuple(found) for index, found in out.items()}


def code_spans(line: str) -> list[Span]:
    """(start, end) of each inline code span of `line`, backticks included, left to right.

    The CommonMark rule: a run of N backticks opens a span that closes at the next run of
    exactly N backticks; a run without such a closer is literal text. Linear in the line: one
    backward pass gives every run the next run of its length, so no run is searched for twice.
    """
    runs = [(m.start(), m.end()) for m in BACKTICKS_RE.finditer(line)]
    closer: list[int | None] = [None] * len(runs)
    next_of_length: dict[int, int] = {}
    for k in range(len(runs) - 1, -1, -1):
        length = runs[k][1] - runs[k][0]
        closer[k] = next_of_length.get(length)
        next_of_length[length] = k
    spans: list[Span] = []
    k = 0
    while k < len(runs):
        close = closer[k]
        if close is None:
            k += 1  # literal backticks; the next run may still open a span
        else:
            spans.append((runs[k][0], runs[close][1]))
            k = close + 1
    return spans


def mask(line: str, spans: Sequence[Span], fill: str = " ") -> str:
    """`line` with each of `spans` (in order, not overlapping) overwritten by `fill`: every other
    character stays in its column, and nothing on either side joins across a masked span."""
    if not spans:
        return line
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        parts += [line[pos:start], fill * (end - start)]
        pos = end
    parts.append(line[pos:])
    return "".join(parts)


def closes_fence(line: str, markup: str) -> bool:
    """True when `line` closes a fence opened with `markup` (as many of its characters or more)."""
    body = line.strip()
    return len(body) >= len(markup) and body == body[0] * len(body) and body[0] == markup[0]


# -- ATX headings ----------------------------------------------------------------------------------
# `## text ##`: the level, and the text after the spaces. `md_heading` drops the closing `#`s and
# trailing spaces in code: a lazy `(.*?)` before `(?:[ \t]+#+)?[ \t]*$` would retry those from
# every position of a run of spaces, quadratic in the run.
MD_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")


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
    if body != text and (not body or body[-1] in " \t"):  # a closing sequence: spaces, then `#`s
        text = body.rstrip(" \t")
    return len(m.group(1)), text or None


# -- HTML tags -------------------------------------------------------------------------------------
ANY_TAG_RE = re.compile(r"<[^>]*>")  # any tag, to drop from a heading's text
REF_TAG_RE = re.compile(r"<(img|a)\b[^>]*>", re.IGNORECASE)  # the tags that hold a reference
CONTAINER_TAGS = ("div", "details", "table", "blockquote", "center", "ul", "ol", "span", "p", "summary", "font")
# A container tag whose balance is checked: (closing `/`, name, self-closing `/`).
CONTAINER_TAG_RE = re.compile(r"<(/?)(" + "|".join(CONTAINER_TAGS) + r")\b[^>]*?(/?)>", re.IGNORECASE)
_ATTR = r"""(\b{name}\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)"""  # (name and `=`, value as written)
SRC_ATTR_RE = re.compile(_ATTR.format(name="src"), re.IGNORECASE)
HREF_ATTR_RE = re.compile(_ATTR.format(name="href"), re.IGNORECASE)
ALT_ATTR_RE = re.compile(_ATTR.format(name="alt"), re.IGNORECASE)
IMG_ALT_RE = re.compile(r"""<img\b[^<>]*?\balt\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>""", re.IGNORECASE)
ID_ATTR_RE = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
# `id=` or `name=`: what a link's `#fragment` reaches (value without `<`, `>`).
ANCHOR_ATTR_RE = re.compile(r"""\b(?:id|name)\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'<>=`]+))""", re.IGNORECASE)
MAX_NAMES_PER_LINE = 50  # anchors read from one line of HTML; more is no document, and each costs a scan


def find_tags(pattern: re.Pattern[str], line: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(line)` for a tag pattern whose every match ends at the first `>` after
    its start, in linear time: nothing after the last `>` can match, so it is not searched (a
    search from each `<` there would scan to the end of the line: quadratic)."""
    return pattern.finditer(line, 0, line.rfind(">") + 1)


def drop_tags(fragment: str) -> str:
    """`fragment` without its tags (`<` to the next `>`), in linear time (see `find_tags`)."""
    end = fragment.rfind(">") + 1
    return ANY_TAG_RE.sub("", fragment[:end]) + fragment[end:]


def attr_value(raw: str) -> str:
    """An attribute value as written (quoted or not) → its text, entities decoded."""
    if raw[:1] in "\"'":
        raw = raw[1:-1]
    return html.unescape(raw)


def anchor_names(line: str) -> Iterator[str]:
    """The `id` and `name` values of the HTML tags of one line (at most MAX_NAMES_PER_LINE)."""
    found = 0
    last_lt = last_gt = prev = -1  # the last `<` and `>` before the match, found window by window
    for m in ANCHOR_ATTR_RE.finditer(line):
        last_lt = max(last_lt, line.rfind("<", prev + 1, m.start()))
        last_gt = max(last_gt, line.rfind(">", prev + 1, m.start()))
        prev = m.start()
        if last_lt <= last_gt:
            continue  # not inside a tag
        value = next(g for g in m.groups() if g is not None)
        if value:
            yield value
        found += 1
        if found >= MAX_NAMES_PER_LINE:
            break


# -- links and images ------------------------------------------------------------------------------
# `[text](target "title")`: text may nest one level of brackets, target one level of parentheses.
# After `(` the spaces are taken whole (`\s*+`), or all but the one before a quoted title when
# the target is empty (`[a]( "t")`): the same matches as a plain `\s*`, without trying every
# split of a long run of spaces between `\s*`, `\s+` and `\s*`, which is quadratic. MASK (what
# `inline_refs` writes over code spans and tags) may stand in the text, never in target or title.
MASK = "\x00"
_TAIL = (
    r"\]\((?:\s*+|\s*(?=\s[\"']))"
    r"(<[^<>\n\x00]*>|[^\s()\x00]*(?:\([^\s()\x00]*\)[^\s()\x00]*)*)"
    r"""(\s+(?:"[^"\n\x00]*"|'[^'\n\x00]*'))?\s*\)"""
)
_INLINE = r"\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)" + _TAIL
# `](target "title")` closing a link whose text opened on an earlier line: groups target, title.
LINK_TAIL_RE = re.compile(_TAIL)
BRACKET_RE = re.compile(r"\\.|[\[\]]")  # a bracket, or an escaped character (which is none)
IMAGE_RE = re.compile("!" + _INLINE)  # groups: alt, target as written, title with its spaces
# An image whose path holds spaces (`![x](./imgs/Mask R-CNN.png)`), which CommonMark reads as text
# but authors see as an image: only a path to a picture file, no title. No character of the path
# may open another reference and the path cannot pass a `)`, so each `![` is tried once, over the
# text up to the next one: linear in the line. `spaced_images` keeps the paths that hold a space.
PATH_IMAGE_RE = re.compile(
    r"!\[((?:[^\[\]\\]|\\.)*)\]\(\s*([^\s()<>\"'\[\]!\x00][^()<>\"'\[\]!\x00\n]*"
    r"\.(?:png|jpe?g|gif|webp|avif|bmp|svg))\s*\)",
    re.IGNORECASE,
)


def spaced_images(text: str) -> list[re.Match[str]]:
    """The images of a text whose paths hold a space (see PATH_IMAGE_RE)."""
    return [m for m in PATH_IMAGE_RE.finditer(text) if " " in m.group(2)]


def without_spaced_images(text: str) -> str:
    """A text without its images whose paths hold a space."""
    return PATH_IMAGE_RE.sub(lambda m: "" if " " in m.group(2) else m.group(0), text)


LINK_RE = re.compile(r"(?<![!\\])" + _INLINE)  # groups: text, target as written, title with its spaces
LINK_LINE_START_RE = re.compile(f"\\s*(?:{LIST_MARKER}\\s+)?\\[")  # the start of `is_link_line`
RefKind = Literal["image", "link", "img", "a", "tail", "image_tail"]  # tail: `](target)` of a link begun above


@dataclass(slots=True)
class Ref:
    """A link or an image on one line: markdown (`image`, `link`) or a tag (`img`, `a`). Spans
    are offsets into the line as written."""

    kind: RefKind
    start: int
    end: int
    target: Span  # markdown: the target as written (`<url>` or `url`); a tag: the attribute value, quotes included
    text: Span = (0, 0)  # markdown: the link text or the image's alt; empty for a tag
    title: Span = (0, 0)  # markdown: the title with the spaces before it; empty when there is none
    inner: list[Ref] = field(default_factory=list)  # the references inside `text`, left to right


def split_target(raw: str) -> str:
    """The URL inside `(<url>)` or `(url)`."""
    raw = raw.strip()
    return raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw


def inline_refs(line: str, code: Sequence[Span] = ()) -> list[Ref]:
    """The links and images of one line outside its `code` spans, left to right; a reference
    inside a link's text or an image's alt is in that one's `inner`. A tag is one piece, as on
    GitHub: a markdown link never starts inside `<a href="…">`. Linear in the line."""
    if "[" not in line and "<" not in line:
        return []
    masked = mask(line, code, MASK)
    tags = list(find_tags(REF_TAG_RE, masked))
    if any(_after_link_text(masked, tag.start()) for tag in tags):
        tags = _not_destinations(masked, tags)
    refs = [ref for tag in tags if (ref := _tag_ref(tag)) is not None]
    masked = mask(masked, [tag.span() for tag in tags], MASK)
    refs += [_markdown_ref("image", m) for m in IMAGE_RE.finditer(masked)]
    refs += [_markdown_ref("link", m) for m in LINK_RE.finditer(masked)]
    if " " in line and "![" in line:
        taken = mask(masked, [(r.start, r.end) for r in refs], MASK)
        refs += [_markdown_ref("image", m) for m in spaced_images(taken)]
    return _nest(refs)


@dataclass(slots=True)
class OpenBrackets:
    """The `[` a paragraph's lines have left open so far, for `link_tails`."""

    images: list[bool] = field(default_factory=list)  # each one, oldest first: does it open `![`?
    dead: int = 0  # the first `dead` of them stand before a link: they make no link (links do not nest)


def link_tails(line: str, code: Sequence[Span], refs: Sequence[Ref], brackets: OpenBrackets) -> list[Ref]:
    """The ends of links (and images) whose text began on an earlier line of the same paragraph
    (`[Gong et` / `al., 2012](#ref)`), given the `brackets` left open there, which this line then
    updates. A `]` that closes no bracket of its own line closes an open one; with `(target)` right
    after it, it ends a link (a `tail` ref, `image_tail` after `![`; its text is on the lines
    above), unless a link stands inside it. Code spans and the line's own references (`refs`) are
    left out. Linear in the line."""
    if not brackets.images and "[" not in line:
        return []
    masked = mask(mask(line, code, MASK), [(r.start, r.end) for r in refs], MASK)
    links = sorted(r.start for r in refs if r.kind in ("link", "a"))
    stack = brackets.images
    own = 0  # of the stack, the brackets opened on this line
    tails: list[Ref] = []
    pos = seen = 0
    while (m := BRACKET_RE.search(masked, pos)) is not None:
        pos = m.end()
        if seen < len(links) and links[seen] < m.start():  # a link after the brackets open now
            brackets.dead = len(stack)
            while seen < len(links) and links[seen] < m.start():
                seen += 1
        if m.group() == "[":
            stack.append(m.start() > 0 and masked[m.start() - 1] == "!")
            own += 1
        elif m.group() == "]" and own:
            stack.pop()
            own -= 1
        elif m.group() == "]" and stack:
            image = stack.pop()
            dead = len(stack) < brackets.dead and not image
            brackets.dead = min(brackets.dead, len(stack))
            tail = LINK_TAIL_RE.match(masked, m.start())
            if tail is not None and not dead:
                title = tail.span(2) if tail.group(2) is not None else (tail.end(1), tail.end(1))
                kind: RefKind = "image_tail" if image else "tail"
                tails.append(Ref(kind, m.start(), tail.end(), tail.span(1), (m.start(), m.start()), title))
                pos = tail.end()
        brackets.dead = min(brackets.dead, len(stack))
    if seen < len(links):
        brackets.dead = len(stack)
    return tails


def _after_link_text(line: str, start: int) -> bool:
    """True when `](` and spaces stand before `start`: a `<` there may open a link's destination."""
    k = start
    while k > 0 and line[k - 1] in " \t":
        k -= 1
    return k >= 2 and line.startswith("](", k - 2)


def _not_destinations(masked: str, tags: list[re.Match[str]]) -> list[re.Match[str]]:
    """`tags` without those a link takes as its destination (`[笔记](<a note.md>)`: the `<…>` after
    `](` is the link's, on GitHub and in Python-Markdown, whatever it looks like)."""
    maybe = {tag.start() for tag in tags if _after_link_text(masked, tag.start())}
    others = mask(masked, [tag.span() for tag in tags if tag.start() not in maybe], MASK)
    starts = {m.start(2) for pattern in (LINK_RE, IMAGE_RE) for m in pattern.finditer(others)}
    return [tag for tag in tags if tag.start() not in starts]


def _tag_ref(tag: re.Match[str]) -> Ref | None:
    """The reference of an `<img>` or `<a>` tag; None when it has no `src` / `href`."""
    kind: RefKind = "img" if tag.group(1).lower() == "img" else "a"
    attr = (SRC_ATTR_RE if kind == "img" else HREF_ATTR_RE).search(tag.group(0))
    if attr is None:
        return None
    return Ref(kind, tag.start(), tag.end(), (tag.start() + attr.start(2), tag.start() + attr.end(2)))


def _markdown_ref(kind: RefKind, m: re.Match[str]) -> Ref:
    title = m.span(3) if m.re.groups >= 3 and m.group(3) is not None else (m.end(2), m.end(2))
    return Ref(kind, m.start(), m.end(), m.span(2), m.span(1), title)


def _nest(refs: list[Ref]) -> list[Ref]:
    """The references that stand on their own, each holding those inside its text; one that
    starts inside a target, a title or a tag, or runs past the end of one, is none."""
    refs.sort(key=lambda r: (r.start, -r.end))
    top: list[Ref] = []
    stack: list[Ref] = []  # the references the current one may stand inside, innermost last
    for ref in refs:
        while stack and stack[-1].end <= ref.start:
            stack.pop()
        if not stack:
            top.append(ref)
        elif stack[-1].text[0] <= ref.start and ref.end <= stack[-1].text[1]:
            stack[-1].inner.append(ref)
        else:
            continue
        stack.append(ref)
    return top


def is_link_line(line: str) -> bool:
    """True when `line` is `[…](…)` with an optional list marker: it starts with `[`, a `](`
    follows, and the last character that is not a space is a `)` after it. Linear in the line
    (a regex `\\[.*\\]\\(.*\\)` backtracks over every `](`, quadratic)."""
    m = LINK_LINE_START_RE.match(line)
    if m is None:
        return False
    rest = line[m.end() :].rstrip()  # after the `[`
    return rest.endswith(")") and "\n" not in rest and 0 <= rest.find("](") <= len(rest) - 3


# -- paragraphs too costly to render ---------------------------------------------------------------
# Python-Markdown reads a paragraph again from each `[` (where does this link's text, its target
# end?) and copies the whole paragraph for each inline construct it finds: thousands of `[a](` in
# one paragraph, or a paragraph of megabytes, take minutes (upstream, not ours). Such a paragraph
# is shown as written, as preformatted text (`as_written`), and `qadocs check` reports it. The
# largest in the nine reference collections: 30,125 (`[` × characters) and 1,952 characters.
LINK_WORK_MAX = 10_000_000  # `[` of one paragraph × its characters
PARAGRAPH_MAX = 100_000  # characters of one paragraph
AS_WRITTEN_OPEN = '<pre class="qadocs-as-written">'
# Python's HTMLParser, which Python-Markdown runs over a whole page, reads from each `<a` that no
# `>` follows anywhere to the end of the text, again for each one: 8,000 `<a ` take it 9 s, and
# twice as many four times as long. Each block holding such a tag start is shown as written when
# the characters it would read in all (`tail_work`) exceed this; the nine reference collections
# have none. `<` before a letter only (`</`, `<!`, `<?` are read in linear time). Fenced code is
# set aside before that parser runs, and is not counted.
TAIL_WORK_MAX = 2_000_000
TAG_START_RE = re.compile(r"<[A-Za-z]")


@dataclass(slots=True, frozen=True)
class Costly:
    """A paragraph Python-Markdown would take time out of proportion to its size to render."""

    start: int  # 0-based first line
    end: int  # 0-based line after its last
    size: int  # characters
    brackets: int  # `[` in it
    open_tags: int = 0  # tag starts in it that no `>` follows (`tail_work`)


def costly_paragraphs(text: str) -> list[Costly]:
    """The paragraphs of `text` (a list item's and a quote's too) over `PARAGRAPH_MAX`
    characters, or whose `[` × characters exceed `LINK_WORK_MAX`, and the blocks holding the tag
    starts that make `tail_work` exceed `TAIL_WORK_MAX`; none without parsing when the whole
    text is within all three."""
    size = len(text)
    links_fit = size <= PARAGRAPH_MAX and text.count("[") * size <= LINK_WORK_MAX
    fenced = "```" in text or "~~~" in text  # a fence may hide the last `>` from the parser
    tags_fit = text.count("<") * size <= TAIL_WORK_MAX or (not fenced and tail_work(text)[1] <= TAIL_WORK_MAX)
    if links_fit and tags_fit:
        return []
    tokens = parse_blocks(text)
    found: list[Costly] = []
    for opening, inline in pairwise(tokens):
        if opening.type != "paragraph_open" or inline.type != "inline" or opening.map is None:
            continue
        size, brackets = len(inline.content), inline.content.count("[")
        if size > PARAGRAPH_MAX or size * brackets > LINK_WORK_MAX:
            found.append(Costly(opening.map[0], opening.map[1], size, brackets))
    taken = {c.start for c in found}
    found += (c for c in _open_tag_blocks(text, tokens) if c.start not in taken)
    return sorted(found, key=lambda c: c.start)


def tail_work(text: str) -> tuple[list[int], int]:
    """The tag starts of `text` that no `>` follows (their offsets), and the characters Python's
    HTMLParser reads from them all: for each, to the end of the text."""
    starts = [m.start() for m in TAG_START_RE.finditer(text, text.rfind(">") + 1)]
    return starts, sum(len(text) - start for start in starts)


def _open_tag_blocks(text: str, tokens: list[Token]) -> list[Costly]:
    """The blocks holding tag starts that no `>` follows, when there are enough of them to
    exceed `TAIL_WORK_MAX` (fenced code read as empty lines: the parser never sees it)."""
    lines = text.replace("\r", " ").split("\n")
    for token in tokens:
        if token.type == "fence" and token.map is not None:
            lines[token.map[0] : token.map[1]] = [""] * (token.map[1] - token.map[0])
    starts, work = tail_work("\n".join(lines))
    if work <= TAIL_WORK_MAX:
        return []
    line_ends, at = [], -1
    for line in lines:
        at += len(line) + 1
        line_ends.append(at)
    owner: list[tuple[int, int] | None] = [None] * len(lines)  # each line's innermost block
    blocks = {(t.map[0], t.map[1]) for t in tokens if t.map is not None and t.nesting >= 0 and t.type != "fence"}
    for first, end in sorted(blocks, key=lambda b: b[0] - b[1]):  # larger first, then those inside them
        owner[first:end] = [(first, end)] * (end - first)
    counted: dict[tuple[int, int], int] = {}
    index = 0
    for start in starts:
        while line_ends[index] < start:
            index += 1
        block = owner[index] or (index, index + 1)
        counted[block] = counted.get(block, 0) + 1
    return [
        Costly(first, end, sum(len(line) + 1 for line in lines[first:end]), 0, tags)
        for (first, end), tags in sorted(counted.items())
    ]


def as_written(text: str) -> str:
    """`text` with each of its `costly_paragraphs` turned into preformatted text that shows it as
    written (an HTML block on the same lines, nothing in it read as markdown or HTML)."""
    costly = costly_paragraphs(text)
    if not costly:
        return text
    lines = text.split("\n")
    for c in costly:
        for index in range(c.start, c.end):
            lines[index] = html.escape(lines[index], quote=False).replace("[", "&#91;")
        lines[c.start] = AS_WRITTEN_OPEN + lines[c.start]
        lines[c.end - 1] += "</pre>"
    return "\n".join(lines)
