"""MkDocs adapter: regenerate the docs dir before every build and hand MkDocs the nav."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from .build import generate, layout_rules, shown_from_root
from .config import QadocsConfig
from .errors import ContentError, QadocsError
from .options import Options
from .sanitize import content_id
from .split import Layout

log = logging.getLogger("mkdocs.plugins.qadocs")


class QadocsPlugin(BasePlugin[QadocsConfig]):
    """Runs qadocs on `content_dir` and writes the pages into MkDocs' `docs_dir`."""

    def _options(self, config: MkDocsConfig) -> Options:
        root = Path(config.config_file_path or ".").resolve().parent
        return Options(
            repo_root=root,
            content_dir=(root / self.config.content_dir).resolve(),
            imgs_dir=(root / self.config.imgs_dir).resolve(),
            base_url=urlsplit(config.site_url or "/").path or "/",
            missing_images=self.config.missing_images,  # type: ignore[arg-type]
            layout=self._layout(),
        )

    def _layout(self) -> tuple[tuple[str, Layout], ...]:
        try:
            return layout_rules(self.config.layout, "plugins: qadocs: layout")
        except QadocsError as exc:
            raise PluginError(f"qadocs: {exc}") from exc

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember the command: `mkdocs serve` previews and never writes the registry."""
        self.command = command

    # Priority 100: generate before other plugins look at the config or nav.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Generate the pages, log every diagnostic once, and set the nav."""
        opts = self._options(config)
        out = Path(config.docs_dir).resolve()
        if not opts.content_dir.is_dir():
            raise PluginError(
                f"qadocs: content_dir {opts.content_dir} does not exist; "
                "set `plugins: - qadocs: {content_dir: content}`"
            )
        try:
            result = generate(opts, out, write_registry=getattr(self, "command", "build") != "serve")
        except ContentError as exc:
            raise PluginError(f"qadocs: {shown_from_root([exc.diagnostic], opts)[0].render()}") from exc
        except QadocsError as exc:
            raise PluginError(f"qadocs: {exc}; set `docs_dir: build/docs` and `content_dir: content`") from exc
        for diag in shown_from_root(result.diagnostics, opts):
            # qadocs errors are MkDocs warnings, so `mkdocs build --strict` fails on them.
            log.log(logging.WARNING if diag.severity == "error" else logging.INFO, diag.render())
        for change in result.plan.changes:
            log.info("qadocs registry: " + change.render())
        stats = result.stats
        assert stats is not None
        log.info(
            f"qadocs: {len(result.sources)} sources, {len(result.plan.questions)} questions "
            f"({stats.written} files written, {stats.removed} removed) in {result.seconds:.2f}s"
        )
        config.nav = result.plan.nav
        ensure_extensions(config.markdown_extensions, config.mdx_configs)
        return config

    on_config.mkdocs_priority = 100  # type: ignore[attr-defined]

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Nav titles are HTML text already (escaped by qadocs): mark them so, or Material's `| e`
        would escape them twice in its labels."""
        for item in _walk(nav.items):
            if isinstance(item.title, str):
                item.title = Markup(item.title)
        return nav

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The front-matter title is HTML text already (escaped by qadocs); mark it so."""
        if isinstance(page.meta.get("title"), str):
            page.meta["title"] = Markup(page.meta["title"])
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The sanitizer moved content ids that start with `__` (the theme's) to `user-content-__…`;
        move the page's table of contents along, so its links still land."""
        for item in _walk_toc(page.toc):
            item.id = content_id(item.id)
        return html

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when a source or an image changes, not only when the generated pages do."""
        opts = self._options(config)
        for path in (opts.content_dir, opts.imgs_dir):
            if path.is_dir():
                server.watch(str(path))
        return server


# The GitHub Flavored Markdown the answers are written in, as Python-Markdown extensions, with the
# configuration the shipped mkdocs.yml gives them. Each is added when mkdocs.yml lacks it (under
# any of the names in `_SAME`); one the user configured is left as configured.
GFM_EXTENSIONS: list[tuple[str, dict[str, Any]]] = [
    ("attr_list", {}),  # qadocs gives sub-headings of answers GitHub's anchors as ids (`{#…}`)
    ("admonition", {}),  # GitHub alerts (`> [!NOTE]`) become admonitions (qadocs.gfm)
    ("footnotes", {}),
    ("pymdownx.tilde", {"subscript": False}),  # `~~x~~` is strikethrough; a lone `~` stays text
    ("pymdownx.magiclink", {}),  # bare URLs become links
]
MATH_EXTENSIONS: list[tuple[str, dict[str, Any]]] = [
    ("pymdownx.arithmatex", {"generic": True, "smart_dollar": False}),  # `$ x_T $` is common
    ("qadocs.mathml", {}),  # TeX → MathML at build time
]
_SAME = {
    "attr_list": {"markdown.extensions.attr_list", "extra", "markdown.extensions.extra", "pymdownx.extra"},
    "admonition": {"markdown.extensions.admonition"},
    "footnotes": {"markdown.extensions.footnotes", "extra", "markdown.extensions.extra", "pymdownx.extra"},
}


def _has(names: list[str], name: str) -> bool:
    return name in names or any(alias in names for alias in _SAME.get(name, ()))


def ensure_extensions(names: list[str], configs: dict[str, Any]) -> None:
    """Make `markdown_extensions` (`names`, with their `mdx_configs`) render what GitHub renders:
    `qadocs.gfm` first, the GFM extensions and math (arithmatex generic + `qadocs.mathml`) when
    missing, and `qadocs.sanitize` last, always: content HTML is never trusted. Nothing the user
    configured is duplicated or reconfigured; math is left alone when arithmatex is configured in
    another mode (MathJax in the page, say)."""
    if "qadocs.gfm" not in names:
        names.insert(0, "qadocs.gfm")
    wanted = list(GFM_EXTENSIONS)
    if "pymdownx.arithmatex" not in names:
        wanted += MATH_EXTENSIONS
    elif (configs.get("pymdownx.arithmatex") or {}).get("generic"):
        wanted += MATH_EXTENSIONS[1:]
    for name, conf in wanted:
        if not _has(names, name):
            names.append(name)
            if conf:
                configs[name] = dict(conf)
    while "qadocs.sanitize" in names:
        names.remove("qadocs.sanitize")
    names.append("qadocs.sanitize")


def _walk(items: list[Any]) -> Iterator[Any]:
    """Every nav item, sections and their children included."""
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


def _walk_toc(toc: TableOfContents | list[AnchorLink]) -> Iterator[AnchorLink]:
    for item in toc:
        yield item
        yield from _walk_toc(item.children)
