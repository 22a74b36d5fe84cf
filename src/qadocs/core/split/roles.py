"""What every head of a source is, read the way a reader of the collection reads it.

A head (`qadocs.core.split.outline`: a heading, a heading that opens a list item, a bold question, a folded
question) is the source's title, a chapter (an index page), a question (a page of its own; a
*follow-up* when it stands inside another question's answer) or text of the page above it. The
decision is made from the whole file, and from its neighbours in the collection where the file
alone cannot tell, and every decision carries its reason (`qadocs check --explain`).

First the file as a whole (`file_kind`):

* an **index** (most of its headings, or of its lines, link to other pages) or a **project
  page** (安装, 贡献, License…) is one page;
* a file whose title is one question (it asks, or its parts open with the question's statement:
  题目, 面试题, Problem, or mostly name parts of one answer) and whose sub-headings do not ask is
  **one question**; so is a file that opens with its only labelled question (`题目：…`) followed
  by its answer's heading (`参考答案：`);
* a file that asks (a quarter of its headings ask) or numbers a long list is **questions**; so is
  one that asks in bold paragraphs only;
* one question per file is what its neighbours are, a file shaped like them is one too;
* a file none of whose headings ask is read as questions when most files of the collection are
  questions and answers (concept headings, `## 工厂方法`), and as an **article** (one page) when its
  sections are named or numbered like an article's (概述, 背景, 总结; `1`, `1.1`) in a collection
  that mixes articles in.

Then, in a file of questions, every head from the top down (`_Decider`): a heading that groups
questions and has no text of its own (or only a short introduction, or heads many questions that
ask) is a chapter; a heading with an answer is a question, and
its sub-headings are follow-up questions when they ask (or carry its number one level deeper, or
are sub-topics of a topic) and parts of its answer otherwise (答案, 代码, steps numbered afresh, a
sub-heading repeated under each of its neighbours).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from qadocs.core.options import Layout
from qadocs.core.split.outline import Heading, Number
from qadocs.core.text.lex import ORDINAL, is_link_line, md_heading
from qadocs.core.text.phrasing import (
    asks,
    bare_title,
    chapter_numbered,
    chapter_titled,
    has_label,
    is_article_title,
    is_part_title,
    is_project_title,
    is_reference_title,
    is_statement_title,
)
from qadocs.core.text.urls import github_file_path, is_external

Role = Literal["chapter", "question", "part", "text"]  # part: of a question's answer; text: of another page
Kind = Literal["questions", "file", "article", "page"]

RUN_MIN = 8  # consecutively numbered sibling headings that show a list of questions
ASKING_SHARE = 0.25  # share of a file's headings that must ask for the file to be questions
QUESTIONS_MIN = 2  # headings that could be questions for a file to have any
LINK_HEADS_MIN = 2  # headings that are links to other pages that make an index
LINK_LINES_SHARE = 0.5  # share of a file's lines of text that are links that make an index
PROJECT_SHARE = 0.34  # share of a file's headings named like a project page's (安装, 贡献)
NOTES_SHARE = 0.5  # share of a collection's files that must ask for weak files to be read as questions
NOTES_OVER_ARTICLE = 0.67  # the share for which a weak file named or numbered like an article is read so too
HTML_QUESTION_LEVEL_MAX = 3  # `<h1>`…`<h3>` with an id can be questions (the HTML-id style)
BOLD_FILE_MIN = 3  # bold paragraphs that ask that make a file of questions when its headings do not ask
BOLD_GROUP_MIN = 3  # bold questions right under a heading with no text of its own that make it their chapter
TOPIC_QUESTIONS_MIN = 8  # questions that ask under a topic that make it their chapter, whatever its text
LABEL_ANSWER_WITHIN = 4  # heads after a file's labelled question among which its answer's heading stands
INTRO_MAX = 100  # characters: sentences this short under a topic over questions introduce them, they answer nothing
PROSE_NOT_RE = re.compile(f"[-*+>|<!$`~]|{ORDINAL}")  # how a line that is no sentence of an introduction starts
HEADING_KINDS = ("md", "html", "item")  # heads that are headings (not bold lines, not folded questions)


@dataclass(slots=True)
class Node:
    """A head in the outline tree, and what its text and place say about it."""

    h: Heading
    parent: int | None = None
    kids: list[int] = field(default_factory=list)
    own: bool = False  # text of its own between it and the next head
    own_chars: int = 0  # how much: characters of its own lines, spaces aside
    own_prose: bool = False  # its own text is sentences only (no list, table, code, picture or quote)
    asks: bool = False  # its title reads as a question
    part: bool = False  # named like a part of an answer, or repeated under its neighbours
    refs: bool = False  # heads a list of references
    link: bool = False  # a heading that is a link to another page


@dataclass(slots=True, frozen=True)
class Decision:
    """The role of one head, why, and the question it is a follow-up of (a node index)."""

    role: Role
    why: str
    parent: int | None = None


# -- the tree --------------------------------------------------------------------------------------
def _levels(heads: list[Heading]) -> list[int]:
    """Each head's level in the tree: its heading level; a bold or folded question whose number
    continues the last numbered heading's (`#### 1.1`, then `**1.2 …？**`) stands at that level;
    a heading between two list-item questions whose numbers run on (`2. ### Q`, `## 小结`,
    `3. ### Q`) stands inside the first: the list goes on around it."""
    levels: list[int] = []
    last: Heading | None = None  # the last numbered heading
    item: int | None = None  # the last list-item head
    for i, h in enumerate(heads):
        level = h.level
        if h.kind in ("bold", "fold") and last is not None and _continues(last.number, h.number):
            level = last.level
        elif h.kind not in ("bold", "fold") and h.number is not None:
            last = h
        if h.kind == "item":
            if item is not None and _continues(heads[item].number, h.number):
                for k in range(item + 1, i):
                    levels[k] = max(levels[k], heads[item].level + 1)
            item = i
        levels.append(level)
    return levels


def build_tree(heads: list[Heading], lines: list[str], skip: set[int], weak: str = "") -> list[Node]:
    """The heads as a tree (a head holds the deeper ones after it; a folded question holds every
    head inside its `<details>`), each with what its text says. Bold lines and folded blocks that
    do not ask are left out, but for those of the kind `weak` ("bold", "fold": a layout says so);
    the heads inside such a fold belong to the head before it (see `_enclose`)."""
    folds = [(h.index, h.end) for h in heads if h.kind == "fold" and h.weak and weak != "fold"]
    heads = [h for h in heads if not h.weak or h.kind == weak]
    levels = _levels(heads)
    closes = _enclose(heads, levels, folds)
    nodes = [Node(h) for h in heads]
    stack: list[int] = []
    for i, node in enumerate(nodes):
        h = node.h
        ended = next((k for k, j in enumerate(stack) if closes[j] <= h.index), None)
        if ended is not None:
            del stack[ended:]
        while stack and not (nodes[stack[-1]].h.kind == "fold" or levels[stack[-1]] < levels[i]):
            stack.pop()
        if stack:
            node.parent = stack[-1]
            nodes[stack[-1]].kids.append(i)
        stack.append(i)
        stop = heads[i + 1].index if i + 1 < len(heads) else len(lines)
        if h.kind == "fold":
            stop = min(stop, h.end)
        own = [lines[k].strip() for k in range(h.last + 1, stop) if k not in skip and lines[k].strip()]
        node.own, node.own_chars = bool(h.rest) or bool(own), len(h.rest) + sum(len(t) for t in own)
        node.own_prose = bool(own) and not any(PROSE_NOT_RE.match(t) for t in own)
        node.asks = asks(h.title) or asks(h.text)
        node.refs = is_reference_title(h.title)
        node.part = is_part_title(h.title)
        node.link = h.kind in ("md", "item") and _is_link_heading(lines[h.index])
    _mark_templates(nodes)
    return nodes


def _enclose(heads: list[Heading], levels: list[int], folds: list[tuple[int, int]]) -> list[float]:
    """Where each head's reach ends: a folded question's at its `</details>`; a head inside a fold
    that does not ask at the fold's end, as GitHub shows it: inside the box. When no head inside
    such a fold asks or is numbered (`<details><summary>Answer</summary>` … `#### Answer: D` …),
    the fold is the answer of the head before it: those heads move under that head (their levels,
    changed in place, keep their order) whatever their own levels. Questions folded away together
    (`<summary>展开更多</summary>` over `## 2. …？`, `## 3. …？`) keep theirs."""
    closes: list[float] = [h.end if h.kind == "fold" else math.inf for h in heads]
    at = [h.index for h in heads]  # in order: each fold's heads are found by bisection, not by a scan
    for start, end in folds:
        inside = range(bisect.bisect_right(at, start), bisect.bisect_left(at, end))
        if not inside:
            continue
        before = inside[0] - 1
        answer = not any(asks(heads[i].title) or heads[i].number is not None for i in inside)
        shift = levels[before] + 1 - min(levels[i] for i in inside) if before >= 0 and answer else 0
        for i in inside:
            levels[i] += max(shift, 0)
            closes[i] = min(closes[i], end)
    return closes


def _is_link_heading(line: str) -> bool:
    """A markdown heading whose text is one link to another page of the collection (`## 1.
    [计算机网络](网络.md)`): an entry of an index."""
    atx = md_heading(line.lstrip(" 0123456789.-*+)"))
    content = atx[1] if atx is not None else None
    if not content:
        return False
    _, _, after_number = content.partition(" ")
    return _is_local_link_line(content) or (content[:1].isdigit() and _is_local_link_line(after_number))


def _is_local_link_line(line: str) -> bool:
    """A line that is only a link (maybe a list item) to a page of this collection, not another
    site: a relative link, or one to a file's page on GitHub (`https://github.com/o/r/blob/…`)."""
    if not is_link_line(line):
        return False
    target = line[line.find("](") + 2 :].strip().rstrip(")").strip()
    return not is_external(target) or github_file_path(target.split()[0] if target else "") is not None


