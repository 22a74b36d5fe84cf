"""What a reader sees in MathML, and MathML that would show an empty box: for the tests of TeX
conversion (tests/core/text/test_tex.py) and of math on the page (tests/extensions/test_mathml.py)."""

from __future__ import annotations

import html
import re


def text_of(mathml: str) -> str:
    """The letters and digits a reader sees in `mathml`."""
    return "".join(c for c in html.unescape(re.sub(r"<[^>]*>", "", mathml)) if c.isalnum())


def assert_no_empty_operator(mathml: str) -> None:
    assert not re.search(r"<mo(\s[^>]*)?(/>|>\s*</mo>)", mathml), mathml
    assert not re.search(r"<(mi|mo|mn|mtext)\b[^>/]*>[^<]*<(?!/)", mathml), mathml  # nothing nested in a token
