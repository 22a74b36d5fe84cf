"""The one place that writes the docs dir: only changed bytes, stale files removed."""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import stat
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from qadocs.core.errors import QadocsError


class Plan(Protocol):
    """What the writer is given (core.plan.site's Plan): file texts and files to copy, by their
    path in the generated folder."""

    @property
    def files(self) -> Mapping[str, str]:
        """Text files, by path."""

    @property
    def assets(self) -> Mapping[str, Path]:
        """Files copied from the repository (images), by path."""


MARKER = ".qadocs-generated"


@dataclass(slots=True)
class WriteStats:
    """How many files the write changed, left alone and removed."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0


def _put(path: str, data: bytes, stats: WriteStats, made: set[str]) -> None:
    """Write `data` to `path` unless it holds exactly that already (a file of another size is not
    read: it differs; one this process wrote or read, unchanged since, is not read either); a
    symlink, a named pipe or a device there is removed first. `made`: folders known to exist."""
    try:
        info = os.lstat(path)
    except OSError:
        info = None
    digest = hashlib.blake2b(data, digest_size=16).digest()
    if info is not None and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        os.unlink(path)  # never write through a link planted in the generated folder, nor into a pipe
    elif info is not None and _HELD.get(path) == (_signature(info), digest):
        stats.unchanged += 1
        return
    elif info is not None and info.st_size == len(data):
        with contextlib.suppress(OSError), open(path, "rb") as f:
            if f.read() == data:
                stats.unchanged += 1
                _hold(path, info, digest)
                return
    _HELD.pop(path, None)
    parent = os.path.dirname(path)
    if parent not in made:
        os.makedirs(parent, exist_ok=True)
        made.add(parent)
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        info = os.fstat(f.fileno())
    _hold(path, info, digest)
    stats.written += 1


def _hold(path: str, info: os.stat_result, digest: bytes) -> None:
    """Remember that `path`, as `info` describes it, holds the bytes of `digest`: when its
    signature, taken before the file is read (or as it is written), is `_settled`."""
    if stat.S_ISREG(info.st_mode) and _settled(info):
        _HELD[path] = (_signature(info), digest)


SETTLED_NS = 3_000_000_000  # nanoseconds: above the coarsest time stamps a file system keeps (FAT: 2 s)


def _settled(info: os.stat_result) -> bool:
    """Whether a file last changed long enough ago that any later write gives it another change
    time. A file system stamps times by ticks (a few milliseconds on Linux, 2 s on FAT): a
    write in the same tick as the one `info` saw would leave every field of the signature as it
    was. A file changed within `SETTLED_NS` is read again the next time instead."""
    return time.time_ns() - info.st_ctime_ns > SETTLED_NS


Signature = tuple[int, int, int, int, int]
# Copied files found identical to their source: docs path -> (the source's signature, the copy's).
_COPIED: dict[str, tuple[Signature, Signature]] = {}
# Generated files this process wrote or found as planned: path -> (its signature, the BLAKE2b of its bytes).
_HELD: dict[str, tuple[Signature, bytes]] = {}


def _signature(info: os.stat_result) -> Signature:
    """What changes whenever a file's bytes do: any write in a later tick of the file system's
    clock moves the change time (`st_ctime_ns`), which, unlike the modification time, cannot be
    set back (only a `_settled` signature is trusted)."""
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def _copy(path: str, src: Path, stats: WriteStats, made: set[str]) -> None:
    """Copy the repository file `src` to `path` unless it holds the same bytes: known without
    reading either when neither has changed since they were last found equal in this process."""
    before: os.stat_result | None = None
    known = False
    with contextlib.suppress(OSError):
        before = os.stat(src)
        known = _COPIED.get(path) == (_signature(before), _signature(os.lstat(path)))
    if known:
        stats.unchanged += 1
        return
    _COPIED.pop(path, None)
    _put(path, src.read_bytes(), stats, made)
    if before is not None and _settled(before):  # the source as it was before it was read
        with contextlib.suppress(OSError):
            copy = os.lstat(path)
            if _settled(copy):
                _COPIED[path] = (_signature(before), _signature(copy))


def write_atomic(path: Path, text: str) -> bool:
    """Replace `path` with `text` in one step (temp file in the same folder, then rename), unless
    it already holds exactly that; whether it wrote. A kill at any moment leaves either the old
    file or the new one, never a truncated one. A symlink at `path` is refused, never followed."""
    data = text.encode("utf-8")
    if path.is_symlink():
        raise QadocsError(f"refusing to write {path}: it is a symbolic link")
    with contextlib.suppress(OSError):
        if stat.S_ISREG(os.lstat(path).st_mode) and path.read_bytes() == data:  # a pipe is never read
            return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True


def _check_paths(plan: Plan, out_dir: Path) -> None:
    """Refuse any planned path that is not a plain relative path inside `out_dir`."""
    for rel in [*plan.files, *plan.assets]:
        if posixpath.normpath(rel) != rel or rel.startswith(("/", "../")) or rel == "..":
            raise QadocsError(f"refusing to write {rel!r}: not a plain path inside {out_dir}")


def _remove_stale(out_dir: Path, wanted: set[str], stats: WriteStats) -> None:
    """Delete every file under `out_dir` not in `wanted` (relative POSIX paths), then empty folders."""
    top = str(out_dir)
    left: dict[str, int] = {}  # folder walked -> entries it still has
    for root, dirs, files in os.walk(top, topdown=False):
        prefix = root[len(top) + 1 :] + "/" if root != top else ""
        kept = len(files) + len(dirs)
        for name in files:
            if prefix + name not in wanted:
                os.unlink(os.path.join(root, name))
                _HELD.pop(os.path.join(root, name), None)
                stats.removed += 1
                kept -= 1
        for name in dirs:
            path = os.path.join(root, name)
            if _is_empty(path, left):
                os.rmdir(path)
                kept -= 1
        left[root] = kept


def _is_empty(folder: str, left: dict[str, int]) -> bool:
    """True when `folder` is a folder that holds nothing: known for one walked (`left`), else
    (a link to a folder, one that could not be listed) looked at."""
    if folder in left:
        return left[folder] == 0
    if not os.path.isdir(folder):
        return False
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def write_plan(plan: Plan, out_dir: Path) -> WriteStats:
    """Make `out_dir` hold exactly the planned files, touching only what differs."""
    out_dir = out_dir.resolve()
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise QadocsError(
            f"refusing to write into {out_dir}: it is not empty and was not made by qadocs "
            f"(no {MARKER} file). Choose an empty or generated directory, e.g. --out build/docs"
        )
    stats = WriteStats()
    out_dir.mkdir(parents=True, exist_ok=True)
    top = str(out_dir)
    made = {top}
    _put(os.path.join(top, MARKER), b"generated by qadocs; every file here is rewritten on each build\n", stats, made)
    _check_paths(plan, out_dir)
    for rel, text in plan.files.items():
        _put(os.path.join(top, rel), text.encode("utf-8"), stats, made)
    for rel, src in plan.assets.items():
        _copy(os.path.join(top, rel), src, stats, made)
    _remove_stale(out_dir, {MARKER, *plan.files, *plan.assets}, stats)
    return stats
