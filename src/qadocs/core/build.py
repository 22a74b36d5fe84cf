"""The facade: read → split → plan (links, images, pages) → write. No mkdocs here."""

from __future__ import annotations

import dataclasses
import os
import re
import stat
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qadocs.core.check import check_sources
from qadocs.core.errors import ContentError, QadocsError
from qadocs.core.model import Diagnostic, Memo, Source, new_generation
from qadocs.core.options import REGISTRY_NAME, Layout, Options
from qadocs.core.plan.site import Plan, plan_pages, plan_site
from qadocs.core.registry.entries import FATAL_CODES, parse_registry, read_registry
from qadocs.core.registry.history import check_history
from qadocs.core.registry.records import Registry
from qadocs.core.split.layout import layout_for, layout_value
from qadocs.core.split.outline import SUMMARY_LINES
from qadocs.core.split.questions import split_source, survey_source
from qadocs.core.split.read import is_inside, read_sources
from qadocs.core.split.roles import Neighbours, neighbours
from qadocs.core.split.stamps import head_line, stamped_line
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


@dataclass(slots=True, frozen=True)
class Committed:
    """The registry file as found: its text (None when there is none), what it says (None when
    there is none or it is unusable) and its findings."""

    text: str | None
    registry: Registry | None
    diagnostics: tuple[Diagnostic, ...]


def read_committed(opts: Options) -> Committed:
    """The registry file of `opts.content_dir`, read and checked."""
    text, unusable = read_registry(opts.content_dir / REGISTRY_NAME, opts.registry_path)
    if unusable is not None:
        return Committed(None, None, (unusable,))
    if text is None:
        return Committed(None, None, ())
    registry, diags = _REGISTRIES((text, opts.registry_path))
    return Committed(text, registry, diags)


def _parse_registry(key: tuple[str, str]) -> tuple[Registry | None, tuple[Diagnostic, ...]]:
    registry, diags = parse_registry(*key)
    if registry is not None:  # its entries' anchor history bounded (a registry is untrusted input)
        diags += check_history(registry.questions + registry.deleted, key[1])
    return registry, tuple(diags)


# The registry as read from its text (`registry.assign` works on a copy): `serve` reads it again
# only when the file changed.
_REGISTRIES: Memo[tuple[str, str], tuple[Registry | None, tuple[Diagnostic, ...]]] = Memo(_parse_registry)


Read = tuple[Committed, list[Source], list[Diagnostic]]


def read_all(opts: Options, progress: Progress | None = None) -> Read:
    """The registry as committed, the sources split and their findings."""
    committed = read_committed(opts)
    sources, diags = load(opts, progress)
    return committed, sources, diags + check_sources(sources)


def _start(opts: Options, out_dir: Path | None, progress: Progress | None, writes_registry: bool) -> Read:
    """The folders checked, a new generation, everything read (`read_all`); a registry that
    cannot be used (`FATAL_CODES`) stops a run that would write it, before anything is written."""
    check_layout(opts, out_dir)
    new_generation()
    committed, sources, diags = read_all(opts, progress)
    fatal = next((d for d in committed.diagnostics if d.code in FATAL_CODES), None)
    if fatal is not None and writes_registry:
        raise ContentError(fatal)
    return committed, sources, diags


def registry_errors(diags: list[Diagnostic]) -> bool:
    """Whether the registry has errors: it is then left for a person to fix, never rewritten."""
    return any(d.code.startswith("registry-") and d.severity == "error" for d in diags)


# Findings about the build rather than about a line of content: warnings that fail a strict
# `mkdocs build` too (content warnings are INFO lines there: real collections have many).
FAILS_STRICT_BUILD = frozenset({"registry-stale"})
STALE_ORDER = ("new", "retitled", "moved", "renamed", "revived", "deleted")


def stale_finding(opts: Options, committed: Committed, plan: Plan, wrote: bool) -> Diagnostic | None:
    """`registry-stale` when the registry this build leaves differs from the one committed: a
    build that nobody commits hands out URLs that the next build may hand out differently. None
    when they agree, or when the committed one is unusable (that is an error of its own)."""
    if committed.text == plan.registry_text or any(d.code == "registry-invalid" for d in committed.diagnostics):
        return None
    counts = Counter(change.kind for change in plan.changes)
    kinds = sorted(
        counts, key=lambda kind: (STALE_ORDER.index(kind) if kind in STALE_ORDER else len(STALE_ORDER), kind)
    )
    what = (
        ", ".join(f"{counts[kind]} {kind}" for kind in kinds)
        or "no URL changes, only what it records of answers and places"
    )
    if committed.text is None:
        head = f"there is no registry yet: {len(plan.questions)} question URLs are recorded nowhere"
    else:
        head = f"the registry is behind the content ({what})"
    done = "this build wrote it; commit it" if wrote else "run `qadocs registry update` and commit it"
    return Diagnostic(
        opts.registry_path,
        1,
        "warning",
        "registry-stale",
        f"{head}; {done} with the content, or the next build may give questions other URLs "
        "(in CI: see docs/publishing.md)",
    )


