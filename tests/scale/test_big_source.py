"""A 1.5 MB source of 1,500 questions loses nothing (the measure of tests/nothing_lost.py)."""

from __future__ import annotations

from pathlib import Path

from nothing_lost import generated_repo as _build
from nothing_lost import lost_lines


def test_big_source_loses_nothing(tmp_path: Path) -> None:
    from messy import make_big_source

    content = tmp_path / "big"
    content.mkdir()
    make_big_source(content / "big.md", questions=1500, megabytes=1.5)
    repo = _build(content, tmp_path)
    checked, lost = lost_lines(repo / "content", repo / "build" / "docs")
    assert checked > 10000
    assert lost == []
