"""The MkDocs plugin (`qadocs.plugin.adapter`) run in this process: its refusals, what `mkdocs
serve` watches, a generation reused or done again (edits, links, images), the page cache it opens,
the Markdown extensions it adds, the registry under `serve`, and its helpers for the templates
and the page's head."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from markupsafe import Markup
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from fidelity import difference, github_signature, signature
from qadocs.core.options import REGISTRY_NAME
from qadocs.plugin import adapter as plugin_module
from qadocs.plugin.adapter import (
    TEMPLATES_DIR,
    QadocsPlugin,
    add_templates,
    generate_or_reuse,
    mark_html_text,
    note_missing_site_url,
    page_descriptor,
    plugin_options,
)
from qadocs.plugin.config import QadocsConfig
from qadocs.plugin.prebuild import PageCache
from repos import loaded_plugin as _plugin
from repos import plugin_repo as _repo
from repos import registry_path as _registry
from repos import small_repo as _small_repo


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


def test_plugin_stops_on_a_url_two_entries_hold(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    config, plugin = _plugin(root)
    plugin.on_config(config)  # the registry is written
    data = yaml.safe_load((root / "content" / REGISTRY_NAME).read_text(encoding="utf-8"))
    data["questions"][1]["old_urls"] = [data["questions"][0]["url"]]  # a merge kept both sides
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (root / "content" / REGISTRY_NAME).write_text(text, encoding="utf-8")
    config, plugin = _plugin(root)
    with pytest.raises(PluginError, match=r"^qadocs: content/qadocs-registry\.yml:\d+:\d+: error registry-shared-url "):
        plugin.on_config(config)
    config, plugin = _plugin(root, "serve")  # the preview reports it and goes on
    plugin.on_config(config)
    assert (root / "content" / REGISTRY_NAME).read_text(encoding="utf-8") == text


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


# --- the plugin adds the GFM extensions a user's mkdocs.yml lacks -------------------------------


def _plugin_config(root: Any, extensions: list[Any] | None) -> Any:
    """A minimal repo under `root` with `markdown_extensions: extensions` (None: the key is absent),
    loaded with mkdocs.config.load_config, after the qadocs plugin's on_config."""
    import yaml
    from mkdocs.config import load_config

    (root / "content").mkdir(parents=True)
    (root / "imgs").mkdir()
    (root / "content" / "a.md").write_text('<h2 id="1.a">1.问题</h2>\n\n答案。\n', encoding="utf-8")
    (root / "build" / "docs").mkdir(parents=True)
    conf: dict[str, Any] = {"site_name": "t", "docs_dir": "build/docs", "plugins": [{"qadocs": {}}]}
    if extensions is not None:
        conf["markdown_extensions"] = extensions
    (root / "mkdocs.yml").write_text(yaml.safe_dump(conf, allow_unicode=True), encoding="utf-8")
    config = load_config(str(root / "mkdocs.yml"))
    plugin = config.plugins["qadocs"]
    assert isinstance(plugin, QadocsPlugin)
    plugin.on_startup(command="build", dirty=False)
    return plugin.on_config(config)


GFM_NAMES = [
    "qadocs.extensions.gfm",
    "admonition",
    "footnotes",
    "pymdownx.tilde",
    "pymdownx.magiclink",
    "pymdownx.arithmatex",
    "qadocs.extensions.mathml",
    "qadocs.extensions.sanitize",
]


GFM_PAGE = (
    "见 https://example.com/x 与 ~~旧~~，约 ~5 秒[^1]：\n- 一\n  - 甲 $x_T$\n- 二\n\n> [!NOTE]\n> 注意\n\n[^1]: 脚注\n"
)


def test_plugin_adds_the_gfm_extensions_a_bare_mkdocs_yml_lacks(tmp_path: Any) -> None:
    import markdown

    config = _plugin_config(tmp_path, None)
    names = config.markdown_extensions
    assert names[0] == "qadocs.extensions.gfm" and names[-1] == "qadocs.extensions.sanitize"
    assert all(names.count(n) == 1 for n in GFM_NAMES), names
    assert names.index("pymdownx.arithmatex") < names.index("qadocs.extensions.mathml")
    assert config.mdx_configs["pymdownx.tilde"] == {"subscript": False}
    assert config.mdx_configs["pymdownx.arithmatex"] == {"generic": True, "smart_dollar": False}
    html = markdown.Markdown(extensions=names, extension_configs=config.mdx_configs).convert(GFM_PAGE)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select("ul > li > ul > li math"), html  # nested as on GitHub, math in the sub-item
    assert soup.select("del") and "约 ~5 秒" in soup.get_text()  # a lone `~` stays text
    assert soup.select('a[href="https://example.com/x"]')
    assert soup.select("div.admonition.note") and soup.select("div.footnote")
    assert difference(github_signature(GFM_PAGE), signature(soup, site=True)) == {}
    again = config.plugins["qadocs"].on_config(config)  # serve calls it on every rebuild
    assert again.markdown_extensions == names  # nothing duplicated


