"""The layout override outside front matter: `layout` in mkdocs.yml, read by the plugin and by the
CLI (`qadocs split` / `check`), and refused with a clear message when it is not understood."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qadocs.cli import config_layout, main
from qadocs.core.build import layout_rules
from qadocs.core.errors import QadocsError
from qadocs.core.split.layout import layout_for

# Level-3 headings under a topic, none numbered or asking: the rules read concept headings (the
# topic a question with an answer of its own, the two under it its follow-ups); the layout says
# the level-3 headings are the questions and the topic their chapter.
SOURCE = "# 推荐系统\n\n## 召回\n\n召回阶段。\n\n### 协同过滤\n\n共现。\n\n### 双塔召回\n\n两个塔。\n"
MKDOCS_YML = """site_name: t
docs_dir: build/docs
plugins:
  - qadocs:
      layout:
        "推荐/*.md": 3
        "other.md": page
markdown_extensions:
  - toc:
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds: {case: lower}
"""


def _repo(root: Path, config: str | None) -> Path:
    (root / "content" / "推荐").mkdir(parents=True)
    (root / "imgs").mkdir()
    (root / "content" / "推荐" / "系统.md").write_text(SOURCE, encoding="utf-8")
    if config is not None:
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


def test_first_matching_glob_wins() -> None:
    rules = layout_rules({"a/*.md": 3, "*.md": "page"})
    assert layout_for("a/b/c.md", rules) == 3  # `*` crosses folders
    assert layout_for("x.md", rules) == "page"
    assert layout_for("x.txt", rules) is None


@pytest.mark.parametrize("bad", [{"*.md": 7}, {"*.md": "pages"}, {"*.md": True}, ["*.md"], {1: 3}])
def test_bad_layout_is_refused_with_a_message(bad: object) -> None:
    with pytest.raises(QadocsError, match="layout"):
        layout_rules(bad)


def test_cli_reads_layout_from_mkdocs_yml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _repo(tmp_path, MKDOCS_YML)
    assert config_layout(root / "mkdocs.yml") == (("推荐/*.md", 3), ("other.md", "page"))
    assert main(["split", "--root", str(root), "-q"]) == 0
    questions = json.loads((root / "build" / "docs" / "questions.json").read_text(encoding="utf-8"))
    assert [q["title"] for q in questions] == ["协同过滤", "双塔召回"]


def test_cli_without_mkdocs_yml_uses_the_rules(tmp_path: Path) -> None:
    root = _repo(tmp_path, None)
    assert main(["split", "--root", str(root), "-q"]) == 0
    questions = json.loads((root / "build" / "docs" / "questions.json").read_text(encoding="utf-8"))
    assert [(q["title"], "follows" in q) for q in questions] == [
        ("召回", False),
        ("协同过滤", True),
        ("双塔召回", True),
    ]


def test_cli_refuses_a_bad_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _repo(tmp_path, MKDOCS_YML.replace('"other.md": page', '"other.md": seven'))
    assert main(["check", "--root", str(root)]) == 2
    assert "'seven' is neither a heading level (1 to 6) nor one of page, file, article" in capsys.readouterr().err


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
