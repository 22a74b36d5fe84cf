"""The registry's stages one by one: hand-edited ids, matching, new ids, left-overs, the report."""

from __future__ import annotations

import pytest

from qadocs.core.model import EMPTY_ANSWER, fingerprint
from qadocs.core.registry.assign import _NewIds, _suffixed, assign
from qadocs.core.registry.entries import MAX_ID, MAX_NEW_ID, TITLE_THRESHOLD, validate
from qadocs.core.registry.matching import _pairs_by_key, _title_key, match_entries, title_likeness
from qadocs.core.registry.records import Candidate, Entry, Registry
from qadocs.core.registry.renames import apply_renames
from qadocs.core.text.slug import MAX_SLUG

A1, A2, A3 = fingerprint("answer one"), fingerprint("answer two"), fingerprint("answer three")


def entry(url: str, title: str, answer: str = A1, source: str = "a.md", line: int = 1) -> Entry:
    return Entry(url.rsplit("/", 1)[-1], url, title, answer, source, None, [], line)


def cand(title: str, answer: str = A1, source: str = "a.md", section_dir: str = "sec") -> Candidate:
    return Candidate(title, answer, source, None, section_dir)


def slug(title: str) -> str:
    return "-".join(title.lower().split()) or "q"


# -- constants --------------------------------------------------------------------------------------


def test_id_lengths_relate_as_documented() -> None:
    assert MAX_SLUG < MAX_NEW_ID < MAX_ID
    assert len("-") + 12 == MAX_NEW_ID - MAX_SLUG  # a 12-digit suffix fits a full-length slug uncut
    assert _suffixed("a" * MAX_SLUG, 10**11) == "a" * MAX_SLUG + "-" + str(10**11)
    assert len(_suffixed("a" * MAX_SLUG, 10**12)) == MAX_NEW_ID  # beyond, the slug is cut


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


def test_live_entries_first_then_deleted_ones_revive() -> None:
    live, gone = entry("sec/live", "Live", A1), entry("sec/gone", "Gone", A2)
    found, revived = match_entries([cand("Gone", A2), cand("Live", A1), cand("New", A3)], Registry([live], [gone]))
    assert found == [gone, live, None]
    assert revived == {0}


# -- new ids ----------------------------------------------------------------------------------------


def test_new_ids_skip_registered_ids_and_taken_urls_and_resume() -> None:
    new_ids = _NewIds(slug, ids={"q"}, taken={"sec/q-2"})
    urls = [new_ids.entry(cand("q")).url for _ in range(3)]
    assert urls == ["sec/q-3", "sec/q-4", "sec/q-5"]
    assert new_ids.suffixes == {("sec", "q"): 5}
    assert {"sec/q-3", "sec/q-4", "sec/q-5"} <= new_ids.taken and {"q-3", "q-4", "q-5"} <= new_ids.ids
    other = new_ids.entry(cand("q", section_dir="other"))
    assert (other.id, other.url) == ("q-2", "other/q-2")  # ids are unique across folders


# -- hand-edited ids --------------------------------------------------------------------------------


def test_hand_edited_id_moves_the_url_and_keeps_the_old_one() -> None:
    e = entry("sec/old", "T")
    e.id, e.old_urls = "new", ["sec/older"]
    diags, changes = apply_renames(Registry([e]), "reg.yml", set())
    assert diags == []
    assert [(c.kind, c.url, c.detail) for c in changes] == [("renamed", "sec/new", "was /sec/old/ (redirects)")]
    assert (e.id, e.url, e.old_urls) == ("new", "sec/new", ["sec/old", "sec/older"])


def test_hand_edited_id_back_to_a_former_url_drops_it_from_old_urls() -> None:
    e = entry("sec/now", "T")
    e.id, e.old_urls = "before", ["sec/before"]
    apply_renames(Registry([e]), "reg.yml", set())
    assert (e.url, e.old_urls) == ("sec/before", ["sec/now"])


BAD_ID = "must be lower-case ASCII letters, digits and '-' (e.g. 'kuosan-moxing')"


