"""The facade: read → split → plan (links, images, pages) → write. No mkdocs here."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path

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


def load(opts: Options) -> tuple[list[Source], list[Diagnostic]]:
    """Read and split every source under the content dir."""
    raws, diags = read_sources(opts.content_dir, opts.repo_root)
    return [split_source(raw.path, raw.text) for raw in raws], diags


def generate(opts: Options, out_dir: Path | None) -> Result:
    """Plan the pages for `opts` and, unless `out_dir` is None, write them and update the registry."""
    start = time.perf_counter()
    sources, diags = load(opts)
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
    all_diags = sorted(diags + plan.diagnostics, key=lambda d: (d.path, d.line, d.code))
    return Result(sources, plan, stats, time.perf_counter() - start, all_diags)
