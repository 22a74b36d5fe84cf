"""Two branches, one registry: each branch adds a question whose slug another question already has
(plus edits), and the maintainer resolves the registry's conflict by taking both sides (the
conflict markers deleted, what GitHub's web editor gives), ours, or theirs. Whatever the
resolution, every URL either branch published lands on its question (its page, or a redirect to
it), or the build stops with a `registry-*` error at the registry's path and line: never a URL
served by another question than before. And one title in two files keeps both URLs when one file
is renamed (with both answers edited, too)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from qadocs.core.build import generate
from qadocs.core.errors import ContentError
from qadocs.core.options import REGISTRY_NAME, Options
from qadocs.core.registry import assign as assign_module

MARK_RE = re.compile(r"\bmark-[a-z0-9-]+\b")
REFRESH_RE = re.compile(r'http-equiv="refresh" content="\d+; url=([^"]+)"')
CONFLICT_MARKER_RE = re.compile(r"^(<<<<<<<|=======|>>>>>>>)( |$)")

TITLE = "什么是RAG？"  # the title whose slug each branch's new question finds taken
BASE = {
    "题库/a.md": f"## 1. {TITLE}\n\n检索增强生成。mark-a-rag\n\n## 2. 什么是注意力？\n\n加权求和。mark-a-att\n",
    "题库/b.md": f"## 1. {TITLE}\n\n先检索再生成。mark-b-rag\n\n## 2. 什么是池化？\n\n下采样。mark-b-pool\n",
}
OURS = {  # a new file with the title again, and a question retitled
    "题库/c.md": f"## 1. {TITLE}\n\n外部知识库。mark-c-rag\n\n## 2. 什么是LoRA？\n\n低秩适配。mark-c-lora\n",
    "题库/a.md": BASE["题库/a.md"].replace("什么是注意力？", "什么是注意力机制？"),
}
THEIRS = {  # another new file with the title, and an answer edited
    "题库/d.md": f"## 1. {TITLE}\n\n向量检索。mark-d-rag\n\n## 2. 什么是Dropout？\n\n随机丢弃。mark-d-drop\n",
    "题库/b.md": BASE["题库/b.md"].replace("先检索再生成。", "先检索，再把结果交给模型生成。"),
}


def _repo(root: Path, files: dict[str, str], registry: str | None) -> Options:
    if root.exists():
        shutil.rmtree(root)
    for path, text in files.items():
        (root / "content" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / path).write_text(text, encoding="utf-8")
    (root / "imgs").mkdir(parents=True)
    if registry is not None:
        (root / "content" / REGISTRY_NAME).write_text(registry, encoding="utf-8")
    return Options(root, root / "content", root / "imgs")


def _build(root: Path, files: dict[str, str], registry: str | None) -> tuple[str, dict[str, str]]:
    """Generate `files` with `registry`: the registry it leaves and {URL of a question page: its mark}."""
    opts = _repo(root, files, registry)
    result = generate(opts, root / "out")
    assert not [d for d in result.diagnostics if d.code.startswith("registry-") and d.severity == "error"], (
        result.diagnostics
    )
    published = {}
    for q in result.plan.questions:
        page = (root / "out" / str(q["url"]).strip("/") / "index.md").read_text(encoding="utf-8")
        [mark] = set(MARK_RE.findall(page))  # in the body, and in the description
        published[str(q["url"])] = mark
    return (root / "content" / REGISTRY_NAME).read_text(encoding="utf-8"), published


def _landing(out: Path, url: str) -> str | None:
    """The mark of the question page `url` leads to in `out`, through its redirect pages (None: no question)."""
    for _ in range(5):
        where = out / unquote(url).strip("/")
        if (where / "index.md").is_file():
            marks = set(MARK_RE.findall((where / "index.md").read_text(encoding="utf-8")))
            return marks.pop() if len(marks) == 1 else None  # an index page shows many, or none
        if not (where / "index.html").is_file():
            return None
        match = REFRESH_RE.search((where / "index.html").read_text(encoding="utf-8"))
        assert match is not None, f"{url}: a page that is neither a question nor a redirect"
        url = urljoin(url, match.group(1))
    raise AssertionError(f"{url}: redirect loop")


def _merge(tmp: Path, ours: str, base: str, theirs: str, how: str) -> tuple[str, bool]:
    """The registry git merges from the three texts, its conflicts resolved `how`: `both` (the
    markers deleted, both sides kept in order), `ours`, `theirs`; and whether there was a conflict."""
    tmp.mkdir(parents=True, exist_ok=True)
    for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
        (tmp / name).write_text(text, encoding="utf-8")
    option = [] if how == "both" else [f"--{how}"]
    run = subprocess.run(
        ["git", "merge-file", "-p", *option, "ours", "base", "theirs"], cwd=tmp, capture_output=True, check=False
    )
    assert 0 <= run.returncode < 127, run.stderr  # the number of conflicts; a git error is 255
    merged = run.stdout.decode("utf-8")
    conflicted = subprocess.run(
        ["git", "merge-file", "-p", "ours", "base", "theirs"], cwd=tmp, capture_output=True, check=False
    ).returncode
    if how == "both":
        merged = "".join(line for line in merged.splitlines(keepends=True) if not CONFLICT_MARKER_RE.match(line))
    return merged, conflicted > 0


def _same_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every question hashes alike: the two branches mint one id for two questions (as counting did)."""
    monkeypatch.setattr(assign_module, "question_hash", lambda cand: "3" * assign_module.ID_HASH_LONG)


