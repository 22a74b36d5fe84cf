"""Rewrite the links and images of one piece of answer markdown for the page it lands on.

Code (fenced blocks and inline spans) is left alone. Every rewrite is decided by a
`Resolver`, which knows the files and anchors of the collection; this module only finds the
references and splices the results back, so the rest of each line stays byte-for-byte.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote

from .split import FenceTracker

# `[text](target "title")`: text may nest one level of brackets, target one level of parentheses.
# After `(` the spaces are taken whole (`\s*+`), or all but the one before a quoted title when
# the target is empty (`[a]( "t")`): the same matches as a plain `\s*`, without trying every
# split of a long run of spaces between `\s*`, `\s+` and `\s*`, which is quadratic.
_INLINE = (r"\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\((?:\s*+|\s*(?=\s[\"']))"
           r"(<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
           r"""(\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)""")
IMAGE_RE = re.compile("!" + _INLINE)
LINK_RE = re.compile(r"(?<![!\\])" + _INLINE)
IMG_TAG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
A_TAG_RE = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
ATTR_RE_TEMPLATE = r"""(\b{name}\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)"""
SRC_RE = re.compile(ATTR_RE_TEMPLATE.format(name="src"), re.IGNORECASE)
HREF_RE = re.compile(ATTR_RE_TEMPLATE.format(name="href"), re.IGNORECASE)
ALT_RE = re.compile(ATTR_RE_TEMPLATE.format(name="alt"), re.IGNORECASE)
BACKTICKS_RE = re.compile("`+")


@dataclass(slots=True, frozen=True)
class Image:
    """What an image reference becomes: a local asset URL, a remote URL, or missing."""

    url: str | None  # relative URL from the page, or the remote URL; None when missing
    remote: bool = False


class Resolver:
    """The decisions `rewrite_markdown` asks for; implemented by the page planner."""

    def image(self, target: str, line: int, col: int = 1) -> Image:  # pragma: no cover - interface
        """Resolve an image target written at `line`, `col`."""
        raise NotImplementedError

    def link(self, target: str, line: int, col: int = 1, html: bool = False) -> str | None:  # pragma: no cover
        """New href for a link target (in raw HTML when `html`), itself if fine, None if broken."""
        raise NotImplementedError


def missing_image_html(target: str, alt: str) -> str:
    """The visible placeholder for an image that is not in the repository."""
    label = f"图片缺失：{target}" + (f"（{alt}）" if alt else "")
    return (f'<span class="qadocs-missing-image" role="img" aria-label="{html.escape(label)}">'
            f"{html.escape(label)}</span>")


def broken_link_html(text: str, target: str) -> str:
    """A link whose target is nowhere keeps its text, marked, instead of a dead href."""
    return f'<span class="qadocs-broken-link" title="{html.escape("链接失效：" + target)}">{text}</span>'


def split_target(raw: str) -> str:
    """The URL inside `(<url>)` or `(url)`."""
    raw = raw.strip()
    return raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw


def relative_url(from_dir: str, to_path: str) -> str:
    """Relative, percent-encoded URL from a page directory to a file in the docs dir."""
    rel = posixpath.relpath(to_path, from_dir or ".")
    return quote(rel, safe="/#")


def code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each inline code span of `line`, backticks included, left to right.

    The CommonMark rule: a run of N backticks opens a span that closes at the next run of
    exactly N backticks; a run without such a closer is literal text. Linear in the line: one
    backward pass gives every run the next run of its length, so no run is searched for twice.
    """
    runs = [(m.start(), m.end()) for m in BACKTICKS_RE.finditer(line)]
    closer: list[int | None] = [None] * len(runs)
    next_of_length: dict[int, int] = {}
    for k in range(len(runs) - 1, -1, -1):
        length = runs[k][1] - runs[k][0]
        closer[k] = next_of_length.get(length)
        next_of_length[length] = k
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(runs):
        close = closer[k]
        if close is None:
            k += 1  # literal backticks; the next run may still open a span
        else:
            spans.append((runs[k][0], runs[close][1]))
            k = close + 1
    return spans