def _is_prose(line: str) -> bool:
    """A line of text (not blank, HTML, a rule, a table row or an image alone)."""
    text = line.strip()
    return bool(text) and text[0] not in "<|!" and text.strip("-*_ ") != ""


def _mark_templates(nodes: list[Node]) -> None:
    """A sub-heading whose title stands under several different headings (基本原理, UML图 under each
    of a list of models) is a part of each answer, not a question of its own."""
    parents: dict[str, set[int]] = {}
    for node in nodes:
        if node.parent is not None and node.h.kind in HEADING_KINDS:
            parents.setdefault(bare_title(node.h.title), set()).add(node.parent)
    for node in nodes:
        if node.parent is not None and len(parents.get(bare_title(node.h.title), ())) > 1 and not node.asks:
            node.part = True


def _continues(prev: Number | None, nxt: Number | None) -> bool:
    """True when `nxt` is the number right after `prev` (4 → 5, 3.1.2 → 3.1.3)."""
    if prev is None or nxt is None or prev.scheme != nxt.scheme or prev.depth != nxt.depth:
        return False
    return prev.parts[:-1] == nxt.parts[:-1] and nxt.parts[-1] == prev.parts[-1] + 1


def _restarts(prev: Number | None, nxt: Number | None) -> bool:
    """True when the numbering starts over at `nxt` (at 0 or 1, or lower than before)."""
    if nxt is None:
        return False
    return nxt.parts[-1] <= 1 or (prev is not None and prev.scheme == nxt.scheme and nxt.parts <= prev.parts)


