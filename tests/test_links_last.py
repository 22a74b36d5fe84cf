"""Links that last: after each kind of edit, every URL of the first build still lands right.

Each scenario copies the demo content, builds the real site with MkDocs, edits the content (or
the registry), builds again, and follows every URL of the first build in the second built site:
through redirect pages (meta refresh) to a question page whose <h1> is the expected title.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

from qadocs.build import generate
from qadocs.errors import ContentError
from qadocs.plan import Options
from qadocs.registry import REGISTRY_NAME

REPO = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")
BASICS = "AI视频基础/AI视频基础知识.md"
VIDEO_UNDERSTANDING = "AI视频基础/视频理解典型模型与架构.md"
VIDEO_MODELS = "AI视频基础/视频生成典型模型与架构.md"
REFRESH_RE = re.compile(r"^\s*\d+\s*;\s*url=(.+)$", re.IGNORECASE)


def _copy_repo(root: Path) -> Path:
    shutil.copytree(REPO / "content", root / "content")
    (root / "imgs").mkdir()
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "build" / "docs").mkdir(parents=True)
    shutil.copy2(REPO / "build" / "docs" / ".qadocs-generated", root / "build" / "docs")
    return root


def _build(root: Path, name: str) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([str(MKDOCS), "build", "--strict", "-d", name], cwd=root, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return root / name


def _h1(soup: BeautifulSoup) -> str:
    h1 = soup.select_one("article h1")
    assert h1 is not None
    for link in h1.select("a.headerlink"):
        link.decompose()
    return " ".join(h1.get_text().split())


def land(site: Path, url: str) -> tuple[str, str, list[str]]:
    """Follow `url` (site-absolute) through redirect pages: (final URL, its h1, notices on the way)."""
    notices: list[str] = []
    for _ in range(5):
        page = site / unquote(url).lstrip("/") / "index.html"
        assert page.is_file(), f"{url} has no page in the second build"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
        if refresh is None:
            return url, _h1(soup), notices
        notices.append(soup.get_text(" ", strip=True))
        match = REFRESH_RE.match(str(refresh.get("content", "")))
        assert match, f"bad refresh on {url}"
        url = urljoin(url, match.group(1))
    raise AssertionError(f"{url}: redirect loop")


def _questions(site: Path) -> list[dict[str, object]]:
    return list(json.loads((site / "questions.json").read_text(encoding="utf-8")))


def _edit(root: Path, rel: str, fn: Callable[[str], str]) -> None:
    path = root / "content" / rel
    before = path.read_text(encoding="utf-8")
    after = fn(before)
    assert after != before, "the scenario's edit changed nothing"
    path.write_text(after, encoding="utf-8")


def _question_block(text: str, anchor: str) -> tuple[int, int]:
    """Line range [start, stop) of the question whose heading id is `anchor`."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if f'id="{anchor}"' in line)
    stop = next((i for i in range(start + 1, len(lines))
                 if lines[i].startswith(("<h1", "<h2", "## "))), len(lines))
    return start, stop


def _renumber(text: str) -> str:
    return re.sub(r'(<h2 id=")(\d+)\.([^"]*">)(\d+)\.',
                  lambda m: f"{m.group(1)}{int(m.group(2)) + 100}.{m.group(3)}{int(m.group(4)) + 100}.", text)


def run_scenario(tmp_path: Path, edit: Callable[[Path], dict[str, str]]) -> tuple[Path, Path, dict[str, str]]:
    """Build, edit, build; `edit` returns {old title: expected landing title} for the changed ones."""
    root = _copy_repo(tmp_path / "repo")
    first = _build(root, "site1")
    expected = edit(root)
    second = _build(root, "site2")
    return first, second, expected


def _check_every_url_lands(first: Path, second: Path, expected: dict[str, str]) -> dict[str, list[str]]:
    notices: dict[str, list[str]] = {}
    for q in _questions(first):
        title = str(q["title"])
        final, h1, seen = land(second, str(q["url"]))
        assert h1 == expected.get(title, title), f"{q['url']} ({title}) landed on {final} ({h1})"
        notices[title] = seen
    return notices


