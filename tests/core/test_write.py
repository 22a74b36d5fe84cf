"""The one writer (`qadocs.core.write`): only changed bytes; a copied or generated file that did not
change is not read; stale files and empty folders removed; never a path leaving the output, never
through a planted symlink or into a named pipe (issue 7, finding 5)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from qadocs.core import write
from qadocs.core.errors import QadocsError
from qadocs.core.plan.site import Plan
from qadocs.core.write import MARKER, write_plan


@pytest.mark.parametrize("rel", ["../escape.md", "/abs.md", "a/../../b.md", "a//b.md", ".."])
def test_5_writer_refuses_any_path_leaving_the_output(tmp_path: Path, rel: str) -> None:
    """Defence in depth: whatever the planner produced, the one writer checks every path."""
    from qadocs.core.plan.site import Plan
    from qadocs.core.write import write_plan

    plan = Plan(files={rel: "x"}, assets={}, nav=[], questions=[], diagnostics=[], registry_text="", changes=[])
    with pytest.raises(QadocsError):
        write_plan(plan, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.rglob("*.md")) == []


def test_5_writer_never_writes_through_a_planted_symlink(tmp_path: Path) -> None:
    from qadocs.core.plan.site import Plan
    from qadocs.core.write import MARKER, write_plan

    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text("", encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    os.symlink(victim, out / "index.md")
    plan = Plan(
        files={"index.md": "new"}, assets={}, nav=[], questions=[], diagnostics=[], registry_text="", changes=[]
    )
    write_plan(plan, out)
    assert victim.read_text(encoding="utf-8") == "keep"
    assert not (out / "index.md").is_symlink() and (out / "index.md").read_text(encoding="utf-8") == "new"


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
