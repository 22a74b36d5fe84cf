"""`qadocs.core.build`: a generation costs in proportion to the collection, and the next one to what
changed (issue 11; counted, never timed: speed is measured by bench/); what a generation keeps of
the last changes nothing; the one path rule; diagnostics shown from the repository's root."""

from __future__ import annotations

import functools
import random
import shutil
from pathlib import Path

import pytest

from counting import counted
from messy import make_collection
from qadocs.core import model
from qadocs.core.build import check_layout, generate, layout_rules, shown_from_root
from qadocs.core.errors import QadocsError
from qadocs.core.model import Diagnostic, Question, Source
from qadocs.core.options import Options
from qadocs.core.plan.pages import with_heading_ids
from qadocs.core.plan.site import Plan
from qadocs.core.text import lex, slug
from qadocs.core.text.urls import MEDIA_DIR


def test_layout_rules_without_a_layout() -> None:
    assert layout_rules(None) == ()
    assert layout_rules({"a/*.md": 3, "b.md": "page"}) == (("a/*.md", 3), ("b.md", "page"))


def test_images_folder_outside_the_repository_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "content").mkdir(parents=True)
    (tmp_path / "imgs").mkdir()
    opts = Options(root, root / "content", tmp_path / "imgs")
    with pytest.raises(QadocsError, match=r"images folder .* is outside the repository"):
        check_layout(opts, None)
    check_layout(Options(root, root / "content", root / "imgs"), None)  # a check writes nothing: no output rule


def test_diagnostics_shown_from_the_root(tmp_path: Path) -> None:
    diag = Diagnostic("a.md", 3, "warning", "empty-answer", "x")
    assert shown_from_root([diag], Options(tmp_path, tmp_path / "content", tmp_path / "imgs"))[0].path == "content/a.md"
    assert shown_from_root([diag], Options(tmp_path, tmp_path, tmp_path / "imgs")) == [diag]  # content is the root


# -- a generation parses each text once; the next one, only what changed ----------------------------


