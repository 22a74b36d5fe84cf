"""Links that last: after each kind of edit, every URL of the first build still lands right.

Each scenario copies the demo content, generates the docs dir (`qadocs.core.build.generate`, what the
plugin writes for MkDocs), edits the content (or the registry), generates again, and follows every
URL of the first generation in the second: through the static redirect pages (meta refresh) the
plan writes, to a page (`<url>/index.md`) whose title is the expected one. MkDocs copies those
redirect pages as they are and renders each `index.md` at the same URL with its title as <h1>, so
one real build (`test_every_kind_of_edit_in_the_built_site`, all five edits at once, after the
shared strict build of the demo) checks the same in the HTML.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import BuiltSite, commit_registry, run_mkdocs
from landing import land_generated, refresh_target
from qadocs.core.build import generate
from qadocs.core.options import REGISTRY_NAME
from qadocs.core.plan.site import Options

REPO = Path(__file__).resolve().parents[2]


BASICS = "AI视频基础/AI视频基础知识.md"


VIDEO_UNDERSTANDING = "AI视频基础/视频理解典型模型与架构.md"


VIDEO_MODELS = "AI视频基础/视频生成典型模型与架构.md"


MOVED_ANCHOR = "5.VideoGPT+中的视觉适配器模块是如何促进图像和视频特征集成的？"


TYPO, FIXED = "请介绍下ViT，以及在视频扩散模型中的作用？", "请介绍一下ViT，以及在视频扩散模型中的作用？"


DELETED_ANCHOR = "13.ViT在图像分类中的具体应用案例有哪些？"


DELETED = DELETED_ANCHOR.split(".", 1)[1]


DELETED_CHAPTER = "第一章：「视频生成」核心基础知识高频考点"


RENAMED = "什么DiT模型？"


Questions = list[dict[str, object]]


# --- following a URL ------------------------------------------------------------------------------


def _h1(soup: BeautifulSoup) -> str:
    h1 = soup.select_one("article h1")
    assert h1 is not None
    for link in h1.select("a.headerlink"):
        link.decompose()
    return " ".join(h1.get_text().split())


def land_built(site: Path, url: str) -> tuple[str, str, list[str]]:
    """Follow `url` (site-absolute) in a built site through redirect pages: (final URL, its h1,
    notices on the way)."""
    notices: list[str] = []
    for _ in range(5):
        page = site / unquote(url).lstrip("/") / "index.html"
        assert page.is_file(), f"{url} has no page in the second build"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if soup.find("meta", attrs={"http-equiv": "refresh"}) is None:
            return url, _h1(soup), notices
        url, notice = refresh_target(page, url)
        notices.append(notice)
    raise AssertionError(f"{url}: redirect loop")


def _check_every_url_lands(
    first: Questions, lander: Callable[[str], tuple[str, str, list[str]]], expected: dict[str, str]
) -> dict[str, list[str]]:
    notices: dict[str, list[str]] = {}
    for q in first:
        title = str(q["title"])
        final, landed, seen = lander(str(q["url"]))
        assert landed == expected.get(title, title), f"{q['url']} ({title}) landed on {final} ({landed})"
        notices[title] = seen
    return notices


# --- the edits --------------------------------------------------------------------------------------


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
    stop = next((i for i in range(start + 1, len(lines)) if lines[i].startswith(("<h1", "<h2", "## "))), len(lines))
    return start, stop


def _renumber(text: str) -> str:
    return re.sub(
        r'(<h2 id=")(\d+)\.([^"]*">)(\d+)\.',
        lambda m: f"{m.group(1)}{int(m.group(2)) + 100}.{m.group(3)}{int(m.group(4)) + 100}.",
        text,
    )


def renumber(root: Path) -> dict[str, str]:
    _edit(root, VIDEO_UNDERSTANDING, _renumber)
    return {}


def move(root: Path) -> dict[str, str]:
    src = root / "content" / VIDEO_UNDERSTANDING
    lines = src.read_text(encoding="utf-8").split("\n")
    start, stop = _question_block("\n".join(lines), MOVED_ANCHOR)
    block = lines[start:stop]
    src.write_text("\n".join(lines[:start] + lines[stop:]), encoding="utf-8")
    _edit(
        root,
        VIDEO_MODELS,
        lambda t: t + "\n" + "\n".join(block).replace('id="5.', 'id="16.').replace(">5.", ">16.") + "\n",
    )
    return {}


def fix_typo(root: Path) -> dict[str, str]:
    _edit(root, BASICS, lambda t: t.replace(TYPO, FIXED))
    return {TYPO: FIXED}


def delete(root: Path) -> dict[str, str]:
    def cut(text: str) -> str:
        lines = text.split("\n")
        start, stop = _question_block(text, DELETED_ANCHOR)
        return "\n".join(lines[:start] + lines[stop:])

    _edit(root, BASICS, cut)
    return {DELETED: DELETED_CHAPTER}


def rename(root: Path) -> dict[str, str]:
    path = root / "content" / REGISTRY_NAME
    text = path.read_text(encoding="utf-8")
    entry = next(e for e in yaml.safe_load(text)["questions"] if e["title"] == RENAMED)
    path.write_text(text.replace(f"- id: {entry['id']}\n", "- id: dit-moxing\n", 1), encoding="utf-8")
    return {}


# --- what each edit must leave behind ------------------------------------------------------------------


def after_renumber(first: Questions, second: Questions, notices: dict[str, list[str]], registry: str) -> None:
    now = {q["title"]: q["url"] for q in second}
    renumbered = [q for q in first if q["source"] == VIDEO_UNDERSTANDING]
    assert len(renumbered) > 10
    assert all(now[q["title"]] == q["url"] and notices[str(q["title"])] == [] for q in renumbered)
    numbers = [int(str(q["number"])) for q in second if q["source"] == VIDEO_UNDERSTANDING]
    assert min(numbers) == 101  # the renumbering really happened


def after_move(first: Questions, second: Questions, notices: dict[str, list[str]], registry: str) -> None:
    moved = [q for q in second if str(q["title"]).startswith("VideoGPT+中的视觉适配器")]
    assert len(moved) == 1 and moved[0]["source"] == VIDEO_MODELS
    before = [q for q in first if q["title"] == moved[0]["title"]]
    assert before[0]["url"] == moved[0]["url"] and before[0]["source"] == VIDEO_UNDERSTANDING


def after_typo_fix(first: Questions, second: Questions, notices: dict[str, list[str]], registry: str) -> None:
    [was] = [q for q in first if q["title"] == TYPO]
    [now] = [q for q in second if q["title"] == FIXED]
    assert now["url"] == was["url"] and notices[TYPO] == []


def after_delete(first: Questions, second: Questions, notices: dict[str, list[str]], registry: str) -> None:
    assert any("已从题库删除" in n and DELETED in n for n in notices[DELETED])
    assert DELETED not in [q["title"] for q in second]
    assert [e["title"] for e in yaml.safe_load(registry)["deleted"]] == [DELETED]


def after_rename(first: Questions, second: Questions, notices: dict[str, list[str]], registry: str) -> None:
    assert notices[RENAMED], "the old URL should now be a redirect"
    [was] = [q for q in first if q["title"] == RENAMED]
    [now] = [q for q in second if q["title"] == RENAMED]
    assert str(now["url"]).endswith("/dit-moxing/") and now["url"] != was["url"]
    [entry] = [e for e in yaml.safe_load(registry)["questions"] if e["title"] == RENAMED]
    assert entry["url"].endswith("dit-moxing") and entry["old_urls"] == [str(was["url"]).strip("/")]


Edit = Callable[[Path], dict[str, str]]


After = Callable[[Questions, Questions, dict[str, list[str]], str], None]


SCENARIOS: dict[str, tuple[Edit, After]] = {
    "a-renumber-every-question-of-a-source": (renumber, after_renumber),
    "b-move-a-question-to-another-source": (move, after_move),
    "c-fix-a-typo-in-a-title": (fix_typo, after_typo_fix),
    "d-delete-a-question": (delete, after_delete),
    "e-rename-a-slug-by-hand": (rename, after_rename),
}


def _questions(path: Path) -> Questions:
    return list(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_url_lands_after_an_edit(tmp_path: Path, name: str) -> None:
    edit, after = SCENARIOS[name]
    root = tmp_path / "repo"
    shutil.copytree(REPO / "content", root / "content")
    (root / "imgs").mkdir()
    opts = Options(root, root / "content", root / "imgs")
    generate(opts, root / "docs1")
    expected = edit(root)
    result = generate(opts, root / "docs2")
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    first, second = _questions(root / "docs1" / "questions.json"), _questions(root / "docs2" / "questions.json")
    notices = _check_every_url_lands(first, lambda url: land_generated(root / "docs2", url), expected)
    after(first, second, notices, (root / "content" / REGISTRY_NAME).read_text(encoding="utf-8"))


def test_landing_fails_on_a_lost_url(tmp_path: Path) -> None:
    """The check can fail: a redirect page removed from the second generation is a lost URL."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "content", root / "content")
    (root / "imgs").mkdir()
    opts = Options(root, root / "content", root / "imgs")
    generate(opts, root / "docs1")
    rename(root)
    generate(opts, root / "docs2")
    [was] = [q for q in _questions(root / "docs1" / "questions.json") if q["title"] == RENAMED]
    redirect = root / "docs2" / str(was["url"]).strip("/") / "index.html"
    assert land_generated(root / "docs2", str(was["url"]))[1] == RENAMED
    redirect.unlink()
    with pytest.raises(AssertionError, match="has no page"):
        land_generated(root / "docs2", str(was["url"]))


