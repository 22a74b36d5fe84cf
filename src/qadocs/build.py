"""The facade: read → split → plan (links, images, pages) → write. No mkdocs here."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .check import check_sources
from .model import Diagnostic, Source
from .plan import Options, Plan, plan_pages
from .read import read_sources
from .registry import REGISTRY_NAME
from .split import split_source
from .write import WriteStats, write_file, write_plan


@dataclass(slots=True)
class Result:
    """What one generation produced and found."""

    sources: list[Source]
    plan: Plan
    stats: WriteStats | None
    seconds: float
    diagnostics: list[Diagnostic] = field(default_factory=list)


Progress = Callable[[int, int], None]


def load(opts: Options, progress: Progress | None = None) -> tuple[list[Source], list[Diagnostic]]:
    """Read and split every source under the content dir, reporting (done, total) as it goes."""
    raws, diags = read_sources(opts.content_dir, opts.repo_root)
    sources = []
    for done, raw in enumerate(raws, start=1):
        sources.append(split_source(raw.path, raw.text))
        if progress is not None:
            progress(done, len(raws))
    return sources, diags


def generate(opts: Options, out_dir: Path | None, progress: Progress | None = None) -> Result:
    """Plan the pages for `opts` and, unless `out_dir` is None, write them and update the registry."""
    start = time.perf_counter()
    sources, diags = load(opts, progress)
    diags += check_sources(sources)
    registry = opts.content_dir / REGISTRY_NAME
    opts = dataclasses.replace(
        opts, registry_text=registry.read_text(encoding="utf-8") if registry.is_file() else None,
        registry_path=REGISTRY_NAME)
    plan = plan_pages(sources, opts)
    stats = None
    if out_dir is not None:
        stats = write_plan(plan, out_dir)
        if plan.registry_text is not None:
            write_file(registry, plan.registry_text)
    unique = dict.fromkeys(diags + plan.diagnostics)  # each finding once
    all_diags = sorted(unique, key=lambda d: (d.path, d.line, d.col, d.code, d.message))
    return Result(sources, plan, stats, time.perf_counter() - start, all_diags)


def shown_from_root(diags: list[Diagnostic], opts: Options) -> list[Diagnostic]:
    """The diagnostics with paths relative to the repository root (`content/…`), as editors want."""
    prefix = Path(os.path.relpath(opts.content_dir, opts.repo_root)).as_posix()
    if prefix == ".":
        return list(diags)
    return [dataclasses.replace(d, path=f"{prefix}/{d.path}") for d in diags]
