"""The 'nothing lost' measure: which source lines outside TOCs reappear in no generated page.

Links and images are rewritten by design, so both sides are compared as visible text: link
targets, image tags and qadocs placeholders are reduced to their labels before comparing.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from qadocs.outline import read_outline
from qadocs.read import decode
from qadocs.split import split_source

IMAGE_MD_RE = re.compile(r"!\[([^\]]*)\]\((?:<[^>]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)")
LINK_MD_RE = re.compile(r"\[([^\]]*)\]\((?:<[^>]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)")
IMG_TAG_RE = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)  # never across another tag
MISSING_RE = re.compile(r'<span class="qadocs-missing-image"[^>]*>[^<]*</span>')
BROKEN_RE = re.compile(r'<span class="qadocs-broken-link"[^>]*>(.*?)</span>')
ATTR_LIST_RE = re.compile(r"\{: referrerpolicy=\"no-referrer\" \}")
HREF_RE = re.compile(r"""\bhref\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE)


def visible(text: str) -> str:
    """Text with link targets, images and placeholders removed, whitespace folded."""
    text = MISSING_RE.sub("", text)
    text = BROKEN_RE.sub(r"[\1]", text)
    text = ATTR_LIST_RE.sub("", text)
    text = IMAGE_MD_RE.sub("", text)
    text = IMG_TAG_RE.sub("", text)
    text = LINK_MD_RE.sub(r"[\1]", text)
    text = HREF_RE.sub("href", text)
    return " ".join(text.split())


def lost_lines(content_dir: Path, out_dir: Path) -> tuple[int, list[str]]:
    """(number of lines checked, `path:line: text` of each one no page holds)."""
    pages = [visible(p.read_text(encoding="utf-8")) for p in out_dir.rglob("*.md")]
    corpus = "\n".join(pages)
    checked = 0
    lost: list[str] = []
    for path in sorted(content_dir.rglob("*.md")):
        rel = path.relative_to(content_dir).as_posix()
        text = decode(path.read_bytes(), rel, [])
        src = split_source(rel, text)
        toc = set(src.toc_lines) | set(getattr(src, "meta_lines", []))  # TOCs and front matter are no content
        lines = text.split("\n")
        titles: dict[int, str] = {}  # line -> the title its heading shows (a setext underline too)
        for h in read_outline(lines).headings:
            for k in range(h.index, h.last + 1):
                titles[k + 1] = h.title
        for number, line in enumerate(lines, start=1):
            if not line.strip() or number in toc:
                continue
            checked += 1
            title = titles.get(number)
            if title is not None:  # headings become page titles: look for their text without number
                needle = html.escape(title, quote=False)
                if title in corpus or needle in corpus or needle.replace("_", r"\_").replace("*", r"\*") in corpus:
                    continue
            needle = visible(line)
            if needle and needle not in corpus:
                lost.append(f"{rel}:{number}: {line.strip()[:80]}")
    return checked, lost
