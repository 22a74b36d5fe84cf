"""The lexer (`qadocs.core.text.lex`) against GitHub: cmarkgfm, GitHub's own cmark-gfm, decides what is a
code block, a code span, a link or an image, and a heading. Where the lexer knowingly reads
otherwise, the case is listed with what GitHub does, so that the difference stays deliberate."""

from __future__ import annotations

import html
import random
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import assume, given
from hypothesis import strategies as st

from counting import counted
from qadocs.core.check import check_sources
from qadocs.core.model import new_generation
from qadocs.core.plan.rewrite import Image, LinkDecisions, rewrite_markdown
from qadocs.core.split.questions import split_source
from qadocs.core.text import lex
from qadocs.core.text.lex import (
    NO_CODE,
    Ref,
    attr_value,
    code_of,
    code_spans,
    inline_refs,
    md_heading,
    parse_blocks,
    split_target,
)

GFM = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_SOURCEPOS  # raw HTML kept, blocks with their lines


VOID = frozenset({"img", "br", "hr", "input"})


def github(text: str) -> str:
    """GitHub's HTML for `text`."""
    return cmarkgfm.github_flavored_markdown_to_html(text, options=GFM)


class _GitHubHTML(HTMLParser):
    """Reads GitHub's HTML: the source lines of its code blocks, its code spans, its references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int]] = []  # (tag, last 0-based line of it)
        self.code_lines: set[int] = set()
        self.spans: list[str] = []
        self.targets: list[str] = []
        self._span: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        attr = {"a": "href", "img": "src"}.get(tag)
        if attr is not None and attr in values:
            self.targets.append(unquote(values[attr] or ""))
        if tag in VOID:
            return
        end = 10**9
        pos = values.get("data-sourcepos")
        if pos:
            first, last = (tuple(map(int, p.split(":"))) for p in pos.split("-"))
            end = last[0] if last[1] > 0 else last[0] - 1
        # cmark gives a fence closed by the end of its list item or quote one line too many
        end = min([end] + [e for _, e in self.stack])
        if tag == "pre" and pos:
            self.code_lines.update(range(first[0] - 1, end))
        if tag == "code" and not any(t == "pre" for t, _ in self.stack):
            self._span = []
        self.stack.append((tag, end))

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self._span is not None:
            self.spans.append("".join(self._span))
            self._span = None
        if any(t == tag for t, _ in self.stack):
            while self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._span is not None:
            self._span.append(data)


def read_github(text: str) -> _GitHubHTML:
    parser = _GitHubHTML()
    parser.feed(github(text))
    return parser


# -- code blocks ---------------------------------------------------------------------------------

LINES = [
    "",
    "text",
    "```",
    "```py",
    "~~~",
    "````",
    "- item",
    "1. item",
    "  - sub",
    "    code",
    "      six",
    "\tcode",
    "> quote",
    ">     code",
    "> ```",
    "<div>",
    "</div>",
    "# h",
    "---",
    "`a` b",
    "  ```",
    "   ~~~",
    "- ```",
    "        eight",
    "~~~~",
    "``` a`b",
]


def nonblank(lines: list[str], found: set[int] | frozenset[int]) -> set[int]:
    return {i for i in found if i < len(lines) and lines[i].strip()}  # a blank line holds nothing to read


@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=10))
def test_code_blocks_as_github(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert nonblank(lines, code_of(text).blocks) == nonblank(lines, read_github(text).code_lines)


def test_code_blocks_cases() -> None:
    cases = {
        "a\n\n    [x](y)\n": {2},  # indented code: FenceTracker read it as text
        "- a\n\n      code\n": {2},  # indented code inside a list item
        "- a\n\n    text\n": set(),  # the item's paragraph, not code
        "> ```\n> x\n\n[y](z)": {0, 1},  # a fence in a quote ends with it
        "        ```\n[a](b)": {0},  # 8 spaces: indented code, not a fence that swallows the rest
        "``` `a`\n[b](c)": set(),  # a backtick after ``` makes inline code, not a fence
        "~~~\n[a](b)\n": {0, 1},  # unclosed: code to the end
    }
    for text, expected in cases.items():
        lines = text.split("\n")
        assert nonblank(lines, code_of(text).blocks) == nonblank(lines, read_github(text).code_lines), text
        assert nonblank(lines, code_of(text).blocks) == expected, text


def test_plain_text_is_not_parsed() -> None:
    assert code_of("just text, [a](b) and <div>") is NO_CODE


# -- code spans ----------------------------------------------------------------------------------


def span_text(raw: str) -> str:
    """What a code span shows (CommonMark): backticks off, line ends as spaces, one space trimmed
    from both ends when both are spaces."""
    body = raw.strip("`").replace("\n", " ")
    return body[1:-1] if len(body) >= 2 and body[0] == body[-1] == " " and body.strip(" ") else body


def literal_run_before_span(text: str, spans: list[tuple[int, int]]) -> bool:
    """A run of backticks left literal before the end of a code span: there cmark-gfm's cache of
    closer positions goes stale, and it misses spans the spec has (see test_cmark_backtick_cache)."""
    inside = [False] * len(text)
    for a, b in spans:
        inside[a:b] = [True] * (b - a)
    last_end = spans[-1][1] if spans else 0
    return any(m.start() < last_end and not inside[m.start()] for m in re.finditer("`+", text))


@given(st.lists(st.text(alphabet="`` a", max_size=8).map(lambda s: "x" + s), min_size=1, max_size=4))
def test_code_spans_as_github(lines: list[str]) -> None:
    text = "\n".join(lines)  # one paragraph: every line starts with `x`
    spans = code_spans(text)
    assume(not literal_run_before_span(text, spans))
    assert [span_text(text[a:b]) for a, b in spans] == read_github(text).spans
    # `code_of` cuts the paragraph's spans into lines: the same characters are code
    code = code_of(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found = {starts[i] + k for i in range(len(lines)) for a, b in code.spans_on(i) for k in range(a, b)}
    assert found == {k for a, b in spans for k in range(a, b) if text[k] != "\n"}


def test_code_span_over_two_lines() -> None:
    text = "a ``x <div>\ny`` [b](c)"
    assert read_github(text).spans == ["x <div> y"]
    code = code_of(text)
    assert code.spans_on(0) == ((2, 11),) and code.spans_on(1) == ((0, 3),)


def test_code_spans_stay_in_their_paragraph() -> None:
    text = "a `b\n\nc` d"
    assert read_github(text).spans == []
    assert code_of(text).spans == {}


def test_cmark_backtick_cache() -> None:
    """Known difference: after a run with no closer, cmark-gfm remembers where the runs of each
    length were, and a span closed by an earlier run overwrites that, so a later span is missed.
    The lexer follows the CommonMark spec (and markdown-it, the parser the site's lists follow)."""
    text = "Use ``` to open a fence; `a` and `b` are code"
    assert read_github(text).spans == ["a"]
    assert [span_text(text[a:b]) for a, b in code_spans(text)] == ["a", "b"]


# -- links and images ----------------------------------------------------------------------------


def targets(line: str) -> list[str]:
    """Every target of `line`, outer before inner, as the lexer finds them."""

    def walk(refs: list[Ref]) -> list[str]:
        out: list[str] = []
        for r in refs:
            raw = line[r.target[0] : r.target[1]]
            out.append(split_target(raw) if r.kind in ("image", "link") else attr_value(raw))
            out += walk(r.inner)
        return out

    return walk(inline_refs(line, code_of(line).spans_on(0)))


LINK_CASES = [
    "[a](b)",
    "![a](b.png)",
    "[a](<b c>)",
    '[a](b "t")',
    "[a]( b )",
    "[`x`](b)",
    "`[a](b)`",
    "``[a](b)`` [c](d)",
    '[a](b) ![c](d) <img src="e"> [f](g)',
    "\\[a](b)",
    "[a\\]b](c)",
    "[a [b] c](d)",
    "[![i](a)](b)",
    "[a](b(c)d)",
    '<a href="x">[y](z)</a>',
    "![a ![b](c)](d)",
    "x [a]( <b> ) y",
    "[a](b 'c')",
    '[a](b "c" )',
    "[a]()",
    "[](b)",
    "[a](#x)",
    '[a](b"c)',
    "text ``code [a](b) ``",
    '<img alt="x" src="a.png">',
    "<img src=a.png>",
    '[<img src="a">](b)',
    "[a](b)c](d)",
    "[a]b](c)",
    "a](b)",
    "[a](b c)",
    "[[a]](b)",
    "[a](b)(c)",
    "![a](b)![c](d)",
    '[x](y "t") `code` [z](w)',
    "[a `b](c)` d",
    '<a href="[x](y)">z</a>',
]


def test_links_as_github() -> None:
    for line in LINK_CASES:
        assert targets(line) == read_github(line).targets, line


def test_links_known_differences() -> None:
    """Where the lexer reads otherwise than GitHub, kept as the link rewriting always did."""
    differ = {
        "[a [b](c)](d)": (["d"], ["c"]),  # GitHub: a link holds no link, the inner one wins
        "[a](`b`)": ([], ["`b`"]),  # GitHub: the target is read before code spans; here code wins
        "[a](<b>c)": (["<b>c"], []),  # GitHub: `<` opens a pointy target or none
    }
    for line, (ours, theirs) in differ.items():
        assert targets(line) == ours, line
        assert read_github(line).targets == theirs, line


def test_refs_are_offsets_into_the_line() -> None:
    line = '![a](x.png) <img src="y.png"> `[c](d)` [b ![i](z.png)](<u v>)'
    refs = inline_refs(line, code_spans(line))
    assert [(r.kind, r.start, line[r.start : r.end]) for r in refs] == [
        ("image", 0, "![a](x.png)"),
        ("img", 12, '<img src="y.png">'),
        ("link", 39, "[b ![i](z.png)](<u v>)"),
    ]
    link = refs[2]
    assert line[link.target[0] : link.target[1]] == "<u v>"
    assert [(r.kind, r.start) for r in link.inner] == [("image", 42)]
    assert line[refs[1].target[0] : refs[1].target[1]] == '"y.png"'


def test_hostile_lines_are_linear() -> None:
    for line in [
        "[" * 100_000,
        "![a](" * 30_000,
        "<img " * 30_000 + ">",
        "[a](" + " " * 100_000 + "x",
        "`" * 50_000 + "[a](b)",
        "[" + "[a]" * 30_000 + "](b)",
        "<a href=x " * 30_000,
    ]:
        inline_refs(line, code_spans(line))  # would take minutes if quadratic


# -- headings ------------------------------------------------------------------------------------


@given(st.text(alphabet="# \tab", max_size=12))
def test_md_heading_as_github(line: str) -> None:
    out = github(line.replace("\n", ""))
    m = re.match(r"<h(\d)[^>]*>(.*)</h\d>\n$", out)
    theirs = (int(m.group(1)), html.unescape(m.group(2)) or None) if m else None
    assert md_heading(line) == theirs


# -- what the issue reported -----------------------------------------------------------------------


class Recorder(LinkDecisions):
    """Keeps every (target, line, col) it is asked about; finds every image and link."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int, int]] = []

    def image(self, target: str, line: int, col: int = 1) -> Image:
        self.seen.append((target, line, col))
        return Image("../imgs/" + target)

    def link(self, target: str, line: int, col: int = 1, html: bool = False) -> str | None:
        self.seen.append((target, line, col))
        return target


def test_columns_are_those_of_the_source() -> None:
    """An `<img>` after a markdown image was reported at its column in the rewritten line."""
    text = 'intro\n![a](x.png) <img src="y.png"> [b](c.md) `[d](e)` <a href="f.md">f</a>'
    resolver = Recorder()
    out = rewrite_markdown(text, 10, resolver)
    assert resolver.seen == [("x.png", 11, 1), ("y.png", 11, 13), ("c.md", 11, 31), ("f.md", 11, 50)]
    assert out.split("\n")[1] == (
        '![a](<../imgs/x.png>) <img src="../imgs/y.png"> [b](c.md) `[d](e)` <a href="f.md">f</a>'
    )


def test_nothing_rewritten_in_indented_code() -> None:
    resolver = Recorder()
    text = "a\n\n    ![a](x.png) [b](c.md)\n\n``x\n[y](z)`` [w](v)"
    assert rewrite_markdown(text, 1, resolver) == text
    assert resolver.seen == [("v", 6, 10)]  # the code span runs over two lines


class Mover(Recorder):
    """Sends every link to `moved/<target>`, none for `#gone`; finds every image but `gone.png`."""

    def image(self, target: str, line: int, col: int = 1) -> Image:
        found = super().image(target, line, col)
        return Image(None) if target == "gone.png" else found

    def link(self, target: str, line: int, col: int = 1, html: bool = False) -> str | None:
        super().link(target, line, col, html)
        return None if target == "#gone" else "moved/" + target


def test_a_link_whose_text_runs_over_lines() -> None:
    """GitHub makes one link of `[Gong et` / `al., 2012](#ref)`: its target is resolved like any
    other's; one leading nowhere leaves its text in brackets; a bracket in code opens no link."""
    text = "见 [[Gong et\nal., 2012](a.md)] 与 [[Gopalan\net al.](#gone)]，`[x` 不算\ny](z) 也不算 [b](c.md)"
    assert github(text).count("<a href=") == 3  # the two that run over lines, and [b](c.md)
    resolver = Mover()
    out = rewrite_markdown(text, 1, resolver)
    assert resolver.seen == [("a.md", 2, 10), ("#gone", 3, 7), ("c.md", 4, 11)]
    assert out.split("\n") == [
        "见 [[Gong et",
        "al., 2012](<moved/a.md>)] 与 [[Gopalan",
        "et al.]]，`[x` 不算",
        "y](z) 也不算 [b](<moved/c.md>)",
    ]


def test_a_link_text_ends_with_its_paragraph() -> None:
    """A bracket left open does not reach into the next paragraph, heading, list item or table
    row; a bracket with a link after it makes no link (links do not nest): text stays as written."""
    text = (
        "一个 [没有闭合\n\n](x.md) 不是链接\n\n再来 [一个\n## 标题](y.md)\n\n"
        "- see [A\n- B](nope2.md)\n\n| [x | y |\n|---|---|\n| z](nope.md) | w |\n\n"
        "[a [b](ok.md)\nc](nope3.md)"
    )
    assert github(text).count("<a href=") == 1  # [b](ok.md) only
    resolver = Mover()
    assert rewrite_markdown(text, 1, resolver) == text.replace("(ok.md)", "(<moved/ok.md>)")
    assert resolver.seen == [("ok.md", 15, 4)]


def test_an_image_whose_alt_runs_over_lines() -> None:
    """`![diagram of` / `the model](imgs/model.png)` is an image on GitHub: resolved as one; a
    missing one gets the placeholder."""
    text = "见 ![diagram of\nthe model](model.png) 与 ![gone\npicture](gone.png)"
    assert github(text).count("<img ") == 2
    resolver = Mover()  # finds every image under ../imgs/ but gone.png
    out = rewrite_markdown(text, 1, resolver).split("\n")
    assert resolver.seen == [("model.png", 2, 10), ("gone.png", 3, 8)]
    assert out[1] == "the model](<../imgs/model.png>) 与 ![gone"
    assert out[2].startswith('picture]<span class="qadocs-missing-image"') and "gone.png" in out[2]


def body_diagnostics(body: str) -> list[str]:
    src = split_source("q.md", f"## 1. 问题一？\n\n{body}\n\n## 2. 问题二？\n\n答案\n")
    return [d.code for d in check_sources([src])]


def test_no_unclosed_html_in_code() -> None:
    for body in [
        "用 ``<div>`` 包起来",
        "``` ``<div>`` ```",
        "a ``x <div>\ny`` b",
        "答：\n\n    <div>\n\n继续",
        "- 列表\n\n      <details>\n",
        "> ```\n> <div>\n> ```",
    ]:
        assert not re.search(r"<(div|details)\b", github(body)), body  # code on GitHub: shown escaped
        assert body_diagnostics(body) == [], body
    assert body_diagnostics("a ``x` <div> b") == ["unclosed-html"]  # ``…` is no code span


def test_code_of_reads_each_body_once_whatever_their_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks read every body, then the resolver does, in the same order: an LRU of 4,096
    entries worked out each of 5,000 bodies twice. Each is worked out once now, and once only in
    the next generation too."""
    seen: list[str] = []
    monkeypatch.setattr(lex._CODE, "compute", counted(seen, lex._CODE.compute))
    tag = random.Random().getrandbits(64)  # texts no other test has read
    bodies = [f"答案 {tag} {n} `code` and\n\n    indented code\n" for n in range(5_000)]
    for _ in range(2):  # the checks, then the resolver
        assert all(code_of(body).is_block(2) for body in bodies)
    new_generation()  # `mkdocs serve`, after an edit
    assert all(code_of(body).spans_on(0) for body in bodies)
    assert len(seen) == len(bodies)


# -- parse_blocks is what tests/core/test_build.py counts (a generation parses each text once) -----


def test_parse_blocks_goes_through_the_block_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    parser = lex.block_parser()
    monkeypatch.setattr(parser, "parse", counted(seen, parser.parse))
    parse_blocks("# a\r\n")
    assert seen == ["# a \n"]
