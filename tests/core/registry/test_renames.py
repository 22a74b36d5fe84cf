"""Ids edited by hand (`qadocs.core.registry.renames`): the URL moves and the old one is kept; a
refused id is reported at its line and set back."""

from __future__ import annotations

import pytest

from qadocs.core.registry.entries import MAX_ID
from qadocs.core.registry.records import Registry
from qadocs.core.registry.renames import apply_renames
from records import entry

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
