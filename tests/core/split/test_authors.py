"""Other authors' heading styles (issue 9): every planted question gets its page, sections and
topics become chapters, placeholders and answer parts stay text, and nothing is lost."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from authors import Planted, PlantedFile, make_authors
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
