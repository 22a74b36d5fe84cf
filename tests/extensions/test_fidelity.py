"""Acceptance of issue 8: question pages show the block structure GitHub shows for their markdown.

Every question page of the demo build (the shared strict build, conftest `built_site`) and of the
generated messy collection (conftest `messy_build`) is compared with cmark-gfm's rendering of the
question's markdown by tests/fidelity.py: list items per nesting depth, code blocks, tables and
cells, blockquotes, alerts, sub-headings, images, task lists, strikethrough, bare URLs, literal `$$`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import BuiltSite, MessyBuild
from fidelity import (
    PageResult,
    compare_site,
    difference,
    github_signature,
    reasons,
    site_markdown,
    site_signature,
)

REQUIRED = 0.99  # share of question pages identical to GitHub


def _check(name: str, results: list[PageResult], minimum_pages: int) -> None:
    differing = [r for r in results if r.diff]
    total = len(results)
    share = (total - len(differing)) / total if total else 0.0
    listing = "\n".join(
        f"  {r.source}:{r.line} {r.title[:40]} [{'; '.join(r.reasons)}] "
        + ", ".join(f"{k}: GitHub {a} / site {b}" for k, (a, b) in r.diff.items())
        for r in differing
    )
    print(
        f"{name}: {total - len(differing)}/{total} question pages identical to GitHub ({100 * share:.1f} %)"
        + (f"\n{listing}" if listing else "")
    )
    assert total >= minimum_pages, f"{name}: only {total} question pages compared"
    assert share >= REQUIRED, (
        f"{name}: {100 * share:.1f} % of {total} question pages identical to GitHub "
        f"(need {100 * REQUIRED:.0f} %); differing:\n{listing}"
    )


def test_demo_pages_match_github(built_site: BuiltSite, site_dir: Path) -> None:
    _check("demo content", compare_site(built_site.root, site_dir), minimum_pages=100)


def test_messy_pages_match_github(messy_build: MessyBuild) -> None:
    assert messy_build.returncode == 0, messy_build.stderr
    _check("messy collection", compare_site(messy_build.root, messy_build.site), minimum_pages=300)


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
