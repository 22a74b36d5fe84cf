"""The 'nothing lost' measure: every source line outside TOCs and front matter is in exactly the
generated page whose source range holds it, and every page holds only its own range.

A page starts at a head (`qadocs.core.split.outline`: a heading, a heading that opens a list item, a bold
question whose answer may go on on its line, a folded question whose `</details>` is left out).
A page's front matter says where it comes from: a question or chapter page has `source` and
`source_line` (its heading), a question page shared by two occurrences also `also_in`, a source's
index page has `source` alone (it starts at line 1). In one source these starts cut the file
into ranges: line k belongs to the page whose start is the last one at or before k. Then:

- the heading at a page's start shows as the page's title (front matter `title`);
- every other non-blank line of the range is a line of that page's body, in source order;
- every line of a page's body is one of its range's lines, or what the page adds around them:
  the `# title` and the lines under it (where the question sits and where else it is written, or
  an index page's random-question link) above, the lists of links (to its chapters and
  questions) below.

So a line dropped from its page is reported as lost, and a line copied into a page it does not
belong to is reported as stray. Links and images are rewritten by design, so lines are compared
as visible text: link targets, image tags and qadocs placeholders are reduced to their labels, a
sub-heading's `{#id}` is set aside. One pass over the sources and one over the pages.
"""

from __future__ import annotations

import html
import re
import shutil
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from qadocs.core.build import generate
from qadocs.core.options import Options
from qadocs.core.split.outline import HTML_HEADING_RE, read_outline
from qadocs.core.split.questions import split_source, survey_source
from qadocs.core.split.read import decode
from qadocs.core.split.roles import neighbours
from qadocs.core.text.lex import without_spaced_images