def test_a_renumber_every_question_of_a_source(tmp_path: Path) -> None:
    def edit(root: Path) -> dict[str, str]:
        _edit(root, VIDEO_UNDERSTANDING, _renumber)
        return {}

    first, second, expected = run_scenario(tmp_path, edit)
    _check_every_url_lands(first, second, expected)
    assert [q["url"] for q in _questions(first)] == [q["url"] for q in _questions(second)]
    numbers = {q["title"]: q["number"] for q in _questions(second) if q["source"] == VIDEO_UNDERSTANDING}
    assert min(numbers.values()) == 101  # the renumbering really happened


def test_b_move_a_question_to_another_source(tmp_path: Path) -> None:
    anchor = "5.VideoGPT+中的视觉适配器模块是如何促进图像和视频特征集成的？"

    def edit(root: Path) -> dict[str, str]:
        src = root / "content" / VIDEO_UNDERSTANDING
        lines = src.read_text(encoding="utf-8").split("\n")
        start, stop = _question_block("\n".join(lines), anchor)
        block = lines[start:stop]
        src.write_text("\n".join(lines[:start] + lines[stop:]), encoding="utf-8")
        _edit(root, VIDEO_MODELS, lambda t: t + "\n" + "\n".join(block).replace('id="5.', 'id="16.')
              .replace(">5.", ">16.") + "\n")
        return {}

    first, second, expected = run_scenario(tmp_path, edit)
    _check_every_url_lands(first, second, expected)
    moved = [q for q in _questions(second) if str(q["title"]).startswith("VideoGPT+中的视觉适配器")]
    assert len(moved) == 1 and moved[0]["source"] == VIDEO_MODELS
    before = [q for q in _questions(first) if q["title"] == moved[0]["title"]]
    assert before[0]["url"] == moved[0]["url"] and before[0]["source"] == VIDEO_UNDERSTANDING


def test_c_fix_a_typo_in_a_title(tmp_path: Path) -> None:
    old, new = "请介绍下ViT，以及在视频扩散模型中的作用？", "请介绍一下ViT，以及在视频扩散模型中的作用？"

    def edit(root: Path) -> dict[str, str]:
        _edit(root, BASICS, lambda t: t.replace(old, new))
        return {old: new}

    first, second, expected = run_scenario(tmp_path, edit)
    _check_every_url_lands(first, second, expected)
    assert [q["url"] for q in _questions(first)] == [q["url"] for q in _questions(second)]


def test_d_delete_a_question(tmp_path: Path) -> None:
    anchor = "13.ViT在图像分类中的具体应用案例有哪些？"
    title = anchor.split(".", 1)[1]
    chapter = "第一章：「视频生成」核心基础知识高频考点"

    def edit(root: Path) -> dict[str, str]:
        def cut(text: str) -> str:
            lines = text.split("\n")
            start, stop = _question_block(text, anchor)
            return "\n".join(lines[:start] + lines[stop:])
        _edit(root, BASICS, cut)
        return {title: chapter}

    first, second, expected = run_scenario(tmp_path, edit)
    notices = _check_every_url_lands(first, second, expected)
    assert any("已从题库删除" in n and title in n for n in notices[title])
    assert title not in [q["title"] for q in _questions(second)]
    registry = yaml.safe_load((first.parent / "content" / REGISTRY_NAME).read_text(encoding="utf-8"))
    assert [e["title"] for e in registry["deleted"]] == [title]


