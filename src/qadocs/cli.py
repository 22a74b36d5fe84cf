"""Command line: `qadocs split` writes the generated docs dir without MkDocs."""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml

from qadocs.core.build import generate, layout_rules, load, registry_errors, shown_from_root, stamp_sources
from qadocs.core.errors import ContentError, QadocsError
from qadocs.core.model import Diagnostic, Source
from qadocs.core.options import DEFAULT_CONTENT, DEFAULT_IMGS, MISSING_IMAGES, REGISTRY_NAME, Layout, Options
from qadocs.core.split.roles import HEADING_KINDS

DEFAULT_OUT = "build/docs"
T = TypeVar("T")
PROGRESS_MIN = 50  # sources from which `split` and `check` show progress


def _shared_options() -> argparse.ArgumentParser:
    """The options `split` and `check` share: where the sources are and how they are read."""
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument(
        "--content",
        help=f"sources folder (default: mkdocs.yml's `content_dir`, else {DEFAULT_CONTENT})",
    )
    shared.add_argument("--imgs", help=f"shared images folder (default: mkdocs.yml's `imgs_dir`, else {DEFAULT_IMGS})")
    shared.add_argument(
        "--root", default=".", help="repository root; no file outside it is ever read or copied (default: .)"
    )
    shared.add_argument(
        "--missing-images",
        choices=MISSING_IMAGES,
        help="report missing images as warnings (pages show a placeholder) or as errors "
        f"(default: mkdocs.yml's `missing_images`, else {MISSING_IMAGES[0]})",
    )
    shared.add_argument(
        "--config",
        default="mkdocs.yml",
        help="mkdocs.yml whose `plugins: - qadocs:` options apply, as `mkdocs build` reads them, if it exists "
        "(default: mkdocs.yml in --root); the command line wins over it",
    )
    return shared


def _parser() -> argparse.ArgumentParser:
    """The command line: `split` and `check`, with the options they share declared once."""
    parser = argparse.ArgumentParser(
        prog="qadocs",
        description="Turn interview Q&A markdown (one file per topic) into one page per question "
        "for MkDocs + Material.",
        epilog="Usually you run `mkdocs serve` or `mkdocs build`, which call qadocs through its "
        "plugin; `qadocs split` writes the same pages for any other tool.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    shared = [_shared_options()]
    split = sub.add_parser(
        "split",
        parents=shared,
        help="write one page per question into the generated docs dir",
        description="Read every *.md under --content and write the question, chapter "
        "and source pages, questions.json and copied images to --out.",
    )
    split.add_argument("--out", default=DEFAULT_OUT, help=f"generated docs dir (default: {DEFAULT_OUT})")
    split.add_argument("--base-url", default="/", help="URL path the site is served under (default: /)")
    split.add_argument("-q", "--quiet", action="store_true", help="print only errors and the summary")
    check = sub.add_parser(
        "check",
        parents=shared,
        help="report problems in the sources without writing anything",
        description="Read every *.md under --content and report each problem once as "
        "`path:line:col: severity code message`. Exit 0 when clean, 1 on errors "
        "(or warnings with --strict), 2 on usage errors.",
    )
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--explain",
        action="append",
        metavar="FILE",
        help="print how FILE (a source under --content; may be given again) is read: the file as a whole "
        "and every heading, list-item heading, bold or folded question (title, chapter, question, follow-up, "
        "part of an answer, article) with the reason, then the file's findings",
    )
    check.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="text (default), json (a list of objects), or github (workflow annotations)",
    )
    _registry_parser(sub, shared)
    _stamp_parser(sub, shared)
    return parser


def _registry_parser(sub: Any, shared: list[argparse.ArgumentParser]) -> None:
    """`qadocs registry update [--check]`."""
    registry = sub.add_parser(
        "registry",
        help="keep the id registry (content/qadocs-registry.yml) up to date",
        description="The registry records every question's permanent URL. Commit it with the content.",
    )
    actions = registry.add_subparsers(dest="action", metavar="ACTION", required=True)
    update = actions.add_parser(
        "update",
        parents=shared,
        help="update the registry alone, as a build would, and write nothing else",
        description="Match every question to its registry entry as `mkdocs build` does and write "
        "content/qadocs-registry.yml (only if it changes), without writing any page. Run it and commit "
        "the registry whenever `qadocs check` or a build reports registry-stale. Exit 0 when written "
        "or already up to date, 1 when the registry has errors (it is then left untouched).",
    )
    update.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the registry is behind the content (for CI on pull requests)",
    )


