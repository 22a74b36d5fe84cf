"""A strict `mkdocs build` of content whose registry is behind fails, says why, and writes the
registry; built again (the registry now as the content needs it), it passes, also when the
page cache replays the first build's lines."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, run_mkdocs


def test_a_strict_build_fails_once_on_a_stale_registry(tmp_path: Path) -> None:
    (tmp_path / "content" / "题库").mkdir(parents=True)
    (tmp_path / "imgs").mkdir()
    (tmp_path / "build" / "docs").mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    source = tmp_path / "content" / "题库" / "基础.md"
    source.write_text('<h2 id="1.a">1.什么是扩散模型？</h2>\n\n逐步去噪。\n', encoding="utf-8")
    first = run_mkdocs(tmp_path, "--strict")
    assert first.returncode == 1
    assert "WARNING -  content/qadocs-registry.yml:1:1: warning registry-stale there is no registry yet" in first.stderr
    assert "this build wrote it; commit it" in first.stderr
    assert (tmp_path / "content" / "qadocs-registry.yml").is_file()
    for _ in range(2):  # regenerated, then replayed from the page cache: the registry is up to date
        again = run_mkdocs(tmp_path, "--strict")
        assert again.returncode == 0, again.stderr[-2000:]
        assert "registry-stale" not in again.stderr
    # a question added: behind again, by one new question; a non-strict build still builds
    source.write_text(source.read_text(encoding="utf-8") + '\n<h2 id="2.b">2.什么是 VAE？</h2>\n\n变分。\n', "utf-8")
    third = run_mkdocs(tmp_path)
    assert third.returncode == 0
    assert "registry-stale the registry is behind the content (1 new)" in third.stderr
    assert (tmp_path / "site" / "index.html").is_file()
