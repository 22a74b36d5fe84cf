"""A question whose entry no question of this build takes, but whose content lives on in another
question (two questions merged into one, a question copied to another file and then deleted):
its URLs forward to that question instead of saying it was deleted.

What lives on is told by the title, read alike across widths, case, spaces, punctuation and
simplified or traditional characters (`text/titlekey.title_key`), or by the answer: each entry
keeps a sketch of its answer (`lines`: the `SKETCH_SIZE` smallest hashes of its lines of at
least `MIN_LINE` characters), and a live answer that holds at least `CONTAINED` of a deleted
entry's sketch holds its answer. Lines that many answers share (a reference, a closing remark)
say nothing and are not counted. Where two live questions fit equally, nothing forwards.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter, defaultdict

from qadocs.core.model import Memo
from qadocs.core.registry.records import Candidate, Change, Entry
from qadocs.core.text.titlekey import sound_key, title_key

SKETCH_SIZE = 8  # line hashes an entry keeps of its answer
MIN_LINE = 8  # characters (white space folded) from which a line of an answer counts
CONTAINED = 0.75  # share of a deleted entry's sketch a live answer must hold
COMMON_LINE = 3  # a line in more live answers than this says nothing of where an answer went


def answer_lines(body: str) -> tuple[str, frozenset[str]]:
    """The sketch an entry keeps of an answer, and the hashes of all its counted lines."""
    return _LINES(body)


def _answer_lines(body: str) -> tuple[str, frozenset[str]]:
    hashes = set()
    for line in body.split("\n"):
        norm = " ".join(line.split())
        if len(norm) >= MIN_LINE:
            hashes.add(f"{zlib.crc32(norm.encode('utf-8')):08x}")
    return " ".join(sorted(hashes)[:SKETCH_SIZE]), frozenset(hashes)


# Each answer hashed once per process: `serve` rebuilds ask again for the answers that did not change.
_LINES: Memo[str, tuple[str, frozenset[str]]] = Memo(_answer_lines)


def _only(found: list[int] | None) -> int | None:
    return found[0] if found is not None and len(found) == 1 else None


class _Live:
    """The live questions of this build, by title key and by the lines of their answers (built
    only when an entry asks)."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.candidates = candidates
        self._titles: dict[str, list[int]] | None = None
        self._sounds: dict[str | None, list[int]] | None = None
        self._lines: dict[str, list[int]] | None = None

    def by_title(self, title: str) -> int | None:
        """The one live question whose title is `title` folded, else (a long title) read alike
        in simplified or traditional characters; a title of no letters or digits says nothing."""
        key = title_key(title)
        if not key:
            return None
        if self._titles is None:
            self._titles = defaultdict(list)
            for i, cand in enumerate(self.candidates):
                self._titles[title_key(cand.title)].append(i)
        found = _only(self._titles.get(key))
        sound = sound_key(title) if found is None else None
        if sound is None:
            return found
        if self._sounds is None:
            self._sounds = defaultdict(list)
            for i, cand in enumerate(self.candidates):
                self._sounds[sound_key(cand.title)].append(i)
        return _only(self._sounds.get(sound))

    def by_answer(self, sketch: str) -> int | None:
        hashes = sketch.split()
        if not hashes:
            return None
        if self._lines is None:
            self._lines = defaultdict(list)
            for i, cand in enumerate(self.candidates):
                for h in cand.line_set:
                    self._lines[h].append(i)
        counts: Counter[int] = Counter()
        for h in hashes:
            holders = self._lines.get(h, [])
            if len(holders) <= COMMON_LINE:
                counts.update(holders)
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < max(1, math.ceil(CONTAINED * len(hashes))):
            return None
        if len(ranked) == 2 and ranked[1][1] == ranked[0][1]:
            return None  # two answers hold it alike: which one it went to cannot be told
        return ranked[0][0]


def forward_deleted(
    deleted: list[Entry], candidates: list[Candidate], entries: list[Entry]
) -> tuple[list[Entry], list[Change]]:
    """Of the entries this build deletes, those that stay deleted; the others' URLs join the
    `old_urls` of the live entry (of `entries`, one per candidate) their content lives on in, each
    reported as `merged`. Entries deleted by an earlier build are not asked again (a question that
    comes back is revived by matching)."""
    live = _Live(candidates)
    kept: list[Entry] = []
    changes: list[Change] = []
    for gone in deleted:
        at = live.by_title(gone.title)
        if at is None:
            at = live.by_answer(gone.lines)
        if at is None:
            kept.append(gone)
            continue
        target = entries[at]
        target.old_urls = [*target.old_urls, *(u for u in gone.all_urls() if u != target.url)]
        changes.append(Change("merged", gone.url, f"{gone.title} → /{target.url}/ (its content lives on there)"))
    return kept, changes
