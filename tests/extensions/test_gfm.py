"""qadocs.extensions.gfm: each construct GitHub reads differently from Python-Markdown renders as on GitHub.

Each case is rendered with the site's Markdown setup (mkdocs.yml's extensions) and with
cmark-gfm, and their structural signatures (tests/fidelity.py) must be equal; some cases also
check the HTML or the normalised markdown directly.
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from fidelity import difference, github_signature, signature, site_markdown
from qadocs.core.text.gfmblocks import normalise

CASES = {
    "run-on list after a paragraph line": "整体流程如下：\n1. 第一步\n2. 第二步\n",
    "run-on bullets after a paragraph line": "优点：\n- 快\n- 省显存\n",
    "2-space nested sub-list": "- 一\n  - 一.1\n  - 一.2\n- 二\n",
    "3-space nested sub-list": "1. 一\n   - 一.1\n   - 一.2\n2. 二\n   - 二.1\n",
    "2-space under 1. is not nested (as on GitHub)": "1. 一\n  - 旁\n2. 二\n",
    "three levels": "- a\n  - b\n    - c\n  - d\n- e\n",
    "sibling after a nested list": "- a\n  - b\n\n  text\n- c\n",
    "ordered list starting at 4": "4. 四\n5. 五\n",
    "ordered sub-list starting at 2": "- a\n  2. 二\n  3. 三\n",
    "bullet then ordered list": "- a\n1. b\n",
    "$$ indented in a list item": "1. 公式：\n\n   $$\n   \\sum_{i=1}^n x_i\n   $$\n2. 下一项 $x_T$\n",
    "code fence in a list item": "- a\n\n  ```python\n  x = 1\n  ```\n- b\n",
    "table in a list item": "- a\n\n  | x | y |\n  |---|---|\n  | 1 | 2 |\n- b\n",
    "task list": "- [ ] 待办\n- [x] 完成\n",
    "GitHub alert": "> [!NOTE]\n> 注意 **这里**\n> - 一\n> - 二\n",
    "GitHub alerts, every kind": "".join(
        f"> [!{k}]\n> 文字\n\n" for k in ("NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION")
    ),
    "strikethrough": "这是 ~~删除~~ 的文字\n",
    "bare URL": "见 https://github.com/foo/bar 说明\n",
    "table without outer pipes": "a | b\n--|--\n1 | 2\n",
    "table after a paragraph line": "对比如下：\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "footnote": "正文[^1]。\n\n[^1]: 脚注内容\n",
    "two quotes split by a blank line": "> 甲\n\n> 乙\n",
    "list in a quote": "> 引用：\n> - a\n> - b\n",
    "list after a heading": "### 小标题\n- a\n- b\n",
}


@pytest.fixture(scope="module")
def md() -> Any:
    return site_markdown()


def render(md: Any, text: str) -> str:
    md.reset()
    return str(md.convert(text))


@pytest.mark.parametrize("name", list(CASES))
def test_structure_is_githubs(md: Any, name: str) -> None:
    text = CASES[name]
    html = render(md, text)
    diff = difference(github_signature(text), signature(BeautifulSoup(html, "html.parser"), site=True))
    assert not diff, f"{name}: {diff}\n--- normalised:\n{normalise(text)}\n--- html:\n{html}"


def test_run_on_list_gets_a_blank_line_and_nothing_else() -> None:
    assert normalise("整体流程如下：\n1. 第一步\n2. 第二步") == "整体流程如下：\n\n1. 第一步\n2. 第二步"


def test_nested_items_move_to_the_4_space_grid() -> None:
    # `续行` is a lazy continuation of `一.1` (indented less than its content): it goes with it.
    assert normalise("1. 一\n   - 一.1\n   续行\n2. 二") == "1. 一\n\n    - 一.1\n        续行\n\n2. 二"


def test_tight_lists_stay_tight(md: Any) -> None:
    soup = BeautifulSoup(render(md, "说明：\n- a\n  - b\n- c\n"), "html.parser")
    assert not soup.select("li > p"), soup


def test_loose_lists_stay_loose(md: Any) -> None:
    soup = BeautifulSoup(render(md, "- a\n\n- b\n"), "html.parser")
    assert len(soup.select("li > p")) == 2


def test_ordered_start_is_kept(md: Any) -> None:
    soup = BeautifulSoup(render(md, "说明：\n\n4. 四\n5. 五\n"), "html.parser")
    ol = soup.find("ol")
    assert ol is not None and ol.get("start") == "4"


def test_math_in_a_list_item_is_mathml(md: Any) -> None:
    soup = BeautifulSoup(render(md, CASES["$$ indented in a list item"]), "html.parser")
    li = soup.find("li")
    assert li is not None and li.find("math", attrs={"display": "block"}) is not None
    assert "$$" not in soup.get_text()


def test_alert_is_a_material_admonition(md: Any) -> None:
    soup = BeautifulSoup(render(md, "> [!WARNING]\n> 小心 $x$\n"), "html.parser")
    box = soup.select_one("div.admonition.warning")
    assert box is not None and box.select_one(".admonition-title").get_text() == "Warning"
    assert box.find("math") is not None
    assert "[!WARNING]" not in soup.get_text()


def test_task_boxes_are_glyphs_not_inputs(md: Any) -> None:
    soup = BeautifulSoup(render(md, CASES["task list"] + '\n<input type="text">\n'), "html.parser")
    assert not soup.find("input")  # the sanitizer still drops every input, content's included
    boxes = soup.select("li.task-list-item > span.qadocs-task")
    assert [b.get_text() for b in boxes] == ["☐", "☑"]


def test_code_in_a_list_item_is_highlighted(md: Any) -> None:
    soup = BeautifulSoup(render(md, CASES["code fence in a list item"]), "html.parser")
    assert soup.select_one("li div.highlight pre code") is not None


def test_code_fence_content_is_untouched() -> None:
    text = "```\n- a\n  - b\n1. x\n```\n"
    assert normalise(text) == text


def test_headings_keep_their_permalinks(md: Any) -> None:
    soup = BeautifulSoup(render(md, "### 小标题\n- a\n"), "html.parser")
    assert soup.select_one("h3 a.headerlink") is not None


def test_deeply_nested_quotes_render_without_recursion_error(md: Any) -> None:
    """Hostile content: `> > > …` thousands deep. Quotes past markdown-it's nesting limit are left
    as written, so normalising does not recurse without end; the text is kept."""
    text = "> " * 3000 + "深处的文字"
    html = render(md, text)
    assert "深处的文字" in html


def test_former_and_present_names_count_once_with_the_first_ones_configuration() -> None:
    from qadocs.plugin.adapter import _own_names

    for names, first in (
        (["qadocs.gfm", "toc", "qadocs.extensions.gfm"], {"a": 1}),
        (["qadocs.extensions.gfm", "toc", "qadocs.gfm"], {"b": 2}),
    ):
        configs = {"qadocs.gfm": {"a": 1}, "qadocs.extensions.gfm": {"b": 2}, "toc": {"permalink": True}}
        _own_names(names, configs)
        assert names == ["qadocs.extensions.gfm", "toc"]
        assert configs == {"qadocs.extensions.gfm": first, "toc": {"permalink": True}}