def question_depth(nodes: list[Node]) -> int | None:
    """For dotted numbering of several depths: the shallowest depth whose headings are mostly not
    groups of deeper numbers (a group: deeper numbers under it, and no text of its own or one of
    them asks: a section's introduction; an answer's parts, `3.1 原理`, do not ask); None when
    the file numbers one depth only. Deeper numbers are parts of answers (`3.1.1.1 输入层` under
    `3.1.1 神经网络由哪些部分组成？`); shallower ones with text of their own introduce a chapter."""
    arabic = [
        n for n in nodes if n.h.number is not None and n.h.number.scheme == "arabic" and n.h.kind in HEADING_KINDS
    ]
    depths = sorted({n.h.number.depth for n in arabic if n.h.number is not None})
    if len(depths) < 2 or depths[-1] < 2:
        return None
    for d in depths:
        at = [n for n in arabic if n.h.number is not None and n.h.number.depth == d]
        groups = 0
        for n in at:
            deeper = [nodes[k] for k in n.kids if _extends(n.h.number, nodes[k].h.number)]
            groups += bool(deeper) and (not n.own or any(k.asks for k in deeper))
        if 2 * groups <= len(at):
            return d
    return depths[-1]


def _extends(parent: Number | None, kid: Number | None) -> bool:
    """True when `kid` carries `parent`'s number one or more levels deeper (17.4 → 17.4.1; a
    Chinese numeral's section numbers its parts in digits: 一、 → 1.1)."""
    if parent is None or kid is None or kid.depth <= parent.depth:
        return False
    if parent.scheme != kid.scheme and (parent.scheme, kid.scheme) != ("cn", "arabic"):
        return False
    return kid.parts[: parent.depth] == parent.parts


# -- the file as a whole --------------------------------------------------------------------------
@dataclass(slots=True, frozen=True)
class Survey:
    """What one file says of itself, before its neighbours are asked."""

    heads: int = 0  # headings that could be questions (not links, not references)
    asking: int = 0  # headings that ask (folded questions included, bold lines not)
    bold: int = 0  # bold paragraphs that ask
    answered: int = 0  # headings that could be questions: with text of their own, or numbered
    run: int = 0  # the longest run of consecutively numbered sibling headings
    index: str = ""  # why it is an index or a project page ("" when it is neither)
    root: int | None = None  # the node that is the file's title when no `# Title` stands apart
    titled: bool = False  # a title stands over every other head (a `# Title`, or `root`)
    statement: str = ""  # why its first part states the question, or its parts make one answer ("" when not)
    title_asks: bool = False  # its title reads as a question
    quiet: bool = False  # titled, and at most one of the heads right under the title asks
    under_title: int = 0  # heads right under the title
    article: str = ""  # why it reads like an article ("" when it does not)


def strong(s: Survey) -> str:
    """Why a file is questions and answers by its own evidence ("" when it is not)."""
    if s.asking >= QUESTIONS_MIN and s.asking >= ASKING_SHARE * max(s.heads, 1):
        return f"{s.asking} of its {max(s.heads, s.asking)} headings ask"
    if s.run >= RUN_MIN and not s.article:
        return f"it numbers a list of {s.run} headings"
    return ""


def one_question(s: Survey) -> str:
    """Why a file is one question by its own evidence ("" when it is not)."""
    if s.statement:
        return s.statement
    if s.quiet and s.title_asks and not strong(s):
        return "its title asks a question and the headings under it do not"
    return ""


@dataclass(slots=True, frozen=True)
class Neighbours:
    """What the rest of the collection says of a file."""

    notes: float = 0.0  # the share of the collection's files that are questions and answers
    files: bool = False  # most titled files beside it (or of the collection) are one question each
    landing: bool = False  # a folder's README with other files beside it: the folder's landing page


def survey(nodes: list[Node], lines: list[str], content: Iterable[int], title: Heading | None) -> Survey:
    """What a file's heads say of it; `content` are its lines outside code, TOC and front matter;
    `title`: its `# Title` heading, outside `nodes`, if it has one."""
    heads = [n for n in nodes if n.h.kind in HEADING_KINDS and not n.link and not n.refs]
    root = None if title is not None else _single_root(nodes)
    top = title if title is not None else nodes[root].h if root is not None else None
    kids = (
        [n for n in nodes if n.parent is None]
        if title is not None
        else [nodes[k] for k in nodes[0].kids]
        if top
        else []
    )
    return Survey(
        heads=len(heads),
        asking=sum(n.asks for n in nodes if n.h.kind != "bold" and not n.link and not n.refs),
        bold=sum(n.asks for n in nodes if n.h.kind == "bold"),
        answered=sum(n.own or n.h.number is not None for n in heads),
        run=_longest_run(nodes),
        index=_index(nodes, heads, lines, content),
        root=root,
        titled=top is not None,
        statement=_statement(nodes, kids),
        title_asks=top is not None and asks(top.text),
        quiet=top is not None and _quiet(top, kids),
        under_title=len(kids),
        article=_article(nodes, heads),
    )


