"""Malformed sources (tests/golden/check/<case>/): exact diagnostics, no traceback, good questions kept.

Each case folder is a content dir; a file `NAME.symlink` becomes a symlink NAME to the path it
holds. `expected.yaml` lists the diagnostics as `line:col severity code` and the titles of the
question pages that must still be built. Regenerate with `pytest --update-golden`, then review.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from golden import GOLDEN, check_golden
from qadocs.build import generate
from qadocs.cli import main
from qadocs.plan import Options

CASES = sorted(p for p in (GOLDEN / "check").iterdir() if p.is_dir())


def _content(case: Path, root: Path) -> Path:
    content = root / "content"
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case)
        if path.is_dir() or path.name == "expected.yaml":
            continue
        dest = content / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if path.name.endswith(".symlink"):
            os.symlink(path.read_text(encoding="utf-8").strip(), dest.with_name(path.name[: -len(".symlink")]))
        else:
            shutil.copy2(path, dest)
    (root / "imgs").mkdir(exist_ok=True)
    return content


def test_enough_cases() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_golden(case: Path, tmp_path: Path, update_golden: bool) -> None:
    content = _content(case, tmp_path)
    out = tmp_path / "build" / "docs"
    result = generate(Options(tmp_path, content, tmp_path / "imgs"), out)  # must not raise
    diags = [f"{d.path}:{d.line}:{d.col} {d.severity} {d.code}" for d in result.diagnostics]
    pages = sorted(q["title"] for q in json.loads((out / "questions.json").read_text(encoding="utf-8")))
    actual = yaml.safe_dump({"diagnostics": diags, "pages": pages}, allow_unicode=True, sort_keys=False)
    check_golden(case / "expected.yaml", actual, update_golden)
    for entry in json.loads((out / "questions.json").read_text(encoding="utf-8")):
        assert (out / entry["url"].strip("/") / "index.md").is_file()
    written = [p for p in out.rglob("*") if p.is_file()]
    assert all(b"localhost" not in p.read_bytes() or p.suffix == ".md" for p in written)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_command_exit_codes(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _content(case, tmp_path)
    code = main(["check", "--root", str(tmp_path)])
    out = capsys.readouterr().out
    errors = int(out.strip().splitlines()[-1].split(": ")[-1].split(" errors")[0])
    assert code == (1 if errors else 0)
    strict = main(["check", "--root", str(tmp_path), "--strict"])
    capsys.readouterr()
    assert strict == (1 if errors or " 0 warnings" not in out else 0)
