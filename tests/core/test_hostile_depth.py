"""Depth that exhausts a recursion: `<div markdown="1">` blocks nested hundreds deep (md_in_html),
a source hundreds of folders deep (the theme's navigation). Each is a diagnostic at its line, the
content is kept, and the build goes through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fidelity import site_markdown
from qadocs.core.build import generate
from qadocs.core.check import check_sources
from qadocs.core.model import MAX_FOLDER_DEPTH
from qadocs.core.plan.site import Options
from qadocs.core.split.questions import split_source
from qadocs.core.text.gfmblocks import MAX_HTML_NESTING
from repos import DEEP_DIVS, nested_divs
from repos import deep_repo as _deep_repo
from repos import deep_source as _source


@pytest.fixture(scope="module")
def md() -> Any:
    return site_markdown()


def test_markdown_blocks_nested_past_the_limit_render_as_on_github(md: Any) -> None:
    md.reset()
    html = md.convert(nested_divs(DEEP_DIVS))
    assert "<p>深处的文字</p>" in html and html.count("<div") == html.count("</div>") == DEEP_DIVS


def test_markdown_attribute_is_read_up_to_the_limit(md: Any) -> None:
    """Within the limit md_in_html renders a block's own markdown; past it, as GitHub, the block's
    lines stay HTML (bold written inside the block's tag line stays as written)."""
    one = '<div markdown="1">**粗**</div>\n\n'
    md.reset()
    assert "<strong>粗</strong>" in md.convert(one + nested_divs(MAX_HTML_NESTING))
    md.reset()
    assert "**粗**" in md.convert(one + nested_divs(MAX_HTML_NESTING + 1))


def test_check_reports_markdown_blocks_nested_deep() -> None:
    src = split_source("a.md", _source(DEEP_DIVS))
    [diag] = [d for d in check_sources([src]) if d.code == "html-nested-deep"]
    assert (diag.line, diag.severity) == (3 + 2 * MAX_HTML_NESTING, "warning")  # the first block past it
    assert f"nest {DEEP_DIVS} tags deep" in diag.message
    assert [q.title for q in src.questions] == ["什么是深嵌套？", "什么是浅问题？"]
    within = split_source("a.md", _source(MAX_HTML_NESTING))
    assert not [d for d in check_sources([within]) if d.code == "html-nested-deep"]


def _nav_depth(nav: list[Any]) -> int:
    """How many lists deep the nav nests."""
    children = [v for item in nav if isinstance(item, dict) for v in item.values() if isinstance(v, list)]
    return 1 + max((_nav_depth(c) for c in children), default=0)


def test_source_too_deep_is_placed_in_its_deepest_allowed_folder(tmp_path: Path) -> None:
    deep = _deep_repo(tmp_path)
    result = generate(Options(tmp_path, tmp_path / "content", tmp_path / "imgs"), tmp_path / "out")
    too_deep = [d for d in result.diagnostics if d.code == "folder-too-deep"]
    assert [(d.path, d.line, d.severity) for d in too_deep] == [
        ((deep / "题.md").relative_to(tmp_path / "content").as_posix(), 1, "warning")
    ]
    assert "240 folders deep" in too_deep[0].message and "…/d31/" in too_deep[0].message
    titles = {q["title"]: q["url"] for q in result.plan.questions}
    assert set(titles) == {"什么是深处甲？", "什么是深处乙？", "什么是边缘甲？", "什么是边缘乙？"}
    assert titles["什么是深处甲？"].startswith("/" + "/".join(f"d{k}" for k in range(MAX_FOLDER_DEPTH)) + "/")
    assert titles["什么是边缘甲？"].startswith("/" + "/".join(f"e{k}" for k in range(MAX_FOLDER_DEPTH)) + "/")
    assert _nav_depth(result.plan.nav) <= MAX_FOLDER_DEPTH + 3  # folders, then the source and its questions
