r"""Math renders offline as MathML wherever GitHub accepts it (issue 8), and TeX that cannot be
converted is shown as source and reported as `math-unsupported` at its line and column.

Fast: latex2mathml and Python-Markdown only, no MkDocs build.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from qadocs.core.build import generate
from qadocs.core.check import find_math
from qadocs.core.plan.site import Options
from qadocs.core.text.tex import UnsupportedMath, convert_tex, tex_to_mathml

ROOT = Path(__file__).resolve().parents[3]


def site_markdown() -> Any:
    """A Python-Markdown instance with the `markdown_extensions` of mkdocs.yml."""
    import markdown
    import yaml

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    names: list[str] = []
    configs: dict[str, Any] = {}
    for entry in config["markdown_extensions"]:
        name, conf = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        configs[name] = conf or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


def text_of(mathml: str) -> str:
    """The letters and digits a reader sees in `mathml`."""
    return "".join(c for c in html.unescape(re.sub(r"<[^>]*>", "", mathml)) if c.isalnum())


def assert_no_empty_operator(mathml: str) -> None:
    assert not re.search(r"<mo(\s[^>]*)?(/>|>\s*</mo>)", mathml), mathml
    assert not re.search(r"<(mi|mo|mn|mtext)\b[^>/]*>[^<]*<(?!/)", mathml), mathml  # nothing nested in a token


@pytest.mark.parametrize(
    ("tex", "shown"),
    [
        ("x", "x"),
        (" x_T ", "xT"),
        (r"\mathop{\min}\limits_G \max_D V(D,G)", "minGmaxDVDG"),
        (r"\mathop{\max}\limits_{D} V", "maxDV"),
        (r"\min\limits_{G}", "minG"),
        (r"\lim\limits_{n\to\infty} a_n", "limnan"),
        (r"\mathop{\lim}\limits_{x}", "limx"),
        (r"\sin x + \cos y", "sinxcosy"),
        (r"\operatorname{argmax}_x f(x)", "argmaxxfx"),
        (r"\operatorname*{argmax}_x f", "argmaxxf"),
        (r"\operatorname{arg\,max}_\theta", "argmax"),
        (r"\mathop{argmax}\limits_x f", "argmaxxf"),
        (r"\mathop{\arg\max}_\theta L", "argmax"),
        (r"\mathop{\rm min}_x", "minx"),
        (r"\arg\min_x f", "argminxf"),
        (r"\mathop{\mathbb{E}}\limits_{x\sim p}^{b} f", "bxpf"),
        (r"\text{loss} = 1", "loss1"),
        (r"\text{损失} + \text{KL}", "损失KL"),
        (r"\begin{aligned} a &= b \\ c &= d \end{aligned}", "abcd"),
        (r"\begin{cases} 1 & x>0 \\ 0 & \text{otherwise} \end{cases}", "1x00otherwise"),
        (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", "1234"),
        (r"\begin{align} a &= b \end{align}", "ab"),
        (r"\begin{gathered} a \\ b \end{gathered}", "ab"),
    ],
)
def test_constructs_convert_with_their_text(tex: str, shown: str) -> None:
    mathml = convert_tex(tex, False)
    assert shown in text_of(mathml), mathml
    assert_no_empty_operator(mathml)
    assert "<mi>&</mi>" not in mathml  # a column separator printed as text


@pytest.mark.parametrize("env", ["aligned", "cases", "bmatrix"])
def test_environments_are_tables(env: str) -> None:
    mathml = convert_tex(rf"\begin{{{env}}} a & b \\ c & d \end{{{env}}}", True)
    assert mathml.count("<mtr") == 2 and mathml.count("<mtd") >= 4, mathml


@pytest.mark.parametrize(
    "tex",
    [
        r"\begin{tikzpicture}\draw (0,0) -- (1,1);\end{tikzpicture}",
        r"\frac{",
        r"\begin{unknownenv} x \end{unknownenv}",
        r"\foo{x}",
    ],
)
def test_unconvertible_tex_is_shown_as_source(tex: str) -> None:
    with pytest.raises(UnsupportedMath):
        convert_tex(tex, False)
    shown = tex_to_mathml(tex, display=True)
    assert shown.startswith('<div class="arithmatex arithmatex-error"><code>')
    assert html.escape(tex, quote=False) in shown


def render(source: str) -> str:
    return str(site_markdown().convert(source))


def test_math_in_lists_and_tables_renders_as_mathml() -> None:
    source = "\n".join(
        [
            "- 目标函数：",
            "",
            "   $$",
            r"   \mathop{\min}\limits_G \max_D V(D,G)",
            "   $$",
            "",
            "1. one",
            "    $$",
            r"    \begin{cases} 1 & x>0 \\ 0 & \text{otherwise} \end{cases}",
            "    $$",
            "2. two",
            "",
            "| 记号 | 含义 |",
            "|---|---|",
            r"| $ x_T $ | $\operatorname{argmax}_x f$ |",
            "",
        ]
    )
    page = render(source)
    assert "$" not in page, page
    assert "arithmatex-error" not in page
    assert page.count('class="arithmatex arithmatex-mathml"') == 4, page
    items = re.findall(r"<li>.*?</li>", page, re.S)
    assert len(items) == 3 and all('display="block"' in item for item in items[:2]), page
    cells = re.findall(r"<td>(.*?)</td>", page, re.S)
    assert len(cells) == 2 and all("<math" in cell for cell in cells), page
    assert "min" in text_of(items[0]) and "otherwise" in text_of(items[1])
    assert "argmax" in text_of(cells[1])
    assert_no_empty_operator(page)


def test_unconvertible_tex_renders_visibly_on_the_page() -> None:
    page = render("前文\n\n$$\n\\begin{tikzpicture}\\draw (0,0);\\end{tikzpicture}\n$$\n\n后文 $\\frac{$ 完\n")
    assert page.count("arithmatex-error") == 2, page
    assert "\\begin{tikzpicture}" in page and "\\frac{" in page


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


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("a $$x^2$$ b", "a $x^2$ b"),
        ("`$$code$$` 和 $$y$$", "`$$code$$` 和 $y$"),
        ("$$x$$", "$$x$$"),  # alone on its line: a display block
        ("$$x `y` z$$", "$$x `y` z$$"),  # a code span inside: left alone
        ("a $$x$$ b $$ c", "a $x$ b $$ c"),
    ],
)
def test_double_dollars_in_running_text_are_inline_math(line: str, expected: str) -> None:
    from qadocs.core.text.tex import inline_double_dollars

    assert inline_double_dollars(line) == expected
