"""Old GitHub anchors in chromium, on a real `mkdocs build` of a file built once, then renumbered
(a question inserted at the top) with its registry kept: opening the source's page at an anchor
of the first build ends on the same question's page, and an anchor inside an answer at that place
of it (the answer shown in practice mode). The same at the `generate()` level, for every anchor,
is tests/core/plan/test_anchor_history.py."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import commit_registry, run_mkdocs
from web import TIMEOUT_MS, open_session, serve

try:
    from playwright.sync_api import Browser, expect
except ImportError:  # pragma: no cover - the `browser` fixture skips (or fails under CI)
    pass

REPO = Path(__file__).resolve().parents[2]
TITLES = ["什么是过拟合？", "什么是梯度消失？", "Dropout 为什么有效？", "什么是残差连接？", "什么是知识蒸馏？"]
OVERFIT = "什么是过拟合"  # the HTML heading `<h2 id="5.什么是过拟合">` of the first build
DROPOUT = "Dropout 为什么有效？"  # a markdown heading with a sub-heading in its answer
INNER = "dropout的推导"  # that sub-heading's GitHub anchor, the same in both builds


def source(titles: list[str], first: int) -> str:
    parts = ["# 深度学习\n"]
    for n, title in enumerate(titles, start=first):
        if title == TITLES[0]:
            parts.append(f'<h2 id="{n}.{title.rstrip("？")}">{n}.{title}</h2>\n\n{title}的答案。\n')
        else:
            parts.append(f"## {n}. {title}\n\n{title}的答案。\n")
        if title == DROPOUT:
            parts.append("### Dropout的推导\n\n推导的细节。\n")
    return "\n".join(parts)


@pytest.fixture(scope="module")
def renumbered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The site after the second build, and the question titles by URL."""
    root = tmp_path_factory.mktemp("renumbered")
    (root / "content").mkdir()
    (root / "imgs").mkdir()
    (root / "build" / "docs").mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    text = root / "content" / "深度学习.md"
    text.write_text(source(TITLES, first=5), encoding="utf-8")  # the overfitting question is 5.
    for _ in range(2):
        commit_registry(root)  # the documented flow: update the registry, commit it, build
        proc = run_mkdocs(root, "--strict", timeout=300)
        assert proc.returncode == 0, proc.stderr
        text.write_text(source(["什么是早停？", *TITLES], first=5), encoding="utf-8")  # everything moves on
    questions = json.loads((root / "site" / "questions.json").read_text(encoding="utf-8"))
    assert any(q["number"] == 6 and q["title"] == TITLES[0] for q in questions)  # it was renumbered
    return root / "site", {str(q["url"]): str(q["title"]) for q in questions}


@pytest.fixture(scope="module")
def served(renumbered: tuple[Path, dict[str, str]]) -> Iterator[str]:
    with serve(renumbered[0]) as url:
        yield url


@pytest.mark.parametrize(
    ("fragment", "title"),
    [
        (f"5.{OVERFIT}", TITLES[0]),  # the HTML id as GitHub links it, not percent-encoded
        (quote(f"user-content-5.{OVERFIT}", safe=""), TITLES[0]),
        ("5什么是过拟合", TITLES[0]),  # GitHub's slug of it
        ("7-dropout-为什么有效", DROPOUT),  # a markdown heading's GitHub anchor, number 7 then
    ],
    ids=["html-id", "user-content-encoded", "slug", "markdown"],
)
def test_an_old_anchor_lands_on_its_question(
    browser: Browser, served: str, renumbered: tuple[Path, dict[str, str]], fragment: str, title: str
) -> None:
    with open_session(browser) as sess:
        page = sess.page
        page.goto(served + quote("/shendu-xuexi/") + "#" + fragment, wait_until="load")
        page.wait_for_function("() => !location.pathname.endsWith('/shendu-xuexi/')", timeout=TIMEOUT_MS)
        expect(page.locator("article h1")).to_contain_text(title)
        assert renumbered[1][page.evaluate("location.pathname")] == title
        sess.assert_clean()