def test_plugin_keeps_what_the_user_configured(tmp_path: Any) -> None:
    config = _plugin_config(
        tmp_path,
        [
            "qadocs.extensions.sanitize",  # not last: moved last
            {"pymdownx.tilde": {"subscript": True}},
            "markdown.extensions.footnotes",
            {"pymdownx.arithmatex": {"generic": False}},  # MathJax in the page: math left alone
            "qadocs.gfm",  # the former name, and today's: one stays
            "qadocs.extensions.gfm",
        ],
    )
    names = config.markdown_extensions
    assert names[-1] == "qadocs.extensions.sanitize" and names.count("qadocs.extensions.sanitize") == 1
    assert names.count("qadocs.extensions.gfm") == 1 and names.count("pymdownx.tilde") == 1
    assert config.mdx_configs["pymdownx.tilde"] == {"subscript": True}
    assert "footnotes" not in names and "qadocs.extensions.mathml" not in names
    assert config.mdx_configs["pymdownx.arithmatex"] == {"generic": False}
    assert {"admonition", "pymdownx.magiclink"} <= set(names)


def test_shipped_mkdocs_yml_needs_nothing_added() -> None:
    from pathlib import Path

    from mkdocs.config import load_config

    from qadocs.plugin.adapter import FORMER_NAMES, ensure_extensions

    config = load_config(str(Path(__file__).resolve().parents[2] / "mkdocs.yml"))
    names, configs = list(config.markdown_extensions), dict(config.mdx_configs)
    ensure_extensions(names, configs)
    assert any(name in FORMER_NAMES for name in config.markdown_extensions), "it names qadocs.gfm as before"
    assert names == [FORMER_NAMES.get(n, n) for n in config.markdown_extensions]  # renamed, none added
    assert configs == {FORMER_NAMES.get(k, k): v for k, v in config.mdx_configs.items()}


# -- 11. `mkdocs serve` never writes the registry -----------------------------------------------------


def test_11_serve_never_writes_the_registry(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    opts = _small_repo(tmp_path / "repo")
    (opts.repo_root / "build" / "docs").mkdir(parents=True)
    (opts.repo_root / "mkdocs.yml").write_text(
        yaml.safe_dump({"site_name": "t", "docs_dir": "build/docs", "plugins": [{"qadocs": {}}]}), encoding="utf-8"
    )
    config = load_config(str(opts.repo_root / "mkdocs.yml"))
    plugin = config.plugins["qadocs"]
    assert isinstance(plugin, QadocsPlugin)
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(config)
    assert not _registry(opts).exists()  # a draft seen by serve leaves no trace in the registry
    assert (opts.repo_root / "build" / "docs" / "questions.json").is_file()
    plugin.on_startup(command="build", dirty=False)
    plugin.on_config(config)
    assert _registry(opts).is_file()


# --- no browser: plugin helpers -------------------------------------------------------------------


@pytest.mark.parametrize("custom", [None, "/repo/overrides"])
def test_templates_go_before_the_theme_and_after_custom_dir(custom: str | None) -> None:
    theme = "/venv/material/templates"
    dirs = [*([custom] if custom else []), theme, "/venv/mkdocs/templates"]
    add_templates(dirs, custom)
    add_templates(dirs, custom)  # twice (mkdocs serve): still once
    expected = [*([custom] if custom else []), str(TEMPLATES_DIR), theme, "/venv/mkdocs/templates"]
    assert dirs == expected


def test_missing_site_url_is_one_info_line(caplog: pytest.LogCaptureFixture) -> None:
    class Config(dict[str, Any]):
        site_url: str | None = None

    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.qadocs"):
        note_missing_site_url(Config())  # type: ignore[arg-type]
    [record] = caplog.records
    assert record.levelno == logging.INFO
    assert "site_url" in record.getMessage() and "canonical" in record.getMessage()
    assert "og:url" in record.getMessage() and "sitemap" in record.getMessage()
    caplog.clear()
    with_url = Config()
    with_url.site_url = "https://example.org/"
    note_missing_site_url(with_url)  # type: ignore[arg-type]
    assert caplog.records == []


def test_descriptor_is_plain_text_of_the_front_matter() -> None:
    page = SimpleNamespace(
        meta={
            "id": "a-b",
            "title": Markup("&lt;b&gt; &amp; c"),
            "source": "A &amp; B/x.md",
            "chapter": ["A &amp; B", "x"],
        }
    )

    class Config:
        site_url = "https://example.org/sub/"

    data = page_descriptor(page, Config())  # type: ignore[arg-type]
    assert data == {
        "kind": "question",
        "id": "a-b",
        "title": "<b> & c",
        "source": "A & B/x.md",
        "chapter": ["A & B", "x"],
        "section": None,
        "base": "/sub/",
    }
    Config.site_url = ""
    assert page_descriptor(None, Config())["kind"] == "page"  # type: ignore[arg-type]
    assert page_descriptor(None, Config())["base"] == "/"  # type: ignore[arg-type]


def test_title_and_description_are_marked_html_text() -> None:
    meta: dict[str, Any] = {"title": "a &amp; b", "description": "c &lt; d", "source": "x"}
    mark_html_text(meta)
    assert isinstance(meta["title"], Markup) and isinstance(meta["description"], Markup)
    assert not isinstance(meta["source"], Markup)
    assert str(Markup("{}").format(meta["title"])) == "a &amp; b"  # escaped once, never twice