class Calls:
    """Counts the calls of the expensive steps: markdown-it's block parse, jieba, sha1."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parsed: list[str] = []
        self.slugged: list[object] = []
        self.hashed: list[str] = []
        parser = lex.block_parser()
        monkeypatch.setattr(parser, "parse", counted(self.parsed, parser.parse))
        monkeypatch.setattr(slug._SLUGS, "compute", counted(self.slugged, slug._SLUGS.compute))
        monkeypatch.setattr(model._FINGERPRINTS, "compute", counted(self.hashed, model._FINGERPRINTS.compute))

    def clear(self) -> None:
        self.parsed.clear()
        self.slugged.clear()
        self.hashed.clear()


@pytest.fixture(scope="module", autouse=True)
def _jieba_loaded() -> None:
    """jieba loads its dictionary on its first cut, once per process: not work of the test."""
    slug.slugify("词典")


def _collection(root: Path, files: int, questions: int) -> Options:
    """`files` sources of `questions` questions, each answer with a code block (read by markdown-it)."""
    token = random.Random().getrandbits(64)  # texts no other test has read
    (root / "content").mkdir(parents=True)
    for i in range(files):
        text = "".join(
            f"## {q}. 题目{token}-{i}-{q}？\n\n```python\nx = {q}\n```\n\n答案{token}-{i}-{q}。\n\n"
            for q in range(1, questions + 1)
        )
        (root / "content" / f"f{i}.md").write_text(text, encoding="utf-8")
    return Options(root, root / "content", root / "imgs")


@pytest.mark.parametrize("files", [2, 4])
def test_a_generation_parses_each_text_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: int) -> None:
    calls = Calls(monkeypatch)
    result = generate(_collection(tmp_path, files, questions=5), None)
    assert len(calls.parsed) == len(set(calls.parsed)) == files * (1 + 5)  # each source, then each answer
    assert len(calls.hashed) == files * 5  # each answer
    assert len([key for key in calls.slugged if key[2] == "q"]) == files * 5  # each title
    assert sum(len(s.questions) for s in result.sources) == files * 5


def test_the_next_generation_redoes_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_collection(tmp_path, files=14, questions_per_file=6, seed=random.Random().getrandbits(32))
    opts = Options(tmp_path, tmp_path / "content", tmp_path / "imgs")
    calls = Calls(monkeypatch)
    first = generate(opts, None)
    calls.clear()
    again = generate(opts, None)
    assert (calls.parsed, calls.slugged, calls.hashed) == ([], [], [])  # nothing changed, nothing redone
    assert again.plan.files == first.plan.files and again.diagnostics == first.diagnostics
    edited = next(
        s
        for s in first.sources
        if s.questions
        and _plain_utf8(opts, s.path)
        # its last answer written once in the file: the edit below lands in that answer
        and (opts.content_dir / s.path).read_text(encoding="utf-8").count(s.questions[-1].body) == 1
    )
    path = opts.content_dir / edited.path
    answer = edited.questions[-1].body
    token = random.Random().getrandbits(64)  # an answer no other test has seen
    path.write_text(path.read_text(encoding="utf-8").replace(answer, f"{answer}\n\n补充{token}。", 1), encoding="utf-8")
    now = next(s for s in generate(opts, None).sources if s.path == edited.path)
    assert calls.parsed[0] == path.read_text(encoding="utf-8").removesuffix("\n")  # that source
    # then answers of that source alone: the edited one (as written, and with its headings' ids),
    # and others the checks read again (the checks of an unchanged source are not run again, so
    # what they alone asked of an answer is not kept beyond the generation after)
    answers = {q.body for q in now.questions} | {with_heading_ids(q.body, q.body_line, q.inner) for q in now.questions}
    assert set(calls.parsed[1:]) <= answers and len(calls.parsed) == len(set(calls.parsed))
    assert (len(calls.hashed), calls.slugged) == (1, [])  # its fingerprint; no title changed


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _same_as_from_nothing(opts: Options, warm: Path, cold: Path, seed: int) -> Plan:
    """A generation with every memo of the earlier ones at hand, and one from nothing (as a new
    process makes it), plan the same and leave the same docs dir (`seed`: the collection's)."""
    again = generate(opts, warm, write_registry=False)
    model.forget_all()
    shutil.rmtree(cold, ignore_errors=True)
    fresh = generate(opts, cold, write_registry=False)
    for name in ("files", "assets", "nav", "questions", "diagnostics", "registry_text", "changes", "looked"):
        assert getattr(again.plan, name) == getattr(fresh.plan, name), f"{name}, seed {seed}"
    assert again.diagnostics == fresh.diagnostics, f"seed {seed}"
    assert _tree(warm) == _tree(cold), f"seed {seed}"
    return again.plan


def _two_asking(opts: Options, sources: list[Source]) -> tuple[Source, Question, Source] | None:
    """A plain UTF-8 source, one of its answered questions whose heading line shows its title as
    written, and another plain UTF-8 source with questions; None when the collection has none."""
    asking = [s for s in sources if s.questions and _plain_utf8(opts, s.path)]
    for src in asking:
        lines = (opts.content_dir / src.path).read_text(encoding="utf-8").split("\n")
        shown = [q for q in reversed(src.questions) if q.body and q.title in lines[q.line - 1]]
        other = [s for s in asking if s is not src]
        if shown and other:
            return src, shown[0], other[-1]
    return None


def test_what_a_generation_keeps_of_the_last_changes_nothing(tmp_path: Path) -> None:
    """`serve` regenerates after each edit with the memos of the generations before (checks,
    registry, front matter, anchor maps, URLs, the written files): after edits of every kind, its
    result is the one a new process makes."""
    opts = Options(tmp_path, tmp_path / "content", tmp_path / "imgs")
    picked = None
    while picked is None:  # a collection with two sources of questions (nearly every seed)
        shutil.rmtree(opts.content_dir, ignore_errors=True)
        seed = random.Random().getrandbits(32)
        make_collection(tmp_path, files=8, questions_per_file=5, seed=seed)
        picked = _two_asking(opts, generate(opts, None).sources)
    first, q, second = picked
    path, other = opts.content_dir / first.path, opts.content_dir / second.path
    warm, cold = tmp_path / "build" / "warm", tmp_path / "build" / "cold"
    generate(opts, warm)  # writes the registry the later generations read
    same = functools.partial(_same_as_from_nothing, opts, warm, cold, seed)

    def edit(old: str, new: str, where: Path = path) -> None:
        text = where.read_text(encoding="utf-8")
        assert old in text
        where.write_text(text.replace(old, new, 1), encoding="utf-8")

    same()
    edit(q.body, "新的一行 </div>\n\n" + q.body)  # a finding, and lines added: the questions after it move down
    same()
    edit(q.title, q.title + "（改）")  # retitled: its page, its anchors, every link to it
    same()
    (opts.imgs_dir / "fig1.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # an image that was missing
    (opts.imgs_dir / "fig2.jpg").write_bytes(b"\xff\xd8\xff")
    edit(q.body, q.body + '\n\n![图](imgs/fig1.png) <img src="imgs/fig2.jpg">\n')
    same()
    (opts.imgs_dir / "fig1.png").unlink()  # and gone again
    same()
    edit(q.body, q.body + f"\n\n[链接](<{second.path.rsplit('/', 1)[-1]}#{second.questions[0].anchor}>)\n")
    other.write_text(other.read_text(encoding="utf-8") + "\n## 新题？\n\n新答案。\n", encoding="utf-8")
    same()
    twin = second.questions[0]  # the same question written in a third file: one page for both
    (opts.content_dir / "twin.md").write_text(f"## {twin.title}\n\n{twin.body}\n", encoding="utf-8")
    same()
    registry_file = opts.content_dir / "qadocs-registry.yml"
    lines = registry_file.read_text(encoding="utf-8").split("\n")
    url = next(n for n, line in enumerate(lines) if line.startswith("  url: "))
    lines[url] = lines[url] + "-renamed"  # a maintainer moves a URL by hand
    registry_file.write_text("\n".join(lines), encoding="utf-8")
    same()
    (opts.content_dir / "twin.md").unlink()
    same()
    (opts.imgs_dir / "a.png").write_bytes(b"\x89PNG a")  # an image reached through a link, retargeted
    (opts.imgs_dir / "b.png").write_bytes(b"\x89PNG bb")
    (opts.imgs_dir / "shown.png").symlink_to("a.png")
    edit(q.body, q.body + "\n\n![图](imgs/shown.png)\n")
    assert f"{MEDIA_DIR}/imgs/a.png" in same().assets  # copied under the name it has
    (opts.imgs_dir / "shown.png").unlink()
    (opts.imgs_dir / "shown.png").symlink_to("b.png")
    assets = same().assets  # in this process too, not only in a new one
    assert f"{MEDIA_DIR}/imgs/b.png" in assets and f"{MEDIA_DIR}/imgs/a.png" not in assets
    page = next(p for p in sorted(warm.rglob("index.md")) if p.stat().st_size > 100)
    data = page.read_bytes()  # someone else rewrites a generated page in place, same size
    page.write_bytes(data[:-1] + (b"x" if data[-1:] != b"x" else b"y"))
    same()


def _plain_utf8(opts: Options, path: str) -> bool:
    data = (opts.content_dir / path).read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
