r"""GitHub's block structure, read with markdown-it-py, and the whitespace that makes
Python-Markdown read the same blocks (`qadocs.extensions.gfm` applies it to each page; the checks
use the same reading to measure nesting). See the extension's doc for what is rewritten."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it.token import Token

from qadocs.core.text.lex import LIST_MARKER, closes_fence, find_tags, render_parser

TAB = 4  # Python-Markdown's tab_length
MAX_NESTING = 20  # markdown-it's own limit (its `maxNesting`): quotes deeper than it are left as written
# Tags left open by HTML blocks that md_in_html renders (`<div markdown="1">` in one another): it
# recurses per tag, and 340 of them exhaust Python's stack. Past this, a page's HTML blocks are read
# as GitHub reads them, the `markdown` attribute ignored.
MAX_HTML_NESTING = 32
MARKER_RE = re.compile(f"^(?P<indent> *)(?P<marker>{LIST_MARKER})(?P<space> *)")
ALERT_RE = re.compile(r"^ {0,3}> ?\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\] *$", re.I)
QUOTE_PREFIX_RE = re.compile(r"^ {0,3}> ?")
# The tags of an HTML block, to find a `markdown` attribute (`<p class="…" markdown>`: md_in_html
# renders its content). A tag cannot pass a `<` or `>`: the scans from two starts never overlap.
TAG_RE = re.compile(r"<(/?)([A-Za-z][\w:-]*)([^<>]*)>")
QUOTED_RE = re.compile(r"\"[^\"]*\"|'[^']*'")  # attribute values, where `markdown` is no attribute
MARKDOWN_NAME_RE = re.compile(r"(?:^|\s)markdown(?=[\s=/]|$)", re.IGNORECASE)
VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
# GitHub's alerts and the Material admonition type with the closest colour.
ALERTS = {
    "note": ("note", "Note"),
    "tip": ("tip", "Tip"),
    "important": ("example", "Important"),
    "warning": ("warning", "Warning"),
    "caution": ("danger", "Caution"),
}
# Blocks Python-Markdown only sees with a blank line before (and after) them.
SEPARATE = {
    "bullet_list_open",
    "ordered_list_open",
    "table_open",
    "fence",
    "code_block",
    "math_block",
    "math_block_label",
    "html_block",
    "heading_open",
    "blockquote_open",
    "hr",
}
HEAVY = SEPARATE - {"bullet_list_open", "ordered_list_open"}  # an item holding one is spaced out


@dataclass(slots=True)
class _Item:
    """One list item of the source, as the re-indenting needs it."""

    start: int  # line of the marker
    end: int  # first line after the item
    depth: int
    content: int  # column of the item's content in the source
    marker_end: int  # column after the marker


@dataclass(slots=True)
class ListShape:
    """What GitHub makes of one list: tight (items without <p>) and where it is in the document."""

    tight: bool
    ordered: bool


def _item(line: str, start: int, end: int, depth: int) -> _Item | None:
    """The list item whose marker starts `line` (lines `start` to `end`), or None without a marker."""
    m = MARKER_RE.match(line)
    if m is None:
        return None
    marker_end = m.end("marker")
    spaces = len(m.group("space"))
    content = marker_end + (spaces if 1 <= spaces <= 4 and m.end() < len(line) else 1)
    return _Item(start, end, depth, content, marker_end)


def _tight(tokens: list[Token], i: int) -> bool:
    """markdown-it hides the paragraphs of a tight list's items."""
    level = tokens[i].level
    for tok in tokens[i + 1 :]:
        if tok.level == level:
            return True
        if tok.type == "paragraph_open" and tok.level == level + 2:
            return tok.hidden
    return True


def analyse(text: str) -> tuple[list[Token], list[ListShape]]:
    """markdown-it's tokens of `text` and the shape of each list, in document order."""
    tokens = render_parser().parse(text)
    shapes = [
        ListShape(_tight(tokens, i), t.type == "ordered_list_open")
        for i, t in enumerate(tokens)
        if t.type in ("bullet_list_open", "ordered_list_open")
    ]
    return tokens, shapes


def normalise(text: str, depth: int = 0) -> str:
    """`text` rewritten so that Python-Markdown reads the blocks GitHub reads (see module doc)."""
    return normalise_lists(text, depth)[0]


