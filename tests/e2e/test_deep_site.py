"""Depth that exhausts a recursion, through a real `mkdocs build`: `<div markdown="1">` blocks nested
hundreds deep and a source hundreds of folders deep build, each reported at its line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import REPO, commit_registry, run_mkdocs
from repos import DEEP_DIVS
from repos import deep_repo as _deep_repo
from repos import deep_source as _source


def test_deep_blocks_and_folders_build_with_mkdocs(tmp_path: Path) -> None:
    """A real `mkdocs build --strict` with the project's mkdocs.yml (Material's recursive nav)."""
    _deep_repo(tmp_path)
    (tmp_path / "content" / "嵌套.md").write_text(_source(DEEP_DIVS), encoding="utf-8")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "build" / "docs").mkdir(parents=True)
    (tmp_path / "build" / "docs" / ".qadocs-generated").touch()
    commit_registry(tmp_path)
    proc = run_mkdocs(tmp_path, "--strict")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "RecursionError" not in proc.stderr
    questions = json.loads((tmp_path / "site" / "questions.json").read_text(encoding="utf-8"))
    assert len(questions) == 6
    deep_page = next(q for q in questions if q["title"] == "什么是深嵌套？")["url"].strip("/")
    assert "<p>深处的文字</p>" in (tmp_path / "site" / deep_page / "index.html").read_text(encoding="utf-8")