def _branches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, same_id: bool) -> tuple[str, str, str, dict, dict]:
    """The base's registry; each branch's registry and the URLs each published (base included)."""
    base_registry, base_published = _build(tmp_path / "base", BASE, None)
    if same_id:
        _same_hash(monkeypatch)
    ours_registry, ours_published = _build(tmp_path / "ours", {**BASE, **OURS}, base_registry)
    theirs_registry, theirs_published = _build(tmp_path / "theirs", {**BASE, **THEIRS}, base_registry)
    monkeypatch.undo()
    assert ours_published.items() >= {u: m for u, m in base_published.items() if m != "mark-a-att"}.items()
    return base_registry, ours_registry, theirs_registry, ours_published, theirs_published


@pytest.mark.parametrize("how", ["both", "ours", "theirs"])
def test_every_url_either_branch_published_lands_on_its_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    base, ours, theirs, ours_published, theirs_published = _branches(tmp_path, monkeypatch, same_id=False)
    new_ours = {u for u, m in ours_published.items() if m == "mark-c-rag"}
    new_theirs = {u for u, m in theirs_published.items() if m == "mark-d-rag"}
    assert len(new_ours) == len(new_theirs) == 1 and new_ours != new_theirs  # two ids for two questions
    merged, conflicted = _merge(tmp_path / "merge", ours, base, theirs, how)
    assert conflicted  # both branches added entries at one place of the registry
    opts = _repo(tmp_path / "merged", {**BASE, **OURS, **THEIRS}, merged)
    result = generate(opts, tmp_path / "merged" / "out")
    assert not [d for d in result.diagnostics if d.code.startswith("registry-") and d.severity == "error"], (
        result.diagnostics
    )
    for published in (ours_published, theirs_published):
        for url, mark in published.items():
            assert _landing(tmp_path / "merged" / "out", url) == mark, (how, url)


def test_one_id_minted_twice_and_both_sides_kept_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, ours, theirs, ours_published, theirs_published = _branches(tmp_path, monkeypatch, same_id=True)
    [shared] = {u for u, m in ours_published.items() if m == "mark-c-rag"}
    assert theirs_published[shared] == "mark-d-rag"  # the same URL for two questions
    merged, conflicted = _merge(tmp_path / "merge", ours, base, theirs, "both")
    assert conflicted
    opts = _repo(tmp_path / "merged", {**BASE, **OURS, **THEIRS}, merged)
    out = tmp_path / "merged" / "out"
    with pytest.raises(ContentError) as exc:
        generate(opts, out)
    diag = exc.value.diagnostic
    assert diag.code.startswith("registry-") and diag.path == REGISTRY_NAME, diag
    # git's conflict holds the lines after the shared `id`, `url`, `title`: one entry, each of those keys twice
    assert (diag.code, merged.splitlines()[diag.line - 1]) == ("registry-invalid", "  source: 题库/d.md"), diag
    assert not out.exists()  # nothing was written, the registry left as it was
    assert (opts.content_dir / REGISTRY_NAME).read_text(encoding="utf-8") == merged
    checked = generate(opts, None)  # a check reports the same and goes on
    assert diag in checked.diagnostics


def test_both_sides_kept_line_by_line_is_refused_at_the_second_key(tmp_path: Path) -> None:
    """The conflict as git draws it when two entries start alike: one mapping with every key twice."""
    _build(tmp_path / "base", BASE, None)
    registry = (tmp_path / "base" / "content" / REGISTRY_NAME).read_text(encoding="utf-8")
    lines = registry.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  title: 什么是池化"))
    doubled = "".join(lines[: at + 3] + lines[at : at + 3] + lines[at + 3 :])  # title, source, answer twice
    opts = _repo(tmp_path / "merged", BASE, doubled)
    with pytest.raises(ContentError) as exc:
        generate(opts, tmp_path / "merged" / "out")
    diag = exc.value.diagnostic
    assert (diag.code, diag.path, diag.line) == ("registry-invalid", REGISTRY_NAME, at + 4)
    assert "'title' stands twice" in diag.message and "merge kept both sides" in diag.message


@pytest.mark.parametrize("answers_edited", [False, True])
def test_one_title_in_two_files_keeps_both_urls_when_one_file_is_renamed(tmp_path: Path, answers_edited: bool) -> None:
    registry, published = _build(tmp_path / "before", BASE, None)
    moved = {"题库/a.md": BASE["题库/a.md"], "题库/0.md": BASE["题库/b.md"]}  # b.md renamed, now read first
    if answers_edited:
        moved = {path: text.replace("。mark", "（已改写）。mark") for path, text in moved.items()}
    _build(tmp_path / "after", moved, registry)
    for url, mark in published.items():
        assert _landing(tmp_path / "after" / "out", url) == mark, url
