"""Work done in a forked copy of this process while this process does something else.

A build's first generation waits on two things that do not depend on each other: reading the
registry and the sources, splitting and checking them; and loading jieba's dictionary, which
the slugs need next (0.6 s, as long as the rest together at 1,500 questions). With a second core
they run at once: a fork of the process does the work and sends its result back, pickled, while
this process does the other thing.

The result is the same either way. Whenever forking is not safe or not worth it (no `fork` on
this system, other threads running, one core, one process asked for), or the copy fails in any
way (an error, killed, a result that does not pickle), the work is done here, after the other
thing: an error is then raised here, as if there had been no copy.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

T = TypeVar("T")
IDLE_NICE = 19  # added to a copy's niceness when it is to use only a core nothing else wants
_DONE = b"="  # what starts the message of a copy whose work returned (the pickled result follows)


def can_fork(processes: int) -> bool:
    """Whether a copy may run beside this process: `processes` (0: as many as there are cores
    this process may use) above one, `fork` available, and no other thread (a fork copies only
    the thread that calls it, with whatever locks the others held)."""
    if worker_count(processes) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    return threading.active_count() == 1


def worker_count(jobs: int) -> int:
    """`jobs` from the configuration, or (0) the cores this process may use."""
    return jobs if jobs > 0 else _cores()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Copy:
    """A forked copy of this process at work on one function; `result()` takes what it returned."""

    def __init__(self, work: Callable[[], object], idle: bool = False) -> None:
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_work_in_copy, args=(work, send, idle), daemon=True)
        self.process.start()
        send.close()

    def result(self, wait: bool = True) -> tuple[bool, Any]:
        """(True, what the work returned), waiting for it; (False, None) when the copy failed, or
        (`wait=False`) has not sent its result yet (it is then stopped)."""
        message = b""
        with contextlib.suppress(EOFError, OSError):  # the copy died before it sent anything
            if wait or self.receive.poll():
                message = self.receive.recv_bytes()
        self.stop()
        if message.startswith(_DONE):
            try:
                return True, pickle.loads(message[len(_DONE) :])
            except Exception:  # a result that does not load here is as good as none
                pass
        return False, None

    def stop(self) -> None:
        """End the copy (if it is still at work) and wait for it."""
        self.receive.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def start_copy(work: Callable[[], object], processes: int = 0, idle: bool = False) -> Copy | None:
    """A copy at work on `work()` when `can_fork(processes)`, else None; `idle`: at the lowest
    priority, so that it runs only on a core nothing else wants."""
    return Copy(work, idle) if can_fork(processes) else None


def run_beside(work: Callable[[], T], meanwhile: Callable[[], object], processes: int = 0) -> T:
    """`meanwhile()`, then `work()`'s result, the work done in a forked copy while `meanwhile`
    runs here when `can_fork(processes)`, else here (see the module doc)."""
    copy = start_copy(work, processes)
    try:
        meanwhile()
    except BaseException:
        if copy is not None:
            copy.stop()
        raise
    done, value = copy.result() if copy is not None else (False, None)
    return cast(T, value) if done else work()


def _work_in_copy(work: Callable[[], Any], send: Any, idle: bool) -> None:
    """In the copy: send `work()`'s pickled result, or a message without one if anything failed."""
    if idle:
        with contextlib.suppress(OSError):
            os.nice(IDLE_NICE)
    try:
        message = _DONE + pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # the work is done again in the build's own process
        message = b"!"
    send.send_bytes(message)
    send.close()
