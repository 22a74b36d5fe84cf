"""Pages built ahead and kept between builds (`qadocs.prebuild`): the site is byte-identical to
MkDocs' own build with the cache off, a warm rebuild builds nothing, and whatever decides a page's
bytes (its markdown, the configuration, its neighbours' titles) makes it be built again."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import sqlite3
import zlib
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, run_mkdocs
from messy import make_collection

BUILT = re.compile(r"qadocs: (\d+) pages built, (\d+) taken from the cache \((\d+) processes")


def _site(root: Path) -> dict[str, bytes]:
    site = root / "site"
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _config(root: Path, options: str = "", site_name: str | None = None) -> None:
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("      missing_images: placeholder\n", "      missing_images: placeholder\n" + options)
    if site_name is not None:
        text = text.replace("site_name: AI 视频面试题库", f"site_name: {site_name}")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")


def _build(root: Path) -> tuple[int, int, int]:
    """`mkdocs build` in root (the messy collection has errors: not strict); (pages built, pages from
    the cache, processes)."""
    proc = run_mkdocs(root)
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = BUILT.search(proc.stderr)
    assert found, proc.stderr[-3000:]
    return int(found[1]), int(found[2]), int(found[3])


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cache") / "repo"
    root.mkdir()
    make_collection(root, files=10)
    (root / "build" / "docs").mkdir(parents=True)
    return root


def _reference(collection: Path, site_name: str | None = None) -> dict[str, bytes]:
    """The site MkDocs builds with the cache off (its own loop, one page after the other)."""
    _config(collection, "      cache: false\n", site_name)
    proc = run_mkdocs(collection)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "pages built" not in proc.stderr
    return _site(collection)


def test_cold_warm_and_uncached_sites_are_byte_identical(collection: Path) -> None:
    reference = _reference(collection)
    shutil.rmtree(collection / "build" / ".qadocs-cache", ignore_errors=True)
    _config(collection)
    built, kept, processes = _build(collection)
    assert (built, kept) == (len([k for k in reference if k.endswith(".html") and k != "404.html"]), 0)
    assert processes == 2 or (processes >= 1 and built < 24)
    cold = _site(collection)
    assert cold == reference
    built, kept, _ = _build(collection)
    assert built == 0 and kept > 100, "a warm rebuild of an unchanged collection builds nothing"
    assert _site(collection) == reference
    # one process (no fork): the same bytes again
    _config(collection, "      jobs: 1\n")
    shutil.rmtree(collection / "build" / ".qadocs-cache")
    assert _build(collection)[2] == 1
    assert _site(collection) == reference


def test_a_configuration_change_invalidates_every_page(collection: Path) -> None:
    _config(collection)
    _build(collection)
    before = _site(collection)
    _config(collection, site_name="另一个题库")
    built, kept, _ = _build(collection)
    assert kept == 0 and built > 100
    after = _site(collection)
    assert after != before and "另一个题库" in after["index.html"].decode("utf-8")
    assert after == _reference(collection, site_name="另一个题库")


def test_an_edit_rebuilds_the_page_and_the_neighbours_that_show_it(collection: Path) -> None:
    _config(collection)
    _build(collection)
    questions = json.loads((collection / "site" / "questions.json").read_text(encoding="utf-8"))
    first = next(q for q in questions if "</h" in _line(collection, q))  # an `<hN id>` question
    source = collection / "content" / first["source"]
    text = source.read_text(encoding="utf-8")
    lines = text.split("\n")
    heading = lines[first["source_line"] - 1]
    # a word changed in one answer: that question's page (and the source page, when it shows the
    # answer); no line moves, so no other page's front matter changes
    answer = next(i for i in range(first["source_line"], len(lines)) if lines[i].strip())
    lines[answer] += "（补充）"
    source.write_text("\n".join(lines), encoding="utf-8")
    built, kept, _ = _build(collection)
    assert 1 <= built <= 2 and kept > 100, (built, kept)
    # a retitled question: also the pages whose sidebar or footer shows its title
    source.write_text(text.replace(heading, heading.replace("</h", "（改）</h", 1), 1), encoding="utf-8")
    built, kept, _ = _build(collection)
    assert 3 <= built < 60, (built, kept)
    assert _site(collection) == _reference(collection)


def _line(collection: Path, entry: dict[str, object]) -> str:
    """The line a questions.json entry's question starts on."""
    lines = (collection / "content" / str(entry["source"])).read_text(encoding="utf-8").split("\n")
    return lines[int(str(entry["source_line"])) - 1]


