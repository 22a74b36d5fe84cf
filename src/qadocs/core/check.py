"""Content checks beyond what splitting and resolving find: ids, numbering, duplicates, HTML balance, math.

Each check is a plain function over split sources returning diagnostics; `check_sources` runs
them all. The build and `qadocs check` both use it, so each finding is reported once, the same way.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from typing import NamedTuple

from pypinyin import Style, pinyin

from qadocs.core.model import EMPTY_ANSWER, Diagnostic, Memo, Question, Same, Source, folded, question_key
from qadocs.core.text.chinese import CN_NUMERALS, is_han
from qadocs.core.text.gfmblocks import MAX_HTML_NESTING, analyse, markdown_nesting
from qadocs.core.text.lex import (
    CONTAINER_TAG_RE,
    LINK_WORK_MAX,
    LIST_MARKER,
    PARAGRAPH_MAX,
    code_of,
    costly_paragraphs,
    find_tags,
    mask,
)
from qadocs.core.text.tex import UnsupportedMath, convert_tex, is_display_line

TEX_SHOWN = 60  # characters of a formula's TeX a `math-unsupported` message shows


def check_duplicate_ids(src: Source) -> Iterator[Diagnostic]:
    """Two question headings of one file with the same id: links can only reach the first."""
    first: dict[str, Question] = {}
    for q in src.questions:
        if q.anchor in first:
            yield Diagnostic(
                src.path,
                q.line,
                "error",
                "duplicate-id",
                f"id '{q.anchor}' is already used by the question at line {first[q.anchor].line}; "
                "give each heading its own id",
            )
        else:
            first[q.anchor] = q


def check_numbering(src: Source) -> Iterator[Diagnostic]:
    """Question numbers run 0 or 1, 2, 3… inside each chapter; report repeats, gaps and steps back."""
    previous: dict[int | None, int] = {}
    seen: dict[int | None, set[int]] = defaultdict(set)
    for q in src.questions:
        if not q.number.isdigit() or q.parent is not None:  # a follow-up is numbered in its question
            continue
        n = int(q.number)
        prev = previous.get(q.chapter)
        if prev is not None:
            if n in seen[q.chapter]:
                yield Diagnostic(
                    src.path,
                    q.line,
                    "warning",
                    "number-repeated",
                    f"question number {n} appears twice in this chapter (after {prev})",
                )
            elif n > prev + 1:
                yield Diagnostic(
                    src.path, q.line, "warning", "number-skipped", f"question number jumps from {prev} to {n}"
                )
            elif n < prev:
                yield Diagnostic(
                    src.path, q.line, "warning", "number-out-of-order", f"question number {n} comes after {prev}"
                )
        previous[q.chapter] = n
        seen[q.chapter].add(n)


def check_empty_answers(src: Source) -> Iterator[Diagnostic]:
    """A question heading with nothing under it."""
    for q in src.questions:
        if not q.body.strip():
            yield Diagnostic(src.path, q.line, "warning", "empty-answer", f"question '{q.title}' has no answer")


def check_no_questions(src: Source) -> Iterator[Diagnostic]:
    """A source without questions becomes one page; say so, it may be a heading typo."""
    if not src.questions:
        why = f" ({src.why})" if src.why else ""
        yield Diagnostic(
            src.path,
            1,
            "info",
            "no-questions",
            f"no questions found: the file reads as one {'article' if src.kind == 'article' else 'page'}{why}; "
            "`qadocs check --explain` shows how each heading was read",
        )


class Unbalanced(NamedTuple):
    """A container tag left open, or closed without opening (`problem`: "open" or "closed")."""

    line: int
    tag: str
    problem: str


class Part(NamedTuple):
    """A piece of a source's text checked on its own: an intro or an answer, where it starts,
    and how a message names it."""

    text: str
    first_line: int
    where: str


class Formula(NamedTuple):
    """A formula as the site renders it: where its TeX starts, the TeX, and whether it is a block."""

    line: int
    col: int
    tex: str
    display: bool


def _unbalanced(text: str, first_line: int) -> Iterator[Unbalanced]:
    """Container tags left open or closed without opening, outside code."""
    stack: list[tuple[str, int]] = []
    open_count: dict[str, int] = defaultdict(int)  # name -> times on the stack: no scan per closing tag
    code = code_of(text)
    for offset, line in enumerate(text.split("\n")):
        if code.is_block(offset):
            continue
        for tag in find_tags(CONTAINER_TAG_RE, mask(line, code.spans_on(offset))):
            closing, name, selfclosing = tag.group(1), tag.group(2).lower(), tag.group(3)
            if selfclosing:
                continue
            if not closing:
                stack.append((name, first_line + offset))
                open_count[name] += 1
            elif open_count[name]:
                while stack:
                    open_name, _ = stack.pop()
                    open_count[open_name] -= 1
                    if open_name == name:
                        break
            else:
                yield Unbalanced(first_line + offset, name, "closed")
    for open_name, open_line in stack:
        yield Unbalanced(open_line, open_name, "open")


def _parts(src: Source) -> list[Part]:
    """The source's intro, its chapters' intros and its answers, in that order."""
    parts = [Part(src.intro, src.intro_line, "the intro")]
    parts += [Part(c.intro, c.intro_line, f"chapter '{c.title}'") for c in src.chapters]
    parts += [Part(q.body, q.body_line, f"question '{q.title}'") for q in src.questions]
    return parts


def check_html_balance(src: Source) -> Iterator[Diagnostic]:
    """HTML opened in one question (or intro) and not closed before the next heading."""
    for text, first_line, where in _parts(src):
        if not text:
            continue
        for line, name, problem in _unbalanced(text, first_line):
            if problem == "open":
                yield Diagnostic(
                    src.path,
                    line,
                    "warning",
                    "unclosed-html",
                    f"<{name}> is not closed before the end of {where}; close it there, "
                    "since each question is its own page",
                )
            else:
                yield Diagnostic(
                    src.path, line, "warning", "unclosed-html", f"</{name}> closes a tag that {where} never opened"
                )


def check_html_nesting(src: Source) -> Iterator[Diagnostic]:
    """`markdown` HTML blocks nested past what md_in_html can render (its recursion): the page reads
    them as GitHub does."""
    for text, first_line, _ in _parts(src):
        if text.count("<") <= MAX_HTML_NESTING or "markdown" not in text.lower():
            continue  # too few tags, or none with a `markdown` attribute: no markdown-it parse
        deepest, at = markdown_nesting(analyse(text)[0])
        if at >= 0:
            yield Diagnostic(
                src.path,
                first_line + at,
                "warning",
                "html-nested-deep",
                f"HTML blocks with a `markdown` attribute nest {deepest} tags deep (more than "
                f"{MAX_HTML_NESTING}); the page reads them as GitHub does, the attribute ignored",
            )


def _inline_math(line: str) -> Iterator[tuple[int, str]]:
    r"""(index, TeX) of each `$…$` and `\(…\)` of one line (code spans already blanked), as
    arithmatex reads them: a `$` escaped as `\$` is text, the content may have spaces but no
    unescaped `$`, and `$$x$$` mid-line yields `x` (the site renders it inline, see
    `tex.inline_double_dollars`). Linear: each closer
    is looked for once; once one is missing, none follows."""
    n = len(line)
    no_dollar = no_paren = False
    i = 0
    while i < n:
        c = line[i]
        if c == "\\":
            if line.startswith("\\(", i) and not no_paren:
                end = line.find("\\)", i + 2)
                if end < 0:
                    no_paren = True
                elif end > i + 2:
                    yield i, line[i + 2 : end]
                    i = end + 2
                    continue
            i += 2
            continue
        if c == "$" and not no_dollar and not line.startswith("$$", i):
            j = i + 1
            while j < n and line[j] != "$":
                j += 2 if line[j] == "\\" else 1
            if j >= n:
                no_dollar = True
            else:
                yield i, line[i + 1 : j]
                i = j + 1
                continue
        i += 1


def find_math(text: str, first_line: int) -> Iterator[Formula]:
    r"""Each formula of `text` (a body or intro starting at
    `first_line`) as the site renders it: `$…$` and `\(…\)` inline, `$$…$$` and `\[…\]`
    blocks (one line or several, any indent), never inside code blocks or code spans (`lex.code_of`)."""
    code = code_of(text)
    block: tuple[str, int, int, list[str]] | None = None  # (closer, line, col, TeX lines so far)
    for offset, line in enumerate(text.split("\n")):
        number = first_line + offset
        if code.is_block(offset):
            block = None
            continue
        stripped = line.strip()
        if block is not None:
            closer, start_line, start_col, parts = block
            end = line.find(closer)
            if end >= 0:
                block = None
                yield Formula(start_line, start_col, "\n".join([*parts, line[:end]]), True)
            elif not stripped:
                block = None  # a blank line ends the paragraph: it was no formula
            else:
                parts.append(line)
            continue
        col = len(line) - len(line.lstrip())
        if stripped in ("$$", "\\["):
            block = ("$$" if stripped == "$$" else "\\]", number, col + 1, [])
            continue
        if is_display_line(line):
            yield Formula(number, col + 1, stripped[2:-2], True)
            continue
        if stripped.startswith("\\[") and stripped.endswith("\\]") and len(stripped) > 4:
            yield Formula(number, col + 1, stripped[2:-2], True)
            continue
        for index, tex in _inline_math(mask(line, code.spans_on(offset))):
            yield Formula(number, index + 1, tex, False)


def check_math(src: Source) -> Iterator[Diagnostic]:
    """Formulas that latex2mathml cannot convert, or would show without their operator names:
    the page shows their TeX as code. The same conversion as the site's (`tex.convert_tex`)."""
    for text, first_line, _ in _parts(src):
        if not text or ("$" not in text and "\\" not in text):
            continue
        for line, col, tex, display in find_math(text, first_line):
            if not tex.strip():
                continue
            try:
                convert_tex(tex, display)
            except UnsupportedMath as exc:
                shown = " ".join(tex.split())
                shown = shown if len(shown) <= TEX_SHOWN else shown[: TEX_SHOWN - 3] + "..."
                yield Diagnostic(
                    src.path,
                    line,
                    "warning",
                    "math-unsupported",
                    f"TeX not converted to MathML ({exc}); the page shows it as source: {shown}",
                    col,
                )


