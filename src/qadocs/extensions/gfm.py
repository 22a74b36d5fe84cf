r"""Markdown extension `qadocs.extensions.gfm`: pages show the block structure GitHub shows.

Authors write for GitHub (CommonMark + GFM); Python-Markdown reads lists differently: a list
must follow a blank line, nested items need 4 spaces, ordered lists restart at 1, a sibling item
after a nested block is swallowed. Rather than patch each case with a pattern, a GFM parser
(markdown-it-py with the GFM extensions and `$…$` math) is the authority: the preprocessor
reads its block map and rewrites only whitespace so that Python-Markdown builds the same tree:

- every list item's lines are re-indented to Python-Markdown's 4-space grid (depth d: marker
  at 4(d-1), content at 4d), relative indentation inside the item kept (code, math);
- a blank line goes before a list, table, code fence, math block, heading, HTML block or
  quote that GitHub starts without one, after such a block, and between the items of a list
  with such blocks (Python-Markdown would otherwise run them on or swallow them);
- GitHub alerts (`> [!NOTE]` …) become Material admonitions (`!!! note "Note"`);
- each top-level HTML block, as GitHub ends it (at a blank line), goes to Python-Markdown's
  stash of raw HTML, so the markdown between two HTML blocks is rendered as on GitHub.

No text other than indentation and blank lines changes (alerts excepted), so nothing can get
lost. A treeprocessor then makes the lists GitHub shows tight tight again (blank lines made them
loose) and keeps the start number of ordered lists (`sane_lists`). Lists inside block quotes are
left to Python-Markdown. Pure Python-Markdown: no mkdocs import.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.extensions.sane_lists import SaneListExtension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from qadocs.core.text.gfmblocks import ListShape, normalise_lists


class GfmPreprocessor(Preprocessor):
    """Rewrite the page's markdown so its blocks are GitHub's; remember the lists' shapes."""

    def run(self, lines: list[str]) -> list[str]:
        """Return the normalised lines."""
        normal, self.md.qadocs_gfm_lists = normalise_lists(  # type: ignore[attr-defined]
            "\n".join(lines), stash=self.md.htmlStash.store
        )
        return normal.split("\n")


class TightListTreeprocessor(Treeprocessor):
    """Lists GitHub shows tight lose the `<p>` the inserted blank lines gave their items."""

    def run(self, root: etree.Element) -> None:
        """Unwrap single paragraphs of tight lists' items, when the lists pair up with GitHub's."""
        shapes: list[ListShape] = getattr(self.md, "qadocs_gfm_lists", [])
        lists = _iter_lists(root)
        if len(lists) != len(shapes):
            return
        for el, shape in zip(lists, shapes, strict=True):
            if not shape.tight:
                continue
            for li in el:
                _unwrap_paragraphs(li)


def _iter_lists(el: etree.Element) -> list[etree.Element]:
    """The `<ul>` and `<ol>` under `el` in document order, footnotes left out."""
    found: list[etree.Element] = []
    for child in el:
        if child.tag == "div" and "footnote" in (child.get("class") or "").split():
            continue  # added by the footnotes extension: markdown-it keeps footnotes apart
        if child.tag in ("ul", "ol"):
            found.append(child)
        found.extend(_iter_lists(child))
    return found


def _unwrap_paragraphs(li: etree.Element) -> None:
    """Replace each `<p>` child of `li` by its content (text and children), keeping order."""
    index = 0
    while index < len(li):
        child = li[index]
        if child.tag != "p":
            index += 1
            continue
        text, tail, inner = child.text or "", child.tail or "", list(child)
        li.remove(child)
        if index == 0:
            li.text = (li.text or "") + text
        else:
            prev = li[index - 1]
            prev.tail = (prev.tail or "") + text
        for offset, node in enumerate(inner):
            li.insert(index + offset, node)
        index += len(inner)
        if index == 0:
            li.text = (li.text or "") + tail
        else:
            last = li[index - 1]
            last.tail = (last.tail or "") + tail


TASK_RE = re.compile(r"^\[(?P<state>[ xX])\][ \t]+")


class TaskListTreeprocessor(Treeprocessor):
    """`- [ ]` / `- [x]` items (GitHub's task lists) start with a box glyph, not an `<input>`:
    the sanitizer lets no `<input>` through (content could imitate one), and GitHub's checkbox is
    disabled anyway. Raw HTML is not in the tree, so only markdown list items get one."""

    def run(self, root: etree.Element) -> None:
        """Mark every task item and its list."""
        for lst in root.iter():
            if lst.tag not in ("ul", "ol"):
                continue
            for li in lst:
                holder = li[0] if len(li) and li[0].tag == "p" and not (li.text or "").strip() else li
                m = TASK_RE.match(holder.text or "")
                if li.tag != "li" or m is None:
                    continue
                done = m.group("state") != " "
                holder.text = (holder.text or "")[m.end() :]
                box = etree.Element(
                    "span",
                    {
                        "class": "qadocs-task" + (" qadocs-task-done" if done else ""),
                        "role": "img",
                        "aria-label": "已完成" if done else "未完成",
                    },
                )
                box.text = "☑" if done else "☐"
                box.tail = " " + holder.text
                holder.text = ""
                holder.insert(0, box)
                _add_class(li, "task-list-item")
                _add_class(lst, "task-list")


def _add_class(el: etree.Element, name: str) -> None:
    """Add `name` to the classes of `el`, once."""
    classes = (el.get("class") or "").split()
    if name not in classes:
        el.set("class", " ".join([*classes, name]))


class GfmExtension(Extension):
    """`markdown_extensions: - qadocs.extensions.gfm` (with admonition; the plugin adds it when missing)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API name
        """Register after whitespace normalisation (30), before fenced code (25) and raw HTML (20)."""
        SaneListExtension().extendMarkdown(md)  # ordered lists keep their start; `-` and `1.` lists stay apart
        md.preprocessors.register(GfmPreprocessor(md), "qadocs_gfm", 29)
        md.treeprocessors.register(TightListTreeprocessor(md), "qadocs_gfm_tight", 30)
        md.treeprocessors.register(TaskListTreeprocessor(md), "qadocs_gfm_tasks", 29)


def makeExtension(**kwargs: Any) -> GfmExtension:  # noqa: N802 - Markdown's API name
    """Entry point Python-Markdown looks for."""
    return GfmExtension(**kwargs)
