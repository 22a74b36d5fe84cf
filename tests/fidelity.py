"""Fidelity harness: does a question page show the block structure GitHub shows for its markdown?

GitHub's rendering is cmark-gfm (the `cmarkgfm` package, GFM extensions, footnotes, raw HTML
allowed); the site's is the `<article>` of the page `mkdocs build` made, minus what qadocs adds
(the h1 title, the `.qadocs-where` line, heading permalinks). Both are reduced to a structural
signature, a Counter of features:

- `li d<depth> ol|ul`: list items per nesting depth and kind; `ol d<depth> start=<n>` for an
  ordered list that does not start at 1;
- `pre`: code blocks; `table <cells>`: tables by cell count; `blockquote`; `alert`
  (GitHub's `> [!NOTE]` and the like; a Material admonition on the site); `h<n>`: sub-headings h2–h6;
- `img`: images (a qadocs missing-image placeholder counts as one); `task [ ]|[x]`: task-list
  checkboxes (the site's box glyphs, see qadocs.extensions.gfm); `del`: strikethrough; `autolink`: a link whose text is its URL;
- `literal $$`: `$$` shown as text outside code on the site (GitHub renders it as math, so the
  expected count is always 0).

Used by bench/fidelity.py and the tests; no pytest import here.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cmarkgfm
from bs4 import BeautifulSoup, NavigableString, Tag
from cmarkgfm.cmark import Options as CmarkOptions

from qadocs.core.build import load
from qadocs.core.plan.site import Options

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")

Signature = Counter[str]

ALERT_RE = re.compile(r"^\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]", re.I)
URL_TEXT_RE = re.compile(r"^(https?://|www\.)\S+$")


def github_html(markdown: str) -> str:
    """GitHub's HTML for `markdown`: cmark-gfm with its GitHub extensions, footnotes, raw HTML kept."""
    opts = CmarkOptions.CMARK_OPT_UNSAFE | CmarkOptions.CMARK_OPT_FOOTNOTES
    return str(cmarkgfm.github_flavored_markdown_to_html(markdown, options=opts))


def _list_depth(tag: Tag) -> int:
    return sum(1 for p in tag.parents if isinstance(p, Tag) and p.name in ("ul", "ol"))


def _in_code(node: NavigableString | Tag) -> bool:
    return any(isinstance(p, Tag) and p.name in ("code", "pre", "math") for p in node.parents)


def _alert_kind(quote: Tag) -> str | None:
    first = quote.find(["p"], recursive=False)
    if first is None:
        return None
    m = ALERT_RE.match(first.get_text())
    return m.group(1).lower() if m else None


def signature(root: Tag, site: bool) -> Signature:
    """The structural features of the HTML under `root` (see the module docstring)."""
    sig: Signature = Counter()
    for tag in root.find_all(True):
        name = tag.name
        if name == "li":
            parent = tag.find_parent(["ul", "ol"])
            kind = parent.name if parent is not None else "ul"
            sig[f"li d{_list_depth(tag)} {kind}"] += 1
        elif name == "ol":
            start = str(tag.get("start") or "1")
            if start != "1":
                sig[f"ol d{_list_depth(tag) + 1} start={start}"] += 1
        elif name == "pre":
            sig["pre"] += 1
        elif name == "table":
            sig[f"table {len(tag.find_all(['td', 'th']))}"] += 1
        elif name == "blockquote":
            sig["alert" if _alert_kind(tag) else "blockquote"] += 1
        elif name == "div" and "admonition" in (tag.get("class") or []):
            sig["alert"] += 1
        elif name in ("h2", "h3", "h4", "h5", "h6"):
            sig[name] += 1
        elif name == "img" or (name == "span" and "qadocs-missing-image" in (tag.get("class") or [])):
            sig["img"] += 1
        elif name == "input" and str(tag.get("type", "")).lower() == "checkbox":
            sig["task [x]" if tag.has_attr("checked") else "task [ ]"] += 1
        elif name == "span" and "qadocs-task" in (tag.get("class") or []):
            sig["task [x]" if "qadocs-task-done" in (tag.get("class") or []) else "task [ ]"] += 1
        elif name in ("del", "s"):
            sig["del"] += 1
        elif name == "a" and URL_TEXT_RE.match(tag.get_text().strip()):
            sig["autolink"] += 1
    if site:
        for text in root.find_all(string=True):
            if not _in_code(text) and "$$" in text:
                sig["literal $$"] += text.count("$$") // 2 or 1
    return sig


