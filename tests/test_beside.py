"""`qadocs.beside`: work done in a forked copy while this process does something else, and the
first generation of a process reading its sources that way (same result, memos kept)."""

from __future__ import annotations

import multiprocessing
import os
import threading
from pathlib import Path

import pytest

import qadocs.build as build
import qadocs.split as split
from messy import make_collection
from qadocs import beside
from qadocs.beside import can_fork, run_beside
from qadocs.model import new_generation
from qadocs.options import Options

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this system: nothing runs beside"
)


@pytest.fixture
def alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test runner's own threads (pytest-xdist) would keep the work in this process."""
    monkeypatch.setattr(beside.threading, "active_count", lambda: 1)
    monkeypatch.setattr(beside, "_cores", lambda: 2)


def test_the_work_runs_in_a_copy_while_meanwhile_runs_here(alone: None) -> None:
    here = os.getpid()
    done: list[int] = []
    assert run_beside(os.getpid, lambda: done.append(os.getpid())) != here
    assert done == [here]


def test_one_process_asked_or_other_threads_keep_the_work_here(monkeypatch: pytest.MonkeyPatch, alone: None) -> None:
    assert can_fork(0) and can_fork(2)
    assert not can_fork(1)
    assert run_beside(os.getpid, lambda: None, processes=1) == os.getpid()
    monkeypatch.setattr(beside.threading, "active_count", lambda: 2)
    assert not can_fork(0)
    assert run_beside(os.getpid, lambda: None) == os.getpid()
    monkeypatch.setattr(beside.threading, "active_count", lambda: 1)
    monkeypatch.setattr(beside, "_cores", lambda: 1)
    assert not can_fork(0) and can_fork(2)  # asked for: a copy even on one core


def _fails_in_copy(here: int, how: str) -> object:
    if os.getpid() != here:
        if how == "raise":
            raise RuntimeError("only in the copy")
        if how == "die":
            os._exit(3)
        return lambda: None  # does not pickle
    return "done here"


@pytest.mark.parametrize("how", ["raise", "die", "unpicklable"])
def test_a_copy_that_fails_has_the_work_done_here(alone: None, how: str) -> None:
    here = os.getpid()
    assert run_beside(lambda: _fails_in_copy(here, how), lambda: None) == "done here"
    assert multiprocessing.active_children() == []


def test_an_error_of_the_work_is_raised_here(alone: None) -> None:
    calls: list[int] = []

    def work() -> None:
        calls.append(os.getpid())
        raise ValueError("bad input")

    with pytest.raises(ValueError, match="bad input"):
        run_beside(work, lambda: None)
    assert calls == [os.getpid()]  # the copy's call is not seen here; this one raised


def test_an_error_of_meanwhile_stops_the_copy(alone: None) -> None:
    started = threading.Event()

    def meanwhile() -> None:
        started.set()
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_beside(lambda: __import__("time").sleep(30), meanwhile)
    assert started.is_set()
    assert multiprocessing.active_children() == []


def _options(root: Path, jobs: int) -> Options:
    return Options(repo_root=root, content_dir=root / "content", imgs_dir=root / "imgs", jobs=jobs)


def test_a_first_generation_reads_beside_and_keeps_what_the_copy_worked_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alone: None
) -> None:
    make_collection(tmp_path, files=5)
    monkeypatch.setattr(build, "slugs_ready", lambda: False)  # as in a process's first generation
    ran_beside: list[int] = []
    real = build.run_beside
    monkeypatch.setattr(build, "run_beside", lambda *a: ran_beside.append(1) or real(*a))
    alone_result = build.generate(_options(tmp_path, jobs=1), None)
    new_generation()
    new_generation()  # nothing remembered from that one
    split_here: list[str] = []
    real_split = build.split_source
    monkeypatch.setattr(
        build, "split_source", lambda path, *a, **k: split_here.append(path) or real_split(path, *a, **k)
    )
    forked = build.generate(_options(tmp_path, jobs=0), None)
    assert ran_beside == [1, 1]
    assert split_here == []  # split in the copy
    assert forked.plan.files == alone_result.plan.files and forked.diagnostics == alone_result.diagnostics
    assert forked.plan.registry_text == alone_result.plan.registry_text
    monkeypatch.setattr(build, "slugs_ready", lambda: True)
    outlines: list[int] = []
    real_outline = split.read_outline
    monkeypatch.setattr(split, "read_outline", lambda lines: outlines.append(1) or real_outline(lines))
    build.generate(_options(tmp_path, jobs=0), None)
    assert split_here == []  # the copy's splits were kept in this process's memo
    assert outlines == []  # and its surveys: no file is read again
