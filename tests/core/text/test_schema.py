"""The generated front matter and questions.json, read back and validated against `qadocs.core.text.schema`.

The validator walks the TypedDicts themselves (required and optional keys, no unknown key,
Literal, unions, lists, int that is not bool), so a renderer that drifts from the declared
shape — a missing key, a stray one, a number written as text — fails here.
"""

from __future__ import annotations

import html
import json
import shutil
import types
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest
import yaml

from qadocs.cli import config_description
from qadocs.core.build import generate
from qadocs.core.options import Options
from qadocs.core.plan.site import QUESTIONS_JSON
from qadocs.core.text.schema import META_BY_KIND, QuestionEntry, QuestionMeta

REPO = Path(__file__).resolve().parents[3]


def problems(value: Any, tp: Any, where: str = "$") -> list[str]:
    """What keeps `value` from being a `tp` (empty when it is one)."""
    if is_typeddict(tp):
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not an object"]
        hints = get_type_hints(tp)
        found = [f"{where}: missing {k!r}" for k in sorted(tp.__required_keys__ - value.keys())]
        found += [f"{where}: unknown key {k!r}" for k in sorted(value.keys() - hints.keys())]
        for key in value.keys() & hints.keys():
            found += problems(value[key], hints[key], f"{where}.{key}")
        return found
    origin = get_origin(tp)
    if origin is Literal:
        return [] if value in get_args(tp) else [f"{where}: {value!r} is none of {get_args(tp)}"]
    if origin in (Union, types.UnionType):
        options = [problems(value, arg, where) for arg in get_args(tp)]
        return [] if any(not p for p in options) else [f"{where}: {value!r} is not a {tp}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__}, not a list"]
        (item,) = get_args(tp)
        return [p for k, v in enumerate(value) for p in problems(v, item, f"{where}[{k}]")]
    if tp is type(None):
        return [] if value is None else [f"{where}: {value!r} is not null"]
    if tp is int:
        return [] if isinstance(value, int) and not isinstance(value, bool) else [f"{where}: {value!r} is not an int"]
    if tp is str:
        return [] if isinstance(value, str) else [f"{where}: {value!r} is not a string"]
    raise AssertionError(f"the validator does not know {tp!r}")


def test_validator_rejects_what_the_schema_does_not_allow() -> None:
    good: dict[str, Any] = {
        "id": "a",
        "title": "t",
        "description": "d",
        "number": 3,
        "source": "s.md",
        "source_line": 2,
        "anchors": ["x"],
        "chapter": ["s"],
        "order": 1,
    }
    assert problems(good, QuestionMeta) == []
    assert problems({**good, "also_in": [{"source": "b.md", "source_line": 4}]}, QuestionMeta) == []
    assert problems({**good, "number": "3.1"}, QuestionMeta) == []
    assert problems({**good, "number": None}, QuestionMeta) == []
    assert problems({k: v for k, v in good.items() if k != "order"}, QuestionMeta) == ["$: missing 'order'"]
    assert problems({**good, "kind": "question"}, QuestionMeta) == ["$: unknown key 'kind'"]
    assert problems({**good, "source_line": True}, QuestionMeta) == ["$.source_line: True is not an int"]
    assert problems({**good, "anchors": ["x", 1]}, QuestionMeta) == ["$.anchors[1]: 1 is not a string"]
    assert problems({**good, "number": 1.5}, QuestionMeta) != []
    assert problems({k: v for k, v in good.items() if k != "description"}, QuestionMeta) == ["$: missing 'description'"]
    review = {"title": "待复习", "kind": "review", "description": "d"}
    assert problems(review, META_BY_KIND["review"]) == []
    assert problems({**review, "kind": "home"}, META_BY_KIND["review"]) == ["$.kind: 'home' is none of ('review',)"]
    assert problems({"title": "t", "kind": "home"}, META_BY_KIND["home"]) == []
    assert problems({"title": "t", "kind": "chapter"}, META_BY_KIND["home"]) == [
        "$.kind: 'chapter' is none of ('home',)"
    ]


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("schema")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "imgs", root / "imgs")
    description = config_description(REPO / "mkdocs.yml")
    opts = Options(repo_root=root, content_dir=root / "content", imgs_dir=root / "imgs", site_description=description)
    return generate(opts, None).plan.files


def _front_matter(text: str) -> dict[str, Any]:
    assert text.startswith("---\n"), text[:80]
    head, _, _ = text[4:].partition("\n---\n")
    meta = yaml.safe_load(head)
    assert isinstance(meta, dict)
    return meta


def test_every_page_front_matter_matches_its_kind(demo_plan: dict[str, str]) -> None:
    kinds: dict[str, int] = {}
    for path, text in demo_plan.items():
        if not path.endswith("index.md"):
            continue
        meta = _front_matter(text)
        kind = meta.get("kind", "question")
        kinds[kind] = kinds.get(kind, 0) + 1
        schema = META_BY_KIND.get(kind, QuestionMeta)
        assert problems(meta, schema) == [], path
    assert kinds["home"] == 1 and kinds["review"] == 1
    assert kinds["question"] == 131  # the demo's question pages
    assert kinds["source"] >= 5 and kinds["chapter"] >= 1


def test_questions_json_entries_match_the_schema_and_their_pages(demo_plan: dict[str, str]) -> None:
    entries = json.loads(demo_plan[QUESTIONS_JSON])
    assert len(entries) == 131
    for k, entry in enumerate(entries, start=1):
        assert problems(entry, QuestionEntry) == [], entry
        page = _front_matter(demo_plan[entry["url"].strip("/") + "/index.md"])
        assert (page["id"], page["order"], page["source"], page["source_line"]) == (
            entry["id"],
            k,
            entry["source"],
            entry["source_line"],
        )
        # front matter strings are HTML text (escape.py); questions.json holds them as written
        assert [html.unescape(a) for a in page["anchors"]] == entry["anchors"]
        assert [html.unescape(t) for t in page["chapter"]] == entry["chapter"]
    assert len({e["id"] for e in entries}) == len(entries)


def test_every_page_description_is_plain_text_of_its_own(demo_plan: dict[str, str]) -> None:
    """Each question page says what its answer starts with: plain text, at most 120 characters,
    never empty and never the site's description (which Material shows when a page has none)."""
    site = config_description(REPO / "mkdocs.yml")
    assert site
    seen = set()
    for path, text in demo_plan.items():
        if not path.endswith("index.md"):
            continue
        meta = _front_matter(text)
        if meta.get("kind") in ("home",):
            continue
        shown = html.unescape(meta["description"])
        assert shown.strip() and shown != site and len(shown) <= 120, (path, shown)
        assert shown == " ".join(shown.split()), (path, shown)
        for markup in ("**", "](", "<", "$$", "```", "\\"):
            assert markup not in shown, (path, markup, shown)
        seen.add(shown)
    assert len(seen) > 131  # one description per question page, and the index pages' own