def mask_code_spans(line: str) -> str:
    """`line` with its inline code spans blanked out: what checks look at outside code, with every
    column where it was (and nothing joined across a removed span)."""
    parts: list[str] = []
    pos = 0
    for start, end in code_spans(line):
        parts += [line[pos:start], " " * (end - start)]
        pos = end
    parts.append(line[pos:])
    return "".join(parts)


def sub_tags(pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str) -> str:
    """`pattern.sub(repl, text)` for a tag pattern whose every match ends at the first `>` after
    its start, in linear time: nothing after the last `>` can match, so it is not searched (a
    search from each `<` there would scan to the end of the text: quadratic)."""
    end = text.rfind(">") + 1
    return pattern.sub(repl, text[:end]) + text[end:]


def _outside_code(line: str, fn: Callable[[str, int], str]) -> str:
    """Apply `fn(segment, offset)` to the parts of `line` outside inline code spans."""
    parts: list[str] = []
    pos = 0
    for start, end in code_spans(line):
        parts.append(fn(line[pos:start], pos))
        parts.append(line[start:end])
        pos = end
    parts.append(fn(line[pos:], pos))
    return "".join(parts)


def _attr_value(raw: str) -> str:
    if raw[:1] in "\"'":
        raw = raw[1:-1]
    return html.unescape(raw)


def rewrite_markdown(text: str, first_line: int, resolver: Resolver) -> str:
    """Rewrite the links and images of `text` whose first line is `first_line` in its source."""
    out: list[str] = []
    fences = FenceTracker()
    for offset, line in enumerate(text.split("\n")):
        if fences.is_code(line):
            out.append(line)
            continue
        lineno = first_line + offset
        out.append(_outside_code(line, functools.partial(_rewrite_span, line=lineno, resolver=resolver)))
    return "\n".join(out)


def _rewrite_span(text: str, offset: int, line: int, resolver: Resolver) -> str:
    def image(m: re.Match[str]) -> str:
        alt, target, title = m.group(1), split_target(m.group(2)), m.group(3) or ""
        found = resolver.image(target, line, offset + m.start() + 1)
        if found.url is None:
            return missing_image_html(unquote(target), alt)
        if found.remote:
            return f"![{alt}](<{target}>{title}){{: referrerpolicy=\"no-referrer\" }}"
        return f"![{alt}](<{found.url}>{title})"

    def link(m: re.Match[str]) -> str:
        label, target, title = m.group(1), split_target(m.group(2)), m.group(3) or ""
        href = resolver.link(target, line, offset + m.start() + 1)
        if href is None:
            return broken_link_html(label, target)
        if href == target:
            return m.group(0)
        return f"[{label}](<{href}>{title})"

    def img_tag(m: re.Match[str]) -> str:
        tag = m.group(0)
        src = SRC_RE.search(tag)
        if src is None:
            return tag
        target = _attr_value(src.group(2))
        found = resolver.image(target, line, offset + m.start() + 1)
        if found.url is None:
            alt = ALT_RE.search(tag)
            return missing_image_html(unquote(target), _attr_value(alt.group(2)) if alt else "")
        new = tag[:src.start(2)] + f'"{html.escape(found.url)}"' + tag[src.end(2):]
        if found.remote and "referrerpolicy" not in tag.lower():
            new = re.sub(r"^<img\b", '<img referrerpolicy="no-referrer"', new, flags=re.IGNORECASE)
        return new

    def a_tag(m: re.Match[str]) -> str:
        tag = m.group(0)
        href = HREF_RE.search(tag)
        if href is None:
            return tag
        target = _attr_value(href.group(2))
        new_href = resolver.link(target, line, offset + m.start() + 1, html=True)
        if new_href is None:
            new_href = "#"
        if new_href == target:
            return tag
        return tag[:href.start(2)] + f'"{html.escape(new_href)}"' + tag[href.end(2):]

    text = IMAGE_RE.sub(image, text)
    text = sub_tags(IMG_TAG_RE, img_tag, text)
    text = LINK_RE.sub(link, text)
    return sub_tags(A_TAG_RE, a_tag, text)
