"""End-to-end: `mkdocs build --strict` of the real demo content, then checks over the built HTML.

The build itself runs once per session (fixture `built_site` in conftest.py) in a temp dir.
"""

from __future__ import annotations

import json
import re
import shutil
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import REPO, BuiltSite, run_mkdocs
from sitecheck import NAV_RELS, RESOURCE_RELS, broken_internal_links, is_remote, local_target

EXPECTED_QUESTIONS = 131


MATH_TITLE = "请简述视频扩散模型的去噪过程？"


# Elements whose src the browser fetches while loading the page.
FETCHING_SRC_TAGS = ("script", "img", "iframe", "video", "audio", "source", "track", "embed", "input")


CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.I)


CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)


MAX_LISTED = 40


# ---------------------------------------------------------------------------------------- helpers


def _fail_listing(what: str, offenders: list[str]) -> None:
    if offenders:
        shown = "\n  ".join(offenders[:MAX_LISTED])
        more = f"\n  ... and {len(offenders) - MAX_LISTED} more" if len(offenders) > MAX_LISTED else ""
        pytest.fail(f"{len(offenders)} {what}:\n  {shown}{more}")


@cache
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _css_urls(text: str) -> list[str]:
    urls = [next(g for g in m.groups() if g is not None) for m in CSS_URL.finditer(text)]
    urls += [next(g for g in m.groups() if g is not None) for m in CSS_IMPORT.finditer(text)]
    return [u for u in urls if u.strip()]


def _rels(tag: Tag) -> set[str]:
    rel = tag.get("rel") or []
    if isinstance(rel, str):
        rel = rel.split()
    return {r.lower() for r in rel}


# --------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def html_files(site_dir: Path) -> list[Path]:
    files = sorted(p.resolve() for p in site_dir.rglob("*.html"))
    assert len(files) > EXPECTED_QUESTIONS, f"only {len(files)} HTML files built"
    return files


@pytest.fixture(scope="session")
def questions(site_dir: Path) -> list[dict[str, object]]:
    path = site_dir / "questions.json"
    assert path.is_file(), "site/questions.json was not built"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def _page_for(site_dir: Path, url: object) -> Path:
    assert isinstance(url, str) and url.startswith("/") and url.endswith("/"), f"bad url {url!r}"
    return site_dir / unquote(url).strip("/") / "index.html"


def _heading_text(h1: Tag) -> str:
    h1 = BeautifulSoup(str(h1), "html.parser").h1  # a copy: don't mutate the cached soup
    assert h1 is not None
    for link in h1.select("a.headerlink"):
        link.decompose()
    return " ".join(h1.get_text().split())


# ------------------------------------------------------------------------------------------ tests


def test_strict_build_succeeds_without_warnings(built_site: BuiltSite) -> None:
    assert built_site.returncode == 0, f"mkdocs build --strict exited {built_site.returncode}:\n{built_site.output}"
    warnings = [line for line in built_site.output.splitlines() if "WARNING" in line]
    assert not warnings, "mkdocs printed warnings:\n" + "\n".join(warnings)
    assert "Documentation built in" in built_site.output


def test_internal_links_resolve(site_dir: Path, html_files: list[Path]) -> None:
    checked, offenders = broken_internal_links(site_dir, html_files)
    assert checked > 1000, f"only {checked} internal links found: is the link collection broken?"
    _fail_listing("broken internal links", offenders)


# A 1×1 PNG: the images of `test_local_images_resolve` are real files.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _local_images(site: Path, pages: list[Path]) -> tuple[int, list[str]]:
    """How many local `<img>` sources (src and srcset) the pages have, and those naming no file."""
    checked, offenders = 0, []
    for page in pages:
        for img in _soup(page).find_all("img"):
            srcs = [img.get("src")] if img.get("src") else []
            srcs += [c.split()[0] for c in str(img.get("srcset") or "").split(",") if c.strip()]
            for src in srcs:
                assert isinstance(src, str)
                if is_remote(src) or src.startswith("data:"):
                    continue  # remote ones are reported by test_no_other_host
                checked += 1
                if local_target(site, page, src) is None:
                    offenders.append(f"{page.relative_to(site)}: <img src={src!r}> -> no such file")
    return checked, offenders


