r"""Input that upstream code reads in super-linear time is bounded before it gets there (issue 21).

The math check reads each `{…}` group of a formula once; formulas latex2mathml would re-read from
every `\text{` are refused; paragraphs Python-Markdown would re-read from every `[` (or that run to
megabytes) are shown as written, as preformatted text, and reported. The work is counted, not timed.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fidelity import site_markdown
from qadocs.core.build import generate
from qadocs.core.plan.site import Options
from qadocs.core.text.lex import LINK_WORK_MAX, PARAGRAPH_MAX, TAIL_WORK_MAX, as_written, costly_paragraphs, tail_work
from qadocs.core.text.tex import (
    ARGUMENT_REREAD_MAX,
    UnsupportedMath,
    _brace_ends,
    _group,
    _rewrite_mathop,
    argument_rereads,
    convert_tex,
    expected_names,
)


class CountingStr(str):
    """A string that counts the characters read from it one by one (`s[i]`)."""

    reads = 0

    def __getitem__(self, key: object) -> str:  # type: ignore[override]
        CountingStr.reads += 1
        return str.__getitem__(self, key)  # type: ignore[index]


def reads_of(call: object, tex: str) -> int:
    """Characters `call(tex)` reads one by one."""
    CountingStr.reads = 0
    call(CountingStr(tex))  # type: ignore[operator]
    return CountingStr.reads


def reference_group_end(tex: str, pos: int) -> int:
    """The end of the `{…}` group opening at `pos`, scanned from there (the code before issue 21)."""
    depth, i = 0, pos
    while i < len(tex):
        if tex[i] == "\\":
            i += 2
            continue
        if tex[i] == "{":
            depth += 1
        elif tex[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(tex)


@given(st.text(alphabet="{}\\ a", max_size=40))
def test_group_ends_same_as_scanning_each_group(tex: str) -> None:
    ends = _brace_ends(tex)
    for pos, c in enumerate(tex):
        if c == "{" and (pos == 0 or tex[pos - 1] != "\\"):
            assert _group(tex, pos, ends) == reference_group_end(tex, pos), (tex, pos)


@pytest.mark.parametrize("opener", [r"\text{a ", r"\text{a} \text{b "])
def test_text_groups_read_once(opener: str) -> None:
    tex = opener * 500
    assert reads_of(expected_names, tex) < 4 * len(tex)  # scanning from each `\text{`: ~250 × len


def test_mathop_groups_read_once() -> None:
    tex = r"\mathop{x " * 500
    assert reads_of(_rewrite_mathop, tex) < 4 * len(tex)


def test_expected_names_unchanged() -> None:
    assert expected_names(r"\text{损失} + \min_x \text{a {b} c} \mathrm{d}") == ["损失", "min", "abc", "d"]


def test_nested_text_commands_are_refused() -> None:
    tex = r"\text{a " * 400  # latex2mathml re-reads the rest of the formula from each one
    assert argument_rereads(tex) > ARGUMENT_REREAD_MAX
    with pytest.raises(UnsupportedMath, match="open again before one closes"):
        convert_tex(tex, True)


@pytest.mark.parametrize(
    "tex",
    [
        r"\text{损失} = \sum_{i=1}^{n} \text{loss}(y_i, \hat{y}_i)",
        r"\frac{\frac{\frac{a}{b}}{c}}{d} + \mathrm{softmax}(x)",
        r"\color{red}{x} + \mbox{if } x > 0",
        r"\text{a}" * 5000,
    ],
)
def test_argument_rereads_of_real_formulas_stay_within_their_length(tex: str) -> None:
    assert argument_rereads(tex) <= len(tex)


LINK_OPENERS = "答案 " + "[a](" * 8000  # one paragraph: Python-Markdown re-reads it from each `[`


RICH_LINES = "这是 **粗体** 和 `代码` 和 [链接](x.md) 以及 *斜体*。\n" * 1000  # one paragraph: 60 s upstream


BIG_PARAGRAPH = ("一段很长的文字，没有空行。" * 500 + "\n") * 20  # 130,000 characters


@pytest.mark.parametrize(("text", "brackets"), [(LINK_OPENERS, 8000), (RICH_LINES, 1000), (BIG_PARAGRAPH, 0)])
def test_costly_paragraphs_found(text: str, brackets: int) -> None:
    text = text.rstrip("\n")
    size = len(text)
    body = "前言。\n\n" + text + "\n\n- 列表\n"
    found = costly_paragraphs(body)
    assert [(c.start, c.size, c.brackets) for c in found] == [(2, size, brackets)]
    assert found[0].end == 2 + text.count("\n") + 1
    assert size > PARAGRAPH_MAX or size * brackets > LINK_WORK_MAX


def test_ordinary_paragraphs_are_not_costly() -> None:
    links = "\n".join(f"[问题 {n}](#q{n})" for n in range(300))  # a table of contents without blank lines
    toc = "\n".join(f"- [问题 {n}](#q{n})" for n in range(1500))  # each item a paragraph of its own
    assert costly_paragraphs(links) == []
    assert costly_paragraphs(toc) == []
    assert as_written(toc) is toc


def test_costly_paragraph_renders_as_written() -> None:
    body = "前言 [链接](x.md)。\n\n" + LINK_OPENERS + "\n\n> 引用 <b>粗</b> & [a](b)\n"
    shown = as_written(body)
    assert shown.count("\n") == body.count("\n")  # same lines: later findings keep their line numbers
    out = site_markdown().convert(shown)
    pre = re.search(r'<pre class="qadocs-as-written">(.*?)</pre>', out, re.S)
    assert pre is not None, out[:300]
    assert html.unescape(pre.group(1)) == LINK_OPENERS  # nothing lost
    assert '<a href="x.md">链接</a>' in out  # the rest renders as before
    assert "<blockquote>" in out


def test_check_and_pages_bound_costly_paragraphs(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "imgs").mkdir()
    text = "# 题库\n\n## 1. 什么是链接？\n\n好的。\n\n" + LINK_OPENERS + "\n\n## 2. 什么是别的？\n\n" + BIG_PARAGRAPH
    (content / "q.md").write_text(text, encoding="utf-8")
    result = generate(Options(tmp_path, content, tmp_path / "imgs"), tmp_path / "out")
    found = [(d.line, d.severity) for d in result.diagnostics if d.code == "paragraph-too-costly"]
    assert found == [(7, "warning"), (11, "warning")], result.diagnostics
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("index.md")]
    shown = [p for p in pages if "qadocs-as-written" in p]
    assert len(shown) == 2
    assert any(html.unescape(p).count("[a](") == 8000 for p in shown)


# Python's HTMLParser reads from each `<a` that no `>` follows to the end of the text, once for
# each: 8,000 `<a ` took it 9 s.
OPEN_TAGS = "<a " * 8000


def _parser_reads(text: str) -> int:
    """Characters HTMLParser reads from the tag starts of `text` that no `>` follows."""
    return tail_work(text)[1]


@pytest.mark.parametrize(
    ("body", "blocks"),
    [
        ("前言。\n\n" + OPEN_TAGS + "\n", [(2, 3, 8000)]),  # one paragraph
        ("前言。\n\n" + "<a\n\n" * 3000, [(2 + 2 * n, 3 + 2 * n, 1) for n in range(3000)]),  # many
        ("- 项\n- " + OPEN_TAGS + "\n- 末\n", [(1, 2, 8000)]),  # in a list item: that item's paragraph
        (OPEN_TAGS + "\n\n```\nx > y\n```\n", [(0, 1, 8000)]),  # a `>` in fenced code: the parser never sees it
    ],
)
def test_tag_starts_no_angle_bracket_closes_are_bounded(body: str, blocks: list[tuple[int, int, int]]) -> None:
    assert _parser_reads(body.split("\n```")[0]) > TAIL_WORK_MAX  # fenced code is set aside first
    found = costly_paragraphs(body)
    assert [(c.start, c.end, c.open_tags) for c in found] == blocks
    shown = as_written(body)
    assert shown.count("\n") == body.count("\n")
    assert _parser_reads(shown) == 0  # what the parser reads now: nothing past the end


def test_tags_that_close_or_sit_in_fenced_code_are_not_costly() -> None:
    closed = "<b>粗</b> 与 <img src=x> 以及 a<b 和 a < b\n\n" * 2000  # each `<a` has a `>` after it
    fenced = "前言。\n\n```html\n" + OPEN_TAGS + "\n```\n"  # set aside before the parser runs
    few = "文字 <br\n" + "x" * 50_000  # one stray tag start: read once
    for body in (closed, fenced, few):
        assert costly_paragraphs(body) == [], body[:40]
        assert as_written(body) is body


def test_check_reports_open_tags_once_per_text(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "imgs").mkdir()
    text = "# 题库\n\n## 1. 什么是标签？\n\n好的。\n\n" + "<a\n\n" * 3000 + "## 2. 下一题？\n\n答。\n"
    (content / "q.md").write_text(text, encoding="utf-8")
    result = generate(Options(tmp_path, content, tmp_path / "imgs"), tmp_path / "out")
    found = [d for d in result.diagnostics if d.code == "paragraph-too-costly"]
    assert [(d.line, d.severity) for d in found] == [(7, "warning")], result.diagnostics
    assert "3,000 `<`" in found[0].message and "3,000 block(s)" in found[0].message
    page = next(p for p in (tmp_path / "out").rglob("index.md") if "什么是标签" in p.read_text(encoding="utf-8"))
    assert _parser_reads(page.read_text(encoding="utf-8")) == 0
