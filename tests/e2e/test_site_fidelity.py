"""Acceptance of issue 8: question pages show the block structure GitHub shows for their markdown.

Every question page of the demo build (the shared strict build, conftest `built_site`) and of the
generated messy collection (conftest `messy_build`) is compared with cmark-gfm's rendering of the
question's markdown by tests/fidelity.py: list items per nesting depth, code blocks, tables and
cells, blockquotes, alerts, sub-headings, images, task lists, strikethrough, bare URLs, literal `$$`.
"""

from __future__ import annotations

from pathlib import Path

from conftest import BuiltSite, MessyBuild
from fidelity import (
    PageResult,
    compare_site,
)

REQUIRED = 0.99  # share of question pages identical to GitHub


def _check(name: str, results: list[PageResult], minimum_pages: int) -> None:
    differing = [r for r in results if r.diff]
    total = len(results)
    share = (total - len(differing)) / total if total else 0.0
    listing = "\n".join(
        f"  {r.source}:{r.line} {r.title[:40]} [{'; '.join(r.reasons)}] "
        + ", ".join(f"{k}: GitHub {a} / site {b}" for k, (a, b) in r.diff.items())
        for r in differing
    )
    print(
        f"{name}: {total - len(differing)}/{total} question pages identical to GitHub ({100 * share:.1f} %)"
        + (f"\n{listing}" if listing else "")
    )
    assert total >= minimum_pages, f"{name}: only {total} question pages compared"
    assert share >= REQUIRED, (
        f"{name}: {100 * share:.1f} % of {total} question pages identical to GitHub "
        f"(need {100 * REQUIRED:.0f} %); differing:\n{listing}"
    )


def test_demo_pages_match_github(built_site: BuiltSite, site_dir: Path) -> None:
    _check("demo content", compare_site(built_site.root, site_dir), minimum_pages=100)


def test_messy_pages_match_github(messy_build: MessyBuild) -> None:
    assert messy_build.returncode == 0, messy_build.stderr
    _check("messy collection", compare_site(messy_build.root, messy_build.site), minimum_pages=300)