def test_local_images_resolve(tmp_path: Path) -> None:
    """Images beside a source, in imgs/, at a root path and in raw HTML, on pages at every depth,
    are copied and their `<img>` name the copies (the demo ships no image: a site of its own)."""
    root = tmp_path / "repo"
    folder = root / "content" / "主题"
    folder.mkdir(parents=True)
    (root / "imgs").mkdir()
    (root / "figs").mkdir()
    (root / "build" / "docs").mkdir(parents=True)
    for path in (folder / "旁边.png", root / "imgs" / "共享.png", root / "figs" / "根 图.png"):
        path.write_bytes(PNG)
    text = (
        "# 题库\n\n![前言图](imgs/共享.png)\n\n## 1. 图在哪里？\n\n![旁边](./旁边.png)\n\n![共享](imgs/共享.png)\n\n"
        '![根](</figs/根 图.png>)\n\n<img src="imgs/共享.png" alt="原样">\n\n![缺](没有.png)\n'
    )
    (folder / "题.md").write_text(text, encoding="utf-8")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    proc = run_mkdocs(root)  # not strict: the missing image is a warning
    assert proc.returncode == 0, proc.stderr
    site = root / "site"
    pages = sorted(site.rglob("*.html"))
    checked, offenders = _local_images(site, pages)
    assert checked >= 5, checked  # the source page's, and the question page's four
    _fail_listing("images pointing at missing files", offenders)
    assert sum(len(_soup(p).select("span.qadocs-missing-image")) for p in pages) >= 1
    (site / "media" / "figs" / "根 图.png").unlink()  # the check finds a copy that is gone
    assert _local_images(site, pages)[1]


def test_missing_images_are_placeholders(site_dir: Path, html_files: list[Path]) -> None:
    """The demo ships no images: the plugin must render placeholders, not broken <img>s."""
    placeholders = sum(len(_soup(p).select("span.qadocs-missing-image")) for p in html_files)
    assert placeholders > 0, "no span.qadocs-missing-image placeholders in the demo site"


def test_assets_are_local_only(site_dir: Path, html_files: list[Path]) -> None:
    """Scripts, stylesheets, preloads, fonts and CSS url()s must come from the site itself."""
    site = site_dir.resolve()
    offenders: list[str] = []
    stylesheets: set[Path] = set()
    n_scripts = n_styles = 0

    def check(base: Path, url: str, what: str) -> Path | None:
        where = f"{base.relative_to(site)}: {what} {url!r}"
        if url.strip().startswith("data:"):
            return None
        if is_remote(url):
            offenders.append(f"{where} -> other host")
            return None
        target = local_target(site, base, url)
        if target is None:
            offenders.append(f"{where} -> no such file")
        return target

    for page in html_files:
        soup = _soup(page)
        for tag in soup.find_all(FETCHING_SRC_TAGS, src=True):
            if tag.name == "img":
                if is_remote(str(tag["src"])):
                    offenders.append(f"{page.relative_to(site)}: <img src={tag['src']!r}> -> other host")
                continue  # local images: test_local_images_resolve
            if tag.name == "script":
                n_scripts += 1
            check(page, str(tag["src"]), f"<{tag.name} src>")
        for tag in soup.find_all(["video"], poster=True):
            check(page, str(tag["poster"]), "<video poster>")
        for link in soup.find_all("link", href=True):
            rels = _rels(link)
            href = str(link["href"])
            if rels & {"preconnect", "dns-prefetch"}:
                if is_remote(href):
                    offenders.append(f"{page.relative_to(site)}: <link rel={sorted(rels)}> to other host {href!r}")
                continue
            if rels & RESOURCE_RELS or not rels & NAV_RELS:
                target = check(page, href, f"<link rel={' '.join(sorted(rels))} href>")
                if "stylesheet" in rels:
                    n_styles += 1
                    if target is not None:
                        stylesheets.add(target)
        inline_css = [s.get_text() for s in soup.find_all("style")]
        inline_css += [str(t["style"]) for t in soup.find_all(style=True)]
        for css in inline_css:
            for url in _css_urls(css):
                check(page, url, "inline CSS url()")
    assert n_scripts > 0 and n_styles > 0, "no <script src>/<link rel=stylesheet> found: selector broken?"
    for sheet in sorted(stylesheets):
        for url in _css_urls(sheet.read_text(encoding="utf-8")):
            check(sheet, url, "CSS url()/@import")
    _fail_listing("assets not served by the site itself", offenders)


