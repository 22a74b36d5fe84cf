"""The layout override outside front matter (`qadocs.core.split.layout`): the first matching glob
wins, and a layout not understood is refused with a clear message. The command line's reading of
mkdocs.yml's `layout` is tested in tests/test_cli.py, the plugin's in
tests/e2e/test_layout_option.py."""

from __future__ import annotations

import pytest

from qadocs.core.build import layout_rules
from qadocs.core.errors import QadocsError
from qadocs.core.split.layout import layout_for


def test_first_matching_glob_wins() -> None:
    rules = layout_rules({"a/*.md": 3, "*.md": "page"})
    assert layout_for("a/b/c.md", rules) == 3  # `*` crosses folders
    assert layout_for("x.md", rules) == "page"
    assert layout_for("x.txt", rules) is None


@pytest.mark.parametrize("bad", [{"*.md": 7}, {"*.md": "pages"}, {"*.md": True}, ["*.md"], {1: 3}])
def test_bad_layout_is_refused_with_a_message(bad: object) -> None:
    with pytest.raises(QadocsError, match="layout"):
        layout_rules(bad)
