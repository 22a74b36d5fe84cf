"""`qadocs.core.registry.assign`: live entries first, then deleted ones revive; new ids skip
registered ids and taken URLs; the report (renames, then each question, then deletions)."""

from __future__ import annotations

import re

import pytest

from qadocs.core.model import fingerprint
from qadocs.core.registry.assign import _NewIds, assign, question_hash
from qadocs.core.registry.entries import ID_RE, MAX_NEW_ID
from qadocs.core.registry.matching import match_entries
from qadocs.core.registry.records import Registry
from qadocs.core.text.slug import MAX_SLUG
from records import A1, A2, A3, cand, entry, slug


def test_live_entries_first_then_deleted_ones_revive() -> None:
    live, gone = entry("sec/live", "Live", A1), entry("sec/gone", "Gone", A2)
    found, revived = match_entries([cand("Gone", A2), cand("Live", A1), cand("New", A3)], Registry([live], [gone]))
    assert found == [gone, live, None]
    assert revived == {0}


# -- new ids ----------------------------------------------------------------------------------------


def test_a_taken_slug_gets_a_suffix_from_the_question_not_a_count() -> None:
    new_ids = _NewIds(slug, ids={"q"}, taken={"sec/q-2"})
    first, second = new_ids.entry(cand("q", source="a.md")), new_ids.entry(cand("q", source="b.md"))
    assert first.id == "q-" + question_hash(cand("q", source="a.md"))[:5]
    assert second.id == "q-" + question_hash(cand("q", source="b.md"))[:5] != first.id
    # what another branch mints for the same question is the same id, whatever came before it there
    elsewhere = _NewIds(slug, ids={"q", "q-2", "q-3"}, taken=set())
    assert elsewhere.entry(cand("q", source="b.md")).id == second.id
    assert ID_RE.match(first.id) and {"sec/" + first.id, "sec/" + second.id} <= new_ids.taken


def test_the_same_question_twice_falls_back_to_a_longer_hash_then_a_count() -> None:
    new_ids = _NewIds(slug, ids={"q"}, taken=set())
    digits = question_hash(cand("q"))
    ids = [new_ids.entry(cand("q")).id for _ in range(4)]  # one title and source: one hash
    assert ids == ["q-" + digits[:5], "q-" + digits, f"q-{digits}-2", f"q-{digits}-3"]
    other = new_ids.entry(cand("q", section_dir="other"))
    assert other.id not in ids  # ids are unique across folders


@pytest.mark.parametrize("title", ["a" * MAX_SLUG, "a" * (MAX_SLUG - 6) + " " + "b" * 5, "x"])
def test_new_ids_stay_within_max_new_id_and_match_id_re(title: str) -> None:
    title = " ".join(title.split())
    new_ids = _NewIds(lambda t: "-".join(t.split())[:MAX_SLUG], ids={slug(title)}, taken=set())
    for _ in range(5):
        qid = new_ids.entry(cand(title)).id
        assert len(qid) <= MAX_NEW_ID and ID_RE.match(qid), qid


def test_question_hash_is_stable_and_folds_white_space() -> None:
    assert question_hash(cand("什么是  RAG？")) == question_hash(cand("什么是 RAG？"))
    assert question_hash(cand("什么是 RAG？")) != question_hash(cand("什么是 RAG？", source="b.md"))
    assert re.fullmatch(r"[0-9a-z]{10}", question_hash(cand("x")))


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
    digits = question_hash(cand("Same"))
    assert [e.url for e in entries] == ["sec/same-" + digits[:5], "sec/same-" + digits]
    assert [c.kind for c in changes] == ["new", "new"] and diags == [] and reg.deleted == []
