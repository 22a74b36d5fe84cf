"""`mkdocs serve` regenerates pages when a source changes, and then settles (no reload loop)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")
PAGE = "ai-shipin-jichu/qing-jianshu-shipin-kuosan-moxing-de-qu-zao/"


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
        [str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        assert _wait_for(lambda: "去噪过程" in _get(base + PAGE), 90), "serve never came up"
        source = root / "content" / "AI视频基础" / "AI视频基础知识.md"
        text = source.read_text(encoding="utf-8")
        source.write_text(
            text.replace("这个逆向过程也是一个马尔可夫链。", "这个逆向过程也是一个马尔可夫链（已修改）。"),
            encoding="utf-8",
        )
        assert _wait_for(lambda: "马尔可夫链（已修改）" in _get(base + PAGE), 60), "page not regenerated"
        # an image added under the top-level imgs/ replaces the placeholder on the next build
        dit_page = base + "ai-shipin-jichu/shenme-dit-moxing/"
        assert "qadocs-missing-image" in _get(dit_page)
        (root / "imgs" / "DiT核心思想.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        assert _wait_for(lambda: "qadocs-missing-image" not in _get(dit_page), 60), "imgs/ change not picked up"
        assert "DiT%E6%A0%B8%E5%BF%83%E6%80%9D%E6%83%B3.png" in _get(dit_page)
        time.sleep(4)  # let any follow-up rebuild triggered by the generated files start
        builds = log.name and Path(log.name).read_text(encoding="utf-8").count("Building documentation")
        time.sleep(6)
        later = Path(log.name).read_text(encoding="utf-8").count("Building documentation")
        assert later == builds, "serve keeps rebuilding: generated files trigger new builds"
        assert builds <= 5, f"{builds} builds for two changes"
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
    for mode in ("placeholder", "error"):
        (root / "mkdocs.yml").write_text(
            config.replace("missing_images: placeholder", f"missing_images: {mode}"), encoding="utf-8"
        )
        proc = subprocess.run([str(MKDOCS), "build", "--strict"], cwd=root, env=env, capture_output=True, text=True)
        results[mode] = proc
        assert "a.md:3:" in proc.stderr and "image-missing" in proc.stderr
    assert results["placeholder"].returncode == 0
    assert results["error"].returncode == 1