def _stamp_parser(sub: Any, shared: list[argparse.ArgumentParser]) -> None:
    """`qadocs stamp`: its help and options (the shared ones, and `--dry-run`)."""
    stamp = sub.add_parser(
        "stamp",
        parents=shared,
        help="write each question's permanent id into its heading line, so that it keeps its URL",
        description='Give every question heading without one an invisible anchor <a id="q-ID"></a> '
        "holding its id in the registry, and update the registry as `split` does: the question then keeps "
        "its URL when it is retitled, rewritten, moved or converted, or the registry is lost. "
        "Stamps already there are left as they are; nothing else in a file changes.",
    )
    stamp.add_argument("--dry-run", action="store_true", help="print what would be stamped; write nothing")


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml safely: tags such as `!!python/name:…` become None, never objects."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _read_config(path: Path) -> object:
    """mkdocs.yml at `path` as data (None if it does not exist; QadocsError if unreadable)."""
    if not path.is_file():
        return None
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise QadocsError(f"{path}: not readable YAML ({exc})") from exc


def config_plugin(path: Path) -> dict[str, object]:
    """The options of the qadocs plugin in mkdocs.yml at `path` ({} if it has none or does not
    exist). `plugins:` is a list of names or one-key mappings, or a mapping of names, as MkDocs
    takes it."""
    config = _read_config(path)
    plugins = config.get("plugins") if isinstance(config, dict) else None
    entries = [plugins] if isinstance(plugins, dict) else plugins if isinstance(plugins, list) else []
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("qadocs"), dict):
            return dict(entry["qadocs"])
    return {}


def config_layout(path: Path) -> tuple[tuple[str, Layout], ...]:
    """The `layout` rules of the qadocs plugin in mkdocs.yml at `path` (none if it does not exist)."""
    return layout_rules(config_plugin(path).get("layout"), f"{path.name}: plugins: qadocs: layout")


def _plugin_text(plugin: dict[str, object], name: str, default: str, where: Path) -> str:
    """A text option of the plugin (`default` when it is not set); QadocsError when it is no text,
    as `mkdocs build` would stop on it."""
    value = plugin.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise QadocsError(f"{where.name}: plugins: qadocs: {name} must be text, not {type(value).__name__}")
    return value


def _plugin_flag(plugin: dict[str, object], name: str, default: bool, where: Path) -> bool:
    """A yes/no option of the plugin (`default` when it is not set); QadocsError when it is neither."""
    value = plugin.get(name, default)
    if not isinstance(value, bool):
        raise QadocsError(f"{where.name}: plugins: qadocs: {name} must be true or false, not {type(value).__name__}")
    return value


def config_description(path: Path) -> str:
    """`site_description` of mkdocs.yml at `path` ("" when it has none)."""
    config = _read_config(path)
    value = config.get("site_description") if isinstance(config, dict) else None
    return value if isinstance(value, str) else ""


def _progress(done: int, total: int) -> None:
    """Progress on stderr for large collections: a line every tenth, or one updating line on a terminal."""
    if total < PROGRESS_MIN:
        return
    if sys.stderr.isatty():
        print(f"\rqadocs: read {done}/{total} files", end="" if done < total else "\n", file=sys.stderr)
    elif done == total or done % max(1, total // 10) == 0:
        print(f"qadocs: read {done}/{total} files", file=sys.stderr)


def _github(diag: Diagnostic) -> str:
    """`diag` as a GitHub Actions workflow command (an annotation on the file and line)."""
    level = {"error": "error", "warning": "warning", "info": "notice"}[diag.severity]
    message = diag.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} file={diag.path},line={diag.line},col={diag.col},title={diag.code}::{message}"


FORMS = {"md": "heading", "html": "<hN>", "item": "list item", "bold": "bold", "fold": "folded"}


def explain_source(src: Source, text: str) -> list[str]:
    """How one source is read, a line per head: its line, role, form and text, and why."""
    out = [f"{src.path}: {src.kind} — {src.why}" if src.why else f"{src.path}: {src.kind}"]
    for row in src.reading:
        form = FORMS.get(row.form, row.form) + (f" h{row.level}" if row.form in HEADING_KINDS else "")
        follows = f" (follows line {row.follows})" if row.follows else ""
        out.append(f"{row.line:>6}  {row.role:<9} {form:<12} {_short(row.text)}{follows}")
        out.append(f"{'':>6}  {'':<9} {'':<12} ↳ {row.why}")
    if not src.reading:
        out.append(f"{'':>6}  no headings: {_short(text.strip().split(chr(10))[0]) if text.strip() else 'empty'}")
    return out


