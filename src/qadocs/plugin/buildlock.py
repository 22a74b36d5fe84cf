"""One build of a repository at a time: two at once (two CI jobs on one workspace, a `mkdocs
build` beside `mkdocs serve`) would write the same generated folder, the same site dir and the
same cache. A build holds an exclusive lock on a file in the cache folder from its configuration
to its end; another build waits for it, saying so, and gives up after `WAIT_MAX` seconds with a
clear error. The lock is a POSIX record lock (`lockf`): the kernel releases it when the build's
process ends, however it ends, and a forked page worker never holds it (record locks belong to a
process and are not inherited). Plain Python, no MkDocs."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on POSIX: builds are not kept apart
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "build.lock"
WAIT_MAX = 600.0  # seconds a build waits for another one of the same repository
POLL = 0.2  # seconds between two tries


class LockError(Exception):
    """The lock could not be taken (another build held it too long, or its file is not ours)."""


class BuildLock:
    """The lock of one repository's builds, in `folder` (inside `root`)."""

    def __init__(self, root: Path, folder: Path) -> None:
        self.root, self.path = root.resolve(), folder / LOCK_NAME
        self.fd: int | None = None

    def acquire(self, say: Callable[[str], None], wait_max: float = WAIT_MAX) -> None:
        """Take the lock, waiting for another build that holds it (`say` tells once that this
        one waits). Raises `LockError` after `wait_max` seconds, or when the lock file is reached
        through a link or is no plain file."""
        if fcntl is None or self.fd is not None:
            return
        try:
            self._make_folder()
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as exc:
            raise LockError(f"cannot open {self._shown()}: {exc.strerror}") from exc
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise LockError(f"{self._shown()} is not a plain file")
        start = time.monotonic()
        told = False
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:  # EACCES or EAGAIN: held by another process
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    os.close(fd)
                    raise LockError(f"cannot lock {self._shown()}: {exc.strerror}") from exc
                if time.monotonic() - start > wait_max:
                    os.close(fd)
                    raise LockError(
                        f"another build of this repository has held {self._shown()} for {wait_max:.0f} s; "
                        "stop it, or build again when it is done"
                    ) from None
                if not told:
                    say(f"qadocs: waiting for another build of this repository to finish ({self._shown()})")
                    told = True
                time.sleep(POLL)
        self.fd = fd

    def release(self) -> None:
        """Let the next build go (closing the file releases the lock)."""
        fd, self.fd = self.fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def _make_folder(self) -> None:
        """The lock's folder, made inside the repository through no link."""
        folder = self.path.parent
        if not folder.resolve().is_relative_to(self.root):
            raise LockError(f"{folder} is outside the repository")
        here = self.root
        for part in folder.relative_to(self.root).parts if folder.is_relative_to(self.root) else ():
            here = here / part
            if here.is_symlink():
                raise LockError(f"{here.relative_to(self.root)} is a symbolic link")
        folder.mkdir(parents=True, exist_ok=True)

    def _shown(self) -> str:
        try:
            return self.path.relative_to(self.root).as_posix()
        except ValueError:
            return str(self.path)
