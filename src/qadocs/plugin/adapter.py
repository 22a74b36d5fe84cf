"""MkDocs adapter: regenerate the docs dir before every build and hand MkDocs the nav."""

from __future__ import annotations

import hashlib
import html
import logging
import os
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from qadocs.core.errors import ContentError, QadocsError
from qadocs.core.options import REGISTRY_NAME, Options
from qadocs.extensions.sanitize import content_id
from qadocs.plugin.buildlock import BuildLock, LockError
from qadocs.plugin.compiled import COMPILED
from qadocs.plugin.config import QadocsConfig
from qadocs.plugin.prebuild import (
    KNOWN_PLUGINS,
    PACKAGE_DIR,
    TEMPLATE,
    TEMPLATES_DIR,
    CacheRefused,
    CacheUnvouched,
    PageCache,
    Prebuilder,
    UnknownCode,
    config_fingerprint,
    engine_unknown,
    followed,
    plain_search_json,
    tree_stamp,
    use_kept_entries,
    worker_count,
)
from qadocs.plugin.sidebar import mark_positions, page_view, prunes, view_fingerprint

if TYPE_CHECKING:
    from qadocs.core.options import Layout

# qadocs' core (`.build` and the stages it imports) is imported when a build regenerates, not
# before: a rebuild of an unchanged collection does not pay for loading it.

log = logging.getLogger("mkdocs.plugins.qadocs")


