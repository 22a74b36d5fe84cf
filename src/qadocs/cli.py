"""Command line: `qadocs split` writes the generated docs dir without MkDocs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .build import generate
from .errors import QadocsError
from .plan import Options

DEFAULT_CONTENT = "content"
DEFAULT_OUT = "build/docs"
DEFAULT_IMGS = "imgs"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qadocs",
        description="Turn interview Q&A markdown (one file per topic) into one page per question "
                    "for MkDocs + Material.",
        epilog="Usually you run `mkdocs serve` or `mkdocs build`, which call qadocs through its "
               "plugin; `qadocs split` writes the same pages for any other tool.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    split = sub.add_parser("split", help="write one page per question into the generated docs dir",
                           description="Read every *.md under --content and write the question, chapter "
                                       "and source pages, questions.json and copied images to --out.")
    split.add_argument("--content", default=DEFAULT_CONTENT, help=f"sources folder (default: {DEFAULT_CONTENT})")
    split.add_argument("--out", default=DEFAULT_OUT, help=f"generated docs dir (default: {DEFAULT_OUT})")
    split.add_argument("--imgs", default=DEFAULT_IMGS, help=f"shared images folder (default: {DEFAULT_IMGS})")
    split.add_argument("--root", default=".",
                       help="repository root; no file outside it is ever read or copied (default: .)")
    split.add_argument("--base-url", default="/", help="URL path the site is served under (default: /)")
    split.add_argument("--missing-images", choices=["placeholder", "error"], default="placeholder",
                       help="report missing images as warnings and show a placeholder, or as errors")
    split.add_argument("-q", "--quiet", action="store_true", help="print only errors and the summary")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 errors in content, 2 usage)."""
    try:
        return _run(argv)
    except BrokenPipeError:  # `qadocs split | head`: the reader left; that is not an error
        sys.stderr.close()
        return 0


def _run(argv: Sequence[str] | None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    root = Path(args.root).resolve()
    opts = Options(repo_root=root, content_dir=(root / args.content).resolve(),
                   imgs_dir=(root / args.imgs).resolve(), base_url=args.base_url,
                   missing_images=args.missing_images)
    out = (root / args.out).resolve()
    if not opts.content_dir.is_dir():
        print(f"qadocs: content folder {opts.content_dir} does not exist (use --content DIR)", file=sys.stderr)
        return 2
    try:
        result = generate(opts, out)
    except QadocsError as exc:
        print(f"qadocs: {exc}", file=sys.stderr)
        return 2
    errors = 0
    for diag in result.diagnostics:
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
    print(f"qadocs: {len(result.sources)} sources, {len(result.plan.questions)} questions → {out} "
          f"({stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed) "
          f"in {result.seconds:.2f}s; {errors} errors, {len(result.diagnostics) - errors} other findings")
    return 1 if errors else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
