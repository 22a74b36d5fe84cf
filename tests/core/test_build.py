"""A generation costs in proportion to the collection, and the next one to what changed (issue 11).

Counts, never timings: each text is parsed once per generation (whatever the number of bodies),
a generation of unchanged content parses, cuts and hashes nothing again, the registry is read in
one pass, a copied file that did not change is not read. The fast writers (`escape.yaml_text`,
`escape.json_for_html`, `resolve.relative_path`) against what they stand in for, byte for byte;
`links.locate` and the writer against the plain versions they replace. Speed: bench/.
"""

from __future__ import annotations

import functools
import json
import os
import posixpath
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from messy import make_collection
from qadocs.core import model, write
from qadocs.core.build import generate
from qadocs.core.model import Memo, Question, Source, fingerprint, new_generation
from qadocs.core.options import Options
from qadocs.core.plan.links import OUTSIDE, locate
from qadocs.core.plan.pages import with_heading_ids
from qadocs.core.plan.resolve import relative_path
from qadocs.core.plan.site import Plan
from qadocs.core.registry import entries as registry
from qadocs.core.registry.entries import parse_registry
from qadocs.core.split.read import is_inside, read_sources
from qadocs.core.text import lex, slug
from qadocs.core.text.escape import SAFE_DUMPER, json_for_html, json_list_for_html, yaml_text
from qadocs.core.text.lex import code_of, parse_blocks
from qadocs.core.text.urls import MEDIA_DIR
from qadocs.core.write import MARKER, write_plan

# -- Memo: what the last two generations asked for -------------------------------------------------


def counted(seen: list[Any], compute: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def compute_and_count(key: Any) -> Any:
        seen.append(key)
        return compute(key)

    return compute_and_count


def test_memo_keeps_two_generations() -> None:
    seen: list[int] = []
    memo: Memo[int, int] = Memo(counted(seen, lambda k: k * k))
    assert [memo(k) for k in (1, 2, 1)] == [1, 4, 1]
    memo.new_generation()
    assert memo(2) == 4  # asked in the generation before: kept
    memo.new_generation()
    assert memo(2) == 4 and memo(1) == 1  # 2 was asked again last time; 1 two generations ago: gone
    assert seen == [1, 2, 1]


def test_memo_is_bounded_without_generations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "MAX_MEMO", 4)
    memo: Memo[int, int] = Memo(lambda k: k)
    for k in range(100):
        memo(k)
    assert len(memo.now) + len(memo.before) <= 8


