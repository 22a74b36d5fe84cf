"""Hostile content and a hand-edited registry (issue 7): one regression test per finding.

A contributor controls everything under content/ (file and folder names, titles, answers, the
registry). The site built from it must run none of it, copy nothing that can run script, read and
write nothing outside the repository, and lose nothing. Findings 12-15 (speed on pathological
input, odd encodings and names) are in test_linear.py and test_hostile_read.py.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from bs4 import BeautifulSoup

from web import open_session, serve

try:
    from playwright.sync_api import Browser
except ImportError:  # pragma: no cover - the `browser` fixture skips (or fails under CI)
    pass


REPO = Path(__file__).resolve().parents[2]


MKDOCS = Path(sys.executable).with_name("mkdocs")


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


EVIL_DIR = "<img src=x onerror=alert('folder')>"


EVIL_FILE = "<img src=x onerror=alert('file')>.md"


TITLE_1 = "<img src=x onerror=alert('title')>"


TITLE_2 = "第二题 a < b && c > d"


SOURCE_TITLE = "<img src=x onerror=alert('h1')>"


CHAPTER_TITLE = "<img src=x onerror=alert('chapter')> 第一章"


SECRET = "SECRET-TOKEN-12345"


HOSTILE_SOURCE = f"""\
# {html.escape(SOURCE_TITLE, quote=False)}

## {html.escape(CHAPTER_TITLE, quote=False)}

<h2 id="1.a">1.{html.escape(TITLE_1, quote=False)}</h2>

链接：[网页](../evil.html)、[矢量图](../evil.svg)、[git](../../.git/config)、[env](../../.env)、
[配置](../../mkdocs.yml)、[好图](../ok.png)。

![矢量图](../evil.svg) ![好图](../ok.png)

<h2 id="2.b">2.{html.escape(TITLE_2, quote=False)}</h2>

<div class="qadocs-anchors" hidden data-anchors='{{"exact": {{"x": "../../evil/"}}, "loose": {{}}}}'>伪造</div>

第二题的答案。

<h2 id="3.c">3.DOM clobbering</h2>

<div id="__config">{{"base": "https://evil.example/"}}</div>
<a name="__search">锚</a> <a href="#__config">链</a>

被覆盖的答案。
"""


def make_repo(root: Path) -> Path:
    """A repository with hostile content, mkdocs.yml and the generated-dir marker; returns root."""
    content = root / "content"
    (content / EVIL_DIR).mkdir(parents=True)
    (content / EVIL_DIR / EVIL_FILE).write_text('<h2 id="1.ok">1.正常的题目</h2>\n\n正常的答案。\n', encoding="utf-8")
    (content / "攻击").mkdir()
    (content / "攻击" / "标题.md").write_text(HOSTILE_SOURCE, encoding="utf-8")
    (content / "evil.html").write_text("<script>alert('html')</script>", encoding="utf-8")
    (content / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'svg\')"/>', encoding="utf-8"
    )
    (content / "ok.png").write_bytes(PNG)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text(f"[remote]\n token = {SECRET}\n", encoding="utf-8")
    (root / ".env").write_text(f"TOKEN={SECRET}\n", encoding="utf-8")
    (root / "imgs").mkdir()
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "build" / "docs").mkdir(parents=True)
    shutil.copy2(REPO / "build" / "docs" / ".qadocs-generated", root / "build" / "docs")
    return root


def mkdocs_build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    return subprocess.run(
        [str(MKDOCS), "build", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The hostile repository, built by a real `mkdocs build`; (root, build log)."""
    root = make_repo(tmp_path_factory.mktemp("hostile") / "repo")
    proc = mkdocs_build(root)
    assert proc.returncode == 0, proc.stdout
    assert "Traceback" not in proc.stdout
    return root, proc.stdout


@pytest.fixture(scope="module")
def hostile_url(hostile: tuple[Path, str]) -> Iterator[str]:
    with serve(hostile[0] / "site") as url:
        yield url


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _questions(site: Path) -> dict[str, dict[str, object]]:
    return {str(q["title"]): q for q in json.loads((site / "questions.json").read_text(encoding="utf-8"))}


# -- 1. titles, chapter, source, file and folder names -------------------------------------------


def test_1_no_markup_from_names_or_titles_in_any_page(hostile: tuple[Path, str]) -> None:
    site = hostile[0] / "site"
    pages = _pages(site)
    assert len(pages) >= 8
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for el in soup.find_all(True):
            assert not any(name.lower().startswith("on") for name in el.attrs), f"{page}: {el}"
            assert not (el.name == "img" and el.get("src") == "x"), f"{page}: {el}"
    titles = _questions(site)
    assert {TITLE_1, TITLE_2, "正常的题目", "DOM clobbering"} <= set(titles)


def test_1_titles_show_as_written_and_run_nothing(
    browser: Browser, hostile: tuple[Path, str], hostile_url: str
) -> None:
    site = hostile[0] / "site"
    with open_session(browser) as sess:
        for page in _pages(site):
            rel = page.relative_to(site).as_posix()
            sess.page.goto(f"{hostile_url}/{rel}", wait_until="load")
        titles = _questions(site)
        sess.page.goto(hostile_url + str(titles[TITLE_1]["url"]), wait_until="load")
        h1 = sess.page.locator("article h1").evaluate(
            "el => { const c = el.cloneNode(true); c.querySelectorAll('a.headerlink').forEach(a => a.remove());"
            " return c.textContent.trim(); }"
        )
        assert h1 == TITLE_1
        assert sess.page.title().startswith(TITLE_1)
        nav = sess.page.locator("nav.md-nav--primary").inner_text()
        for name in (EVIL_DIR, SOURCE_TITLE, CHAPTER_TITLE):
            assert name in nav, f"{name!r} is not shown as text in the nav"
        footer = sess.page.locator("footer .md-footer__link--next").get_attribute("aria-label") or ""
        assert TITLE_2 in footer and "&lt;" not in footer, footer  # escaped once, not twice
        sess.page.goto(hostile_url + str(titles[TITLE_2]["url"]), wait_until="load")
        assert sess.page.title().startswith(TITLE_2)
        sess.bad_responses.clear()  # 404s of pages that link nowhere are not this test's concern
        sess.assert_clean()