def github_signature(markdown: str) -> Signature:
    """The signature of GitHub's rendering of `markdown`."""
    return signature(BeautifulSoup(github_html(markdown), "html.parser"), site=False)


def page_body(page_html: str) -> Tag:
    """The answer on a built question page: its `<article>` without the h1 title, the
    `.qadocs-where` and `.qadocs-also-in` lines and heading permalinks."""
    start, end = page_html.find("<article"), page_html.rfind("</article>")
    if 0 <= start < end:  # parse the answer, not the theme's header, nav and footer around it
        page_html = page_html[start : end + len("</article>")]
    soup = BeautifulSoup(page_html, "html.parser")
    article = soup.find("article") or soup
    assert isinstance(article, Tag)
    h1 = article.find("h1")
    if h1 is not None:
        h1.decompose()
    for tag in article.select(".qadocs-where, .qadocs-also-in, a.headerlink, .md-content__button, .md-source-file"):
        tag.decompose()
    return article


def site_signature(page_html: str) -> Signature:
    """The signature of the answer a built question page shows."""
    return signature(page_body(page_html), site=True)


def difference(expected: Signature, got: Signature) -> dict[str, tuple[int, int]]:
    """Features whose counts differ: {feature: (GitHub's count, the site's count)}."""
    keys = sorted(set(expected) | set(got))
    return {k: (expected[k], got[k]) for k in keys if expected[k] != got[k]}


# --- why a page differs: features of its markdown that explain the difference -----------------

FENCE_RE = re.compile(r"^\s*(```|~~~)")
LIST_RE = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
ORDERED_START_RE = re.compile(r"^ *(\d{1,9})[.)][ \t]")


def _outside_code(markdown: str) -> list[str]:
    """The lines of `markdown` with fenced code blanked out."""
    out, fence = [], None
    for line in markdown.split("\n"):
        m = FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(1)
            out.append("")
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            out.append("")
        else:
            out.append(line)
    return out


def reasons(markdown: str, diff: dict[str, tuple[int, int]]) -> list[str]:
    """Short names for what in `markdown` explains `diff` (several may apply)."""
    lines = _outside_code(markdown)
    found: list[str] = []
    list_diff = any(k.startswith(("li ", "ol ")) for k in diff)
    run_on = nested_23 = start_other = False
    for i, line in enumerate(lines):
        m = LIST_RE.match(line)
        if not m:
            continue
        prev = lines[i - 1] if i else ""
        if prev.strip() and not LIST_RE.match(prev) and not prev.startswith((" ", "\t", ">", "|", "#", "<")):
            run_on = True
        indent = len(m.group("indent"))
        if indent in (1, 2, 3) and any(LIST_RE.match(p) for p in lines[max(0, i - 30) : i]):
            nested_23 = True
        s = ORDERED_START_RE.match(line)
        if s and s.group(1) != "1" and (not prev.strip() or not LIST_RE.match(prev)):
            start_other = True
    if list_diff:
        if run_on:
            found.append("run-on list after paragraph")
        if nested_23:
            found.append("list nesting 2/3-space")
        if any(k.startswith("ol ") and "start=" in k for k in diff) or (start_other and not found):
            found.append("ordered list start")
    if "literal $$" in diff:
        indented = any(re.match(r"^\s+\$\$", ln) for ln in lines)
        found.append("math $$ in list" if indented else "math $$ literal")
    if any(k.startswith("task") for k in diff):
        found.append("task list")
    if any(k.startswith("alert") for k in diff):
        found.append("GitHub alert")
    if "del" in diff:
        found.append("strikethrough")
    if "autolink" in diff:
        found.append("bare URL")
    if any(k.startswith("table") for k in diff):
        found.append("table")
    if "pre" in diff:
        found.append("code block")
    if "img" in diff:
        found.append("image")
    if "blockquote" in diff:
        quotes = [i for i, ln in enumerate(lines) if ln.lstrip().startswith(">")]
        merged = any(b - a == 2 and not lines[a + 1].strip() for a, b in itertools.pairwise(quotes))
        found.append("blockquotes split by a blank line" if merged else "blockquote")
    if any(k in diff for k in ("h2", "h3", "h4", "h5", "h6")):
        found.append("sub-heading")
    if "[^" in markdown and any(k.startswith("li ") for k in diff):
        found.append("footnote")
    if list_diff and not any(
        r in found for r in ("run-on list after paragraph", "list nesting 2/3-space", "ordered list start", "footnote")
    ):
        found.append("list (other)")
    return found or ["other"]


