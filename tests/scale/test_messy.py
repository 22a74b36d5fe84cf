"""A large generated collection, shaped like real ones, splits with no traceback and loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messy import make_collection
from nothing_lost import lost_lines
from qadocs.core.build import generate
from qadocs.core.plan.site import Options
from qadocs.core.split.questions import split_source


def test_large_messy_collection(tmp_path: Path) -> None:
    content = make_collection(tmp_path, files=300)
    out = tmp_path / "build" / "docs"
    result = generate(Options(tmp_path, content, tmp_path / "imgs"), out)
    questions = json.loads((out / "questions.json").read_text(encoding="utf-8"))
    assert len(questions) == len(result.plan.questions) > 2000
    assert len({q["id"] for q in questions}) == len(questions)
    assert len({q["url"] for q in questions}) == len(questions)
    checked, lost = lost_lines(content, out)  # reads every page's front matter (a title each) too
    print(f"messy: {len(questions)} questions, {checked} lines checked, {len(lost)} lost")
    assert checked > 20000
    assert lost == []
    codes = {d.code for d in result.diagnostics}
    assert {"not-utf8", "image-missing", "path-outside-repo", "toc-link-repaired"} <= codes


PIECES = st.sampled_from(
    [
        "# 目录",
        "## 第一章：基础",
        "- [1.问题](#1.问题)",
        "- [2.问题](2.问题)",
        "```",
        "~~~",
        "```python",
        '<h2 id="1.问题">1.问题</h2>',
        "<h3 id='2.问 题'>2.问 题</h3>",
        '<h1 id="第一部分">第一部分</h1>',
        '<h2 id="1.RAG应用">1.RAG应用</h2>',
        "<div>",
        "</div>",
        "<!--",
        "-->",
        "$ x_T $",
        "$$",
        "| a | b |",
        "![](imgs/a.png)",
        '<img src="../../x.png">',
        "> 引用",
        "正文一行",
        "",
        "# 注释",
        "<h2>未闭合",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=40))
def test_random_sources_never_raise_and_lose_nothing(tmp_path: Path, lines: list[str]) -> None:
    text = "\n".join(lines)
    split_source("x.md", text)  # must not raise
    root = tmp_path / "h"
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "imgs").mkdir(exist_ok=True)
    (root / "content" / "x.md").write_text(text, encoding="utf-8")
    out = root / "build" / "docs"
    generate(Options(root, root / "content", root / "imgs"), out)
    _, lost = lost_lines(root / "content", out)
    assert lost == []