def test_question_pages(site_dir: Path, questions: list[dict[str, object]]) -> None:
    assert len(questions) == EXPECTED_QUESTIONS
    ids = [q["id"] for q in questions]
    urls = [q["url"] for q in questions]
    assert len(set(ids)) == len(ids), "duplicate ids in questions.json"
    assert len(set(urls)) == len(urls), "duplicate urls in questions.json"
    offenders: list[str] = []
    for q in questions:
        page = _page_for(site_dir, q["url"])
        if not page.is_file():
            offenders.append(f"{q['url']}: no {page.relative_to(site_dir)}")
            continue
        h1s = _soup(page.resolve()).find_all("h1")
        if len(h1s) != 1:
            offenders.append(f"{q['url']}: {len(h1s)} <h1> elements")
            continue
        text = _heading_text(h1s[0])
        if text != q["title"]:
            offenders.append(f"{q['url']}: <h1> {text!r} != title {q['title']!r}")
        source_page = _page_for(site_dir, q["source_url"])
        if not source_page.is_file():
            offenders.append(f"{q['url']}: source_url {q['source_url']!r} was not built")
    _fail_listing("question pages not matching questions.json", offenders)


def test_search_index_lists_every_question_page(site_dir: Path, questions: list[dict[str, object]]) -> None:
    """qadocs' index (qadocs-search/) has every question page, first, at its permanent URL; Material's
    index, which every page would download, is not built."""
    assert not (site_dir / "search" / "search_index.json").exists()
    meta = json.loads((site_dir / "qadocs-search" / "meta.json").read_text(encoding="utf-8"))
    rows = meta["pages"]
    assert [(r[0], r[1]) for r in rows[: len(questions)]] == [
        (str(q["url"]).lstrip("/"), q["title"]) for q in questions
    ]
    assert all(r[2] == 0 for r in rows[: len(questions)]) and all(r[2] == 1 for r in rows[len(questions) :])
    assert len(questions) >= EXPECTED_QUESTIONS
    shards = [json.loads(p.read_text(encoding="utf-8")) for p in (site_dir / "qadocs-search" / "i").glob("*.json")]
    assert len(shards) == meta["shards"] and any("扩散" in s for s in shards)


def test_math_is_rendered_to_mathml(site_dir: Path, questions: list[dict[str, object]], html_files: list[Path]) -> None:
    [entry] = [q for q in questions if q["title"] == MATH_TITLE]
    page = _page_for(site_dir, entry["url"]).resolve()
    soup = _soup(page)
    maths = soup.select(".arithmatex-mathml math")
    assert maths, f"no <math> inside .arithmatex-mathml on {entry['url']}"
    assert all(m.find(True) for m in maths), "empty <math> elements"
    # Site-wide: every arithmatex element was converted (no raw TeX left for a script to render).
    site = site_dir.resolve()
    unconverted = [
        f"{p.relative_to(site)}: {str(el)[:120]}"
        for p in html_files
        for el in _soup(p).select(".arithmatex")
        if el.find("math") is None
    ]
    _fail_listing("arithmatex elements without MathML", unconverted)


def test_links_resolve_without_directory_urls(tmp_path: Path) -> None:
    """Every page is an index.md, so links hold under `use_directory_urls: false` too."""
    import shutil

    repo = Path(__file__).resolve().parents[2]
    root = tmp_path / "repo"
    shutil.copytree(repo / "content", root / "content")
    (root / "imgs").mkdir()
    (root / "build" / "docs").mkdir(parents=True)
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config + "\nuse_directory_urls: false\n", encoding="utf-8")
    proc = run_mkdocs(root, "--strict")
    assert proc.returncode == 0, proc.stderr
    pages = sorted((root / "site").rglob("*.html"))
    checked, offenders = broken_internal_links(root / "site", pages)
    assert checked > 1000
    _fail_listing("broken internal links without directory URLs", offenders)
