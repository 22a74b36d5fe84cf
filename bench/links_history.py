"""Do the URLs of earlier builds still land on their question, over a real collection's history?

Takes N snapshots of a public collection's git history (spread evenly over the last K commits
of its first-parent history that touched a file laid out), lays each out as a qadocs content
folder (read from the mirror with `git ls-tree`/`cat-file`, never changed; images are left
out: they change no URL) and generates it in-process, in order, under two workflows:

- committed: the registry each build leaves is kept for the next build (the documented way, and
  the CI recipe: `qadocs registry update`, commit the registry, build);
- never committed: every build starts with no registry (CI builds a clean checkout, nobody
  commits the registry). Its `registry-stale` findings are shown per snapshot.

A third, stamped workflow is not run: stamps are written into the markdown by `qadocs stamp`,
and the later snapshots come from git without them; carrying the first snapshot's stamps into
them would measure content nobody wrote.

Every question URL any build published (`questions.json`'s `url`) and every index page URL
(its `source_url`) is then followed through the final build's docs dir (its redirect pages,
as `tests/landing.py` does) and judged by an oracle of its own, which does not read the
registry:

- Who is who. Consecutive snapshots' questions are paired, each used once, by keys that must be
  unique on both sides among the questions still unpaired: same file, folded title and answer;
  same folded title and answer; same answer (at least 30 characters); same file and folded title;
  same folded title; then, best first, answers sharing at least half of the shorter one's lines
  (lines of 8 characters or more); then, best first, folded titles at least 85 % alike (difflib;
  the registry's rule is 80 %). Folded: a leading number (`【十七】`, `3.`) left out, NFKC,
  case-folded, letters and digits only. A
  question paired across every snapshot from the one that published a URL to the final one is
  that URL's question; one whose chain breaks is gone (deleted, or changed beyond all of these).
- Right. A live question's URL is right when it ends on the page of the final question its chain
  leads to. A gone question's URL is right when it ends with the deletion notice, or on a page
  with its folded title or whose answer holds at least half of the gone answer's lines (its
  content lives on there). Otherwise: "same title" (a live question's URL ends on another page
  with the title it had when published: two questions with one title, where the oracle cannot
  say which is which), "wrong page" (another question's page, or an index page without a
  deletion notice), "deleted notice" (the notice, for a question the oracle finds live) or 404.
  A URL published for two questions at different times (the never-committed workflow reuses
  URLs) is counted once per question: at most one of them can be right.
- An index URL (a source's page) published for file P is right when it ends on the page of P
  itself (still there) or of a final file holding at least a quarter of P's questions that are
  live (by the chains above); when none of them is live, when it ends on any page (not a 404).

Limits: the oracle's pairing is a heuristic too, only different from the registry's (stricter on
titles: no 80 % similar titles; looser on answers; it sees every snapshot, which a build does
not): a question retitled and rewritten between two snapshots is gone to it, a question split
in two is one of them, and simplified/traditional conversions are not folded. Ten snapshots over
the whole history hold more change between builds than CI building every push would: the
committed figure is a floor for the documented workflow. The examples printed under each
workflow show what was counted wrong, so a reader can judge the oracle case by case.

    QADOCS_MIRRORS=/work/.mirror PYTHONPATH=src .venv/bin/python bench/links_history.py \
        [--git DIR] [--paths REGEX] [-n 10] [--last K] [--examples 8]
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from landing import front_title, refresh_target  # noqa: E402
from qadocs.core.build import generate  # noqa: E402
from qadocs.core.model import Source  # noqa: E402
from qadocs.core.options import REGISTRY_NAME, Options  # noqa: E402
from qadocs.core.text import words  # noqa: E402

DEFAULT_REPO = "WeThinkIn+Interview-for-Algorithm-Engineer"
# /work/shared/corpora/prepare.sh's paths for `wethinkin`: markdown files and image folders
WETHINKIN_PATHS = r"(\.md$|/imgs/|^imgs/|/images/)"
IMAGE_RE = re.compile(r"\.(png|jpe?g|gif|svg|webp|bmp|ico)$", re.IGNORECASE)
LINE_MIN = 8  # answer lines shorter than this say too little to tell answers apart
BODY_MIN = 30  # an answer this short is no evidence that two questions are one
TITLE_ALIKE = 0.85  # stricter than the registry's 0.8: `什么是智能指针` and `什么是虚指针` are two questions


# -- the snapshots, from the mirror ----------------------------------------------------------------


def git(gitdir: Path, *args: str, data: bytes | None = None) -> bytes:
    """Output of a git command on the mirror (read-only commands only)."""
    cmd = ["git", "--git-dir", str(gitdir), "-c", "core.quotepath=false", *args]
    return subprocess.run(cmd, input=data, capture_output=True, check=True).stdout


def pick_commits(gitdir: Path, paths: re.Pattern[str], count: int, last: int) -> tuple[list[str], int]:
    """`count` commits spread evenly over the last `last` (0: all) first-parent commits that
    touched a path of `paths`, oldest first; and how many such commits there are."""
    out = git(gitdir, "log", "--first-parent", "--format=@%H", "--name-only", "HEAD").decode("utf-8", "replace")
    touching: list[str] = []
    commit = ""
    for line in out.splitlines():
        if line.startswith("@"):
            commit = line[1:]
        elif line and commit and paths.search(line) and not IMAGE_RE.search(line):
            touching.append(commit)
            commit = ""  # counted once
    touching.reverse()
    span = touching[-last:] if last else touching
    if count >= len(span):
        return span, len(touching)
    picks = [span[round(k * (len(span) - 1) / (count - 1))] for k in range(count)] if count > 1 else [span[-1]]
    return picks, len(touching)


def snapshot_files(gitdir: Path, commit: str, paths: re.Pattern[str]) -> dict[str, bytes]:
    """path -> bytes of every file of `commit` matching `paths`, images left out."""
    blobs: list[tuple[str, str]] = []
    for rec in git(gitdir, "ls-tree", "-r", "-z", commit).split(b"\0"):
        if not rec:
            continue
        meta, _, path_b = rec.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        path = path_b.decode("utf-8", "replace")
        if kind == "blob" and mode != "120000" and paths.search(path) and not IMAGE_RE.search(path):
            blobs.append((path, sha))
    out = git(gitdir, "cat-file", "--batch", data="".join(f"{sha}\n" for _, sha in blobs).encode())
    files: dict[str, bytes] = {}
    at = 0
    for path, _ in blobs:
        head_end = out.index(b"\n", at)
        head = out[at:head_end].split()
        if head[-1] == b"missing":  # a blob the mirror does not hold: left out, as prepare.sh does
            at = head_end + 1
            continue
        size = int(head[2])
        files[path] = out[head_end + 1 : head_end + 1 + size]
        at = head_end + 1 + size + 1
    return files


def lay_out(content: Path, files: dict[str, bytes], registry: str | None) -> None:
    """`content` holds exactly `files` (and the registry, when given)."""
    shutil.rmtree(content, ignore_errors=True)
    content.mkdir(parents=True)
    for rel, data in files.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if registry is not None:
        (content / REGISTRY_NAME).write_text(registry, encoding="utf-8")


# -- the oracle: which question of one snapshot is which of the next --------------------------------


@dataclass(slots=True)
class Q:
    """One question of one snapshot, as the oracle sees it."""

    source: str
    line: int
    title: str
    fold: str
    body: str
    lines: frozenset[str]
    lineage: int = -1


NUMBERING_RE = re.compile(r"^\s*(?:【[^】]{1,8}】|[(（]?\d{1,3}[.、．)）]|[一二三四五六七八九十]{1,3}[、.．])\s*")


def fold(text: str) -> str:
    """A title folded: a leading number (`【十七】`, `3.`, `三、`) left out, NFKC, case-folded,
    letters and digits only."""
    text = NUMBERING_RE.sub("", unicodedata.normalize("NFKC", text), count=1)
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def oracle_questions(sources: list[Source]) -> list[Q]:
    """The questions of one snapshot."""
    found = []
    for src in sources:
        for q in src.questions:
            kept = [line.rstrip() for line in q.body.splitlines() if line.strip()]
            lines = frozenset(line.strip() for line in kept if len(line.strip()) >= LINE_MIN)
            found.append(Q(src.path, q.line, q.title, fold(q.title), "\n".join(kept), lines))
    return found


KEYS = (
    lambda q: (q.source, q.fold, q.body),
    lambda q: (q.fold, q.body),
    lambda q: q.body if len(q.body) >= BODY_MIN else None,
    lambda q: (q.source, q.fold) if q.fold else None,
    lambda q: q.fold or None,
)


def pair_unique(prev: list[Q], cur: list[Q], key: object) -> None:
    """Give each unpaired question of `cur` the lineage of the one unpaired question of `prev` with
    its key, when the key is unique on both sides."""
    get = key  # a callable from KEYS
    left: dict[object, list[Q]] = defaultdict(list)
    right: dict[object, list[Q]] = defaultdict(list)
    taken = {q.lineage for q in cur if q.lineage >= 0}
    for q in prev:
        if q.lineage not in taken and (k := get(q)) is not None:  # type: ignore[operator]
            left[k].append(q)
    for q in cur:
        if q.lineage < 0 and (k := get(q)) is not None:  # type: ignore[operator]
            right[k].append(q)
    for k, qs in right.items():
        if len(qs) == 1 and len(left.get(k, ())) == 1:
            qs[0].lineage = left[k][0].lineage


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set's lines the two sets have in common."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def pair_similar(prev: list[Q], cur: list[Q]) -> None:
    """Pair the rest by shared answer lines, best first, at least half of the shorter answer."""
    taken = {q.lineage for q in cur if q.lineage >= 0}
    by_line: dict[str, list[Q]] = defaultdict(list)
    for q in prev:
        if q.lineage not in taken:
            for line in q.lines:
                by_line[line].append(q)
    pairs = []
    for n, q in enumerate(cur):
        if q.lineage >= 0:
            continue
        near = {id(p): p for line in q.lines for p in by_line.get(line, ())}
        for p in near.values():
            score = overlap(p.lines, q.lines)
            if score >= 0.5:
                pairs.append((-score, n, p.lineage, q, p))
    pairs.sort(key=lambda x: (x[0], x[1], x[2]))
    for _, _, lineage, q, _ in pairs:
        if q.lineage < 0 and lineage not in taken:
            q.lineage = lineage
            taken.add(lineage)


def pair_titles(prev: list[Q], cur: list[Q]) -> None:
    """Pair the rest by folded titles at least 85 % alike (difflib), best first, each once."""
    taken = {q.lineage for q in cur if q.lineage >= 0}
    left = [p for p in prev if p.lineage not in taken and p.fold]
    pairs = []
    for n, q in enumerate(cur):
        if q.lineage >= 0 or not q.fold:
            continue
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(q.fold)
        for p in left:
            matcher.set_seq1(p.fold)
            if matcher.real_quick_ratio() >= TITLE_ALIKE and matcher.ratio() >= TITLE_ALIKE:
                pairs.append((-matcher.ratio(), n, p.lineage, q))
    pairs.sort(key=lambda x: (x[0], x[1], x[2]))
    for _, _, lineage, q in pairs:
        if q.lineage < 0 and lineage not in taken:
            q.lineage = lineage
            taken.add(lineage)


class Lineages:
    """Lineage ids across snapshots: a question keeps its predecessor's, a new one gets a new id."""

    def __init__(self) -> None:
        self.snapshots: list[list[Q]] = []
        self.made = 0

    def add(self, cur: list[Q]) -> None:
        if self.snapshots:
            prev = self.snapshots[-1]
            for key in KEYS:
                pair_unique(prev, cur, key)
            pair_similar(prev, cur)
            pair_titles(prev, cur)
        for q in cur:
            if q.lineage < 0:
                q.lineage = self.made
                self.made += 1
        self.snapshots.append(cur)

    def last_seen(self) -> dict[int, Q]:
        """Each lineage's question as it last appeared."""
        seen: dict[int, Q] = {}
        for snap in self.snapshots:
            for q in snap:
                seen[q.lineage] = q
        return seen


