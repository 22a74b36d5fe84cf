"""Hostile input costs time in proportion to its size (issue 7).

The code-span scanner against a plain reference; each regex rewritten for linear time against
the pattern it replaces (same matches, same groups); pathological sources give the right result.
No timing assertions here: speed is measured by bench/run.py.
"""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from qadocs.core.check import _unbalanced, check_sources
from qadocs.core.plan.rewrite import Image, LinkDecisions, rewrite_markdown
from qadocs.core.split.outline import html_text, summary_text
from qadocs.core.split.questions import split_source
from qadocs.core.text import describe
from qadocs.core.text.lex import (
    ANY_TAG_RE,
    CONTAINER_TAG_RE,
    IMAGE_RE,
    LINK_RE,
    REF_TAG_RE,
    OpenBrackets,
    code_spans,
    find_tags,
    inline_refs,
    is_link_line,
    link_tails,
    mask,
    md_heading,
    spaced_images,
    without_spaced_images,
)
from qadocs.core.text.tex import is_display_line, math_spans

# The patterns the linear code replaces, kept here as the reference for what it must match.
OLD_MD_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")


OLD_LINK_LINE_RE = re.compile(r"^\s*(?:(?:[-*+]|\d+[.)])\s+)?\[.*\]\(.*\)\s*$")