def check_costly_paragraphs(src: Source) -> Iterator[Diagnostic]:
    """Paragraphs Python-Markdown would take minutes to render (`lex.costly_paragraphs`): the
    page shows them as written, as preformatted text."""
    parts: list[tuple[str, int]] = [(src.intro, src.intro_line)]
    parts += [(c.intro, c.intro_line) for c in src.chapters]
    parts += [(q.body, q.body_line) for q in src.questions]
    for text, first_line in parts:
        costly = costly_paragraphs(text)
        open_tags = [c for c in costly if c.open_tags]
        if open_tags:
            tags, blocks = sum(c.open_tags for c in open_tags), len(open_tags)
            yield Diagnostic(
                src.path,
                first_line + open_tags[0].start,
                "warning",
                "paragraph-too-costly",
                f"{tags:,} `<` open a tag that no `>` after them closes (in {blocks:,} block(s) from here on): "
                f"Python's HTML parser would read on to the end of the text from each, for minutes; the page "
                f"shows those blocks as written, as preformatted text: write `&lt;` for a `<` that is not a tag",
            )
        for c in costly:
            if c.open_tags:
                continue
            why = (
                f"{c.size:,} characters (at most {PARAGRAPH_MAX:,})"
                if c.size > PARAGRAPH_MAX
                else f"{c.brackets:,} `[` in {c.size:,} characters (`[` × characters at most {LINK_WORK_MAX:,})"
            )
            yield Diagnostic(
                src.path,
                first_line + c.start,
                "warning",
                "paragraph-too-costly",
                f"a paragraph of {why} would take Python-Markdown minutes to render; the page shows it "
                "as written, as preformatted text: split it with blank lines, or close its links",
            )


