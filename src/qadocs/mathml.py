r"""Markdown extension `qadocs.mathml`: TeX from pymdownx.arithmatex becomes MathML at build time.

arithmatex (generic mode) emits `<span class="arithmatex">\(TeX\)</span>` and
`<div class="arithmatex">\[TeX\]</div>` with the TeX HTML-escaped; this postprocessor replaces
them with latex2mathml output, so pages need no math script and no network. TeX that does not
convert is shown as code and logged, never raised. Pure Python-Markdown: no mkdocs import.
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from latex2mathml.converter import convert
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

log = logging.getLogger("mkdocs.plugins.qadocs.mathml")

MATH_RE = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])"
    r"</(?P=tag)>",
    re.S,
)
DISPLAY_LINE_RE = re.compile(r"^\s*\$\$(?:.*\S.*\$\$)?\s*$")  # `$$` alone, or `$$…$$` alone


def tex_to_mathml(tex: str, display: bool, error_level: int = logging.WARNING) -> str:
    """MathML for `tex`, or the TeX as escaped code when it cannot be converted."""
    tag = "div" if display else "span"
    try:
        mathml = convert(tex.strip(), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many types; bad TeX must not stop a build
        log.log(error_level, "qadocs: TeX not converted (%s): %s", type(exc).__name__, tex)
        source = html.escape(("\\[%s\\]" if display else "\\(%s\\)") % tex, quote=False)
        return f'<{tag} class="arithmatex arithmatex-error"><code>{source}</code></{tag}>'
    return f'<{tag} class="arithmatex arithmatex-mathml">{mathml}</{tag}>'


class MathMLPostprocessor(Postprocessor):
    """Replace arithmatex's TeX wrappers in the final HTML with MathML."""

    def __init__(self, md: Markdown, error_level: int) -> None:
        super().__init__(md)
        self.error_level = error_level

    def run(self, text: str) -> str:
        """Convert every math span and div in `text`."""
        if 'class="arithmatex"' not in text:
            return text

        def repl(m: re.Match[str]) -> str:
            display = m.group("block") is not None
            tex = html.unescape(m.group("block") if display else m.group("inline"))
            return tex_to_mathml(tex, display, self.error_level)

        return MATH_RE.sub(repl, text)


class DisplayMathSpacer(Preprocessor):
    """Give `$$` blocks blank lines around them: arithmatex only sees a block in its own paragraph.

    Registered below superfences (25), so fenced code is already out of the way.
    """

    def run(self, lines: list[str]) -> list[str]:
        """Return the lines with blank lines inserted around display math."""
        out: list[str] = []
        inside = False
        for i, line in enumerate(lines):
            if not DISPLAY_LINE_RE.match(line):
                out.append(line)
                continue
            single = line.strip() != "$$"
            if (single or not inside) and out and out[-1].strip():
                out.append("")
            out.append(line)
            if not single:
                inside = not inside
            if (single or not inside) and i + 1 < len(lines) and lines[i + 1].strip():
                out.append("")
        return out


class MathMLExtension(Extension):
    """`markdown_extensions: - qadocs.mathml` (after pymdownx.arithmatex with generic: true)."""

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
