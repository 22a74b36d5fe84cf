"""The site dir's files kept in place between builds (`qadocs.sitekeep`), on real folders: what
MkDocs' emptying would leave stays, what it would remove goes, nothing is followed out."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from mkdocs.utils import clean_directory, write_file

from qadocs.sitekeep import ASIDE, put_site_back, remove_stale, set_site_aside


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): "link" if p.is_symlink() else p.read_text("utf-8") if p.is_file() else "dir"
        for p in sorted(root.rglob("*"))
    }


def _site(root: Path) -> Path:
    site = root / "site"
    for name, text in {
        "index.html": "首页",
        "a/index.html": "甲",
        "a/b/index.html": "乙",
        "gone/index.html": "旧",
        "gone/deep/x.png": "图",
        ".git/HEAD": "ref",  # hidden at the top: MkDocs leaves it, so do we
        "a/.hidden": "藏",  # hidden further in: MkDocs' emptying removes it
    }.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return site


def _build(site: Path, written: dict[str, str]) -> None:
    """What MkDocs does between `pre_build` and `post_build`: empty the site dir, write files."""
    clean_directory(str(site))
    for name, text in written.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")


def test_files_are_rewritten_in_place_and_stale_ones_removed(tmp_path: Path) -> None:
    site = _site(tmp_path)
    inode = (site / "a" / "index.html").stat().st_ino
    time.sleep(0.02)  # the old files' times are before the stamp, whatever the clock's grain
    since = set_site_aside(site)
    assert since is not None and sorted(os.listdir(site)) == [".git", ASIDE]
    clean_directory(str(site))  # MkDocs empties the site dir: what was set aside stays
    put_site_back(site)
    assert not (site / ASIDE).exists() and (site / "gone" / "deep" / "x.png").is_file()
    written = {"index.html": "新首页", "a/index.html": "新甲", "a/b/index.html": "乙", "new/index.html": "新"}
    for name, text in written.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    assert remove_stale(site, since) == 3  # gone/index.html, gone/deep/x.png, a/.hidden
    assert (site / "a" / "index.html").stat().st_ino == inode, "rewritten in place, not created anew"
    # the same site as MkDocs' own emptying and writing gives
    reference = _site(tmp_path / "ref")
    _build(reference, written)
    assert _tree(site) == _tree(reference)


def test_nothing_is_removed_when_the_clock_went_back(tmp_path: Path) -> None:
    site = _site(tmp_path)
    since = set_site_aside(site)
    put_site_back(site)
    assert since is not None
    assert remove_stale(site, since + 10**12) == 0
    assert (site / "gone" / "index.html").is_file()


def _cycle(site: Path, written: dict[str, str]) -> None:
    """One build with the files kept: set aside, MkDocs empties and writes, stale ones removed."""
    since = set_site_aside(site)
    assert since is not None
    clean_directory(str(site))
    put_site_back(site)
    for name, text in written.items():
        write_file(text.encode("utf-8"), str(site / name))
    remove_stale(site, since)


def test_links_and_shared_files_are_never_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("外", encoding="utf-8")
    (outside / "page.html").write_text("外页", encoding="utf-8")
    written = {"index.html": "新首页", "a/index.html": "新甲", "a/x.html": "新", "a/b/index.html": "乙"}
    trees = []
    for name, keep in (("kept", True), ("mkdocs", False)):
        site = _site(tmp_path / name)
        (site / "to-outside").symlink_to(outside, target_is_directory=True)  # MkDocs leaves it
        (site / "a" / "also-outside").symlink_to(outside, target_is_directory=True)
        (site / "a" / "x.html").symlink_to(outside / "page.html")  # a page MkDocs writes
        (site / "a" / "b" / "index.html").unlink()
        os.link(outside / "keep.txt", site / "a" / "b" / "index.html")  # shared with another copy
        time.sleep(0.02)
        _cycle(site, written) if keep else _build(site, written)
        trees.append(_tree(site))
        assert (outside / "keep.txt").read_text(encoding="utf-8") == "外"
        assert (outside / "page.html").read_text(encoding="utf-8") == "外页"
    assert trees[0] == trees[1], "the same site as MkDocs' own emptying and writing gives"


def test_a_file_where_a_folder_is_now_needed_fails_once_then_recovers(tmp_path: Path) -> None:
    from qadocs.plugin import QadocsPlugin

    site = _site(tmp_path)
    (site / "new").write_text("旧文件", encoding="utf-8")  # the new build needs new/ as a folder
    time.sleep(0.02)
    plugin = QadocsPlugin()
    since = set_site_aside(site)
    assert since is not None
    plugin.kept = (site, since)
    clean_directory(str(site))
    put_site_back(site)
    with pytest.raises(OSError):
        write_file(b"new", str(site / "new" / "index.html"))
    plugin.on_build_error(OSError("in the loop"))  # stale files removed: the next build starts clean
    assert not (site / "new").exists()
    written = {"index.html": "新首页", "new/index.html": "新"}
    _cycle(site, written)
    reference = _site(tmp_path / "ref")
    _build(reference, written)
    assert _tree(site) == _tree(reference)


def test_no_site_dir_and_a_leftover_from_a_stopped_build(tmp_path: Path) -> None:
    assert set_site_aside(tmp_path / "site") is None
    site = _site(tmp_path)
    (site / ASIDE / "old").mkdir(parents=True)  # a build stopped between pre_build and files
    assert set_site_aside(site) is not None
    put_site_back(site)
    assert not (site / ASIDE).exists() and not (site / "old").exists()
    assert (site / "a" / "b" / "index.html").read_text(encoding="utf-8") == "乙"


def test_kept_only_on_full_builds_with_the_cache_and_known_plugins() -> None:
    from types import SimpleNamespace

    from qadocs.plugin import keeps_site

    known: Any = SimpleNamespace(plugins={"qadocs": 1, "material/search": 2})
    other: Any = SimpleNamespace(plugins={"qadocs": 1, "search": 2, "git-revision-date": 3})
    assert keeps_site(known, cache=True, dirty=False, serving=False)
    assert not keeps_site(other, cache=True, dirty=False, serving=False)  # might copy files keeping their times
    assert not keeps_site(known, cache=False, dirty=False, serving=False)
    assert not keeps_site(known, cache=True, dirty=True, serving=False)
    assert not keeps_site(known, cache=True, dirty=False, serving=True)


def test_a_build_that_stops_before_files_gets_its_site_back(tmp_path: Path) -> None:
    from qadocs.plugin import QadocsPlugin, set_aside

    site = _site(tmp_path)
    before = _tree(site)
    plugin = QadocsPlugin()
    plugin.kept = set_aside(site)
    clean_directory(str(site))  # MkDocs empties the site dir, then the build fails
    plugin.on_build_error(RuntimeError("stopped"))
    assert _tree(site) == before
    assert set_aside(tmp_path / "nowhere") is None
