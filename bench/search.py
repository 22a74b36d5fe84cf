"""Search: does it find the question, what does it cost a phone, and what does it add to a build?

On the demo (the repo's content/) and, when laid out, on a public collection (`--corpus wethinkin`,
needs QADOCS_MIRRORS: ../shared/corpora/prepare.sh), in one run:

- Relevance, qadocs' search run in headless Chromium (`qadocsSearch.search`, what the search box
  shows, in its order): for each key term, how many of the top-5 titles contain it; for N question
  titles drawn at random (seeded), the title with its punctuation removed as the query: is that
  question first, in the top 3; the mixed Chinese/Latin queries, what comes first.
  With `--material`, Material's own search (its `search` plugin, as configured before qadocs had its
  own) on the same pages, typed into its box, for the key terms: the alternative it replaced.
  With `--pagefind BINARY` (the `pagefind_extended` of PyPI's `pagefind[extended]`, installed
  apart: it is no dependency), Pagefind indexes the same built site, timed, and answers the key
  terms and the mixed queries through its JS API: the other alternative.
- Phone: 390×844, touch, slow 4G (1.6 Mbit/s down, 750 kbit/s up, 150 ms) and CPU × 4, served
  gzipped with GitHub Pages' `max-age=600`. A fresh visit of a question page (search data fetched
  before search is opened: none wanted), then open search and type the first key term: seconds to
  the first result and KB transferred; then a second term.
- Build: cold `mkdocs build` with qadocs' search and with `search: false` (and plain Material with
  its search plugin, when `--material`), wall and CPU, each a fresh process, `--runs` rounds.

    PYTHONPATH=src .venv/bin/python bench/search.py [--corpus wethinkin] [--material] [--runs 1]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gzip
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import scale  # noqa: E402
import web  # noqa: E402
from web import launch  # noqa: E402

TERMS = [
    "扩散模型",
    "过拟合",
    "注意力机制",
    "梯度消失",
    "交叉熵",
    "位置编码",
    "知识蒸馏",
    "损失函数",
    "激活函数",
    "正则化",
    "模型量化",
    "多模态",
    "强化学习",
    "卷积层",
]
MIXED = ["什么是LoRA", "LoRA是什么", "什么是 LoRA"]
OTHER = ["kuosan moxing", "zhuyili jizhi", "扩撒模型", "DiT"]  # pinyin, a typo, a Latin name
PUNCT_RE = re.compile(r"[^\w\s]|_")
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
COMPRESSED = (".html", ".js", ".css", ".json", ".svg", ".txt", ".xml")
MATERIAL_SEARCH = """  - search:
      lang: en
      pipeline: [stopWordFilter]
      separator: '[\\s\\u200b\\u3000\\-、。，．？！；：,:!=\\[\\]()"`/]+|\\.(?!\\d)|&[lg]t;'
"""


class PagesHandler(web.QuietHandler):
    """Static files as GitHub Pages serves them: text gzipped when the browser accepts it, max-age=600."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - http.server calls it by this name
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in COMPRESSED or not path.is_file():
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(directory: Path) -> contextlib.AbstractContextManager[str]:
    return web.serve(directory, PagesHandler)


