"""The page cache's store and its helpers, without a build (`qadocs.plugin.prebuild`)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from qadocs.plugin import prebuild
from qadocs.plugin.prebuild import CACHE_FORMAT, PageCache, pack, tree_stamp


def _record(output: str = "<html>页</html>") -> dict[str, Any]:
    return {"output": output, "entries": [{"location": "a/", "title": "题", "text": "答"}], "title": "题",
            "anchors": ["x"], "links": {}, "logs": [["mkdocs", 30, "警告"]]}  # fmt: skip


def test_records_round_trip_in_two_parts(tmp_path: Path) -> None:
    cache = PageCache(tmp_path / "c" / "pages.sqlite", tmp_path)
    cache.put_many([("k1", *pack(_record()))])
    assert cache.get("k1", "meta") == {"title": "题", "anchors": ["x"], "links": {}, "logs": [["mkdocs", 30, "警告"]]}
    body = cache.get("k1", "body")
    assert body is not None and body["output"] == "<html>页</html>" and body["entries"][0]["text"] == "答"
    assert cache.get("k2", "meta") is None
    assert cache.have(["k1", "k2"]) == {"k1"}
    cache.put_many([("k2", *pack(_record("二")))])
    cache.keep_only({"k2"})
    assert cache.have(["k1", "k2"]) == {"k2"}
    cache.close()


def test_a_damaged_or_foreign_file_is_started_afresh(tmp_path: Path) -> None:
    path = tmp_path / "pages.sqlite"
    path.write_bytes(b"\x00garbage" * 512)
    cache = PageCache(path, tmp_path)
    cache.put_many([("k", *pack(_record()))])
    cache.close()
    with sqlite3.connect(path) as db:  # a cache of another shape: its records are not read
        db.execute(f"PRAGMA user_version = {CACHE_FORMAT + 1}")
    cache = PageCache(path, tmp_path)
    assert cache.have(["k"]) == set()
    cache.close()


def test_a_record_that_does_not_decode_is_a_miss(tmp_path: Path) -> None:
    cache = PageCache(tmp_path / "pages.sqlite", tmp_path)
    cache.put_many([("k", b"{not json", b"\x00", "out"), ("n", b"[1]", pack(_record())[1], "out")])
    assert cache.get("k", "meta") is None and cache.get("k", "body") is None
    assert cache.get("n", "meta") is None  # JSON, but not a record
    cache.close()


def test_runs_are_kept_by_stamp(tmp_path: Path) -> None:
    cache = PageCache(tmp_path / "pages.sqlite", tmp_path)
    cache.put_run("generate", "s1", {"nav": [], "lines": [[20, "好"]]})
    assert cache.get_run("generate", lambda kept: "s1") == {"nav": [], "lines": [[20, "好"]]}
    assert cache.get_run("generate", lambda kept: "s2") is None
    asked: list[str] = []
    assert cache.get_run("other", lambda kept: asked.append("x") or "s1") is None
    assert asked == []  # no run of that name is kept: its stamp is not worked out
    cache.close()


def test_tree_stamp_sees_edits_and_new_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.md").write_text("一", encoding="utf-8")
    first = tree_stamp(tmp_path)
    assert tree_stamp(tmp_path) == first
    (tmp_path / "a" / "x.md").write_text("一二", encoding="utf-8")
    second = tree_stamp(tmp_path)
    assert second != first
    (tmp_path / "y.md").write_text("", encoding="utf-8")
    assert tree_stamp(tmp_path) != second


def test_jieba_runs_once_per_distinct_short_text() -> None:
    calls: list[str] = []

    def segment(data: str) -> str:
        calls.append(data)
        return data.replace("模型", "\u200b模型")

    index = SimpleNamespace(_segment_chinese=segment)
    config: Any = SimpleNamespace(plugins={"search": SimpleNamespace(search_index=index)})
    prebuild._remember_segments(config)
    prebuild._remember_segments(config)  # wrapped once only
    long = "扩散模型" * 100
    for text in ["扩散模型", "扩散模型", "注意力", long, long]:
        index._segment_chinese(text)
    assert calls == ["扩散模型", "注意力", long, long]


class _Arriving:
    """Stands for `prebuild.Builds`: every page still to arrive; `wait` is when one is needed."""

    def __init__(self, keys: set[str]) -> None:
        self.waiting, self.waited = set(keys), []

    def take_ready(self) -> None:
        """Nothing has arrived unasked."""

    def wait(self, key: str) -> bool:
        self.waited.append(key)
        self.waiting.discard(key)
        return True


def _page(uri: str, meta: dict[str, Any]) -> Any:
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri), meta=meta)


def test_the_loop_waits_for_a_record_only_when_it_needs_it(tmp_path: Path) -> None:
    cache = PageCache(tmp_path / "pages.sqlite", tmp_path)
    cache.put_many([("k1", *pack(_record("一"))), ("k2", *pack(_record("二")))])
    builder = prebuild.Prebuilder(cache, workers=2, base="")
    arriving = _Arriving({"k1", "k2"})
    builder.builds = arriving  # type: ignore[assignment]
    builder.job = SimpleNamespace(files=SimpleNamespace(get_file_from_path=lambda uri: None))  # type: ignore[assignment]
    builder.keys = {"titled.md": "k1", "untitled.md": "k2"}
    titled, untitled = _page("titled.md", {"title": "题"}), _page("untitled.md", {})
    # the first loop (render): a page with its title in the front matter goes on; one whose title
    # may come from its render waits for what its render found
    builder.take_over(titled, files=None)  # type: ignore[arg-type]
    builder.take_over(untitled, files=None)  # type: ignore[arg-type]
    assert arriving.waited == ["k2"] and builder.late == {"titled.md"}
    assert titled.meta["template"] == untitled.meta["template"] == prebuild.TEMPLATE
    titled.render(None, None)
    assert titled.content == "" and titled.present_anchor_ids == set()
    # the second loop (templates): its record now, and what its render found with it
    body = builder.part(titled, "body")
    assert arriving.waited == ["k2", "k1"] and body is not None and body["output"] == "一"
    assert titled.present_anchor_ids == {"x"} and titled._title_from_render == "题"
    assert builder.late == set()
    cache.close()


def test_the_search_index_is_written_as_utf8_with_the_same_value() -> None:
    entries = [{"location": "a/", "title": "扩散\u200b模型", "text": "<b>x</b> \u2028"}]

    def generate(prev: Any) -> str:
        return json.dumps({"config": {"separator": "[\\s\\u200b]+"}, "docs": entries}, separators=(",", ":"))

    index = SimpleNamespace(generate_search_index=generate)
    config: Any = SimpleNamespace(plugins={"material/search": SimpleNamespace(search_index=index)})
    prebuild.plain_search_json(config)
    prebuild.plain_search_json(config)  # wrapped once only
    text = index.generate_search_index(None)
    assert json.loads(text) == json.loads(generate(None))
    assert "\\u200b" not in text.split('"docs"')[1] and "扩散\u200b模型" in text
    assert len(text.encode("utf-8")) < len(generate(None))
    entries[0]["text"] = "\ud800"  # not UTF-8: Material's escaped text stays
    assert index.generate_search_index(None) == generate(None)


def _planted(path: Path) -> None:
    """A cache file with the right tables and data, and a trigger besides."""
    cache = PageCache(path, path.parent)
    cache.put_many([("k", *pack(_record()))])
    cache.close()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TRIGGER planted AFTER INSERT ON pages BEGIN UPDATE pages SET output = x'00'; END")
    db.close()


def test_a_cache_with_anything_but_its_tables_is_started_afresh(tmp_path: Path) -> None:
    path = tmp_path / "pages.sqlite"
    _planted(path)
    cache = PageCache(path, tmp_path)
    assert cache.have(["k"]) == set(), "its records are not read"
    cache.put_many([("k2", *pack(_record("二")))])
    body = cache.get("k2", "body")
    assert body is not None and body["output"] == "二", "no trigger ran"
    cache.close()
    with sqlite3.connect(path) as db:
        assert (
            db.execute("SELECT type, name FROM sqlite_master WHERE type != 'table' AND type != 'index'").fetchall()
            == []
        )
    db.close()


def test_a_cache_reached_through_a_link_or_shared_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "repo"
    (root / "build").mkdir(parents=True)
    (root / "build" / "c").symlink_to(outside, target_is_directory=True)
    with pytest.raises(prebuild.CacheRefused, match="build/c is a symbolic link"):
        PageCache(root / "build" / "c" / "pages.sqlite", root)
    (root / "build" / "d").mkdir()
    (root / "build" / "d" / "pages.sqlite").symlink_to(outside / "x.sqlite")
    with pytest.raises(prebuild.CacheRefused, match=re.escape("pages.sqlite is a symbolic link")):
        PageCache(root / "build" / "d" / "pages.sqlite", root)
    (root / "build" / "e").mkdir()
    os.link(_touch(outside / "y.sqlite"), root / "build" / "e" / "pages.sqlite")
    with pytest.raises(prebuild.CacheRefused, match="not a plain file"):
        PageCache(root / "build" / "e" / "pages.sqlite", root)
    (root / "build" / "f").mkdir()
    (root / "build" / "f" / "pages.sqlite-journal").symlink_to(outside / "j")
    with pytest.raises(prebuild.CacheRefused, match=re.escape("pages.sqlite-journal is not a plain file")):
        PageCache(root / "build" / "f" / "pages.sqlite", root)
    assert sorted(p.name for p in outside.iterdir()) == ["y.sqlite"], "nothing written outside"


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_cache_tracked_by_git_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    PageCache(root / "build" / "c" / "pages.sqlite", root).close()  # not a repository: used
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    PageCache(root / "build" / "c" / "pages.sqlite", root).close()  # untracked: used
    subprocess.run(["git", "-C", str(root), "add", "-f", "build/c/pages.sqlite"], check=True)
    with pytest.raises(prebuild.CacheRefused, match=re.escape("git tracks build/c/pages.sqlite")):
        PageCache(root / "build" / "c" / "pages.sqlite", root)


def test_tree_stamp_follows_links_inside_the_root_only(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "shared").mkdir(parents=True)
    (root / "content" / "s").mkdir(parents=True)
    (root / "shared" / "a.md").write_text("一", encoding="utf-8")
    (root / "content" / "a.md").symlink_to(root / "shared" / "a.md")
    (root / "content" / "s" / "loop").symlink_to(root / "content" / "s", target_is_directory=True)
    (root / "content" / "up").symlink_to(root / "content", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.md").write_text("外", encoding="utf-8")
    (root / "content" / "out").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "content" / "all").symlink_to(root, target_is_directory=True)  # the repository: no source
    (root / ".hidden").mkdir()
    (root / "content" / ".x").symlink_to(root / ".hidden", target_is_directory=True)
    first, rootless = tree_stamp(root / "content", root), tree_stamp(root / "content")
    assert "b.md" not in first, "a folder outside the root is not walked"
    assert "all/" not in first and "/.x" not in first, "nor a folder holding the content, nor a hidden one"
    os.utime(root / "shared" / "a.md", ns=(1, 1))
    assert tree_stamp(root / "content", root) != first, "the target of a link is stamped"
    assert tree_stamp(root / "content") == rootless, "without a root, links are not followed"


def test_a_cache_nobody_can_vouch_for_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()  # a git work tree where git refuses to answer (another owner, say)
    failed = subprocess.CompletedProcess([], 128, b"", b"fatal: detected dubious ownership")
    monkeypatch.setattr(prebuild.subprocess, "run", lambda *a, **k: failed)
    (tmp_path / "build" / "c").mkdir(parents=True)
    with pytest.raises(prebuild.CacheUnvouched, match=r"safe\.directory"):
        PageCache(tmp_path / "build" / "c" / "pages.sqlite", tmp_path)


def test_a_vanished_record_is_built_again_not_dropped(tmp_path: Path) -> None:
    cache = PageCache(tmp_path / "pages.sqlite", tmp_path)
    builder = prebuild.Prebuilder(cache, workers=1, base="")
    built: list[str] = []

    def build_here(page: Any, key: str) -> dict[str, dict[str, Any]]:
        built.append(key)
        return {"meta": {"title": "题"}, "body": {"entries": [], "output": "再建"}}

    builder.builds = _Arriving(set())  # type: ignore[assignment]
    builder.job = SimpleNamespace(files=None)  # type: ignore[assignment]
    builder.keys = {"a.md": "gone"}
    builder._build_here = build_here  # type: ignore[method-assign]
    body = builder.part(_page("a.md", {}), "body")
    assert body == {"entries": [], "output": "再建"} and built == ["gone"]
    cache.close()


def test_one_rule_for_every_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    assert prebuild.fork_refused(1, serving=False) == "one process"
    assert prebuild.fork_refused(2, serving=True) == "mkdocs serve"
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert "other thread" in str(prebuild.fork_refused(2, serving=False))
    finally:
        stop.set()
        thread.join()
    monkeypatch.setattr(prebuild.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert prebuild.fork_refused(2, serving=False) == "no fork on this system"


def test_extension_code_covers_every_extension_or_says_it_cannot() -> None:
    from pymdownx import superfences

    names = ["toc", "pymdownx.tilde", "qadocs.extensions.gfm", "markdown.extensions.tables:TableExtension"]
    config: Any = SimpleNamespace(markdown_extensions=names, mdx_configs={})
    assert {p.name for p in prebuild.extension_code(config)} == {"markdown", "pymdownx", "qadocs"}
    # a function named in an extension's configuration (a custom fence's formatter) is code too
    config.mdx_configs = {"toc": {"slugify": json.dumps}, "x": {"fences": [{"format": superfences.fence_code_format}]}}
    assert {p.name for p in prebuild.extension_code(config)} == {"markdown", "pymdownx", "qadocs", "json"}
    for names, said in (
        (["no_such_extension"], "no_such_extension"),
        ([object()], "an object"),
        (["pymdownx.snippets"], "reads files"),
    ):
        with pytest.raises(prebuild.UnknownCode, match=said):
            prebuild.extension_code(SimpleNamespace(markdown_extensions=names, mdx_configs={}))  # type: ignore[arg-type]


def _read_pages(root: Path) -> tuple[Any, list[Any]]:
    """MkDocs' configuration and pages of the docs in `root/docs`, not read yet."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.pages import Page

    (root / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    config = load_config(str(root / "mkdocs.yml"))
    return config, [Page(None, f, config) for f in get_files(config).documentation_pages()]


def test_front_matter_read_by_an_earlier_build_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.utils import meta as mkdocs_meta

    docs = tmp_path / "docs"
    docs.mkdir()
    texts = {
        "plain.md": "---\ntitle: 题\nanchors:\n- a\n- b\norder: 3\nflag: true\n---\n\n\n# 题\n\n答\n",
        "twin.md": "---\ntitle: 题\nanchors:\n- a\n- b\norder: 3\nflag: true\n---\n\n\n# 题\n\n答\n",
        "dated.md": "---\ntitle: 日\nday: 2026-12-07\n---\n答\n",  # a date: JSON cannot hold it
        "listed.md": "---\n- a\n- b\n---\n答\n",  # not a mapping: MkDocs keeps the text whole
        "bare.md": "答\n",
    }
    for name, text in texts.items():
        (docs / name).write_text(text, encoding="utf-8")
    cache = PageCache(tmp_path / "c" / "pages.sqlite", tmp_path)
    expected = {name: mkdocs_meta.get_data(text) for name, text in texts.items()}

    writes: list[int] = []
    real_put = cache.put_run
    monkeypatch.setattr(cache, "put_run", lambda *args: writes.append(1) or real_put(*args))

    def read(dirty: bool = False) -> tuple[dict[str, Any], list[str]]:
        parsed: list[str] = []
        real = mkdocs_meta.get_data
        monkeypatch.setattr(mkdocs_meta, "get_data", lambda doc: parsed.append(doc) or real(doc))
        config, pages = _read_pages(tmp_path)
        pages = [p for p in pages if not dirty or p.file.src_uri == "plain.md"]
        prebuild.read_sources(config, pages, cache, dirty)
        monkeypatch.setattr(mkdocs_meta, "get_data", real)
        return {p.file.src_uri: p for p in pages}, parsed

    _, parsed = read()
    assert len(parsed) == 5
    again, parsed = read()
    for name, page in again.items():
        assert (page.markdown, page.meta) == expected[name], name
    # the twins have the same source: one takes the kept meta, the other is parsed (each its own dict)
    assert sorted(parsed) == sorted([texts["twin.md"], texts["dated.md"], texts["listed.md"], texts["bare.md"]])
    assert again["plain.md"].meta is not again["twin.md"].meta
    assert len(writes) == 1, "nothing new read the second time: the kept meta is not written again"
    (docs / "plain.md").write_text(texts["plain.md"].replace("order: 3", "order: 4"), encoding="utf-8")
    edited, parsed = read(dirty=True)  # a dirty build reads the edited page alone, and keeps the others'
    assert edited["plain.md"].meta["order"] == 4 and len(parsed) == 1
    (docs / "plain.md").write_text(texts["plain.md"], encoding="utf-8")
    _, parsed = read()  # the original text's meta outlived the dirty build: one of the twins takes it
    assert sorted(parsed) == sorted([texts["twin.md"], texts["dated.md"], texts["listed.md"], texts["bare.md"]])


def _cgroups(root: Path, membership: str, files: dict[str, str]) -> Path:
    (root / "proc" / "self").mkdir(parents=True)
    (root / "proc" / "self" / "cgroup").write_text(membership, encoding="utf-8")
    for name, text in files.items():
        path = root / "sys" / "fs" / "cgroup" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_workers_follow_the_cpu_quota_of_the_control_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    v2 = _cgroups(tmp_path / "v2", "0::/ci/job\n", {"cpu.max": "max 100000\n", "ci/cpu.max": "250000 100000\n",
                                                   "ci/job/cpu.max": "max 100000\n"})  # fmt: skip
    assert prebuild.cgroup_cpus(v2) == 2.5 and prebuild.worker_count(0, v2) == 3
    v1 = _cgroups(tmp_path / "v1", "4:memory:/x\n3:cpu,cpuacct:/docker/abc\n0::/\n",
                  {"cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "200000\n", "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000\n",
                   "cpu,cpuacct/cpu.cfs_quota_us": "-1\n", "cpu,cpuacct/cpu.cfs_period_us": "100000\n"})  # fmt: skip
    assert prebuild.cgroup_cpus(v1) == 2.0 and prebuild.worker_count(0, v1) == 2
    tiny = _cgroups(tmp_path / "tiny", "0::/\n", {"cpu.max": "10000 100000\n"})
    assert prebuild.worker_count(0, tiny) == 1  # a tenth of a CPU: one process, never none
    unlimited = _cgroups(tmp_path / "none", "0::/a\n", {"cpu.max": "max 100000\n", "a/cpu.max": "garbage\n"})
    assert prebuild.cgroup_cpus(unlimited) is None and prebuild.worker_count(0, unlimited) == 64
    assert prebuild.cgroup_cpus(tmp_path / "missing") is None
    assert prebuild.worker_count(3, v1) == 3  # `jobs` as configured
