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

Only for full `mkdocs build` runs with the cache on and every plugin known (`plugin.keeps_site`);
`--dirty` builds and `mkdocs serve` keep MkDocs' behaviour. What MkDocs would never write
through is not kept: symbolic links and files with other hard links in the site are removed when
set aside (MkDocs' emptying removes them too), and a link at the top of the site dir, which
MkDocs leaves, is left to it. A build that stops before `files` gets its files back
(`recover`); one that stops later has its stale files removed, so the next build starts clean.
"""

from __future__ import annotations

import os
import shutil
import stat
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
    moved: list[str] = []
    try:
        for entry in os.scandir(site):
            if not entry.name.startswith(".") and not entry.is_symlink():
                os.rename(entry.path, aside / entry.name)
                moved.append(entry.name)
        _unshare(aside)
    except OSError:
        for name in moved:  # what was moved goes back: the build goes on as MkDocs builds
            if not os.path.lexists(site / name):
                os.rename(aside / name, site / name)
        shutil.rmtree(aside, ignore_errors=True)
        raise
    return since


def _unshare(folder: Path) -> None:
    """Remove the symbolic links under `folder` and the files with other hard links: MkDocs
    would write through them (outside the site, into another copy), where its emptying made new
    files."""
    for top, dirs, files in os.walk(folder):
        for name in [*files, *dirs]:
            path = os.path.join(top, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode) or (stat.S_ISREG(info.st_mode) and info.st_nlink > 1):
                os.unlink(path)


def recover(site: Path, since: int) -> None:
    """After a build that stopped: the files set aside back in place if `files` had not come yet,
    else the stale files removed (one of them may stand where the build needs a folder)."""
    if (site / ASIDE).is_dir():
        put_site_back(site)
    else:
        remove_stale(site, since)


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
        if entry.name.startswith(".") or entry.is_symlink():
            continue  # MkDocs leaves these, and so was this build's to leave
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
