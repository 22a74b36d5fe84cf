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


# --- the plugin adds the GFM extensions a user's mkdocs.yml lacks -------------------------------


def _plugin_config(root: Any, extensions: list[Any] | None) -> Any:
    """A minimal repo under `root` with `markdown_extensions: extensions` (None: the key is absent),
    loaded with mkdocs.config.load_config, after the qadocs plugin's on_config."""
    import yaml
    from mkdocs.config import load_config

    from qadocs.plugin.adapter import QadocsPlugin

    (root / "content").mkdir(parents=True)
    (root / "imgs").mkdir()
    (root / "content" / "a.md").write_text('<h2 id="1.a">1.问题</h2>\n\n答案。\n', encoding="utf-8")
    (root / "build" / "docs").mkdir(parents=True)
    conf: dict[str, Any] = {"site_name": "t", "docs_dir": "build/docs", "plugins": [{"qadocs": {}}]}
    if extensions is not None:
        conf["markdown_extensions"] = extensions
    (root / "mkdocs.yml").write_text(yaml.safe_dump(conf, allow_unicode=True), encoding="utf-8")
    config = load_config(str(root / "mkdocs.yml"))
    plugin = config.plugins["qadocs"]
    assert isinstance(plugin, QadocsPlugin)
    plugin.on_startup(command="build", dirty=False)
    return plugin.on_config(config)


GFM_NAMES = [
    "qadocs.extensions.gfm",
    "admonition",
    "footnotes",
    "pymdownx.tilde",
    "pymdownx.magiclink",
    "pymdownx.arithmatex",
    "qadocs.extensions.mathml",
    "qadocs.extensions.sanitize",
]
GFM_PAGE = (
    "见 https://example.com/x 与 ~~旧~~，约 ~5 秒[^1]：\n- 一\n  - 甲 $x_T$\n- 二\n\n> [!NOTE]\n> 注意\n\n[^1]: 脚注\n"
)


def test_plugin_adds_the_gfm_extensions_a_bare_mkdocs_yml_lacks(tmp_path: Any) -> None:
    import markdown

    config = _plugin_config(tmp_path, None)
    names = config.markdown_extensions
    assert names[0] == "qadocs.extensions.gfm" and names[-1] == "qadocs.extensions.sanitize"
    assert all(names.count(n) == 1 for n in GFM_NAMES), names
    assert names.index("pymdownx.arithmatex") < names.index("qadocs.extensions.mathml")
    assert config.mdx_configs["pymdownx.tilde"] == {"subscript": False}
    assert config.mdx_configs["pymdownx.arithmatex"] == {"generic": True, "smart_dollar": False}
    html = markdown.Markdown(extensions=names, extension_configs=config.mdx_configs).convert(GFM_PAGE)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select("ul > li > ul > li math"), html  # nested as on GitHub, math in the sub-item
    assert soup.select("del") and "约 ~5 秒" in soup.get_text()  # a lone `~` stays text
    assert soup.select('a[href="https://example.com/x"]')
    assert soup.select("div.admonition.note") and soup.select("div.footnote")
    assert difference(github_signature(GFM_PAGE), signature(soup, site=True)) == {}
    again = config.plugins["qadocs"].on_config(config)  # serve calls it on every rebuild
    assert again.markdown_extensions == names  # nothing duplicated


def test_plugin_keeps_what_the_user_configured(tmp_path: Any) -> None:
    config = _plugin_config(
        tmp_path,
        [
            "qadocs.extensions.sanitize",  # not last: moved last
            {"pymdownx.tilde": {"subscript": True}},
            "markdown.extensions.footnotes",
            {"pymdownx.arithmatex": {"generic": False}},  # MathJax in the page: math left alone
            "qadocs.gfm",  # the former name, and today's: one stays
            "qadocs.extensions.gfm",
        ],
    )
    names = config.markdown_extensions
    assert names[-1] == "qadocs.extensions.sanitize" and names.count("qadocs.extensions.sanitize") == 1
    assert names.count("qadocs.extensions.gfm") == 1 and names.count("pymdownx.tilde") == 1
    assert config.mdx_configs["pymdownx.tilde"] == {"subscript": True}
    assert "footnotes" not in names and "qadocs.extensions.mathml" not in names
    assert config.mdx_configs["pymdownx.arithmatex"] == {"generic": False}
    assert {"admonition", "pymdownx.magiclink"} <= set(names)


def test_shipped_mkdocs_yml_needs_nothing_added() -> None:
    from pathlib import Path

    from mkdocs.config import load_config

    from qadocs.plugin.adapter import FORMER_NAMES, ensure_extensions

    config = load_config(str(Path(__file__).resolve().parents[2] / "mkdocs.yml"))
    names, configs = list(config.markdown_extensions), dict(config.mdx_configs)
    ensure_extensions(names, configs)
    assert any(name in FORMER_NAMES for name in config.markdown_extensions), "it names qadocs.gfm as before"
    assert names == [FORMER_NAMES.get(n, n) for n in config.markdown_extensions]  # renamed, none added
    assert configs == {FORMER_NAMES.get(k, k): v for k, v in config.mdx_configs.items()}


def test_deeply_nested_quotes_render_without_recursion_error(md: Any) -> None:
    """Hostile content: `> > > …` thousands deep. Quotes past markdown-it's nesting limit are left
    as written, so normalising does not recurse without end; the text is kept."""
    text = "> " * 3000 + "深处的文字"
    html = render(md, text)
    assert "深处的文字" in html
