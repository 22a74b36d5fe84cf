"""`qadocs.warm`: pages read and templates compiled in forked copies, taken by the build only
when they are what the build would have read and compiled itself."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import pytest
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from qadocs import beside
from qadocs.beside import Copy
from qadocs.warm import KeptBytecode, Warmed, Warming, _compile, _read_pages, read_warmed

PAGES = {
    "a.md": "---\ntitle: 甲\nid: a\n---\n\n# 甲\n\n正文\n".encode(),
    "sub/b.md": "\ufeff---\ntags: [x, y]\n---\nbody".encode(),  # a byte-order mark, as MkDocs reads it
    "sub/c.md": b"no front matter\n",
    "sub/bad.md": "---\ntitle: \u9519\n---\n".encode("gb18030"),  # not UTF-8: left to MkDocs
    ".hidden/d.md": b"hidden\n",
    "e.txt": b"not a page\n",
}


def _docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    for name, data in PAGES.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_bytes(data)
    return docs


def _page(docs: Path, name: str) -> Page:
    file = File(name, str(docs), str(docs.parent / "site"), use_directory_urls=True)
    return Page(None, file, {})  # type: ignore[arg-type]


def test_pages_are_read_as_mkdocs_reads_them(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    read = _read_pages(docs)
    assert sorted(Path(p).relative_to(docs).as_posix() for p in read) == ["a.md", "sub/b.md", "sub/c.md"]
    config = SimpleNamespace(plugins=SimpleNamespace(on_page_read_source=lambda **k: None))
    for name in ("a.md", "sub/b.md", "sub/c.md"):
        by_mkdocs, warmed = _page(docs, name), _page(docs, name)
        by_mkdocs.read_source(config)  # type: ignore[arg-type]
        assert read_warmed(warmed, Warmed(pages=read))
        assert (warmed.markdown, warmed.meta) == (by_mkdocs.markdown, by_mkdocs.meta)
    assert read[str(docs / "a.md")][3] == {"title": "甲", "id": "a"}


def test_a_page_changed_since_it_was_read_is_read_again(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    warmed = Warmed(pages=_read_pages(docs))
    page = _page(docs, "a.md")
    (docs / "a.md").write_bytes(PAGES["a.md"] + b"more\n")
    assert not read_warmed(page, warmed) and page.markdown is None
    os.utime(docs / "sub/c.md", ns=(0, 0))  # same size, another time
    assert not read_warmed(_page(docs, "sub/c.md"), warmed)
    assert not read_warmed(_page(docs, "sub/bad.md"), warmed)  # never read: MkDocs reports it


def _theme(tmp_path: Path, body: str) -> SimpleNamespace:
    folder = tmp_path / "theme"
    (folder / "partials").mkdir(parents=True, exist_ok=True)
    (folder / "main.html").write_text('{% include "partials/x.html" %}' + body, encoding="utf-8")
    (folder / "partials" / "x.html").write_text("{{ title | shout }}|", encoding="utf-8")
    (folder / "uses-other.html").write_text("{{ 1 | not_here }}", encoding="utf-8")
    (folder / ".icons").mkdir(exist_ok=True)
    (folder / ".icons" / "i.html").write_text("{{ never }}", encoding="utf-8")

    def env() -> jinja2.Environment:
        return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)))

    return SimpleNamespace(theme=SimpleNamespace(get_env=env))


def test_templates_compiled_beside_render_as_compiled_here(tmp_path: Path) -> None:
    config = _theme(tmp_path, "{{ title }}")
    filters = {"shout": str.upper}
    entries = _compile(config, filters)  # type: ignore[arg-type]
    assert len(entries) == 2  # main.html and its partial; not the one with a filter it lacks, nor icons
    env = config.theme.get_env()
    env.filters.update(filters)
    env.bytecode_cache = KeptBytecode(dict(entries))

    def no_compile(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("compiled again")

    env.compile = no_compile  # type: ignore[method-assign]
    assert env.get_template("main.html").render(title="x") == "X|x"
    fresh = config.theme.get_env()
    fresh.filters.update(filters)
    fresh.bytecode_cache = KeptBytecode(dict(entries))
    (tmp_path / "theme" / "main.html").write_text('{% include "partials/x.html" %}changed', encoding="utf-8")
    assert fresh.get_template("main.html").render(title="x") == "X|changed"  # a changed source is compiled


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this system")
def test_warming_hands_over_what_its_copies_did(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(beside.threading, "active_count", lambda: 1)
    monkeypatch.setattr(beside, "_cores", lambda: 2)
    config = _theme(tmp_path, "")
    docs = _docs(tmp_path)
    warming = Warming(config, 0, {"shout": str.upper}, on=True)  # type: ignore[arg-type]
    warming.read(str(docs))
    assert warming.compiling is not None and warming.reading is not None
    assert warming.compiling.receive.poll(60)  # it runs at the lowest priority: when a core is free
    warmed = warming.take()
    assert sorted(warmed.pages) == sorted(_read_pages(docs)) and len(warmed.bytecode) == 2
    assert warming.take() == Warmed()  # taken once
    off = Warming(config, 0, {}, on=False)  # type: ignore[arg-type]
    off.read(str(docs))
    assert off.compiling is None and off.reading is None and off.take() == Warmed()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this system")
def test_a_copy_not_done_when_asked_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    copy = Copy(lambda: time.sleep(30))
    started = time.perf_counter()
    assert copy.result(wait=False) == (False, None)
    assert time.perf_counter() - started < 5 and not copy.process.is_alive()
