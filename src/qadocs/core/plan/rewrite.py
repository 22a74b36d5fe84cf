"""Rewrite the links and images of one piece of answer markdown for the page it lands on.

Code (code blocks and code spans, as `qadocs.core.text.lex` finds them) is left alone. Every rewrite is
decided by a `LinkDecisions`, which knows the files and anchors of the collection; this module takes
the references `lex.inline_refs` finds on each line as written and splices the results back, so
the rest of each line stays byte-for-byte and each column given to the resolver is the column in
the source.
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass
from urllib.parse import quote, unquote

from qadocs.core.model import Memo
from qadocs.core.text import words
from qadocs.core.text.lex import (
    ALT_ATTR_RE,
    OpenBrackets,
    Ref,
    Span,
    attr_value,
    code_of,
    inline_refs,
    link_tails,
    parse_blocks,
    split_target,
)


@dataclass(slots=True, frozen=True)
class Image:
    """What an image reference becomes: a local asset URL, a remote URL, or missing."""

    url: str | None  # relative URL from the page, or the remote URL; None when missing
    remote: bool = False


class LinkDecisions:
    """The decisions `rewrite_markdown` asks for; implemented by the page planner."""

    def image(self, target: str, line: int, col: int = 1) -> Image:  # pragma: no cover - interface
        """Resolve an image target written at `line`, `col`."""
        raise NotImplementedError

    def link(self, target: str, line: int, col: int = 1, html: bool = False) -> str | None:  # pragma: no cover
        """New href for a link target (in raw HTML when `html`), itself if fine, None if broken."""
        raise NotImplementedError


def missing_image_html(target: str, alt: str) -> str:
    """The visible placeholder for an image that is not in the repository; the search index
    leaves it out (Material's search skips an element with `data-search-exclude`)."""
    label = html.escape(
        words.MISSING_IMAGE.format(target=target) + (words.MISSING_IMAGE_ALT.format(alt=alt) if alt else "")
    )
    return f'<span class="qadocs-missing-image" role="img" aria-label="{label}" data-search-exclude>{label}</span>'


def broken_link_html(text: str, target: str) -> str:
    """A link whose target is nowhere keeps its text, marked, instead of a dead href."""
    return (
        f'<span class="qadocs-broken-link" title="{html.escape(words.BROKEN_LINK.format(target=target))}">{text}</span>'
    )


_ODD_PARTS = frozenset({"", ".", ".."})  # path parts `relative_path` leaves to posixpath


def relative_path(to_path: str, from_dir: str) -> str:
    """`posixpath.relpath(to_path, from_dir or ".")` for docs-dir paths, without its two calls to
    `os.getcwd` (which it makes to resolve paths that are relative here on both sides)."""
    start = [] if from_dir in ("", ".") else from_dir.split("/")
    path = [] if to_path == "." else to_path.split("/")
    if not _ODD_PARTS.isdisjoint(start) or not _ODD_PARTS.isdisjoint(path):
        return posixpath.relpath(to_path, from_dir or ".")  # `..`, `//`, a leading `/`: as it says
    common = 0
    for a, b in zip(start, path, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + path[common:]) or "."


def relative_url(from_dir: str, to_path: str) -> str:
    """Relative, percent-encoded URL from a page directory to a file in the docs dir."""
    return _RELATIVE_URLS((from_dir, to_path))


def _relative_url(key: tuple[str, str]) -> str:
    return quote(relative_path(key[1], key[0]), safe="/#")


_RELATIVE_URLS: Memo[tuple[str, str], str] = Memo(_relative_url)  # the same pairs, generation after generation


def rewrite_markdown(text: str, first_line: int, resolver: LinkDecisions) -> str:
    """Rewrite the links and images of `text` whose first line is `first_line` in its source."""
    code = code_of(text)
    out: list[str] = []
    brackets = OpenBrackets()  # left open by the lines above in this paragraph (a link's text may run on)
    paragraphs: dict[int, int] | None = None  # line -> first line of its paragraph, worked out when needed
    for index, line in enumerate(text.split("\n")):
        if brackets.images:
            paragraphs = _paragraphs(text) if paragraphs is None else paragraphs
            if index not in paragraphs or paragraphs.get(index - 1) != paragraphs[index]:
                brackets = OpenBrackets()
        if code.is_block(index) or not line.strip():
            out.append(line)
            continue
        spans = code.spans_on(index)
        refs = inline_refs(line, spans)
        tails = link_tails(line, spans, refs, brackets)
        refs = sorted(refs + tails, key=lambda r: r.start) if tails else refs
        out.append(_Line(line, first_line + index, resolver).splice(0, len(line), refs) if refs else line)
    return "\n".join(out)


def _paragraphs(text: str) -> dict[int, int]:
    """Each line of a paragraph of `text` (in a list item or a quote too) -> the paragraph's first line."""
    return {
        line: tok.map[0]
        for tok in parse_blocks(text)
        if tok.type == "paragraph_open" and tok.map is not None
        for line in range(*tok.map)
    }


@dataclass(slots=True, frozen=True)
class _Line:
    """One line being rewritten: its text as written, its number in the source, the resolver."""

    text: str
    number: int
    resolver: LinkDecisions

    def cut(self, span: Span) -> str:
        """The characters of `span`, as written."""
        return self.text[span[0] : span[1]]

    def splice(self, start: int, end: int, refs: list[Ref]) -> str:
        """Characters [start, end) of the line with each of `refs` (inside them) rewritten."""
        parts: list[str] = []
        pos = start
        for ref in refs:
            parts += [self.text[pos : ref.start], _REWRITE[ref.kind](self, ref)]
            pos = ref.end
        parts.append(self.text[pos:end])
        return "".join(parts)

    def replace_attr(self, ref: Ref, value: str) -> str:
        """The tag of `ref` with its attribute value replaced by `value`, quoted."""
        return self.text[ref.start : ref.target[0]] + f'"{html.escape(value)}"' + self.text[ref.target[1] : ref.end]


def _image(line: _Line, ref: Ref) -> str:
    """`![alt](target)`: the asset's URL, kept remote (sent without referrer), or a placeholder."""
    target, title = split_target(line.cut(ref.target)), line.cut(ref.title)
    found = line.resolver.image(target, line.number, ref.start + 1)
    if found.url is None:
        return missing_image_html(unquote(target), line.cut(ref.text))
    alt = line.splice(*ref.text, ref.inner)
    if found.remote:
        return f'![{alt}](<{target}>{title}){{: referrerpolicy="no-referrer" }}'
    return f"![{alt}](<{found.url}>{title})"


def _link(line: _Line, ref: Ref) -> str:
    """`[text](target)`: the new href, the link as written when it is fine, or a marked text."""
    text = line.splice(*ref.text, ref.inner)  # what it holds first: an image inside a link
    target, title = split_target(line.cut(ref.target)), line.cut(ref.title)
    href = line.resolver.link(target, line.number, ref.start + 1)
    if href is None:
        return broken_link_html(text, target)
    if href == target:
        return line.text[ref.start : ref.text[0]] + text + line.text[ref.text[1] : ref.end]
    return f"[{text}](<{href}>{title})"


def _img_tag(line: _Line, ref: Ref) -> str:
    """`<img src>`: the asset's URL (a remote one sent without referrer), or a placeholder."""
    tag, target = line.cut((ref.start, ref.end)), attr_value(line.cut(ref.target))
    found = line.resolver.image(target, line.number, ref.start + 1)
    if found.url is None:
        alt = ALT_ATTR_RE.search(tag)
        return missing_image_html(unquote(target), attr_value(alt.group(2)) if alt else "")
    new = line.replace_attr(ref, found.url)
    if found.remote and "referrerpolicy" not in tag.lower():
        new = '<img referrerpolicy="no-referrer"' + new[len("<img") :]
    return new


def _a_tag(line: _Line, ref: Ref) -> str:
    """`<a href>`: the new href, `#` for a broken one."""
    target = attr_value(line.cut(ref.target))
    href = line.resolver.link(target, line.number, ref.start + 1, html=True)
    if href is None:
        href = "#"
    return line.cut((ref.start, ref.end)) if href == target else line.replace_attr(ref, href)


def _tail(line: _Line, ref: Ref) -> str:
    """`](target)` ending a link whose text began on a line above: the new href; `]` alone when it
    leads nowhere (the text stays, in its brackets, as GitHub shows a link it cannot make)."""
    target, title = split_target(line.cut(ref.target)), line.cut(ref.title)
    href = line.resolver.link(target, line.number, ref.start + 1)
    if href is None:
        return "]"
    if href == target:
        return line.text[ref.start : ref.end]
    return f"](<{href}>{title})"


def _image_tail(line: _Line, ref: Ref) -> str:
    """`](target)` ending an image whose alt began on a line above: the asset's URL, kept remote,
    or the placeholder of a missing image after the alt's `]`."""
    target, title = split_target(line.cut(ref.target)), line.cut(ref.title)
    found = line.resolver.image(target, line.number, ref.start + 1)
    if found.url is None:
        return "]" + missing_image_html(unquote(target), "")
    if found.remote:
        return f'](<{target}>{title}){{: referrerpolicy="no-referrer" }}'
    return f"](<{found.url}>{title})"


_REWRITE = {"image": _image, "link": _link, "img": _img_tag, "a": _a_tag, "tail": _tail, "image_tail": _image_tail}
