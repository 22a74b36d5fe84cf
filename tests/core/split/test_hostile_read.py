"""Hostile input at read time (issue 7): UTF-16 sources, file names that are not UTF-8, folder
symlinks, five-digit question numbers. Each gives a path:line diagnostic, never a traceback,
and no question is lost."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from findings import content_findings
from qadocs.cli import main
from qadocs.core.build import generate
from qadocs.core.model import Diagnostic
from qadocs.core.plan.site import Options
from qadocs.core.split.questions import split_source
from qadocs.core.split.read import decode

needs_symlinks = pytest.mark.skipif(
    not hasattr(os, "symlink") or sys.platform == "win32", reason="needs POSIX symlinks"
)


needs_byte_names = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="needs a file system that takes any bytes as a name"
)


def _source(title: str) -> str:
    return (
        f'<h2 id="1.{title}">1.{title}</h2>\r\n\r\n{title}的回答。\r\n\r\n'
        f'<h2 id="2.{title}续">2.{title}续</h2>\r\n\r\n{title}的第二个回答。\r\n'
    )


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "content").mkdir(parents=True)
    (repo / "imgs").mkdir()
    return repo


def _generate(repo: Path) -> tuple[list[tuple[str, int, str]], list[str], list[str]]:
    """(path, line, code) of each diagnostic, sorted question titles, source paths."""
    result = generate(Options(repo, repo / "content", repo / "imgs"), repo / "out")
    diags = [(d.path, d.line, d.code) for d in content_findings(result.diagnostics)]
    return diags, sorted(q["title"] for q in result.plan.questions), [s.path for s in result.sources]


def _all_utf8(folder: Path) -> int:
    """Check every name and file under `folder` is valid UTF-8 without surrogates; count the files."""
    count = 0
    for top, dirs, files in os.walk(os.fsencode(folder)):
        for name in dirs + files:
            name.decode("utf-8")  # raises on a bad name
        for name in files:
            text = Path(os.fsdecode(os.path.join(top, name))).read_bytes()
            if name.endswith((b".md", b".json", b".yml", b".html", b".js", b".css")):
                decoded = text.decode("utf-8")
                assert not any("\udc80" <= c <= "\udcff" for c in decoded), name
            count += 1
    return count


def test_utf16_sources_are_decoded(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    content = repo / "content"
    (content / "le_bom.md").write_bytes(b"\xff\xfe" + _source("小端").encode("utf-16-le"))
    (content / "be_bom.md").write_bytes(b"\xfe\xff" + _source("大端").encode("utf-16-be"))
    (content / "le_plain.md").write_bytes(_source("无标记").encode("utf-16-le"))
    (content / "utf8.md").write_bytes(_source("正常").encode("utf-8"))
    result = generate(Options(repo, repo / "content", repo / "imgs"), repo / "out")  # must not raise
    assert [(d.path, d.line, d.severity, d.code) for d in content_findings(result.diagnostics)] == [
        ("be_bom.md", 1, "error", "not-utf8"),
        ("le_bom.md", 1, "error", "not-utf8"),
        ("le_plain.md", 1, "error", "not-utf8"),
    ]
    for diag in content_findings(result.diagnostics):
        assert "read as UTF-16" in diag.message and diag.message.endswith("Save it as UTF-8")
    assert "big-endian, with BOM" in content_findings(result.diagnostics)[0].message
    assert "little-endian, without BOM" in content_findings(result.diagnostics)[2].message
    titles = sorted(q["title"] for q in result.plan.questions)
    assert titles == sorted(f"{t}{suffix}" for t in ("小端", "大端", "无标记", "正常") for suffix in ("", "续"))
    bodies = {q.title: q.body for s in result.sources for q in s.questions}
    assert bodies["无标记续"].strip() == "无标记的第二个回答。" and "\r" not in bodies["大端"]


@needs_byte_names
def test_file_and_folder_names_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path)
    content = os.fsencode(repo / "content")
    with open(os.path.join(content, b"\xff\xfe.md"), "wb") as f:
        f.write(_source("坏文件名").encode("utf-8"))
    os.mkdir(os.path.join(content, b"\xe4\xb8"))  # a cut-off 中
    with open(os.path.join(content, b"\xe4\xb8", b"ok.md"), "wb") as f:
        f.write(_source("坏目录名").encode("utf-8"))
    (repo / "content" / "好.md").write_text(_source("好文件名").replace("\r", ""), encoding="utf-8")
    result = generate(Options(repo, repo / "content", repo / "imgs"), repo / "out")  # must not raise
    assert [(d.path, d.line, d.severity, d.code) for d in content_findings(result.diagnostics)] == [
        ("\ufffd/ok.md", 1, "error", "not-utf8"),
        ("\ufffd\ufffd.md", 1, "error", "not-utf8"),
    ]
    assert (
        content_findings(result.diagnostics)[0].message
        == "folder name is not UTF-8; shown as '\ufffd/ok.md'; rename it"
    )
    assert (
        content_findings(result.diagnostics)[1].message
        == "file name is not UTF-8; shown as '\ufffd\ufffd.md'; rename it"
    )
    assert sorted(q["title"] for q in result.plan.questions) == sorted(
        f"{t}{suffix}" for t in ("坏文件名", "坏目录名", "好文件名") for suffix in ("", "续")
    )
    for entry in result.plan.questions:
        assert (repo / "out" / entry["url"].strip("/") / "index.md").is_file()
    assert _all_utf8(repo / "out") >= 6
    for registry in (repo / "content").glob("*.yml"):
        registry.read_bytes().decode("utf-8")
    # the command line prints and writes the same without a traceback
    assert main(["split", "--root", str(repo), "--out", "out2"]) == 1
    assert "\ufffd\ufffd.md:1:1: error not-utf8" in capsys.readouterr().err
    _all_utf8(repo / "out2")
    assert main(["check", "--root", str(repo), "--format", "json"]) == 1
    shown = json.loads(capsys.readouterr().out)
    assert [(d["path"], d["line"], d["code"]) for d in shown] == [
        ("content/\ufffd/ok.md", 1, "not-utf8"),
        ("content/\ufffd\ufffd.md", 1, "not-utf8"),
    ]


@needs_byte_names
def test_two_bad_names_shown_alike_stay_apart(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    content = os.fsencode(repo / "content")
    for name, title in ((b"\xff.md", "甲"), (b"\xfe.md", "乙")):
        with open(os.path.join(content, name), "wb") as f:
            f.write(_source(title).encode("utf-8"))
    diags, titles, paths = _generate(repo)
    assert paths == ["\ufffd.md", "\ufffd~2.md"]  # b"\xfe" sorts first and keeps the plain name
    assert diags == [("\ufffd.md", 1, "not-utf8"), ("\ufffd~2.md", 1, "not-utf8")]
    assert titles == ["乙", "乙续", "甲", "甲续"]


@needs_symlinks
def test_folder_symlinks(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    repo = _repo(tmp_path)
    content = repo / "content"
    (content / "a").mkdir()
    (content / "a" / "x.md").write_text(_source("甲"), encoding="utf-8")
    (repo / "shared" / "deep").mkdir(parents=True)
    (repo / "shared" / "s.md").write_text(_source("共享"), encoding="utf-8")
    (repo / "shared" / "deep" / "d.md").write_text(_source("深层"), encoding="utf-8")
    (repo / "shared" / ".hidden").mkdir()
    (repo / "shared" / ".hidden" / "h.md").write_text(_source("隐藏"), encoding="utf-8")
    outside = tmp_path_factory.mktemp("outside")
    (outside / "o.md").write_text(_source("外面"), encoding="utf-8")
    os.symlink("../shared", content / "link")  # inside the repository: read
    os.symlink(outside, content / "out")  # outside: reported, not read
    os.symlink("..", content / "a" / "loop")  # back to the content folder: a loop
    os.symlink("a", content / "dup")  # the same folder a second way
    os.symlink("../content/a", repo / "shared" / "back")  # reached through the link, already read
    os.symlink("self", content / "self")  # a link to itself
    os.symlink(outside, content / ".dotlink")  # dot names stay skipped, without a word
    diags, titles, paths = _generate(repo)
    assert diags == [
        ("a/loop", 1, "folder-repeated"),
        ("dup", 1, "folder-repeated"),
        ("link/back", 1, "folder-repeated"),
        ("out", 1, "path-outside-repo"),
    ]
    assert paths == ["a/x.md", "link/deep/d.md", "link/s.md"]
    assert titles == sorted(f"{t}{suffix}" for t in ("甲", "共享", "深层") for suffix in ("", "续"))
    result = generate(Options(repo, content, repo / "imgs"), None)
    by_code = {d.code: d for d in result.diagnostics}
    assert by_code["path-outside-repo"].severity == "error"
    assert by_code["path-outside-repo"].message == "folder is a link to a folder outside the repository; skipped"
    assert {d.severity for d in result.diagnostics if d.code == "folder-repeated"} == {"info"}


@needs_symlinks
def test_folder_symlink_loops_terminate(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    content = repo / "content"
    (content / "a" / "b").mkdir(parents=True)
    (content / "a" / "b" / "q.md").write_text(_source("循环"), encoding="utf-8")
    os.symlink("../..", content / "a" / "b" / "up")  # to content/
    os.symlink("..", content / "a" / "b" / "parent")  # to content/a
    os.symlink("l2", content / "l1")  # l1 → l2 → l1: a dangling loop
    os.symlink("l1", content / "l2")
    os.symlink("l1", content / "l3.md")  # a markdown name on the loop, reported as a link out as today
    os.symlink("..", content / "zroot")  # the repository root holds content/ and the output: skipped
    (repo / "notes.md").write_text(_source("根目录"), encoding="utf-8")
    diags, titles, paths = _generate(repo)
    assert diags == [
        ("a/b/parent", 1, "folder-repeated"),
        ("a/b/up", 1, "folder-repeated"),
        ("l3.md", 1, "path-outside-repo"),
        ("zroot", 1, "folder-repeated"),
    ]
    assert paths == ["a/b/q.md"]  # generated pages are never read back as sources
    assert titles == sorted(f"循环{suffix}" for suffix in ("", "续"))


@pytest.mark.parametrize(
    "text",
    [
        "## 12345. 题目\n\n回答。\n\n## 12346. 题目二\n\n回答二。\n",
        '<h2 id="12345.x">12345.x</h2>\n\n回答。\n',
        '<h2 id="123456.题目">123456.题目</h2>\n\n回答。\n',
    ],
)
def test_five_and_six_digit_numbers(text: str) -> None:
    source = split_source("big.md", text)
    assert source.questions, source
    number = source.questions[0].number
    assert number == ("123456" if "123456" in text else "12345")
    assert source.questions[0].title in ("题目", "x")


def test_seven_digit_numbers_are_not_question_numbers() -> None:
    source = split_source("big.md", '<h2 id="1234567.x">1234567.x</h2>\n\n回答。\n')
    assert not source.questions


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([b"", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"]), st.binary(max_size=200), st.booleans())
def test_any_bytes_decode_clean(prefix: bytes, data: bytes, spread: bool) -> None:
    if spread:  # NUL bytes at every other offset, as UTF-16 text of ASCII has them
        data = b"".join(bytes([b, 0]) for b in data)
    diags: list[Diagnostic] = []
    text = decode(prefix + data, "x.md", diags)
    assert "\x00" not in text and "\r" not in text
    assert not any("\ud800" <= c <= "\udfff" for c in text)
    assert all(d.path == "x.md" and d.line >= 1 for d in diags)
    split_source("x.md", text)


def test_unreadable_file_and_folder_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file or folder that cannot be read (permissions, I/O) is reported, the rest still builds.
    Simulated, since root (CI) reads any file whatever its mode."""
    repo = _repo(tmp_path)
    content = repo / "content"
    (content / "ok.md").write_text(_source("可读"), encoding="utf-8")
    (content / "secret.md").write_text(_source("不可读"), encoding="utf-8")
    (content / "closed").mkdir()
    (content / "closed" / "x.md").write_text(_source("关闭"), encoding="utf-8")
    read_bytes, scandir = Path.read_bytes, os.scandir

    def guarded_read(self: Path) -> bytes:
        if self.name == "secret.md":
            raise PermissionError(13, "Permission denied")
        return read_bytes(self)

    def guarded_scandir(path: Any) -> Any:
        if Path(path).name == "closed":
            raise PermissionError(13, "Permission denied")
        return scandir(path)

    monkeypatch.setattr(Path, "read_bytes", guarded_read)
    monkeypatch.setattr(os, "scandir", guarded_scandir)
    diags, titles, _ = _generate(repo)
    assert ("closed", 1, "not-readable") in diags and ("secret.md", 1, "not-readable") in diags
    assert titles == ["可读", "可读续"]
