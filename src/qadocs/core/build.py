"""The facade: read → split → plan (links, images, pages) → write. No mkdocs here."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qadocs.core.check import check_sources
from qadocs.core.errors import ContentError, QadocsError
from qadocs.core.model import Diagnostic, Memo, Source, new_generation
from qadocs.core.options import REGISTRY_NAME, Layout, Options
from qadocs.core.plan.site import Plan, plan_pages
from qadocs.core.registry.entries import parse_registry, read_registry
from qadocs.core.registry.history import check_history
from qadocs.core.registry.records import Registry
from qadocs.core.split.layout import layout_for, layout_value
from qadocs.core.split.questions import split_source, survey_source
from qadocs.core.split.read import is_inside, read_sources
from qadocs.core.split.roles import Neighbours, neighbours
from qadocs.core.write import WriteStats, write_atomic, write_plan


@dataclass(slots=True)
class Result:
    """What one generation produced and found."""

    sources: list[Source]
    plan: Plan
    stats: WriteStats | None
    seconds: float
    diagnostics: list[Diagnostic] = field(default_factory=list)
    registry_written: bool = False  # the registry file was rewritten (its bytes changed)


Progress = Callable[[int, int], None]


def _split(key: tuple[str, str, Layout, Neighbours]) -> Source:
    path, text, layout, near = key
    return split_source(path, text, layout=layout, near=near)


# A file that did not change, and whose neighbours say the same of it, is not split again.
_SPLIT: Memo[tuple[str, str, Layout, Neighbours], Source] = Memo(_split)


def load(opts: Options, progress: Progress | None = None) -> tuple[list[Source], list[Diagnostic]]:
    """Read and split every source under the content dir, reporting (done, total) as it goes.
    Every file is surveyed first: what the collection's files say of themselves decides how a
    file that cannot tell alone is read (`qadocs.core.split.roles.neighbours`)."""
    raws, diags = read_sources(opts.content_dir, opts.repo_root)
    near = neighbours({raw.path: survey_source(raw.text) for raw in raws})
    sources = []
    for done, raw in enumerate(raws, start=1):
        sources.append(_SPLIT((raw.path, raw.text, layout_for(raw.path, opts.layout), near[raw.path])))
        if progress is not None:
            progress(done, len(raws))
    return sources, diags


def layout_rules(mapping: object, where: str = "layout") -> tuple[tuple[str, Layout], ...]:
    """The `layout` option (`{glob: level or "page"}`) as rules, or a QadocsError saying what is wrong."""
    if mapping is None:
        return ()
    if not isinstance(mapping, dict):
        raise QadocsError(
            f"{where} must map file globs to a heading level or a form (page, file, article, bold, list, fold), "
            "e.g. {'深度学习/*.md': 3, 'README.md': page}"
        )
    rules: list[tuple[str, Layout]] = []
    for glob, value in mapping.items():
        layout = layout_value(value)
        if not isinstance(glob, str) or layout is None:
            raise QadocsError(
                f"{where}: {glob!r}: {value!r} is neither a heading level (1 to 6) nor one of "
                "page, file, article, bold, list, fold"
            )
        rules.append((glob, layout))
    return tuple(rules)


def check_layout(opts: Options, out_dir: Path | None) -> None:
    """The one path rule for the CLI and the plugin: content (and images, and the output) inside
    the repository, and the output neither the content folder, inside it, nor around it."""
    root = opts.repo_root
    if not is_inside(opts.content_dir, root):
        raise QadocsError(f"content folder {opts.content_dir} is outside the repository {root}")
    if opts.imgs_dir.exists() and not is_inside(opts.imgs_dir, root):
        raise QadocsError(f"images folder {opts.imgs_dir} is outside the repository {root}")
    if out_dir is None:
        return
    if not is_inside(out_dir, root):
        raise QadocsError(f"output folder {out_dir} is outside the repository {root}; e.g. use build/docs")
    if is_inside(out_dir, opts.content_dir) or is_inside(opts.content_dir, out_dir):
        raise QadocsError(
            f"output folder {out_dir} and content folder {opts.content_dir} must be apart "
            "(neither inside the other); e.g. content/ and build/docs/"
        )


def load_registry(opts: Options) -> tuple[Registry | None, list[Diagnostic]]:
    """The registry of `opts.content_dir` (None when there is none or it is unusable) and its findings."""
    text, unusable = read_registry(opts.content_dir / REGISTRY_NAME, opts.registry_path)
    if unusable is not None:
        return None, [unusable]
    if text is None:
        return None, []
    registry, diags = _REGISTRIES((text, opts.registry_path))
    return registry, list(diags)


def _parse_registry(key: tuple[str, str]) -> tuple[Registry | None, tuple[Diagnostic, ...]]:
    registry, diags = parse_registry(*key)
    if registry is not None:  # its entries' anchor history bounded (a registry is untrusted input)
        diags += check_history(registry.questions + registry.deleted, key[1])
    return registry, tuple(diags)


# The registry as read from its text (`registry.assign` works on a copy): `serve` reads it again
# only when the file changed.
_REGISTRIES: Memo[tuple[str, str], tuple[Registry | None, tuple[Diagnostic, ...]]] = Memo(_parse_registry)


Read = tuple[Registry | None, list[Diagnostic], list[Source], list[Diagnostic]]


def read_all(opts: Options, progress: Progress | None = None) -> Read:
    """The registry and its findings, the sources split and their findings."""
    registry, reg_diags = load_registry(opts)
    sources, diags = load(opts, progress)
    return registry, reg_diags, sources, diags + check_sources(sources)


def generate(
    opts: Options, out_dir: Path | None, progress: Progress | None = None, write_registry: bool = True
) -> Result:
    """Plan the pages for `opts` and, unless `out_dir` is None, write them and (with
    `write_registry`) update the registry. An unusable registry stops a build that would write it
    (ContentError, before anything is written); a check (`out_dir=None`) or a preview
    (`write_registry=False`, `mkdocs serve`) reports it and goes on without it."""
    start = time.perf_counter()
    check_layout(opts, out_dir)
    new_generation()
    registry, reg_diags, sources, diags = read_all(opts, progress)
    fatal = next((d for d in reg_diags if d.code == "registry-invalid"), None)
    if fatal is not None and out_dir is not None and write_registry:
        raise ContentError(fatal)
    diags += reg_diags
    plan = plan_pages(sources, opts, registry)
    stats, written = None, False
    if out_dir is not None:
        stats = write_plan(plan, out_dir)
        registry_errors = any(
            d.code.startswith("registry-") and d.severity == "error" for d in reg_diags + plan.diagnostics
        )
        if write_registry and not registry_errors:  # a registry with errors is left for a person to fix
            written = write_atomic(opts.content_dir / REGISTRY_NAME, plan.registry_text)
    unique = dict.fromkeys(diags + plan.diagnostics)  # each finding once
    all_diags = sorted(unique, key=lambda d: (d.path, d.line, d.col, d.code, d.message))
    return Result(sources, plan, stats, time.perf_counter() - start, all_diags, written)


def shown_from_root(diags: list[Diagnostic], opts: Options) -> list[Diagnostic]:
    """The diagnostics with paths relative to the repository root (`content/…`), as editors want."""
    prefix = Path(os.path.relpath(opts.content_dir, opts.repo_root)).as_posix()
    if prefix == ".":
        return list(diags)
    return [dataclasses.replace(d, path=f"{prefix}/{d.path}") for d in diags]
