"""The shapes of what qadocs writes for other programs to read: each page kind's front matter
and the entries of `questions.json`. Pages are rendered from these types, and the tests read
the generated files back and validate them against the same types."""

# No `from __future__ import annotations` here: TypedDict reads `NotRequired` at class creation,
# which string annotations hide from it on Python 3.11.
from typing import Literal, NotRequired, TypedDict

Number = int | str | None  # `12` as a number, `3.1` or `Q5` as text, None when unnumbered


class Occurrence(TypedDict):
    """Another place the same question (same title and answer) is written."""

    source: str
    source_line: int


class QuestionMeta(TypedDict):
    """Front matter of a question page."""

    id: str  # permanent id from the registry
    title: str
    description: str  # plain text from the start of the answer (or made from the title): never empty
    number: Number
    source: str  # path relative to the content folder
    source_line: int  # line of the question's heading
    anchors: list[str]  # every old anchor that leads here
    chapter: list[str]  # section folders, source title, chapter titles: outermost first
    order: int  # 1-based position among the question pages
    also_in: NotRequired[list[Occurrence]]
    follows: NotRequired[str]  # the id of the question this one is a follow-up of


class ChapterMeta(TypedDict):
    """Front matter of a chapter page."""

    title: str
    kind: Literal["chapter"]
    description: str
    source: str
    source_line: int
    chapter: list[str]


class SourceMeta(TypedDict):
    """Front matter of a source (one markdown file) page."""

    title: str
    kind: Literal["source"]
    description: str
    source: str
    questions: int


class SectionMeta(TypedDict):
    """Front matter of a section (content folder) page."""

    title: str
    kind: Literal["section"]
    description: str
    section: str


class HomeMeta(TypedDict):
    """Front matter of the home page."""

    title: str
    kind: Literal["home"]


class ReviewMeta(TypedDict):
    """Front matter of the 待复习 page (the questions the reader marked, listed by the page's script)."""

    title: str
    kind: Literal["review"]
    description: str


PageMeta = QuestionMeta | ChapterMeta | SourceMeta | SectionMeta | HomeMeta | ReviewMeta
META_BY_KIND: dict[str, type] = {
    "chapter": ChapterMeta,
    "source": SourceMeta,
    "section": SectionMeta,
    "home": HomeMeta,
    "review": ReviewMeta,
}  # a question page has no `kind`


class QuestionEntry(TypedDict):
    """One entry of `questions.json`: a question page, for search, random practice and tools."""

    id: str
    title: str
    url: str  # absolute path under the site's base URL, ending in `/`
    number: Number
    source: str
    source_url: str
    source_line: int
    chapter: list[str]
    anchors: list[str]
    follows: NotRequired[str]  # the id of the question this one is a follow-up of
