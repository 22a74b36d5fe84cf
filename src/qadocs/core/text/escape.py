"""Escaping at the boundary: the one place content strings are made safe for where they land.

Titles, chapter, source and folder names come from untrusted content. Page engines (MkDocs and
Material among them) insert front matter and nav titles into HTML *without* escaping, so every
string qadocs hands them is already HTML text: `a < b` is written `a &lt; b` and shows as
`a < b`. Markdown text (headings, link labels) is escaped for markdown, and JSON for pages is
written so that it can never close a `<script>` or an attribute. YAML (front matter, the
registry) is written by `yaml_text`: what `yaml.dump` writes, without its cost per node.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring
from typing import Any

import yaml

from qadocs.core.model import Memo

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
    text = None if indent is None or sort_keys else _json_indented(data, " " * indent, "\n")
    if text is None:
        text = json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    return JSON_HTML_RE.sub(lambda m: JSON_HTML_ESCAPES[m.group(0)], text)


def json_list_for_html(items: Sequence[Any], indent: int) -> str:
    """`json_for_html(items, indent=indent)`, each item's text kept from the last two
    generations under its `repr` (questions.json: an edit changes a few entries of thousands)."""
    pad = " " * indent
    inner = "\n" + pad
    parts = []
    for item in items:
        text = _JSON_ITEMS.ask((repr(item), indent), functools.partial(_json_item, item, pad, inner))
        if text is None:
            return json_for_html(items, indent=indent)
        parts.append(text)
    return "[" + inner + ("," + inner).join(parts) + "\n]" if parts else "[]"


def _json_item(item: Any, pad: str, inner: str) -> str | None:
    text = _json_indented(item, pad, inner)
    return None if text is None else JSON_HTML_RE.sub(lambda m: JSON_HTML_ESCAPES[m.group(0)], text)


_JSON_ITEMS: Memo[tuple[str, int], str | None] = Memo()


def _json_indented(value: Any, indent: str, newline: str) -> str | None:
    """`json.dumps(value, ensure_ascii=False, indent=len(indent))` (`newline`: a line break and the
    indentation `value` stands at), the same text without the pure-Python encoder that `indent`
    falls back to; None when `value` holds something else than text, whole numbers, true, false,
    null, lists and mappings with text keys."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        pairs: Any = value.items()
    elif isinstance(value, (list, tuple)):
        pairs = ((None, item) for item in value)
    else:
        return None
    inner = newline + indent
    parts = []
    for key, item in pairs:
        text = _json_indented(item, indent, inner)
        if text is None:
            return None
        parts.append(text if key is None else encode_basestring(key) + ": " + text)
    brackets = "{}" if isinstance(value, dict) else "[]"
    if not parts:
        return brackets
    return brackets[0] + inner + ("," + inner).join(parts) + newline + brackets[1]


# -- YAML ------------------------------------------------------------------------------------------
# `yaml_text` writes block YAML itself for what front matter and the registry hold (mappings,
# lists, text, whole numbers, null) and leaves everything else to `yaml.dump`. Text is written
# as libyaml (and PyYAML) write it: plain when YAML would read it back as that text and no
# indicator stands in the way, else in single quotes. Text with a character that either would
# escape or break (tabs, line breaks, controls, non-BMP), or long enough to be folded, goes to yaml.
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when built in: same output, faster
_STR_TAG, _INT_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int"
MAX_YAML_TEXT = 1000  # characters; far below the width (10,000) at which a scalar would be folded
MAX_SIMPLE_KEY = 127  # UTF-8 bytes; a longer (or empty) key is written `? key` by one emitter or the other
# A character that either emitter would escape, or that breaks or ends a line (tab, controls, NEL,
# U+2028/9, BOM, non-BMP): such text is left to yaml.
_YAML_ODD_RE = re.compile("[^\\x20-\\x7e\\xa0-\\u2027\\u202a-\\ud7ff\\ue000-\\ufefe\\uff00-\\ufffd]")
# What keeps one line of printable text from being plain in block context: an indicator first
# (`-`, `?`, `:` only before a space or the end), `---` / `...` first, `: ` or ` #` inside, a
# `:` last, a space first or last.
_NOT_PLAIN_RE = re.compile(r"""\A(?:[#,\[\]{}&*!|>'"%@`]|[-?:](?: |\Z)|---|\.\.\.| )|: |:\Z| #| \Z""")


