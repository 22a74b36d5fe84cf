"""Golden rendering cases: one markdown file per construct GitHub reads differently from plain
Python-Markdown (tests/golden/render/NN-name.md), rendered with the site's Markdown setup.

The expected HTML sits beside each case (`.html`; regenerate with `pytest --update-golden` and
review the diff). GitHub is the authority on structure: each case's block structure must also
equal cmark-gfm's (math excepted, which GitHub renders with its own script).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from fidelity import difference, github_signature, signature, site_markdown
from golden import GOLDEN, check_golden

CASES = sorted((GOLDEN / "render").glob("*.md"))


@pytest.fixture(scope="module")
def md() -> Any:
    return site_markdown()


def test_there_is_a_case_per_construct() -> None:
    names = " ".join(c.stem for c in CASES)
    for construct in (
        "run-on-list",
        "2-space-nested",
        "3-space-nested",
        "starting-at-4",
        "math-in-a-list-item",
        "github-alert",
        "task-list",
        "strikethrough",
        "bare-url",
        "table-without-outer-pipes",
        "footnote",
        "math-environments",
        "display-math-indented-in-a-list-item",
        "paren-ordered-list",
        "fence-left-open",
        "indented-fence-with-lines-indented-less",
        "markdown-between-html-blocks",
        "html-blocks-markdown-attribute-and-indent",
    ):
        assert construct in names, construct


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_render_golden(md: Any, case: Path, update_golden: bool) -> None:
    text = case.read_text(encoding="utf-8")
    md.reset()
    html = str(md.convert(text)) + "\n"
    check_golden(case.with_suffix(".html"), html, update_golden)
    diff = difference(github_signature(text), signature(BeautifulSoup(html, "html.parser"), site=True))
    assert not diff, f"{case.name}: structure differs from GitHub's: {diff}"
