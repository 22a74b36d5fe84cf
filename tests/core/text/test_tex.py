"""TeX → MathML (`qadocs.core.text.tex`, issue 8): each construct converts with the text a reader
sees, environments are tables, TeX that cannot be converted is shown as source, and `$$` in
running text is inline math."""

from __future__ import annotations

import html

import pytest

from mathml_text import assert_no_empty_operator, text_of
from qadocs.core.text.tex import UnsupportedMath, convert_tex, tex_to_mathml


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
