"""Work a build's processes would each do, done once beside the build while it does other things.

From the end of the generation to the start of the page workers (`qadocs.prebuild`) the build
runs on one core: MkDocs collects the files and the nav, then qadocs reads every page. A forked
copy (`qadocs.beside`) uses the other core meanwhile for two things whose result can be sent
back:

- it reads every generated page and parses its front matter, as MkDocs' `Page.read_source`
  does (the same functions: `File.content_string`'s way of reading, `meta.get_data`); the build
  takes a page's result if the file's size and modification time are still those the copy saw;
- it compiles the theme's templates; their code goes into a bytecode cache (Jinja's own
  mechanism: code is used only for a template whose source has the checksum it was compiled
  from) that the build's environment and every worker's start with, instead of each compiling
  the templates it uses.

Only for full builds in which every plugin is known (no plugin of unknown behaviour could
change how pages are read or templates compiled); anything amiss and the build does the work
itself, as it would without the copy.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs.utils import meta

from .beside import Copy, start_copy

Read = tuple[int, int, str, dict[str, Any]]  # size, modification time (ns), markdown, front matter
TEMPLATE_SUFFIXES = (".html", ".xml")  # what a theme renders; its icons are included as they are


@dataclass(slots=True)
class Warmed:
    """What the copy sends back: pages read (by absolute path), template code (by cache key)."""

    pages: dict[str, Read] = field(default_factory=dict)
    bytecode: dict[str, bytes] = field(default_factory=dict)


class KeptBytecode(jinja2.BytecodeCache):
    """A bytecode cache held in memory (a forked worker starts with the entries of its parent)."""

    def __init__(self, entries: dict[str, bytes]) -> None:
        self.entries = entries

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Give `bucket` the code kept for its template (Jinja drops it if the source changed)."""
        data = self.entries.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the code Jinja compiled for `bucket`'s template."""
        self.entries[bucket.key] = bucket.bytecode_to_string()


class Warming:
    """The copies at work for one build: one compiling the theme's templates, started before
    the generation (the templates do not depend on it) at the lowest priority (it runs on the
    core the generation leaves idle), and one reading the pages the generation wrote."""

    def __init__(self, config: MkDocsConfig, jobs: int, filters: dict[str, Callable[..., Any]], on: bool) -> None:
        self.jobs = jobs if on else 1  # one process: no copy
        self.compiling = start_copy(lambda: _compile(config, filters), self.jobs, idle=True)
        self.reading: Copy | None = None

    def read(self, docs_dir: str) -> None:
        """Start reading the pages under `docs_dir` (the generation has written them)."""
        docs = Path(docs_dir)
        self.reading = start_copy(lambda: _read_pages(docs), self.jobs)

    def take(self) -> Warmed:
        """What the copies did (nothing of one that failed), once both are done."""
        found = Warmed()
        if self.compiling is not None:
            done, value = self.compiling.result(wait=False)  # not done yet: the workers compile
            found.bytecode = value if done and isinstance(value, dict) else {}
        if self.reading is not None:
            done, value = self.reading.result()
            found.pages = value if done and isinstance(value, dict) else {}
        self.compiling = self.reading = None
        return found

    def stop(self) -> None:
        """End the copies still at work (the build failed)."""
        for copy in (self.compiling, self.reading):
            if copy is not None:
                copy.stop()
        self.compiling = self.reading = None


def _read_pages(docs: Path) -> dict[str, Read]:
    found: dict[str, Read] = {}
    for top, dirs, files in os.walk(docs):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.endswith(".md"):
                continue
            path = os.path.join(top, name)
            try:
                info = os.stat(path)
                with open(path, encoding="utf-8-sig", errors="strict") as f:  # as File.content_string
                    markdown, data = meta.get_data(f.read())
            except (OSError, ValueError):
                continue  # the build reads it, and reports what is wrong as MkDocs does
            found[os.path.abspath(path)] = (info.st_size, info.st_mtime_ns, markdown, data)
    return found


def _compile(config: MkDocsConfig, filters: dict[str, Callable[..., Any]]) -> dict[str, bytes]:
    env = config.theme.get_env()
    env.filters.update(filters)
    cache = env.bytecode_cache = KeptBytecode({})
    for name in env.list_templates(filter_func=lambda n: n.endswith(TEMPLATE_SUFFIXES) and not n.startswith(".")):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            continue  # one the build never renders (a filter of a plugin not in use, say)
    return cache.entries


def read_warmed(page: Page, warmed: Warmed) -> bool:
    """Give `page` what the copy read of its file (True), if the file is still as it was then."""
    path = page.file.abs_src_path
    kept = warmed.pages.get(os.path.abspath(path)) if path else None
    if kept is None:
        return False
    try:
        info = os.stat(path)  # type: ignore[arg-type]
    except OSError:
        return False
    if (info.st_size, info.st_mtime_ns) != kept[:2]:
        return False
    page.markdown, page.meta = kept[2], dict(kept[3])
    return True
