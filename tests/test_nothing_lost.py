"""Every non-blank source line outside a TOC reappears in a generated page."""

from __future__ import annotations

import shutil
from pathlib import Path

from nothing_lost import lost_lines
from qadocs.build import generate
from qadocs.plan import Options

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"


def _build(content: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(content, repo / "content")
    (repo / "imgs").mkdir()
    out = repo / "build" / "docs"
    generate(Options(repo, repo / "content", repo / "imgs"), out)
    return repo


def test_demo_content_loses_nothing(tmp_path: Path) -> None:
    repo = _build(REPO / "content", tmp_path)
    checked, lost = lost_lines(repo / "content", repo / "build" / "docs")
    print(f"demo content: {checked} lines checked, {len(lost)} lost")
    assert checked > 1400
    assert lost == []


def test_split_fixtures_lose_nothing(tmp_path: Path) -> None:
    content = tmp_path / "fixtures"
    content.mkdir()
    for case in (GOLDEN / "split").glob("*.md"):
        shutil.copy(case, content / case.name)
    repo = _build(content, tmp_path)
    checked, lost = lost_lines(repo / "content", repo / "build" / "docs")
    assert checked >= 40
    assert lost == []


def test_measure_catches_a_dropped_line(tmp_path: Path) -> None:
    repo = _build(REPO / "content", tmp_path)
    page = next((repo / "build" / "docs").rglob("qing-jianshu-shipin-kuosan-moxing-de-qu-zao/index.md"))
    page.write_text(page.read_text(encoding="utf-8").replace("这个逆向过程也是一个马尔可夫链。", ""), encoding="utf-8")
    _, lost = lost_lines(repo / "content", repo / "build" / "docs")
    assert len(lost) == 1 and "马尔可夫链" in lost[0]


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


def test_big_source_loses_nothing(tmp_path: Path) -> None:
    from messy import make_big_source

    content = tmp_path / "big"
    content.mkdir()
    make_big_source(content / "big.md", questions=1500, megabytes=1.5)
    repo = _build(content, tmp_path)
    checked, lost = lost_lines(repo / "content", repo / "build" / "docs")
    assert checked > 10000
    assert lost == []
