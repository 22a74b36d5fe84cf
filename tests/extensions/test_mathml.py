"""Math on the page (`qadocs.extensions.mathml` with the site's Markdown setup): MathML in lists and
tables, TeX that cannot be converted shown visibly and never raised."""

from __future__ import annotations

import re

import markdown

from fidelity import site_markdown
from mathml_text import assert_no_empty_operator, text_of


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


def _md(text: str) -> str:
    return markdown.markdown(
        text,
        extensions=["pymdownx.arithmatex", "qadocs.extensions.mathml"],
        extension_configs={"pymdownx.arithmatex": {"generic": True, "smart_dollar": False}},
    )


def test_math_becomes_mathml() -> None:
    out = _md("噪声 $ x_T $ 与 $x_0$\n\n$$\n\\frac{a}{b}\n$$\n")
    assert out.count("<math") == 3
    assert "arithmatex-error" not in out


def test_bad_tex_is_shown_not_raised() -> None:
    out = _md("坏公式 $\\frac{a}{$ 结束")
    assert "arithmatex-error" in out and "<math" not in out
