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

# The start of arithmatex's wrapper; `math_spans` finds its end with str.find, since a lazy
# `(.*?)\\\)</span>` searched from each start scans to the end of the text for every wrapper
# that is never closed (quadratic).
MATH_OPEN_RE = re.compile(r'<(span|div) class="arithmatex">\\([(\[])')


def math_spans(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, TeX as written, display) of each `<span|div class="arithmatex">\\(…\\)</…>` or
    `\\[…\\]` wrapper, left to right, each ending at the first closer of its kind. Linear: a kind
    whose closer is not found is never looked for again, since none follows."""
    found: list[tuple[int, int, str, bool]] = []
    missing: set[tuple[str, str]] = set()
    pos = 0
    while (m := MATH_OPEN_RE.search(text, pos)) is not None:
        tag, bracket = m.group(1), m.group(2)
        closer = ("\\)" if bracket == "(" else "\\]") + f"</{tag}>"
        end = -1 if (tag, bracket) in missing else text.find(closer, m.end())
        if end < 0:
            missing.add((tag, bracket))
            pos = m.start() + 1
            continue
        found.append((m.start(), end + len(closer), text[m.end():end], bracket == "["))
        pos = end + len(closer)
    return found


def is_display_line(line: str) -> bool:
    """`$$` alone on its line, or `$$…$$` with something between (spaces around allowed). Linear,
    unlike the regex `^\\s*\\$\\$(?:.*\\S.*\\$\\$)?\\s*$`, which backtracks quadratically."""
    s = line.strip()
    inner = s[2:-2]
    return s == "$$" or (s.startswith("$$") and s.endswith("$$") and bool(inner.strip()) and "\n" not in inner)


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

        parts: list[str] = []
        pos = 0
        for start, end, tex, display in math_spans(text):
            parts.append(text[pos:start])
            parts.append(tex_to_mathml(html.unescape(tex), display, self.error_level))
            pos = end
        parts.append(text[pos:])
        return "".join(parts)


class DisplayMathSpacer(Preprocessor):
    """Give `$$` blocks blank lines around them: arithmatex only sees a block in its own paragraph.

    Registered below superfences (25), so fenced code is already out of the way.
    """

    def run(self, lines: list[str]) -> list[str]:
        """Return the lines with blank lines inserted around display math."""
        out: list[str] = []
        inside = False
        for i, line in enumerate(lines):
            if not is_display_line(line):
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