@pytest.mark.parametrize("practice", [False, True], ids=["reading", "practice-mode"])
def test_an_anchor_inside_an_answer_lands_at_its_place(
    browser: Browser, served: str, renumbered: tuple[Path, dict[str, str]], practice: bool
) -> None:
    with open_session(browser) as sess:
        page = sess.page
        if practice:
            page.add_init_script("localStorage.setItem('qadocs:v1', JSON.stringify({practice: true, marks: {}}))")
        page.goto(served + "/shendu-xuexi/#" + INNER, wait_until="load")
        page.wait_for_function("() => !location.pathname.endsWith('/shendu-xuexi/')", timeout=TIMEOUT_MS)
        expect(page.locator("article h1")).to_contain_text(DROPOUT)
        assert page.evaluate("decodeURIComponent(location.hash)") == "#" + INNER
        target = page.locator(f"[id='{INNER}']")
        expect(target).to_be_visible()
        if practice:
            expect(page.get_by_role("button", name="练习模式")).to_have_attribute("aria-pressed", "true")
        sess.assert_clean()


OTHER = ["什么是批归一化？", "什么是学习率预热？"]


@pytest.fixture(scope="module")
def moved_on(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, str]]:
    """Two files in a folder, built; then the folder renamed and one file merged into the other
    (its questions after the other's, so renumbered) and deleted, built again with the registry
    kept. The second site, the first build's URL of the merged file's page, the titles by URL."""
    root = tmp_path_factory.mktemp("moved-on")
    (root / "imgs").mkdir()
    (root / "build" / "docs").mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    folder = root / "content" / "基础"
    folder.mkdir(parents=True)
    (folder / "深度学习.md").write_text(source(TITLES, first=5), encoding="utf-8")
    (folder / "机器学习.md").write_text(source(OTHER, first=1).replace("# 深度学习", "# 机器学习"), encoding="utf-8")
    commit_registry(root)
    assert run_mkdocs(root, "--strict", timeout=300).returncode == 0
    first = json.loads((root / "site" / "questions.json").read_text(encoding="utf-8"))
    [merged_url] = {str(q["source_url"]) for q in first if q["title"] == TITLES[0]}
    folder.rename(root / "content" / "入门")
    (root / "content" / "入门" / "深度学习.md").unlink()
    (root / "content" / "入门" / "机器学习.md").write_text(
        source([*OTHER, *TITLES], first=1).replace("# 深度学习", "# 机器学习"), encoding="utf-8"
    )
    commit_registry(root)
    proc = run_mkdocs(root, "--strict", timeout=300)
    assert proc.returncode == 0, proc.stderr
    questions = json.loads((root / "site" / "questions.json").read_text(encoding="utf-8"))
    assert any(q["number"] == 3 and q["title"] == TITLES[0] for q in questions)  # it was renumbered
    return root / "site", merged_url, {str(q["url"]): str(q["title"]) for q in questions}


@pytest.mark.parametrize(
    ("fragment", "title"),
    [(f"5.{OVERFIT}", TITLES[0]), ("7-dropout-为什么有效", DROPOUT), ("8-什么是残差连接", TITLES[3])],
    ids=["html-id", "markdown", "markdown-slug"],
)
def test_an_old_anchor_of_a_merged_file_in_a_renamed_folder_lands(
    browser: Browser, moved_on: tuple[Path, str, dict[str, str]], fragment: str, title: str
) -> None:
    site, old_source, titles = moved_on
    with serve(site) as url, open_session(browser) as sess:
        page = sess.page
        page.goto(url + quote(old_source) + "#" + quote(fragment), wait_until="load")
        page.wait_for_function("() => document.querySelector('article h1') !== null", timeout=TIMEOUT_MS)
        expect(page.locator("article h1")).to_contain_text(title)
        assert titles[page.evaluate("decodeURIComponent(location.pathname)")] == title
        sess.assert_clean()