# A label may hold one level of brackets (`![[公式]](…)`, as GitHub reads it).
_LABEL = r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]"
_TARGET = r"\((?:<[^>]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)"
IMAGE_MD_RE = re.compile("!" + _LABEL + _TARGET)
LINK_MD_RE = re.compile(_LABEL + _TARGET)
# The end of a link whose text began on a line above: its target is no text a reader sees. Line by
# line this cannot tell a real link's end from text that only looks like one (GitHub's paragraphs
# decide): tests/core/text/test_lex.py pins which are rewritten.
TAIL_MD_RE = re.compile(r"\]" + _TARGET)
IMG_TAG_RE = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)  # never across another tag
MISSING_RE = re.compile(r'<span class="qadocs-missing-image"[^>]*>[^<]*</span>')
BROKEN_RE = re.compile(r'<span class="qadocs-broken-link"[^>]*>(.*?)</span>')
ATTR_LIST_RE = re.compile(r"\{: referrerpolicy=\"no-referrer\" \}")
HREF_RE = re.compile(r"""\bhref\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there: pages are many
HEADING_ID_RE = re.compile(r" \{#[^{}]*\}$")  # the id a sub-heading gets on its page

# What a page adds around its range: above it, the title and the lines under it (a question page:
# where it sits, where else it is written; an index page: its random-question link)...
TITLE_RE = re.compile(r"# .*")
UNDER_TITLE_RE = re.compile(r'<p class="qadocs-(?:where|also-in|actions)" data-search-exclude markdown>.*</p>')
# ... below it, the links to its sub-chapters and questions, each question's follow-ups under it
# (a source page: chapter headings too; a question page: its follow-ups under their label).
TRAILER_RE = re.compile(
    r'(?: *- |#{2,6} )\[.*\]\(<[^<>]*>\)(?:（\d+ 题）)?|<p class="qadocs-empty">.*</p>'
    r'|<div class="qadocs-anchors" hidden></div>|<p class="qadocs-followups" data-search-exclude>追问</p>'
)


def visible(text: str) -> str:
    """Text with link targets, images and placeholders removed, whitespace folded; a one-line
    `<hN id>` heading as the markdown heading its page shows it as."""
    html_heading = HTML_HEADING_RE.match(text)
    if html_heading:
        text = "#" * int(html_heading.group(1)) + " " + html_heading.group(3).strip()
    text = MISSING_RE.sub("", text)
    text = BROKEN_RE.sub(r"[\1]", text)
    text = ATTR_LIST_RE.sub("", text)
    text = IMAGE_MD_RE.sub("", text)
    text = without_spaced_images(text)
    text = IMG_TAG_RE.sub("", text)
    text = LINK_MD_RE.sub(r"[\1]", text)
    text = TAIL_MD_RE.sub("]", text)
    text = HREF_RE.sub("href", text)
    return " ".join(text.split())


def _page_line(line: str) -> str:
    """A body line as `visible` shows its source line: without the `{#id}` the page gave a
    sub-heading, and without the escapes that id needed (`\\{`, a closing `\\#`)."""
    if HEADING_ID_RE.search(line):
        line = HEADING_ID_RE.sub("", line).replace("\\{", "{")
        if line.endswith("\\#"):
            line = line[:-2] + "#"
    return visible(line)


def _fold(text: str) -> str:
    return " ".join(text.split())


@dataclass(slots=True)
class Page:
    """One generated page: where it comes from and its body, line by line."""

    path: str  # relative to the docs dir
    title: str  # as shown (front matter title, unescaped)
    raw: list[str]  # non-blank body lines as written
    shown: list[str]  # the same, as visible text
    used: list[bool] = field(default_factory=list)  # body lines its own range accounts for
    header: int = 0  # how many body lines the page puts above its range (title, where-line)

    def __post_init__(self) -> None:
        self.used = [False] * len(self.raw)
        if self.raw and TITLE_RE.fullmatch(self.raw[0]):
            self.header = 1
            while self.header < len(self.raw) and UNDER_TITLE_RE.fullmatch(self.raw[self.header]):
                self.header += 1


def read_page(path: Path, out_dir: Path) -> tuple[Page, dict[str, object]]:
    """A generated page and its front matter."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "---", f"{path}: no front matter"
    end = lines.index("---", 1)
    meta = yaml.load("\n".join(lines[1:end]), Loader=LOADER)
    assert isinstance(meta, dict) and meta.get("title"), f"{path}: front matter without a title"
    raw = [line for line in lines[end + 1 :] if line.strip()]
    rel = path.relative_to(out_dir).as_posix()
    return Page(rel, html.unescape(str(meta["title"])), raw, [_page_line(line) for line in raw]), meta


def read_starts(out_dir: Path) -> dict[str, list[tuple[int, Page, bool]]]:
    """source -> [(start line, page, whether the page is that range's own)] sorted by line; a
    source's index page starts at line 0, a question page also where it is `also_in`."""
    starts: dict[str, list[tuple[int, Page, bool]]] = {}
    for path in sorted(out_dir.rglob("index.md")):
        page, meta = read_page(path, out_dir)
        if "source" not in meta:
            continue  # home and section pages hold no source text
        source = html.unescape(str(meta["source"]))
        line = meta.get("source_line", 0)
        assert isinstance(line, int), f"{page.path}: source_line {line!r}"
        starts.setdefault(source, []).append((line, page, True))
        for occ in meta.get("also_in") or []:
            assert isinstance(occ, dict)
            starts.setdefault(html.unescape(str(occ["source"])), []).append((int(occ["source_line"]), page, False))
    for ranges in starts.values():
        ranges.sort(key=lambda r: r[0])
        lines = [r[0] for r in ranges]
        assert len(set(lines)) == len(lines), f"two pages start at one line: {ranges}"
    return starts


def _match(page: Page, wanted: list[tuple[int, str]], own: bool, rel: str, lost: list[str]) -> None:
    """Find the range's lines in the page body in order (each at the first equal line after the
    previous one: if they are there in order, this finds them); report the ones missing."""
    at = page.header
    for number, needle in wanted:
        j = at
        while j < len(page.shown) and page.shown[j] != needle:
            j += 1
        if j == len(page.shown):
            lost.append(f"{rel}:{number}: lost from {page.path}: {needle[:80]}")
            continue
        if own:
            page.used[j] = True
        at = j + 1


def _strays(page: Page) -> list[str]:
    """Body lines of `page` that neither its range nor the page's own frame accounts for."""
    last = max((j for j, u in enumerate(page.used) if u), default=page.header - 1)
    first = min((j for j, u in enumerate(page.used) if u), default=len(page.raw))
    out = []
    for j, line in enumerate(page.raw):
        if page.used[j] or j < page.header or (j > last and TRAILER_RE.fullmatch(line)):
            continue
        if j < first and UNDER_TITLE_RE.fullmatch(line):
            continue  # the page's own line under its title, after a stray line reported on its own
        out.append(f"{page.path}: stray line {j + 1} of its body: {line.strip()[:80]}")
    return out


def lost_lines(content_dir: Path, out_dir: Path) -> tuple[int, list[str]]:
    """(number of source lines checked, one message per source line not in its page, per page
    heading not shown as its title, and per page line that no source line of its range gives)."""
    starts = read_starts(out_dir)
    checked = 0
    lost: list[str] = []
    pages: dict[str, Page] = {}
    texts = {
        path.relative_to(content_dir).as_posix(): decode(path.read_bytes(), path.name, [])
        for path in sorted(content_dir.rglob("*.md"))
    }
    near = neighbours({rel: survey_source(text) for rel, text in texts.items()})  # as the build reads them
    for rel, text in texts.items():
        ranges = starts.get(rel)
        if ranges is None:
            lost.append(f"{rel}: no page comes from this source")
            continue
        src = split_source(rel, text, near=near[rel])
        skip = set(src.toc_lines) | set(src.meta_lines)  # TOCs and front matter are no content
        lines = text.split("\n")
        headings = {h.index + 1: h for h in read_outline(lines).headings}
        first_lines = [r[0] for r in ranges]
        wanted: list[list[tuple[int, str]]] = [[] for _ in ranges]
        title_lines: set[int] = set()
        rests: dict[int, str] = {}  # a bold question's line: what follows the question opens its answer
        for start, page, _own in ranges:
            pages[page.path] = page
            head = headings.get(start if start else src.title_line)
            if head is None:
                if start:
                    lost.append(f"{rel}:{start}: {page.path} starts here, but no heading does")
                continue
            shown = _fold(page.title)
            if shown not in (_fold(head.title), _fold(head.text)):
                lost.append(f"{rel}:{start}: heading {head.text[:60]!r} shown as {shown[:60]!r} on {page.path}")
            title_lines.update(range(head.index + 1, head.last + 2))
            if head.kind == "fold" and start:
                skip.add(head.end + 1)  # a folded question's `</details>` is no content of its page
            if head.kind == "bold" and head.rest and start:
                rests[start] = visible(head.rest)
        for number, line in enumerate(lines, start=1):
            if not line.strip() or number in skip:
                continue
            checked += 1
            if number in title_lines and number not in rests:
                continue  # checked above, as the title of its page
            at = bisect_right(first_lines, number) - 1
            if at < 0:
                lost.append(f"{rel}:{number}: before the first page of its source: {line.strip()[:80]}")
                continue
            wanted[at].append((number, rests.get(number) or visible(line)))
        for (_, page, own), want in zip(ranges, wanted, strict=True):
            _match(page, want, own, rel, lost)
    for page in pages.values():
        lost += _strays(page)
    return checked, lost


def generated_repo(content: Path, tmp_path: Path) -> Path:
    """A repository at `tmp_path`/repo holding a copy of `content`, generated into build/docs."""
    repo = tmp_path / "repo"
    shutil.copytree(content, repo / "content")
    (repo / "imgs").mkdir()
    out = repo / "build" / "docs"
    generate(Options(repo, repo / "content", repo / "imgs"), out)
    return repo