def _statement(nodes: list[Node], kids: list[Node]) -> str:
    """Why a file is one question by how it is laid out, or "": its first part states the
    question (`## 题目描述`); the headings under its title mostly name parts of one answer
    (`## 题目链接`, `## 解题思路`, `## 代码`); or it opens with its only labelled question
    (`#### 题目：…`) and an answer's heading follows (`#### 参考答案：`), maybe with headings of the
    answer beside them."""
    if kids and is_statement_title(kids[0].h.title):
        return f"its first part, '{kids[0].h.text}', states the question"
    named = [k for k in kids if (k.part or is_statement_title(k.h.title)) and not is_article_title(k.h.title)]
    if len(kids) >= QUESTIONS_MIN and 2 * len(named) > len(kids) and not any(k.asks for k in kids):
        return f"{len(named)} of the {len(kids)} headings under its title name parts of one answer"
    top = [n for n in nodes if n.parent is None and n.h.kind in HEADING_KINDS]
    labelled = [n for n in nodes if has_label(n.h.text)]
    if top and labelled == [top[0]] and any(n.part and not n.asks for n in top[1:LABEL_ANSWER_WITHIN]):
        return f"it opens with its only labelled question, '{top[0].h.text}', and the answer's heading"
    return ""


def _quiet(title: Heading, kids: list[Node]) -> bool:
    """Do the heads right under a title leave the asking to it? At most one of them asks, or
    fewer than half, or each that asks repeats part of the title (`# 什么是X？怎么用？` over `## 什么是X`)."""
    asking = [k for k in kids if k.asks and bare_title(k.h.title) not in bare_title(title.title)]
    return len(asking) < QUESTIONS_MIN or 2 * len(asking) < len(kids)


def _single_root(nodes: list[Node]) -> int | None:
    """The first head when every other head stands inside it (a file titled `### Q`)."""
    roots = [i for i, n in enumerate(nodes) if n.parent is None]
    return 0 if roots == [0] and nodes[0].h.kind in HEADING_KINDS else None


def _longest_run(nodes: list[Node]) -> int:
    longest = 0
    by_parent: dict[int | None, list[Node]] = {}
    for n in nodes:
        if n.h.kind in HEADING_KINDS:
            by_parent.setdefault(n.parent, []).append(n)
    for siblings in by_parent.values():
        run = 1
        for a, b in itertools.pairwise(siblings):
            flat = b.h.number is not None and b.h.number.depth == 1
            run = run + 1 if flat and _continues(a.h.number, b.h.number) else 1
            longest = max(longest, run)
    return longest


def _index(nodes: list[Node], heads: list[Node], lines: list[str], content: Iterable[int]) -> str:
    """Why a file is an index of other pages or a project's page, or ""."""
    links = sum(n.link for n in nodes)
    if links >= LINK_HEADS_MIN and 3 * links >= len(heads) + links:
        return f"{links} of its headings are links to other pages: an index"
    heading_lines = {n.h.index for n in nodes}
    text = [i for i in content if i not in heading_lines and _is_prose(lines[i])]
    linked = sum(1 for i in text if is_link_line(lines[i]))
    if linked >= 3 and linked >= LINK_LINES_SHARE * len(text) and not any(n.asks and n.own for n in nodes):
        return f"{linked} of its {len(text)} lines of text are links: an index"
    project = sum(is_project_title(n.h.title) for n in heads)
    if project >= 2 and project >= PROJECT_SHARE * len(heads):
        return f"{project} of its headings name the parts of a project page (安装, 贡献, License…)"
    return ""


def _article(nodes: list[Node], heads: list[Node]) -> str:
    """Why a file reads like an article (sections named 概述, 背景, 总结…, or numbered 1, 1.1), or ""."""
    named = next((n for n in heads if is_article_title(n.h.title)), None)
    if named is not None:
        return f"its section '{named.h.text}' is named like an article's"
    for n in heads:
        if n.parent is not None and _extends(nodes[n.parent].h.number, n.h.number):
            return f"its sections are numbered like an article's ('{nodes[n.parent].h.text}', '{n.h.text}')"
    return ""


def file_kind(s: Survey, near: Neighbours) -> tuple[Kind, str]:
    """How a file reads as a whole, and why (see the module's docstring)."""
    if s.index:
        return "page", s.index
    if one_question(s):
        return "file", one_question(s)
    if s.titled and s.quiet and s.under_title and near.files:
        return "file", "most files beside it are one question each, and so is it"
    if strong(s):
        return "questions", strong(s)
    if max(s.answered, s.asking) < QUESTIONS_MIN:
        if s.bold >= BOLD_FILE_MIN and not near.landing:
            return "questions", f"{s.bold} bold paragraphs ask, and fewer than two headings could be questions"
        return "page", "fewer than two headings could be questions"
    if near.landing:
        return "page", "a folder's README with other files beside it: the folder's landing page"
    if near.notes >= (NOTES_OVER_ARTICLE if s.article else NOTES_SHARE):
        return "questions", "most files of the collection are questions and answers: its headings are read as questions"
    if near.files:
        return "article", "most files beside it are one question each, and it asks none"
    if s.article:
        return "article", s.article + ", and none of its headings asks"
    return "questions", "its headings each carry an answer (concept headings)"