def test_every_kind_of_edit_in_the_built_site(built_site: BuiltSite, site_dir: Path, tmp_path: Path) -> None:
    """The one real build: all five edits at once on the shared strict build of the demo, then
    `mkdocs build --strict` again; every URL of the first site lands in the second's HTML."""
    root = tmp_path / "repo"
    shutil.copytree(built_site.root, root, ignore=shutil.ignore_patterns("site"))
    expected: dict[str, str] = {}
    for name in (
        "b-move-a-question-to-another-source",
        "a-renumber-every-question-of-a-source",
        "c-fix-a-typo-in-a-title",
        "d-delete-a-question",
        "e-rename-a-slug-by-hand",
    ):
        expected |= SCENARIOS[name][0](root)  # move before renumbering: it names the question by number
    commit_registry(root)  # the documented flow: update the registry, commit it, build
    proc = run_mkdocs(root, "--strict", "-d", "site2")
    assert proc.returncode == 0, proc.stderr
    first, second = _questions(site_dir / "questions.json"), _questions(root / "site2" / "questions.json")
    notices = _check_every_url_lands(first, lambda url: land_built(root / "site2", url), expected)
    registry = (root / "content" / REGISTRY_NAME).read_text(encoding="utf-8")
    for _, after in SCENARIOS.values():
        after(first, second, notices, registry)


def _tree(path: Path) -> dict[str, str]:
    return {
        p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


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
