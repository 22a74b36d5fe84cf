"""Which entry each question is (`qadocs.core.registry.matching`): exact keys in order (title and
answer first), then titles alike above TITLE_THRESHOLD, best pairs first."""

from __future__ import annotations

import pytest

from qadocs.core.model import EMPTY_ANSWER, fingerprint
from qadocs.core.registry.entries import TITLE_THRESHOLD
from qadocs.core.registry.matching import _pairs_by_key, _title_key, match_entries, title_likeness
from qadocs.core.registry.records import Registry
from records import A1, A2, A3, cand, entry

# -- matching ---------------------------------------------------------------------------------------


def test_exact_keys_in_order_title_and_answer_first() -> None:
    same = entry("sec/same", "Same title", A1)
    by_answer = entry("sec/by-answer", "Old title", A2)
    by_title = entry("sec/by-title", "Kept title", A3)
    cands = [cand("Kept  title", fingerprint("rewritten")), cand("New title", A2), cand("Same title", A1)]
    found, revived = match_entries(cands, Registry([by_title, by_answer, same]))
    assert found == [by_title, by_answer, same]
    assert revived == set()


def test_a_key_two_entries_share_matches_nothing() -> None:
    twins = [entry("sec/two", "Twin", A1), entry("sec/one", "Twin", A2)]
    assert _pairs_by_key([cand("Twin", A3)], [0], twins, _title_key) == {}
    found, _ = match_entries([cand("Twin", A3)], Registry(twins))
    assert found == [twins[1]]  # title likeness decides then: equally alike, the lower URL


def test_an_entry_goes_to_the_first_candidate_with_its_key() -> None:
    e = entry("sec/q", "Title", A1)
    found, _ = match_entries([cand("Other", A1), cand("Another", A1)], Registry([e]))
    assert found == [e, None]


def test_empty_answers_recognise_nothing() -> None:
    e = entry("sec/q", "Completely different", EMPTY_ANSWER)
    found, _ = match_entries([cand("Unrelated question", EMPTY_ANSWER)], Registry([e]))
    assert found == [None]


def test_title_likeness_threshold() -> None:
    assert title_likeness("什么是扩散模型", "什么是扩散模型？") == pytest.approx(2 * 7 / 15)
    assert title_likeness("什么是扩散模型", "什么是注意力机制") is None
    ratio = title_likeness("abcdefghij", "abcdefghXY")
    assert ratio is not None and ratio == pytest.approx(TITLE_THRESHOLD)


def test_likeness_gives_best_pairs_first_each_entry_once() -> None:
    close = entry("sec/b", "abcdefghij", A1)
    farther = entry("sec/a", "abcdefghxy", A2)
    cands = [cand("abcdefghiX", A3), cand("abcdefghij!", A3)]
    found, _ = match_entries(cands, Registry([farther, close]))
    # "abcdefghij!" is closest to `close` (ratio .95) and takes it; the other gets `farther` (.8)
    assert found == [farther, close]


def test_likeness_ties_go_to_the_lower_url() -> None:
    b, a = entry("sec/b", "abcdefghiX", A1), entry("sec/a", "abcdefghiY", A2)
    found, _ = match_entries([cand("abcdefghiZ", A3)], Registry([b, a]))
    assert found == [a]
