"""A strict `mkdocs build` of content whose registry is behind fails, says why, and writes the
registry; built again (the registry now as the content needs it), it passes, also when the
page cache replays the first build's lines. The documented CI workflow commits a first registry."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import REPO, run_mkdocs
from repos import small_repo


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


def test_the_documented_ci_workflow_commits_a_first_registry(tmp_path: Path) -> None:
    """The main-branch step run as written, in a clone with no registry committed yet: the
    registry it writes is committed and pushed (git diff does not see an untracked file)."""
    workflow = yaml.safe_load((REPO / "docs" / "ci" / "qadocs-site.yml").read_text(encoding="utf-8"))
    [script] = [
        step["run"]
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if "registry update" in step.get("run", "") and "git push" in step["run"]
    ]
    remote, work, bin_dir = tmp_path / "remote.git", tmp_path / "work", tmp_path / "bin"
    small_repo(work)
    bin_dir.mkdir()
    shim = bin_dir / "qadocs"  # `qadocs` as installed: this checkout's CLI
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m qadocs.cli "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(REPO / "src"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }

    def git(*args: str, cwd: Path = work) -> str:
        done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
        return done.stdout

    git("init", "-q", "--bare", str(remote), cwd=tmp_path)
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "content")
    git("remote", "add", "origin", str(remote))
    git("push", "-q", "-u", "origin", "main")
    subprocess.run(["bash", "-e", "-c", script], cwd=work, env=env, check=True, capture_output=True)
    assert "content/qadocs-registry.yml" in git("ls-tree", "-r", "--name-only", "main", cwd=remote)
    assert git("status", "--porcelain") == ""
