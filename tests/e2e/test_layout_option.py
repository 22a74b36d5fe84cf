"""`layout` in mkdocs.yml read by the plugin in a real `mkdocs build`, and refused with a clear
message when it is not understood."""

from __future__ import annotations

import json
from pathlib import Path

from repos import LAYOUT_MKDOCS_YML as MKDOCS_YML
from repos import layout_repo as _repo


def _mkdocs(root: Path) -> tuple[int, str]:
    import os
    import subprocess

    from conftest import MKDOCS

    (root / "build" / "docs").mkdir(parents=True, exist_ok=True)  # MkDocs checks docs_dir exists
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    proc = subprocess.run([str(MKDOCS), "build"], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stderr


def test_plugin_reads_layout(tmp_path: Path) -> None:
    root = _repo(tmp_path, MKDOCS_YML)
    code, err = _mkdocs(root)
    assert code == 0, err
    questions = json.loads((root / "site" / "questions.json").read_text(encoding="utf-8"))
    assert [q["title"] for q in questions] == ["协同过滤", "双塔召回"]


def test_plugin_refuses_a_bad_layout(tmp_path: Path) -> None:
    root = _repo(tmp_path, MKDOCS_YML.replace(": 3", ": 9"))
    code, err = _mkdocs(root)
    assert code != 0
    assert (
        "plugins: qadocs: layout: '推荐/*.md': 9 is neither a heading level (1 to 6) nor one of page, file, article, bold, list, fold"
        in err
    )
    assert "Traceback" not in err