# -- the workflows ----------------------------------------------------------------------------------


@dataclass
class Workflow:
    """What one workflow's builds published and the final build's docs."""

    name: str
    keep_registry: bool
    published: set[tuple[str, int, int]] = field(default_factory=set)  # (url, lineage, snapshot)
    index_urls: dict[tuple[str, str], int] = field(default_factory=dict)  # (url, source) -> snapshot
    final_pages: dict[str, tuple[str, int]] = field(default_factory=dict)  # url -> (source, line)
    final_index: dict[str, str] = field(default_factory=dict)  # source -> its page's url
    stale: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    wall: float = 0.0
    cpu: float = 0.0


def run_workflow(flow: Workflow, snaps: list[dict[str, bytes]], lineages: Lineages | None, work: Path) -> Lineages:
    """Generate every snapshot in order; the lineages are computed on the way when not given."""
    root = work / flow.name.replace(" ", "-")
    content, out = root / "content", root / "build" / "docs"
    opts = Options(root, content, root / "imgs")
    made = lineages or Lineages()
    registry: str | None = None
    wall, cpu = time.perf_counter(), time.process_time()
    for n, files in enumerate(snaps):
        lay_out(content, files, registry if flow.keep_registry else None)
        result = generate(opts, out)
        flow.seconds.append(result.seconds)
        if lineages is None:
            made.add(oracle_questions(result.sources))
        registry = (content / REGISTRY_NAME).read_text(encoding="utf-8")
        stale = [d.message for d in result.diagnostics if d.code == "registry-stale"]
        flow.stale.append(stale[0] if stale else "")
        where = {(q.source, q.line): q.lineage for q in made.snapshots[n]}
        for entry in result.plan.questions:
            flow.published.add((entry["url"], where[(entry["source"], entry["source_line"])], n))
            flow.index_urls.setdefault((entry["source_url"], entry["source"]), n)
        if n == len(snaps) - 1:
            flow.final_pages = {e["url"]: (e["source"], e["source_line"]) for e in result.plan.questions}
            flow.final_index = {e["source"]: e["source_url"] for e in result.plan.questions}
    flow.wall, flow.cpu = time.perf_counter() - wall, time.process_time() - cpu
    return made


