"""Code the other tests reach only where coverage does not look: the MkDocs plugin (the other
builds run `mkdocs` in a subprocess), run in this process: its hooks on a real build, its
refusals, what `mkdocs serve` watches; and the bigram pairing of similar titles (otherwise run
only by the unmeasured scaling test of 600 retitled questions)."""

from __future__ import annotations

import html
import itertools
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from qadocs.core.build import check_layout, layout_rules, shown_from_root
from qadocs.core.errors import QadocsError
from qadocs.core.model import Diagnostic
from qadocs.core.options import REGISTRY_NAME, Options
from qadocs.core.text.similar import EXHAUSTIVE_PAIRS, bigrams, candidate_pairs
from qadocs.plugin import adapter as plugin_module
from qadocs.plugin.adapter import QadocsPlugin, generate_or_reuse, plugin_options
from qadocs.plugin.buildlock import BuildLock, LockError
from qadocs.plugin.config import QadocsConfig
from qadocs.plugin.prebuild import PageCache

REPO = Path(__file__).resolve().parents[2]
TITLE = "什么是 a < b & c？"  # HTML specials: escaped once, shown as written
ANSWER = "答案：见下。\n\n### __config\n\n子标题占用了主题的 id。\n"


def _repo(root: Path, config: dict[str, Any] | None = None) -> Path:
    (root / "content" / "基础").mkdir(parents=True)
    (root / "imgs").mkdir()
    (root / "build" / "docs").mkdir(parents=True)
    (root / "content" / "基础" / "题库.md").write_text(
        f"## 1. {TITLE}\n\n{ANSWER}\n## 2. 第二题？\n\n答。\n", encoding="utf-8"
    )
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if config is not None:
        text = yaml.safe_dump(
            {
                "site_name": "t",
                "docs_dir": "build/docs",
                "theme": {"name": "material"},
                "plugins": [{"qadocs": config}],
            },
            allow_unicode=True,
        )
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root


def _plugin(root: Path, command: str = "build") -> tuple[Any, QadocsPlugin]:
    config = load_config(str(root / "mkdocs.yml"))
    plugin = config.plugins["qadocs"]
    assert isinstance(plugin, QadocsPlugin)
    plugin.on_startup(command=command, dirty=False)
    return config, plugin