# Near-duplicate titles. Two titles ask the same question when they are equal once everything that
# carries no meaning is set aside (`title_key`): width and case (NFKC, casefold), white space,
# punctuation, the particles below, polite fillers and the conjunctions 和/与/及/以及 (so `A与B的区别`
# is `A和B的区别` is `A、B的区别`). Whatever still differs is content (`是什么` vs `存在什么问题`,
# `输入` vs `输出`, `GRU` vs `RNN`) and makes them different questions, with one exception: a single
# Chinese character replaced by a homophone (same pinyin, tones aside), the typical input-method typo,
# in a title long enough that the rest confirms the copy.
IGNORED_PHRASES = ("请问", "以及", "一下", "请")  # removed first, longest first
IGNORED_CHARS = "的地得了呢吗吧啊呀嘛哦" + "和与及"  # particles, then conjunctions
KEPT_PUNCTUATION = "#%"  # C# is not C; 50% is not 50
TYPO_MIN_KEY, TYPO_MAX_KEY = 8, 100  # a homophone typo is looked for in keys of this many characters
_DROP_CHARS = str.maketrans("", "", IGNORED_CHARS)

# Placeholder answers (`- [ ] TODO`, `待补充`, `（待完善）`, `...`) share one fingerprint across
# unrelated questions: like empty answers, they are never compared. An answer is a placeholder when
# nothing is left once comments, layout tags, task and list markers, everything that is not a letter
# or digit, and the placeholder words below are removed. Images, links, code and any real word count.
PLACEHOLDER_MAX = 1000  # characters; a longer answer is content (and the patterns below stay cheap)
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_LAYOUT_TAG_RE = re.compile(
    r"</?(?!(?:img|video|audio|iframe|svg|math|object|embed|picture|source)\b)"
    r"[a-zA-Z][^<>]*>"
)
_MARKER_RE = re.compile(  # a list item's marker, or `1、` as Chinese authors number items
    f"^[ \\t>]*(?:(?:{LIST_MARKER}|\\d{{1,9}}、)(?=\\s|$))?\\s*(?:\\[[ xX]?\\](?=\\s|$))?", re.MULTILINE
)
_PLACEHOLDER_WORD_RE = re.compile(  # removed left to right: linear, no backtracking over the residue
    r"todo|tbd|tba|tbc|fixme|wip|x{3,}|placeholder|comingsoon|none|null|na"
    r"|待(?:补充|完善|更新|整理|添加|回答|解答|完成|编辑|修改|确认|补|续|定|写)中?"
    r"|[暂尚](?:无|缺|未)(?:答案|内容|完成|回答|解答)?|未完(?:成|待续)?|略|空|无|答案|回答|解答|内容"
)


