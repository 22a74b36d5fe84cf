"""Which registered entry each of this build's questions is: by answer and title, then answer,
then title, then the title folded (widths, case, punctuation, simplified or traditional), then
titles alike enough (a typo, a few words)."""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import groupby

from qadocs.core.model import EMPTY_ANSWER, folded
from qadocs.core.registry.entries import TITLE_ALONE, TITLE_THRESHOLD
from qadocs.core.registry.records import Candidate, Entry, Registry
from qadocs.core.text.similar import candidate_pairs, ratio_at_least
from qadocs.core.text.titlekey import sound_key, title_key

# -- matching candidates to entries ----------------------------------------------------------------

Key = Callable[[Candidate | Entry], str | None]  # what a question is recognised by; None: by nothing


def _both_key(x: Candidate | Entry) -> str | None:
    """Title and answer together."""
    return folded(x.title) + "\0" + x.answer


def _answer_key(x: Candidate | Entry) -> str | None:
    """The answer's fingerprint; empty answers say nothing."""
    return x.answer if x.answer != EMPTY_ANSWER else None


def _title_key(x: Candidate | Entry) -> str | None:
    """The title, white space folded."""
    return folded(x.title)


def _folded_title_key(x: Candidate | Entry) -> str | None:
    """The title read alike across widths, case, spaces and punctuation (`text/titlekey`); a
    title of no letters says nothing."""
    return title_key(x.title) or None


def _sound_title_key(x: Candidate | Entry) -> str | None:
    """A long title read alike in simplified and traditional characters (toneless pinyin,
    `text/titlekey.sound_key`); a short one says nothing."""
    return sound_key(x.title)


# tried in this order
MATCH_KEYS: tuple[Key, ...] = (_both_key, _answer_key, _title_key, _folded_title_key, _sound_title_key)


Where = Callable[[Candidate | Entry], object]  # what tells apart questions that share a key


def _source(x: Candidate | Entry) -> object:
    return x.source


def _chapter(x: Candidate | Entry) -> object:
    return x.chapter


WHERE: tuple[Where, ...] = (_source, _chapter)  # tried in this order


def _told_apart(candidates: list[Candidate], group: list[int], entries: list[Entry], where: Where) -> dict[int, Entry]:
    """Candidate index -> entry, for each candidate of `group` that is the only one, and has the
    only entry of `entries`, with its value of `where`."""
    cands_at: dict[object, list[int]] = defaultdict(list)
    entries_at: dict[object, list[Entry]] = defaultdict(list)
    for i in group:
        cands_at[where(candidates[i])].append(i)
    for e in entries:
        entries_at[where(e)].append(e)
    return {
        cands[0]: entries_at[at][0]
        for at, cands in cands_at.items()
        if len(cands) == 1 and len(entries_at.get(at, ())) == 1
    }


def _pair_group(candidates: list[Candidate], group: list[int], entries: list[Entry]) -> dict[int, Entry]:
    """Candidate index -> entry, for candidates and entries that share one key: by source, then by
    chapter, each pairing only what it tells apart; the one candidate and one entry left pair."""
    pairs: dict[int, Entry] = {}
    for where in WHERE:
        if len(group) < 2 and len(entries) < 2:
            break
        found = _told_apart(candidates, group, entries, where)
        pairs.update(found)
        given = {id(e) for e in found.values()}
        group = [i for i in group if i not in found]
        entries = [e for e in entries if id(e) not in given]
    if len(group) == 1 and len(entries) == 1:
        pairs[group[0]] = entries[0]
    return pairs


def _pairs_by_key(candidates: list[Candidate], open_: list[int], pool: list[Entry], key: Key) -> dict[int, Entry]:
    """Candidate index -> an entry of `pool` with the candidate's key, each entry used once.

    A key one candidate and one entry have pairs them; where several share it, `_pair_group`
    tells them apart by where they are, and pairs nothing it cannot tell apart: never by order."""
    by_key: dict[str, list[Entry]] = defaultdict(list)
    for e in pool:
        k = key(e)
        if k is not None:
            by_key[k].append(e)
    groups: dict[str, list[int]] = defaultdict(list)
    for i in open_:
        k = key(candidates[i])
        if k is not None and k in by_key:
            groups[k].append(i)
    pairs: dict[int, Entry] = {}
    for k, group in groups.items():
        pairs.update(_pair_group(candidates, group, by_key[k]))
    return pairs


def title_likeness(a: str, b: str) -> float | None:
    """difflib's ratio of two titles when it is at least `TITLE_THRESHOLD`, else None.

    The cheap upper bounds are asked first: most pairs stop there."""
    return ratio_at_least(difflib.SequenceMatcher(None, a, b), TITLE_THRESHOLD)