def _short(text: str, width: int = 60) -> str:
    """A title from a source as the terminal shows it: one line, control characters written out
    (`\\x1b`, so that a title cannot drive the terminal), cut at `width`."""
    text = CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", " ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _explain(args: argparse.Namespace, opts: Options) -> int:
    """`qadocs check --explain FILE`: how each named source is read (the whole collection is read,
    since its neighbours may decide), then that file's findings."""
    sources, _ = load(opts, _progress)
    by_path = {src.path: src for src in sources}
    wanted = []
    for name in args.explain:
        rel = _source_path(name, opts)
        if rel not in by_path:
            print(f"qadocs: {name} is no source under {opts.content_dir} (a *.md file there)", file=sys.stderr)
            return 2
        wanted.append(by_path[rel])
    findings = set(generate(opts, None).diagnostics)
    for src in wanted:
        text = (opts.content_dir / src.path).read_text(encoding="utf-8", errors="replace")
        print("\n".join(explain_source(src, text)))
        for diag in shown_from_root(sorted((d for d in findings if d.path == src.path), key=_order), opts):
            print(diag.render())
    return 0


def _order(d: Diagnostic) -> tuple[int, int, str]:
    return d.line, d.col, d.code


def _source_path(name: str, opts: Options) -> str:
    """A file named on the command line as its path under the content folder (posix)."""
    path = Path(name)
    for base in (Path.cwd(), opts.repo_root, opts.content_dir):
        candidate = (base / path).resolve() if not path.is_absolute() else path.resolve()
        try:
            return candidate.relative_to(opts.content_dir).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _check(args: argparse.Namespace, opts: Options) -> int:
    """`qadocs check`: report every finding in the chosen format; nothing is written."""
    if args.explain:
        try:
            return _explain(args, opts)
        except QadocsError as exc:
            print(f"qadocs: {exc}", file=sys.stderr)
            return 2
    try:
        result = generate(opts, None, _progress)
    except QadocsError as exc:
        print(f"qadocs: {exc}", file=sys.stderr)
        return 2
    shown = shown_from_root(result.diagnostics, opts)
    counts = {sev: sum(d.severity == sev for d in shown) for sev in ("error", "warning", "info")}
    if args.format == "json":
        print(json.dumps([dataclasses.asdict(d) for d in shown], ensure_ascii=False, indent=1))
    else:
        for diag in shown:
            print(_github(diag) if args.format == "github" else diag.render())
    summary = (
        f"qadocs check: {len(result.sources)} files, {len(result.plan.questions)} questions: "
        f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info"
    )
    print(summary, file=sys.stderr if args.format == "json" else sys.stdout)
    failed = counts["error"] > 0 or (args.strict and counts["warning"] > 0)
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 errors in content, 2 usage)."""
    try:
        return _run(argv)
    except BrokenPipeError:  # `qadocs split | head`: the reader left; that is not an error
        sys.stderr.close()
        return 0


def _run(argv: Sequence[str] | None) -> int:
    """Parse `argv`, check the folders and run the command."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        opts = _options(args)
    except QadocsError as exc:
        print(f"qadocs: {exc}", file=sys.stderr)
        return 2
    if not opts.content_dir.is_dir():
        print(f"qadocs: content folder {opts.content_dir} does not exist (use --content DIR)", file=sys.stderr)
        return 2
    if args.command == "registry":
        return _registry_update(opts, args.check)
    if args.command == "stamp":
        return _stamp(args, opts)
    return _check(args, opts) if args.command == "check" else _split(args, opts)


def _options(args: argparse.Namespace) -> Options:
    """The generation's options: the command line's, else those mkdocs.yml gives the plugin (its
    folders relative to mkdocs.yml, as `mkdocs build` reads them), else the defaults; QadocsError
    when mkdocs.yml is unreadable or an option in it is unusable."""
    root = Path(args.root).resolve()
    config = root / args.config
    plugin, base = config_plugin(config), config.parent
    content = (
        root / args.content
        if args.content is not None
        else base / _plugin_text(plugin, "content_dir", DEFAULT_CONTENT, config)
    )
    imgs = root / args.imgs if args.imgs is not None else base / _plugin_text(plugin, "imgs_dir", DEFAULT_IMGS, config)
    missing = args.missing_images or _plugin_text(plugin, "missing_images", MISSING_IMAGES[0], config)
    if missing not in MISSING_IMAGES:
        raise QadocsError(f"{config.name}: plugins: qadocs: missing_images must be one of {', '.join(MISSING_IMAGES)}")
    return Options(
        repo_root=root,
        content_dir=content.resolve(),
        imgs_dir=imgs.resolve(),
        base_url=getattr(args, "base_url", "/"),
        missing_images=missing,
        layout=config_layout(config),
        site_description=config_description(config),
        search=_plugin_flag(plugin, "search", True, config),
    )


