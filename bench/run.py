"""Benchmarks: qadocs generation time as a ratio to a baseline measured in the same run.

Baseline: reading every source and rendering it once with plain Python-Markdown (the least work
any site generator does with the same text). Run with `make bench`.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from messy import make_big_source, make_collection  # noqa: E402
from qadocs.build import generate  # noqa: E402
from qadocs.plan import Options  # noqa: E402


def best_of(n: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def baseline(content: Path) -> None:
    for path in sorted(content.rglob("*.md")):
        markdown.markdown(path.read_bytes().decode("utf-8", errors="replace"), extensions=["tables"])


def case(name: str, repo: Path, content: Path) -> None:
    opts = Options(repo, content, repo / "imgs")
    out = Path(tempfile.mkdtemp()) / "docs"
    generate(opts, out)  # warm caches (jieba dictionary, pinyin tables)
    base = best_of(3, lambda: baseline(content))
    gen = best_of(3, lambda: generate(opts, out))
    files = len(list(content.rglob("*.md")))
    size = sum(p.stat().st_size for p in content.rglob("*.md")) / 1e6
    print(f"{name:<28} {files:>4} files {size:6.2f} MB  baseline {base:6.3f}s  "
          f"qadocs {gen:6.3f}s  ratio {gen / base:5.2f}")


def big_file() -> None:
    """The content doctor's budget: a 6 MB source with 5,000 questions, checked and split (< 30 s)."""
    tmp = Path(tempfile.mkdtemp())
    (tmp / "content").mkdir()
    (tmp / "imgs").mkdir()
    source = tmp / "content" / "big.md"
    make_big_source(source)
    opts = Options(tmp, tmp / "content", tmp / "imgs")
    base = best_of(1, lambda: baseline(tmp / "content"))
    start = time.perf_counter()
    checked = generate(opts, None)
    check_s = time.perf_counter() - start
    start = time.perf_counter()
    generate(opts, tmp / "out")
    split_s = time.perf_counter() - start
    print(f"{'6 MB source, check':<28} {source.stat().st_size / 1e6:6.2f} MB {len(checked.plan.questions):>5} questions"
          f"  baseline {base:6.3f}s  check {check_s:6.3f}s  ratio {check_s / base:5.2f}")
    print(f"{'6 MB source, split':<28} {'':>9} {'':>15}  baseline {base:6.3f}s  split {split_s:6.3f}s  "
          f"ratio {split_s / base:5.2f}")


def main() -> None:
    print(f"{time.strftime('%Y-%m-%d')} {platform.machine()} {platform.python_version()}")
    case("demo content", ROOT, ROOT / "content")
    tmp = Path(tempfile.mkdtemp())
    case("messy collection (300)", tmp, make_collection(tmp, files=300))
    big_file()


if __name__ == "__main__":
    main()