def is_placeholder(answer: str) -> bool:
    """True when the answer has no real content: empty, or only markers, punctuation and placeholder words."""
    if len(answer) > PLACEHOLDER_MAX:
        return False
    text = _LAYOUT_TAG_RE.sub(" ", _COMMENT_RE.sub(" ", answer))
    text = unicodedata.normalize("NFKC", _MARKER_RE.sub("", text)).casefold()
    residue = "".join(ch for ch in text if ch.isalnum())
    return not _PLACEHOLDER_WORD_RE.sub("", residue)


def title_key(title: str) -> str:
    """The title with what carries no meaning removed: equal keys mean the same question."""
    return _TITLE_KEYS(title)


def _title_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    kept = []
    for k, ch in enumerate(text):
        if ch.isspace() or unicodedata.category(ch) == "Cf":
            continue  # format characters show nothing: zero-width space and joiner, soft hyphen, bidi marks, BOM
        decimal_point = ch == "." and 0 < k < len(text) - 1 and text[k - 1].isdigit() and text[k + 1].isdigit()
        if unicodedata.category(ch).startswith("P") and ch not in KEPT_PUNCTUATION and not decimal_point:
            continue  # punctuation carries no meaning, but 3.5 is not 35
        kept.append(ch)
    key = "".join(kept)
    for phrase in IGNORED_PHRASES:
        key = key.replace(phrase, "")
    return key.translate(_DROP_CHARS)


_TITLE_KEYS: Memo[str, str] = Memo(_title_key)  # each title read once, in this generation and the next


