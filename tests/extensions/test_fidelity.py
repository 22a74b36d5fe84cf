"""The fidelity comparison (tests/fidelity.py) itself, and the site's Markdown setup against plain
Python-Markdown: the harness sees what `qadocs.extensions.gfm` changes, so a regression in the
extension would fail the comparison of the built pages (tests/e2e/test_site_fidelity.py)."""

from __future__ import annotations

from typing import Any

import pytest

from fidelity import (
    difference,
    github_signature,
    reasons,
    site_markdown,
    site_signature,
)

# --- the comparison itself can fail ------------------------------------------------------------

# GitHub nests a sub-list indented to the item's content column: 2 spaces under `- `.
NESTED = "两点：\n- 一\n  - 甲\n  - 乙\n- 二\n"


def _page(article: str) -> str:
    """A minimal built question page around `article` (what site_signature strips included)."""
    return (
        f'<html><body><article><h1>标题<a class="headerlink" href="#x">¶</a></h1>'
        f'<p class="qadocs-where">来源</p>{article}</article></body></html>'
    )


def test_comparison_flags_a_flattened_list() -> None:
    """A page that flattens GitHub's nested list (what Python-Markdown alone does) differs, with its reason."""
    flat = _page("<p>两点：</p><ul><li>一</li><li>甲</li><li>乙</li><li>二</li></ul>")
    diff = difference(github_signature(NESTED), site_signature(flat))
    assert diff == {"li d1 ul": (2, 4), "li d2 ul": (2, 0)}
    assert "list nesting 2/3-space" in reasons(NESTED, diff)


def test_comparison_accepts_the_same_structure() -> None:
    nested = _page("<p>两点：</p><ul><li>一<ul><li>甲</li><li>乙</li></ul></li><li>二</li></ul>")
    assert difference(github_signature(NESTED), site_signature(nested)) == {}


@pytest.mark.parametrize(
    ("markdown", "feature"),
    [
        ("整体流程如下：\n1. 编码\n2. 去噪\n", "li d1 ol"),
        (NESTED, "li d2 ul"),
        ("> [!NOTE]\n> 注意\n", "alert"),
        ("- [ ] 待办\n- [x] 完成\n", "task [ ]"),
        ("| a | b |\n|---|---|\n| 1 | 2 |\n", "table 4"),
    ],
)
def test_site_renderer_matches_where_plain_python_markdown_does_not(markdown: str, feature: str) -> None:
    """In-process: mkdocs.yml's extensions give GitHub's structure; without qadocs.extensions.gfm the harness
    sees the difference (so a regression in the extension would fail the page tests above)."""
    from bs4 import BeautifulSoup

    from fidelity import Signature, signature

    def sig(md: Any) -> Signature:
        return signature(BeautifulSoup(md.convert(markdown), "html.parser"), site=True)

    expected = github_signature(markdown)
    assert expected[feature] > 0
    assert difference(expected, sig(site_markdown())) == {}
    if feature in ("li d1 ol", "li d2 ul", "task [ ]"):  # alerts and tables: blockquote / Python-Markdown's own
        assert difference(expected, sig(site_markdown(without=("qadocs.extensions.gfm",)))) != {}
