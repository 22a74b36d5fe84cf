"""Which titles are worth comparing: pairs found through shared character bigrams, not all pairs.

`difflib` decides whether two titles are alike; this module only keeps that from being asked
for every pair of a large collection. Titles that are at least 80-90 % alike share most of their
bigrams, so a posting list per bigram finds them in time linear in the collection (bigrams that
stand in very many titles, such as `什么`, are skipped: they say nothing about likeness).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from difflib import SequenceMatcher

SHARED_BIGRAMS = 0.6  # a pair is compared when it shares this share of the smaller title's bigrams
COMMON_BIGRAM = 300  # a bigram in more titles than this is skipped
EXHAUSTIVE_PAIRS = 200_000  # up to this many pairs, every pair is compared (exact, and cheap enough)


def ratio_at_least(matcher: SequenceMatcher[str], floor: float) -> float | None:
    """difflib's ratio of `matcher`'s two texts when it is at least `floor`, else None. Its cheap
    upper bounds are asked first: most pairs stop there."""
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= floor else None


def bigrams(title: str) -> set[str]:
    """The character bigrams of a title, case and white space folded."""
    text = "".join(title.lower().split())
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def candidate_pairs(left: Sequence[str], right: Sequence[str]) -> Iterator[tuple[int, int]]:
    """(i, j) pairs of `left[i]`, `right[j]` titles worth comparing, in a deterministic order.

    Small inputs get every pair; large ones the pairs sharing enough uncommon bigrams."""
    if len(left) * len(right) <= EXHAUSTIVE_PAIRS:
        for i in range(len(left)):
            for j in range(len(right)):
                yield i, j
        return
    right_grams = [bigrams(t) for t in right]
    postings: dict[str, list[int]] = defaultdict(list)
    for j, grams in enumerate(right_grams):
        for gram in grams:
            postings[gram].append(j)
    # Likeness is judged on the bigrams that say something: those in at most COMMON_BIGRAM titles.
    telling = [sum(len(postings[g]) <= COMMON_BIGRAM for g in grams) for grams in right_grams]
    for i, title in enumerate(left):
        shared: dict[int, int] = defaultdict(int)
        own = 0
        for gram in bigrams(title):
            posting = postings.get(gram, ())
            if len(posting) > COMMON_BIGRAM:
                continue
            own += 1
            for j in posting:
                shared[j] += 1
        for j in sorted(shared):
            if shared[j] >= SHARED_BIGRAMS * min(own, telling[j]):
                yield i, j
