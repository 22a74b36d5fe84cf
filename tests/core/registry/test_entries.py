"""The registry file (`qadocs.core.registry.entries`): id lengths as documented, bad and shared URLs
dropped, read in one pass, aliases refused."""

from __future__ import annotations

import pytest
import yaml

from counting import counted
from qadocs.core.registry import entries as registry
from qadocs.core.registry.assign import _suffixed
from qadocs.core.registry.entries import MAX_ID, MAX_NEW_ID, parse_registry, validate
from qadocs.core.registry.records import Registry
from qadocs.core.text.slug import MAX_SLUG
from records import entry

# -- constants --------------------------------------------------------------------------------------


def test_id_lengths_relate_as_documented() -> None:
    assert MAX_SLUG < MAX_NEW_ID < MAX_ID
    assert len("-") + 12 == MAX_NEW_ID - MAX_SLUG  # a 12-digit suffix fits a full-length slug uncut
    assert _suffixed("a" * MAX_SLUG, 10**11) == "a" * MAX_SLUG + "-" + str(10**11)
    assert len(_suffixed("a" * MAX_SLUG, 10**12)) == MAX_NEW_ID  # beyond, the slug is cut


# -- validation -------------------------------------------------------------------------------------


def test_validate_drops_bad_and_shared_urls() -> None:
    first, dup, bad = entry("/sec/a/", "A", line=2), entry("sec/a", "Dup", line=5), entry("Sec/X", "Bad", line=8)
    first.old_urls = ["sec/old", "sec/a", "sec/old", "../x"]
    reg = Registry([first, dup], [bad])
    diags = validate(reg, "reg.yml")
    assert reg.questions == [first] and reg.deleted == []
    assert first.url == "sec/a" and first.old_urls == ["sec/old"]
    assert [(d.line, d.code) for d in diags] == [
        (5, "registry-shared-url"),
        (8, "registry-bad-url"),
        (2, "registry-bad-url"),
    ]
    assert "is also the URL of the entry at line 2" in diags[0].message
    assert "old_urls item '../x'" in diags[2].message


def test_a_url_held_twice_is_reported_at_its_second_holder() -> None:
    first, second, gone = entry("sec/a", "A", line=2), entry("sec/b", "B", line=7), entry("sec/c", "C", line=12)
    second.old_urls = ["sec/a"]  # one's current URL, another's former
    gone.old_urls = ["sec/old"]
    first.old_urls = ["sec/old"]  # a former URL of two entries
    reg = Registry([first, second], [gone])
    diags = validate(reg, "reg.yml")
    assert [(d.line, d.code) for d in diags] == [(7, "registry-shared-url"), (12, "registry-shared-url")]
    assert all("is also a URL of the entry at line 2" in d.message for d in diags)
    assert second.old_urls == [] and gone.old_urls == [] and first.old_urls == ["sec/old"]


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("questions:\n- id: a-3\n  url: s/a-3\n  title: X\n  title: Y\ndeleted: []\n", 5, "'title'"),
        ("questions:\n- id: a\n  url: s/a\ndeleted: []\nquestions: []\n", 5, "'questions'"),
        ("questions: []\ndeleted:\n- {id: a, url: s/a, url: s/b}\n", 3, "'url'"),
    ],
)
def test_a_key_twice_in_a_mapping_is_refused_at_its_second_line(text: str, line: int, key: str) -> None:
    reg, [diag] = parse_registry(text, "r.yml")
    assert reg is None and diag.code == "registry-invalid" and diag.line == line
    assert f"the key {key} stands twice" in diag.message and "merge kept both sides" in diag.message


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ("  title: [a]\n", "needs `title` to be text"),
        ("  old_urls: 5\n", "needs `old_urls` to be a list"),
        ("  old_anchors: {a: b}\n", "needs `old_anchors` to be a list of text"),
    ],
)
def test_a_field_of_the_wrong_shape_is_reported_at_its_entry(field: str, problem: str) -> None:
    text = "questions:\n- id: a\n  url: s/a\n  title: A\n  source: a.md\n  answer: x\n- id: b\n  url: s/b\n"
    reg, [diag] = parse_registry(text.replace("  url: s/b\n", "  url: s/b\n" + field) + "deleted: []\n", "r.yml")
    assert reg is None and (diag.code, diag.line) == ("registry-invalid", 7) and problem in diag.message


def test_equal_keys_of_other_types_are_not_the_same_key() -> None:
    reg, diags = parse_registry("questions:\n- id: a\n  url: s/a\n  1: x\n  '1': y\n", "r.yml")
    assert reg is not None and diags == []


def test_duplicate_keys_are_found_in_linear_time() -> None:
    keys = "".join(f"k{i}: {i}\n" for i in range(15000))  # one mapping of many keys: pairwise would be 1.1e8
    reg, diags = parse_registry("questions: []\ndeleted: []\n" + keys, "r.yml")
    assert reg is not None and diags == []


# -- the registry: one pass ------------------------------------------------------------------------

REGISTRY = "questions:\n- id: a\n  url: a\n  title: '**粗体** 与 *斜体*'\n  source: s.md\ndeleted: []\n"


def test_registry_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    scans: list[str] = []
    monkeypatch.setattr(registry.yaml, "parse", counted(scans, yaml.parse))
    reg, diags = parse_registry(REGISTRY, "r.yml")
    assert reg is not None and diags == [] and reg.questions[0].title == "**粗体** 与 *斜体*"
    assert scans == []  # no separate pass over the events looking for aliases


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: &a [x]\nquestions: [*a]\n", "alias"),
        ("questions: &q [*q]\n", "alias"),  # a node that holds itself
        ("a: &a [x]\nb: *a\nquestions: [\n", "alias"),  # an alias before the error is what is said
        ("questions: [\na: &a x\nb: *a\n", "not valid YAML"),  # an error before the alias
        ("questions: [*nope]\n", "alias"),
    ],
)
def test_registry_aliases_refused(text: str, problem: str) -> None:
    reg, [diag] = parse_registry(text, "r.yml")
    assert reg is None and diag.code == "registry-invalid" and problem in diag.message
