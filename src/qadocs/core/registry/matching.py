"""Which registered entry each of this build's questions is: by answer and title, then answer,
then title, then titles alike enough (a typo, a few words)."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable

from qadocs.core.model import EMPTY_ANSWER, folded
from qadocs.core.registry.entries import TITLE_THRESHOLD
from qadocs.core.registry.records import Candidate, Entry, Registry
from qadocs.core.text.similar import candidate_pairs, ratio_at_least

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


MATCH_KEYS: tuple[Key, ...] = (_both_key, _answer_key, _title_key)  # tried in this order


def _pairs_by_key(candidates: list[Candidate], open_: list[int], pool: list[Entry], key: Key) -> dict[int, Entry]:
    """Candidate index -> the one entry of `pool` with the candidate's key.

    A key that two entries share matches nothing (ambiguous); an entry goes to the first
    candidate (in `open_` order) with its key."""
    by_key: dict[str, list[Entry]] = defaultdict(list)
    for e in pool:
        k = key(e)
        if k is not None:
            by_key[k].append(e)
    pairs: dict[int, Entry] = {}
    for i in open_:
        k = key(candidates[i])
        hits = by_key.get(k, []) if k is not None else []
        if len(hits) == 1:
            pairs[i] = hits.pop()
    return pairs


def title_likeness(a: str, b: str) -> float | None:
    """difflib's ratio of two titles when it is at least `TITLE_THRESHOLD`, else None.

    The cheap upper bounds are asked first: most pairs stop there."""
    return ratio_at_least(difflib.SequenceMatcher(None, a, b), TITLE_THRESHOLD)


def _pairs_by_likeness(candidates: list[Candidate], open_: list[int], pool: list[Entry]) -> dict[int, Entry]:
    """Candidate index -> entry of `pool` with a title at least `TITLE_THRESHOLD` alike.

    Best pairs first (ties: lower candidate index, then lower URL); each side used once."""
    left = [folded(candidates[i].title) for i in open_]
    right = [folded(e.title) for e in pool]
    scored: list[tuple[float, int, str, Entry]] = []
    for a, b in candidate_pairs(left, right):  # every pair when few, else those sharing bigrams
        ratio = title_likeness(left[a], right[b])
        if ratio is not None:
            scored.append((-ratio, open_[a], pool[b].url, pool[b]))
    pairs: dict[int, Entry] = {}
    given: set[int] = set()  # id() of the entries handed out
    for _, i, _, e in sorted(scored, key=lambda p: (p[0], p[1], p[2])):
        if i not in pairs and id(e) not in given:
            pairs[i] = e
            given.add(id(e))
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
