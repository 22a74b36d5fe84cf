"""Build pages ahead of MkDocs' loop: on both cores, and from a persistent cache.

MkDocs renders each page's markdown and then its template, one page after the other, on one
core. Before that loop starts (the `nav` event, when every page and the navigation are known),
qadocs builds each page exactly as the loop would (the same plugin events, the same template,
the same context) and keeps the result under a key made of everything the page's bytes depend
on: the page's markdown and front matter, the rendering configuration (mkdocs.yml, the versions
of every renderer, qadocs' own code, the theme's templates), the page's sidebar, breadcrumbs and
neighbours (`sidebar.view_fingerprint`), and which files its links point at. Pages missing from
the cache are built in worker processes (forked, so they share the loaded configuration) while
the loop runs: the loop writes each page's kept output as soon as it has arrived (`Builds`), and
the search index gets the page's kept entries. A warm rebuild of an unchanged collection renders
nothing.

This is sound only when every plugin is one whose page events are known (`KNOWN_PLUGINS`): any
other plugin might change pages from data the key does not see (a git date, say), and then the
cache is off and MkDocs builds as usual; so it is when the code of a Markdown extension cannot be
found for the key (`extension_code`), and with `cache: false`.

This is the one module that uses MkDocs' and Material's internals (the page loop of MkDocs 1.6,
the search index of MkDocs 1.6 and Material 9); `engine_unknown` checks the versions, and with
others MkDocs' own loop runs. Workers are forked only under `fork_refused`'s rule. The cache file
is data this machine's builds made: `check_cache_path` and `_schema_is_ours` refuse a file a
pull request could have put there.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import math
import multiprocessing
import os
import posixpath
import re
import signal
import sqlite3
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, NamedTuple

import markdown
import yaml
from mkdocs import __version__ as mkdocs_version
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import meta as mkdocs_meta

from qadocs.plugin.sidebar import view_fingerprint

CACHE_FORMAT = 3  # bump when a record's shape changes
KNOWN_PLUGINS = {"qadocs", "search", "material/search"}
PREBUILD_MIN = 24  # fewer pages to build than this: built in this process (a fork costs more)
CHUNK = 16  # pages per task handed to a worker
TEMPLATE = "qadocs-prebuilt.html"  # the loop's template for a page built ahead: its kept output
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/qadocs: all of qadocs' code and files
TEMPLATES_DIR = PACKAGE_DIR / "templates"
RENDERERS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pygments", "nh3", "jieba", "latex2mathml")
# Relative link and image targets in a page's markdown (MkDocs resolves them against the files).
_TARGET_RE = re.compile(r"""(?:\]\(<?|(?:src|href)=["'])([^)>"'\s#?]+)""")

log = logging.getLogger("mkdocs.plugins.qadocs")


TABLES = (
    "CREATE TABLE pages (key TEXT PRIMARY KEY, meta BLOB NOT NULL, body BLOB NOT NULL, output BLOB NOT NULL)",
    "CREATE TABLE runs (name TEXT PRIMARY KEY, stamp TEXT NOT NULL, value BLOB NOT NULL)",
)
SIDE_FILES = ("-journal", "-wal", "-shm")  # SQLite's files beside a database: a hot journal is replayed


class CacheRefused(Exception):
    """The cache file is not one this build may use (the page cache is then off, with a warning)."""


class CacheUnvouched(CacheRefused):
    """Nobody can say whether git tracks the cache (git missing, or refusing to answer in a
    repository owned by another user): the page cache is off, said as information."""


class PageCache:
    """Kept pages in one SQLite file, keyed by hex digest. A page's record is two JSON values
    (never pickle: the file is data and is read as data): `meta`, what rendering found (small),
    and `body`, the search entries; and the output, UTF-8. Body and output are compressed (a
    third of the bytes to write on a cold build).

    The file is data this machine's builds made, never a contributor's: `check_cache_path`
    refuses one that git tracks or that is reached through a link; a file whose schema holds
    anything but the two tables (a trigger, a view, another table) or that does not open is
    started afresh."""

    def __init__(self, path: Path, root: Path) -> None:
        check_cache_path(root, path)
        path.parent.mkdir(parents=True, exist_ok=True)
        check_cache_path(root, path)  # the folder made is no link either
        self.path = path
        try:
            self.db = self._open()
        except sqlite3.OperationalError as exc:  # locked by another program, unreadable: not ours to drop
            raise CacheRefused(f"{path.name}: {exc}") from exc
        except sqlite3.DatabaseError:  # damaged, or not this cache's schema
            self._afresh()

    def _afresh(self) -> None:
        for name in ("", *SIDE_FILES):
            Path(f"{self.path}{name}").unlink(missing_ok=True)
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60)
        try:
            db.execute("PRAGMA trusted_schema = OFF")
            if not _schema_is_ours(db):
                raise sqlite3.DatabaseError("not a qadocs cache")
            if db.execute("PRAGMA user_version").fetchone()[0] != CACHE_FORMAT:  # another shape: start afresh
                db.executescript("DROP TABLE IF EXISTS pages; DROP TABLE IF EXISTS runs;")
                db.execute(f"PRAGMA user_version = {int(CACHE_FORMAT)}")
            for sql in TABLES:
                db.execute(sql.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))
            db.execute("SELECT count(*) FROM pages").fetchone()
            db.execute("CREATE TEMP TABLE wanted (key TEXT PRIMARY KEY)")
        except BaseException:
            db.close()
            raise
        return db

    def get_run(self, name: str, stamp: Callable[[dict[str, Any]], str], head: str = "") -> dict[str, Any] | None:
        """What the last run of `name` kept, if its inputs have the stamp `stamp(kept)` returns
        now (asked only when a run is kept, and its stamp starts with `head`, the part known
        without it: a stamp costs a `stat` per file)."""
        row = self.db.execute("SELECT stamp, value FROM runs WHERE name = ?", (name,)).fetchone()
        if row is None or not str(row[0]).startswith(head):
            return None
        try:
            value = json.loads(zlib.decompress(row[1]))
        except (zlib.error, ValueError):
            return None
        return value if isinstance(value, dict) and row[0] == stamp(value) else None

    def put_run(self, name: str, stamp: str, value: dict[str, Any]) -> None:
        """Keep what a run of `name` produced from inputs with this `stamp` (replacing the last)."""
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?)", (name, stamp, zlib.compress(_json(value), 1))
            )

    def get(self, key: str, part: str) -> dict[str, Any] | None:
        """The `meta` or `body` kept under `key`, or None (also when it does not decode). The body
        is the search entries, and the output (UTF-8, not JSON: it is most of a record)."""
        if part == "meta":
            row = self.db.execute("SELECT meta, '' FROM pages WHERE key = ?", (key,)).fetchone()
        else:
            row = self.db.execute("SELECT body, output FROM pages WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0] if part == "meta" else zlib.decompress(row[0]))
            output = "" if part == "meta" else zlib.decompress(row[1]).decode("utf-8", "surrogatepass")
        except (zlib.error, ValueError, TypeError):
            return None
        if not isinstance(value, dict):
            return None
        return value if part == "meta" else {**value, "output": output}

    def _want(self, keys: Iterable[str]) -> None:
        self.db.execute("DELETE FROM wanted")
        self.db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((k,) for k in keys))

    def have(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` are kept."""
        with self.db:
            self._want(keys)
            rows = self.db.execute("SELECT pages.key FROM pages JOIN wanted ON pages.key = wanted.key").fetchall()
        return {row[0] for row in rows}

    def put_many(self, items: Iterable[KeptPage], commit: bool = True) -> None:
        """Keep each (key, meta, body, output) as `pack` made them; without `commit`, in the open
        transaction (this connection reads them at once; `commit` makes them last)."""
        self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)", items)
        if commit:
            self.db.commit()

    def commit(self) -> None:
        """Make what was put last."""
        self.db.commit()

    def keep_only(self, keys: set[str]) -> None:
        """Forget every record not in `keys` (after a full build: the cache holds one site)."""
        with self.db:
            self._want(keys)
            self.db.execute("DELETE FROM pages WHERE key NOT IN (SELECT key FROM wanted)")

    def close(self) -> None:
        """Close the file (a worker never uses the parent's connection)."""
        self.db.close()


def _schema_is_ours(db: sqlite3.Connection) -> bool:
    """Whether the database holds nothing but this cache's tables (and their keys' indexes), read
    before anything else is asked of it: no trigger, view or other table can run or answer."""
    expected: set[tuple[str, str, str | None]] = {("table", t.split()[2], t) for t in TABLES}
    expected |= {("index", f"sqlite_autoindex_{t.split()[2]}_1", None) for t in TABLES}
    rows = set(db.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
    return rows <= expected


def check_cache_path(root: Path, path: Path) -> None:
    """Raise `CacheRefused` unless `path` (and SQLite's files beside it) may be this build's
    cache: inside `root`, reached through no symbolic link, a regular file with one name (or
    none yet), and not tracked by git (a file a pull request adds is not data this build made)."""
    root = root.resolve()
    if not path.is_relative_to(root):
        raise CacheRefused(f"{path} is outside the repository")
    here = root
    for part in path.relative_to(root).parts:
        here = here / part
        try:
            info = os.lstat(here)
        except FileNotFoundError:
            break
        except OSError as exc:  # a file where a folder should be, say
            raise CacheRefused(f"{here.relative_to(root)}: {exc.strerror}") from exc
        if stat.S_ISLNK(info.st_mode):
            raise CacheRefused(f"{here.relative_to(root)} is a symbolic link")
    for side in ("", *SIDE_FILES):
        try:
            info = os.lstat(f"{path}{side}")
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
            raise CacheRefused(f"{path.relative_to(root)}{side} is not a plain file")
    tracked = _tracked(root, path.parent.relative_to(root)) if os.path.lexists(path.parent) else None
    if tracked == "":
        raise CacheUnvouched(
            f"git could not say whether it tracks {path.parent.relative_to(root).as_posix()} (is git installed, "
            "and does this user own the repository? see git's safe.directory)"
        )
    if tracked:
        raise CacheRefused(f"git tracks {tracked} (a build's cache is never part of the repository)")


def _tracked(root: Path, folder: Path) -> str | None:
    """The first file under `folder` that git tracks in the repository at `root`, submodules
    included (None: none, or no git repository; "": inside a git work tree where git cannot
    answer, so nobody can vouch for the folder)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--recurse-submodules", "--", folder.as_posix()],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        done = None
    if done is None or done.returncode != 0:
        return "" if any(os.path.lexists(p / ".git") for p in (root, *root.parents)) else None
    first = done.stdout.split(b"\0", 1)[0]
    return first.decode("utf-8", "replace") if first else None


class Packed(NamedTuple):
    """A page's record as stored: meta as compact JSON, the body (search entries) and the output
    (UTF-8) compressed fast."""

    meta: bytes
    body: bytes
    output: bytes


class KeptPage(NamedTuple):
    """A row of the cache: a page's key and its packed record."""

    key: str
    meta: bytes
    body: bytes
    output: bytes


class LogLine(NamedTuple):
    """What a page's build logged, to log again whenever the page is used."""

    logger: str
    level: int
    message: str


def pack(record: dict[str, Any]) -> Packed:
    """A record as stored (see `Packed`)."""
    output = record.pop("output")
    body = {"entries": record.pop("entries")}
    return Packed(
        _json(record), zlib.compress(_json(body), 1), zlib.compress(output.encode("utf-8", "surrogatepass"), 1)
    )


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def config_fingerprint(config: MkDocsConfig) -> str:
    """Everything but the page itself that decides a page's bytes: mkdocs.yml as written, the
    configuration as resolved (command-line overrides, plugins' additions), the versions of the
    renderers, qadocs' own code, the theme's templates, and the code of every Markdown extension
    named (`extension_code`; `UnknownCode` when one cannot be found)."""
    digest = hashlib.sha256(f"qadocs-cache {CACHE_FORMAT}\0".encode())
    for name in RENDERERS:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    if config.config_file_path and os.path.isfile(config.config_file_path):
        digest.update(Path(config.config_file_path).read_bytes())
    digest.update(_canonical(config).encode("utf-8", "surrogatepass"))
    for folder in (PACKAGE_DIR, *_theme_folders(config), *extension_code(config)):
        digest.update(tree_stamp(folder).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class UnknownCode(Exception):
    """Code that decides pages and that the cache key cannot cover (the cache is then off)."""


FILE_READERS = ("pymdownx.snippets", "markdown_include.include", "mdx_include")  # extensions that read other files


def extension_code(config: MkDocsConfig) -> list[Path]:
    """The code of each Markdown extension `mkdocs.yml` names (and qadocs adds), and of every
    function or class named in their configuration (a custom fence's formatter, a slugify): the
    folder of its top-level package, or its module's file, wherever it lives (a module of the
    project, an installed package, an editable one). Raises `UnknownCode` for an extension given
    as an object, one whose module is not found, or one that reads other files into pages."""
    points = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="markdown.extensions")}
    modules: set[str] = set()
    for ext in config.markdown_extensions:
        if not isinstance(ext, str):
            raise UnknownCode(f"the Markdown extension {type(ext).__name__} is an object, not a name")
        module = points.get(ext, ext).split(":", 1)[0]
        if module.startswith(FILE_READERS):
            raise UnknownCode(f"the Markdown extension {ext!r} reads files the cache key does not see")
        modules.add(module)
    modules.update(_named_code(config.mdx_configs or {}))
    found: set[Path] = set()
    for module in sorted(modules):
        found.update(_code_of(module))
    return sorted(found)


def _named_code(value: Any, depth: int = 0) -> Iterator[str]:
    """The modules of the functions and classes inside an extension's configuration."""
    if depth > 20:
        return
    if isinstance(value, dict):
        for item in value.values():
            yield from _named_code(item, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _named_code(item, depth + 1)
    elif callable(value):
        module = getattr(value, "__module__", None)
        if isinstance(module, str) and module != "builtins":
            yield module


def _code_of(module: str) -> list[Path]:
    """The folder (or file) of `module`'s top-level package."""
    top = module.split(".", 1)[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not (spec.origin or spec.submodule_search_locations):
        raise UnknownCode(f"the code of {module!r}, which renders pages, was not found")
    if spec.submodule_search_locations:
        return [Path(p).resolve() for p in spec.submodule_search_locations]
    return [Path(str(spec.origin)).resolve()]


_VOLATILE = {"nav", "site_dir", "docs_dir", "config_file_path", "watch", "dev_addr", "strict"}


def _canonical(config: MkDocsConfig) -> str:
    data = {key: value for key, value in config.items() if key not in _VOLATILE and not key.startswith("_")}
    data["plugins"] = {name: dict(plugin.config) for name, plugin in config.plugins.items()}
    data["theme"] = {"name": config.theme.name, **dict(config.theme.items())}
    return json.dumps(data, sort_keys=True, default=_describe, ensure_ascii=False)


def _describe(value: Any) -> Any:
    """A stable stand-in for what JSON cannot hold: functions by name, containers by content."""
    if isinstance(value, set | frozenset | tuple):
        return sorted(map(repr, value))
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    if hasattr(value, "items"):
        return dict(value.items())
    return type(value).__name__


def tree_stamp(folder: Path, root: Path | None = None) -> str:
    """Names, sizes and modification times of the files under `folder` (templates, code, the
    sources and the pages generated from them), or of `folder` itself when it is a file. With
    `root`, the files a reading of sources meets (`followed`); without, links are not followed."""
    if os.path.isfile(folder):
        info = os.stat(folder)
        return f"{folder}\0{info.st_size}\0{info.st_mtime_ns}"
    real_root = os.path.realpath(root) if root is not None else None
    parts: list[str] = []
    folders = [str(folder)]
    seen: set[str] = set()
    while folders:
        top = folders.pop()
        try:
            entries = sorted(os.scandir(top), key=lambda e: e.name)
        except OSError:
            continue
        if real_root is not None:  # links followed: each real folder once (a loop of links ends)
            real = os.path.realpath(top)
            if real in seen:
                continue
            seen.add(real)
        for entry in entries:
            try:
                kind = followed(entry, real_root, str(folder)) if real_root is not None else _plain(entry)
                if kind == "dir":
                    folders.append(entry.path)
                elif kind == "file":
                    info = entry.stat()
                    parts.append(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}")
            except OSError:  # a link that loops on itself, a file gone meanwhile
                parts.append(f"{entry.path}\0gone")
    return "\1".join(parts)


def _plain(entry: os.DirEntry[str]) -> str | None:
    """What `tree_stamp` takes of an entry when links are not followed."""
    if entry.is_dir(follow_symlinks=False):
        return None if entry.name == "__pycache__" else "dir"
    return "file" if entry.is_file(follow_symlinks=False) else None


def followed(entry: os.DirEntry[str], real_root: str, top: str) -> str | None:
    """Whether a walk from `top` that reads sources as qadocs reads them enters `entry` ("dir"),
    takes it as a file ("file"), or leaves it (None): hidden names are left, and so are links
    leading outside the repository (`real_root`) or to a folder that holds `top` (the repository
    itself, say: the generated pages, the cache and `.git` are no source)."""
    if entry.name.startswith("."):
        return None
    if entry.is_symlink():
        target = os.path.realpath(entry.path)
        if not _inside(target, real_root) or _inside(os.path.realpath(top), target):
            return None
    if entry.is_dir():
        return "dir"
    return "file" if entry.is_file() else None


def _inside(path: str, root: str | None) -> bool:
    return root is not None and os.path.commonpath([root, path]) == root


def _theme_folders(config: MkDocsConfig) -> list[Path]:
    """The theme's template folders, but those shipped inside a renderer whose version the
    fingerprint holds already (Material's thousands of icons need no stat on every build)."""
    shipped = []
    for name in ("material", "mkdocs"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            shipped.append(Path(spec.origin).resolve().parent)
    return [Path(d) for d in config.theme.dirs if not any(Path(d).resolve().is_relative_to(p) for p in shipped)]


def page_key(base: str, page: Page, files: Files, stamps: dict[int, str]) -> str:
    """The cache key of `page` (read already): see the module doc."""
    digest = hashlib.sha256(base.encode())
    digest.update(page.file.src_uri.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(
        json.dumps(page.meta, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8", "surrogatepass")
    )
    digest.update((page.markdown or "").encode("utf-8", "surrogatepass") + b"\0")
    digest.update(view_fingerprint(page, stamps).encode())
    for target in sorted(set(_targets(page))):
        digest.update(f"{target}\0{files.get_file_from_path(target) is not None}\1".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _targets(page: Page) -> Iterator[str]:
    """Relative targets of the page's links and images, as paths in the docs dir."""
    folder = posixpath.dirname(page.file.src_uri)
    for match in _TARGET_RE.finditer(page.markdown or ""):
        target = match.group(1)
        if "://" not in target and not target.startswith(("/", "mailto:", "data:")):
            yield posixpath.normpath(posixpath.join(folder, target))


def engine_unknown() -> str | None:
    """Why building ahead may not run with the installed engine (None: it may). It re-plays the
    page loop of MkDocs 1.6 (`build_page`, `_render`: private classes of `mkdocs.structure.pages`)
    and reaches into the search index of MkDocs 1.6 and Material 9 (`plain_search_json`,
    `use_kept_entries`, `_remember_segments`); with any other version MkDocs' own loop runs."""
    try:
        found = importlib.metadata.version("mkdocs")
    except importlib.metadata.PackageNotFoundError:
        return "MkDocs is not installed as a package"
    if not found.startswith("1.6."):
        return f"MkDocs {found} (qadocs knows the page loop of 1.6)"
    try:
        material = importlib.metadata.version("mkdocs-material")
    except importlib.metadata.PackageNotFoundError:
        return None
    if not material.startswith("9."):
        return f"Material {material} (qadocs knows the search index of 9)"
    missing = [n for n in ENGINE_NAMES if not hasattr(mkdocs_pages, n)]
    return f"mkdocs.structure.pages lacks {', '.join(missing)}" if missing else None


ENGINE_NAMES = (
    "_RawHTMLPreprocessor",
    "_ExtractAnchorsTreeprocessor",
    "_RelativePathTreeprocessor",
    "_ExtractTitleTreeprocessor",
)


class _Capture(logging.Handler):
    """Holds the log records a page's build emits, to emit them again whenever the page is used."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[LogLine] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(LogLine(record.name, record.levelno, record.getMessage()))


class Job:
    """What a page's build needs, shared with forked workers (copied at the fork, never sent)."""

    def __init__(self, config: MkDocsConfig, files: Files, nav: Navigation, pages: list[Page]) -> None:
        self.config, self.files, self.nav, self.pages = config, files, nav, pages
        self.spill: Path | None = None  # where workers write their records (the cache folder)
        self.doc_files = files.documentation_pages()
        self.env: Any = None
        self.md: markdown.Markdown | None = None


_JOB: Job | None = None  # set in the parent just before the fork


def build_page(job: Job, page: Page, logs: list[LogLine] | None = None) -> dict[str, Any]:
    """Build `page` as MkDocs' loop does (`_populate_page` then `_build_page`, without the write)
    and return what the loop needs later: the output, the title and anchors the render found,
    the page's search entries and its log records (also put in `logs`, failure or not)."""
    config, files, nav = job.config, job.files, job.nav
    if job.env is None:
        job.env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        job.env.auto_reload = False  # templates do not change during a build: no stat per include
    index = _search_index(config)
    before = len(index.entries) if index is not None else 0
    capture, mkdocs_log = _Capture(), logging.getLogger("mkdocs")
    handlers, mkdocs_log.handlers = mkdocs_log.handlers, [capture]
    try:
        config._current_page = page
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.markdown = config.plugins.on_page_markdown(page.markdown or "", page=page, config=config, files=files)
        _render(job, page)
        page.content = config.plugins.on_page_content(page.content or "", page=page, config=config, files=files)
        page.active = True
        context = get_context(nav, job.doc_files, config, page)
        template = job.env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = config.plugins.on_post_page(template.render(context), page=page, config=config)
    finally:
        page.active = False
        config._current_page = None
        mkdocs_log.handlers = handlers
        if logs is not None:
            logs += capture.records
    entries = index.entries[before:] if index is not None else []
    if index is not None:
        del index.entries[before:]
    links = {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}
    return {
        "output": output,
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": links,
        "entries": entries,
        "logs": capture.records,
    }


def _render(job: Job, page: Page) -> None:
    """`Page.render` (MkDocs 1.6), with one Markdown instance per process, reset between pages,
    instead of a new one per page (building it costs as much as rendering a short answer)."""
    config, files = job.config, job.files
    if job.md is None:
        job.md = markdown.Markdown(
            extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {}
        )
    md = job.md
    md.reset()
    raw_html = mkdocs_pages._RawHTMLPreprocessor()
    anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
    relative = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
    title = mkdocs_pages._ExtractTitleTreeprocessor()
    for processor in (raw_html, anchors, relative, title):
        processor._register(md)  # by name: replaces the previous page's
    page.content = md.convert(page.markdown or "")
    page.toc = get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = title.title
    page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
    if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative.links_to_anchors


def _search_index(config: MkDocsConfig) -> Any:
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return getattr(plugin, "search_index", None)


def _build_records(share: list[tuple[int, str]]) -> list[tuple[str, Packed | None]]:
    """Build the pages at these indexes; (key, packed record), or None on an error (that page is
    built again in the build's own process, which reports the error as MkDocs does)."""
    assert _JOB is not None
    done: list[tuple[str, Packed | None]] = []
    for number, key in share:
        try:
            done.append((key, pack(build_page(_JOB, _JOB.pages[number]))))
        except Exception:
            done.append((key, None))
    return done


SPILL_PREFIX = ".share-"  # a worker's records, in the cache folder, until the build keeps them
_RECORD = struct.Struct(">IIII")  # the lengths of a spilled record's key, meta, body and output


def _build_share(share: list[tuple[int, str]]) -> tuple[str, list[tuple[str, bool]]]:
    """In a worker: build a share and write its records to a file of their own in the cache
    folder; return the file's name and each key with whether its page was built. The message
    stays far below a pipe's atomic write (`PIPE_BUF`): a worker killed at any moment never
    leaves half a message for the pool to wait on for ever."""
    assert _JOB is not None and _JOB.spill is not None
    done = _build_records(share)
    fd, name = tempfile.mkstemp(dir=_JOB.spill, prefix=SPILL_PREFIX)
    with os.fdopen(fd, "wb") as f:
        for key, packed in done:
            if packed is not None:
                parts = (key.encode("ascii"), *packed)
                f.write(_RECORD.pack(*map(len, parts)))
                f.writelines(parts)
    return name, [(key, packed is not None) for key, packed in done]


def _read_spill(name: str) -> list[KeptPage]:
    """The records a worker wrote (`_build_share`); the file is removed."""
    with open(name, "rb") as f:
        data = f.read()
    os.unlink(name)
    records, at = [], 0
    while at < len(data):
        sizes = _RECORD.unpack_from(data, at)
        at += _RECORD.size
        parts = []
        for size in sizes:
            parts.append(data[at : at + size])
            at += size
        records.append(KeptPage(parts[0].decode("ascii"), parts[1], parts[2], parts[3]))
    return records


def _worker_start(parent: int) -> None:
    """First thing in a worker: die with the build (a build killed outright, by the kernel's
    out-of-memory killer or a CI timeout, leaves no worker behind)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):  # PR_SET_PDEATHSIG: SIGKILL when the parent dies
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before that was asked
        os._exit(1)


def worker_count(jobs: int, root: Path = Path("/")) -> int:
    """`jobs` from the configuration, or (0) the cores this process may use: those it may run on,
    no more than its control group's CPU quota allows (a container given 2 CPUs on a host of 64
    runs 2 workers, not 64)."""
    if jobs > 0:
        return jobs
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    quota = cgroup_cpus(root)
    return max(1, min(cores, math.ceil(quota))) if quota is not None else cores


def cgroup_cpus(root: Path = Path("/")) -> float | None:
    """The CPUs per second this process's control groups allow (the smallest quota on its way up
    the hierarchy, cgroup v2 `cpu.max` or v1 `cpu.cfs_quota_us`), or None when none is set or
    none can be read. `root` is the file system's root (tests give another)."""
    try:
        membership = (root / "proc/self/cgroup").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    mount = root / "sys/fs/cgroup"
    found: list[float] = []
    for line in membership:
        fields = line.split(":", 2)
        if len(fields) != 3:
            continue
        _, controllers, path = fields
        if controllers == "":  # cgroup v2: one hierarchy
            found += _quotas(mount, path, _v2_quota)
        elif "cpu" in controllers.split(","):
            for name in dict.fromkeys((controllers, "cpu")):
                if (mount / name).is_dir():
                    found += _quotas(mount / name, path, _v1_quota)
                    break
    return min(found) if found else None


def _quotas(base: Path, path: str, read: Callable[[Path], float | None]) -> list[float]:
    """The quotas set on the cgroup `path` under `base` and on each group above it."""
    found = []
    parts = [part for part in path.split("/") if part and part not in (".", "..")]
    for depth in range(len(parts), -1, -1):
        quota = read(base.joinpath(*parts[:depth]))
        if quota is not None:
            found.append(quota)
    return found


def _v2_quota(folder: Path) -> float | None:
    try:
        quota, period = (folder / "cpu.max").read_text(encoding="utf-8").split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError, UnicodeDecodeError, ZeroDivisionError):
        return None


def _v1_quota(folder: Path) -> float | None:
    try:
        quota = int((folder / "cpu.cfs_quota_us").read_text(encoding="utf-8"))
        period = int((folder / "cpu.cfs_period_us").read_text(encoding="utf-8"))
        return None if quota <= 0 or period <= 0 else quota / period
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def fork_refused(workers: int, serving: bool) -> str | None:
    """Why page workers may not be forked now (None: they may). The one rule for every fork:
    none for one process, none where `fork` is missing, none under `mkdocs serve` (its server,
    watcher and reload threads run), none while any other thread runs (a fork copies only the
    thread that calls it, with whatever locks the others hold)."""
    if workers < 2:
        return "one process"
    if "fork" not in multiprocessing.get_all_start_methods():
        return "no fork on this system"
    if serving:
        return "mkdocs serve"
    if threading.active_count() > 1:
        return f"{threading.active_count() - 1} other thread(s) running"
    return None


class Builds:
    """Pages being built ahead while MkDocs' loop runs. Forked workers (a `ProcessPoolExecutor`)
    take them in the loop's order, a share of `CHUNK` pages at a time; the loop waits for a page
    only when it needs it, so writing the pages built first overlaps building the later ones. Each
    result is kept in the cache as it arrives. With fewer pages than `PREBUILD_MIN`, or when
    `fork_refused`, they are all built here at once."""

    def __init__(self, job: Job, missing: list[tuple[int, str]], workers: int, cache: PageCache, serving: bool) -> None:
        global _JOB
        self.cache, self.workers = cache, workers
        self.waiting = {key for _, key in missing}
        self.failed: set[str] = set()
        self.built = 0
        self.pool: ProcessPoolExecutor | None = None
        self.refused = fork_refused(workers, serving) if len(missing) >= PREBUILD_MIN else "few pages to build"
        self.shares: deque[Future[tuple[str, list[tuple[str, bool]]]]] = deque()
        _JOB = job
        if self.refused is not None:
            self.workers = 1
            done = _build_records(missing)
            self._keep([KeptPage(k, *p) for k, p in done if p is not None], [(k, p is not None) for k, p in done])
            return
        job.spill = cache.path.parent
        _remove_spills(job.spill)
        self.pool = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start, initargs=(os.getpid(),)
        )
        for i in range(0, len(missing), CHUNK):
            self.shares.append(self.pool.submit(_build_share, missing[i : i + CHUNK]))

    def wait(self, key: str) -> bool:
        """Take results until `key`'s has arrived; False when its worker failed on it."""
        while key in self.waiting and self.shares:
            self._take(self.shares.popleft())
        return key not in self.failed and key not in self.waiting

    def _take(self, share: Future[tuple[str, list[tuple[str, bool]]]]) -> None:
        """Keep a share's records. A worker that died (killed for memory, say) breaks the pool:
        that stops the build, said plainly."""
        try:
            name, done = share.result()
        except BrokenProcessPool:
            raise PluginError(
                "qadocs: a process building pages stopped (out of memory?); build again, or with `jobs: 1` or `cache: false`"
            ) from None
        self._keep(_read_spill(name), done)

    def _keep(self, kept: list[KeptPage], done: list[tuple[str, bool]]) -> None:
        self.waiting.difference_update(k for k, _ in done)
        self.failed.update(k for k, ok in done if not ok)
        self.built += len(kept)
        self.cache.put_many(kept, commit=not self.waiting or self.built % 256 < len(kept))

    def take_ready(self) -> None:
        """Keep the results that have arrived, without waiting (they are not held in memory)."""
        while self.shares and self.shares[0].done():
            self._take(self.shares.popleft())

    def close(self) -> None:
        """Stop the workers (the build is over, or failed: shares not started are cancelled, the
        workers at work ended at once) and make every kept result last."""
        global _JOB
        spill = _JOB.spill if _JOB is not None else None
        _JOB = None
        pool, self.pool = self.pool, None
        if pool is not None:
            processes = list((getattr(pool, "_processes", None) or {}).values())  # before shutdown forgets them
            if self.shares:  # the build failed: nobody will read what they are building
                for process in processes:
                    process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)
        self.shares.clear()
        if spill is not None:
            _remove_spills(spill)
        self.cache.commit()


def _remove_spills(folder: Path) -> None:
    """Remove the records workers wrote and nobody kept (a failed build's, a killed one's)."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(SPILL_PREFIX) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


SEGMENT_MEMO_MAX = 200  # texts up to this length have their jieba segmentation kept (titles)


class Prebuilder:
    """The build's side of it: which pages are built ahead (`keys`), and giving MkDocs' loop their
    kept state. Inactive until `prepare` is done, so building ahead runs the real events."""

    def __init__(self, cache: PageCache, workers: int, base: str, serving: bool = False) -> None:
        self.cache = cache
        # `config_fingerprint` (what every page's key starts from), the processes wanted, and
        # whether this is `mkdocs serve` (never a fork: `fork_refused`)
        self.settings = (base, workers, serving)
        self.keys: dict[str, str] = {}  # src_uri → key, for the pages the loop takes from the cache
        self.builds: Builds | None = None
        self.job: Job | None = None
        self.late: set[str] = set()  # pages the loop went past before their result arrived
        self.start = time.perf_counter()
        self.last: tuple[str, dict[str, dict[str, Any]]] | None = None  # a key and its parts at hand

    def prepare(self, config: MkDocsConfig, files: Files, nav: Navigation, dirty: bool) -> None:
        """Key every page the loop will build (each read here, once), and start building the
        missing ones."""
        self.start = time.perf_counter()
        pages = [f.page for f in files.documentation_pages() if f.page is not None]
        if dirty:
            pages = [page for page in pages if page.file.is_modified()]
        read_sources(config, pages, self.cache, dirty)
        stamps: dict[int, str] = {}
        keys = [page_key(self.settings[0], page, files, stamps) for page in pages]
        have = self.cache.have(keys)
        _remember_segments(config)
        self.job = Job(config, files, nav, pages)
        missing = [(n, key) for n, key in enumerate(keys) if key not in have]
        self.keys = {page.file.src_uri: key for page, key in zip(pages, keys, strict=True)}
        self.builds = Builds(self.job, missing, self.settings[1], self.cache, self.settings[2])

    def part(self, page: Page, part: str) -> dict[str, Any] | None:
        """The kept `meta` or `body` of a page built ahead (None: the loop builds it as usual).
        Waits for the page's result; a page whose worker failed is built here."""
        uri = page.file.src_uri
        key = self.keys.get(uri)
        if key is None or self.builds is None or self.job is None:
            return None
        if not self.builds.wait(key):
            self._build_here(page, key)
        if uri in self.late:  # its record arrived after the render: what the render found, now
            self.late.discard(uri)
            _restore(page, self._get(page, key, "meta"), self.job.files)
        return self._get(page, key, part)

    def _get(self, page: Page, key: str, part: str) -> dict[str, Any]:
        """A part of the record of `key`: at hand, or from the cache, or (gone from it: another
        build's cleaning, a damaged record) built here again."""
        if self.last is None or self.last[0] != key or part not in self.last[1]:
            found = self.cache.get(key, part)
            if found is None:
                return self._build_here(page, key)[part]
            self.last = (key, {part: found})
        return self.last[1][part]

    def take_over(self, page: Page, files: Files) -> None:
        """In the loop, before the render: a page built ahead is rendered from its record. One
        whose result has not arrived yet is taken over now and given its record later, in the
        `page_context` event; but a page whose title may come from its render waits for it."""
        key = self.keys.get(page.file.src_uri)
        if key is None or self.builds is None:
            return
        self.builds.take_ready()
        if key in self.builds.waiting and "title" in page.meta:
            self.late.add(page.file.src_uri)
            meta: dict[str, Any] | None = {}
        else:
            meta = self.part(page, "meta")
        if meta is None:
            return
        page.meta["template"] = TEMPLATE
        page.render = lambda config, files: _restore(page, meta, files)  # type: ignore[method-assign]

    def _build_here(self, page: Page, key: str) -> dict[str, dict[str, Any]]:
        """A page whose worker failed, or whose record is gone: build it in this process (an error
        is raised here, in the loop, as MkDocs raises it), keep it, and have its parts at hand."""
        assert self.job is not None and self.builds is not None
        uri = page.file.src_uri
        del self.keys[uri]  # the events below build it as usual
        for stub in ("read_source", "render"):
            page.__dict__.pop(stub, None)
        config, current = self.job.config, self.job.config._current_page
        logs: list[LogLine] = []
        try:
            page.read_source(config)
            record = build_page(self.job, page, logs)
        except BaseException:
            _emit(logs)  # what it logged before it failed, as MkDocs' loop would have shown it
            raise
        finally:
            config._current_page = current
        parts = {
            "meta": {k: v for k, v in record.items() if k not in ("output", "entries")},
            "body": {"entries": record["entries"], "output": record["output"]},
        }
        self.cache.put_many([KeptPage(key, *pack(record))])
        self.builds.failed.discard(key)
        self.builds.built += 1
        self.keys[uri] = key
        self.last = (key, parts)
        return parts

    def finish(self, complete: bool) -> str | None:
        """After the build (or its failure): stop the workers; on a full build, forget records of
        pages that are gone. Returns what was built and kept, for the log (None: nothing ahead)."""
        if self.builds is None:
            return None
        self.builds.close()
        if complete:
            self.cache.keep_only(set(self.keys.values()))
        built = self.builds.built
        refused = self.builds.refused
        why = f": {refused}" if refused and built else ""  # why this process built them alone
        return (
            f"qadocs: {built} pages built, {len(self.keys) - built} taken from the cache "
            f"({self.builds.workers} processes{why}, {time.perf_counter() - self.start:.2f}s)"
        )


def _already_read(config: MkDocsConfig) -> None:
    """`Page.read_source` for a page qadocs read before the loop (the loop must not read it again)."""


FRONT_MATTER_RUN = "front-matter"  # the `runs` entry of `read_sources`


def read_sources(config: MkDocsConfig, pages: list[Page], cache: PageCache, dirty: bool) -> None:
    """`Page.read_source` (MkDocs 1.6) for each page, before the loop, which then does not read
    them again. Front matter is parsed with MkDocs' own `get_data` (a YAML parser: most of the
    reading's time) unless the same source was read by an earlier build: then its meta is taken
    from what that build kept, under the digest of the whole source. Only meta that JSON holds
    exactly is kept (a YAML date is not: such a page is parsed every time). A dirty build reads
    only the pages it rebuilds and keeps the others' too."""
    stamp = f"{FRONT_MATTER_RUN} mkdocs {mkdocs_version} pyyaml {yaml.__version__}"
    kept = cache.get_run(FRONT_MATTER_RUN, lambda _: stamp) or {}
    loaded = set(kept)
    now: dict[str, Any] = {}
    for page in pages:
        source = config.plugins.on_page_read_source(page=page, config=config)
        if source is None:
            try:
                source = page.file.content_string
            except OSError:
                mkdocs_pages.log.error(f"File not found: {page.file.src_path}")
                raise
            except ValueError:
                mkdocs_pages.log.error(f"Encoding error reading file: {page.file.src_path}")
                raise
        digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
        found = kept.pop(digest, None)
        matched = mkdocs_meta.YAML_RE.match(source)
        if matched is not None and isinstance(found, dict) and found:
            page.markdown, page.meta = source[matched.end() :].lstrip("\n"), found
            now[digest] = found
        else:
            page.markdown, page.meta = mkdocs_meta.get_data(source)
            if matched is not None and page.meta and _json_exact(page.meta):
                now[digest] = page.meta
        page.read_source = _already_read  # type: ignore[method-assign]
    # kept again only when it changes: a source new to it, or (a full build) a page gone
    if not now.keys() <= loaded or (not dirty and now.keys() != loaded):
        cache.put_run(FRONT_MATTER_RUN, stamp, {**kept, **now} if dirty else now)


def _json_exact(value: dict[str, Any]) -> bool:
    """Whether `value` comes back from JSON as it is (strings, numbers, lists, mappings with
    string keys: what YAML gives for plain front matter)."""
    try:
        return bool(json.loads(json.dumps(value, ensure_ascii=False)) == value)
    except (TypeError, ValueError):
        return False


def _restore(page: Page, record: dict[str, Any], files: Files) -> None:
    from mkdocs.structure.toc import TableOfContents

    page.content = ""
    page.toc = TableOfContents([])
    page._title_from_render = record.get("title")
    page.present_anchor_ids = set(record.get("anchors") or ())
    linked = ((files.get_file_from_path(uri), anchors) for uri, anchors in (record.get("links") or {}).items())
    page.links_to_anchors = {file: anchors for file, anchors in linked if file is not None}
    _emit(record.get("logs") or ())


def _emit(logs: Iterable[LogLine | list[Any]]) -> None:
    """Log again what a page's build logged (`_Capture`)."""
    for name, level, message in logs:  # a kept record's come back from JSON as lists
        logging.getLogger(name).log(level, message)


def _remember_segments(config: MkDocsConfig) -> None:
    """jieba once per distinct short text (a page's title is segmented for each of its sections)."""
    index = _search_index(config)
    segment = getattr(index, "_segment_chinese", None)
    if segment is None or getattr(segment, "qadocs_memo", False):
        return
    memo: dict[str, str] = {}

    def remembered(data: str) -> str:
        if len(data) > SEGMENT_MEMO_MAX:
            return str(segment(data))
        found = memo.get(data)
        if found is None:
            found = memo[data] = segment(data)
        return found

    remembered.qadocs_memo = True  # type: ignore[attr-defined]
    index._segment_chinese = remembered


def plain_search_json(config: MkDocsConfig) -> None:
    """Material writes the search index with every character past ASCII escaped: each Chinese
    character takes six bytes, and so does each `\u200b` jieba's words are joined with. Have it
    written as UTF-8 instead: the same JSON value, about half the bytes."""
    index = _search_index(config)
    generate = getattr(index, "generate_search_index", None)
    if generate is None or getattr(generate, "qadocs_plain", False):
        return

    def plain(prev: Any) -> str:
        text = str(generate(prev))
        try:
            out = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
            out.encode("utf-8")
        except (ValueError, UnicodeEncodeError):  # a lone surrogate: keep Material's escapes
            return text
        return out

    plain.qadocs_plain = True  # type: ignore[attr-defined]
    index.generate_search_index = plain


def use_kept_entries(config: MkDocsConfig, prebuilder: Prebuilder) -> None:
    """The search index takes a page built ahead's kept entries instead of parsing its HTML."""
    index = _search_index(config)
    if index is None or getattr(index.add_entry_from_context, "qadocs_kept", False):
        return
    original = index.add_entry_from_context

    def add(page: Page) -> None:
        body = prebuilder.part(page, "body")
        if body is None:
            original(page)
        else:
            index.entries.extend(body.get("entries") or ())

    add.qadocs_kept = True  # type: ignore[attr-defined]
    index.add_entry_from_context = add