def test_a_damaged_cache_is_started_afresh(collection: Path) -> None:
    _config(collection)
    cache = collection / "build" / ".qadocs-cache" / "pages.sqlite"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(b"not a database" * 100)
    built, kept, _ = _build(collection)
    assert kept == 0 and built > 100
    with sqlite3.connect(cache) as db:  # a record that does not decode is built again, not trusted
        db.execute("UPDATE pages SET body = x'00', meta = x'7b'")
    built, kept, _ = _build(collection)
    assert _site(collection) == _reference(collection)


def test_cache_dir_outside_the_repository_is_refused(collection: Path) -> None:
    _config(collection, "      cache_dir: ../outside\n")
    proc = run_mkdocs(collection)
    assert proc.returncode == 1
    assert "cache_dir '../outside' is outside the repository" in proc.stderr
    assert not (collection.parent / "outside").exists()


def _build_here(root: Path) -> None:
    """`mkdocs build` in this process (so a test can change what the forked workers run)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def _unlucky(src_uri: str) -> bool:
    """About one page in twenty, the same ones on every run."""
    return zlib.crc32(src_uri.encode("utf-8")) % 20 == 0


def _failing_in(monkeypatch: pytest.MonkeyPatch, where: str) -> list[str]:
    """Make building the `_unlucky` pages raise: in the workers only, or everywhere. Returns the
    pages the build's own process built (the wrapper is inherited by the forked workers)."""
    from qadocs import prebuild

    parent, original, here = os.getpid(), prebuild.build_page, []

    def build_page(job: Any, page: Any) -> Any:
        if _unlucky(page.file.src_uri) and (os.getpid() != parent or where == "everywhere"):
            raise RuntimeError(f"no page today: {page.file.src_uri}")
        if os.getpid() == parent:
            here.append(page.file.src_uri)
        return original(job, page)

    monkeypatch.setattr(prebuild, "build_page", build_page)
    return here


def test_a_page_whose_worker_failed_is_built_in_the_build_itself(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = _reference(collection)
    _config(collection)
    shutil.rmtree(collection / "build" / ".qadocs-cache", ignore_errors=True)
    here = _failing_in(monkeypatch, "workers")
    monkeypatch.chdir(collection)
    _build_here(collection)
    docs = collection / "build" / "docs"
    unlucky = sorted(str(p.relative_to(docs)) for p in docs.rglob("*.md") if _unlucky(str(p.relative_to(docs))))
    assert 0 < len(unlucky) < 30
    assert sorted(here) == unlucky, "the pages that failed in a worker, and only they, were built here"
    assert _site(collection) == reference
    assert multiprocessing.active_children() == []
    monkeypatch.undo()
    built, kept, _ = _build(collection)
    pages = [k for k in reference if k.endswith(".html") and k != "404.html"]
    assert (built, kept) == (0, len(pages)), "the pages built here were kept too"


def test_a_page_that_fails_everywhere_fails_the_build_as_mkdocs_does(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(collection)
    shutil.rmtree(collection / "build" / ".qadocs-cache", ignore_errors=True)
    _failing_in(monkeypatch, "everywhere")
    monkeypatch.chdir(collection)
    with pytest.raises(RuntimeError, match="no page today"):
        _build_here(collection)
    assert multiprocessing.active_children() == [], "the workers were stopped"


def test_a_rebuild_rewrites_the_site_in_place_and_removes_what_is_gone(collection: Path) -> None:
    _config(collection)
    _build(collection)
    home = collection / "site" / "index.html"
    inode = home.stat().st_ino
    source = sorted((collection / "content").rglob("*.md"))[-1]
    text = source.read_bytes()
    source.unlink()
    try:
        _build(collection)
        assert home.stat().st_ino == inode, "the site's files were rewritten in place"
        assert not (collection / "site" / ".qadocs-previous").exists()
        kept = _site(collection)
        assert kept == _reference(collection), "the same site as MkDocs' own emptying and writing"
    finally:
        source.write_bytes(text)


def test_a_worker_that_dies_stops_the_build_with_a_clear_error(
    collection: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.exceptions import Abort

    from qadocs import prebuild

    _config(collection)
    shutil.rmtree(collection / "build" / ".qadocs-cache", ignore_errors=True)
    parent, original = os.getpid(), prebuild.build_page

    def build_page(job: Any, page: Any) -> Any:
        if os.getpid() != parent and _unlucky(page.file.src_uri):
            os._exit(9)  # as the kernel's out-of-memory killer would stop it
        return original(job, page)

    monkeypatch.setattr(prebuild, "build_page", build_page)
    monkeypatch.setattr(prebuild, "WORKER_CHECK", 0.5)
    monkeypatch.chdir(collection)
    with pytest.raises(Abort):
        _build_here(collection)
    assert "a process building pages stopped" in caplog.text
    assert multiprocessing.active_children() == [], "the workers were stopped"
