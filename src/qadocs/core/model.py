"""Plain data carried between the stages: sources, chapters, questions, diagnostics; and `Memo`,
what the stages remember of the last generation (`mkdocs serve` makes one per edit)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, NamedTuple, TypeVar, cast

Severity = Literal["error", "warning", "info"]
# Folders a source may lie in and keep them all as sections: the theme draws the navigation by
# recursion, one level per folder, and 240 of them exhaust it. A deeper source is placed in the
# section of its first MAX_FOLDER_DEPTH folders (`folder-too-deep`).
MAX_FOLDER_DEPTH = 32


@dataclass(slots=True, frozen=True)
class Diagnostic:
    """One finding about the input, always tied to a file and a line."""

    path: str
    line: int
    severity: Severity
    code: str
    message: str
    col: int = 1

    def render(self) -> str:
        """Return the one-line form `path:line:col: severity code message`."""
        return f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code} {self.message}"


@dataclass(slots=True)
class TocLink:
    """A link found in a table of contents; kept only to resolve legacy anchors."""

    text: str
    target: str
    line: int


class InnerAnchor(NamedTuple):
    """An anchor inside an intro or an answer: a sub-heading's GitHub anchor or an HTML `id` or
    `name`, with the heading line that carries it as written and its line number ("" and 0 for
    an anchor that is no heading's)."""

    name: str
    heading: str
    line: int


@dataclass(slots=True)
class Chapter:
    """A grouping heading inside a source (markdown chapter, `<h1>` part, numbered section)."""

    title: str
    line: int
    level: int
    anchor: str | None
    titles: tuple[str, ...]  # this chapter's title path inside its source, outermost first
    intro: str = ""
    intro_line: int = 0
    index: int = 0  # position among the source's chapters
    parent: int | None = None  # index of the enclosing chapter
    inner: tuple[InnerAnchor, ...] = ()  # anchors inside the intro


@dataclass(slots=True)
class Question:
    """One question heading and its answer, as written in its source."""

    number: str
    title: str
    heading: str  # the heading's plain text, number included
    anchor: str
    source: str  # path relative to the content dir, posix
    line: int  # line of the heading, 1-based
    chapter: int | None  # index into Source.chapters, None when outside any chapter
    body: str
    body_line: int  # line of the first body line (0 when the body is empty)
    inner: tuple[InnerAnchor, ...] = ()  # anchors inside the answer
    parent: int | None = None  # index into Source.questions of the question this one follows up
    form: str = "md"  # how its head is written: md, html, item (`1. ### Q`), bold, fold (`<details>`)
    stamp: str | None = None  # the id its heading line is stamped with (`<a id="q-ID"></a>`), unchecked


@dataclass(slots=True, frozen=True)
class Explained:
    """How one head of a source was read, and why (`qadocs check --explain`)."""

    line: int
    form: str  # md, html, item, bold, fold (see `Question.form`)
    level: int  # its heading level (7 for a bold or folded question)
    text: str  # what a reader sees of it
    role: str  # title, chapter, question, follow-up, part, text, article, page
    why: str
    follows: int = 0  # a follow-up: the line of its question


@dataclass(slots=True)
class Source:
    """One markdown file of the collection, split into its parts."""

    path: str  # relative to the content dir, posix
    title: str
    title_line: int = 0  # line of a leading `# Title` taken as the source title, 0 if none
    intro: str = ""
    intro_line: int = 0
    chapters: list[Chapter] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    toc_links: list[TocLink] = field(default_factory=list)
    toc_lines: list[int] = field(default_factory=list)
    meta_lines: list[int] = field(default_factory=list)  # front matter lines: no content either
    intro_anchors: tuple[InnerAnchor, ...] = ()  # anchors inside the intro
    diagnostics: list[Diagnostic] = field(default_factory=list)
    page_anchors: tuple[str, ...] = ()  # GitHub anchors of its title and TOC headings: its own page
    kind: str = "questions"  # how it reads as a whole: questions, file (one question), article, page
    why: str = ""  # why it reads so
    reading: tuple[Explained, ...] = ()  # how each head was read (`qadocs check --explain`)

    @property
    def section(self) -> str:
        """The folder of the source inside the content dir ('' at the top)."""
        head, _, _ = self.path.rpartition("/")
        return head

    @property
    def placed_section(self) -> str:
        """The section the site shows the source in: its folder, cut to MAX_FOLDER_DEPTH folders."""
        return "/".join(self.section.split("/")[:MAX_FOLDER_DEPTH])

    def titles(self, chapter: int | None) -> list[str]:
        """Where a question or chapter sits: section folders, the source's title, chapter titles."""
        return [
            *(part for part in self.placed_section.split("/") if part),
            self.title,
            *(self.chapters[chapter].titles if chapter is not None else ()),
        ]


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")
MAX_MEMO = 1 << 20  # entries a memo holds when no generation is ever started (tests, scripts)
_MEMOS: list[Memo[object, object]] = []  # every memo, for `new_generation`
_MISSING = object()


class Memo(Generic[K, V]):
    """The results of a pure function for the keys asked in this generation and the one before.

    Every pass over a collection asks for its keys in the same order (the checks read each body,
    then the resolver; the next generation, after an edit, reads them again). A bounded LRU with
    fewer entries than the collection has keys misses on each of them; this keeps exactly what
    the last two generations asked for, so each key is worked out once and memory follows the
    collection. Results are shared: they must never be changed."""

    def __init__(self, compute: Callable[[K], V] | None = None) -> None:
        self.compute = compute if compute is not None else _asked_only
        self.now: dict[K, V] = {}
        self.before: dict[K, V] = {}
        _MEMOS.append(self)  # type: ignore[arg-type]

    def __call__(self, key: K) -> V:
        """`compute(key)`, worked out on the first call of two generations."""
        found = self.now.get(key, _MISSING)
        if found is not _MISSING:
            return cast(V, found)
        return self._keep(key, self.before.get(key, _MISSING), self.compute)

    def ask(self, key: K, make: Callable[[], V]) -> V:
        """`make()`, worked out on the first call of two generations with this `key`: for a
        result that is a pure function of what `key` says of its inputs (its `repr`, say)."""
        found = self.now.get(key, _MISSING)
        if found is not _MISSING:
            return cast(V, found)
        return self._keep(key, self.before.get(key, _MISSING), lambda _: make())

    def peek(self, key: K) -> V | None:
        """What the last two generations kept for `key`, or None; nothing is worked out."""
        found = self.now.get(key, _MISSING)
        found = self.before.get(key) if found is _MISSING else found
        return cast("V | None", found)

    def put(self, key: K, value: V) -> None:
        """Keep `value` for `key` (a result checked, or worked out, by the caller)."""
        self._keep(key, value, self.compute)

    def _keep(self, key: K, found: object, compute: Callable[[K], V]) -> V:
        value = compute(key) if found is _MISSING else cast(V, found)
        if len(self.now) >= MAX_MEMO:
            self.new_generation()
        self.now[key] = value
        return value

    def new_generation(self) -> None:
        """Forget what the generation before the last one asked for."""
        self.before, self.now = self.now, {}


class Same(Generic[T]):
    """An object as a memo key by its identity. A memo's result (the `Source` the splitter keeps
    for an unchanged file) is the very same object while its inputs are: what is worked out
    from it alone may be kept with it. The key holds the object, so its id is never reused while
    the memo keeps it."""

    __slots__ = ("held",)

    def __init__(self, held: T) -> None:
        self.held = held

    def __hash__(self) -> int:
        """The identity of the object held."""
        return id(self.held)

    def __eq__(self, other: object) -> bool:
        """Another key holding the very same object."""
        return isinstance(other, Same) and other.held is self.held


def _asked_only(key: object) -> Any:
    raise TypeError("this memo has no function of its key: ask it with `Memo.ask`")


def new_generation() -> None:
    """Start a generation (`build.generate`): keys of the last one stay at hand, older ones go."""
    for memo in _MEMOS:
        memo.new_generation()


def forget_all() -> None:
    """Forget everything every memo kept: the next generation works everything out, as the first
    one of a process does (tests compare the two)."""
    for memo in _MEMOS:
        memo.now, memo.before = {}, {}


def fingerprint(answer: str) -> str:
    """Short hash of an answer, blind to trailing spaces and blank lines (each answer hashed once:
    the checks, the grouping of duplicates and the registry all ask)."""
    return _FINGERPRINTS(answer)


def _fingerprint(answer: str) -> str:
    lines = [line.rstrip() for line in answer.split("\n") if line.strip()]
    return hashlib.sha1("\n".join(lines).encode("utf-8")).hexdigest()[:12]


_FINGERPRINTS: Memo[str, str] = Memo(_fingerprint)


EMPTY_ANSWER = fingerprint("")


def folded(title: str) -> str:
    """A title as compared everywhere it must match exactly (one page per question, the
    registry's entries): each run of white space one space, none at the ends."""
    return " ".join(title.split())


def question_key(q: Question) -> tuple[str, str]:
    """What makes two questions the same one (one page for both): the title folded, and the
    answer's fingerprint."""
    return folded(q.title), fingerprint(q.body)
