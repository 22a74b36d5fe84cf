"""Every non-blank source line outside a TOC is in the one page whose source range holds it (see
nothing_lost.py), and the measure fails when a line is dropped, copied, moved or retitled."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nothing_lost import generated_repo as _build
from nothing_lost import lost_lines

REPO = Path(__file__).resolve().parents[2]


GOLDEN = Path(__file__).resolve().parents[1] / "golden"


DIFFUSION = "qing-jianshu-shipin-kuosan-moxing-de-qu-zao"  # 请简述视频扩散模型的去噪过程？


MARKOV = "这个逆向过程也是一个马尔可夫链。"  # one line of that answer (AI视频基础知识.md:400)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo content generated once; tests that tamper with pages work on a copy."""
    return _build(REPO / "content", tmp_path_factory.mktemp("nothing-lost"))


@pytest.fixture
def tampered(demo: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(demo, repo, symlinks=True)
    return repo


def _page(repo: Path, slug: str) -> Path:
    [page] = (repo / "build" / "docs").rglob(f"{slug}/index.md")
    return page


def _edit(page: Path, old: str, new: str) -> None:
    text = page.read_text(encoding="utf-8")
    assert text.count(old) == 1
    page.write_text(text.replace(old, new), encoding="utf-8")


def test_demo_content_loses_nothing(demo: Path) -> None:
    checked, lost = lost_lines(demo / "content", demo / "build" / "docs")
    print(f"demo content: {checked} lines checked, {len(lost)} lost")
    assert checked > 1400
    assert lost == []


def test_measure_catches_a_dropped_line(tampered: Path) -> None:
    _edit(_page(tampered, DIFFUSION), MARKOV, "")
    _, lost = lost_lines(tampered / "content", tampered / "build" / "docs")
    assert lost == [f"AI视频基础/AI视频基础知识.md:400: lost from ai-shipin-jichu/{DIFFUSION}/index.md: {MARKOV}"]


def test_measure_catches_a_line_copied_to_another_page(tampered: Path) -> None:
    """The text is still in its own page, but a page of another range holds it too."""
    other = _page(tampered, "shenme-dit-moxing")  # 什么DiT模型？
    other.write_text(other.read_text(encoding="utf-8") + "\n" + MARKOV + "\n", encoding="utf-8")
    _, lost = lost_lines(tampered / "content", tampered / "build" / "docs")
    assert len(lost) == 1 and lost[0].startswith("ai-shipin-jichu/shenme-dit-moxing/index.md: stray line")
    assert MARKOV in lost[0]


def test_measure_catches_a_line_moved_to_the_chapter_page(tampered: Path) -> None:
    _edit(_page(tampered, DIFFUSION), MARKOV, "")
    chapter = next(
        p
        for p in sorted((tampered / "build" / "docs").rglob("index.md"))
        if "\nkind: chapter\n" in p.read_text(encoding="utf-8")
    )
    head, sep, rest = chapter.read_text(encoding="utf-8").partition("\n---\n\n# ")
    title, _, body = rest.partition("\n")
    chapter.write_text(head + sep + title + "\n\n" + MARKOV + "\n" + body, encoding="utf-8")
    _, lost = lost_lines(tampered / "content", tampered / "build" / "docs")
    rel = chapter.relative_to(tampered / "build" / "docs").as_posix()
    assert lost == [
        f"AI视频基础/AI视频基础知识.md:400: lost from ai-shipin-jichu/{DIFFUSION}/index.md: {MARKOV}",
        f"{rel}: stray line 2 of its body: {MARKOV}",
    ]


def test_measure_catches_lines_out_of_order(tampered: Path) -> None:
    page = _page(tampered, DIFFUSION)
    text = page.read_text(encoding="utf-8")
    at = text.index(MARKOV)
    before = text.rindex("\n", 0, text.rindex("\n", 0, at - 1)) + 1  # the non-blank line above it
    above = text[before:at].strip()
    assert above
    page.write_text(text[:before] + MARKOV + "\n\n" + above + text[at + len(MARKOV) :], encoding="utf-8")
    _, lost = lost_lines(tampered / "content", tampered / "build" / "docs")
    assert lost and all(DIFFUSION in m for m in lost)


def test_measure_catches_a_page_retitled(tampered: Path) -> None:
    _edit(_page(tampered, DIFFUSION), "title: 请简述视频扩散模型的去噪过程？\n", "title: 别的题目\n")
    _, lost = lost_lines(tampered / "content", tampered / "build" / "docs")
    assert lost == [
        "AI视频基础/AI视频基础知识.md:393: heading '20.请简述视频扩散模型的去噪过程？' "
        f"shown as '别的题目' on ai-shipin-jichu/{DIFFUSION}/index.md"
    ]


def test_split_fixtures_lose_nothing(tmp_path: Path) -> None:
    content = tmp_path / "fixtures"
    content.mkdir()
    for case in (GOLDEN / "split").glob("*.md"):
        shutil.copy(case, content / case.name)
    repo = _build(content, tmp_path)
    checked, lost = lost_lines(repo / "content", repo / "build" / "docs")
    assert checked >= 40
    assert lost == []


def test_malformed_fixtures_lose_nothing(tmp_path: Path) -> None:
    content = tmp_path / "fixtures"
    for case in sorted((GOLDEN / "check").iterdir()):
        source = case / "source.md"
        if source.is_file() and not any(p.name.endswith(".symlink") for p in case.rglob("*")):
            (content / case.name).mkdir(parents=True)
            shutil.copy(source, content / case.name / "source.md")
    repo = _build(content, tmp_path)
    checked, lost = lost_lines(repo / "content", repo / "build" / "docs")
    assert checked >= 100
    assert lost == []
