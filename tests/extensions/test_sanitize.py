"""The allow-list for the HTML in answers (`qadocs.extensions.sanitize`), case by case. The built
XSS fixture is checked in tests/e2e/test_safe_html.py."""

from __future__ import annotations

import pytest

from qadocs.extensions.sanitize import sanitize_html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<img src="data:image/png;base64,AAAA" alt="a">', '<img src="data:image/png;base64,AAAA" alt="a">'),
        ('<img src="data:image/svg+xml;base64,AAAA">', "<img>"),
        ('<a href="data:text/html,x">x</a>', "<a>x</a>"),
        ('<p onmouseover="x()">p</p>', "<p>p</p>"),
        ('<a href="../q/" title="t">q</a>', '<a href="../q/" title="t">q</a>'),
    ],
)
def test_sanitize_html_table(dirty: str, clean: str) -> None:
    assert sanitize_html(dirty) == clean
