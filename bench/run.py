"""Benchmarks: qadocs generation time as a ratio to a baseline measured in the same run.

Baseline: reading every source and rendering it once with plain Python-Markdown (the least work
any site generator does with the same text). Run with `make bench`.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from messy import make_big_source, make_collection  # noqa: E402
from qadocs import cli  # noqa: E402
from qadocs.core.build import generate  # noqa: E402
from qadocs.core.plan.site import Options  # noqa: E402


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
    out = repo / "build" / "docs"  # the output must lie inside the repository
    generate(opts, out)  # warm caches (jieba dictionary, pinyin tables)
    base = best_of(3, lambda: baseline(content))
    gen = best_of(3, lambda: generate(opts, out))
    files = len(list(content.rglob("*.md")))
    size = sum(p.stat().st_size for p in content.rglob("*.md")) / 1e6
    print(
        f"{name:<28} {files:>4} files {size:6.2f} MB  baseline {base:6.3f}s  "
        f"qadocs {gen:6.3f}s  ratio {gen / base:5.2f}"
    )


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
    print(
        f"{'6 MB source, check':<28} {source.stat().st_size / 1e6:6.2f} MB {len(checked.plan.questions):>5} questions"
        f"  baseline {base:6.3f}s  check {check_s:6.3f}s  ratio {check_s / base:5.2f}"
    )
    print(
        f"{'6 MB source, split':<28} {'':>9} {'':>15}  baseline {base:6.3f}s  split {split_s:6.3f}s  "
        f"ratio {split_s / base:5.2f}"
    )


def backtick_line(n: int) -> str:
    """A source whose one answer line has 2n+1 characters: `x`, n backticks, n letters (a code
    span opened and never closed)."""
    return "## 1. 题目1\n\n" + "x" + "`" * n + "a" * n + "\n\n## 2. 题目2\n\n答案\n"


def md_headings(n: int) -> str:
    return "".join(f"## {i}. 题目{i}\n答案{i}\n" for i in range(1, n + 1))


def html_headings(n: int) -> str:
    return "".join(f'<h2 id="{i}.题目{i}">{i}.题目{i}</h2>\n答案{i}\n' for i in range(1, n + 1))


def kb(n: int) -> str:
    return f"{(2 * n + 1) / 1000:.0f} KB"


def count(n: int) -> str:
    return f"{n:,}"


def check_seconds(text: str, runs: int) -> float:
    """Best time of `qadocs check` (the CLI, in process, output discarded) on one source `text`."""
    repo = Path(tempfile.mkdtemp())
    (repo / "content").mkdir()
    (repo / "content" / "p.md").write_text(text, encoding="utf-8")
    argv = ["check", "--content", "content", "--root", str(repo)]

    def run() -> None:
        with open(os.devnull, "w") as null, contextlib.redirect_stdout(null), contextlib.redirect_stderr(null):
            cli.main(argv)

    return best_of(runs, run)


def pathological() -> None:
    """Hostile input must cost time in proportion to its size (issue 7): each case at n and 2n,
    `qadocs check` time ratio 2n/n at most 2.2."""
    check_seconds(md_headings(100), 1)  # warm caches (jieba dictionary, pinyin tables)
    cases: list[tuple[str, Callable[[int], str], int, int, Callable[[int], str]]] = [
        ("one line x+`*n+a*n", backtick_line, 2_000, 5, kb),
        ("markdown question headings", md_headings, 50_000, 2, count),
        ("HTML question headings", html_headings, 50_000, 2, count),
    ]
    for name, make, n, runs, size in cases:
        one, two = check_seconds(make(n), runs), check_seconds(make(2 * n), runs)
        print(f"{'check, ' + name:<40} {size(n):>8} {one:7.3f}s  {size(2 * n):>8} {two:7.3f}s  2n/n {two / one:5.2f}")


def main() -> None:
    print(f"{time.strftime('%Y-%m-%d')} {platform.machine()} {platform.python_version()}")
    demo = Path(tempfile.mkdtemp())  # a copy: generating writes the registry into content/
    shutil.copytree(ROOT / "content", demo / "content")
    shutil.copytree(ROOT / "imgs", demo / "imgs")
    case("demo content", demo, demo / "content")
    tmp = Path(tempfile.mkdtemp())
    case("messy collection (300)", tmp, make_collection(tmp, files=300))
    big_file()
    pathological()


if __name__ == "__main__":
    main()