def normalise_lists(
    text: str, depth: int = 0, stash: Callable[[str], str] | None = None
) -> tuple[str, list[ListShape]]:
    """`normalise(text)` and the shape of each list GitHub shows in `text` (one parse for both).

    `depth` counts the block quotes around `text`: past markdown-it's own nesting limit the
    quotes' bodies are kept as written (no recursion without end on `> > > …`). `stash` (Python-
    Markdown's `htmlStash.store`) takes each top-level HTML block as GitHub ends it, at a blank
    line, and gives the placeholder that stands for it: the markdown between two HTML blocks
    (`<details><summary>Answer</summary>`, a blank line, `#### Answer: D`…, `</details>`) is
    markdown, as on GitHub, where Python-Markdown alone would keep it all as raw HTML up to the
    closing tag. A block with a `markdown` attribute is left to `md_in_html`."""
    lines = text.expandtabs(TAB).split("\n")
    tokens, shapes = analyse("\n".join(lines))
    closing = _unclosed_fence(lines, tokens)
    if closing is not None:  # GitHub shows the rest of the text as code: so must Python-Markdown
        lines.append(closing)
        tokens, shapes = analyse("\n".join(lines))
    _dedent_fences(lines, tokens)
    edits = _Scan(lines, tokens).run()
    if markdown_nesting(tokens)[0] > MAX_HTML_NESTING:  # md_in_html would recurse without end: as on GitHub
        edits.html = {t.map[0]: t.map[1] for t in tokens if t.type == "html_block" and not t.level and t.map}
    return "\n".join(_rewrite(lines, edits, depth, stash)), shapes


def _dedent_fences(lines: list[str], tokens: list[Token]) -> None:
    """A top-level fence indented 1 to 3 spaces, its lines moved left by that much, as CommonMark
    reads them (a line indented less keeps what it has): Python-Markdown would end the fence at
    the first line indented less than its opening."""
    for tok in tokens:
        if tok.type != "fence" or tok.level != 0 or tok.map is None:
            continue
        start, end = tok.map
        indent = len(lines[start]) - len(lines[start].lstrip(" "))
        if indent:
            for i in range(start, end):
                lines[i] = lines[i][min(indent, len(lines[i]) - len(lines[i].lstrip(" "))) :]


def _unclosed_fence(lines: list[str], tokens: list[Token]) -> str | None:
    """The line that closes a top-level code fence left open to the end of the text (GitHub
    shows everything after it as code; Python-Markdown would show no code at all), or None."""
    last = next((t for t in reversed(tokens) if t.level == 0 and t.map is not None), None)
    if last is None or last.type != "fence" or last.map is None or last.map[1] < len(lines) - 1:
        return None
    start, end = last.map
    if end - 1 > start and closes_fence(lines[end - 1], last.markup):
        return None
    opening = lines[start]
    return opening[: len(opening) - len(opening.lstrip(" "))] + last.markup


# -- reading the block map: where lines need a change ---------------------------------------------

LIST_OPEN = ("bullet_list_open", "ordered_list_open")


@dataclass(slots=True)
class _Edits:
    """Where the source lines need a change, by line number (0-based)."""

    owner: dict[int, _Item] = field(default_factory=dict)  # line -> innermost list item holding it
    blank_before: set[int] = field(default_factory=set)
    alerts: dict[int, tuple[int, str]] = field(default_factory=dict)  # first line -> (end, alert kind)
    quotes: dict[int, int] = field(default_factory=dict)  # top-level quote: first line -> end; normalised inside
    separators: set[int] = field(
        default_factory=set
    )  # quotes or lists GitHub keeps apart and Python-Markdown would merge
    escapes: set[int] = field(default_factory=set)  # paragraph lines that look like list items to Python-Markdown only
    html: dict[int, int] = field(default_factory=dict)  # top-level HTML block: first line -> end


