"""Plan the generated docs dir: one page per distinct question, index pages, nav, questions.json.

Planning is a chain of functions over immutable results — `page_dirs.place` (folders, question
groups), `page_dirs.assign_pages` (registry ids and URLs), `anchor_targets.index_targets` (anchors) — and
the renderers of `pages.py`, which read them and return text. `plan_pages` returns
`{docs path: text}` plus the files to copy; `write.py` touches disk. Every page lives at
`<dir>/index.md`, so its URL is `<dir>/` whatever `use_directory_urls` says and relative URLs in
raw HTML work the same as in markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from qadocs.core.model import Diagnostic, Source
from qadocs.core.options import Options
from qadocs.core.plan.anchor_targets import index_targets
from qadocs.core.plan.links import Collection, DeadAnchor, Found, dead_anchor_findings
from qadocs.core.plan.pages import (
    ANCHORS_JSON,
    REVIEW_PAGE,
    Planned,
    anchor_map,
    chapter_file,
    front_matter,
    home_file,
    nav_tree,
    question_file,
    questions_json,
    redirect_files,
    review_file,
    section_file,
    source_file,
)
from qadocs.core.plan.search import INDEX, QUESTION, Entry, search_files
from qadocs.core.registry.page_dirs import assign_pages, group_children, place
from qadocs.core.registry.records import Change, Registry
from qadocs.core.text import words
from qadocs.core.text.describe import search_text
from qadocs.core.text.escape import json_list_for_html
from qadocs.core.text.schema import QuestionEntry
from qadocs.core.text.urls import MEDIA_DIR

__all__ = ["CSS_PATH", "JS_PATH", "MEDIA_DIR", "QUESTIONS_JSON", "Options", "Plan", "front_matter", "plan_pages"]

CSS_PATH = "assets/qadocs.css"
JS_PATH = "assets/qadocs.js"
SEARCH_JS_PATH = "assets/qadocs-search.js"
SEARCH_ON, SEARCH_OFF = "var SEARCH = true;", "var SEARCH = false;"  # the line of qadocs.js that says so
QUESTIONS_JSON = "questions.json"


@dataclass(slots=True)
class Plan:
    """Everything the writer puts in the docs dir, and what the build should report."""

    files: dict[str, str]
    assets: dict[str, Path]
    nav: list[Any]
    questions: list[QuestionEntry]
    diagnostics: list[Diagnostic]
    registry_text: str  # the registry as this build leaves it (written unless the build says otherwise)
    changes: list[Change]
    looked: frozenset[Path] = frozenset()  # every repository path looked for, found or not


def plan_site(sources: list[Source], opts: Options, registry: Registry | None = None) -> Planned:
    """The planning stages, each reading the results of the ones before."""
    places = place(sources, registry)
    assigned = assign_pages(places, sources, registry, opts.registry_path)
    children = group_children(sources, places.section_dirs)
    targets = index_targets(sources, places, assigned, children)
    coll = Collection(opts, {s.path: s for s in sources}, places.source_dirs, targets)
    return Planned(sources, coll, places, assigned, children)


def render_files(p: Planned, questions: list[QuestionEntry]) -> tuple[dict[str, str], Found]:
    """Every generated text file of the docs dir (`questions`: the entries of questions.json),
    and what resolving their links found."""
    files: dict[str, str] = {"index.md": ""}
    found = Found()
    for section, sec_dir in p.places.section_dirs.items():
        files[sec_dir + "/index.md"] = section_file(p, section)
    for src in p.sources:
        src_dir = p.places.source_dirs[src.path]
        files[src_dir + "/index.md"], src_found = source_file(p, src)
        found.merge(src_found)
        anchors = anchor_map(p, src)
        if anchors is not None:
            files[src_dir + "/" + ANCHORS_JSON] = anchors
        for ch in src.chapters:
            files[p.places.chapter_dirs[(src.path, ch.index)] + "/index.md"], ch_found = chapter_file(p, src, ch)
            found.merge(ch_found)
    for page in p.assigned.pages:
        files[page.dir + "/index.md"], page_found = question_file(p, page)
        found.merge(page_found)
    files["index.md"] = home_file(p)
    files[REVIEW_PAGE] = review_file()
    files[QUESTIONS_JSON] = json_list_for_html(questions, indent=1) + "\n"
    for asset in (CSS_PATH, JS_PATH, SEARCH_JS_PATH) if p.coll.opts.search else (CSS_PATH, JS_PATH):
        files[asset] = resources.files("qadocs").joinpath(asset).read_text(encoding="utf-8")
    if p.coll.opts.search:
        files.update(search_files(search_entries(p)))
    else:  # no search: qadocs.js adds no button and takes no key for it
        files[JS_PATH] = files[JS_PATH].replace(SEARCH_ON, SEARCH_OFF, 1)
    for path, text in redirect_files(p).items():
        files.setdefault(path, text)  # a live page always wins over a redirect
    return files, found


def search_entries(p: Planned) -> list[Entry]:
    """Every page a reader can land on, question pages first, in the collection's order."""
    found = [
        Entry(
            page.dir + "/",
            page.question.title,
            QUESTION,
            " › ".join(p.coll.by_path[page.question.source].titles(page.question.chapter)),
            search_text(page.question.body),
        )
        for page in p.assigned.pages
    ]
    for section, sec_dir in p.places.section_dirs.items():
        parts = section.split("/")
        found.append(Entry(sec_dir + "/", parts[-1], INDEX, " › ".join(parts[:-1]), ""))
    for src in p.sources:
        above = " › ".join(src.titles(None)[:-1])
        found.append(Entry(p.places.source_dirs[src.path] + "/", src.title, INDEX, above, search_text(src.intro)))
        for ch in src.chapters:
            where = " › ".join(src.titles(ch.parent))
            found.append(
                Entry(p.places.chapter_dirs[(src.path, ch.index)] + "/", ch.title, INDEX, where, search_text(ch.intro))
            )
    found.append(Entry("", words.HOME, INDEX, "", ""))
    return found


def _dead_anchors(dead: list[DeadAnchor]) -> list[Diagnostic]:
    """The findings of the dead anchor links, file by file (in the order they were met)."""
    by_source: dict[str, list[DeadAnchor]] = {}
    for d in dead:
        by_source.setdefault(d.path, []).append(d)
    return [d for path, found in by_source.items() for d in dead_anchor_findings(found, path)]


def plan_pages(sources: list[Source], opts: Options, registry: Registry | None = None) -> Plan:
    """Turn split sources (and the registry read so far, if any) into the docs dir's files, nav
    and question list."""
    p = plan_site(sources, opts, registry)
    questions = questions_json(p)
    files, found = render_files(p, questions)
    diags = [d for s in sources for d in s.diagnostics]
    diags += [*p.places.diagnostics, *p.assigned.diagnostics, *p.coll.targets.diagnostics, *found.diagnostics]
    diags += _dead_anchors(found.dead_anchors)
    return Plan(
        files,
        dict(sorted(found.assets.items())),
        nav_tree(p),
        questions,
        diags,
        p.assigned.registry_text,
        list(p.assigned.changes),
        frozenset(found.looked),
    )
