"""The records the registry stage hands on: the registry's entries as read and written, what it
is told of each question page, the lines of its report, and where every page goes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from qadocs.core.model import Chapter, Diagnostic, Question, Source
from qadocs.core.registry.index_pages import PageRecord


@dataclass(slots=True)
class Entry:
    """One registered question (live or deleted)."""

    id: str
    url: str
    title: str
    answer: str
    source: str
    chapter: str | None = None
    old_urls: list[str] = field(default_factory=list)
    line: int = 1  # where the entry starts in the registry file, for diagnostics
    anchor: str = ""  # its heading's anchor as of the build that wrote the entry (registry/history.py)
    old_anchors: list[str] = field(default_factory=list)  # anchor forms its heading had and no longer has
    old_sources: list[str] = field(default_factory=list)  # sources it lived in before its current one
    lines: str = ""  # a sketch of its answer (registry/lives_on.py): where it went if it is deleted

    def all_urls(self) -> list[str]:
        """The current URL and every former one."""
        return [self.url, *self.old_urls]


@dataclass(slots=True)
class Registry:
    """Live and deleted entries, and the index pages, as read from or written to the registry file."""

    questions: list[Entry] = field(default_factory=list)
    deleted: list[Entry] = field(default_factory=list)
    pages: list[PageRecord] = field(default_factory=list)


@dataclass(slots=True)
class Candidate:
    """What the registry needs to know of one question page of this build."""

    title: str
    answer: str  # fingerprint
    source: str
    chapter: str | None
    section_dir: str  # where a new URL goes
    stamp: str | None = None  # the id its heading is stamped with (checked): its entry, or its new id
    anchor: str = ""  # its heading's anchor
    forms: tuple[str, ...] = ()  # every spelling of that anchor (registry/history.py `text/anchors.current_forms`)
    lines: str = ""  # the sketch its entry keeps of its answer (registry/lives_on.py `answer_lines`)
    line_set: frozenset[str] = frozenset()  # the hashes of every counted line of its answer


@dataclass(slots=True)
class Change:
    """One line of the report: what happened to a question's URL or record."""

    kind: str  # new, moved, retitled, renamed, deleted, revived
    url: str
    detail: str

    def render(self) -> str:
        """`kind url detail` for the report."""
        return f"{self.kind:<9} /{self.url}/  {self.detail}"


@dataclass(slots=True, frozen=True)
class Places:
    """The folders of the index pages and the questions grouped into pages (no URLs yet)."""

    section_dirs: Mapping[str, str]  # section (content folder) -> its dir
    source_dirs: Mapping[str, str]  # source path -> its dir
    chapter_dirs: Mapping[tuple[str, int], str]  # (source path, chapter index) -> its dir
    groups: tuple[tuple[Question, ...], ...]  # the occurrences of each distinct question, page order
    group_of: Mapping[tuple[str, int], int]  # (source path, heading line) -> index into groups
    taken: frozenset[str]  # dirs handed out, reserved or registered: no question page may take one
    diagnostics: tuple[Diagnostic, ...]
    pages: tuple[PageRecord, ...] = ()  # the index pages' records as this build leaves them
    page_redirects: Mapping[str, str] = field(default_factory=dict)  # former index URL -> dir it forwards to
    gone_sources: Mapping[str, str] = field(default_factory=dict)  # source no longer there -> dir its page forwards to


@dataclass(slots=True, frozen=True)
class QuestionPage:
    """A question's page and every occurrence of it (the first one is the canonical one)."""

    id: str
    dir: str
    order: int  # 1-based position among the question pages
    occurrences: tuple[Question, ...]

    @property
    def question(self) -> Question:
        """The occurrence the page is made from."""
        return self.occurrences[0]


@dataclass(slots=True, frozen=True)
class Assigned:
    """The question pages with their permanent ids and URLs, and the registry as this build leaves it."""

    pages: tuple[QuestionPage, ...]
    page_of: Mapping[tuple[str, int], QuestionPage]  # (source path, heading line) -> its page
    entries: Mapping[str, Entry]  # page dir -> registry entry
    deleted: tuple[Entry, ...]  # entries of questions no longer in the content
    registry_text: str
    changes: tuple[Change, ...]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(slots=True, frozen=True)
class Children:
    """What each index page lists, grouped once, so that rendering every chapter and section page
    is linear in the collection, not chapters × questions or sections × sources."""

    questions: Mapping[tuple[str, int | None], list[Question]]  # (source, chapter or None) -> its questions
    followups: Mapping[tuple[str, int], list[Question]]  # (source, line of a question) -> its follow-ups
    counts: Mapping[tuple[str, int | None], int]  # (source, chapter or None) -> its questions, follow-ups included
    chapters: Mapping[tuple[str, int], list[Chapter]]  # (source, chapter) -> its sub-chapters
    sections: Mapping[str, list[tuple[str, str]]]  # section -> (sub-section, its dir)
    sources: Mapping[str, list[Source]]  # section -> its sources
    by_number: Mapping[tuple[str, str], list[Question]]  # (source, number) -> questions, for TOC repair