class QadocsPlugin(BasePlugin[QadocsConfig]):
    """Runs qadocs on `content_dir` and writes the pages into MkDocs' `docs_dir`."""

    def __init__(self) -> None:
        super().__init__()
        self.cache: PageCache | None = None  # open from `on_config` to the end of the build
        self.prebuilder: Prebuilder | None = None  # from `on_nav` to the end of the build
        self.lock: BuildLock | None = None  # held from `on_config` to the end of the build (`plugin/buildlock.py`)
        self.command, self.dirty = "build", False  # until `on_startup` says (MkDocs < 1.4 never calls it)
        self.views: dict[str, str] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember the command (`serve` never writes the registry, nor forks) and whether builds are dirty."""
        self.command, self.dirty = command, dirty

    # Priority 100: generate before other plugins look at the config or nav.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Generate the pages, log every diagnostic once, and set the nav (one build of the
        repository at a time: `qadocs.plugin.buildlock`)."""
        opts = require_content(plugin_options(config, self.config))
        add_templates(config.theme.dirs, config.theme.custom_dir)
        self._close(complete=False, failed=True)  # a build whose configuration failed after this event
        self.lock = take_lock(opts.repo_root, self.config)
        try:
            self.cache = open_cache(opts.repo_root, self.config)
            config.nav = generate_or_reuse(opts, Path(config.docs_dir).resolve(), self.cache, self._writes_registry())
        except BaseException:
            self._close(complete=False, failed=True)
            raise
        ensure_extensions(config.markdown_extensions, config.mdx_configs)
        note_missing_site_url(config)
        return config

    on_config.mkdocs_priority = 100  # type: ignore[attr-defined]

    def _writes_registry(self) -> bool:
        return self.command != "serve"

    # Priority -100: last, once the navigation is final; pages are built ahead from it.
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Mark the nav's titles as HTML text (`mark_nav_titles`); build pages ahead (`qadocs.plugin.prebuild`)."""
        mark_nav_titles(nav)
        mark_positions(nav)
        if self.dirty:
            self.views = touch_changed_views(nav, self.views)
        self.prebuilder = make_prebuilder(config, self.cache, self.config.jobs, serving=not self._writes_registry())
        if self.prebuilder is not None:
            build_ahead(self.prebuilder, config, files, nav, self.dirty)
        return nav

    on_nav.mkdocs_priority = -100  # type: ignore[attr-defined]

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        """Templates do not change during a build: no check at every include. Adds `qadocs_page`.
        Templates compiled by an earlier environment of this process are taken as compiled
        (`qadocs.plugin.compiled`: every rebuild of `mkdocs serve` would compile them again)."""
        env.auto_reload = False
        env.filters.update(FILTERS)
        if env.bytecode_cache is None:
            env.bytecode_cache = COMPILED
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The front-matter title and description are HTML text already (escaped by qadocs)."""
        mark_html_text(page.meta)
        if self.prebuilder is not None:
            self.prebuilder.take_over(page, files)
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The sanitizer moved ids starting with `__` (the theme's) to `user-content-__…`: so do links."""
        for item in _walk_toc(page.toc):
            item.id = content_id(item.id)
        return html

    def on_page_context(self, context: Any, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        """A page built ahead: its kept output; else the page's own view of the nav (`qadocs.plugin.sidebar`)."""
        body = self.prebuilder.part(page, "body") if self.prebuilder is not None else None
        if body is not None:
            context["qadocs_output"] = Markup(body["output"])
        elif page.meta.get("template") == TEMPLATE:  # taken from the cache, and now gone from it
            raise PluginError(f"qadocs: {page.file.src_uri} is no longer in the page cache; build again")
        else:
            context["nav"] = page_view(nav, page, prunes(config.theme.get("features") or []))
        return context

    # Priority -100: last, once the search index and the sitemap are written.
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Keep the cache to this site's pages (not on dirty builds); let the next build go."""
        self._close(complete=not self.dirty)

    on_post_build.mkdocs_priority = -100  # type: ignore[attr-defined]

    def on_build_error(self, error: Exception) -> None:
        """Stop the workers; close the cache (records are whole); let the next build go."""
        self._close(complete=False, failed=True)

    def on_shutdown(self) -> None:
        """Nothing held past the last build (`mkdocs serve` ends)."""
        self._close(complete=False, failed=True)

    def _close(self, complete: bool, failed: bool = False) -> None:
        try:
            summary = self.prebuilder.finish(complete) if self.prebuilder is not None else None
            if summary is not None and not failed:
                log.info(summary)
        finally:
            try:
                if self.cache is not None:
                    self.cache.close()
            finally:
                self.prebuilder = self.cache = None
                if self.lock is not None:
                    self.lock.release()
                self.lock = None

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when a source or an image changes (`watch_sources`)."""
        return watch_sources(server, plugin_options(config, self.config), config.docs_dir)


# The GitHub Flavored Markdown the answers are written in, as Python-Markdown extensions, with the
# configuration the shipped mkdocs.yml gives them. Each is added when mkdocs.yml lacks it (under
# any of the names in `_SAME`); one the user configured is left as configured.
GFM_EXTENSIONS: list[tuple[str, dict[str, Any]]] = [
    ("attr_list", {}),  # qadocs gives sub-headings of answers GitHub's anchors as ids (`{#…}`)
    ("admonition", {}),  # GitHub alerts (`> [!NOTE]`) become admonitions (qadocs.extensions.gfm)
    ("footnotes", {}),
    ("pymdownx.tilde", {"subscript": False}),  # `~~x~~` is strikethrough; a lone `~` stays text
    ("pymdownx.magiclink", {}),  # bare URLs become links
]
MATH_EXTENSIONS: list[tuple[str, dict[str, Any]]] = [
    ("pymdownx.arithmatex", {"generic": True, "smart_dollar": False}),  # `$ x_T $` is common
    ("qadocs.extensions.mathml", {}),  # TeX → MathML at build time
]
_SAME = {
    "attr_list": {"markdown.extensions.attr_list", "extra", "markdown.extensions.extra", "pymdownx.extra"},
    "admonition": {"markdown.extensions.admonition"},
    "footnotes": {"markdown.extensions.footnotes", "extra", "markdown.extensions.extra", "pymdownx.extra"},
}


def _has(names: list[str], name: str) -> bool:
    return name in names or any(alias in names for alias in _SAME.get(name, ()))


# The names `mkdocs.yml` files gave qadocs' extensions before they had a folder of their own
# (`qadocs.gfm` still imports: see src/qadocs/gfm.py).
FORMER_NAMES = {f"qadocs.{name}": f"qadocs.extensions.{name}" for name in ("gfm", "mathml", "sanitize")}


def _own_names(names: list[str], configs: dict[str, Any]) -> None:
    """qadocs' extensions under their names of today, each once (the first one configured)."""
    seen: set[str] = set()
    kept: list[str] = []
    for name in names:
        own = FORMER_NAMES.get(name, name)
        if own != name and name in configs:
            conf = configs.pop(name)
            if own not in seen:  # the first one listed: its configuration, not a later one's
                configs[own] = conf
        if own not in seen or not own.startswith("qadocs."):
            kept.append(own)
            seen.add(own)
    names[:] = kept


def ensure_extensions(names: list[str], configs: dict[str, Any]) -> None:
    """Make `markdown_extensions` (`names`, with their `mdx_configs`) render what GitHub renders:
    `qadocs.extensions.gfm` first, the GFM extensions and math (arithmatex generic +
    `qadocs.extensions.mathml`) when missing, and `qadocs.extensions.sanitize` last, always:
    content HTML is never trusted. Nothing the user configured is duplicated or reconfigured
    (`qadocs.gfm` and the other former names count as today's); math is left alone when
    arithmatex is configured in another mode (MathJax in the page, say)."""
    _own_names(names, configs)
    if "qadocs.extensions.gfm" not in names:
        names.insert(0, "qadocs.extensions.gfm")
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
    while "qadocs.extensions.sanitize" in names:
        names.remove("qadocs.extensions.sanitize")
    names.append("qadocs.extensions.sanitize")


def add_templates(dirs: list[str], custom_dir: str | None) -> None:
    """Put qadocs' templates (the template of pages built ahead, and the overrides of Material's
    `main.html` and `404.html`) before the theme's own folder, so they win over Material's, but
    after the user's `custom_dir`, so a user's override still wins over qadocs'."""
    folder = str(TEMPLATES_DIR)
    if folder in dirs:
        dirs.remove(folder)
    dirs.insert(dirs.index(custom_dir) + 1 if custom_dir and custom_dir in dirs else 0, folder)


def note_missing_site_url(config: MkDocsConfig) -> None:
    """Say once what a site built without `site_url` lacks (an INFO line: the demo builds without it)."""
    if not config.site_url:
        log.info(
            "qadocs: site_url is not set in mkdocs.yml, so pages have no canonical link and no og:url, "
            "sitemap.xml lists no page, and questions.json and the 404 page assume the site is served "
            "at the root of its host; set site_url before publishing"
        )


def mark_html_text(meta: MutableMapping[str, Any]) -> None:
    """Front-matter `title` and `description` are HTML text (escaped by qadocs): mark them so, or a
    template that escapes (Material's `| e`, qadocs' autoescaped head tags) would escape them twice."""
    for key in ("title", "description"):
        if isinstance(meta.get(key), str) and not isinstance(meta[key], Markup):
            meta[key] = Markup(meta[key])


def page_descriptor(page: Any, config: MkDocsConfig) -> dict[str, Any]:
    """What `assets/qadocs.js` reads of a page (`<script id="qadocs-page">`), from its front matter,
    as plain text (front matter holds HTML text): the kind (a question page has an `id` and no
    `kind`), the question's id and title, the source, the chapter path, the section, and the path
    the `url`s of `questions.json` start with (the path of `site_url`)."""
    meta = getattr(page, "meta", None) or {}
    kind = meta.get("kind") or ("question" if meta.get("id") else "page")

    def text(value: Any) -> Any:
        return html.unescape(str(value)) if value is not None else None

    return {
        "kind": text(kind),
        "id": text(meta.get("id")),
        "title": text(meta.get("title")),
        "source": text(meta.get("source")),
        "chapter": [text(part) for part in meta.get("chapter") or []],
        "section": text(meta.get("section")),
        "base": urlsplit(config.site_url or "/").path or "/",
    }


FILTERS = {"qadocs_page": page_descriptor}  # what qadocs' templates need in the theme's environment


def plugin_options(config: MkDocsConfig, options: QadocsConfig) -> Options:
    """The core's options from MkDocs' configuration and the plugin's."""
    root = Path(config.config_file_path or ".").resolve().parent
    return Options(
        repo_root=root,
        content_dir=(root / options.content_dir).resolve(),
        imgs_dir=(root / options.imgs_dir).resolve(),
        base_url=urlsplit(config.site_url or "/").path or "/",
        missing_images=options.missing_images,
        layout=_layout(options),
        site_description=config.site_description or "",
        jobs=options.jobs,
        search=options.search,
    )


def _layout(options: QadocsConfig) -> tuple[tuple[str, Layout], ...]:
    if not options.layout:
        return ()
    from qadocs.core.build import layout_rules

    try:
        return layout_rules(options.layout, "plugins: qadocs: layout")
    except QadocsError as exc:
        raise PluginError(f"qadocs: {exc}") from exc


def require_content(opts: Options) -> Options:
    """`opts`, once its content folder is known to exist (else a clear error, not a traceback)."""
    if not opts.content_dir.is_dir():
        raise PluginError(
            f"qadocs: content_dir {opts.content_dir} does not exist; set `plugins: - qadocs: {{content_dir: content}}`"
        )
    return opts


def mark_nav_titles(nav: Navigation) -> None:
    """Nav titles are HTML text already (escaped by qadocs): mark them so, or Material's `| e`
    would escape them twice in its labels."""
    for item in _walk(nav.items):
        if isinstance(item.title, str):
            item.title = Markup(item.title)


def unknown_plugins(config: MkDocsConfig) -> list[str]:
    """The plugins whose page events qadocs does not know (any of them turns building ahead
    and the page cache off)."""
    return sorted(set(config.plugins) - KNOWN_PLUGINS)


def make_prebuilder(config: MkDocsConfig, cache: PageCache | None, jobs: int, serving: bool) -> Prebuilder | None:
    """Pages are built ahead when the cache is on, the engine is the one qadocs knows, every
    plugin is known and the cache key covers the code of every Markdown extension
    (`qadocs.plugin.prebuild`); else MkDocs' own loop builds them, and the log says why. The search
    index is written as UTF-8 in any case (`plain_search_json`)."""
    unknown_engine = engine_unknown()
    if unknown_engine is None:
        plain_search_json(config)
    if cache is None:
        return None
    unknown = unknown_plugins(config)
    reason = unknown_engine
    if reason is None and unknown:
        reason = f"the plugin(s) {', '.join(unknown)} may change pages unseen"
    base = ""
    if reason is None:
        try:
            base = config_fingerprint(config)
        except UnknownCode as exc:
            reason = str(exc)
    if reason is not None:
        log.info(f"qadocs: pages built by MkDocs' own loop, without the page cache: {reason}")
        return None
    return Prebuilder(cache, worker_count(jobs), base, serving)


def build_ahead(prebuilder: Prebuilder, config: MkDocsConfig, files: Files, nav: Navigation, dirty: bool) -> None:
    """Start building the pages the cache lacks; the search index takes kept entries."""
    prebuilder.prepare(config, files, nav, dirty)
    use_kept_entries(config, prebuilder)


def watch_sources(server: Any, opts: Options, docs_dir: str) -> Any:
    """`mkdocs serve` watches the sources and images. The docs dir is qadocs' output, written by
    the build itself: watching it would start a second build after each one. A folder holding
    links to folders is watched folder by folder (`watched_folders`): MkDocs' watcher follows
    links, and a loop of them (`s/loop -> .`) would keep it walking for ever."""
    server.unwatch(docs_dir)
    for path in (opts.content_dir, opts.imgs_dir):
        if not path.is_dir():
            continue
        folders = watched_folders(path, opts.repo_root)
        if folders is None:
            server.watch(str(path))
            continue
        for folder in folders:
            server.watch(folder, recursive=False)
        log.info(f"qadocs: {path.name}/ holds links to folders: its {len(folders)} folders are watched one by one")
    return server


def watched_folders(top: Path, root: Path) -> list[str] | None:
    """None when no link to a folder lies under `top` (it is watched whole); else every real
    folder a reading of sources reaches from `top` (`prebuild.followed`: links inside `root`
    followed, never to a folder holding `top`, hidden folders left), each once."""
    real_root = os.path.realpath(root)
    found: set[str] = set()
    linked = False
    stack = [str(top)]
    while stack:
        folder = os.path.realpath(stack.pop())
        if folder in found:
            continue
        found.add(folder)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if followed(entry, real_root, str(top)) == "dir":
                    linked = linked or entry.is_symlink()
                    stack.append(entry.path)
                elif entry.is_symlink():
                    linked = linked or entry.is_dir()
            except OSError:  # a link that loops on itself
                linked = True
    return sorted(found) if linked else None


def run_generate(opts: Options, out: Path, write_registry: bool) -> dict[str, Any]:
    """Run qadocs; the nav and the log lines to show (diagnostics, registry changes, summary)."""
    from qadocs.core.build import FAILS_STRICT_BUILD, generate, shown_from_root

    try:
        result = generate(opts, out, write_registry=write_registry)
    except ContentError as exc:
        raise PluginError(f"qadocs: {shown_from_root([exc.diagnostic], opts)[0].render()}") from exc
    except QadocsError as exc:
        raise PluginError(f"qadocs: {exc}; set `docs_dir: build/docs` and `content_dir: content`") from exc
    # qadocs errors are MkDocs warnings, so `mkdocs build --strict` fails on them; so does a
    # registry this build changed (`registry-stale`), which is kept apart: a later build that
    # reuses this run's lines finds the registry as this run wrote it.
    lines: list[list[Any]] = []
    stale: list[list[Any]] = []
    for diag in shown_from_root(result.diagnostics, opts):
        strict = diag.severity == "error" or diag.code in FAILS_STRICT_BUILD
        (stale if diag.code == "registry-stale" else lines).append(
            [logging.WARNING if strict else logging.INFO, diag.render()]
        )
    lines += [[logging.INFO, "qadocs registry: " + change.render()] for change in result.plan.changes]
    stats = result.stats
    assert stats is not None
    summary = (
        f"qadocs: {len(result.sources)} sources, {len(result.plan.questions)} questions "
        f"({stats.written} files written, {stats.removed} removed) in {result.seconds:.2f}s"
    )
    return {
        "nav": result.plan.nav,
        "lines": [*lines, [logging.INFO, summary]],
        "files": copied_from_elsewhere(opts, [*result.plan.assets.values(), *result.plan.looked]),
        "registry_written": result.registry_written,
        "stale": stale,
    }


def copied_from_elsewhere(opts: Options, sources: Iterable[Path]) -> list[str]:
    """The repository paths among `sources` (what generation copied, and every path it looked
    for, there or not) outside the content and images folders, which the input stamp does not
    cover: their paths from the repository. An image added where one was looked for in vain is
    then seen by the next build."""
    root = opts.repo_root.resolve()
    inside = (opts.content_dir.resolve(), opts.imgs_dir.resolve())
    below = tuple(os.path.join(folder, "") for folder in inside)  # strings: thousands of paths, each once
    found = set()
    for source in sources:
        written = os.path.normpath(source)  # `content/a/../../figs/x.png` is not in content/
        if written.startswith(below) and not os.path.islink(written):
            continue  # most of them: stamped with their folder
        real = Path(source).resolve()
        if real.is_relative_to(root) and not any(real.is_relative_to(folder) for folder in inside):
            found.add(real.relative_to(root).as_posix())
    return sorted(found)


def take_lock(root: Path, options: QadocsConfig) -> BuildLock:
    """This repository's build lock, held (`qadocs.plugin.buildlock`), in the cache folder."""
    folder = root / options.cache_dir
    if not folder.resolve().is_relative_to(root.resolve()):
        raise PluginError(f"qadocs: cache_dir {options.cache_dir!r} is outside the repository")
    lock = BuildLock(root, folder)
    try:
        lock.acquire(log.info)
    except LockError as exc:
        raise PluginError(f"qadocs: {exc}") from exc
    return lock


def open_cache(root: Path, options: QadocsConfig) -> PageCache | None:
    """The cache file, inside the repository `root` (None: `cache: false`, or a file this build
    may not use, said as a warning: `prebuild.check_cache_path`)."""
    if not options.cache:
        return None
    folder = root / options.cache_dir
    try:
        return PageCache(folder / "pages.sqlite", root)
    except CacheUnvouched as exc:
        log.info(f"qadocs: the page cache is off: {exc}")
    except CacheRefused as exc:
        log.warning(f"qadocs: the page cache is off: {exc}")
    except OSError as exc:  # a folder that cannot be made, a file that cannot be opened
        log.warning(f"qadocs: the page cache is off: {options.cache_dir}: {exc.strerror or exc}")
    return None


def generate_or_reuse(opts: Options, out: Path, cache: PageCache | None, write_registry: bool) -> list[Any]:
    """`run_generate`, or what its last run returned when nothing it reads or writes changed since:
    what it read as it was before that run read it (an edit saved while it ran is seen), and what
    it wrote as it was once written. The registry is both: as it was before the run, unless the
    run wrote it. Logs its lines, returns the nav."""
    before, registry = input_stamp(opts, out, write_registry), opts.content_dir / REGISTRY_NAME
    registry_before = tree_stamp(registry)

    def stamp(kept: dict[str, Any], registry_now: str) -> str:
        return before + registry_now + output_stamp(opts, out, kept.get("files") or [])

    kept = None
    if cache is not None:
        kept = cache.get_run("generate", lambda k: stamp(k, registry_before), before + registry_before)
    if kept is None:
        kept = run_generate(opts, out, write_registry)
        if cache is not None:
            written = kept.get("registry_written")
            cache.put_run("generate", stamp(kept, tree_stamp(registry) if written else registry_before), kept)
        lines = [*kept.get("stale", []), *kept["lines"]]
    else:
        kept["lines"][-1][1] += ", at the last build; nothing changed since: not regenerated"
        # The registry is as the last run left it: behind the content only if that run did not write it.
        lines = [*(kept.get("stale", []) if not kept.get("registry_written") else []), *kept["lines"]]
    for level, line in lines:
        log.log(level, line)
    return list(kept["nav"])


def input_stamp(opts: Options, out: Path, write_registry: bool) -> str:
    """What `generate` reads, as it is before it reads it: the options, the sources and images
    (as a reading of sources meets them: `prebuild.followed`), qadocs' code. The registry, which
    it may also write, is stamped apart (`generate_or_reuse`)."""
    registry = str(opts.content_dir / REGISTRY_NAME) + "\0"
    parts = [repr(opts), str(out), str(write_registry), tree_stamp(PACKAGE_DIR)]
    parts += (
        "\1".join(p for p in tree_stamp(folder, opts.repo_root).split("\1") if not p.startswith(registry))
        for folder in (opts.content_dir, opts.imgs_dir)
    )
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def output_stamp(opts: Options, out: Path, files: list[str]) -> str:
    """What `generate` wrote (the generated folder), and the repository's files it copied from
    outside the content and images folders (`files`: an image linked as `/x.png`, say)."""
    parts = [tree_stamp(out)]
    parts += (tree_stamp(opts.repo_root / name) if (opts.repo_root / name).is_file() else name for name in files)
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def touch_changed_views(nav: Navigation, before: dict[str, str]) -> dict[str, str]:
    """In a dirty build MkDocs rebuilds only pages whose source is newer than their output. A page
    whose sidebar, breadcrumbs or neighbours changed (a title edited, a question added) is touched
    so it is rebuilt too; `before` holds the fingerprints of the previous build (empty: the first
    build, which builds every page). Returns this build's fingerprints."""
    stamps: dict[int, str] = {}
    now = {page.file.src_uri: view_fingerprint(page, stamps) for page in nav.pages}
    if before:
        for page in nav.pages:
            if before.get(page.file.src_uri) != now[page.file.src_uri] and page.file.abs_src_path:
                os.utime(page.file.abs_src_path)
    return now


def _walk(items: list[Any]) -> Iterator[Any]:
    """Every nav item, sections and their children included."""
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


def _walk_toc(toc: TableOfContents | list[AnchorLink]) -> Iterator[AnchorLink]:
    for item in toc:
        yield item
        yield from _walk_toc(item.children)
