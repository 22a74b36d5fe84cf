"""How many question pages show the block structure GitHub shows for their markdown.

Builds the demo content and a generated messy collection with `mkdocs build` in temp dirs and
compares every question page with cmark-gfm's rendering of its markdown (tests/fidelity.py).
Prints pages compared, identical, % identical, build time and a histogram of reasons for the
pages that differ.

    PYTHONPATH=src .venv/bin/python bench/fidelity.py [--messy-files 300] [--src DIR] [--list N]

`--src` picks the qadocs sources the builds import (another checkout's `src/`), to compare a
change with what it replaces in the same run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fidelity import PageResult, build_site, compare_site  # noqa: E402
from messy import make_collection  # noqa: E402


def report(name: str, results: list[PageResult], seconds: float, listed: int) -> None:
    same = sum(1 for r in results if not r.diff)
    total = len(results)
    print(f"{name}: {total} pages compared, {same} identical ({100 * same / max(total, 1):.1f} %), "
          f"mkdocs build {seconds:.1f}s")
    hist = Counter(reason for r in results for reason in r.reasons)
    for reason, n in hist.most_common():
        print(f"    {n:>5}  {reason}")
    for r in [r for r in results if r.diff][:listed]:
        diff = ", ".join(f"{k}: {a}→{b}" for k, (a, b) in r.diff.items())
        print(f"    {r.source}:{r.line} {r.title[:40]}  [{'; '.join(r.reasons)}]  {diff}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messy-files", type=int, default=300, help="files in the messy collection (0: skip)")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="qadocs sources the builds use")
    parser.add_argument("--list", type=int, default=0, help="list this many differing pages per collection")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="qadocs-fidelity-"))
    repo = tmp / "demo"
    site, seconds = build_site(ROOT / "content", ROOT / "imgs", repo, src_dir=args.src.resolve())
    report("demo content", compare_site(repo, site), seconds, args.list)
    if args.messy_files:
        gen = tmp / "messy-gen"
        content = make_collection(gen, files=args.messy_files)
        repo = tmp / "messy"
        site, seconds = build_site(content, gen / "imgs", repo, src_dir=args.src.resolve())
        report(f"messy collection ({args.messy_files} files)", compare_site(repo, site), seconds, args.list)


if __name__ == "__main__":
    main()