# --- building a site and pairing its pages with the questions ----------------------------------


def build_site(content: Path, imgs: Path | None, dest: Path, checkout: Path = ROOT) -> tuple[Path, float]:
    """Copy `content` (and `imgs`), the mkdocs.yml of `checkout` and the generated-dir marker into
    `dest`, run `mkdocs build` there with `checkout`/src first on PYTHONPATH; return (site dir,
    seconds)."""
    src_dir = checkout / "src"
    import time

    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copytree(content, dest / "content")
    if imgs is not None and imgs.is_dir():
        shutil.copytree(imgs, dest / "imgs")
    else:
        (dest / "imgs").mkdir()
    shutil.copy2(checkout / "mkdocs.yml", dest / "mkdocs.yml")
    docs = dest / "build" / "docs"
    docs.mkdir(parents=True)
    shutil.copy2(ROOT / "build" / "docs" / ".qadocs-generated", docs / ".qadocs-generated")
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "NO_COLOR": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(src_dir), os.environ.get("PYTHONPATH")])),
    }
    start = time.perf_counter()
    proc = subprocess.run(
        [str(MKDOCS), "build"],
        cwd=dest,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=3600,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build failed in {dest}:\n{proc.stdout[-4000:]}")
    return dest / "site", seconds


@dataclass(slots=True)
class PageResult:
    url: str
    source: str
    line: int
    title: str
    diff: dict[str, tuple[int, int]]
    reasons: list[str] = field(default_factory=list)


def compare_site(repo: Path, site: Path) -> list[PageResult]:
    """Every question page of the built `site` (made from `repo`/content) against GitHub's
    rendering of the same question's markdown."""
    sources, _ = load(Options(repo, repo / "content", repo / "imgs"))
    bodies = {(q.source, q.line): q for s in sources for q in s.questions}
    results = []
    for entry in json.loads((site / "questions.json").read_text(encoding="utf-8")):
        q = bodies[(entry["source"], entry["source_line"])]
        page = site / entry["url"].lstrip("/") / "index.html"
        diff = difference(github_signature(q.body), site_signature(page.read_text(encoding="utf-8")))
        results.append(PageResult(entry["url"], q.source, q.line, q.title, diff, reasons(q.body, diff) if diff else []))
    return results


# --- the site's renderer in-process, for quick comparisons without a build ---------------------


def site_markdown(extra: list[str] | None = None, without: tuple[str, ...] = ()) -> Any:
    """A Python-Markdown instance with the `markdown_extensions` of mkdocs.yml (plus `extra`,
    minus `without`)."""
    import markdown
    import yaml

    from qadocs.plugin.adapter import FORMER_NAMES

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    names: list[str] = []
    configs: dict[str, Any] = {}
    for entry in config["markdown_extensions"] + (extra or []):
        name, conf = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        name = FORMER_NAMES.get(name, name)  # mkdocs.yml names qadocs.gfm, as it did before
        if name in without:
            continue
        names.append(name)
        configs[name] = conf or {}
    if "qadocs.extensions.sanitize" not in names:
        names.append("qadocs.extensions.sanitize")
    return markdown.Markdown(extensions=names, extension_configs=configs)


def in_process(bodies: list[str], render: Any) -> tuple[int, Counter[str]]:
    """(pages identical, reason histogram) for `render(body) -> html` against GitHub."""
    same = 0
    hist: Counter[str] = Counter()
    for body in bodies:
        diff = difference(github_signature(body), signature(BeautifulSoup(render(body), "html.parser"), site=True))
        if diff:
            hist.update(reasons(body, diff))
        else:
            same += 1
    return same, hist
