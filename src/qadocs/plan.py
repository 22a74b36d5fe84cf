"""Plan the generated docs dir: one page per distinct question, index pages, nav, questions.json.

Planning is pure: it returns `{docs path: text}` plus the files to copy; `write.py` touches disk.
Every page lives at `<dir>/index.md`, so its URL is `<dir>/` whatever `use_directory_urls` says
and relative URLs in raw HTML work the same as in markdown. `site.py` places the pages and
resolves references; `pages.py` renders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .escape import json_for_html
from .model import Diagnostic, Source
from .pages import (
    ANCHORS_JSON,
    anchor_map,
    chapter_file,
    front_matter,
    home_file,
    nav_tree,
    question_file,
    questions_json,
    redirect_files,
    section_file,
    source_file,
)
from .registry import Change, Registry
from .site import Options, Site
from .urls import MEDIA_DIR

__all__ = ["CSS_PATH", "JS_PATH", "MEDIA_DIR", "QUESTIONS_JSON", "Options", "Plan", "front_matter", "plan_pages"]

CSS_PATH = "assets/qadocs.css"
JS_PATH = "assets/qadocs.js"
QUESTIONS_JSON = "questions.json"


@dataclass(slots=True)
class Plan:
    """Everything the writer puts in the docs dir, and what the build should report."""

    files: dict[str, str]
    assets: dict[str, Path]
    nav: list[Any]
    questions: list[dict[str, Any]]
    diagnostics: list[Diagnostic]
    registry_text: str  # the registry as this build leaves it (written unless the build says otherwise)
    changes: list[Change]


def plan_pages(sources: list[Source], opts: Options, registry: Registry | None = None) -> Plan:
    """Turn split sources (and the registry read so far, if any) into the docs dir's files, nav
    and question list."""
    site = Site(sources, opts, registry)
    files: dict[str, str] = {"index.md": ""}
    for section, sec_dir in site.section_dirs.items():
        files[sec_dir + "/index.md"] = section_file(site, section)
    for src in sources:
        files[site.source_dirs[src.path] + "/index.md"] = source_file(site, src)
        anchors = anchor_map(site, src)
        if anchors is not None:
            files[site.source_dirs[src.path] + "/" + ANCHORS_JSON] = anchors
        for ch in src.chapters:
            files[site.chapter_dirs[(src.path, ch.index)] + "/index.md"] = chapter_file(site, src, ch)
    for page in site.pages:
        files[page.dir + "/index.md"] = question_file(site, page)
    files["index.md"] = home_file(site)
    questions = questions_json(site)
    files[QUESTIONS_JSON] = json_for_html(questions, indent=1) + "\n"
    for asset in (CSS_PATH, JS_PATH):
        files[asset] = resources.files("qadocs").joinpath(asset).read_text(encoding="utf-8")
    for path, text in redirect_files(site).items():
        files.setdefault(path, text)  # a live page always wins over a redirect
    return Plan(files, dict(sorted(site.assets.items())), nav_tree(site), questions,
                site.diags + site.dead_anchor_findings(), site.new_registry_text, site.changes)