def setup(root: Path, corpus: str | None) -> None:
    if corpus is None:
        shutil.copytree(ROOT / "content", root / "content")
        (root / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
        (root / "build" / "docs").mkdir(parents=True)
    else:
        scale.setup(root, 0, corpus)
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    off, n = re.subn(r"(?m)^(  - qadocs:\n)", r"\1      search: false\n", text)
    if n != 1:
        raise SystemExit("no `- qadocs:` plugin entry in mkdocs.yml")
    (root / "nosearch.yml").write_text(off, encoding="utf-8")


def write_material(root: Path) -> None:
    """material.yml: plain Material (no qadocs) with its search plugin, on the pages qadocs wrote."""
    scale.write_plain(root)
    text = (root / "plain.yml").read_text(encoding="utf-8").replace("site_dir: site-plain", "site_dir: site-material")
    text, n = re.subn(r"(?m)^plugins:.*\n", lambda _: "plugins:\n" + MATERIAL_SEARCH, text)
    if n != 1:
        raise SystemExit("no `plugins:` in plain.yml")
    (root / "material.yml").write_text(text, encoding="utf-8")


def builds(root: Path, runs: int, material: bool) -> None:
    print("\n## Build (cold, fresh process each)", flush=True)
    names = [("qadocs", "mkdocs.yml"), ("no-search", "nosearch.yml")] + (
        [("material", "material.yml")] if material else []
    )
    results: dict[str, list[dict[str, float]]] = {name: [] for name, _ in names}
    for _ in range(runs):
        for name, config in names:
            shutil.rmtree(root / scale.CACHE, ignore_errors=True)
            results[name].append(scale.run_build(root, name, config))
    med = {name: {k: statistics.median(r[k] for r in rs) for k in ("wall", "cpu")} for name, rs in results.items()}
    for name in med:
        print(f"  median {name:<10} wall {med[name]['wall']:7.2f} s  cpu {med[name]['cpu']:7.2f} s")
    for k in ("wall", "cpu"):
        print(
            f"  qadocs' search adds {100 * (med['qadocs'][k] / med['no-search'][k] - 1):+.1f} % {k} to the cold build"
        )


def load_search(page: Any, base: str) -> None:
    page.goto(base + "/")
    page.click("button.qadocs-find-button")
    page.wait_for_function("window.qadocsSearch !== undefined")


QUERY = """async (q) => {
  const r = await window.qadocsSearch.search(q);
  return {all: r.all, top: r.hits.slice(0, 5).map((h) => ({n: h.n, url: h.row[0], title: h.row[1]}))};
}"""


def relevance(site: Path, sample: int) -> dict[str, Any]:
    meta = json.loads((site / "qadocs-search" / "meta.json").read_text(encoding="utf-8"))
    pages = meta["pages"]
    questions = [n for n, row in enumerate(pages) if row[2] == 0]
    print(f"\n## Relevance (qadocs' search; {len(pages)} pages, {len(questions)} question pages)", flush=True)
    out: dict[str, Any] = {}
    with serve(site) as base, launch() as browser:
        page = browser.new_page()
        load_search(page, base)
        found = 0
        for term in TERMS:
            r = page.evaluate(QUERY, term)
            have = sum(term in t["title"] for t in r["top"])
            most = sum(term in row[1] for row in pages)
            found += have
            print(
                f"  {term:<6} top-5 titles with it {have}/5  (titles in the site with it: {most:4d}; pages with all terms {r['all']})"
            )
        print(f"  key terms: {found} of {5 * len(TERMS)} top-5 titles contain the term")
        out["terms"] = found
        rng = random.Random(24)
        picked = rng.sample(questions, min(sample, len(questions)))
        first = top3 = 0
        misses: list[str] = []
        for n in picked:
            query = " ".join(PUNCT_RE.sub(" ", pages[n][1]).split())
            r = page.evaluate(QUERY, query)
            ns = [t["n"] for t in r["top"]]
            first += bool(ns) and ns[0] == n
            top3 += n in ns[:3]
            if not ns or ns[0] != n:
                same = sum(row[1] == pages[n][1] for row in pages)
                misses.append(
                    f"{query!r} -> {r['top'][0]['title'] if r['top'] else '-'!r}"
                    + (f" (title on {same} pages)" if same > 1 else "")
                )
        print(
            f"  own title as the query: first {first}/{len(picked)} ({100 * first / len(picked):.1f} %), "
            f"top 3 {top3}/{len(picked)} ({100 * top3 / len(picked):.1f} %)"
        )
        for line in misses[:8]:
            print("    not first:", line)
        out["first"], out["top3"], out["sample"] = first, top3, len(picked)
        for query in MIXED + OTHER:
            r = page.evaluate(QUERY, query)
            titles = [t["title"] for t in r["top"][:3]]
            print(f"  {query!r}: {r['all']} pages with every term; first: {' | '.join(titles)}")
    return out


META = ".md-search-result__meta"


def material_relevance(site: Path) -> None:
    """Material's search on its own build of the same pages: the key terms typed into its box."""
    print("\n## Relevance (Material's search, the same pages)", flush=True)
    found = 0
    with serve(site) as base, launch() as browser:
        page = browser.new_page()
        page.goto(base + "/")
        page.wait_for_function("document.querySelector('.md-search__input') !== null")
        for term in TERMS:
            page.click(".md-search__input")
            page.fill(".md-search__input", "")
            page.keyboard.press("End")  # Material searches on key-up only: Chinese typed as text fires none
            page.wait_for_function(f"() => /键入|Type to start/.test(document.querySelector({META!r}).textContent)")
            page.type(".md-search__input", term, delay=30)
            page.keyboard.press("End")
            page.wait_for_function(
                f"() => !/正在|键入|Initializing|Type/.test(document.querySelector({META!r}).textContent)",
                timeout=120_000,
            )
            titles, still = None, 0
            while still < 3:  # the worker answers each key; the last answer replaces the list
                time.sleep(0.5)
                now = page.eval_on_selector_all(
                    ".md-search-result__item > .md-search-result__link h1",
                    "els => els.slice(0, 5).map(e => e.textContent.replace(/\\u200b/g, ''))",
                )
                still, titles = (still + 1 if now == titles else 0), now
            have = sum(term in t for t in titles)
            found += have
            print(f"  {term:<6} top-5 titles with it {have}/5")
        print(f"  key terms: {found} of {5 * len(TERMS)} top-5 titles contain the term")


PAGEFIND_QUERY = """async (q) => {
  if (!window.pf) { window.pf = await import('/pagefind/pagefind.js'); await window.pf.init(); }
  const r = await window.pf.search(q);
  const top = await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
  return top.map((d) => (d.meta.title || '').replace(/¶$/, ''));
}"""


def pagefind_relevance(site: Path, binary: Path) -> None:
    """Pagefind (extended: it segments Chinese) on the same built site: index time, index size, answers."""
    print("\n## Relevance (Pagefind, the same built site)", flush=True)
    start = time.perf_counter()
    proc = subprocess.Popen([str(binary), "--site", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{binary} failed")
    size = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    print(
        f"  indexed in {time.perf_counter() - start:.1f} s wall, {usage.ru_utime + usage.ru_stime:.1f} s CPU; "
        f"pagefind/ holds {size / 1e6:.1f} MB"
    )
    found = 0
    with serve(site) as base, launch() as browser:
        page = browser.new_page()
        page.goto(base + "/")
        for term in TERMS:
            titles = page.evaluate(PAGEFIND_QUERY, term)
            have = sum(term in t for t in titles)
            found += have
            print(f"  {term:<6} top-5 titles with it {have}/5")
        print(f"  key terms: {found} of {5 * len(TERMS)} top-5 titles contain the term")
        for query in MIXED:
            print(f"  {query!r}: first: {' | '.join(page.evaluate(PAGEFIND_QUERY, query)[:3])}")
    shutil.rmtree(site / "pagefind")


def phone(site: Path) -> None:
    """A fresh visit of a question page on a slow phone, then search opened and two queries."""
    meta = json.loads((site / "qadocs-search" / "meta.json").read_text(encoding="utf-8"))
    question = next(row[0] for row in meta["pages"] if row[2] == 0)
    print("\n## Phone (390×844, slow 4G 1.6 Mbit/s 150 ms, CPU × 4, gzip host)", flush=True)
    with serve(site) as base, launch() as browser:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        sizes: dict[str, int] = {}
        urls: dict[str, str] = {}
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))

        def moved(since: set[str], part: str = "") -> tuple[int, int]:
            ids = [i for i in sizes if i not in since and part in urls.get(i, "")]
            return len(ids), sum(sizes[i] for i in ids)

        start = time.perf_counter()
        page.goto(base + "/" + question, wait_until="load")
        visit = time.perf_counter() - start
        page.wait_for_timeout(1000)
        n, total = moved(set())
        sn, sbytes = moved(set(), "qadocs-search")
        print(
            f"  fresh visit of a question page: {n} requests, {total / 1024:.0f} KB, load event {visit:.1f} s; "
            f"search data fetched before search is opened: {sn} requests, {sbytes / 1024:.1f} KB"
        )
        for i, term in enumerate(TERMS[:2]):
            before = set(sizes)
            start = time.perf_counter()
            if i == 0:
                page.click("button.qadocs-find-button")
            page.fill("input.qadocs-find__input", term)
            page.wait_for_function(
                "t => { const a = document.querySelector('.qadocs-find__hit .qadocs-find__title');"
                " return a && document.querySelector('.qadocs-find__input').value === t && a.textContent.length > 0"
                " && document.querySelector('.qadocs-find__status').textContent.indexOf('找到') >= 0; }",
                arg=term,
                timeout=60_000,
            )
            took = time.perf_counter() - start
            page.wait_for_timeout(1500)  # the snippets of the shown results
            n, total = moved(before)
            what = "open search + type" if i == 0 else "second query"
            print(
                f"  {what} {term}: first result after {took:.2f} s; {n} requests, {total / 1024:.0f} KB "
                "(with the snippets, 1.5 s later)"
            )
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", help="a public collection of ../shared/corpora (needs QADOCS_MIRRORS)")
    parser.add_argument("--sample", type=int, default=200, help="question titles drawn as queries")
    parser.add_argument("--runs", type=int, default=1, help="rounds of cold builds")
    parser.add_argument("--material", action="store_true", help="also Material's search (build and relevance)")
    parser.add_argument("--pagefind", type=Path, help="a pagefind_extended binary: also Pagefind's search")
    parser.add_argument("--no-build", action="store_true", help="skip the build timings (one build is still made)")
    parser.add_argument("--site", type=Path, help="measure this built site (relevance and phone) instead of building")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (its path is printed)")
    args = parser.parse_args()
    print(
        f"# bench/search.py, {datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, collection: {args.corpus or 'demo'}"
    )
    if args.site is not None:
        relevance(args.site, args.sample)
        phone(args.site)
        return
    tmp = Path(tempfile.mkdtemp(prefix="qadocs-search-bench-"))
    try:
        setup(tmp, args.corpus)
        if args.material:
            write_material(tmp)
        if args.no_build:
            scale.run_build(tmp, "qadocs", "mkdocs.yml")
            if args.material:
                scale.run_build(tmp, "material", "material.yml")
        else:
            builds(tmp, args.runs, args.material)
            scale.run_build(tmp, "qadocs", "mkdocs.yml")  # the site measured below has the search index
        relevance(tmp / "site", args.sample)
        if args.material:
            material_relevance(tmp / "site-material")
        if args.pagefind:
            pagefind_relevance(tmp / "site", args.pagefind)
        phone(tmp / "site")
    finally:
        if args.keep:
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