def generate(
    opts: Options,
    out_dir: Path | None,
    progress: Progress | None = None,
    write_registry: bool = True,
    registry_only: bool = False,
) -> Result:
    """Plan the pages for `opts` and, unless `out_dir` is None, write them and (with
    `write_registry`) update the registry; with `registry_only` (and no `out_dir`: `qadocs
    registry update`) write the registry alone. An unusable registry, or one where two entries
    hold one URL, stops a run that would write it (ContentError, before anything is written); a
    check (`out_dir=None`) or a preview
    (`write_registry=False`, `mkdocs serve`) reports it and goes on without it."""
    start = time.perf_counter()
    writes_registry = write_registry and (out_dir is not None or registry_only)
    committed, sources, diags = _start(opts, out_dir, progress, writes_registry)
    diags += committed.diagnostics
    plan = plan_pages(sources, opts, committed.registry)
    stats = write_plan(plan, out_dir) if out_dir is not None else None
    written = False
    broken = registry_errors([*committed.diagnostics, *plan.diagnostics])
    if writes_registry and not broken:
        written = write_atomic(opts.content_dir / REGISTRY_NAME, plan.registry_text)
    stale = None if broken else stale_finding(opts, committed, plan, written)
    if stale is not None:  # registry errors come first: a person fixes them, then updates
        diags.append(stale)
    unique = dict.fromkeys(diags + plan.diagnostics)  # each finding once
    all_diags = sorted(unique, key=lambda d: (d.path, d.line, d.col, d.code, d.message))
    return Result(sources, plan, stats, time.perf_counter() - start, all_diags, written)


def shown_from_root(diags: list[Diagnostic], opts: Options) -> list[Diagnostic]:
    """The diagnostics with paths relative to the repository root (`content/…`), as editors want."""
    prefix = Path(os.path.relpath(opts.content_dir, opts.repo_root)).as_posix()
    if prefix == ".":
        return list(diags)
    return [dataclasses.replace(d, path=f"{prefix}/{d.path}") for d in diags]


# -- stamping: each question's id written into its heading line ------------------------------------

LINE_END_RE = re.compile(r"(\r\n|\r|\n)")  # the line ends the reader knows, kept as they are


@dataclass(slots=True)
class Stamping:
    """What `stamp_sources` did (or, in a dry run, would do)."""

    stamped: list[tuple[str, int, str, str]]  # (source, line, id, title) of each question stamped
    files: list[str]  # the sources changed
    diagnostics: list[Diagnostic]  # the generation's, and every source that could not be stamped
    registry_written: bool = False


def _edits(sources: list[Source], page_id: Callable[[str, int], str]) -> dict[str, list[tuple[int, str, str, str]]]:
    """source -> (0-based line, form, id, title) of each question with no stamp yet."""
    edits: dict[str, list[tuple[int, str, str, str]]] = {}
    for src in sources:
        for q in src.questions:
            if q.stamp is None:
                edits.setdefault(src.path, []).append((q.line - 1, q.form, page_id(src.path, q.line), q.title))
    return edits


def _stampable(opts: Options, rel: str) -> tuple[Path, str, str] | Diagnostic:
    """(path, BOM, text) of a source that may be stamped: a regular file, no link on its way
    from the content folder, UTF-8; else the reason it is left alone."""
    path = opts.content_dir / rel
    real = Path(os.path.realpath(opts.content_dir)) / rel
    if path.is_symlink() or Path(os.path.realpath(path)) != real or not stat.S_ISREG(os.lstat(path).st_mode):
        return Diagnostic(rel, 1, "warning", "stamp-skipped", "not a regular file inside the content folder")
    data = path.read_bytes()
    if b"\x00" in data:  # the reader drops NUL bytes: a stamp placed among them could undo a heading
        return Diagnostic(rel, 1, "warning", "stamp-skipped", "contains NUL bytes: remove them to stamp it")
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    try:
        return path, bom, data[len(bom.encode()) :].decode("utf-8")
    except UnicodeDecodeError:
        return Diagnostic(rel, 1, "warning", "stamp-skipped", "not UTF-8: save it as UTF-8 to stamp it")


def _stamp_text(text: str, edits: list[tuple[int, str, str, str]]) -> str:
    """`text` with each edit's stamp on its line; every other character, line ends included, kept."""
    parts = LINE_END_RE.split(text)
    lines = parts[0::2]
    for at, form, qid, _ in edits:
        k = head_line(lines, at, form, SUMMARY_LINES)
        lines[k] = stamped_line(lines[k], form, qid)
    parts[0::2] = lines
    return "".join(parts)


def stamp_sources(opts: Options, dry_run: bool = False) -> Stamping:
    """Write each question's registry id into its heading line (`<a id="q-ID"></a>`) where it has
    none, and the registry as `split` leaves it; a stamp already there is never changed. With
    `dry_run`, nothing is written; while the registry has errors, nothing either (the ids would
    be those of a registry a person must fix first)."""
    committed, sources, diags = _start(opts, None, None, not dry_run)
    assigned = plan_site(sources, opts, committed.registry).assigned
    diags += [*committed.diagnostics, *assigned.diagnostics]
    out = Stamping([], [], diags)
    if registry_errors(diags) and not dry_run:  # ids from a registry a person must fix first would last in the content
        return out
    for rel, edits in _edits(sources, lambda path, line: assigned.page_of[(path, line)].id).items():
        found = _stampable(opts, rel)
        if isinstance(found, Diagnostic):
            out.diagnostics.append(found)
            continue
        path, bom, text = found
        out.files.append(rel)
        out.stamped += [(rel, at + 1, qid, title) for at, _, qid, title in edits]
        if not dry_run:
            mode = stat.S_IMODE(os.lstat(path).st_mode)
            write_atomic(path, bom + _stamp_text(text, edits))
            os.chmod(path, mode)  # the file keeps its permissions (the temporary file had its own)
    if not dry_run:
        out.registry_written = write_atomic(opts.content_dir / REGISTRY_NAME, assigned.registry_text)
    return out
