"""How many question pages show the block structure GitHub shows for their markdown.

Builds the demo content and a generated messy collection with `mkdocs build` in temp dirs and
compares every question page with cmark-gfm's rendering of its markdown (tests/fidelity.py).
Prints pages compared, identical, % identical, build time and a histogram of reasons for the
pages that differ.

    PYTHONPATH=src .venv/bin/python bench/fidelity.py [--messy-files 300] [--checkout DIR] [--list N]
    PYTHONPATH=src .venv/bin/python bench/fidelity.py --options   # the renderers, in-process

`--checkout` builds with another checkout's `src/` and `mkdocs.yml` (e.g. a `git worktree add`
of the commit before a change), to compare a change with what it replaces.
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
    print(
        f"{name}: {total} pages compared, {same} identical ({100 * same / max(total, 1):.1f} %), "
        f"mkdocs build {seconds:.1f}s"
    )
    hist = Counter(reason for r in results for reason in r.reasons)
    for reason, n in hist.most_common():
        print(f"    {n:>5}  {reason}")
    for r in [r for r in results if r.diff][:listed]:
        diff = ", ".join(f"{k}: {a}→{b}" for k, (a, b) in r.diff.items())
        print(f"    {r.source}:{r.line} {r.title[:40]}  [{'; '.join(r.reasons)}]  {diff}")


GFM_EXTENSIONS = ("qadocs.extensions.gfm", "footnotes", "pymdownx.tilde", "pymdownx.magiclink")


def options(messy_files: int) -> None:
    """The renderers the issue names, in-process on every question's markdown (no MkDocs):
    pages identical to cmark-gfm's structure and milliseconds per page."""
    import time

    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    from fidelity import github_html, in_process, site_markdown
    from qadocs.core.build import load
    from qadocs.core.plan.site import Options

    def bodies(repo: Path) -> list[str]:
        sources, _ = load(Options(repo, repo / "content", repo / "imgs"))
        return [q.body for s in sources for q in s.questions]

    gen = Path(tempfile.mkdtemp(prefix="qadocs-options-"))
    make_collection(gen, files=messy_files)
    sets = {"demo": bodies(ROOT), f"messy {messy_files}": bodies(gen)}
    today = site_markdown(without=GFM_EXTENSIONS)
    chosen = site_markdown()
    mdit = (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .use(dollarmath_plugin, allow_space=True, double_inline=True)
        .use(footnote_plugin)
        .use(tasklists_plugin)
    )

    def with_md(md):  # type: ignore[no-untyped-def]
        def render(body: str) -> str:
            md.reset()
            return str(md.convert(body))

        return render

    renderers = {
        "Python-Markdown, mkdocs.yml today": with_md(today),
        "qadocs.extensions.gfm + Python-Markdown (chosen)": with_md(chosen),
        "markdown-it-py + mdit-py-plugins alone": mdit.render,
        "cmarkgfm alone (no math pass: `$$` shows)": github_html,
    }
    for name, render in renderers.items():
        for set_name, texts in sets.items():
            start = time.perf_counter()
            for text in texts:
                render(text)
            ms = 1000 * (time.perf_counter() - start) / len(texts)
            same, hist = in_process(texts, render)
            print(
                f"{name:<42} {set_name:<10} {same:>5}/{len(texts):<5} identical ({100 * same / len(texts):5.1f} %)"
                f"  {ms:6.2f} ms/page  {dict(hist.most_common(4))}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messy-files", type=int, default=300, help="files in the messy collection (0: skip)")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="checkout whose src/ and mkdocs.yml build")
    parser.add_argument("--list", type=int, default=0, help="list this many differing pages per collection")
    parser.add_argument("--options", action="store_true", help="compare the renderers in-process instead")
    args = parser.parse_args()
    if args.options:
        options(args.messy_files or 300)
        return
    tmp = Path(tempfile.mkdtemp(prefix="qadocs-fidelity-"))
    repo = tmp / "demo"
    site, seconds = build_site(ROOT / "content", ROOT / "imgs", repo, checkout=args.checkout.resolve())
    report("demo content", compare_site(repo, site), seconds, args.list)
    if args.messy_files:
        gen = tmp / "messy-gen"
        content = make_collection(gen, files=args.messy_files)
        repo = tmp / "messy"
        site, seconds = build_site(content, gen / "imgs", repo, checkout=args.checkout.resolve())
        report(f"messy collection ({args.messy_files} files)", compare_site(repo, site), seconds, args.list)


if __name__ == "__main__":
    main()
