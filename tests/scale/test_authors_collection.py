"""The generated 300-file "other authors" collection (tests/authors.py, issue 9) split and
generated whole: nothing is lost."""

from __future__ import annotations

import json
from pathlib import Path

from authors import make_authors
from nothing_lost import lost_lines
from qadocs.core.build import generate
from qadocs.core.plan.site import Options


def test_authors_collection_loses_nothing(tmp_path: Path) -> None:
    planted = make_authors(tmp_path)
    out = tmp_path / "build" / "docs"
    generate(Options(tmp_path, planted.content, tmp_path / "imgs"), out)
    questions = json.loads((out / "questions.json").read_text(encoding="utf-8"))
    checked, lost = lost_lines(planted.content, out)
    print(
        f"authors: {len(planted.files)} files, {planted.questions} questions and {planted.sections} "
        f"sections/topics planted, {len(questions)} question pages, {checked} lines checked, {len(lost)} lost"
    )
    assert lost == [], f"{len(lost)} lines lost, first ones:\n" + "\n".join(lost[:20])
    assert checked > 10000
    want = {(rel, q.line) for rel, f in planted.files.items() for q in f.questions}
    found = {(q["source"], q["source_line"]) for q in questions}
    missing = sorted(want - found)
    assert not missing, f"{len(missing)} planted questions have no page, first ones:\n" + "\n".join(
        f"{rel}:{line}" for rel, line in missing[:20]
    )
    assert len(questions) == planted.questions
