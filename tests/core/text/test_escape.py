"""Content strings escaped for front matter and JSON (`qadocs.core.text.escape`): front matter round
trips as HTML text, and the fast writers equal what they stand in for, byte for byte."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from qadocs.core.plan.site import front_matter
from qadocs.core.text.escape import SAFE_DUMPER, json_for_html, json_list_for_html, yaml_text

# -- the fast writers, byte for byte against what they stand in for ---------------------------------

PIECES = [*"ab -?:#,[]{}&*!|>'\"%@`.~<=+0129eEyYnNtTfFoO_/\\显？：&;", "---", "...", "null", "true", "0x1f", "1.5"]


ODD = ["\t", "\n", "\r", "\x85", "\u2028", "\xa0", "\ufeff", "\U0001f600", "\x00", "é"]


TEXT = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


ODD_TEXT = st.lists(st.sampled_from(PIECES + ODD), max_size=8).map("".join)


def yaml_values(text: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    scalar = st.one_of(text, st.integers(-(10**20), 10**20), st.none(), st.booleans(), st.floats(allow_nan=False))
    return st.recursive(
        st.one_of(scalar, st.lists(scalar, max_size=3)),
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)),
        max_leaves=8,
    )


def dumped(data: Any) -> str:
    return yaml.dump(data, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)


@settings(max_examples=100)
@given(st.dictionaries(TEXT, yaml_values(TEXT), max_size=5))
def test_yaml_text_same_as_yaml_dump(data: dict[str, Any]) -> None:
    assert yaml_text(data) == dumped(data)


@settings(max_examples=100)
@given(st.dictionaries(ODD_TEXT, yaml_values(ODD_TEXT), max_size=4))
def test_yaml_text_same_as_yaml_dump_for_odd_text(data: dict[str, Any]) -> None:
    assert yaml_text(data) == dumped(data)


def test_yaml_text_cases() -> None:
    shared = ["x"]
    cases: list[dict[str, Any]] = [
        {"id": "a", "title": "显存 RAG是什么？", "number": 8, "chapter": None, "anchors": ["8-x", "- y", "#z", ""]},
        {"also_in": [{"source": "a.md", "source_line": 3}], "old_urls": [], "meta": {}, "n": {"a": "8"}},
        {"a": shared, "b": shared},  # one list twice: yaml writes an anchor and an alias
        {"k" * 200: 1, "": 2},  # keys no emitter writes plain
        {"long": "字 " * 6000},  # long enough to be folded
    ]
    for data in cases:
        assert yaml_text(data) == dumped(data)


JSON_TEXT = st.text(alphabet=st.sampled_from([*'ab"\\\n\t\x00\x1f<>&\u2028\u2029显 é', "\U0001f600"]), max_size=6)


JSON_VALUES = st.recursive(
    st.one_of(JSON_TEXT, st.integers(-(10**30), 10**30), st.none(), st.booleans(), st.floats(allow_nan=False)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(JSON_TEXT, inner, max_size=3),
    ),
    max_leaves=12,
)


@settings(max_examples=100)
@given(JSON_VALUES, st.integers(0, 3))
def test_json_for_html_same_as_json_dumps(data: Any, indent: int) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    expected = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    assert json_for_html(data, indent=indent) == expected.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@settings(max_examples=100)
@given(st.lists(JSON_VALUES, max_size=4), st.integers(0, 3))
def test_json_list_for_html_same_as_json_for_html(items: list[Any], indent: int) -> None:
    assert json_list_for_html(items, indent) == json_for_html(items, indent=indent)
    assert json_list_for_html(items, indent) == json_for_html(items, indent=indent)  # the kept texts


@pytest.mark.parametrize(
    "title",
    [
        "a: b",
        "# 不是注释",
        "'单引号' \"双引号\"",
        "---",
        "x: [1, 2]",
        "yes",
        "1.5",
        "<img src=x onerror=alert(1)>",
        "a < b && c > d",
        "&lt;已转义&gt;",
    ],
)
def test_front_matter_round_trips(title: str) -> None:
    """Front matter is HTML text (engines insert it unescaped): no markup survives, unescaping gives the title."""
    block = front_matter({"title": title, "chapter": [title, "第一章：基础"], "number": 5})
    assert block.startswith("---\n") and block.endswith("---\n\n")
    meta = yaml.safe_load(block.split("---\n")[1])
    assert html.unescape(meta["title"]) == title and [html.unescape(c) for c in meta["chapter"]] == [
        title,
        "第一章：基础",
    ]
    assert meta["number"] == 5
    for value in (meta["title"], *meta["chapter"]):
        assert not set("<>\"'") & set(value), value
