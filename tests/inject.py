"""A real `mkdocs build` in a process of its own, with a fault injected into qadocs' page builds.

    python tests/inject.py MODE ROOT [THREADS]

MODE: `none`; `workers` (pages whose `_unlucky` test holds raise in forked workers only);
`everywhere` (they log a warning, then raise, inside their build, in every process); `kill` (a worker building one of them dies, as the
kernel's out-of-memory killer would stop it); `slow` (as `everywhere`, and each page takes a
worker 2 s); `hang` (a worker's page never ends; the worker touches `ROOT/worker-started`). THREADS: that many idle threads run in the process
during the build (a fork is then refused). Prints one JSON line: the pages built in the build's
own process, the error (type and message, None when the build succeeded), the seconds the build
took, the child processes left, whether a fork happened (`os.register_at_fork`), and the seconds from
the last page that raised in this process to the end of the build.

Run as a script, so each build starts in a clean process: a test process may hold threads (a
browser's, pytest's) that make a fork unsafe, which is exactly what qadocs refuses to do.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path
from typing import Any


def inject(root: Path, mode: str, threads: int = 0, timeout: int = 300) -> dict[str, Any]:
    """This script run on `root` (a test's helper); its JSON line, with the process's stderr."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, __file__, mode, str(root), str(threads)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {**json.loads(proc.stdout.splitlines()[-1]), "stderr": proc.stderr}


def unlucky(src_uri: str) -> bool:
    """About one page in twenty, the same ones on every run."""
    return zlib.crc32(src_uri.encode("utf-8")) % 20 == 0


def main() -> None:
    mode, root = sys.argv[1], Path(sys.argv[2])
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    os.chdir(root)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from qadocs.plugin import prebuild

    parent, original, here, forks, failed = os.getpid(), prebuild.build_page, [], [], []
    os.register_at_fork(before=lambda: forks.append(1))

    def build_page(job: Any, page: Any, logs: Any = None) -> Any:
        if os.getpid() != parent and mode in ("hang", "slow"):
            (root / "worker-started").touch()
            time.sleep(3600 if mode == "hang" else 2)
        if unlucky(page.file.src_uri):
            if mode == "kill" and os.getpid() != parent:
                os._exit(9)
            if mode == "slow" or (mode == "workers" and os.getpid() != parent):
                failed.append(time.perf_counter())
                raise RuntimeError(f"no page today: {page.file.src_uri}")
        if os.getpid() == parent:
            here.append(page.file.src_uri)
        return original(job, page, logs)

    render = prebuild._render

    def fail_in_render(job: Any, page: Any) -> None:
        if mode == "everywhere" and unlucky(page.file.src_uri):  # inside the page's build: it logged first
            logging.getLogger("mkdocs.plugins.inject").warning(f"about to fail: {page.file.src_uri}")
            failed.append(time.perf_counter())
            raise RuntimeError(f"no page today: {page.file.src_uri}")
        render(job, page)

    prebuild.build_page = build_page  # inherited by the forked workers
    prebuild._render = fail_in_render
    stop = threading.Event()
    for _ in range(threads):
        threading.Thread(target=stop.wait, daemon=True).start()
    error = None
    start = time.perf_counter()
    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except BaseException as exc:
        error = [type(exc).__name__, str(exc)]
    finally:
        config.plugins.on_shutdown()
    end = time.perf_counter()
    seconds = end - start
    stop.set()
    children = len(multiprocessing.active_children())
    print(
        json.dumps(
            {
                "here": sorted(here),
                "error": error,
                "seconds": seconds,
                "children": children,
                "forked": bool(forks),
                "after_failure": end - failed[-1] if failed else None,
            }
        )
    )


if __name__ == "__main__":
    main()
