"""Big inputs read in linear time with the right result (issue 7): 100,000 questions in one source,
200,000 blank lines, 50,000 spellings of one anchor, number patterns on lines of 800,000
characters. No timing assertions: speed is measured by bench/run.py."""

from __future__ import annotations

from qadocs.core.check import check_sources
from qadocs.core.split.questions import split_source
from qadocs.core.text.anchors import AnchorIndex


def test_number_regex_on_long_lines() -> None:
    """Lines that made the first number pattern backtrack for minutes give their answers (linear
    time is measured by bench/run.py, not asserted here: the machine may be loaded)."""
    from qadocs.core.split.outline import split_number

    assert split_number("1." * 400_000) == (None, "1." * 400_000)  # no question number
    assert split_number("123456" + "." * 800_000) == ("123456", "." * 799_999)
    assert split_number("1" + " " * 800_000) == ("1", "")
    assert split_number("1.1234" * 150_000) == (None, "1.1234" * 150_000)


def test_100000_markdown_questions() -> None:
    text = "".join(f"## {i}. 题目{i}\n答案{i}\n" for i in range(1, 100_001))
    src = split_source("p.md", text)
    assert len(src.questions) == 100_000
    assert src.questions[-1].title == "题目100000" and src.questions[-1].body == "答案100000"
    assert check_sources([src]) == []


def test_100000_html_questions() -> None:
    text = "".join(f'<h2 id="{i}.题目{i}">{i}.题目{i}</h2>\n答案{i}\n' for i in range(1, 100_001))
    src = split_source("p.md", text)
    assert len(src.questions) == 100_000
    assert src.questions[-1].anchor == "100000.题目100000"


def test_long_blank_run_trimmed() -> None:
    src = split_source("p.md", "## 1. a\n" + "\n" * 200_000 + "x\n" + "\n" * 200_000 + "## 2. b\ny\n")
    assert src.questions[0].body == "x" and src.questions[0].body_line == 200_002


def test_anchor_index_many_targets_one_key() -> None:
    index: AnchorIndex[int] = AnchorIndex()
    names = ["a" + "".join("-._~"[(i >> k) & 3] for k in range(0, 16, 2)) for i in range(50_000)]
    for i, name in enumerate(names):  # 50,000 spellings of one loose key, each its own target
        index.add([name], i)
    assert index.find(names[2]) == 2  # exact
    assert index.find("A") is None  # loose: one key for 50,000 targets, ambiguous
    index.add(["Only-One"], -1)
    assert index.find("only_one") == -1  # loose, one target