_OLD_INLINE = (
    r"\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*(<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"""(\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)"""
)


OLD_IMAGE_RE = re.compile("!" + _OLD_INLINE)


OLD_LINK_RE = re.compile(r"(?<![!\\])" + _OLD_INLINE)


OLD_DISPLAY_LINE_RE = re.compile(r"^\s*\$\$(?:.*\S.*\$\$)?\s*$")


OLD_MATH_RE = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])"
    r"</(?P=tag)>",
    re.S,
)


BACKTICK_LINE = "x" + "`" * 2000 + "a" * 2000  # the reviewer's 4 KB line: 139 s with the old regex


def reference_code_spans(line: str) -> list[tuple[int, int]]:
    """CommonMark's rule, spelled out: each run of backticks looks ahead for a run of its length."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(line):
        if line[i] != "`":
            i += 1
            continue
        j = i
        while j < len(line) and line[j] == "`":
            j += 1
        k, close = j, None
        while k < len(line) and close is None:
            if line[k] != "`":
                k += 1
                continue
            end = k
            while end < len(line) and line[end] == "`":
                end += 1
            if end - k == j - i:
                close = end
            k = end
        if close is None:
            i = j  # no closer: the run is literal text
        else:
            spans.append((i, close))
            i = close
    return spans


def matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


# -- the code-span scanner --------------------------------------------------------------------


@given(st.text(alphabet="`ab[]()!<>", max_size=80))
def test_code_spans_agree_with_reference(line: str) -> None:
    assert code_spans(line) == reference_code_spans(line)


def test_code_spans_cases() -> None:
    assert code_spans("`a`") == [(0, 3)]
    assert code_spans("``a`b``") == [(0, 7)]  # a shorter run inside is content
    assert code_spans("`a` and ``b``") == [(0, 3), (8, 13)]
    assert code_spans("``a`") == []  # unmatched runs are literal
    assert code_spans("`a``") == []
    assert code_spans("a ` b") == []
    assert code_spans("``a`b`") == [(3, 6)]  # runs of unequal length: the `` opens nothing
    assert code_spans("`a``b`") == [(0, 6)]
    assert code_spans("```a`` b```") == [(0, 11)]
    assert code_spans(BACKTICK_LINE) == []
    assert code_spans(BACKTICK_LINE + "`" * 2000) == [(1, len(BACKTICK_LINE) + 2000)]


def mask_code_spans(line: str) -> str:
    return mask(line, code_spans(line))


def test_mask_code_spans() -> None:
    assert mask_code_spans("a `<div>` b ``<p>`` c") == "a " + " " * 7 + " b " + " " * 7 + " c"
    assert mask_code_spans("a ``<div>` b") == "a ``<div>` b"
    assert mask_code_spans("<di`x`v>") == "<di   v>"  # nothing joins into a tag across a span
    assert mask_code_spans(BACKTICK_LINE) == BACKTICK_LINE


class Recorder(LinkDecisions):
    """Resolves every link to `ok` and records the targets it was asked about."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def image(self, target: str, line: int, col: int = 1) -> Image:
        self.seen.append(target)
        return Image(target)

    def link(self, target: str, line: int, col: int = 1, html: bool = False) -> str | None:
        self.seen.append(target)
        return "ok"


def test_links_outside_code_only() -> None:
    resolver = Recorder()
    out = rewrite_markdown("[a](#x) `[b](#y)` ``[c](#z)` [d](#w)", 1, resolver)
    assert resolver.seen == ["#x", "#z", "#w"]  # ``…` is no span: the link in it is resolved
    assert out == "[a](<ok>) `[b](#y)` ``[c](<ok>)` [d](<ok>)"


def test_backtick_line_with_link_after() -> None:
    resolver = Recorder()
    rewrite_markdown(BACKTICK_LINE + " [t](#a) " + "`" * 2000 + " [u](#b)", 1, resolver)
    assert resolver.seen == ["#b"]  # the second run of 2,000 closes the first: [t](#a) is code
    resolver.seen.clear()
    out = rewrite_markdown(BACKTICK_LINE + " [t](#a) `" + "`" * 1998 + " [u](#b)", 1, resolver)
    assert resolver.seen == ["#a", "#b"]  # 2,000 and 1,999 backticks: no code span
    assert out == BACKTICK_LINE + " [t](<ok>) `" + "`" * 1998 + " [u](<ok>)"


# -- the linear rewrites match what the old patterns matched ------------------------------------


@given(st.text(alphabet="# \tab\\`\n", max_size=24))
def test_md_heading_same_as_old_regex(line: str) -> None:
    m = OLD_MD_HEADING_RE.match(line)
    text = None if m is None else m.group(2)
    if text is not None and not text.strip("#") and line[m.end(1) :].strip(" \t\n") == text:
        text = None  # only a closing sequence (`# ##`): an empty heading, as on GitHub; the old pattern kept it
    assert md_heading(line) == (None if m is None else (len(m.group(1)), text or None))


@given(st.text(alphabet="-*+1. \t[]()ab\u3000", max_size=24))
def test_link_line_same_as_old_regex(line: str) -> None:
    assert is_link_line(line) == bool(OLD_LINK_LINE_RE.match(line))


INLINE_TEXT = st.text(alphabet="[]()!<> \t\"'\\ab", max_size=30)


@given(INLINE_TEXT)
def test_inline_links_same_as_old_regex(text: str) -> None:
    assert matches(LINK_RE, text) == matches(OLD_LINK_RE, text)
    assert matches(IMAGE_RE, text) == matches(OLD_IMAGE_RE, text)


def test_inline_links_cases() -> None:
    for text in ['[a]( "t")', '[a](  "t" )', '[a]( "t x")', "[a]( 'b' )", '[a](b "t")', "[a](   )", '[a]( "t']:
        assert matches(LINK_RE, text) == matches(OLD_LINK_RE, text), text


@given(st.text(alphabet="$ a\t\u3000\n", max_size=16))
def test_display_line_same_as_old_regex(line: str) -> None:
    assert is_display_line(line) == bool(OLD_DISPLAY_LINE_RE.match(line))


MATH_TOKENS = [
    '<span class="arithmatex">',
    '<div class="arithmatex">',
    "\\(",
    "\\)",
    "\\[",
    "\\]",
    "</span>",
    "</div>",
    "x",
    "\n",
    "<",
]


@given(st.lists(st.sampled_from(MATH_TOKENS), max_size=16).map("".join))
def test_math_spans_same_as_old_regex(text: str) -> None:
    old = [
        (
            m.start(),
            m.end(),
            m.group("block") if m.group("block") is not None else m.group("inline"),
            m.group("block") is not None,
        )
        for m in OLD_MATH_RE.finditer(text)
    ]
    assert math_spans(text) == old


@given(st.text(alphabet='<>/aimgdv "=', max_size=30))
def test_tag_search_bounded_by_last_gt(text: str) -> None:
    for pattern in (REF_TAG_RE, ANY_TAG_RE, CONTAINER_TAG_RE):
        assert [(m.span(), m.groups()) for m in find_tags(pattern, text)] == matches(pattern, text)
    assert html_text(text) == plain_text_old(text)


def plain_text_old(fragment: str) -> str:
    text = html.unescape(ANY_TAG_RE.sub("", fragment)).replace("**", "").replace("__", "")
    return " ".join(text.split())


def unbalanced_reference(text: str) -> list[tuple[int, str, str]]:
    """The old `_unbalanced` (a scan of the stack per closing tag), for text without backticks."""
    found: list[tuple[int, str, str]] = []
    stack: list[tuple[str, int]] = []
    for offset, line in enumerate(text.split("\n")):
        for tag in CONTAINER_TAG_RE.finditer(line):
            closing, name, selfclosing = tag.group(1), tag.group(2).lower(), tag.group(3)
            if selfclosing:
                continue
            if not closing:
                stack.append((name, 1 + offset))
            elif any(open_name == name for open_name, _ in stack):
                while stack:
                    open_name, _ = stack.pop()
                    if open_name == name:
                        break
            else:
                found.append((1 + offset, name, "closed"))
    return found + [(line, name, "open") for name, line in stack]


@given(
    st.lists(
        st.sampled_from(["<div>", "</div>", "<span>", "</SPAN>", "<p/>", "<p>", "</p>", "x", "\n", "<div", ">"]),
        max_size=30,
    ).map("".join)
)
def test_unbalanced_same_as_stack_scan(text: str) -> None:
    assert list(_unbalanced(text, 1)) == unbalanced_reference(text)


def test_unbalanced_ignores_code_spans() -> None:
    assert list(_unbalanced("`<div>` ``</p>`` <span>", 1)) == [(1, "span", "open")]
    assert list(_unbalanced("``<div>` x", 1)) == [(1, "div", "open")]  # ``…` is no code span


# -- pathological input, right result ------------------------------------------------------------


def test_long_lines() -> None:
    spaces = " " * 100_000
    assert md_heading("# a" + spaces + "b") == (1, "a" + spaces + "b")
    assert md_heading("## a" + " \t" * 50_000 + "#" * 1000 + spaces) == (2, "a")
    assert not is_link_line("[" + "](" * 100_000 + "x")
    assert is_link_line("- [" + "](" * 100_000 + ")" + spaces)
    assert LINK_RE.search("[a](" + spaces + "x") is None
    assert LINK_RE.search("[a](" + " \t" * 50_000 + '"x') is None
    assert not is_display_line("$$" + "a" * 100_000)
    assert math_spans('<span class="arithmatex">\\(' * 20_000) == []
    assert html_text("<" * 100_000 + "a") == "<" * 100_000 + "a"
    assert list(find_tags(REF_TAG_RE, "<img " * 50_000)) == []
    assert list(_unbalanced("<div " * 50_000, 1)) == []
    found = list(_unbalanced("<div>\n" * 20_000 + "</span>\n" * 20_000, 1))
    assert found[0] == (20_001, "span", "closed") and found[-1] == (20_000, "div", "open")
    assert len(found) == 40_000


def test_backtick_line_checked() -> None:
    text = f"## 1. 题目1\n\n{BACKTICK_LINE}<div>\n\n## 2. 题目2\n\n答案\n"
    src = split_source("p.md", text)
    assert [q.title for q in src.questions] == ["题目1", "题目2"]
    assert src.questions[0].body == BACKTICK_LINE + "<div>"
    codes = [d.code for d in check_sources([src])]
    assert codes == ["unclosed-html"]  # the <div> after the never-closed backticks is not code


# -- describe.py: the patterns it had, quadratic on a long run of spaces or marks ------------------

OLD_RULE_RE = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+)[ \t]*")


OLD_TABLE_RULE_RE = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")


OLD_HEADING_END_RE = re.compile(r"[ \t]+#+[ \t]*\Z")


OLD_TRAILING_RE = re.compile(r"[\s，、：；,:;。！？!?…（(【\[「『《“‘—-]+\Z")


@given(st.text(alphabet="-*_= \ta", max_size=24))
def test_rule_line_same_as_old_regex(line: str) -> None:
    assert bool(describe.RULE_RE.fullmatch(line.rstrip(" \t"))) == bool(OLD_RULE_RE.fullmatch(line))


@given(st.text(alphabet="|:- \ta", max_size=24))
def test_table_rule_same_as_old_regex(line: str) -> None:
    assert bool(describe.TABLE_RULE_RE.fullmatch(line)) == bool(OLD_TABLE_RULE_RE.fullmatch(line))


@given(st.text(alphabet="# \tab", max_size=24))
def test_closing_hashes_same_as_old_regex(text: str) -> None:
    assert describe.without_closing_hashes(text) == OLD_HEADING_END_RE.sub("", text).rstrip(" \t")


@given(st.text(alphabet="，。？! \u3000\n(（ab—-", max_size=24))
def test_trailing_marks_same_as_old_regex(text: str) -> None:
    assert describe._trim_end(text) == OLD_TRAILING_RE.sub("", text)


# -- issue 20: the reading's patterns, each against the form it had when first written -----------

OLD_SUMMARY_RE = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.IGNORECASE)  # unclosed tags: quadratic


OLD_SPACED_IMAGE_RE = re.compile(  # a long path of words and spaces: quadratic
    r"!\[((?:[^\[\]\\]|\\.)*)\]\(\s*([^\s()<>\"'\[\]!\x00][^()<>\"'\[\]!\x00\n]*? [^()<>\"'\[\]!\x00\n]*?"
    r"\.(?:png|jpe?g|gif|webp|avif|bmp|svg))\s*\)",
    re.IGNORECASE,
)


@given(
    st.lists(
        st.sampled_from(["<summary>", "<summary x>", "</summary>", "</summary >", "<", ">", " ", "a"]), max_size=12
    )
)
def test_summary_same_as_old_regex(parts: list[str]) -> None:
    line = "".join(parts)
    m = OLD_SUMMARY_RE.search(line)
    assert summary_text(line) == (m.group(1) if m else None)


@given(st.lists(st.sampled_from(["![", "](", ")", " ", "a", ".png", "!", "[", "]", "\\"]), max_size=14))
def test_spaced_images_same_as_old_regex(parts: list[str]) -> None:
    text = "".join(parts)
    assert [m.span() for m in spaced_images(text)] == [m.span() for m in OLD_SPACED_IMAGE_RE.finditer(text)]
    assert without_spaced_images(text) == OLD_SPACED_IMAGE_RE.sub("", text)


def test_reading_patterns_on_hostile_lines() -> None:
    """Lines that took the first forms of these patterns minutes each give their answers."""
    assert not describe.TABLE_RULE_RE.fullmatch(" " * 200_000 + "x")  # the TOC reader's too
    assert not describe.TABLE_RULE_RE.fullmatch("| --- " + " " * 200_000 + "x")
    assert describe.TABLE_RULE_RE.fullmatch("| --- |" + " " * 200_000)
    assert summary_text("<summary>" * 50_000) is None
    assert summary_text("<summary" * 50_000) is None
    assert summary_text("<summary>" * 50_000 + "</summary>") == "<summary>" * 49_999
    path = "a " * 100_000
    assert spaced_images("![x](" + path) == []
    assert [m.group(2) for m in spaced_images("![x](" + path + "b.png)")] == [path + "b.png"]
    assert without_spaced_images("![x](" + path) == "![x](" + path


def test_link_tails_on_hostile_lines() -> None:
    """Brackets left open over many lines, and lines of many link ends, cost linear time."""
    brackets = OpenBrackets()
    assert link_tails("[" * 200_000, [], [], brackets) == [] and len(brackets.images) == 200_000
    assert len(link_tails("](x)" * 100_000, [], [], brackets)) == 100_000 and len(brackets.images) == 100_000
    assert link_tails("](" * 50_000, [], [], brackets) == [] and len(brackets.images) == 50_000
    line = "[a](b) [" * 50_000  # a link after every bracket but the last: all those dead
    assert link_tails(line, [], inline_refs(line), brackets) == [] and brackets.dead == 99_999
    assert len(link_tails("](x)" * 100_000, [], [], brackets)) == 1 and brackets.images == []  # the last one lives
