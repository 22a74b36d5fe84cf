"""Malformed sources (tests/golden/check/<case>/): exact diagnostics, no traceback, good questions kept.

Each case folder is a content dir; a file `NAME.symlink` becomes a symlink NAME to the path it
holds. `expected.yaml` lists the diagnostics as `line:col severity code` and the titles of the
question pages that must still be built. Regenerate with `pytest --update-golden`, then review.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from golden import GOLDEN, check_golden
from qadocs.cli import main
from qadocs.core.build import generate
from qadocs.core.plan.site import Options

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
    # A maintained collection commits its registry (`qadocs registry update`): the findings below
    # are the content's own. A collection without one is tests/test_cli.py's registry-stale case.
    generate(Options(root, content, root / "imgs"), None, registry_only=True)
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


# `qadocs check` exit status per case, written by hand from what each fixture holds: 1 when it has
# an error; with --strict, 1 on a warning too. Info findings never fail. (errors, warnings) noted.
EXIT_CODES: dict[str, tuple[int, int]] = {  # case: (check, check --strict)
    "bom_crlf": (0, 0),  # clean once the BOM and CRLF are read
    "duplicate_id": (1, 1),  # 1 error
    "empty_answer": (0, 1),  # 1 warning
    "empty_file": (0, 0),  # info only (no-questions)
    "gbk": (1, 1),  # not-utf8 is an error
    "heading_not_parsed": (0, 1),  # 2 warnings
    "heading_variants": (0, 0),
    "headings_in_code": (0, 0),
    "html_headings_sections": (0, 0),
    "image_missing": (0, 1),  # 2 warnings
    "link_missing": (1, 1),  # path-outside-repo error, 2 warnings
    "near_duplicate": (0, 1),  # 2 warnings
    "no_questions": (0, 0),  # info only
    "nul_bytes": (1, 1),
    "numbering": (0, 1),  # 3 warnings
    "paths_outside": (1, 1),  # 4 errors
    "remote_image": (0, 0),  # info only
    "symlink_out": (1, 1),  # 2 errors
    "toc_unresolved": (0, 1),  # 1 warning, 1 info
    "unclosed_fence": (1, 1),  # swallows a question: an error
    "unclosed_html": (0, 1),  # 2 warnings, 1 info
    "unnumbered_heading": (0, 1),  # 1 warning
}


SUMMARY_RE = re.compile(r"^qadocs check: \d+ files, \d+ questions: (\d+) errors, (\d+) warnings, (\d+) info$")


def test_every_case_has_exit_codes() -> None:
    assert sorted(EXIT_CODES) == [c.name for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_command_exit_codes(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _content(case, tmp_path)
    code = main(["check", "--root", str(tmp_path)])
    out = capsys.readouterr().out.strip().splitlines()
    strict = main(["check", "--root", str(tmp_path), "--strict"])
    capsys.readouterr()
    assert (code, strict) == EXIT_CODES[case.name]
    # the summary counts the finding lines printed above it
    summary = SUMMARY_RE.match(out[-1])
    assert summary, out[-1]
    counts = [sum(f": {severity} " in line for line in out[:-1]) for severity in ("error", "warning", "info")]
    assert [int(n) for n in summary.groups()] == counts
