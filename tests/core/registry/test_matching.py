"""Which entry each question is (`qadocs.core.registry.matching`): exact keys in order (title and
answer first), then titles alike above TITLE_THRESHOLD, best pairs first."""

from __future__ import annotations

import pytest

from qadocs.core.model import EMPTY_ANSWER, fingerprint
from qadocs.core.registry.entries import TITLE_THRESHOLD
from qadocs.core.registry.matching import _pairs_by_key, _title_key, match_entries, title_likeness
from qadocs.core.registry.records import Candidate, Registry
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


def test_a_key_two_entries_share_matches_nothing_unless_the_source_tells() -> None:
    twins = [entry("sec/two", "Twin", A1), entry("sec/one", "Twin", A2)]
    assert _pairs_by_key([cand("Twin", A3)], [0], twins, _title_key) == {}
    found, _ = match_entries([cand("Twin", A3)], Registry(twins))
    assert found == [None]  # equally alike: nothing tells which one it is
    twins[0].source = "b.md"
    assert _pairs_by_key([cand("Twin", A3, source="b.md")], [0], twins, _title_key) == {0: twins[0]}


def test_an_entry_two_candidates_share_goes_to_the_one_in_its_source() -> None:
    e = entry("sec/q", "Title", A1, source="b.md")
    found, _ = match_entries([cand("Other", A1), cand("Another", A1)], Registry([e]))
    assert found == [None, None]  # nothing tells the two apart: no guess by order
    found, _ = match_entries([cand("Other", A1), cand("Another", A1, source="b.md")], Registry([e]))
    assert found == [None, e]


def test_candidates_and_entries_sharing_a_key_pair_by_source_then_chapter_then_what_is_left() -> None:
    entries = [entry("sec/a", "T", A1, source="a.md"), entry("sec/b", "T", A2, source="b.md")]
    renamed = [cand("T", A3, source="c.md"), cand("T", A3, source="a.md")]  # b.md renamed to c.md
    assert match_entries(renamed, Registry(entries))[0] == [entries[1], entries[0]]
    both_renamed = [cand("T", A3, source="c.md"), cand("T", A3, source="d.md")]
    assert match_entries(both_renamed, Registry(entries))[0] == [None, None]
    entries[0].chapter, entries[1].chapter = "一", "二"
    in_chapters = [Candidate("T", A3, "d.md", "二", "sec"), Candidate("T", A3, "c.md", "一", "sec")]
    assert match_entries(in_chapters, Registry(entries))[0] == [entries[1], entries[0]]


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


def test_likeness_ties_are_told_apart_by_source_or_not_at_all() -> None:
    b, a = entry("sec/b", "abcdefghiX", A1, source="b.md"), entry("sec/a", "abcdefghiY", A2, source="a.md")
    found, _ = match_entries([cand("abcdefghiZ", A3, source="b.md")], Registry([b, a]))
    assert found == [b]
    found, _ = match_entries([cand("abcdefghiZ", A3, source="c.md")], Registry([b, a]))
    assert found == [None]  # equally alike, from neither source: no guess
    two = [cand("abcdefghiZ", A3, source="c.md"), cand("abcdefghiW", A3, source="d.md")]
    assert match_entries(two, Registry([b]))[0] == [None, None]
