"""Every GitHub anchor of the first build still lands after a file rename, a folder rename and a
renumbering of the demo: each spelling in a source page's `anchors.json` (what `qadocs.js`
forwards `#anchor` with), followed from the source page's first URL through the second build's
redirect pages, leads where its first target now is (the same page, or where that page's URL
redirects; the same place inside it, for an anchor inside an answer). The registry is kept between the builds, as the documented flow does. Chromium follows
the same maps in tests/e2e/test_anchor_history_browser.py."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from landing import land_generated
from qadocs.core.build import generate
from qadocs.core.options import Options

REPO = Path(__file__).resolve().parents[3]
FOLDER = "AI视频基础"
RENAMED_FILE = "AI视频基础知识.md"
RENUMBERED = "视频理解典型模型与架构.md"
HEADING_RE = re.compile(r'^<h2 id="(\d+)\.([^"]*)">(\d+)\.')


def rename_file(content: Path) -> None:
    (content / FOLDER / RENAMED_FILE).rename(content / FOLDER / "AI视频基础知识点.md")


def rename_folder(content: Path) -> None:
    (content / FOLDER).rename(content / "AI视频入门")


def renumber(content: Path) -> None:
    """A question inserted before the first one: every question after it moves one number on."""
    path = content / FOLDER / RENUMBERED
    lines = path.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if HEADING_RE.match(line))
    for i, line in enumerate(lines):
        m = HEADING_RE.match(line)
        if m:
            n = int(m.group(1)) + 1
            lines[i] = f'<h2 id="{n}.{m.group(2)}">{n}.' + line[m.end() :]
    new = ['<h2 id="1.什么是视频时序建模？">1.什么是视频时序建模？</h2>', "", "按时间顺序建模帧间关系。", ""]
    path.write_text("\n".join(lines[:first] + new + lines[first:]), encoding="utf-8")


def _target(page_url: str, to: str) -> tuple[str, str]:
    """(URL, fragment) an anchors.json target leads to from the page at `page_url`."""
    url, _, fragment = urljoin(page_url, to).partition("#")
    return url, unquote(fragment)


def _landed(docs: Path, where: tuple[str, str]) -> tuple[str, str]:
    """`where` followed through the redirect pages of the build `docs` (a page kept its place)."""
    return land_generated(docs, where[0])[0], where[1]


def _anchor_maps(docs: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """Source page URL -> every exact anchor spelling of its anchors.json -> where it leads."""
    sources = {str(q["source_url"]) for q in json.loads((docs / "questions.json").read_text(encoding="utf-8"))}
    maps = {}
    for url in sorted(sources):
        data = json.loads((docs / url.strip("/") / "anchors.json").read_text(encoding="utf-8"))
        maps[url] = {name: _target(url, to) for name, to in data["exact"].items()}
    return maps


def _forwarded(docs: Path, source_url: str, name: str) -> tuple[str, str] | None:
    """Where `source_url#name` ends in the build `docs`: through the source's redirect pages (the
    fragment kept), then its anchors.json."""
    final, _, _ = land_generated(docs, source_url)
    path = docs / unquote(final).strip("/") / "anchors.json"
    if not path.is_file():
        return None
    to = json.loads(path.read_text(encoding="utf-8"))["exact"].get(name)
    return None if to is None else _landed(docs, _target(final, to))


@pytest.mark.parametrize("edit", [rename_file, rename_folder, renumber], ids=lambda f: f.__name__)
def test_every_anchor_of_the_first_build_lands(tmp_path: Path, edit: Callable[[Path], None]) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    (tmp_path / "imgs").mkdir()
    opts = Options(tmp_path, content, tmp_path / "imgs")
    generate(opts, tmp_path / "one")
    first = _anchor_maps(tmp_path / "one")
    edit(content)
    generate(opts, tmp_path / "two")
    forms = [(url, name, where) for url, names in first.items() for name, where in names.items()]
    two = tmp_path / "two"
    lost = [(url, name) for url, name, where in forms if _forwarded(two, url, name) != _landed(two, where)]
    inner = sum(1 for _, _, (_, fragment) in forms if fragment)
    assert len(forms) > 300 and inner > 20, (len(forms), inner)  # the demo: 322, 37 inside answers
    assert lost == [], f"{len(lost)} of {len(forms)} anchors lost, e.g. {lost[:3]}"
