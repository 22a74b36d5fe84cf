"""Compare output with an expected file on disk, or rewrite it under --update-golden."""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def check_golden(expected: Path, actual: str, update: bool) -> None:
    """Assert `actual` equals the file's text; with `update`, write it instead."""
    if update:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(actual, encoding="utf-8")
        return
    assert expected.exists(), f"{expected} missing: run pytest --update-golden and review the diff"
    assert actual == expected.read_text(encoding="utf-8"), f"{expected} differs (review, then --update-golden)"
