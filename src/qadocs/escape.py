"""Escaping at the boundary: the one place content strings are made safe for where they land.

Titles, chapter, source and folder names come from untrusted content. Page engines (MkDocs and
Material among them) insert front matter and nav titles into HTML *without* escaping, so every
string qadocs hands them is already HTML text: `a < b` is written `a &lt; b` and shows as
`a < b`. Markdown text (headings, link labels) is escaped for markdown, and JSON for pages is
written so that it can never close a `<script>` or an attribute.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

MD_ESCAPE_RE = re.compile(r"([\\`*_\[\]#|])")
JSON_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
JSON_HTML_RE = re.compile("[<>&\u2028\u2029]")


def html_text(text: str) -> str:
    """Plain text as HTML text (`&`, `<`, `>`, quotes escaped): safe in an element or an attribute."""
    return html.escape(text, quote=True)


def html_meta(value: Any) -> Any:
    """A front-matter value with every string in it made HTML text (lists and dicts walked)."""
    if isinstance(value, str):
        return html_text(value)
    if isinstance(value, list):
        return [html_meta(v) for v in value]
    if isinstance(value, dict):
        return {k: html_meta(v) for k, v in value.items()}
    return value


def md_escape(text: str) -> str:
    """Plain text as markdown inline text: HTML specials and markdown punctuation escaped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MD_ESCAPE_RE.sub(r"\\\1", text)


def json_for_html(data: Any, *, indent: int | None = None, sort_keys: bool = False) -> str:
    """JSON text whose `<`, `>` and `&` are `\\u` escapes: the same data, harmless inside HTML."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    return JSON_HTML_RE.sub(lambda m: JSON_HTML_ESCAPES[m.group(0)], text)
