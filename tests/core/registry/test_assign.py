"""`qadocs.core.registry.assign`: live entries first, then deleted ones revive; new ids skip
registered ids and taken URLs; the report (renames, then each question, then deletions)."""

from __future__ import annotations

from qadocs.core.model import fingerprint
from qadocs.core.registry.assign import _NewIds, assign
from qadocs.core.registry.matching import match_entries
from qadocs.core.registry.records import Registry
from records import A1, A2, A3, cand, entry, slug


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