def test_code_of_reads_each_body_once_whatever_their_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks read every body, then the resolver does, in the same order: an LRU of 4,096
    entries worked out each of 5,000 bodies twice. Each is worked out once now, and once only in
    the next generation too."""
    seen: list[str] = []
    monkeypatch.setattr(lex._CODE, "compute", counted(seen, lex._CODE.compute))
    tag = random.Random().getrandbits(64)  # texts no other test has read
    bodies = [f"答案 {tag} {n} `code` and\n\n    indented code\n" for n in range(5_000)]
    for _ in range(2):  # the checks, then the resolver
        assert all(code_of(body).is_block(2) for body in bodies)
    new_generation()  # `mkdocs serve`, after an edit
    assert all(code_of(body).spans_on(0) for body in bodies)
    assert len(seen) == len(bodies)


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


# -- the registry: one pass ------------------------------------------------------------------------

REGISTRY = "questions:\n- id: a\n  url: a\n  title: '**粗体** 与 *斜体*'\n  source: s.md\ndeleted: []\n"


def test_registry_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    scans: list[str] = []
    monkeypatch.setattr(registry.yaml, "parse", counted(scans, yaml.parse))
    reg, diags = parse_registry(REGISTRY, "r.yml")
    assert reg is not None and diags == [] and reg.questions[0].title == "**粗体** 与 *斜体*"
    assert scans == []  # no separate pass over the events looking for aliases


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: &a [x]\nquestions: [*a]\n", "alias"),
        ("questions: &q [*q]\n", "alias"),  # a node that holds itself
        ("a: &a [x]\nb: *a\nquestions: [\n", "alias"),  # an alias before the error is what is said
        ("questions: [\na: &a x\nb: *a\n", "not valid YAML"),  # an error before the alias
        ("questions: [*nope]\n", "alias"),
    ],
)
def test_registry_aliases_refused(text: str, problem: str) -> None:
    reg, [diag] = parse_registry(text, "r.yml")
    assert reg is None and diag.code == "registry-invalid" and problem in diag.message


# -- the writer: a copied file that did not change is not read ------------------------------------


def _plan(files: dict[str, str], assets: dict[str, Path]) -> Plan:
    return Plan(files=files, assets=assets, nav=[], questions=[], diagnostics=[], registry_text="", changes=[])


# What the writer trusts must be older than a time stamp's tick: the tests shorten that to 20 ms
# and wait 50 ms, longer than any Linux tick, where they need a file to have settled.
SETTLE_SECONDS = 0.05


def test_copied_file_read_only_when_something_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write, "SETTLED_NS", 20_000_000)
    image = tmp_path / "imgs" / "a.png"
    image.parent.mkdir()
    image.write_bytes(b"\x89PNG one")
    time.sleep(SETTLE_SECONDS)
    reads: list[Path] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (reads.append(self), read_bytes(self))[1])
    out = tmp_path / "out"
    plan = _plan({"index.md": "x"}, {"media/a.png": image})
    assert write_plan(plan, out).written == 3 and reads == [image]
    time.sleep(SETTLE_SECONDS)
    assert write_plan(plan, out).unchanged == 3 and reads == [image, image]  # the copy was too new to trust
    stats = write_plan(plan, out)
    assert (stats.written, stats.unchanged, reads) == (0, 3, [image, image])  # neither the image nor its copy read
    before = image.stat()
    image.write_bytes(b"\x89PNG two")  # same size, same modification time: the change time still moves
    os.utime(image, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert write_plan(plan, out).written == 1 and (out / "media" / "a.png").read_bytes() == b"\x89PNG two"
    (out / "media" / "a.png").write_bytes(b"\x89PNG xxx")  # the copy edited in place, in the same tick maybe
    assert write_plan(plan, out).written == 1 and (out / "media" / "a.png").read_bytes() == b"\x89PNG two"
    assert write_plan(plan, out).unchanged == 3


def test_generated_file_read_only_when_something_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page this process wrote, unchanged since, is not read again to learn that it holds what
    is planned; one changed in place is, however its times are set, and is written again."""
    monkeypatch.setattr(write, "SETTLED_NS", 20_000_000)
    out = tmp_path / "out"
    plan = _plan({"a/index.md": "页面一", "b/index.md": "页面二"}, {})
    assert write_plan(plan, out).written == 3
    time.sleep(SETTLE_SECONDS)
    opened: list[str] = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda f, *a, **k: (opened.append(str(f)), real_open(f, *a, **k))[1])
    assert write_plan(plan, out).unchanged == 3 and len(opened) == 3  # too new to trust when written: read back
    opened.clear()
    stats = write_plan(plan, out)
    assert (stats.written, stats.unchanged, opened) == (0, 3, [])
    page = out / "a" / "index.md"
    before = page.stat()
    page.write_bytes("页面三".encode())  # same size, times set back: the change time still moves
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert write_plan(plan, out).written == 1 and page.read_text(encoding="utf-8") == "页面一"
    changed = _plan({"a/index.md": "页面四", "b/index.md": "页面二"}, {})  # a new plan, same size
    assert write_plan(changed, out).written == 1 and page.read_text(encoding="utf-8") == "页面四"
    assert write_plan(changed, out).unchanged == 3


def test_stale_files_and_empty_folders_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_plan(_plan({"a/b/index.md": "x", "a/c/index.md": "y"}, {}), out)
    (out / "old" / "deep" / "er").mkdir(parents=True)
    (out / "old" / "deep" / "page.md").write_text("z", encoding="utf-8")
    (out / "empty").mkdir()
    stats = write_plan(_plan({"a/b/index.md": "x"}, {}), out)
    assert (stats.written, stats.unchanged, stats.removed) == (0, 2, 2)
    left = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert left == [MARKER, "a", "a/b", "a/b/index.md"]


