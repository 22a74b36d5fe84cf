"""The facade: read → split → plan (links, images, pages) → write. No mkdocs here."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .model import Diagnostic, Source
from .plan import Options, Plan, plan_pages
from .read import read_sources
from .split import split_source
from .write import WriteStats, write_plan


@dataclass(slots=True)
class Result:
    """What one generation produced and found."""

    sources: list[Source]
    plan: Plan
    stats: WriteStats | None
    seconds: float
    diagnostics: list[Diagnostic] = field(default_factory=list)


def load(opts: Options) -> tuple[list[Source], list[Diagnostic]]:
    """Read and split every source under the content dir."""
    raws, diags = read_sources(opts.content_dir, opts.repo_root)
    return [split_source(raw.path, raw.text) for raw in raws], diags


def generate(opts: Options, out_dir: Path | None) -> Result:
    """Plan the pages for `opts` and, unless `out_dir` is None, write them there."""
    start = time.perf_counter()
    sources, diags = load(opts)
    plan = plan_pages(sources, opts)
    stats = write_plan(plan, out_dir) if out_dir is not None else None
    all_diags = sorted(diags + plan.diagnostics, key=lambda d: (d.path, d.line, d.code))
    return Result(sources, plan, stats, time.perf_counter() - start, all_diags)