def test_plugin_hooks_in_a_real_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A whole `mkdocs build` in process: the title is escaped once in <title>, <h1> and the nav;
    the sub-heading's id and the page TOC's link both moved to `user-content-__config`."""
    root = _repo(tmp_path / "repo")
    config, _ = _plugin(root)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build(config)
    assert re.search(r"qadocs: 1 sources, 2 questions \(\d+ files written, 0 removed\)", caplog.text)
    assert "qadocs registry: new" in caplog.text
    page = (root / "site" / "jichu" / "shenme-shi-a-b-c" / "index.html").read_text(encoding="utf-8")
    shown = html.escape(TITLE, quote=False)  # what the browser shows as `什么是 a < b & c？`
    assert f"<title>{shown} - " in page
    assert re.search(r"<h1[^>]*>" + re.escape(shown) + "<", page)
    assert len(re.findall(r">\s*1\. " + re.escape(shown) + r"\s*<", page)) == 2  # nav labels (both navs)
    assert "&amp;lt;" not in page and "&amp;amp;" not in page  # never escaped twice
    assert '<h3 id="user-content-__config">__config<' in page
    assert page.count('id="__config"') == 1 and '<script id="__config"' in page  # the theme's keeps its id
    assert page.count('<a href="#user-content-__config" class="md-nav__link">') == 2  # the page TOC followed
    assert (root / "content" / REGISTRY_NAME).is_file()  # a build writes the registry


def test_serve_watches_content_and_imgs_not_the_generated_pages(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    config, plugin = _plugin(root, "serve")

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

        def unwatch(self, path: str) -> None:
            self.watched.remove(path)

    server = Server()
    server.watch(config.docs_dir)  # MkDocs watches the docs dir before plugins see the server
    assert plugin.on_serve(server, config, None) is server
    assert server.watched == [str((root / "content").resolve()), str((root / "imgs").resolve())]
    shutil.rmtree(root / "imgs")
    server.watched = [config.docs_dir]
    plugin.on_serve(server, config, None)
    assert server.watched == [str((root / "content").resolve())]  # no imgs/: nothing to watch there


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"content_dir": "nowhere"}, "content_dir {root}/nowhere does not exist"),
        (
            {"layout": {"*.md": 9}},
            "qadocs: plugins: qadocs: layout: '*.md': 9 is neither a heading level (1 to 6) nor one of page, file, article, bold, list, fold",
        ),
        ({"content_dir": "build/docs/src"}, "must be apart"),
    ],
)
def test_plugin_refusals(tmp_path: Path, config: dict[str, Any], message: str) -> None:
    root = _repo(tmp_path / "repo", config)
    (root / "build" / "docs" / "src").mkdir()
    mk_config, plugin = _plugin(root)
    with pytest.raises(PluginError, match=re.escape(message.format(root=root.resolve()))):
        plugin.on_config(mk_config)


def test_plugin_stops_on_an_unusable_registry(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    (root / "content" / REGISTRY_NAME).write_text("questions: [", encoding="utf-8")
    config, plugin = _plugin(root)
    with pytest.raises(PluginError, match=r"^qadocs: content/qadocs-registry\.yml:\d+:\d+: error registry-invalid "):
        plugin.on_config(config)
    assert (root / "content" / REGISTRY_NAME).read_text(encoding="utf-8") == "questions: ["
    config, plugin = _plugin(root, "serve")  # the preview reports it and goes on without it
    plugin.on_config(config)
    assert (root / "build" / "docs" / "questions.json").is_file()


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


# --- similar.py: which title pairs the registry compares -----------------------------------------


def test_small_inputs_compare_every_pair() -> None:
    assert list(candidate_pairs(["a", "b"], ["c"])) == [(0, 0), (1, 0)]
    assert bigrams("Ab c") == {"ab", "bc"} and bigrams("x") == {"x"}


def test_large_inputs_compare_only_titles_sharing_bigrams() -> None:
    """Past EXHAUSTIVE_PAIRS the pairs come from shared bigrams: each retitled question meets its
    former title, an unrelated title meets none, and far fewer pairs than all are compared."""
    words = [
        "扩散模型",
        "注意力机制",
        "视频生成",
        "时序建模",
        "多模态对齐",
        "数据清洗",
        "模型蒸馏",
        "位置编码",
        "向量检索",
        "提示工程",
        "强化学习",
        "图像分割",
        "语音识别",
        "知识图谱",
        "联邦学习",
        "量化部署",
        "混合专家",
        "长文本",
        "检索增强",
        "对比学习",
        "归一化",
        "残差连接",
    ]
    right = [f"请比较{a}与{b}的取舍" for a, b in itertools.permutations(words, 2)][:460]
    left = [t.replace("取舍", "优劣") for t in right] + ["毫不相干的一句话"]
    assert len(left) * len(right) > EXHAUSTIVE_PAIRS
    pairs = list(candidate_pairs(left, right))
    assert {(i, i) for i in range(len(right))} <= set(pairs)
    assert not any(i == len(right) for i, _ in pairs)  # the unrelated title
    assert len(pairs) < 0.01 * len(left) * len(right)
    assert pairs == sorted(pairs) == list(candidate_pairs(left, right))  # deterministic order


def _generate(root: Path, cache: PageCache) -> str:
    """`plugin.generate_or_reuse` on `root`; the log lines it gave."""
    opts = plugin_options(load_config(str(root / "mkdocs.yml")), QadocsConfig())
    lines: list[str] = []
    real = plugin_module.log
    plugin_module.log = SimpleNamespace(log=lambda level, line: lines.append(line))  # type: ignore[assignment]
    try:
        generate_or_reuse(opts, (root / "build" / "docs").resolve(), cache, write_registry=True)
    finally:
        plugin_module.log = real
    assert lines, "a generation always says what it did"
    return "\n".join(lines)


def _page_text(root: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted((root / "build" / "docs").rglob("*.md")))


def test_an_edit_saved_while_the_pages_are_generated_is_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path / "repo")
    source = root / "content" / "基础" / "题库.md"
    cache = PageCache(root / "build" / "c" / "pages.sqlite", root)
    original = plugin_module.run_generate

    def generate_then_edit(*args: Any) -> Any:
        done = original(*args)
        source.write_text(source.read_text(encoding="utf-8").replace("答。", "改过的答案。"), encoding="utf-8")
        return done  # saved after the generation read it, before the build ended

    monkeypatch.setattr(plugin_module, "run_generate", generate_then_edit)
    _generate(root, cache)
    monkeypatch.undo()
    assert "改过的答案" not in _page_text(root)
    assert "not regenerated" not in _generate(root, cache), "the edit is seen by the next build"
    assert "改过的答案" in _page_text(root)
    assert "not regenerated" in _generate(root, cache), "and then nothing changed"
    cache.close()


def test_a_source_reached_through_a_link_is_seen_when_its_target_changes(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    (root / "shared").mkdir()
    (root / "shared" / "链接.md").write_text("## 1. 链接题？\n\n旧答案。\n", encoding="utf-8")
    (root / "content" / "基础" / "链接.md").symlink_to(root / "shared" / "链接.md")
    cache = PageCache(root / "build" / "c" / "pages.sqlite", root)
    _generate(root, cache)
    assert "旧答案" in _page_text(root)
    (root / "shared" / "链接.md").write_text("## 1. 链接题？\n\n新的答案。\n", encoding="utf-8")
    assert "not regenerated" not in _generate(root, cache)
    assert "新的答案" in _page_text(root) and "旧答案" not in _page_text(root)
    cache.close()


def test_serve_watches_folders_one_by_one_through_a_loop_of_links(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    folder = root / "content" / "基础"
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "up").symlink_to(root / "content", target_is_directory=True)
    (root / "content" / "外").symlink_to(tmp_path, target_is_directory=True)  # outside: never walked
    config, plugin = _plugin(root, "serve")
    watched: list[tuple[str, bool]] = []
    server = SimpleNamespace(
        watch=lambda path, recursive=True: watched.append((path, recursive)), unwatch=lambda path: None
    )
    plugin.on_serve(server, config, None)
    content = str((root / "content").resolve())
    assert watched == [(content, False), (str(folder.resolve()), False), (str((root / "imgs").resolve()), True)]


HOLDER = """
import sys
from pathlib import Path
from qadocs.plugin.buildlock import BuildLock
lock = BuildLock(Path(sys.argv[1]), Path(sys.argv[1]) / "c")
lock.acquire(print)
print("held", flush=True)
sys.stdin.read()
"""


def test_one_build_of_a_repository_at_a_time(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        said: list[str] = []
        second = BuildLock(tmp_path, tmp_path / "c")
        with pytest.raises(LockError, match=re.escape("another build of this repository has held c/build.lock")):
            second.acquire(said.append, wait_max=0.5)
        assert len(said) == 1 and "waiting for another build" in said[0]
    finally:
        holder.kill()  # however a build ends, its lock goes with it
        holder.wait()
    second.acquire(said.append, wait_max=5)
    second.release()
    (tmp_path / "d").symlink_to(tmp_path / "c", target_is_directory=True)
    with pytest.raises(LockError, match="d is a symbolic link"):
        BuildLock(tmp_path, tmp_path / "d").acquire(said.append)


def test_a_cache_git_cannot_vouch_for_is_off_without_failing_a_strict_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qadocs.plugin import prebuild

    root = _repo(tmp_path / "repo")
    (root / ".git").mkdir()
    monkeypatch.setattr(prebuild.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess([], 128, b"", b""))
    said: list[tuple[int, str]] = []
    monkeypatch.setattr(
        plugin_module,
        "log",
        SimpleNamespace(info=lambda m: said.append((20, m)), warning=lambda m: said.append((30, m))),
    )
    assert plugin_module.open_cache(root, QadocsConfig()) is None
    assert [level for level, _ in said] == [20] and "the page cache is off" in said[0][1]


def test_an_image_added_where_a_page_looked_for_it_outside_content_is_seen(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    source = root / "content" / "基础" / "题库.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("答。", "答。\n\n![根图](/figs/根.png)\n\n![上图](../../figs/上.png)"), encoding="utf-8"
    )
    cache = PageCache(root / "build" / "c" / "pages.sqlite", root)
    first = _generate(root, cache)
    assert "根.png" in first and "上.png" in first  # both missing: placeholders, said so
    assert "not regenerated" in _generate(root, cache)
    (root / "figs").mkdir()
    (root / "figs" / "根.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert "not regenerated" not in _generate(root, cache), "the image looked for at the root is there now"
    assert (root / "build" / "docs" / "media" / "figs" / "根.png").is_file()
    (root / "figs" / "上.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert "not regenerated" not in _generate(root, cache), "and the one looked for up the tree"
    assert (root / "build" / "docs" / "media" / "figs" / "上.png").is_file()
    assert "not regenerated" in _generate(root, cache)
    (root / "figs" / "上.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)  # an edit of a copied image
    assert "not regenerated" not in _generate(root, cache)
    assert (root / "build" / "docs" / "media" / "figs" / "上.png").stat().st_size == 72
    cache.close()
