"""The site dir's files kept in place between builds, instead of deleted and written anew.

A `mkdocs build` starts by emptying the site dir, then writes every file again. Deleting
thousands of files and creating as many right after is what costs most in a rebuild on some
file systems (ext4 looks past each recently freed inode before it hands out a new one: on the
2-core bench machine that was 40 % of a warm build's time). The files are the same ones, so
qadocs keeps them:

- before MkDocs empties the site dir (`pre_build`), its visible entries are moved into a hidden
  folder in it (`ASIDE`), which MkDocs leaves alone as it leaves every hidden entry;
- once it has (`files`), they are moved back, and MkDocs' writes then replace each file's bytes
  in place;
- after the build (`post_build`, last), what MkDocs' emptying would have removed is removed: every
  file under a visible entry that this build did not write (older than a stamp taken on the file
  system's own clock before the build), and the folders left empty. Should the clock have gone
  back during the build, nothing is removed (a stale file is better than a missing page).

Only for full `mkdocs build` runs with the cache on; `--dirty` builds and `mkdocs serve` keep
MkDocs' behaviour. Symbolic links are removed or moved as links, never followed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ASIDE = ".qadocs-previous"  # hidden: MkDocs' emptying of the site dir leaves it
STAMP = ".qadocs-stamp"  # a file in ASIDE whose modification time is the build's start


def set_site_aside(site: Path) -> int | None:
    """Move the visible entries of `site` into `site/ASIDE`; the file system's time now (ns), or
    None when there is no site dir yet (nothing to keep)."""
    if not site.is_dir() or site.is_symlink():
        return None
    aside = site / ASIDE
    if aside.is_dir() and not aside.is_symlink():
        shutil.rmtree(aside)  # left by a build that stopped before `files`: stale copies
    elif aside.exists() or aside.is_symlink():
        aside.unlink()
    aside.mkdir()
    stamp = aside / STAMP
    stamp.write_bytes(b"")
    since = stamp.stat().st_mtime_ns
    for entry in os.scandir(site):
        if not entry.name.startswith("."):
            os.rename(entry.path, aside / entry.name)
    return since


def put_site_back(site: Path) -> None:
    """Move what `set_site_aside` moved back into `site` (where MkDocs left nothing visible)."""
    aside = site / ASIDE
    if not aside.is_dir() or aside.is_symlink():
        return
    for entry in os.scandir(aside):
        if entry.name != STAMP and not os.path.lexists(site / entry.name):
            os.rename(entry.path, site / entry.name)
    shutil.rmtree(aside)


def remove_stale(site: Path, since: int) -> int:
    """Remove the files under the visible entries of `site` last written before `since` (ns),
    and the folders left empty; returns how many files. Removes nothing if the file system's
    clock now reads earlier than `since`."""
    probe = site / STAMP
    probe.write_bytes(b"")
    now = probe.stat().st_mtime_ns
    probe.unlink()
    if now < since:
        return 0
    removed = 0
    for entry in os.scandir(site):
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            removed += _remove_older(Path(entry.path), since)
        elif entry.stat(follow_symlinks=False).st_mtime_ns < since:
            os.unlink(entry.path)
            removed += 1
    return removed


def _remove_older(folder: Path, since: int) -> int:
    """`remove_stale` inside one folder (bottom up, so emptied folders go too)."""
    removed = 0
    for top, dirs, files in os.walk(folder, topdown=False):
        for name in files:
            path = os.path.join(top, name)
            if os.lstat(path).st_mtime_ns < since:
                os.unlink(path)
                removed += 1
        for name in dirs:
            path = os.path.join(top, name)
            if os.path.islink(path):
                if os.lstat(path).st_mtime_ns < since:
                    os.unlink(path)
                    removed += 1
            elif not os.listdir(path):
                os.rmdir(path)
    if not os.listdir(folder):
        os.rmdir(folder)
    return removed