def _answers_meet(c: Candidate, e: Entry) -> bool:
    """The candidate's answer holds a line of the entry's (its sketch), or the entry keeps no
    sketch to tell (written by an older qadocs): titles only somewhat alike (`什么是智能指针？`,
    `什么是虚指针？`) name one question only when their answers meet."""
    return not e.lines or not c.line_set.isdisjoint(e.lines.split())


def _pairs_by_likeness(candidates: list[Candidate], open_: list[int], pool: list[Entry]) -> dict[int, Entry]:
    """Candidate index -> entry of `pool` with a title at least `TITLE_ALONE` alike, or at least
    `TITLE_THRESHOLD` alike with answers that meet.

    Best pairs first, then those in the same source, then the same chapter; each side used once.
    Pairs that tie on all three and share a side are not told apart: neither is made, and both
    sides are left unpaired (never by order)."""
    left = [folded(candidates[i].title) for i in open_]
    right = [folded(e.title) for e in pool]
    scored: list[tuple[float, bool, bool, int, Entry]] = []
    for a, b in candidate_pairs(left, right):  # every pair when few, else those sharing bigrams
        ratio = title_likeness(left[a], right[b])
        c, e = candidates[open_[a]], pool[b]
        if ratio is not None and (ratio >= TITLE_ALONE or _answers_meet(c, e)):
            scored.append((-ratio, c.source != e.source, c.chapter != e.chapter, open_[a], e))
    pairs: dict[int, Entry] = {}
    used: set[tuple[str, int]] = set()  # ("c", candidate index), ("e", id(entry)): paired, or left for a tie
    scored.sort(key=lambda p: p[:3])
    for _, tied in groupby(scored, key=lambda p: p[:3]):
        free = [(i, e) for *_, i, e in tied if ("c", i) not in used and ("e", id(e)) not in used]
        sides = Counter([("c", i) for i, _ in free] + [("e", id(e)) for _, e in free])
        pairs.update({i: e for i, e in free if sides[("c", i)] == 1 and sides[("e", id(e))] == 1})
        used.update(sides)
    return pairs


def _match_pool(candidates: list[Candidate], open_: list[int], pool: list[Entry]) -> dict[int, Entry]:
    """Candidate index -> entry of `pool`, for the candidates in `open_`: by each of `MATCH_KEYS`
    in turn, then by title likeness; each entry used once."""
    matched: dict[int, Entry] = {}
    for key in MATCH_KEYS:
        pairs = _pairs_by_key(candidates, open_, pool, key)
        matched.update(pairs)
        given = {id(e) for e in pairs.values()}
        open_ = [i for i in open_ if i not in pairs]
        pool = [e for e in pool if id(e) not in given]
    matched.update(_pairs_by_likeness(candidates, open_, pool))
    return matched


def _match_stamps(candidates: list[Candidate], reg: Registry) -> tuple[dict[int, Entry], set[int]]:
    """Candidate index -> the entry (live, else deleted) whose id is the candidate's stamp, and
    the indexes of those whose entry was a deleted one. A stamp is the strongest key: it is the
    id the content itself carries, whatever its title, answer, file or script became."""
    live = {e.id: e for e in reversed(reg.questions)}  # the first entry of an id, as everywhere
    gone = {e.id: e for e in reversed(reg.deleted)}
    pairs: dict[int, Entry] = {}
    revived: set[int] = set()
    for i, cand in enumerate(candidates):
        if cand.stamp is None:
            continue
        entry = live.pop(cand.stamp, None)
        if entry is None and cand.stamp in gone:
            entry = gone.pop(cand.stamp)
            revived.add(i)
        if entry is not None:
            pairs[i] = entry
    return pairs, revived


def match_entries(candidates: list[Candidate], reg: Registry) -> tuple[list[Entry | None], set[int]]:
    """Each candidate's registered entry (None: a new question), and the indexes of the candidates
    whose entry was a deleted one (revived). Stamps first, then live entries, then deleted ones."""
    everyone = list(range(len(candidates)))
    stamped, stamp_revived = _match_stamps(candidates, reg)
    used = {id(e) for e in stamped.values()}
    open_ = [i for i in everyone if i not in stamped]
    live = _match_pool(candidates, open_, [e for e in reg.questions if id(e) not in used])
    gone = [e for e in reg.deleted if id(e) not in used]
    revived = _match_pool(candidates, [i for i in open_ if i not in live], gone)
    found = [stamped.get(i) or live.get(i) or revived.get(i) for i in everyone]
    return found, set(revived) | stamp_revived
