"""Link destinations as Python-Markdown (and so `mkdocs build --strict`) reads them (issue 21): the
lexer (`qadocs.core.text.lex`) reads the same target, a tag after a link stays a tag, and a missing
target is reported where MkDocs would report it."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest

from qadocs.core.build import generate
from qadocs.core.plan.site import Options
from qadocs.core.text.lex import inline_refs, split_target

# Destination forms, each in a link to a missing file: Python-Markdown's target and qadocs'.
DESTINATIONS = [
    "<a note.md>",  # looks like an <a> tag: a destination all the same
    '<a "q".md>',
    "<img x.md>",
    '<a href="y.md">',
    "<a note.md> 'title'",
    "<b note.md>",
    "it's.md",
    'a"b.md',
    "gone.md 'title'",
    '<gone.md> "t"',
    "a(b).md",
]


def python_markdown_target(line: str) -> str | None:
    """The href Python-Markdown gives the link of `line`, or None."""
    m = re.search(r'<a href="([^"]*)"', markdown.markdown(line))
    return None if m is None else html.unescape(m.group(1))


def qadocs_target(line: str) -> str | None:
    """The target qadocs reads in the link of `line`, or None."""
    refs = [r for r in inline_refs(line) if r.kind == "link"]
    return split_target(line[refs[0].target[0] : refs[0].target[1]]) if refs else None


@pytest.mark.parametrize("destination", DESTINATIONS)
def test_link_destinations_read_as_python_markdown_reads_them(destination: str) -> None:
    line = f"见[笔记]({destination})。"
    assert qadocs_target(line) == python_markdown_target(line)


def test_tag_after_a_link_stays_a_tag() -> None:
    line = '[a](x.md) <a href="y.md">y</a> [b](<a c.md>)'
    assert [(r.kind, split_target(line[r.target[0] : r.target[1]])) for r in inline_refs(line)] == [
        ("link", "x.md"),
        ("a", '"y.md"'),
        ("link", "a c.md"),
    ]


def test_check_reports_missing_targets_that_mkdocs_would(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "imgs").mkdir()
    lines = "\n\n".join(f"{n}. [笔记]({d})" for n, d in enumerate(DESTINATIONS, 1))
    (content / "q.md").write_text(f"# 题库\n\n## 1. 什么是链接？\n\n{lines}\n", encoding="utf-8")
    result = generate(Options(tmp_path, content, tmp_path / "imgs"), None)
    missing = [d.line for d in result.diagnostics if d.code == "link-missing"]
    assert missing == [5 + 2 * n for n in range(len(DESTINATIONS))], result.diagnostics