def _implicit_tag(text: str) -> str:
    """The type YAML reads plain `text` as (the dumper's implicit resolvers, as it asks them)."""
    table = SAFE_DUMPER.yaml_implicit_resolvers
    first, anywhere = table.get(text[0] if text else ""), table.get(None)
    if not first and not anywhere:
        return _STR_TAG  # most text: no implicit type starts with its first character
    for tag, regexp in (first or []) + (anywhere or []):
        if regexp.match(text):
            return str(tag)
    return _STR_TAG


def _yaml_str(value: str) -> str | None:
    """Text as the emitter writes it in block context, or None to leave it to yaml."""
    return _YAML_STRS(value)


def _yaml_str_of(value: str) -> str | None:
    if len(value) > MAX_YAML_TEXT or _YAML_ODD_RE.search(value):
        return None
    if value and not _NOT_PLAIN_RE.search(value) and _implicit_tag(value) == _STR_TAG:
        return value
    return "'" + value.replace("'", "''") + "'"  # no break and no escape in it: single quotes


# Titles, URLs, ids, fingerprints: the registry and every page's front matter write the same text
# generation after generation.
_YAML_STRS: Memo[str, str | None] = Memo(_yaml_str_of)


def _yaml_scalar(value: object) -> str | None:
    """`value` as the emitter writes it in block context, or None to leave it to yaml."""
    if isinstance(value, str):
        return _yaml_str(value)
    if value is None:
        return "null"
    if type(value) is int:  # not a bool
        text = str(value)
        return text if _implicit_tag(text) == _INT_TAG else None
    return None


def _yaml_mapping(data: Mapping[Any, Any], indent: str, first: str, out: list[str], seen: set[int]) -> bool:
    """Append the lines of a block mapping (its first key after `first`, the others at `indent`);
    False when some part of it is left to yaml."""
    for n, (key, value) in enumerate(data.items()):
        simple = isinstance(key, str) and 0 < len(key.encode("utf-8")) <= MAX_SIMPLE_KEY
        name = _yaml_scalar(key) if simple else None
        if name is None:
            return False
        head = (first if n == 0 else indent) + name + ":"
        if not isinstance(value, (list, dict)):
            text = _yaml_scalar(value)
            if text is None:
                return False
            out.append(head + " " + text)
        elif id(value) in seen:
            return False  # the same object twice: yaml writes an anchor and an alias
        elif not value:
            seen.add(id(value))
            out.append(head + (" []" if isinstance(value, list) else " {}"))
        else:
            seen.add(id(value))
            out.append(head)
            inner = indent + "  "
            if isinstance(value, list):
                if not _yaml_sequence(value, indent, out, seen):  # `- ` at the key's indent
                    return False
            elif not _yaml_mapping(value, inner, inner, out, seen):
                return False
    return True


def _yaml_sequence(items: list[Any], indent: str, out: list[str], seen: set[int]) -> bool:
    """Append the lines of a block sequence in a mapping (its `- ` at the key's `indent`)."""
    for item in items:
        if isinstance(item, dict) and item and id(item) not in seen:
            seen.add(id(item))
            if not _yaml_mapping(item, indent + "  ", indent + "- ", out, seen):
                return False
            continue
        text = None if isinstance(item, (list, dict)) else _yaml_scalar(item)
        if text is None:
            return False
        out.append(indent + "- " + text)
    return True


def yaml_text(data: Mapping[str, Any]) -> str:
    """`yaml.dump(data, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)`,
    the same text, written here when `data` holds only what `_yaml_mapping` knows."""
    out: list[str] = []
    if data and not SAFE_DUMPER.yaml_path_resolvers and _yaml_mapping(data, "", "", out, set()):
        return "\n".join(out) + "\n"
    return yaml.dump(data, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)