@dataclass(slots=True)
class _Scan:
    """One pass over markdown-it's tokens, keeping the open containers, list items and lists."""

    lines: list[str]
    tokens: list[Token]
    edits: _Edits = field(default_factory=_Edits)
    stack: list[str] = field(default_factory=list)  # open container token types
    items: list[_Item] = field(default_factory=list)  # of the open list items
    loose: list[bool] = field(default_factory=list)  # of the open lists
    heavy_items: set[int] = field(default_factory=set)  # start lines of items holding a code, table, math… block
    md_in_html: int = 0  # tags a block left to md_in_html leaves open: HTML blocks are left to it too

    def run(self) -> _Edits:
        """The edits of the whole text."""
        for i, tok in enumerate(self.tokens):
            if tok.nesting == -1:
                self._close()
            else:
                self._open(i, tok)
        self._space_after_heavy_items()
        return self.edits

    def _close(self) -> None:
        """A container ends: forget its item or list."""
        if not self.stack:
            return
        popped = self.stack.pop()
        if popped == "list_item_open" and self.items:
            self.items.pop()
        if popped in LIST_OPEN and self.loose:
            self.loose.pop()

    def _open(self, i: int, tok: Token) -> None:
        """A block starts (or is self-contained): note what it needs; lists in quotes are left alone."""
        if tok.type in LIST_OPEN:
            self.loose.append(not _tight(self.tokens, i))
            before = self.tokens[i - 1].type if i else ""
            if tok.map is not None and not self.stack and before == tok.type.replace("_open", "_close"):
                self.edits.separators.add(tok.map[0])  # `1.` then `1)`: two lists that Python-Markdown would merge
        if tok.map is not None and "blockquote_open" not in self.stack:
            first, last = tok.map
            if tok.type in SEPARATE:
                self._separate(tok.type, first, last)
            if tok.type == "html_block" and not self.stack:
                self._html_block(tok.content, first, last)
            if tok.type == "blockquote_open":
                self._quote(i, first, last)
            elif tok.type == "paragraph_open":
                self._paragraph(first, last)
            elif tok.type == "list_item_open":
                self._list_item(first, last)
        if tok.nesting == 1:
            self.stack.append(tok.type)

    def _separate(self, kind: str, first: int, last: int) -> None:
        """Blank lines around a block Python-Markdown only sees apart; its item becomes heavy."""
        if first > 0:
            self.edits.blank_before.add(first)
        if last < len(self.lines):  # a list too: Python-Markdown swallows a sibling item after it
            self.edits.blank_before.add(last)
        if kind in HEAVY and self.items:
            self.heavy_items.add(self.items[-1].start)

    def _html_block(self, content: str, first: int, last: int) -> None:
        """A top-level HTML block goes to the stash, unless md_in_html is to render it (a tag with
        a `markdown` attribute), and so are the blocks after it until the tags it left open close."""
        markdown, opened = _tags(content) if "<" in content else (False, 0)
        if self.md_in_html or markdown:
            self.md_in_html = max(0, self.md_in_html + opened)
            return
        self.edits.html[first] = last

    def _quote(self, i: int, first: int, last: int) -> None:
        """A top-level quote is an alert or is normalised inside; one right after another stays apart."""
        if self.stack:  # a quote in a list item: left to Python-Markdown
            return
        if i and self.tokens[i - 1].type == "blockquote_close":
            self.edits.separators.add(first)
        m = ALERT_RE.match(self.lines[first])
        if m:
            self.edits.alerts[first] = (last, m.group(1).lower())
        else:
            self.edits.quotes[first] = last

    def _paragraph(self, first: int, last: int) -> None:
        """Lines of a paragraph in a list item that Python-Markdown would read as items are escaped."""
        if not self.items:
            return
        for n in range(first + 1, last):
            m = MARKER_RE.match(self.lines[n])
            if m and (m.group("space") or m.end() == len(self.lines[n])):
                self.edits.escapes.add(n)

    def _list_item(self, first: int, last: int) -> None:
        """An item: its lines go to its depth's indentation; GitHub spaces a loose list's items out."""
        depth = sum(1 for t in self.stack if t == "list_item_open") + 1
        if self.loose and self.loose[-1]:
            self.edits.blank_before.add(first)
        item = _item(self.lines[first], first, last, depth)
        if item is None:
            self.items.append(_Item(first, first, depth, 0, 0))
            return
        self.edits.owner.update(dict.fromkeys(range(item.start, item.end), item))
        self.items.append(item)

    def _space_after_heavy_items(self) -> None:
        """A sibling item after a heavy item gets a blank line before it."""
        owner = self.edits.owner
        for tok in self.tokens:
            if tok.type == "list_item_open" and tok.map is not None:
                prev = tok.map[0] - 1
                if prev >= 0 and prev in owner and owner[prev].start in self.heavy_items:
                    self.edits.blank_before.add(tok.map[0])


def markdown_nesting(tokens: list[Token]) -> tuple[int, int]:
    """(deepest, line): how many tags the top-level HTML blocks left to md_in_html (from one with a
    `markdown` attribute until the tags it opened close) leave open at most, and the 0-based line
    of the block that first leaves more than MAX_HTML_NESTING open (-1 if none)."""
    depth = deepest = 0
    at = -1
    for tok in tokens:
        if tok.type != "html_block" or tok.level or tok.map is None:
            continue
        markdown, opened = _tags(tok.content) if "<" in tok.content else (False, 0)
        if depth or markdown:
            depth = max(0, depth + opened)
            deepest = max(deepest, depth)
            at = tok.map[0] if at < 0 and depth > MAX_HTML_NESTING else at
    return deepest, at