def neighbours(surveys: Mapping[str, Survey]) -> dict[str, Neighbours]:
    """What the collection says of each file (by path): whether most of its files are questions
    and answers, and whether most titled files beside each one, or of the whole collection, are
    one question each."""
    weighed = [s for s in surveys.values() if s.heads >= 3 and not s.index and not one_question(s)]
    notes = sum(bool(strong(s)) for s in weighed) / len(weighed) if weighed else 0.0
    folders = Counter(_folder(path) for path in surveys)
    near = {path: _near(path, folders) for path in surveys}
    one = Counter(near[p] for p, s in surveys.items() if one_question(s) and not s.index)
    titled = Counter(near[p] for p, s in surveys.items() if s.titled and not s.index)
    single = sum(one.values()) >= QUESTIONS_MIN and 2 * sum(one.values()) >= sum(titled.values())
    return {
        p: Neighbours(
            notes,
            single or (one[near[p]] >= QUESTIONS_MIN and 2 * one[near[p]] >= titled[near[p]]),
            _is_readme(p) and (folders[_folder(p)] > 1 or _has_subfolders(_folder(p), folders)),
        )
        for p in surveys
    }


def _has_subfolders(folder: str, folders: Counter[str]) -> bool:
    """Do files stand in folders inside `folder`?"""
    prefix = folder + "/" if folder else ""
    return any(f != folder and f.startswith(prefix) for f in folders)


def _is_readme(path: str) -> bool:
    """A README (GitHub shows it as its folder's page)."""
    return path.rpartition("/")[2].lower() in ("readme.md", "readme.markdown")


def _folder(path: str) -> str:
    return path.rpartition("/")[0]


def _near(path: str, folders: Counter[str]) -> str:
    """The folder whose files are a file's neighbours: its own, or its parent's when it is the
    only file of its folder (`exercise-1/README.md` beside `exercise-2/README.md`)."""
    folder = _folder(path)
    return _folder(folder) if folders[folder] == 1 and folder else folder


# -- every head, from the top down ---------------------------------------------------------------
@dataclass(slots=True)
class _Siblings:
    """What the rules ask about a head's siblings, counted once per sibling list (so that a file
    of 100,000 sibling questions is decided in linear time)."""

    numbers: list[Number | None]
    numbered: list[bool]
    before: list[Number | None]  # the number of the last numbered sibling before each
    after: list[Number | None]  # the number of the first numbered sibling after each
    n_numbered: int = 0

    def __post_init__(self) -> None:
        self.n_numbered = sum(self.numbered)

    def mostly_numbered(self, pos: int) -> bool:
        """More than half of the other siblings are numbered."""
        others = len(self.numbered) - 1
        return others > 0 and 2 * (self.n_numbered - self.numbered[pos]) > others

    def numbered_on(self, pos: int) -> bool:
        """Does this sibling's number run on from the one before it or into the one after it?"""
        number = self.numbers[pos]
        return number is not None and (_continues(self.before[pos], number) or _continues(number, self.after[pos]))

    def restarts_after(self, pos: int) -> bool:
        """The numbering starts over after this sibling (or starts there)."""
        after, before = self.after[pos], self.before[pos]
        return after is not None and (before is None or _restarts(before, after))


def _siblings(nodes: list[Node], ids: list[int]) -> _Siblings:
    numbers = [nodes[i].h.number for i in ids]
    before: list[Number | None] = []
    last: Number | None = None
    for number in numbers:
        before.append(last)
        last = number or last
    after: list[Number | None] = []
    last = None
    for number in reversed(numbers):
        after.append(last)
        last = number or last
    after.reverse()
    return _Siblings(numbers, [x is not None for x in numbers], before, after)


