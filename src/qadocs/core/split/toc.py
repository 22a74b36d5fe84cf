"""A source's table of contents: the links at its top that list its questions, found so the
splitter leaves them out of every page (what they point at becomes the collection's anchors)."""

from __future__ import annotations

import re

from qadocs.core.model import TocLink
from qadocs.core.split.outline import (
    Outline,
    html_text,
)
from qadocs.core.text.lex import (
    TABLE_RULE_RE,
    code_spans,
    inline_refs,
    is_link_line,
    split_target,
)
from qadocs.core.text.urls import is_external

TOC_TITLE_RE = re.compile(r"^(目录|目錄|tableofcontents|contents|toc)$", re.IGNORECASE)  # spaces dropped
LINK_TOC_MIN = 2  # link lines that make a table of contents without a title
TOC_TITLE_MAX = 40  # characters: a line longer than this is no `目录` title


def _is_toc_title(text: str) -> bool:
    return bool(TOC_TITLE_RE.match(re.sub(r"[\s:：#*_]+", "", text).lower()))


def _toc_links(line: str) -> list[tuple[str, str]]:
    """(text, target) of the links on a TOC line; a lone link may hold spaces or odd parentheses.
    An image counts as one: a line that holds one is no list of anchors."""
    if not is_link_line(line):
        return []
    found = _refs(line, ("link", "image"))
    if len(found) <= 1:  # one link: take everything between `](` and the last `)`
        body = line.strip()
        start = body.find("[")
        mid = body.find("](", start)
        if start < 0 or mid < 0:
            return []
        found = [(body[start + 1 : mid], body[mid + 2 : body.rfind(")")].strip())]
    return found


def _is_internal_link_line(line: str, anchors_only: bool = False) -> bool:
    targets = [t for _, t in _toc_links(line)]
    if anchors_only:
        return bool(targets) and all(t.startswith("#") for t in targets)
    return bool(targets) and not any(is_external(t) for t in targets)


COMMENT_LINE_RE = re.compile(r"^\s*<!--.*-->\s*$")  # `<!-- TOC_START -->`


def _refs(line: str, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """(text, target) of the markdown references of `kinds` on a line."""
    refs = inline_refs(line, code_spans(line))
    return [
        (line[r.text[0] : r.text[1]], split_target(line[r.target[0] : r.target[1]])) for r in refs if r.kind in kinds
    ]


def _row_links(line: str) -> list[tuple[str, str]]:
    """(text, target) of the links in a table row of a TOC (`| 3 | [标题](#anchor) |`)."""
    return _refs(line, ("link",))


def _toc_table_row(lines: list[str], i: int, anchors_only: bool) -> bool:
    """A row of a table of links (its header, its rule, or a row whose links stay in the file)."""
    line = lines[i].strip()
    if not line.startswith("|"):
        return False
    if TABLE_RULE_RE.fullmatch(line) or (i + 1 < len(lines) and TABLE_RULE_RE.fullmatch(lines[i + 1])):
        return True
    targets = [t for _, t in _row_links(line)]
    return bool(targets) and all((t.startswith("#") if anchors_only else not is_external(t)) for t in targets)


def _toc_run(lines: list[str], start: int, heading_at: set[int], anchors_only: bool) -> tuple[set[int], list[TocLink]]:
    """The TOC lines from `start` on: blank lines, comment lines, link lines, rows of a table of
    links, and headings followed by links."""
    region: set[int] = set()
    links: list[TocLink] = []
    n = len(lines)
    i = start
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if _is_internal_link_line(line, anchors_only):
            region.add(i)
            links.extend(TocLink(html_text(text), target, i + 1) for text, target in _toc_links(line))
            i += 1
            continue
        if (region or not anchors_only) and (COMMENT_LINE_RE.match(line) or _toc_table_row(lines, i, anchors_only)):
            region.add(i)
            links.extend(TocLink(html_text(text), target, i + 1) for text, target in _row_links(line))
            i += 1
            continue
        if i in heading_at:
            j = i + 1
            while j < n and not lines[j].strip():
                j += 1
            if j < n and _is_internal_link_line(lines[j], anchors_only):
                region.add(i)
                i += 1
                continue
        break
    return region, links


def find_toc(lines: list[str], outline: Outline, skip: set[int]) -> tuple[set[int], list[TocLink]]:
    """The 0-based lines of the table of contents, and its links."""
    heading_at = {h.index for h in outline.headings}
    start = next((h.index for h in outline.headings if _is_toc_title(h.text)), None)
    if start is None:  # a TOC titled by a plain line (`**目录**`) before the first heading
        first = min(heading_at, default=len(lines))
        start = next(
            (
                i
                for i in range(first)
                if i not in outline.code
                and lines[i].strip()
                and len(lines[i]) < TOC_TITLE_MAX
                and _is_toc_title(html_text(lines[i]))
            ),
            None,
        )
    if start is not None:
        region, links = _toc_run(lines, start + 1, heading_at, False)
        return region | {start}, links
    # No title: a run of `#` links before the first heading that is not the source's title.
    headings = [h for h in outline.headings if h.index not in skip]
    if headings and headings[0].kind == "md" and headings[0].level == 1:
        headings = headings[1:]
    stop = headings[0].index if headings else len(lines)
    first_link = next(
        (i for i in range(stop) if i not in outline.code and i not in skip and _is_internal_link_line(lines[i], True)),
        None,
    )
    if first_link is None:
        return set(), []
    region, links = _toc_run(lines, first_link, heading_at, True)
    if len([i for i in region if i not in heading_at]) < LINK_TOC_MIN:
        return set(), []
    return region, links
