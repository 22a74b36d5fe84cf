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

from qadocs.cli import main
from qadocs.core.build import generate
from qadocs.core.errors import ContentError, QadocsError
from qadocs.core.options import REGISTRY_NAME
from qadocs.core.plan.site import Options
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
        sess.page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=30_000)  # Material runs
        sess.assert_clean()


# -- 5, 8, 9, 14. the registry as data --------------------------------------------------------------


def _small_repo(root: Path) -> Options:
    (root / "content" / "题库").mkdir(parents=True)
    (root / "imgs").mkdir()
    (root / "content" / "题库" / "基础.md").write_text(
        "## 第一章\n\n第一章的介绍。\n\n"
        '<h2 id="1.a">1.什么是扩散模型？</h2>\n\n逐步去噪。\n\n<h2 id="2.b">2.什么是 VAE？</h2>\n\n变分自编码器。\n',
        encoding="utf-8",
    )
    return Options(root, root / "content", root / "imgs")


def _outside_snapshot(root: Path, out: Path) -> set[str]:
    return {p.relative_to(root.parent).as_posix() for p in root.parent.rglob("*") if out not in p.parents and p != out}


def _registry(opts: Options) -> Path:
    return opts.content_dir / REGISTRY_NAME


def _built(tmp_path: Path) -> tuple[Options, Path, dict[str, object]]:
    opts = _small_repo(tmp_path / "repo")
    out = tmp_path / "repo" / "out"
    generate(opts, out)
    return opts, out, yaml.safe_load(_registry(opts).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "bad_url",
    ["../../../../tmp/x", "/", "", "questions.json", "s//x", "a/./b", "media/x", "A/B", "x/../../y", "题库/x"],
)
def test_5_8_bad_registry_url_is_reported_and_ignored(tmp_path: Path, bad_url: str) -> None:
    opts, out, data = _built(tmp_path)
    entries = data["questions"]  # type: ignore[index]
    good = entries[0]["url"]  # type: ignore[index]
    entries[0]["url"] = bad_url  # type: ignore[index]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    _registry(opts).write_text(text, encoding="utf-8")
    before = _outside_snapshot(opts.repo_root, out)
    result = generate(opts, out)
    assert _outside_snapshot(opts.repo_root, out) == before  # nothing written outside the output
    bad = [d for d in result.diagnostics if d.code == "registry-bad-url"]
    assert len(bad) == 1 and bad[0].line == 2 and bad[0].severity == "error", result.diagnostics
    assert _registry(opts).read_text(encoding="utf-8") == text  # left for a person to fix
    assert len(result.plan.questions) == 2  # nothing lost
    assert {q["url"] for q in result.plan.questions} >= {f"/{good}/"}  # the question keeps a page


def test_5_old_urls_that_are_not_a_list_are_refused(tmp_path: Path) -> None:
    opts, out, data = _built(tmp_path)
    for value in ("abc", 5, {"a": 1}):
        data["questions"][0]["old_urls"] = value  # type: ignore[index]
        _registry(opts).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        with pytest.raises(ContentError) as exc:
            generate(opts, out)
        assert exc.value.diagnostic.code == "registry-invalid" and "old_urls" in exc.value.diagnostic.message
        checked = generate(opts, None)  # a check reports it and goes on
        assert [d.code for d in checked.diagnostics] == ["registry-invalid"]


def test_8_two_entries_with_one_url_lose_no_question(tmp_path: Path) -> None:
    opts, out, data = _built(tmp_path)
    entries = data["questions"]  # type: ignore[index]
    entries[1]["url"] = entries[0]["url"]  # type: ignore[index]
    _registry(opts).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = generate(opts, out)
    assert len(result.plan.questions) == 2 and len({q["url"] for q in result.plan.questions}) == 2
    assert [d.code for d in result.diagnostics if d.severity == "error"] == ["registry-bad-url"]
    for q in result.plan.questions:
        assert (out / str(q["url"]).strip("/") / "index.md").is_file()


