"""Golden tests for the parser: each tests/golden/split/<case>.md → <case>.yaml summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from golden import GOLDEN, check_golden
from qadocs.core.split.outline import read_outline
from qadocs.core.split.questions import split_source

CASES = sorted((GOLDEN / "split").glob("*.md"))


def heading_levels(text: str) -> dict[int, int]:
    """The level of the heading on each 1-based line (a question keeps no level of its own)."""
    return {h.index + 1: h.level for h in read_outline(text.split("\n")).headings}


def summarize(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    src = split_source(path.name, text)
    level = heading_levels(text)
    return {
        "title": src.title,
        "title_line": src.title_line,
        "intro_line": src.intro_line,
        "intro": src.intro,
        "toc_lines": src.toc_lines,
        "toc_links": [[t.line, t.target] for t in src.toc_links],
        "chapters": [
            {"titles": list(c.titles), "line": c.line, "anchor": c.anchor, "parent": c.parent, "intro": c.intro}
            for c in src.chapters
        ],
        "questions": [
            {
                "number": q.number,
                "title": q.title,
                "anchor": q.anchor,
                "line": q.line,
                "level": level[q.line],
                "chapter": q.chapter,
                "body_line": q.body_line,
                "body": q.body,
            }
            for q in src.questions
        ],
        "diagnostics": [d.render() for d in src.diagnostics],
    }


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_split_golden(case: Path, update_golden: bool) -> None:
    actual = yaml.safe_dump(summarize(case), allow_unicode=True, sort_keys=False, width=200)
    check_golden(case.with_suffix(".yaml"), actual, update_golden)


def test_there_are_cases() -> None:
    assert len(CASES) >= 5