@dataclass(slots=True)
class _Decider:
    """Decides the role of each head of a file of questions, from the top down."""

    nodes: list[Node]
    depth: int | None = None  # the depth of dotted numbers the questions have (`question_depth`)
    bold: bool = False  # the file asks in bold paragraphs, not in headings
    decisions: dict[int, Decision] = field(default_factory=dict)
    placeholders: list[int] = field(default_factory=list)  # empty headings kept as text
    unnumbered: list[int] = field(default_factory=list)  # questions without number among numbered ones
    _opens: dict[int, bool] = field(default_factory=dict)

    def visit(self, ids: list[int]) -> None:
        """Decide heads that stand under no question (the top level, or a chapter's)."""
        ctx = _siblings(self.nodes, ids)
        asked = False  # a question among the siblings so far
        for pos, i in enumerate(ids):
            d = self._open_role(i, ctx, pos, asked, last=pos + 1 == len(ids))
            self.decisions[i] = d
            asked = asked or d.role == "question"
            if d.role == "chapter":
                self.visit(self.nodes[i].kids)
            elif d.role == "question":
                self.answer(i)
            else:
                self.text_below(i, "inside a heading that is text")

    def answer(self, q: int) -> None:
        """Decide the heads inside question `q`'s answer: follow-up questions or parts."""
        for k in self.nodes[q].kids:
            role, why = answer_role(self.nodes[q], self.nodes[k], self.depth)
            self.decisions[k] = Decision(role, why, q if role == "question" else None)
            if role == "question":
                self.answer(k)
            else:
                self.text_below(k, "inside a part of an answer", "part")

    def text_below(self, i: int, why: str, role: Role = "text") -> None:
        """Every head inside `i` is text of the page `i` is on (a part, on a question's page)."""
        for k in self.nodes[i].kids:
            self.decisions[k] = Decision(role, why)
            self.text_below(k, why, role)

    def opens(self, i: int) -> bool:
        """Would head `i`, standing under no question, be a question or hold one?"""
        if i not in self._opens:
            n = self.nodes[i]
            if n.link or (n.h.kind in ("bold", "fold") and not n.asks):
                found = False
            elif n.refs or (chapter_titled(n.h.text) and n.kids):
                found = any(self.opens(k) for k in n.kids)
            elif n.part and not n.asks:
                found = False
            else:
                found = bool(n.kids) or n.own or n.asks or n.h.number is not None
            self._opens[i] = found
        return self._opens[i]

    def _open_role(self, i: int, ctx: _Siblings, pos: int, asked: bool, last: bool) -> Decision:
        n = self.nodes[i]
        h = n.h
        if n.link:
            return Decision("text", "a link to another page, not a question")
        if h.kind == "bold":
            return Decision("question", "a bold paragraph that asks") if n.asks else Decision("text", "a bold line")
        if n.refs and not n.asks and (n.own or n.kids):
            return Decision("chapter", "a list of references: a section of its own")
        if is_project_title(n.h.title) and not n.asks:
            return Decision("chapter", "names a part of a project page (License, 贡献…): a section of its own")
        if chapter_numbered(h.text) or (chapter_titled(h.text) and n.kids):
            return Decision("chapter", "titled like a chapter")
        if n.kids and n.own and not n.asks and _shallow(n, self.depth):
            return Decision("chapter", "numbered above the questions' depth: a chapter with an introduction")
        if n.kids and not n.own and n.asks and not any(self.nodes[k].asks for k in n.kids):
            return Decision("question", "asks, and the headings under it (none of which asks) make its answer")
        if n.kids and not n.own and ctx.numbered_on(pos) and _steps(self.nodes, n):
            return Decision(
                "question", "numbered among its siblings, over headings numbered afresh: its answer's steps"
            )
        if n.kids and not n.own:
            bold = [k for k in n.kids if self.nodes[k].h.kind in ("bold", "fold")]
            if len(bold) == len(n.kids) and sum(self.nodes[k].asks for k in bold) < BOLD_GROUP_MIN and not self.bold:
                return Decision("question", "its answer opens with bold lines (too few to be questions of their own)")
            if any(self.opens(k) for k in n.kids):
                return Decision("chapter", "groups questions and has no text of its own")
            return Decision("question", "no text of its own: the headings under it are the parts of one answer")
        if n.kids and not n.asks and n.own_prose and n.own_chars <= INTRO_MAX and _asking_kids(self.nodes, n):
            return Decision("chapter", "a topic over questions that ask, with a short introduction")
        asking = sum(self.nodes[k].asks for k in n.kids)
        if not n.asks and asking >= TOPIC_QUESTIONS_MIN and _asking_kids(self.nodes, n):
            return Decision("chapter", f"a topic over {asking} questions that ask: its text introduces them")
        if n.kids:
            return Decision(
                "question",
                "asks, and has an answer of its own" if n.asks else "has an answer of its own (a concept heading)",
            )
        return self._leaf_role(i, ctx, pos, asked, last)

    def _leaf_role(self, i: int, ctx: _Siblings, pos: int, asked: bool, last: bool) -> Decision:
        n = self.nodes[i]
        numbered = ctx.mostly_numbered(pos)
        if n.h.number is None and numbered and ctx.restarts_after(pos) and not n.asks:
            return Decision("chapter", "an unnumbered heading after which the numbering starts over")
        if n.own or n.asks or (n.h.number is not None and numbered):
            if n.h.number is None and numbered and n.own:
                self.unnumbered.append(i)
            if n.own:
                return Decision(
                    "question", "asks, and has an answer" if n.asks else "has an answer (a concept heading)"
                )
            return Decision(
                "question", "asks (no answer under it)" if n.asks else "numbered like the questions beside it"
            )
        if not last and not asked:
            return Decision("chapter", "an empty heading before the questions it stands over")
        self.placeholders.append(i)
        return Decision("text", "an empty heading among questions: text of the page above")


def _steps(nodes: list[Node], n: Node) -> bool:
    """Are the headings under `n` steps of one answer: none asks, numbered afresh from 0 or 1 and
    on, not carrying `n`'s number (`## 2 单例模式` over `### 1 …`, `### 2 …`)?"""
    kids = [nodes[k] for k in n.kids]
    if any(k.asks or k.h.kind not in HEADING_KINDS for k in kids):
        return False  # a numbered question is a question, not a step
    numbers = [k.h.number for k in kids]
    first = numbers[0] if numbers else None
    if first is None or first.parts[-1] > 1 or any(x is None or _extends(n.h.number, x) for x in numbers):
        return False
    return all(_continues(a, b) for a, b in itertools.pairwise(numbers))


def _asking_kids(nodes: list[Node], n: Node) -> bool:
    """Do more than half of the heads right under `n` ask?"""
    return 2 * sum(nodes[k].asks for k in n.kids) > len(n.kids)


def _shallow(n: Node, depth: int | None) -> bool:
    """Is `n` numbered at a depth above the file's questions (`3.1` over `3.1.1` questions; a
    Chinese numeral over dotted ones)?"""
    number = n.h.number
    return depth is not None and number is not None and number.scheme != "paren" and number.depth < depth


