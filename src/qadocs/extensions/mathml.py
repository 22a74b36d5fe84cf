r"""Markdown extension `qadocs.extensions.mathml`: TeX from pymdownx.arithmatex becomes MathML at build time.

arithmatex (generic mode) emits `<span class="arithmatex">\(TeX\)</span>` and
`<div class="arithmatex">\[TeX\]</div>` with the TeX HTML-escaped; this postprocessor replaces
them with latex2mathml output, so pages need no math script and no network. TeX that does not
convert is shown as code and logged, never raised. Pure Python-Markdown: no mkdocs import.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from qadocs.core.text.tex import block_indent, inline_double_dollars, is_display_line, math_spans, tex_to_mathml


class MathMLPostprocessor(Postprocessor):
    """Replace arithmatex's TeX wrappers in the final HTML with MathML."""

    def __init__(self, md: Markdown, error_level: int) -> None:
        super().__init__(md)
        self.error_level = error_level

    def run(self, text: str) -> str:
        """Convert every math span and div in `text`."""
        if 'class="arithmatex"' not in text:
            return text

        parts: list[str] = []
        pos = 0
        for start, end, tex, display in math_spans(text):
            parts.append(text[pos:start])
            parts.append(tex_to_mathml(html.unescape(tex), display, self.error_level))
            pos = end
        parts.append(text[pos:])
        return "".join(parts)


class DisplayMathSpacer(Preprocessor):
    """Give `$$` blocks blank lines around them, and their opening line an indentation of whole
    levels: arithmatex only sees a block in its own paragraph, starting with `$$`.

    Registered below superfences (25), so fenced code is already out of the way.
    """

    def run(self, lines: list[str]) -> list[str]:
        """Return the lines with blank lines inserted around display math."""
        out: list[str] = []
        inside = False
        for i, line in enumerate(lines):
            if not is_display_line(line):
                out.append(inline_double_dollars(line))
                continue
            single = line.strip() != "$$"
            if (single or not inside) and out and out[-1].strip():
                out.append("")
            if single or not inside:
                line = block_indent(line)
            out.append(line)
            if not single:
                inside = not inside
            if (single or not inside) and i + 1 < len(lines) and lines[i + 1].strip():
                out.append("")
        return out


class MathMLExtension(Extension):
    """`markdown_extensions: - qadocs.extensions.mathml` (after pymdownx.arithmatex with generic: true)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"warn_on_error": [False, "log TeX that fails to convert as a warning (fails --strict)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API name
        """Register the spacer and the postprocessor (after raw HTML is restored at 30)."""
        level = logging.WARNING if self.getConfig("warn_on_error") else logging.INFO
        md.postprocessors.register(MathMLPostprocessor(md, level), "qadocs_mathml", 5)
        md.preprocessors.register(DisplayMathSpacer(md), "qadocs_display_math", 20)


def makeExtension(**kwargs: Any) -> MathMLExtension:  # noqa: N802 - Markdown's API name
    """Entry point Python-Markdown looks for."""
    return MathMLExtension(**kwargs)
