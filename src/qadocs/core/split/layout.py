"""How a file's questions are laid out when the rules are told: mkdocs.yml's `layout` (a glob per
file) and a file's front matter (`questions:`)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from qadocs.core.model import Diagnostic
from qadocs.core.options import Layout
from qadocs.core.text.yamlread import shown

LAYOUT_WORDS = ("page", "file", "article", "bold", "list", "fold")  # what `questions:` may say besides a level


def layout_value(value: object) -> Layout | None:
    """A layout as written (a heading level 1 to 6, or page, file, article, bold, list, fold), or
    None when it is not one."""
    if isinstance(value, str) and value in LAYOUT_WORDS:
        return value  # type: ignore[return-value]
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 6:
        return value
    return None


def layout_for(path: str, rules: Iterable[tuple[str, Layout]]) -> Layout:
    """The layout of the first rule whose glob matches `path` (`*` matches across folders)."""
    return next((layout for glob, layout in rules if fnmatch.fnmatchcase(path, glob)), None)


def file_layout(meta: dict[str, object], given: Layout, path: str) -> tuple[Layout, list[Diagnostic]]:
    """The layout a source asks for in its front matter (`qadocs: {questions: N|page|…}`), else
    `given`; with a diagnostic when the front matter says something else."""
    own = meta.get("qadocs")
    if own is None:
        return given, []
    value = layout_value(own.get("questions") if isinstance(own, dict) else None)
    if value is not None:
        return value, []
    return given, [
        Diagnostic(
            path,
            1,
            "warning",
            "layout-invalid",
            f"front matter `qadocs: {shown(own)}` is not understood; write `qadocs: {{questions: 3}}` "
            "(the heading level of the questions, 1 to 6), or `questions:` page, file, article, bold, list "
            "or fold; ignored",
        )
    ]