def _deep(n: Node, depth: int | None) -> bool:
    """Is `n` numbered deeper than the file's questions (`3.1.1.1` under `3.1.1` questions)?"""
    number = n.h.number
    return depth is not None and number is not None and number.scheme == "arabic" and number.depth > depth


def answer_role(parent: Node, n: Node, depth: int | None) -> tuple[Role, str]:
    """The role of head `n` right under the question `parent` (in a file whose dotted questions
    have `depth` parts): a follow-up question, or a part of the answer."""
    if n.link:
        return "part", "a link to another page"
    if n.h.kind == "bold":
        return "part", "a bold line inside the answer"
    if n.refs and not n.asks:
        return "part", "the answer's references"
    if n.part and not n.asks:
        return "part", "names a part of the answer"
    if n.h.kind == "fold":
        return "question", "a folded question inside the answer: a follow-up"
    if n.asks:
        return "question", "asks a question of its own: a follow-up"
    if n.h.number is not None:
        if _deep(n, depth):
            return "part", "numbered deeper than the file's questions: a part of the answer"
        if _extends(parent.h.number, n.h.number):
            return "question", "carries its question's number one level deeper: a follow-up"
        return "part", "a numbered step of the answer (its numbering is not its question's)"
    if parent.h.number is None and not parent.asks and n.own:
        return "question", "a sub-topic of a topic heading: a follow-up"
    return "part", "a sub-heading of the answer"


# -- what a layout says --------------------------------------------------------------------------
LAYOUT_HEADS = {
    "bold": ("bold", "bold paragraphs"),
    "list": ("item", "list-item headings"),
    "fold": ("fold", "folded blocks"),
}


def _layout_decisions(nodes: list[Node], layout: Layout) -> dict[int, Decision]:
    """Roles when a layout names the questions: a heading level (shallower headings are
    chapters), or a kind of head (bold paragraphs, list-item headings, folded blocks)."""
    out: dict[int, Decision] = {}
    kind, what = LAYOUT_HEADS.get(str(layout), (None, f"level-{layout} headings"))
    for i, n in enumerate(nodes):
        lv = n.h.level
        if isinstance(layout, int):
            role: Role = "question" if lv == layout else "chapter" if lv < layout else "part"
        elif n.h.kind == kind:
            role = "question"
        else:
            role = "chapter" if n.h.kind in ("md", "html") and _holds(nodes, i, kind) else "text"
        why = {"question": "its questions are {}", "chapter": "a heading over its questions ({})"}.get(
            role, "no question: its questions are {}"
        )
        out[i] = Decision(role, "the layout says so: " + why.format(what))
    return out


def _holds(nodes: list[Node], i: int, kind: str | None) -> bool:
    """Does head `i` hold a head of `kind`?"""
    return any(nodes[k].h.kind == kind or _holds(nodes, k, kind) for k in nodes[i].kids)


# -- the HTML-id rule (the seeds' style) ---------------------------------------------------------
def _mark_sections(questions: list[Heading], lines: list[str]) -> set[int]:
    """Numbered headings that group deeper numbered headings (see the README's rules)."""
    sections: set[int] = set()
    for cur, nxt in itertools.pairwise(questions):
        if nxt.level <= cur.level:
            continue
        assert nxt.number is not None
        blank_between = all(not lines[k].strip() for k in range(cur.index + 1, nxt.index))
        if nxt.number.parts[0] <= 1 or blank_between:
            sections.add(cur.index)
    return sections


def html_decisions(nodes: list[Node], lines: list[str]) -> _Decider | None:
    """Roles for a file whose questions are numbered `<h1|h2|h3 id>` headings; None for other files."""
    numbered = [i for i, n in enumerate(nodes) if n.h.kind == "html" and n.h.anchor is not None and _numbered(n)]
    if not numbered:
        return None
    # Markdown headings that ask, numbered like the questions, are questions too (`### 问题3：…？`
    # after `<h3 id>问题2：…</h3>`): a file may switch style midway.
    numbered = sorted(
        numbered + [i for i, n in enumerate(nodes) if n.h.kind in ("md", "item") and n.asks and _numbered(n)]
    )
    sections = {h.index for h in _sections([nodes[i] for i in numbered], lines)}
    parts = _numbered_parts(nodes, numbered, sections)
    questions = {nodes[i].h.index for i in numbered if nodes[i].h.index not in sections | parts}
    q_level = min(nodes[i].h.level for i in numbered if nodes[i].h.index in questions)
    following = _following_questions(nodes, questions)
    decided = _Decider(nodes)
    last_question: Heading | None = None
    for pos, node in enumerate(nodes):
        h, nxt = node.h, nodes[pos + 1].h if pos + 1 < len(nodes) else None
        if h.index in questions:
            decided.decisions[pos] = Decision("question", "a numbered <hN id> heading (the HTML-id style)")
            last_question = h
        elif h.index in sections:
            decided.decisions[pos] = Decision("chapter", "a numbered heading over deeper numbered ones: a section")
        elif h.index in parts:
            decided.decisions[pos] = Decision(
                "part", "numbered afresh under a question that asks: a part of its answer"
            )
        elif _lost_number(node, nxt, q_level, questions):
            decided.decisions[pos] = Decision("question", "an <hN id> at the questions' level with an answer")
            decided.unnumbered.append(pos)
        elif _runs_across(last_question, following[pos]) and not _linkable_or_chapter(h):
            why = "between two questions whose numbering runs on across it: part of the answer above"
            decided.decisions[pos] = Decision("part", why)
            if not node.own and not node.kids:
                decided.placeholders.append(pos)
        elif h.level <= q_level and h.kind in ("md", "html") and (h.kind == "md" or h.anchor is not None):
            decided.decisions[pos] = Decision("chapter", "a heading no deeper than the questions")
        else:
            decided.decisions[pos] = Decision("part", "deeper than the questions: part of an answer")
    return decided