# -- following URLs ---------------------------------------------------------------------------------


def land(docs: Path, url: str) -> tuple[str | None, list[str]]:
    """Where `url` ends in the docs dir after its redirect pages (None: a 404), and the notices."""
    notices: list[str] = []
    for _ in range(6):
        where = docs / url.strip("/")
        if (where / "index.md").is_file():
            return url, notices
        if not (where / "index.html").is_file():
            return None, notices
        url, notice = refresh_target(where / "index.html", url)
        notices.append(notice)
    return None, notices  # a redirect loop counts as a 404


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, verdict: str, example: str, keep: int) -> None:
        self.counts[verdict] += 1
        if verdict != "right" and len(self.examples[verdict]) < keep:
            self.examples[verdict].append(example)


def judge_questions(flow: Workflow, lineages: Lineages, docs: Path, keep: int) -> Tally:
    """Every (URL, question) any build of `flow` published, followed and judged."""
    final = {q.lineage: q for q in lineages.snapshots[-1]}
    by_place = {(q.source, q.line): q for q in lineages.snapshots[-1]}
    last = lineages.last_seen()
    inverse = {by_place[place].lineage: url for url, place in flow.final_pages.items()}
    at = [{q.lineage: q for q in snap} for snap in lineages.snapshots]
    tally = Tally()
    first: dict[tuple[str, int], int] = {}
    for url, lin, n in sorted(flow.published, key=lambda x: x[2]):
        first.setdefault((url, lin), n)
    for (url, lin), n in sorted(first.items(), key=lambda x: (x[1], x[0])):
        end, notices = land(docs, url)
        deleted = any(words.DELETED_LINK in notice for notice in notices)
        page = flow.final_pages.get(end or "")
        landed = by_place[page] if page else None
        q, then = last[lin], at[n][lin]
        shown = f"snapshot {n}: {then.source}:{then.line} 「{then.title}」 {url} -> "
        shown += (end or "404") + (f" 「{front_title(docs / end.strip('/') / 'index.md')}」" if end else "")
        if deleted:
            shown += " [deletion notice]"
        if end is None:
            verdict = "404"
        elif lin in final:
            if end == inverse.get(lin):
                verdict = "right"
            elif deleted:
                verdict = "deleted notice"
            else:
                verdict = "same title" if landed is not None and landed.fold == at[n][lin].fold else "wrong page"
        elif deleted or (landed is not None and (landed.fold == q.fold or overlap(q.lines, landed.lines) >= 0.5)):
            verdict = "right"
        else:
            verdict = "wrong page"
        if lin not in final:
            shown += " (oracle: gone)"
        tally.add(verdict, shown, keep)
    return tally


