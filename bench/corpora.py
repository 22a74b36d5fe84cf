"""The reading benchmark on public collections: `../shared/corpora/run.sh`, then for each
collection whether nothing was lost and (with `--build`) whether a real `mkdocs build` of it has
any broken internal link. Prints one table.

    export QADOCS_MIRRORS=…   # see ../shared/corpora/README.md
    .venv/bin/python bench/corpora.py [NAME…] [--build]     # or: make corpora [BUILD=1]

Without the collections (no `../shared/corpora`, or no QADOCS_MIRRORS) it says so and exits 0:
the measure needs them, the test suite does not.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(ROOT / "tests"))

from nothing_lost import lost_lines  # noqa: E402
from sitecheck import broken_internal_links  # noqa: E402

RESULT_RE = re.compile(r"^(\S+)\s+(.*)$")


def run_split(names: list[str]) -> dict[str, str]:
    """`run.sh NAME…`: each collection laid out under build/corpora/NAME and split; its result line."""
    out = subprocess.run(
        [str(CORPORA / "run.sh"), *names], cwd=ROOT, capture_output=True, text=True, check=False, timeout=3600
    )
    results: dict[str, str] = {}
    for line in out.stdout.splitlines()[1:]:
        m = RESULT_RE.match(line)
        if m:
            results[m.group(1)] = m.group(2)
    if out.returncode != 0 or not results:
        sys.exit(f"run.sh failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return results


def mkdocs_yml(work: Path) -> None:
    """A mkdocs.yml for a collection: the project's, with its own name and no demo-only settings."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^site_name:.*$", f"site_name: {work.name}", text)
    (work / "mkdocs.yml").write_text(text, encoding="utf-8")
    (work / "build" / "docs").mkdir(parents=True, exist_ok=True)
    (work / "build" / "docs" / ".qadocs-generated").touch()


def build(work: Path) -> tuple[str, float]:
    """`mkdocs build` of a collection's work folder: (broken internal links, or why it failed; seconds)."""
    mkdocs_yml(work)
    shutil.rmtree(work / "site", ignore_errors=True)
    start = time.perf_counter()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(
        [str(Path(sys.executable).with_name("mkdocs")), "build", "-q"],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=3600,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        return f"build failed ({done.returncode}): {done.stderr.strip().splitlines()[-1:]}", seconds
    pages = sorted((work / "site").rglob("*.html"))
    checked, broken = broken_internal_links(work / "site", pages)
    for line in broken[:5]:
        print(f"  {work.name}: {line}", file=sys.stderr)
    return f"{len(broken)} broken of {checked} links", seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="collections (default: every one with a reference)")
    parser.add_argument("--build", action="store_true", help="also build each with mkdocs and check its links")
    args = parser.parse_args()
    if not (CORPORA / "run.sh").is_file() or not os.environ.get("QADOCS_MIRRORS"):
        print(f"no collections: {CORPORA}/run.sh and QADOCS_MIRRORS are needed (see {CORPORA}/README.md)")
        return 0
    results = run_split(args.names)
    print(f"{'collection':<11}{'reading':<52}{'nothing lost':<22}{'mkdocs build' if args.build else ''}")
    for name, result in results.items():
        work = ROOT / "build" / "corpora" / name
        if not (work / "build" / "docs").is_dir():
            print(f"{name:<11}{result}")
            continue
        checked, lost = lost_lines(work / "content", work / "build" / "docs")
        kept = f"all {checked} lines" if not lost else f"{len(lost)} problems"
        built = ""
        if args.build:
            links, seconds = build(work)
            built = f"{links} ({seconds:.1f} s)"
        print(f"{name:<11}{result:<52}{kept:<22}{built}")
        for line in lost[:5]:
            print(f"  {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