def _numbered(n: Node) -> bool:
    """A heading numbered in digits at a level questions can have in the HTML-id style."""
    number = n.h.number
    return n.h.level <= HTML_QUESTION_LEVEL_MAX and number is not None and number.scheme == "arabic"


def _sections(questions: list[Node], lines: list[str]) -> list[Heading]:
    """Numbered headings that group deeper numbered ones (see `_mark_sections`), unless they ask:
    a question whose answer lists numbered points is no section."""
    marked = _mark_sections([n.h for n in questions], lines)
    return [n.h for n in questions if n.h.index in marked and not n.asks]


def _numbered_parts(nodes: list[Node], numbered: list[int], sections: set[int]) -> set[int]:
    """Numbered `<hN id>` headings right under a question that asks, numbered afresh (`<h2>4.
    有哪些…？</h2>` over `<h3>1.…</h3>`, `<h3>2.…</h3>`): the points of its answer."""
    parts: set[int] = set()
    above: list[Node] = []  # the numbered headings standing over the current one
    for i in numbered:
        n = nodes[i]
        while above and above[-1].h.level >= n.h.level:
            above.pop()
        parent = above[-1] if above else None
        asking = parent is not None and parent.asks and parent.h.index not in sections | parts
        if asking and parent is not None and not _extends(parent.h.number, n.h.number) and not n.asks:
            parts.add(n.h.index)
            continue
        above.append(n)
    return parts


def _following_questions(nodes: list[Node], questions: set[int]) -> list[Heading | None]:
    """For each head, the first question after it."""
    out: list[Heading | None] = [None] * len(nodes)
    nxt: Heading | None = None
    for pos in range(len(nodes) - 1, -1, -1):
        out[pos] = nxt
        if nodes[pos].h.index in questions:
            nxt = nodes[pos].h
    return out


def _linkable_or_chapter(h: Heading) -> bool:
    """An `<hN id>` (its id was written to be linked to) or a heading titled like a chapter."""
    return (h.kind == "html" and h.anchor is not None) or chapter_titled(h.text)


def _runs_across(before: Heading | None, after: Heading | None) -> bool:
    """Do two questions' numbers run on across what stands between them (5, …, 6)?"""
    return before is not None and after is not None and _continues(before.number, after.number)


def _lost_number(node: Node, nxt: Heading | None, q_level: int, questions: set[int]) -> bool:
    """An unnumbered `<hN id>` at the questions' level, with an answer under it, is a question
    whose number was forgotten; one titled like a chapter (第一部分, Part 2), numbered in another
    scheme (一、), or followed directly by a question is a chapter."""
    h = node.h
    if h.kind != "html" or h.anchor is None or h.number is not None or h.level != q_level or chapter_titled(h.text):
        return False
    return node.own or nxt is None or nxt.index not in questions


# -- the whole reading ----------------------------------------------------------------------------
@dataclass(slots=True)
class Reading:
    """How a file reads: as a whole (`kind`, `why`) and head by head."""

    kind: Kind
    why: str
    nodes: list[Node]
    decisions: dict[int, Decision]
    placeholders: list[int] = field(default_factory=list)
    unnumbered: list[int] = field(default_factory=list)


def read_roles(nodes: list[Node], lines: list[str], s: Survey, near: Neighbours, layout: Layout) -> Reading:
    """The roles of every head of a file (`nodes`, its survey `s`, its neighbours `near`), with
    the layout the file or `mkdocs.yml` asks for, if any."""
    if layout in ("page", "article"):
        return Reading(layout, "the layout says so", nodes, _all_text(nodes, f"the file is one {layout}"))
    if layout == "file":
        return Reading("file", "the layout says so", nodes, _all_text(nodes, "part of the file's one answer"))
    if layout is not None:
        return Reading("questions", "the layout says so", nodes, _layout_decisions(nodes, layout))
    html = html_decisions(nodes, lines)
    if html is not None:
        return Reading(
            "questions",
            "its questions are numbered <hN id> headings",
            nodes,
            html.decisions,
            html.placeholders,
            html.unnumbered,
        )
    kind, why = file_kind(s, near)
    if kind != "questions":
        what = "part of the file's one answer" if kind == "file" else f"the file is one {kind}"
        return Reading(kind, why, nodes, _all_text(nodes, what))
    decided = _Decider(nodes, question_depth(nodes), s.bold >= BOLD_FILE_MIN and s.asking < QUESTIONS_MIN)
    decided.visit([i for i, n in enumerate(nodes) if n.parent is None])
    if not any(d.role == "question" for d in decided.decisions.values()):
        return Reading("page", "no heading reads as a question", nodes, _all_text(nodes, "the file is one page"))
    return Reading(kind, why, nodes, decided.decisions, decided.placeholders, decided.unnumbered)


def _all_text(nodes: list[Node], why: str) -> dict[int, Decision]:
    return {i: Decision("text", why) for i in range(len(nodes))}