def test_e_rename_a_slug_by_hand(tmp_path: Path) -> None:
    title = "什么DiT模型？"

    def edit(root: Path) -> dict[str, str]:
        path = root / "content" / REGISTRY_NAME
        text = path.read_text(encoding="utf-8")
        entry = next(e for e in yaml.safe_load(text)["questions"] if e["title"] == title)
        path.write_text(text.replace(f"- id: {entry['id']}\n", "- id: dit-moxing\n", 1), encoding="utf-8")
        return {}

    first, second, expected = run_scenario(tmp_path, edit)
    notices = _check_every_url_lands(first, second, expected)
    assert notices[title], "the old URL should now be a redirect"
    [now] = [q for q in _questions(second) if q["title"] == title]
    assert str(now["url"]).endswith("/dit-moxing/")
    registry = yaml.safe_load((first.parent / "content" / REGISTRY_NAME).read_text(encoding="utf-8"))
    [entry] = [e for e in registry["questions"] if e["title"] == title]
    assert entry["url"].endswith("dit-moxing") and len(entry["old_urls"]) == 1


def _tree(path: Path) -> dict[str, str]:
    return {p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.rglob("*")) if p.is_file()}


def test_generation_is_deterministic(tmp_path: Path) -> None:
    trees, registries = [], []
    for name in ("one", "two"):
        root = tmp_path / name
        shutil.copytree(REPO / "content", root / "content")
        (root / "content" / REGISTRY_NAME).unlink()
        (root / "imgs").mkdir()
        opts = Options(root, root / "content", root / "imgs")
        generate(opts, root / "out")
        first_registry = (root / "content" / REGISTRY_NAME).read_bytes()
        generate(opts, root / "out")  # a second run over the same content
        assert (root / "content" / REGISTRY_NAME).read_bytes() == first_registry
        trees.append(_tree(root / "out"))
        registries.append(first_registry)
    assert trees[0] == trees[1] and len(trees[0]) > 140
    assert registries[0] == registries[1]


def test_committed_registry_matches_the_content(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "content", root / "content")
    (root / "imgs").mkdir()
    result = generate(Options(root, root / "content", root / "imgs"), root / "out")
    assert result.plan.changes == [], "content/qadocs-registry.yml is stale: run `make split` and commit it"
    assert ((root / "content" / REGISTRY_NAME).read_bytes()
            == (REPO / "content" / REGISTRY_NAME).read_bytes())


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


@pytest.mark.parametrize(("title", "answer", "same"), [
    ("什么是扩散模型的反向过程？", "反向过程逐步去噪，得到样本。", True),           # unchanged
    ("什么是扩散模型的逆向过程？", "反向过程逐步去噪，得到样本。", True),           # title edited, same answer
    ("什么是扩散模型的反向过程？", "完全重写的答案。", True),                       # same title, new answer
    ("什么是扩散模型的反向过程呢？", "完全重写的答案。", True),                     # both edited, title ≥ 80 %
    ("如何评价 Sora？", "完全重写的答案。", False),                                  # a different question
])
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


def test_retitled_and_rewritten_questions_keep_urls_at_scale(tmp_path: Path) -> None:
    """Past the all-pairs size the similar-title step finds pairs through shared bigrams: a typo
    fix plus a new answer still keeps every URL, and the planner never compares all pairs."""
    root = tmp_path / "repo"
    (root / "content").mkdir(parents=True)
    (root / "imgs").mkdir()
    topics = ["扩散模型", "注意力机制", "视频生成", "时序建模", "多模态对齐", "数据清洗", "模型蒸馏", "位置编码"]
    titles = [f"请比较{topics[n % 8]}在第{n}类场景中的表现与{topics[(n * 3) % 8]}的取舍" for n in range(600)]

    def write(edit: bool) -> list[dict[str, object]]:
        parts = []
        for n, title in enumerate(titles, start=1):
            shown = title.replace("表现", "表现情况") if edit else title
            parts.append(f'<h2 id="{n}.q">{n}.{shown}</h2>\n\n{"新" if edit else "旧"}答案 {n}。\n')
        (root / "content" / "a.md").write_text("\n".join(parts), encoding="utf-8")
        return generate(Options(root, root / "content", root / "imgs"), root / "out").plan.questions

    first = {q["title"]: q["url"] for q in write(False)}
    second = write(True)
    assert len(second) == 600
    assert [first[str(q["title"]).replace("表现情况", "表现")] for q in second] == [q["url"] for q in second]