# -- folder links: followed in path order, from a heap (no sort per link) -----------------------------


def test_folder_links_followed_in_path_order(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for folder in ("shared", "other"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"{folder}.md").write_text("## 1. 题目？\n\n答案\n", encoding="utf-8")
    for n in range(300):  # three hundred links to one folder: the first by path reads it
        os.symlink("../shared", content / f"l{n:03d}")
    os.symlink("../other", tmp_path / "shared" / "inner")  # met while following l000: before l001
    os.symlink("../other", content / "zz")
    sources, diags = read_sources(content, tmp_path)
    assert [s.path for s in sources] == ["l000/inner/other.md", "l000/shared.md"]
    repeated = {d.path: d.message for d in diags if d.code == "folder-repeated"}
    assert len(repeated) == 300 and "'l000'" in repeated["l299"] and "'l000/inner'" in repeated["zz"]


# -- locate: the first candidate inside the repository, each real path worked out when needed ------


def locate_reference(candidates: list[Path], repo_root: Path) -> Path | Literal["outside"] | None:
    """The plain version: every candidate's real path first."""
    leaving = [c for c in candidates if not is_inside(c, repo_root)]
    for candidate in candidates:
        if candidate not in leaving and candidate.is_file():
            return candidate
    if leaving and (len(leaving) == len(candidates) or any(c.exists() for c in leaving)):
        return OUTSIDE
    return None


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("locate")
    repo, outside = base / "repo", base / "outside"
    (repo / "imgs").mkdir(parents=True)
    outside.mkdir()
    (repo / "imgs" / "in.png").write_bytes(b"x")
    (outside / "out.png").write_bytes(b"x")
    os.symlink(outside / "out.png", repo / "imgs" / "link.png")
    return {
        "repo": repo,
        "file": repo / "imgs" / "in.png",
        "missing": repo / "imgs" / "none.png",
        "folder": repo / "imgs",
        "link-out": repo / "imgs" / "link.png",
        "outside-file": repo / ".." / "outside" / "out.png",
        "outside-missing": repo / ".." / "outside" / "none.png",
    }


KINDS = ["file", "missing", "folder", "link-out", "outside-file", "outside-missing"]


@given(st.lists(st.sampled_from(KINDS), max_size=4))
def test_locate_same_as_reference(places: dict[str, Path], kinds: list[str]) -> None:
    candidates = [places[k] for k in kinds]
    assert locate(candidates, places["repo"]) == locate_reference(candidates, places["repo"])


def test_locate_stops_at_the_first_file_inside(places: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    resolved: list[str] = []
    monkeypatch.setattr(os.path, "realpath", counted(resolved, os.path.realpath))
    candidates = [places["missing"], places["file"], places["link-out"], places["outside-file"]]
    assert locate(candidates, places["repo"]) == places["file"]
    assert len(resolved) == 2  # the repository, then the one candidate that is a file


# -- the fast writers, byte for byte against what they stand in for ---------------------------------

PIECES = [*"ab -?:#,[]{}&*!|>'\"%@`.~<=+0129eEyYnNtTfFoO_/\\显？：&;", "---", "...", "null", "true", "0x1f", "1.5"]
ODD = ["\t", "\n", "\r", "\x85", "\u2028", "\xa0", "\ufeff", "\U0001f600", "\x00", "é"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
ODD_TEXT = st.lists(st.sampled_from(PIECES + ODD), max_size=8).map("".join)


def yaml_values(text: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    scalar = st.one_of(text, st.integers(-(10**20), 10**20), st.none(), st.booleans(), st.floats(allow_nan=False))
    return st.recursive(
        st.one_of(scalar, st.lists(scalar, max_size=3)),
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)),
        max_leaves=8,
    )


def dumped(data: Any) -> str:
    return yaml.dump(data, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)


@settings(max_examples=100)
@given(st.dictionaries(TEXT, yaml_values(TEXT), max_size=5))
def test_yaml_text_same_as_yaml_dump(data: dict[str, Any]) -> None:
    assert yaml_text(data) == dumped(data)


@settings(max_examples=100)
@given(st.dictionaries(ODD_TEXT, yaml_values(ODD_TEXT), max_size=4))
def test_yaml_text_same_as_yaml_dump_for_odd_text(data: dict[str, Any]) -> None:
    assert yaml_text(data) == dumped(data)


def test_yaml_text_cases() -> None:
    shared = ["x"]
    cases: list[dict[str, Any]] = [
        {"id": "a", "title": "显存 RAG是什么？", "number": 8, "chapter": None, "anchors": ["8-x", "- y", "#z", ""]},
        {"also_in": [{"source": "a.md", "source_line": 3}], "old_urls": [], "meta": {}, "n": {"a": "8"}},
        {"a": shared, "b": shared},  # one list twice: yaml writes an anchor and an alias
        {"k" * 200: 1, "": 2},  # keys no emitter writes plain
        {"long": "字 " * 6000},  # long enough to be folded
    ]
    for data in cases:
        assert yaml_text(data) == dumped(data)


JSON_TEXT = st.text(alphabet=st.sampled_from([*'ab"\\\n\t\x00\x1f<>&\u2028\u2029显 é', "\U0001f600"]), max_size=6)
JSON_VALUES = st.recursive(
    st.one_of(JSON_TEXT, st.integers(-(10**30), 10**30), st.none(), st.booleans(), st.floats(allow_nan=False)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(JSON_TEXT, inner, max_size=3),
    ),
    max_leaves=12,
)


@settings(max_examples=100)
@given(JSON_VALUES, st.integers(0, 3))
def test_json_for_html_same_as_json_dumps(data: Any, indent: int) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    expected = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    assert json_for_html(data, indent=indent) == expected.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@settings(max_examples=100)
@given(st.lists(JSON_VALUES, max_size=4), st.integers(0, 3))
def test_json_list_for_html_same_as_json_for_html(items: list[Any], indent: int) -> None:
    assert json_list_for_html(items, indent) == json_for_html(items, indent=indent)
    assert json_list_for_html(items, indent) == json_for_html(items, indent=indent)  # the kept texts


SEGMENT = st.sampled_from(["a", "b", "页", "..", ".", "", "a b", "%"])
DOCS_PATH = st.one_of(st.just("."), st.lists(SEGMENT, max_size=4).map("/".join))


@given(DOCS_PATH, DOCS_PATH)
def test_relative_path_same_as_relpath(to_path: str, from_dir: str) -> None:
    try:
        expected = posixpath.relpath(to_path, from_dir or ".")
    except ValueError:
        with pytest.raises(ValueError):
            relative_path(to_path, from_dir)
        return
    assert relative_path(to_path, from_dir) == expected


def test_fingerprint_unchanged() -> None:
    assert fingerprint("") == "da39a3ee5e6b"  # sha1 of nothing
    assert fingerprint("答案  \n\n第二行\n") == fingerprint("答案\n第二行")


# -- parse_blocks is what the count above counts ---------------------------------------------------


def test_parse_blocks_goes_through_the_block_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    parser = lex.block_parser()
    monkeypatch.setattr(parser, "parse", counted(seen, parser.parse))
    parse_blocks("# a\r\n")
    assert seen == ["# a \n"]


def test_a_named_pipe_where_a_page_or_the_registry_goes_is_replaced_never_opened(tmp_path: Path) -> None:
    from qadocs.core.write import write_atomic

    out = tmp_path / "docs"
    out.mkdir()
    (out / MARKER).write_text("", encoding="utf-8")
    os.mkfifo(out / "a.md")
    plan = Plan(files={"a.md": "页"}, assets={}, nav=[], questions=[], diagnostics=[], registry_text="", changes=[])
    stats = write_plan(plan, out)  # opening the pipe to write would block for ever
    assert (out / "a.md").read_text(encoding="utf-8") == "页" and stats.written == 2
    os.mkfifo(tmp_path / "registry.yml")
    assert write_atomic(tmp_path / "registry.yml", "questions: []\n")
    assert (tmp_path / "registry.yml").read_text(encoding="utf-8") == "questions: []\n"
    assert not write_atomic(tmp_path / "registry.yml", "questions: []\n"), "the same bytes: not written"
