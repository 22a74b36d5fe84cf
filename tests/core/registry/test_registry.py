"""The registry through `generate()`: the committed registry matches the demo content, one title in
two sources gets two ids, a broken registry is reported and left alone, edited and deleted
questions keep their URLs, and a bad hand-edited id is reported at its line and kept. The
scenarios that follow every URL after an edit are in tests/e2e/test_links_last.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qadocs.core.build import generate
from qadocs.core.errors import ContentError
from qadocs.core.options import REGISTRY_NAME
from qadocs.core.plan.site import Options

REPO = Path(__file__).resolve().parents[3]


def test_committed_registry_matches_the_content(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "content", root / "content")
    (root / "imgs").mkdir()
    result = generate(Options(root, root / "content", root / "imgs"), root / "out")
    assert result.plan.changes == [], "content/qadocs-registry.yml is stale: run `make split` and commit it"
    assert (root / "content" / REGISTRY_NAME).read_bytes() == (REPO / "content" / REGISTRY_NAME).read_bytes()


def test_same_title_in_two_sources_gets_two_ids(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "content" / "甲").mkdir(parents=True)
    (root / "content" / "乙").mkdir(parents=True)
    (root / "imgs").mkdir()
    (root / "content" / "甲" / "a.md").write_text('<h2 id="1.什么是RAG？">1.什么是RAG？</h2>\n\n检索。\n', "utf-8")
    (root / "content" / "乙" / "b.md").write_text('<h2 id="1.什么是RAG？">1.什么是RAG？</h2>\n\n生成。\n', "utf-8")
    result = generate(Options(root, root / "content", root / "imgs"), root / "out")
    ids = [q["id"] for q in result.plan.questions]
    assert len(ids) == 2 and len(set(ids)) == 2


@pytest.mark.parametrize("bad", ["questions: [", "questions:\n- title: no id\n"])
def test_broken_registry_is_reported_and_left_alone(tmp_path: Path, bad: str) -> None:
    root = tmp_path / "repo"
    (root / "content").mkdir(parents=True)
    (root / "imgs").mkdir()
    (root / "content" / "a.md").write_text('<h2 id="1.题">1.题</h2>\n\n答。\n', encoding="utf-8")
    (root / "content" / REGISTRY_NAME).write_text(bad, encoding="utf-8")
    opts = Options(root, root / "content", root / "imgs")
    with pytest.raises(ContentError) as exc:  # a build would hand out fresh URLs: it stops instead
        generate(opts, root / "out")
    assert exc.value.diagnostic.code == "registry-invalid" and not (root / "out").exists()
    result = generate(opts, None)  # a check reports it and goes on
    assert [d.code for d in result.diagnostics] == ["registry-invalid"]
    assert result.diagnostics[0].path == REGISTRY_NAME and result.diagnostics[0].line >= 1
    assert (root / "content" / REGISTRY_NAME).read_text(encoding="utf-8") == bad
    assert len(result.plan.questions) == 1


def _one(root: Path, title: str, answer: str) -> str:
    (root / "content" / "a.md").write_text(f'<h2 id="1.{title}">1.{title}</h2>\n\n{answer}\n', encoding="utf-8")
    result = generate(Options(root, root / "content", root / "imgs"), root / "out")
    [entry] = result.plan.questions
    return str(entry["url"])


@pytest.mark.parametrize(
    ("title", "answer", "same"),
    [
        ("什么是扩散模型的反向过程？", "反向过程逐步去噪，得到样本。", True),  # unchanged
        ("什么是扩散模型的逆向过程？", "反向过程逐步去噪，得到样本。", True),  # title edited, same answer
        ("什么是扩散模型的反向过程？", "完全重写的答案。", True),  # same title, new answer
        ("什么是扩散模型的反向过程呢？", "完全重写的答案。", True),  # both edited, title ≥ 80 %
        ("如何评价 Sora？", "完全重写的答案。", False),  # a different question
    ],
)
def test_registry_recognises_edited_questions(tmp_path: Path, title: str, answer: str, same: bool) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "imgs").mkdir()
    first = _one(tmp_path, "什么是扩散模型的反向过程？", "反向过程逐步去噪，得到样本。")
    assert (_one(tmp_path, title, answer) == first) is same


def test_deleted_question_that_comes_back_gets_its_url(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "imgs").mkdir()
    first = _one(tmp_path, "什么是LoRA？", "低秩适配。")
    _one(tmp_path, "完全不同的问题", "别的答案。")
    assert _one(tmp_path, "什么是LoRA？", "低秩适配。") == first


def test_bad_hand_edited_id_is_reported_at_its_line_and_kept(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "imgs").mkdir()
    first = _one(tmp_path, "什么是LoRA？", "低秩适配。")
    path = tmp_path / "content" / REGISTRY_NAME
    text = path.read_text(encoding="utf-8")
    line = text.split("\n").index(f"- id: {first.strip('/').rsplit('/', 1)[-1]}") + 1
    path.write_text(text.replace("- id: ", "- id: Not An Id ", 1), encoding="utf-8")
    result = generate(Options(tmp_path, tmp_path / "content", tmp_path / "imgs"), tmp_path / "out")
    assert [(d.code, d.line) for d in result.diagnostics] == [("registry-bad-id", line)]
    assert result.plan.questions[0]["url"] == first