def judge_index(flow: Workflow, lineages: Lineages, docs: Path, keep: int) -> Tally:
    """Every index URL (a source's page) any build published, followed and judged."""
    final = {q.lineage: q.source for q in lineages.snapshots[-1]}
    tally = Tally()
    for (url, source), n in sorted(flow.index_urls.items(), key=lambda x: (x[1], x[0])):
        held = Counter(final[q.lineage] for q in lineages.snapshots[n] if q.source == source and q.lineage in final)
        fair = {flow.final_index.get(path) for path, k in held.items() if 4 * k >= sum(held.values())}
        fair.add(flow.final_index.get(source))  # the same file, when it is still there
        end, _ = land(docs, url)
        shown = f"snapshot {n}: {source} {url} -> {end or '404'}"
        if end is None:
            verdict = "404"
        elif not held or end in fair:
            verdict = "right"
        else:
            verdict = "wrong page"
            shown += f" (oracle: {flow.final_index.get(held.most_common(1)[0][0])})"
        tally.add(verdict, shown, keep)
    return tally


# -- the report -------------------------------------------------------------------------------------


def header(gitdir: Path, commits: list[str], touching: int, span: int) -> None:
    print(f"date      {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"machine   {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    print(f"qadocs    {head.stdout.strip()} ({ROOT})")
    print(f"mirror    {gitdir}")
    print(
        f"history   {touching} first-parent commits touch the files laid out; {len(commits)} snapshots over the last {span}:"
    )
    for n, commit in enumerate(commits):
        line = git(gitdir, "log", "-1", "--format=%h %ad %s", "--date=short", commit).decode("utf-8", "replace").strip()
        print(f"    {n:>2}  {line[:90]}")


COLUMNS = ("right", "same title", "wrong page", "deleted notice", "404")


def table(rows: list[tuple[str, int, Tally, Workflow]]) -> None:
    print(
        f"\n{'workflow':<16} {'kind':<9} {'snaps':>5} {'URLs':>6} "
        + " ".join(f"{c:>15}" for c in COLUMNS)
        + f" {'wall s':>7} {'CPU s':>7}"
    )
    for kind, snaps, tally, flow in rows:
        total = sum(tally.counts.values())
        cells = " ".join(f"{tally.counts[c]:>15}" for c in COLUMNS)
        print(f"{flow.name:<16} {kind:<9} {snaps:>5} {total:>6} {cells} {flow.wall:>7.1f} {flow.cpu:>7.1f}")


def main(argv: list[str] | None = None) -> int:
    mirrors = Path(os.environ.get("QADOCS_MIRRORS", "/work/.mirror"))
    default_git = mirrors / DEFAULT_REPO / "repo"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--git", type=Path, default=default_git, help="git dir of the collection's mirror")
    parser.add_argument("--paths", help="regex of the paths laid out (default: prepare.sh's for WeThinkIn, else .md)")
    parser.add_argument("-n", "--snapshots", type=int, default=10)
    parser.add_argument("--last", type=int, default=0, help="spread over the last K commits (0: the whole history)")
    parser.add_argument("--examples", type=int, default=8, help="examples printed per kind of miss")
    parser.add_argument("--keep", type=Path, help="work here and keep it (default: a temp dir, removed)")
    args = parser.parse_args(argv)
    if not (args.git / "HEAD").is_file():
        print(f"no git mirror at {args.git} (set QADOCS_MIRRORS or --git)")
        return 0
    paths = re.compile(args.paths or (WETHINKIN_PATHS if DEFAULT_REPO in str(args.git) else r"\.md$"))
    commits, touching = pick_commits(args.git, paths, args.snapshots, args.last)
    header(args.git, commits, touching, args.last or touching)
    snaps = [snapshot_files(args.git, c, paths) for c in commits]
    work = args.keep or Path(tempfile.mkdtemp(prefix="qadocs-history-"))
    try:
        flows = [Workflow("committed", True), Workflow("never committed", False)]
        lineages = run_workflow(flows[0], snaps, None, work)
        run_workflow(flows[1], snaps, lineages, work)
        counts = [len(s) for s in lineages.snapshots]
        print(f"questions per snapshot: {counts}; lineages (questions ever, by the oracle): {lineages.made}")
        print("\nregistry-stale, never committed:")
        for n, msg in enumerate(flows[1].stale):
            print(f"    {n:>2}  {msg[:110] or '(none)'}")
        rows = []
        for flow in flows:
            docs = work / flow.name.replace(" ", "-") / "build" / "docs"
            q = judge_questions(flow, lineages, docs, args.examples)
            i = judge_index(flow, lineages, docs, args.examples)
            rows += [("questions", len(snaps), q, flow), ("index", len(snaps), i, flow)]
            builds = ", ".join(f"{s:.1f}" for s in flow.seconds)
            print(f"\n{flow.name}: generate() seconds per snapshot: {builds}")
            for kind, tally in (("question", q), ("index", i)):
                for verdict, shown in tally.examples.items():
                    print(f"  {kind} URLs, {verdict} ({tally.counts[verdict]}), e.g.:")
                    for line in shown:
                        print(f"      {line}")
        table(rows)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