def _or_exit_code(opts: Options, work: Callable[[], T]) -> T | int:
    """What `work` returns, or the exit code of what stopped it, said on stderr: 1 for content
    that cannot be built (an unusable registry, at its path:line), 2 for a usage problem."""
    try:
        return work()
    except ContentError as exc:
        print(shown_from_root([exc.diagnostic], opts)[0].render(), file=sys.stderr)
        return 1
    except QadocsError as exc:
        print(f"qadocs: {exc}", file=sys.stderr)
        return 2


def _split(args: argparse.Namespace, opts: Options) -> int:
    """`qadocs split`: write the docs dir, report the findings and the registry's changes."""
    out = (opts.repo_root / args.out).resolve()
    result = _or_exit_code(opts, lambda: generate(opts, out, _progress))
    if isinstance(result, int):
        return result
    errors = 0
    for diag in shown_from_root(result.diagnostics, opts):
        errors += diag.severity == "error"
        if not args.quiet or diag.severity == "error":
            print(diag.render(), file=sys.stderr)
    changes = result.plan.changes
    if changes:
        print(f"registry ({len(changes)} changes; commit content/qadocs-registry.yml):")
        for change in changes:
            print("  " + change.render())
    stats = result.stats
    assert stats is not None
    print(
        f"qadocs: {len(result.sources)} sources, {len(result.plan.questions)} questions → {out} "
        f"({stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed) "
        f"in {result.seconds:.2f}s; {errors} errors, {len(result.diagnostics) - errors} other findings"
    )
    return 1 if errors else 0


def _registry_update(opts: Options, check_only: bool) -> int:
    """`qadocs registry update`: write the registry as a build would leave it, nothing else; with
    `--check`, write nothing and fail when it is behind the content."""
    result = _or_exit_code(opts, lambda: generate(opts, None, _progress, registry_only=not check_only))
    if isinstance(result, int):
        return result
    shown = (opts.content_dir / REGISTRY_NAME).relative_to(opts.repo_root).as_posix()
    registry = [d for d in shown_from_root(result.diagnostics, opts) if d.code.startswith("registry-")]
    errors = [d for d in registry if d.severity == "error"]
    for diag in errors:
        print(diag.render(), file=sys.stderr)
    if errors:
        print(f"qadocs: {shown} has errors; it was left untouched", file=sys.stderr)
        return 1
    for change in result.plan.changes:
        print("  " + change.render())
    count = f"{len(result.plan.questions)} questions"
    stale = [d for d in registry if d.code == "registry-stale"]
    if check_only and stale:
        print(stale[0].render(), file=sys.stderr)
        return 1
    if result.registry_written:
        print(f"qadocs: wrote {shown} ({count}, {len(result.plan.changes)} changes); commit it with the content")
    else:
        print(f"qadocs: {shown} is up to date ({count})")
    return 0


def _stamp(args: argparse.Namespace, opts: Options) -> int:
    """`qadocs stamp`: stamp every unstamped question with its id; report what changed."""
    done = _or_exit_code(opts, lambda: stamp_sources(opts, dry_run=args.dry_run))
    if isinstance(done, int):
        return done
    shown = [d for d in done.diagnostics if d.severity == "error" or d.code.startswith(("stamp-", "registry-"))]
    for diag in shown_from_root(shown, opts):
        print(diag.render(), file=sys.stderr)
    if args.dry_run:
        for path, line, qid, title in done.stamped:
            print(f"{path}:{line}: q-{qid}  {_short(title)}")
    broken = registry_errors(shown)
    if broken and not args.dry_run:
        print("qadocs stamp: the registry has errors; fix them first: nothing was stamped", file=sys.stderr)
        return 1
    verb = "would stamp" if args.dry_run else "stamped"
    print(f"qadocs stamp: {verb} {len(done.stamped)} questions in {len(done.files)} files")
    return 1 if broken else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
