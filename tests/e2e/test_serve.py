"""`mkdocs serve` regenerates pages when a source changes, and then settles (no reload loop)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import commit_registry

REPO = Path(__file__).resolve().parents[2]


MKDOCS = Path(sys.executable).with_name("mkdocs")


PAGE = "ai-shipin-jichu/qing-jianshu-shipin-kuosan-moxing-de-qu-zao/"


NEIGHBOUR_TITLE = "视频扩散模型在处理时间动态方面有哪些主要方法"  # the next question: in PAGE's sidebar and footer


FORKED = "QADOCS-TEST-FORKED"


# `mkdocs` run by this Python, saying on stderr whenever the process forks (`os.register_at_fork`:
# a fork from Python, as `multiprocessing` makes; not the fork-and-exec of `subprocess`).
SERVE_TELLING_FORKS = [
    sys.executable,
    "-c",
    "import os, sys\n"
    f"os.register_at_fork(before=lambda: os.write(2, b'{FORKED}\\n'))\n"
    "from mkdocs.__main__ import cli\n"
    "sys.argv[0] = 'mkdocs'\n"
    "cli()\n",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return str(resp.read().decode("utf-8"))


def _wait_for(predicate, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def _builds_settle(log: Path) -> int:
    """The number of builds so far, once none has started for 3 s (a follow-up build triggered by
    the generated files would start within a second of the one before)."""
    count = log.read_text(encoding="utf-8").count("Building documentation")
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 3:
        time.sleep(0.2)
        now = log.read_text(encoding="utf-8").count("Building documentation")
        if now != count:
            count, quiet_since = now, time.monotonic()
    return count


def test_serve_rebuilds_on_content_change_and_settles(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "content", root / "content")
    (root / "imgs").mkdir()
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "build" / "docs").mkdir(parents=True)
    shutil.copy2(REPO / "build" / "docs" / ".qadocs-generated", root / "build" / "docs")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(
        [*SERVE_TELLING_FORKS, "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],  # as `make serve`
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        assert _wait_for(lambda: "去噪过程" in _get(base + PAGE), 90), "serve never came up"
        registry = root / "content" / "qadocs-registry.yml"
        registry_before = registry.read_bytes()
        source = root / "content" / "AI视频基础" / "AI视频基础知识.md"
        text = source.read_text(encoding="utf-8")
        source.write_text(
            text.replace("这个逆向过程也是一个马尔可夫链。", "这个逆向过程也是一个马尔可夫链（已修改）。"),
            encoding="utf-8",
        )
        assert _wait_for(lambda: "马尔可夫链（已修改）" in _get(base + PAGE), 60), "page not regenerated"
        assert _builds_settle(Path(log.name)) == 2, "one edit, one build after the first"
        # a retitled question: its neighbour's sidebar and footer show the new title (dirty builds
        # rebuild the pages whose navigation changed, not only the edited one)
        before = source.read_text(encoding="utf-8")
        title = NEIGHBOUR_TITLE
        assert title in _get(base + PAGE) and before.count(title) >= 1
        source.write_text(before.replace(title, title + "（改名）"), encoding="utf-8")
        assert _wait_for(lambda: title + "（改名）" in _get(base + PAGE), 60), "neighbour's navigation is stale"
        assert _builds_settle(Path(log.name)) == 3
        assert registry.read_bytes() == registry_before, "serve wrote the registry"
        # an image added under the top-level imgs/ replaces the placeholder on the next build
        dit_page = base + "ai-shipin-jichu/shenme-dit-moxing/"
        assert "qadocs-missing-image" in _get(dit_page)
        (root / "imgs" / "DiT核心思想.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        assert _wait_for(lambda: "qadocs-missing-image" not in _get(dit_page), 60), "imgs/ change not picked up"
        assert "DiT%E6%A0%B8%E5%BF%83%E6%80%9D%E6%83%B3.png" in _get(dit_page)
        assert _builds_settle(Path(log.name)) == 4, "serve keeps rebuilding: generated files trigger new builds"
        assert FORKED not in Path(log.name).read_text(encoding="utf-8"), "serve forked (its threads were running)"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def test_missing_images_option_decides_strict(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "content").mkdir(parents=True)
    (root / "imgs").mkdir()
    (root / "build" / "docs").mkdir(parents=True)  # MkDocs checks docs_dir exists before plugins run
    (root / "content" / "a.md").write_text('<h2 id="1.题">1.题</h2>\n\n![图](imgs/none.png)\n', encoding="utf-8")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "missing_images: placeholder" in config
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    results = {}
    commit_registry(root)
    for mode in ("placeholder", "error"):
        (root / "mkdocs.yml").write_text(
            config.replace("missing_images: placeholder", f"missing_images: {mode}"), encoding="utf-8"
        )
        proc = subprocess.run([str(MKDOCS), "build", "--strict"], cwd=root, env=env, capture_output=True, text=True)
        results[mode] = proc
        assert "a.md:3:" in proc.stderr and "image-missing" in proc.stderr
    assert results["placeholder"].returncode == 0
    assert results["error"].returncode == 1


# `mkdocs` with Ctrl-C (SIGINT) as a terminal delivers it: a test run started in the background
# of a shell without job control inherits SIGINT ignored, and so would the server.
SERVE_CTRL_C = [
    sys.executable,
    "-c",
    "import signal, sys\n"
    "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
    "from mkdocs.__main__ import cli\n"
    "sys.argv[0] = 'mkdocs'\n"
    "cli()\n",
]


def test_serve_comes_up_and_stops_with_a_loop_of_folder_links(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "content" / "s").mkdir(parents=True)
    (root / "content" / "s" / "a.md").write_text("## 1. 第一题？\n\n答。\n", encoding="utf-8")
    (root / "content" / "s" / "loop").symlink_to(root / "content" / "s", target_is_directory=True)
    (root / "content" / "s" / "up").symlink_to(root / "content" / "s", target_is_directory=True)
    (root / "imgs").mkdir()
    (root / "build" / "docs").mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    proc = subprocess.Popen(
        [*SERVE_CTRL_C, "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        assert _wait_for(lambda: "第一题" in _get(f"http://127.0.0.1:{port}/"), 90), "serve never came up"
        (root / "content" / "s" / "a.md").write_text("## 1. 第一题？\n\n改过的答。\n", encoding="utf-8")
        page = f"http://127.0.0.1:{port}/s/diyi-ti/"
        assert _wait_for(lambda: "改过的答" in _get(page), 60), "an edit is seen through the folder watched alone"
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            stopped = proc.wait(timeout=30) is not None
        except subprocess.TimeoutExpired:
            stopped = False
        proc.kill()
        log.close()
    assert stopped, "Ctrl-C stops it"
    assert "folders are watched one by one" in (tmp_path / "serve.log").read_text(encoding="utf-8")