def test_9_renaming_onto_an_index_page_is_refused(tmp_path: Path) -> None:
    opts, out, data = _built(tmp_path)
    source_page = (out / "tiku" / "jichu" / "index.md").read_text(encoding="utf-8")
    data["questions"][0]["id"] = "jichu"  # type: ignore[index]  # the source page is tiku/jichu/
    _registry(opts).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = generate(opts, out)
    [bad] = [d for d in result.diagnostics if d.code == "registry-bad-id"]
    assert "another page of the site" in bad.message
    assert (out / "tiku" / "jichu" / "index.md").read_text(encoding="utf-8") == source_page


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty", b""),
        ("blank", b"  \n\n"),
        ("utf16", "questions: []\n".encode("utf-16")),
        ("latin1", "questions:\n- id: caf\xe9\n".encode("latin-1")),
        ("not-yaml", b"questions: [\n"),
        ("conflict", b"questions:\n<<<<<<< HEAD\n- id: a\n=======\n- id: b\n>>>>>>> x\n"),
        ("scalar", b"just text\n"),
        (
            "alias-bomb",
            b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
            b"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
            b"questions: [*h]\n",
        ),
        ("deep", b"questions: " + b"[" * 5000 + b"]" * 5000 + b"\n"),
        ("bad-date", b"questions:\n- id: a\n  url: a/a\n  title: 2024-13-45\n"),
        ("bad-float", b"questions:\n- id: a\n  url: a/a\n  title: !!float abc\n"),
        ("bad-offset", b"questions:\n- id: a\n  url: a/a\n  title: 2024-01-01 10:00:00+99:00\n"),
    ],
)
def test_7_14_unusable_registry_stops_the_build_untouched(
    tmp_path: Path, name: str, data: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    opts = _small_repo(tmp_path / "repo")
    _registry(opts).write_bytes(data)
    with pytest.raises(ContentError) as exc:
        generate(opts, opts.repo_root / "out")
    assert exc.value.diagnostic.code == "registry-invalid"
    assert not (opts.repo_root / "out").exists()  # nothing was built
    assert _registry(opts).read_bytes() == data  # and the registry was left untouched
    assert main(["split", "--root", str(opts.repo_root), "--out", "out"]) == 1
    err = capsys.readouterr().err
    assert f"content/{REGISTRY_NAME}:" in err and "registry-invalid" in err and "Traceback" not in err
    assert main(["check", "--root", str(opts.repo_root)]) == 1
    assert "registry-invalid" in capsys.readouterr().out
    preview = generate(opts, opts.repo_root / "out", write_registry=False)  # `mkdocs serve` keeps serving
    assert "registry-invalid" in [d.code for d in preview.diagnostics] and len(preview.plan.questions) == 2
    assert _registry(opts).read_bytes() == data


def test_6_symlinked_registry_is_never_followed(tmp_path: Path) -> None:
    opts = _small_repo(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere.yml"
    elsewhere.write_text("questions: []\ndeleted: []\n", encoding="utf-8")
    os.symlink(elsewhere, _registry(opts))
    with pytest.raises(ContentError) as exc:
        generate(opts, opts.repo_root / "out")
    assert "symbolic link" in exc.value.diagnostic.message
    assert elsewhere.read_text(encoding="utf-8") == "questions: []\ndeleted: []\n"
    assert _registry(opts).is_symlink()


def test_7_registry_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opts, out, _ = _built(tmp_path)
    before = _registry(opts).read_text(encoding="utf-8")
    (opts.content_dir / "题库" / "基础.md").write_text(
        '<h2 id="1.a">1.全新的题目</h2>\n\n全新的答案。\n', encoding="utf-8"
    )

    def killed(src: str, dst: str) -> None:
        raise KeyboardInterrupt  # the process dies between writing the temp file and the rename

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        generate(opts, out)
    monkeypatch.undo()
    assert _registry(opts).read_text(encoding="utf-8") == before
    assert sorted(p.name for p in opts.content_dir.iterdir()) == [REGISTRY_NAME, "题库"]  # no temp file left
    generate(opts, out)
    assert "全新的题目" in _registry(opts).read_text(encoding="utf-8")


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


@pytest.mark.parametrize("out", ["content/gen", "content", ".", "../x"])
def test_10_cli_refuses_overlapping_folders(tmp_path: Path, out: str, capsys: pytest.CaptureFixture[str]) -> None:
    opts = _small_repo(tmp_path / "repo")
    assert main(["split", "--root", str(opts.repo_root), "--out", out]) == 2
    assert "qadocs:" in capsys.readouterr().err
    assert sorted(p.name for p in opts.content_dir.rglob("*")) == ["基础.md", "题库"]
    with pytest.raises(QadocsError):
        generate(opts, (opts.repo_root / out).resolve())


# -- 11. `mkdocs serve` never writes the registry -----------------------------------------------------


def test_11_serve_never_writes_the_registry(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    from qadocs.plugin.adapter import QadocsPlugin

    opts = _small_repo(tmp_path / "repo")
    (opts.repo_root / "build" / "docs").mkdir(parents=True)
    (opts.repo_root / "mkdocs.yml").write_text(
        yaml.safe_dump({"site_name": "t", "docs_dir": "build/docs", "plugins": [{"qadocs": {}}]}), encoding="utf-8"
    )
    config = load_config(str(opts.repo_root / "mkdocs.yml"))
    plugin = config.plugins["qadocs"]
    assert isinstance(plugin, QadocsPlugin)
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(config)
    assert not _registry(opts).exists()  # a draft seen by serve leaves no trace in the registry
    assert (opts.repo_root / "build" / "docs" / "questions.json").is_file()
    plugin.on_startup(command="build", dirty=False)
    plugin.on_config(config)
    assert _registry(opts).is_file()


@pytest.mark.parametrize("rel", ["../escape.md", "/abs.md", "a/../../b.md", "a//b.md", ".."])
def test_5_writer_refuses_any_path_leaving_the_output(tmp_path: Path, rel: str) -> None:
    """Defence in depth: whatever the planner produced, the one writer checks every path."""
    from qadocs.core.plan.site import Plan
    from qadocs.core.write import write_plan

    plan = Plan(files={rel: "x"}, assets={}, nav=[], questions=[], diagnostics=[], registry_text="", changes=[])
    with pytest.raises(QadocsError):
        write_plan(plan, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.rglob("*.md")) == []


def test_5_writer_never_writes_through_a_planted_symlink(tmp_path: Path) -> None:
    from qadocs.core.plan.site import Plan
    from qadocs.core.write import MARKER, write_plan

    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text("", encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    os.symlink(victim, out / "index.md")
    plan = Plan(
        files={"index.md": "new"}, assets={}, nav=[], questions=[], diagnostics=[], registry_text="", changes=[]
    )
    write_plan(plan, out)
    assert victim.read_text(encoding="utf-8") == "keep"
    assert not (out / "index.md").is_symlink() and (out / "index.md").read_text(encoding="utf-8") == "new"