@functools.lru_cache(maxsize=4096)
def _readings(ch: str) -> frozenset[str]:
    """Every toneless pinyin reading of one character."""
    return frozenset(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


def _typo_pairs(keys: list[str]) -> Iterator[tuple[int, int]]:
    """(earlier, later) indexes of keys equal but for one Chinese character swapped for a homophone.

    Two keys of one length that differ in one place share the half without it, so keys are first
    bucketed by each half (two entries per key); inside a bucket, by the other half with one
    position left out. Linear in the number of keys (each bucket is searched once); no pair is missed."""
    halves: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for n, key in enumerate(keys):
        if TYPO_MIN_KEY <= len(key) <= TYPO_MAX_KEY:
            mid = len(key) // 2
            halves[(len(key), 0, key[:mid])].append(n)  # the left half is shared: they differ on the right
            halves[(len(key), 1, key[mid:])].append(n)
    for (length, side, _), members in halves.items():
        if len(members) < 2:
            continue
        lo, hi = (length // 2, length) if side == 0 else (0, length // 2)
        for i in range(lo, hi):
            rest: dict[str, list[int]] = defaultdict(list)
            for n in members:
                ch = keys[n][i]
                if is_han(ch) and ch not in CN_NUMERALS:  # a changed number is never a typo
                    rest[keys[n][lo:i] + keys[n][i + 1 : hi]].append(n)
            for alike in rest.values():  # these differ in position i only
                if len(alike) < 2:
                    continue
                first_by_sound: dict[str, int] = {}
                for n in alike:
                    for reading in sorted(_readings(keys[n][i])):
                        if reading in first_by_sound:
                            yield first_by_sound[reading], n
                        else:
                            first_by_sound[reading] = n


def _title_message(title: str, other: Question, why: str = "") -> str:
    """`title is 93% like '…' (path:line), differing only in '？' → '?'; merge them …`."""
    return _TITLE_MESSAGES((title, other.title, f"'{other.title}' ({other.source}:{other.line})", why))


def _title_message_of(key: tuple[str, str, str, str]) -> str:
    """`_title_message` of (title, the other title, where the other stands, why), worked out
    (difflib, for each near-duplicate found)."""
    title, other_title, where, why = key
    a, b = folded(other_title), folded(title)
    if len(a) + len(b) > 2 * TYPO_MAX_KEY:  # difflib is quadratic: no detail for paragraph-long titles
        return (
            f"title is {where} once spacing, punctuation and particles are set aside{why}; "
            "merge them or make the difference clear"
        )
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    runs = [
        f"'{_visible(a[i1:i2])}' → '{_visible(b[j1:j2])}'"
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
    differing = (", differing only in " + ", ".join(runs[:3]) + (", …" if len(runs) > 3 else "") + why) if runs else ""
    return f"title is {matcher.ratio():.0%} like {where}{differing}; merge them or make the difference clear"


def _visible(text: str) -> str:
    """`text` with each format character (invisible) written as its code point, `<U+200B>`."""
    return "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch) == "Cf" else ch for ch in text)


_TITLE_MESSAGES: Memo[tuple[str, str, str, str], str] = Memo(_title_message_of)


def _same_answers(by_key: dict[tuple[str, str], Question], reported: set[tuple[int, int]]) -> Iterator[Diagnostic]:
    """Questions with another title but the same real answer as an earlier one."""
    by_answer: dict[str, Question] = {}
    for (_, answer), q in by_key.items():
        if answer == EMPTY_ANSWER:
            continue
        if answer not in by_answer:
            by_answer[answer] = q
            continue
        other = by_answer[answer]
        if is_placeholder(q.body):  # `TODO`, `待补充`: says nothing, like an empty answer
            continue
        reported.add((id(other), id(q)))
        message = f"same answer as '{other.title}' ({other.source}:{other.line}) under another title"
        yield Diagnostic(q.source, q.line, "warning", "near-duplicate", message)


def _same_titles(distinct: list[Question], reported: set[tuple[int, int]]) -> list[tuple[int, Diagnostic]]:
    """(position, finding) of questions whose title means the same as an earlier one's, or
    differs from it in one same-sounding character (a typo)."""
    found: list[tuple[int, Diagnostic]] = []
    groups: dict[str, list[int]] = {}  # title key -> indexes into distinct, in order
    for n, q in enumerate(distinct):
        key = title_key(q.title)
        if key:
            groups.setdefault(key, []).append(n)
    pairs = [(groups[key][0], n, "") for key in groups for n in groups[key][1:]]
    keys = list(groups)
    for a, b in _typo_pairs(keys):
        m, n = sorted((groups[keys[a]][0], groups[keys[b]][0]))
        pairs.append((m, n, " (alike in sound: a typo?)"))
    for m, n, why in pairs:
        q, other = distinct[n], distinct[m]
        if (id(other), id(q)) not in reported:
            reported.add((id(other), id(q)))
            found.append(
                (n, Diagnostic(q.source, q.line, "warning", "near-duplicate", _title_message(q.title, other, why)))
            )
    return found


def check_duplicates(sources: list[Source]) -> Iterator[Diagnostic]:
    """Different questions with the same real answer, or with titles that differ only in what carries no meaning."""
    by_key: dict[tuple[str, str], Question] = {}
    for q in (q for s in sources for q in s.questions):  # exact duplicates: merged and reported by the planner
        by_key.setdefault(question_key(q), q)
    reported: set[tuple[int, int]] = set()
    yield from _same_answers(by_key, reported)
    for _, diag in sorted(_same_titles(list(by_key.values()), reported), key=lambda item: item[0]):
        yield diag


SOURCE_CHECKS = (
    check_duplicate_ids,
    check_numbering,
    check_empty_answers,
    check_no_questions,
    check_html_balance,
    check_html_nesting,
    check_math,
    check_costly_paragraphs,
)


def _source_findings(src: Same[Source]) -> tuple[Diagnostic, ...]:
    return tuple(diag for check in SOURCE_CHECKS for diag in check(src.held))


# What the checks of one source find depends on that source alone: a file the splitter did not
# read again (the same `Source`) is not checked again either.
_SOURCE_FINDINGS: Memo[Same[Source], tuple[Diagnostic, ...]] = Memo(_source_findings)


def check_sources(sources: list[Source]) -> list[Diagnostic]:
    """Every check above, over every source."""
    found = [diag for src in sources for diag in _SOURCE_FINDINGS(Same(src))]
    found.extend(check_duplicates(sources))
    return found
