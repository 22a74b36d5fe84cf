"""Real-size benchmark: whole `mkdocs build` processes on a generated collection, and edit → visible
under `mkdocs serve`.

What is measured, and why this way:

- Whole processes (`mkdocs build -q` started with subprocess), because that is what a person
  waits for: interpreter start, imports, qadocs generation, Material rendering and search index.
  Wall time, CPU time (user + sys of that child, from `os.wait4`) and peak RSS (its ru_maxrss).
- plain: plain Material on the very pages qadocs generated (same docs_dir, the nav qadocs
  computed, the same markdown extensions), without the qadocs plugin: the cost of a MkDocs site
  of this size with no generation. cold: qadocs with its persistent cache deleted. warm: qadocs
  again right after, nothing changed. Each build starts after `sync`, and with the site dir of
  the last build of its kind, which MkDocs empties first (deleting and creating thousands of
  files costs the file system more than the writing: the same for both kinds of build).
- R paired rounds (plain, cold, warm each round) on the same machine in the same run; medians are
  reported, and the ratios cold/plain and warm/plain compare figures taken side by side.
- Edit → visible: seconds from writing a marker into a question's answer in content/ to the
  marker being served on that question's page by `mkdocs serve --dirty`, and how many rebuilds
  ("Building documentation...") each edit started.
- The memory of all of a build's processes (PSS, pages shared after a fork counted once) is
  sampled in builds of its own, not in the timed rounds (see `builds`).
- Each build's line also shows the 1-minute load average before it and a fingerprint of
  src/qadocs, flagged when the code changed during the build: figures from a busy machine or
  from different code are shown as such, not silently mixed.

    .venv/bin/python bench/scale.py [--scale N] [--runs R] [--keep]

`--scale 1` is 140 generated sources (about 1,500 questions); `--scale 10` is 1,400 (≥ 15,000).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from messy import make_collection  # noqa: E402

MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
CACHE = Path("build") / ".qadocs-cache"
REBUILD = "Building documentation..."  # mkdocs/commands/serve.py logs it before every build


def header(scale: int, runs: int) -> None:
    """Date, machine, Python, CPU model, tool versions and the checkout measured."""
    import markdown
    import mkdocs

    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(errors="replace"), re.M)
        cpu = found.group(1).strip() if found else cpu
    commit = _git("rev-parse", "--short", "HEAD").stdout.strip()
    dirty = _git("diff", "--quiet", "HEAD", "--", "src").returncode != 0
    print(f"date      {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"machine   {platform.machine()}, {os.cpu_count()} CPUs, {cpu}")
    print(f"python    {platform.python_version()} ({sys.executable})")
    print(f"versions  mkdocs {mkdocs.__version__}, markdown {markdown.__version__}")
    print(f"checkout  {commit}{' (src/ has uncommitted changes)' if dirty else ''}, src/qadocs state {src_state()}")
    print(f"settings  --scale {scale} --runs {runs} {' '.join(sys.argv[1:])}")


def src_state() -> str:
    """A fingerprint of src/qadocs (paths, sizes, mtimes): shows whether the code changed mid-run."""
    files = sorted((ROOT / "src" / "qadocs").rglob("*"))
    stamp = [
        (str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files if p.is_file() and "__pycache__" not in p.parts
    ]
    return hashlib.sha1(repr(stamp).encode()).hexdigest()[:8]


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def strip_plugin(text: str) -> str:
    """mkdocs.yml text without the `- qadocs:` plugin entry and its indented options."""
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        if re.match(r"^(\s*)- qadocs:\s*$", line):
            skipping, indent = True, len(line) - len(line.lstrip())
            continue
        if skipping and (not line.strip() or len(line) - len(line.lstrip()) > indent):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def setup(root: Path, files: int, corpus: str | None = None) -> None:
    """The collection (generated, or the public `corpus` laid out by ../shared/corpora/prepare.sh),
    mkdocs.yml (the repo's) and an empty docs_dir under root."""
    if corpus is None:
        make_collection(root, files=files)
    else:
        prepare = ROOT.parent / "shared" / "corpora" / "prepare.sh"
        if not os.environ.get("QADOCS_MIRRORS"):
            raise SystemExit("--corpus needs QADOCS_MIRRORS (see ../shared/corpora/README.md)")
        subprocess.run(["bash", str(prepare), corpus, str(root / "content")], check=True)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if "missing_images: placeholder" not in text:
        raise SystemExit("the repo's mkdocs.yml lost `missing_images: placeholder`")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    (root / "build" / "docs").mkdir(parents=True)


def write_plain(root: Path) -> None:
    """plain.yml: the same config without qadocs, its own site_dir and the nav qadocs computes."""
    from qadocs.core.build import generate
    from qadocs.core.options import Options

    opts = Options(root, root / "content", root / "imgs", missing_images="placeholder")
    nav = generate(opts, root / "build" / "docs", write_registry=False).plan.nav
    text = strip_plugin((root / "mkdocs.yml").read_text(encoding="utf-8"))
    text, n = re.subn(r"(?m)^site_dir: site$", "site_dir: site-plain", text)
    if n != 1 or "qadocs:" in text.split("markdown_extensions:")[0]:
        raise SystemExit("could not derive plain.yml from mkdocs.yml")
    # No plugin left: `plugins: []`, or MkDocs would add its default, `search`.
    text = re.sub(r"(?m)^plugins:[ \t]*\n(?=(?:[ \t]*(?:#.*)?\n)*(?:\S|\Z))", "plugins: []\n", text)
    text += "\nnav: " + json.dumps(nav, ensure_ascii=False) + "\n"
    (root / "plain.yml").write_text(text, encoding="utf-8")


class TreeRss(threading.Thread):
    """Samples, every 0.2 s, the memory of a process and all its descendants (the page builders
    qadocs forks): `peak` is the largest sum seen, in kB, of each process's proportional set size
    (pages shared after the fork counted once in all, not once per process). ru_maxrss is one
    process's resident size."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            self.peak = max(self.peak, sum(_rss(pid) for pid in _tree(self.pid)))


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


def _rss(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", status, re.M)
    return int(found[1]) if found else 0


def run_build(root: Path, name: str, config: str = "mkdocs.yml", sample: bool = False) -> dict[str, float]:
    """One `mkdocs build -q` process: wall s, CPU s (user + sys), peak RSS MB, and with `sample`
    the peak PSS of all its processes (MB; sampling takes CPU: see `builds`); its log is kept."""
    log = root / "logs" / f"{name}.log"
    log.parent.mkdir(exist_ok=True)
    os.sync()  # the last build's writes reach the disk now, not during this one
    load, state = os.getloadavg()[0], src_state()
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(MKDOCS), "build", "-q", "-f", config], cwd=root, env=ENV, stdout=out, stderr=subprocess.STDOUT
        )
        sampler = TreeRss(proc.pid) if sample else None
        if sampler is not None:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if sampler is not None:
            sampler.stop.set()
            sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"{name}: mkdocs build exited {proc.returncode}\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime
    figures = {"wall": wall, "cpu": cpu, "rss": usage.ru_maxrss / 1024}
    if sampler is not None:
        figures["tree"] = sampler.peak / 1024
    changed = "" if src_state() == state else "  (src/qadocs changed during this build)"
    tree = f" (PSS of all processes {figures['tree']:7.0f} MB)" if sampler is not None else ""
    print(
        f"  {name:<10} wall {wall:8.2f} s  cpu {cpu:8.2f} s  peak RSS {figures['rss']:7.0f} MB{tree}"
        f"  load before {load:4.2f}  src {state}{changed}",
        flush=True,
    )
    return figures


def cold(root: Path, name: str, sample: bool = False) -> dict[str, float]:
    """A qadocs build with no persistent cache. site/ is left, as plain's site-plain/ is: MkDocs
    empties it at the start of either build, inside the timing."""
    shutil.rmtree(root / CACHE, ignore_errors=True)
    return run_build(root, name, sample=sample)


def log_warnings(root: Path) -> None:
    """How many WARNING lines each first-round log holds, and a few of them."""
    for name in ("first", "plain-1", "cold-1", "warm-1"):
        if not (root / "logs" / f"{name}.log").is_file():
            continue
        lines = (root / "logs" / f"{name}.log").read_text(encoding="utf-8", errors="replace").splitlines()
        warnings = [line for line in lines if line.startswith("WARNING")]
        others = [line for line in lines if line.strip() and not line.startswith(("WARNING", " "))]
        print(f"  {name:<8} {len(warnings):>5} WARNING lines, {len(others):>3} other lines")
        for line in list(dict.fromkeys(warnings))[:3] + others[:2]:
            print(f"             {line[:150]}")


def counts(root: Path) -> tuple[int, int]:
    """Questions in site/questions.json and *.md pages under build/docs."""
    questions = json.loads((root / "site" / "questions.json").read_text(encoding="utf-8"))
    return len(questions), sum(1 for _ in (root / "build" / "docs").rglob("*.md"))


def table(results: dict[str, list[dict[str, float]]], memory: dict[str, dict[str, float]]) -> None:
    """Medians of each kind of build and the ratios to plain; the sum of PSS from `memory`."""
    med = {
        kind: {
            **{k: statistics.median(r[k] for r in rs) for k in ("wall", "cpu", "rss")},
            "tree": memory.get(kind, {}).get("tree", float("nan")),
        }
        for kind, rs in results.items()
        if rs
    }
    print(
        f"\n{'median of ' + str(len(results['cold'])):<14} {'wall s':>9} {'CPU s':>9} {'peak RSS MB':>12} {'sum PSS MB':>12}"
    )
    for kind, m in med.items():
        print(f"{kind:<14} {m['wall']:>9.2f} {m['cpu']:>9.2f} {m['rss']:>12.0f} {m['tree']:>12.0f}")
    for kind in ("cold", "warm") if "plain" in med else ():
        r = {k: med[kind][k] / med["plain"][k] for k in ("wall", "cpu", "rss")}
        print(f"{kind + '/plain':<14} {r['wall']:>9.2f} {r['cpu']:>9.2f} {r['rss']:>12.2f}")


def builds(root: Path, runs: int, scale: int, plain: bool = True) -> None:
    """The first build (makes the registry), plain.yml, then `runs` rounds of plain, cold, warm.
    The memory of all of a build's processes is sampled (from /proc, every 0.2 s) in builds of
    their own, before the timed rounds: the first (a cold build), one warm build and one plain
    build. Sampling takes CPU, and from a build that uses every core it takes wall time that a
    build on one core does not lose (the sampler runs on the core it leaves idle)."""
    print("\nwhole-process builds (mkdocs build -q):")
    memory = {"cold": cold(root, "first", sample=True), "warm": run_build(root, "warm-mem", sample=True)}
    write_plain(root)
    if plain:
        memory["plain"] = run_build(root, "plain-mem", "plain.yml", sample=True)
    results: dict[str, list[dict[str, float]]] = {"plain": [], "cold": [], "warm": []}
    for i in range(1, runs + 1):
        if plain:
            results["plain"].append(run_build(root, f"plain-{i}", "plain.yml"))
        results["cold"].append(cold(root, f"cold-{i}"))
        results["warm"].append(run_build(root, f"warm-{i}"))
    questions, pages = counts(root)
    table(results, memory)
    print(f"\nqadocs build: {questions} questions (site/questions.json), {pages} pages (*.md under build/docs)")
    if questions < 1500 * scale:
        print(f"NOTE: fewer than {1500 * scale} questions: not the size this benchmark is meant for")
    print("\nbuild logs (first round):")
    log_warnings(root)


def pick_question(root: Path) -> dict[str, object]:
    """A question whose source is plain UTF-8 (no BOM, no CR) and whose line is its heading."""
    entries = json.loads((root / "site" / "questions.json").read_text(encoding="utf-8"))
    for entry in entries[len(entries) // 2 :] + entries[: len(entries) // 2]:
        data = (root / "content" / str(entry["source"])).read_bytes()
        if data.startswith(b"\xef\xbb\xbf") or b"\r" in data:
            continue
        try:
            lines = data.decode("utf-8").split("\n")
        except UnicodeDecodeError:
            continue
        heading = lines[int(entry["source_line"]) - 1]
        if heading.startswith(("<h", "#")):
            return entry
    raise SystemExit("no question in a plain UTF-8 source")


def insert_marker(path: Path, line: int, marker: str) -> None:
    """Put `marker` as a paragraph of its own right after the heading on `line` (1-based)."""
    lines = path.read_bytes().decode("utf-8").split("\n")
    lines[line:line] = ["", marker, ""]
    path.write_bytes("\n".join(lines).encode("utf-8"))


def fetch(url: str) -> str:
    """The body of `url`, or "" when the server does not answer 200 yet."""
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.read().decode("utf-8", errors="replace") if resp.status == 200 else ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_until(check, timeout: float, step: float) -> float:  # type: ignore[no-untyped-def]
    """Seconds until check() is true; SystemExit after `timeout`."""
    start = time.perf_counter()
    while not check():
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"timed out after {timeout:.0f} s")
        time.sleep(step)
    return time.perf_counter() - start


def wait_quiet(log: Path, quiet: float = 3.0) -> None:
    """Until the log has not grown for `quiet` seconds."""
    size, since = log.stat().st_size, time.perf_counter()
    while time.perf_counter() - since < quiet:
        time.sleep(0.2)
        now = log.stat().st_size
        if now != size:
            size, since = now, time.perf_counter()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def edits(root: Path, base: str, log: Path, entry: dict[str, object]) -> tuple[list[float], list[int]]:
    """Three edits of the question's answer: seconds until served, and rebuilds each started."""
    source = root / "content" / str(entry["source"])
    url = base + str(entry["url"]).lstrip("/")
    seconds, rebuilds = [], []
    for _ in range(3):
        marker = f"标记{random.randrange(10**8):08d}"
        offset = log.stat().st_size
        insert_marker(source, int(entry["source_line"]), marker)
        seconds.append(wait_until(lambda m=marker: m in fetch(url), timeout=120, step=0.05))
        wait_quiet(log)
        text = log.read_bytes()[offset:].decode("utf-8", errors="replace")
        rebuilds.append(text.count(REBUILD))
        print(f"  edit: visible after {seconds[-1]:6.2f} s, {rebuilds[-1]} rebuild(s)", flush=True)
    return seconds, rebuilds


def serve(root: Path, timeout: float) -> None:
    """`mkdocs serve --dirty`: time to first page, edit → visible, rebuilds, registry untouched."""
    entry = pick_question(root)
    registry = root / "content" / "qadocs-registry.yml"
    before = (registry.read_bytes(), registry.stat().st_mtime_ns) if registry.exists() else None
    port, log = free_port(), root / "logs" / "serve.log"
    base = f"http://127.0.0.1:{port}/"
    print(f"\nmkdocs serve --dirty: editing {entry['source']}:{entry['source_line']} → {entry['url']}")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(MKDOCS), "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        start = wait_until(lambda: bool(fetch(base)), timeout=timeout, step=0.5)
        print(f"  first answer (200) after {start:.1f} s")
        wait_quiet(log)
        seconds, rebuilds = edits(root, base, log, entry)
    finally:
        proc.send_signal(signal.SIGINT)  # MkDocs shuts down and removes its temp site dir on Ctrl-C
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    after = (registry.read_bytes(), registry.stat().st_mtime_ns) if registry.exists() else None
    print(f"  edit → visible: median {statistics.median(seconds):.2f} s of {len(seconds)} edits")
    print(f"  rebuilds per edit: {rebuilds} (median {statistics.median(rebuilds):g})")
    print(f"  src/qadocs state at the end {src_state()}")
    print(f"  content/qadocs-registry.yml {'unchanged' if before == after else 'MODIFIED'} by serve")
    serve_lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    print(f"  serve log: {sum(1 for line in serve_lines if line.startswith('WARNING'))} WARNING lines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="140 generated sources per unit")
    parser.add_argument("--runs", type=int, default=3, help="paired rounds of plain, cold, warm")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (its path is printed)")
    parser.add_argument("--no-plain", action="store_true", help="qadocs builds only (scale runs: compare to scale 1)")
    parser.add_argument("--no-serve", action="store_true", help="skip the edit → visible measurement")
    parser.add_argument("--corpus", help="a public collection of ../shared/corpora (wethinkin) instead of generated")
    args = parser.parse_args()
    header(args.scale, args.runs)
    start = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="qadocs-scale-"))
    print(f"temp dir  {root}")
    try:
        setup(root, files=140 * args.scale, corpus=args.corpus)
        builds(root, args.runs, args.scale, plain=not args.no_plain)
        if not args.no_serve:
            serve(root, timeout=max(300, 120 * args.scale))  # 20 min at --scale 10
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\ntotal {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
