"""Pages built ahead and kept between builds (`qadocs.plugin.prebuild`): the site is byte-identical to
MkDocs' own build with the cache off, a warm rebuild builds nothing, and whatever decides a page's
bytes (its markdown, the configuration, its neighbours' titles) makes it be built again."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import REPO, run_mkdocs
from inject import inject
from inject import unlucky as _unlucky
from messy import make_collection
from qadocs.plugin.prebuild import PREBUILD_MIN, worker_count

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
    assert processes == (1 if built < PREBUILD_MIN else worker_count(0)), "every core this process may use"
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


def test_a_page_whose_worker_failed_is_built_in_the_build_itself(collection: Path) -> None:
    reference = _reference(collection)
    _config(collection, "      jobs: 2\n")
    shutil.rmtree(collection / "build" / ".qadocs-cache", ignore_errors=True)
    done = inject(collection, "workers")
    assert done["error"] is None and done["forked"], done["stderr"][-3000:]
    docs = collection / "build" / "docs"
    unlucky = sorted(str(p.relative_to(docs)) for p in docs.rglob("*.md") if _unlucky(str(p.relative_to(docs))))
    assert 0 < len(unlucky) < 30
    assert done["here"] == unlucky, "the pages that failed in a worker, and only they, were built here"
    assert _site(collection) == reference
    assert done["children"] == 0
    built, kept, _ = _build(collection)
    pages = [k for k in reference if k.endswith(".html") and k != "404.html"]
    assert (built, kept) == (0, len(pages)), "the pages built here were kept too"


@pytest.mark.parametrize("threads", [0, 3])
def test_a_page_that_fails_everywhere_fails_the_build_as_mkdocs_does(collection: Path, threads: int) -> None:
    _config(collection, "      jobs: 2\n")
    shutil.rmtree(collection / "build" / ".qadocs-cache", ignore_errors=True)
    done = inject(collection, "everywhere", threads)
    assert done["error"] is not None and "no page today" in done["error"][1]
    failed = done["error"][1].split("no page today: ")[1]
    assert f"about to fail: {failed}" in done["stderr"], "what the page logged before it failed is shown"
    assert done["forked"] is (threads == 0), "workers are forked when no other thread runs, and only then"
    assert done["children"] == 0, "the workers were stopped"


def test_a_worker_that_dies_stops_the_build_with_a_clear_error(collection: Path) -> None:
    _config(collection, "      jobs: 2\n")
    shutil.rmtree(collection / "build" / ".qadocs-cache", ignore_errors=True)
    done = inject(collection, "kill")
    assert done["forked"] and done["error"] is not None and done["error"][0] == "Abort", done
    assert "a process building pages stopped" in done["stderr"]
    assert done["children"] == 0, "the workers were stopped"
    assert done["seconds"] < 60