# -- 2 and 4. files copied into the site ----------------------------------------------------------


def test_2_4_only_raster_images_are_copied(hostile: tuple[Path, str]) -> None:
    root, log = hostile
    site = root / "site"
    copied = sorted(p.relative_to(site).as_posix() for p in (site / "media").rglob("*") if p.is_file())
    assert copied == ["media/content/ok.png"]
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data, f"{path} holds the secret"
            assert b"alert('html')" not in data and b"alert('svg')" not in data, path
    for target in ("../evil.html", "../evil.svg", "../../.git/config", "../../.env", "../../mkdocs.yml"):
        assert f"'{target}' is not copied" in log, target
    page = BeautifulSoup(
        (site / _questions(site)[TITLE_1]["url"].lstrip("/") / "index.html")  # type: ignore[union-attr]
        .read_text(encoding="utf-8"),
        "html.parser",
    )
    text = page.select_one("article").get_text()  # type: ignore[union-attr]
    for label in ("网页", "矢量图", "git", "env", "配置"):
        assert label in text  # the link text stays, unlinked
    assert page.select_one("article img[src$='ok.png']") is not None


# -- 2b. the legacy-anchor map -----------------------------------------------------------------------


def test_2_anchor_map_cannot_be_forged(browser: Browser, hostile: tuple[Path, str], hostile_url: str) -> None:
    site = hostile[0] / "site"
    built = "".join(p.read_text(encoding="utf-8") for p in _pages(site))
    assert "data-anchors" not in built and "../../evil/" not in built
    source_url = str(_questions(site)[TITLE_1]["source_url"])
    with open_session(browser) as sess:
        sess.page.goto(f"{hostile_url}{source_url}#x", wait_until="load")
        sess.page.locator("html[data-qadocs-anchor=stay]").wait_for(state="attached")  # the map was read
        assert sess.page.url.endswith(source_url + "#x")  # stayed: "x" is in no real map
        sess.page.goto("about:blank")  # a fresh load: a hash change alone runs no script
        sess.page.goto(f"{hostile_url}{source_url}#2.b", wait_until="load")
        sess.page.wait_for_url(hostile_url + str(_questions(site)[TITLE_2]["url"]))  # the real map works
        sess.assert_clean()


# -- 3. DOM clobbering of the theme ------------------------------------------------------------------


def test_3_content_ids_cannot_clobber_the_theme(browser: Browser, hostile: tuple[Path, str], hostile_url: str) -> None:
    site = hostile[0] / "site"
    url = str(_questions(site)["DOM clobbering"]["url"])
    soup = BeautifulSoup((site / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [el.name for el in soup.select("#__config")] == ["script"]
    assert soup.select_one("article #user-content-__config") is not None
    assert soup.select_one("article a[name='user-content-__search']") is not None
    with open_session(browser) as sess:
        sess.page.goto(hostile_url + url + "?q=" + quote("答案"), wait_until="load")
        sess.page.locator(".qadocs-find__hit").first.wait_for(state="visible", timeout=30_000)  # search runs
        sess.assert_clean()


def test_3_search_shows_hostile_titles_as_text(browser: Browser, hostile: tuple[Path, str], hostile_url: str) -> None:
    """A title that is HTML, found by search, is shown as its text: no element, no handler runs."""
    with open_session(browser) as sess:
        sess.page.goto(hostile_url + "/?q=" + quote("img src onerror"), wait_until="load")
        hit = sess.page.locator(".qadocs-find__title").first
        hit.wait_for(state="visible", timeout=30_000)
        assert sess.page.locator(".qadocs-find__title", has_text=TITLE_1).count() == 1
        assert sess.page.locator(".qadocs-find img, .qadocs-find script").count() == 0
        sess.assert_clean()


# -- 10. one path rule for the CLI and the plugin ---------------------------------------------------


@pytest.mark.parametrize(
    ("content_dir", "docs_dir"),
    [
        ("build/docs/content", "build/docs"),  # content inside the output: the build would delete it
        ("content", "content/gen"),  # output inside content: read back as sources every run
        ("content", "content"),
        ("content", "../outside"),
    ],
)
def test_10_plugin_refuses_overlapping_folders(tmp_path: Path, content_dir: str, docs_dir: str) -> None:
    root = tmp_path / "repo"
    source = root / content_dir / "a.md"
    source.parent.mkdir(parents=True)
    source.write_text('<h2 id="1.a">1.a</h2>\n\n答。\n', encoding="utf-8")
    (root / docs_dir).mkdir(parents=True, exist_ok=True)
    config = {
        "site_name": "t",
        "docs_dir": docs_dir,
        "theme": {"name": "material"},
        "plugins": [{"qadocs": {"content_dir": content_dir}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    proc = mkdocs_build(root)
    assert proc.returncode != 0 and "Traceback" not in proc.stdout
    assert "qadocs:" in proc.stdout and ("apart" in proc.stdout or "outside the repository" in proc.stdout)
    assert source.read_text(encoding="utf-8") == '<h2 id="1.a">1.a</h2>\n\n答。\n'
