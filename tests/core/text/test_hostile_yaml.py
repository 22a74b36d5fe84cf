"""YAML the safe loader cannot read, in a source's front matter and in the registry: each is a
diagnostic at its line, never a traceback, and the rest of the collection still builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from qadocs.cli import main
from qadocs.core.build import generate
from qadocs.core.options import REGISTRY_NAME
from qadocs.core.plan.site import Options
from qadocs.core.registry.entries import parse_registry
from qadocs.core.split.questions import split_source
from qadocs.core.text.yamlread import MAX_YAML_DEPTH, SHOWN_MAX, shown

QUESTIONS = "## 1. 什么是扩散模型？\n\n逐步去噪。\n\n## 2. 什么是 VAE？\n\n变分自编码器。\n"


# Values YAML's grammar accepts and the safe loader's constructors cannot build, each on line 3.
UNBUILDABLE = {
    "month-13": "date: 2024-13-45",
    "float-tag": "x: !!float abc",
    "offset-past-24h": "t: 2024-01-01 10:00:00+99:00",
    "int-tag": "n: !!int abc",
}


def _alias_bomb(levels: int) -> str:
    """YAML of a few hundred bytes whose value, expanded, holds 9**levels items."""
    lines = ["qadocs:", "  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 9) + "]" for k in range(1, levels)]
    return "\n".join(lines)


@pytest.mark.parametrize("value", list(UNBUILDABLE.values()), ids=list(UNBUILDABLE))
def test_front_matter_the_loader_cannot_build_is_a_warning_at_its_line(value: str) -> None:
    src = split_source("a.md", f"---\ntitle: 题库\n{value}\n---\n\n{QUESTIONS}")
    [diag] = [d for d in src.diagnostics if d.code == "front-matter-invalid"]
    assert (diag.line, diag.severity) == (3, "warning")
    assert value.split(": ", 1)[1].split()[-1] in diag.message
    assert [q.title for q in src.questions] == ["什么是扩散模型？", "什么是 VAE？"]
    assert src.meta_lines == [1, 2, 3, 4]  # still front matter: never content


@pytest.mark.parametrize(
    ("yaml_text", "line", "why"),
    [
        (_alias_bomb(9), 4, "alias"),
        ("d: " + "[" * 2000 + "]" * 2000, 2, f"more than {MAX_YAML_DEPTH}"),
        ("d:\n" + "".join("  " * k + f"k{k}:\n" for k in range(1, 40)), 2 + MAX_YAML_DEPTH, "nests"),
    ],
    ids=["alias-bomb", "deep-flow", "deep-block"],
)
def test_front_matter_bombs_are_refused_before_anything_walks_them(yaml_text: str, line: int, why: str) -> None:
    src = split_source("a.md", f"---\n{yaml_text}\n---\n\n{QUESTIONS}")
    [diag] = [d for d in src.diagnostics if d.code == "front-matter-invalid"]
    assert diag.line == line and why in diag.message and len(diag.message) < 300
    assert len(src.questions) == 2


def test_a_layout_not_understood_is_shown_short() -> None:
    """A big `qadocs:` value (a few thousand items, no alias) is quoted as an excerpt."""
    items = ", ".join(f"item{k}" for k in range(3000))
    src = split_source("a.md", f"---\nqadocs: [{items}]\n---\n\n{QUESTIONS}")
    [diag] = [d for d in src.diagnostics if d.code == "layout-invalid"]
    assert "item0" in diag.message and "item2999" not in diag.message and len(diag.message) < 400


def test_shown_is_bounded_for_any_value() -> None:
    nested: list[object] = ["x"] * 9
    for _ in range(12):  # 9**13 items if walked: only the first few of each level are
        nested = [nested] * 9
    assert len(shown(nested)) <= SHOWN_MAX and len(shown("字" * 10_000)) <= SHOWN_MAX
    assert shown({"questions": 3}) == "{'questions': 3}"


def _repo(tmp_path: Path) -> Options:
    (tmp_path / "content" / "题库").mkdir(parents=True)
    (tmp_path / "imgs").mkdir()
    (tmp_path / "content" / "题库" / "基础.md").write_text(QUESTIONS, encoding="utf-8")
    return Options(tmp_path, tmp_path / "content", tmp_path / "imgs")


def test_check_and_split_report_front_matter_and_build_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opts = _repo(tmp_path)
    for name, value in UNBUILDABLE.items():
        (opts.content_dir / f"{name}.md").write_text(f"---\n{value}\n---\n\n## 1. {name}？\n\n答。\n", encoding="utf-8")
    assert main(["check", "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for name in UNBUILDABLE:
        assert f"content/{name}.md:2:1: warning front-matter-invalid" in out
    assert f"{len(UNBUILDABLE) + 1} files, {len(UNBUILDABLE) + 2} questions" in out
    assert main(["split", "--root", str(tmp_path), "--out", "out"]) == 0
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("value", list(UNBUILDABLE.values()), ids=list(UNBUILDABLE))
def test_registry_values_the_loader_cannot_build_are_registry_invalid(value: str) -> None:
    raw = value.split(": ", 1)[1]
    text = (
        "questions:\n- id: a\n  url: sec/a\n  title: 甲\n  answer: x\n  source: a.md\n"
        f"- id: b\n  url: sec/b\n  title: {raw}\n  answer: x\n  source: a.md\ndeleted: []\n"
    )
    reg, [diag] = parse_registry(text, "content/qadocs-registry.yml")
    assert reg is None and (diag.code, diag.severity, diag.line) == ("registry-invalid", "error", 9)
    assert raw.split()[-1] in diag.message


def test_registry_value_stops_split_and_the_preview_builds_without_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opts = _repo(tmp_path)
    registry = opts.content_dir / REGISTRY_NAME
    registry.write_text("questions:\n- id: a\n  url: sec/a\n  title: 2024-13-45\n", encoding="utf-8")
    assert main(["check", "--root", str(tmp_path)]) == 1
    assert f"content/{REGISTRY_NAME}:4:1: error registry-invalid" in capsys.readouterr().out
    assert main(["split", "--root", str(tmp_path), "--out", "out"]) == 1
    assert "Traceback" not in capsys.readouterr().err
    preview = generate(opts, tmp_path / "out", write_registry=False)  # what `mkdocs serve` does
    assert len(preview.plan.questions) == 2 and "registry-invalid" in [d.code for d in preview.diagnostics]