def _tags(html: str) -> tuple[bool, int]:
    """Whether a tag of an HTML block has a `markdown` attribute, and how many tags the block opens
    less those it closes (void and self-closing tags aside). Linear in the block."""
    found, opened = False, 0
    for tag in find_tags(TAG_RE, html):
        closing, name, attrs = tag.groups()
        if closing:
            opened -= 1
            continue
        found = found or (
            "markdown" in attrs.lower() and MARKDOWN_NAME_RE.search(QUOTED_RE.sub(" ", attrs)) is not None
        )
        if name.lower() not in VOID_TAGS and not attrs.rstrip().endswith("/"):
            opened += 1
    return found, opened


# -- rewriting the lines ------------------------------------------------------------------------


def _rewrite(lines: list[str], edits: _Edits, depth: int, stash: Callable[[str], str] | None = None) -> list[str]:
    """`lines` with the edits made: blank lines added, items re-indented, quotes and alerts redone,
    top-level HTML blocks stashed (when `stash` is given)."""
    out: list[str] = []
    n = 0
    while n < len(lines):
        if stash is not None and n in edits.html:
            _blank_line(out)  # the block stashed from its `<`: Python-Markdown then sees it is block-level
            out.append(stash("\n".join([lines[n].lstrip(" "), *lines[n + 1 : edits.html[n]]])))
            n = edits.html[n]
            continue
        if n in edits.alerts:
            last, kind = edits.alerts[n]
            _blank_line(out)
            out += _alert(lines[n + 1 : last], kind, depth)
            n = last
            continue
        if n in edits.quotes:
            _blank_line(out)
            if n in edits.separators:
                out += ["<!-- -->", ""]
            out += _quote(lines[n : edits.quotes[n]], depth)
            n = edits.quotes[n]
            continue
        line = lines[n]
        if n in edits.blank_before and line.strip():
            _blank_line(out)
        if n in edits.separators:
            out += ["<!-- -->", ""]
        out.append(_line(line, n, edits.owner.get(n), n in edits.escapes))
        n += 1
    return out


def _blank_line(out: list[str]) -> None:
    """End what `out` holds with a blank line, unless it is empty or ends with one."""
    if out and out[-1].strip():
        out.append("")


def _alert(quoted: list[str], kind: str, depth: int) -> list[str]:
    """A GitHub alert's body lines (after `> [!KIND]`) as a Material admonition."""
    admonition, title = ALERTS[kind]
    body = _quote_body(quoted, depth)
    return [f'!!! {admonition} "{title}"', *("    " + b if b.strip() else "" for b in body.split("\n"))]


def _quote(quoted: list[str], depth: int) -> list[str]:
    """A top-level block quote, normalised inside."""
    body = _quote_body(quoted, depth)
    return ["> " + b if b.strip() else ">" for b in body.split("\n")]


def _line(line: str, n: int, item: _Item | None, escaped: bool) -> str:
    """Line `n`, on Python-Markdown's grid when it belongs to a list `item`."""
    if item is None or not line.strip() or item.content == 0:
        return line if line.strip() or item is None else ""
    if n == item.start:
        rest = line[item.marker_end :]
        rest = rest[1:] if rest.startswith(" ") else rest
        marker = line[: item.marker_end].lstrip(" ")
        if marker.endswith(")"):  # `1)`: an ordered list on GitHub; Python-Markdown knows only `1.`
            marker = marker[:-1] + "."
        return " " * (TAB * (item.depth - 1)) + marker + " " + rest
    indent = len(line) - len(line.lstrip(" "))
    extra = indent - item.content if indent >= item.content else 0
    body = line.lstrip(" ")
    if escaped:  # `2. x` continuing a paragraph: text on GitHub, an item to Python-Markdown
        m = MARKER_RE.match(body)
        assert m is not None
        body = body[: m.end("marker") - 1] + "\\" + body[m.end("marker") - 1 :]
    return " " * (TAB * item.depth + extra) + body


def _quote_body(quoted: list[str], depth: int) -> str:
    """The text inside a block quote's lines, normalised unless quotes nest past the limit."""
    body = "\n".join(QUOTE_PREFIX_RE.sub("", line, count=1) for line in quoted)
    return normalise(body, depth + 1) if depth < MAX_NESTING else body
