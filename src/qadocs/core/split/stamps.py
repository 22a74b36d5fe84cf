"""Stamps: a question's registry id written into its heading line as an invisible anchor,
`<a id="q-ID"></a>`, so that its identity travels with the content (`qadocs stamp`).

A stamp stands at the start of the heading's text: after the `#` marks of a heading (and of a
list item's heading), before the bold marks of a bold question, right after the opening tag of
an HTML heading or of a `<summary>`. It has no text, so the title a reader sees and the anchor
GitHub makes from it are those of the heading without it; `#q-ID` is an anchor of its own.
This module reads stamps (`stamp_of`, `leading_stamp`) and writes them (`stamped_line`); which
ids are valid is the registry's rule, checked there.
"""

from __future__ import annotations

import re

STAMP_PREFIX = "q-"  # the anchor of a stamp is `q-` and the id
# `<a id="q-ID"></a>` or `name=`, either quote, spaces allowed; the id is bounded here (the
# registry's rule on ids is stricter), so a search costs a bounded amount per `<a`.
STAMP_RE = re.compile(
    r"""<a\s+(?:id|name)\s*=\s*(?:"q-([^"<>]{1,200})"|'q-([^'<>]{1,200})')\s*>\s*</a\s*>""", re.IGNORECASE
)
# What may stand before a stamp on its line: the marks of a heading, a list item, its number.
_MARKS = " \t#*+-.)0123456789"
_LEAD_RE = re.compile(r"^ {0,3}")
_ATX_RE = re.compile(r"^ {0,3}#{1,6}[ \t]+")  # `## `
_ITEM_ATX_RE = re.compile(r"^[^#]{0,16}#{1,6}[ \t]+")  # `1. ### `: a list item's marker, then a heading's
_TAG_RE = re.compile(r"<[^<>]*>")  # a tag before a stamp (`<h2 id="…">`, `<summary>`): no text
_OPEN_TAG_RE = re.compile(r"<(?:h[1-6]|summary)\b[^>]*>", re.IGNORECASE)


def stamp_of(line: str) -> tuple[str, int] | None:
    """(the id, its column) of the stamp leading the text of a heading line; None without one.

    Only the first stamp counts, and only when nothing a reader sees stands before it (marks of
    a heading or list item, tags), so a stamp quoted in a code span or inside a title is none."""
    m = STAMP_RE.search(line)
    if m is None:
        return None
    before = _TAG_RE.sub("", line[: m.start()])
    if before.strip(_MARKS):
        return None
    return m.group(1) if m.group(1) is not None else m.group(2), m.start() + 1


def leading_stamp(line: str) -> str:
    """`line` without a stamp that opens it (after up to three spaces): how a bold question's
    line reads, its stamp set aside."""
    indent = _LEAD_RE.match(line)
    start = indent.end() if indent else 0
    m = STAMP_RE.match(line, start)
    return line[:start] + line[m.end() :] if m else line


def stamp_tag(qid: str) -> str:
    """The anchor that stamps id `qid`."""
    return f'<a id="{STAMP_PREFIX}{qid}"></a>'


def stamped_line(line: str, form: str, qid: str) -> str:
    """`line` (a question's heading line, without its line end) with `qid`'s stamp at the start
    of its text: after an ATX heading's marks, after the opening `<hN>` or `<summary>` tag, else
    after the line's indentation (a bold question, a setext heading's text)."""
    tag = stamp_tag(qid)
    if form in ("html", "fold"):
        m = _OPEN_TAG_RE.search(line)
    else:
        m = (_ITEM_ATX_RE if form == "item" else _ATX_RE).match(line)
    if m is None:
        m = _LEAD_RE.match(line)
    at = m.end() if m else 0
    return line[:at] + tag + line[at:]


_SUMMARY_RE = re.compile(r"<summary\b", re.IGNORECASE)


def head_line(lines: list[str], at: int, form: str, within: int) -> int:
    """The 0-based line a question's stamp goes on, its head at line `at`: its own, or for a
    folded question the `<summary>` line among the `within` lines from `at`."""
    if form != "fold":
        return at
    return next((k for k in range(at, min(len(lines), at + within)) if _SUMMARY_RE.search(lines[k])), at)