@pytest.mark.parametrize(
    ("new_id", "taken", "problem"),
    [
        ("Bad_Id", set(), BAD_ID),
        ("x" * (MAX_ID + 1), set(), BAD_ID),
        ("other", set(), "would reuse the URL /sec/other/ of another question"),
        ("gone", set(), "would reuse the URL /sec/gone/ of another question"),
        ("index", {"sec/index"}, "would take the URL /sec/index/ of another page of the site"),
    ],
)
def test_refused_ids_are_reported_at_their_line_and_set_back(new_id: str, taken: set[str], problem: str) -> None:
    e, other, gone = entry("sec/mine", "T", line=7), entry("sec/other", "O"), entry("sec/gone", "G")
    e.id = new_id
    diags, changes = apply_renames(Registry([e, other], [gone]), "reg.yml", taken)
    assert changes == []
    assert [(d.line, d.code) for d in diags] == [(7, "registry-bad-id")]
    assert diags[0].message == f"id '{new_id}' {problem}; keeping 'mine'"
    assert (e.id, e.url) == ("mine", "sec/mine")


# -- the whole assignment ---------------------------------------------------------------------------


def test_assign_reports_renames_then_each_question_then_deletions() -> None:
    renamed = entry("sec/r", "Renamed", A1)
    renamed.id = "r2"
    moved = entry("sec/m", "Moved", A2, source="a.md")
    gone = entry("sec/g", "Gone for good", A3)
    back = entry("sec/b", "Back again", fingerprint("back"))
    taken: set[str] = set()
    cands = [
        cand("Moved", A2, source="b.md"),
        cand("Brand new"),
        cand("Back again!", fingerprint("back")),
        cand("Renamed", A1),
    ]
    entries, reg, changes, diags = assign(cands, Registry([renamed, moved, gone], [back]), taken, "reg.yml", slug)
    assert diags == []
    assert [(e.id, e.url) for e in entries] == [
        ("m", "sec/m"),
        ("brand-new", "sec/brand-new"),
        ("b", "sec/b"),
        ("r2", "sec/r2"),
    ]
    assert [(c.kind, c.url) for c in changes] == [
        ("renamed", "sec/r2"),
        ("moved", "sec/m"),
        ("new", "sec/brand-new"),
        ("revived", "sec/b"),
        ("retitled", "sec/b"),
        ("deleted", "sec/g"),
    ]
    assert reg.questions == entries and reg.deleted == [gone]
    assert entries[3].old_urls == ["sec/r"] and entries[0].source == "b.md"
    # the inputs are left as they were: the stages work on copies
    assert taken == set()
    assert (renamed.id, renamed.url, renamed.old_urls, moved.source) == ("r2", "sec/r", [], "a.md")


def test_assign_without_a_registry_makes_every_question_new() -> None:
    entries, reg, changes, diags = assign([cand("Same"), cand("Same")], None, {"sec/same"}, "reg.yml", slug)
    assert [e.url for e in entries] == ["sec/same-2", "sec/same-3"]
    assert [c.kind for c in changes] == ["new", "new"] and diags == [] and reg.deleted == []


# -- validation -------------------------------------------------------------------------------------


def test_validate_drops_bad_and_shared_urls() -> None:
    first, dup, bad = entry("/sec/a/", "A", line=2), entry("sec/a", "Dup", line=5), entry("Sec/X", "Bad", line=8)
    first.old_urls = ["sec/old", "sec/a", "sec/old", "../x"]
    reg = Registry([first, dup], [bad])
    diags = validate(reg, "reg.yml")
    assert reg.questions == [first] and reg.deleted == []
    assert first.url == "sec/a" and first.old_urls == ["sec/old"]
    assert [(d.line, d.code) for d in diags] == [
        (5, "registry-bad-url"),
        (8, "registry-bad-url"),
        (2, "registry-bad-url"),
    ]
    assert "is also the URL of the entry at line 2" in diags[0].message
    assert "old_urls item '../x'" in diags[2].message
