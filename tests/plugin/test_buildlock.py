"""`qadocs.plugin.buildlock`: one build of a repository at a time; the lock goes with the process
that held it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from qadocs.plugin.buildlock import BuildLock, LockError

HOLDER = """
import sys
from pathlib import Path
from qadocs.plugin.buildlock import BuildLock
lock = BuildLock(Path(sys.argv[1]), Path(sys.argv[1]) / "c")
lock.acquire(print)
print("held", flush=True)
sys.stdin.read()
"""


def test_one_build_of_a_repository_at_a_time(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        said: list[str] = []
        second = BuildLock(tmp_path, tmp_path / "c")
        with pytest.raises(LockError, match=re.escape("another build of this repository has held c/build.lock")):
            second.acquire(said.append, wait_max=0.5)
        assert len(said) == 1 and "waiting for another build" in said[0]
    finally:
        holder.kill()  # however a build ends, its lock goes with it
        holder.wait()
    second.acquire(said.append, wait_max=5)
    second.release()
    (tmp_path / "d").symlink_to(tmp_path / "c", target_is_directory=True)
    with pytest.raises(LockError, match="d is a symbolic link"):
        BuildLock(tmp_path, tmp_path / "d").acquire(said.append)
