"""Other authors' heading styles (issue 9): every planted question gets its page, sections and
topics become chapters, placeholders and answer parts stay text, and nothing is lost."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from authors import Planted, PlantedFile, make_authors
from nothing_lost import lost_lines
from qadocs.core.build import generate
from qadocs.core.plan.site import Options
from qadocs.core.split.questions import split_source, survey_source
from qadocs.core.split.roles import Neighbours, neighbours


def _compare(rel: str, planted: PlantedFile, text: str, near: Neighbours) -> tuple[int, list[tuple[str, str]]]:
    """(planted questions read right, [(kind, `path:line: detail`)] for everything read otherwise),
    the file read with what its collection says of it (`near`), as the build reads it."""
    src = split_source(rel, text, near=near)
    lines = text.split("\n")
    got = {q.line: q for q in src.questions}
    want = {q.line: q for q in planted.questions}
    chapters = {c.line for c in src.chapters}
    planted_as = {s.line: "section/topic" for s in planted.sections}
    planted_as.update({p.line: "placeholder" for p in planted.placeholders})
    if planted.title is not None:
        planted_as[planted.title.line] = "source title"
    right = 0
    bad: list[tuple[str, str]] = []

    def where(line: int) -> str:
        return f"{rel}:{line}: {lines[line - 1].strip()[:70]!r}"

    for line, q in sorted(want.items()):
        g = got.get(line)
        if g is None:
            kind = "question-read-as-chapter" if line in chapters else "question-missed"
            bad.append((kind, where(line)))
        elif (g.number, g.title) != (q.number, q.title):
            bad.append(
                (
                    "number-or-title",
                    f"{where(line)} read ({g.number!r}, {g.title!r}), planted ({q.number!r}, {q.title!r})",
                )
            )
        else:
            right += 1
    for line in sorted(got.keys() - want.keys()):
        bad.append((f"{planted_as.get(line, 'answer text')}-read-as-question", where(line)))
    for s in planted.sections:
        if s.line not in chapters and s.line not in got:  # (read as a question is reported above)
            bad.append(("section-not-chapter", where(s.line)))
    for p in planted.placeholders:
        if p.line in chapters:
            bad.append(("placeholder-read-as-chapter", where(p.line)))
    if planted.title is not None and src.title_line != planted.title.line:
        bad.append(("title-not-read", f"{where(planted.title.line)} title_line={src.title_line}"))
    return right, bad


def _report(planted: Planted, right: Counter[str], bad: dict[str, list[tuple[str, str]]]) -> str:
    styles = sorted({f.style for f in planted.files.values()})
    total = Counter(f.style for f in planted.files.values() for _ in f.questions)
    out = [f"{sum(right.values())}/{planted.questions} planted questions read right; by style:"]
    for style in styles:
        kinds = Counter(kind for kind, _ in bad.get(style, []))
        detail = ", ".join(f"{k} {n}" for k, n in kinds.most_common())
        out.append(f"  {style:24} {right[style]:4}/{total[style]:<4} {detail}")
    first = [f"{style} {kind}: {msg}" for style in styles for kind, msg in bad.get(style, [])][:20]
    if first:
        out.append("first mismatches:")
        out += [f"  {m}" for m in first]
    return "\n".join(out)


def test_every_planted_question_gets_its_page(tmp_path: Path) -> None:
    planted = make_authors(tmp_path)
    assert len(planted.files) >= 300
    right: Counter[str] = Counter()
    bad: dict[str, list[tuple[str, str]]] = defaultdict(list)
    texts = {rel: (planted.content / rel).read_text(encoding="utf-8") for rel in planted.files}
    near = neighbours({rel: survey_source(text) for rel, text in texts.items()})
    for rel, record in planted.files.items():
        ok, wrong = _compare(rel, record, texts[rel], near[rel])
        right[record.style] += ok
        bad[record.style] += wrong
    report = _report(planted, right, bad)
    print(report)
    assert not any(bad.values()), report
    assert sum(right.values()) == planted.questions


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


def test_authors_collection_builds_with_mkdocs(tmp_path: Path) -> None:
    """A real `mkdocs build` of 60 other-authors files: every internal link and `#anchor` of the
    site lands (links to `<a name>`, `id`s and sub-headings of answers included), and the only
    warnings are qadocs' own findings."""
    import os
    import re
    import shutil
    import subprocess

    from conftest import MKDOCS, REPO
    from sitecheck import broken_internal_links

    make_authors(tmp_path, files=60, seed=5)
    shutil.copy2(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "build" / "docs").mkdir(parents=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    proc = subprocess.run([str(MKDOCS), "build"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    own = re.compile(r"^WARNING -  \S+\.md:\d+:\d+: error [a-z0-9-]+ ")
    assert all(own.match(line) for line in warnings), "\n".join(w for w in warnings if not own.match(w))
    pages = sorted((tmp_path / "site").rglob("*.html"))
    checked, offenders = broken_internal_links(tmp_path / "site", pages)
    to_anchor = re.compile(r'href="[^"#:]+/#[^"]+"')  # a link to an anchor inside another page
    anchored = sum(len(to_anchor.findall(p.read_text(encoding="utf-8"))) for p in pages)
    print(
        f"authors build: {len(pages)} pages, {checked} internal links checked ({anchored} into another "
        f"page's anchor), {len(offenders)} broken"
    )
    assert checked > 1000 and anchored > 10
    assert offenders == []
