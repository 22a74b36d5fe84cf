"""Content checks (`qadocs.core.check`): where math is found (in linear time, never in code), and
`math-unsupported` at its line and column."""

from __future__ import annotations

from pathlib import Path

from qadocs.core.build import generate
from qadocs.core.check import find_math
from qadocs.core.plan.site import Options


def test_find_math_positions_and_code() -> None:
    text = "\n".join(
        [
            "a $x$ and `$not$` and \\(y\\) and \\$5",  # line 10
            "```",
            "$code$",
            "```",
            "  $$",
            r"  \frac{a}{b}",
            "  $$",
            "$$z$$",
            "b $$w$$ c",
        ]
    )
    found = [(line, col, tex.strip(), display) for line, col, tex, display in find_math(text, 10)]
    assert found == [
        (10, 3, "x", False),
        (10, 23, "y", False),
        (14, 3, r"\frac{a}{b}", True),
        (17, 1, "z", True),
        (18, 4, "w", False),
    ]


def test_find_math_is_linear_on_hostile_lines() -> None:
    line = "$" + "\\" * 20000 + "a" * 20000 + " \\(" * 5000 + "`" * 3000
    assert list(find_math(line, 1)) == []


def test_check_reports_math_unsupported(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "q.md").write_text(
        "\n".join(
            [
                "# 题库",  # 1
                "",  # 2
                '<h2 id="1.公式">1.公式</h2>',  # 3
                "",  # 4
                r"好的：$\mathop{\min}\limits_G \max_D V$，坏的：$\frac{$。",  # 5
                "",  # 6
                "- 列表",  # 7
                "",  # 8
                "   $$",  # 9
                r"   \begin{tikzpicture}\draw (0,0);\end{tikzpicture}",  # 10
                "   $$",  # 11
                "",  # 12
                "```",  # 13
                r"$\frac{$",  # 14
                "```",  # 15
                r"`$\frac{$` and $\begin{cases} a & b \end{cases}$",  # 16
                "",
                '<h2 id="2.其他">2.其他</h2>',
                "",
                "答案。",
                "",
            ]
        ),
        encoding="utf-8",
    )
    (tmp_path / "imgs").mkdir()
    result = generate(Options(tmp_path, content, tmp_path / "imgs"), tmp_path / "out")
    found = [(Path(d.path).name, d.line, d.col, d.severity) for d in result.diagnostics if d.code == "math-unsupported"]
    assert found == [("q.md", 5, 41, "warning"), ("q.md", 9, 4, "warning")], result.diagnostics
