"""Targeted unit tests: imports, anchors, front matter, math, CLI, writer, path safety."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml

from qadocs.cli import main
from qadocs.core.build import generate
from qadocs.core.plan.site import Options, front_matter
from qadocs.core.text.anchors import AnchorIndex, anchor_forms, github_slug
from qadocs.core.text.slug import MAX_SLUG, slugify

REPO = Path(__file__).resolve().parents[3]


def test_core_imports_without_mkdocs() -> None:
    """Every module of qadocs.core, and the command line, imported in a fresh interpreter: none of
    them brings in mkdocs, Python-Markdown, Jinja or multiprocessing."""
    code = (
        "import sys, pkgutil, importlib, qadocs.core, qadocs.cli;"
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(qadocs.core.__path__, 'qadocs.core.')];"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in"
        " {'mkdocs', 'markdown', 'pymdownx', 'jinja2', 'multiprocessing'});"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("link", "found"),
    [
        ("#5.简要解释下什么是扩散模型？", True),
        ("#user-content-5.简要解释下什么是扩散模型？", True),
        (
            "#5%E7%AE%80%E8%A6%81%E8%A7%A3%E9%87%8A%E4%B8%8B%E4%BB%80%E4%B9%88%E6%98%AF%E6%89%A9%E6%95%A3"
            "%E6%A8%A1%E5%9E%8B",
            True,
        ),
        ("5简要解释下什么是扩散模型", True),
        ("#6.详细阐述Parameter-EfficientFine-Tuning（PEFT）", False),
        ("#4.不存在", False),
    ],
)
def test_anchor_forms_find_the_question(link: str, found: bool) -> None:
    index: AnchorIndex[str] = AnchorIndex()
    index.add(anchor_forms("5.简要解释下什么是扩散模型？", "5.简要解释下什么是扩散模型？"), "q5")
    index.add(
        anchor_forms(
            "6.详细阐述Parameter-Efficient Fine-Tuning（PEFT）技术",
            "6.详细阐述Parameter-Efficient Fine-Tuning（PEFT）技术",
        ),
        "q6",
    )
    assert (index.find(link) == "q5") is found


def test_anchor_spaces_removed_or_dashed_resolve() -> None:
    index: AnchorIndex[str] = AnchorIndex()
    index.add(anchor_forms("6.详细阐述Parameter-Efficient Fine-Tuning（PEFT）技术", "x"), "q6")
    assert index.find("#6.详细阐述Parameter-EfficientFine-Tuning（PEFT）技术") == "q6"
    assert index.find("#6.详细阐述Parameter-Efficient-Fine-Tuning（PEFT）技术") == "q6"


def test_github_slug_drops_punctuation() -> None:
    assert github_slug("1.说一下什么是AI视频，包括哪些关键技术?") == "1说一下什么是ai视频包括哪些关键技术"
    assert github_slug("2.RAG 的流程") == "2rag-的流程"


def test_slug_is_ascii_short_and_stable() -> None:
    title = "在视频生成模型训练中，LoRA(Low-Rank-Adaptation)相比全参数微调有哪些优势？"
    # pinyin word by word, latin words kept, cut at a word boundary within MAX_SLUG characters
    assert slugify(title) == "zai-shipin-shengcheng-moxing-xunlian-zhong-lora"
    assert len(slugify(title)) <= MAX_SLUG


@pytest.mark.parametrize(
    "title",
    [
        "a: b",
        "# 不是注释",
        "'单引号' \"双引号\"",
        "---",
        "x: [1, 2]",
        "yes",
        "1.5",
        "<img src=x onerror=alert(1)>",
        "a < b && c > d",
        "&lt;已转义&gt;",
    ],
)
def test_front_matter_round_trips(title: str) -> None:
    """Front matter is HTML text (engines insert it unescaped): no markup survives, unescaping gives the title."""
    block = front_matter({"title": title, "chapter": [title, "第一章：基础"], "number": 5})
    assert block.startswith("---\n") and block.endswith("---\n\n")
    meta = yaml.safe_load(block.split("---\n")[1])
    assert html.unescape(meta["title"]) == title and [html.unescape(c) for c in meta["chapter"]] == [
        title,
        "第一章：基础",
    ]
    assert meta["number"] == 5
    for value in (meta["title"], *meta["chapter"]):
        assert not set("<>\"'") & set(value), value


def _md(text: str) -> str:
    return markdown.markdown(
        text,
        extensions=["pymdownx.arithmatex", "qadocs.extensions.mathml"],
        extension_configs={"pymdownx.arithmatex": {"generic": True, "smart_dollar": False}},
    )


def test_math_becomes_mathml() -> None:
    out = _md("噪声 $ x_T $ 与 $x_0$\n\n$$\n\\frac{a}{b}\n$$\n")
    assert out.count("<math") == 3
    assert "arithmatex-error" not in out


def test_bad_tex_is_shown_not_raised() -> None:
    out = _md("坏公式 $\\frac{a}{$ 结束")
    assert "arithmatex-error" in out and "<math" not in out


def _demo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "imgs").mkdir(parents=True)
    os.symlink(REPO / "content", repo / "content")
    return repo


def test_cli_split_writes_pages_and_only_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    (repo / "imgs").mkdir(parents=True)
    import shutil

    shutil.copytree(REPO / "content", repo / "content")
    assert main(["split", "--root", str(repo)]) == 0
    out = repo / "build" / "docs"
    questions = json.loads((out / "questions.json").read_text(encoding="utf-8"))
    assert len(questions) == 131
    keys = {"id", "title", "url", "number", "source", "source_url", "source_line", "chapter", "anchors"}
    assert all(keys <= set(q) for q in questions)
    pages = [
        p for p in out.rglob("index.md") if yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1]).get("id")
    ]
    assert len(pages) == 131
    for page in pages:
        meta = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n")[1])
        for key in ("id", "title", "number", "source", "source_line", "anchors", "chapter", "order"):
            assert key in meta, (page, key)
        assert meta["id"].isascii() and meta["anchors"]
    first = capsys.readouterr().out
    assert "131 questions" in first
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert main(["split", "--root", str(repo)]) == 0
    assert "0 written" in capsys.readouterr().out
    assert mtimes == {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    # a stale page from an earlier run is removed
    (out / "stale").mkdir()
    (out / "stale" / "index.md").write_text("old", encoding="utf-8")
    assert main(["split", "--root", str(repo)]) == 0
    assert not (out / "stale").exists()


def test_cli_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "split" in capsys.readouterr().out
    assert main([]) == 2
    assert main(["split", "--root", str(tmp_path), "--content", "nope"]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text('<h2 id="1.a">1.a</h2>\n\nb\n', encoding="utf-8")
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep", encoding="utf-8")
    assert main(["split", "--root", str(tmp_path), "--out", "mine"]) == 2
    assert "refusing to write" in capsys.readouterr().err
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_nothing_outside_the_repo_is_copied(tmp_path: Path) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG secret")
    repo = tmp_path / "repo"
    (repo / "content").mkdir(parents=True)
    (repo / "imgs").mkdir()
    os.symlink(outside, repo / "imgs" / "link.png")
    os.symlink(outside, repo / "content" / "leak.md")
    (repo / "content" / "a.md").write_text(
        '<h2 id="1.a">1.a</h2>\n\n![](imgs/link.png) ![](../../secret.png) ![](/etc/hostname)\n'
        '<img src="imgs/../../../secret.png">\n',
        encoding="utf-8",
    )
    result = generate(Options(repo, repo / "content", repo / "imgs"), repo / "out")
    written = [p for p in (repo / "out").rglob("*") if p.is_file()]
    assert all(b"PNG secret" not in p.read_bytes() for p in written)
    assert not any(p.suffix == ".png" for p in written)
    codes = sorted(d.code for d in result.diagnostics)
    # `/etc/hostname` is read from the repository's root, as GitHub reads it: not there, so missing
    assert codes.count("path-outside-repo") >= 3 and "image-missing" in codes
    assert all(d.line > 0 for d in result.diagnostics if d.path == "a.md")


def test_crlf_bom_and_gbk_sources_split(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "content").mkdir(parents=True)
    (repo / "imgs").mkdir()
    text = '<h2 id="1.什么是GBK？">1.什么是GBK？</h2>\n\n国标编码。\n'
    (repo / "content" / "gbk.md").write_bytes(text.encode("gb18030"))
    crlf = text.replace("GBK", "CRLF").replace("国标编码", "回车换行")
    (repo / "content" / "crlf.md").write_bytes(b"\xef\xbb\xbf" + crlf.replace("\n", "\r\n").encode())
    result = generate(Options(repo, repo / "content", repo / "imgs"), repo / "out")
    assert sorted(q["title"] for q in result.plan.questions) == ["什么是CRLF？", "什么是GBK？"]
    assert [d.code for d in result.diagnostics] == ["not-utf8"]


def test_base_url_prefixes_questions_json(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "imgs").mkdir()
    (tmp_path / "content" / "a.md").write_text('<h2 id="1.题">1.题</h2>\n\n答。\n', encoding="utf-8")
    assert main(["split", "--root", str(tmp_path), "--base-url", "/repo/"]) == 0
    [entry] = json.loads((tmp_path / "build" / "docs" / "questions.json").read_text(encoding="utf-8"))
    assert entry["url"].startswith("/repo/") and entry["source_url"].startswith("/repo/")
    assert (tmp_path / "build" / "docs" / entry["url"][len("/repo/") :] / "index.md").is_file()


def test_what_chinese_text_is() -> None:
    from qadocs.core.text.chinese import CN_NUMERALS, cn_value, is_han

    assert is_han("问") and is_han("\u3400") and is_han("\uf900")  # unified, extension A, compatibility
    assert not is_han("\u4dc0") and not is_han("。") and not is_han("a")  # a hexagram, a mark, a letter
    assert [cn_value(n) for n in ("一", "十一", "二十三", "一百零五", "两", "〇")] == [1, 11, 23, 105, 2, 0]
    assert {"千", "壹", "两"} <= CN_NUMERALS and "的" not in CN_NUMERALS
