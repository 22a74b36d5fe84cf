"""Content checks beyond what splitting and resolving find: ids, numbering, duplicates, HTML balance, math.

Each check is a plain function over split sources returning diagnostics; `check_sources` runs
them all. The build and `qadocs check` both use it, so each finding is reported once, the same way.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterator

from .mathml import UnsupportedMath, convert_tex, is_display_line
from .model import Diagnostic, Question, Source
from .registry import EMPTY_ANSWER, fingerprint
from .resolve import mask_code_spans
from .similar import candidate_pairs
from .split import FenceTracker

NEAR_TITLE = 0.9
CONTAINER_TAGS = ("div", "details", "table", "blockquote", "center", "ul", "ol", "span", "p", "summary", "font")
TAG_RE = re.compile(r"<(/?)(" + "|".join(CONTAINER_TAGS) + r")\b[^>]*?(/?)>", re.IGNORECASE)


def check_duplicate_ids(src: Source) -> Iterator[Diagnostic]:
    """Two question headings of one file with the same id: links can only reach the first."""
    first: dict[str, Question] = {}
    for q in src.questions:
        if q.anchor in first:
            yield Diagnostic(src.path, q.line, "error", "duplicate-id",
                             f"id '{q.anchor}' is already used by the question at line {first[q.anchor].line}; "
                             "give each heading its own id")
        else:
            first[q.anchor] = q


def check_numbering(src: Source) -> Iterator[Diagnostic]:
    """Question numbers run 0 or 1, 2, 3… inside each chapter; report repeats, gaps and steps back."""
    previous: dict[int | None, int] = {}
    seen: dict[int | None, set[int]] = defaultdict(set)
    for q in src.questions:
        if not q.number.isdigit():
            continue
        n = int(q.number)
        prev = previous.get(q.chapter)
        if prev is not None:
            if n in seen[q.chapter]:
                yield Diagnostic(src.path, q.line, "warning", "number-repeated",
                                 f"question number {n} appears twice in this chapter (after {prev})")
            elif n > prev + 1:
                yield Diagnostic(src.path, q.line, "warning", "number-skipped",
                                 f"question number jumps from {prev} to {n}")
            elif n < prev:
                yield Diagnostic(src.path, q.line, "warning", "number-out-of-order",
                                 f"question number {n} comes after {prev}")
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
        yield Diagnostic(src.path, 1, "info", "no-questions",
                         "no question headings found (expected e.g. <h2 id=\"1.问题\">1.问题</h2>); "
                         "the file becomes a single page")


def _unbalanced(text: str, first_line: int) -> Iterator[tuple[int, str, str]]:
    """(line, tag, problem) for container tags left open or closed without opening, outside code."""
    stack: list[tuple[str, int]] = []
    open_count: dict[str, int] = defaultdict(int)  # name -> times on the stack: no scan per closing tag
    fences = FenceTracker()
    for offset, line in enumerate(text.split("\n")):
        if fences.is_code(line):
            continue
        line = mask_code_spans(line)
        # no tag ends after the last `>`; searching there from each `<` would be quadratic
        for tag in TAG_RE.finditer(line, 0, line.rfind(">") + 1):
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
                yield first_line + offset, name, "closed"
    for open_name, open_line in stack:
        yield open_line, open_name, "open"


def check_html_balance(src: Source) -> Iterator[Diagnostic]:
    """HTML opened in one question (or intro) and not closed before the next heading."""
    parts: list[tuple[str, int, str]] = [(src.intro, src.intro_line, "the intro")]
    parts += [(c.intro, c.intro_line, f"chapter '{c.title}'") for c in src.chapters]
    parts += [(q.body, q.body_line, f"question '{q.title}'") for q in src.questions]
    for text, first_line, where in parts:
        if not text:
            continue
        for line, name, problem in _unbalanced(text, first_line):
            if problem == "open":
                yield Diagnostic(src.path, line, "warning", "unclosed-html",
                                 f"<{name}> is not closed before the end of {where}; close it there, "
                                 "since each question is its own page")
            else:
                yield Diagnostic(src.path, line, "warning", "unclosed-html",
                                 f"</{name}> closes a tag that {where} never opened")


def _inline_math(line: str) -> Iterator[tuple[int, str]]:
    r"""(index, TeX) of each `$…$` and `\(…\)` of one line (code spans already blanked), as
    arithmatex reads them: a `$` escaped as `\$` is text, the content may have spaces but no
    unescaped `$`, and `$$x$$` mid-line yields `x` (the site renders it inline, see
    `mathml.inline_double_dollars`). Linear: each closer
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
                    yield i, line[i + 2:end]
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
                yield i, line[i + 1:j]
                i = j + 1
                continue
        i += 1


def find_math(text: str, first_line: int) -> Iterator[tuple[int, int, str, bool]]:
    r"""(line, col, TeX, display) of each formula of `text` (a body or intro starting at
    `first_line`) as the site renders it: `$…$` and `\(…\)` inline, `$$…$$` and `\[…\]`
    blocks (one line or several, any indent), never inside fenced code or code spans."""
    fences = FenceTracker()
    block: tuple[str, int, int, list[str]] | None = None  # (closer, line, col, TeX lines so far)
    for offset, line in enumerate(text.split("\n")):
        number = first_line + offset
        if fences.is_code(line):
            block = None
            continue
        stripped = line.strip()
        if block is not None:
            closer, start_line, start_col, parts = block
            end = line.find(closer)
            if end >= 0:
                block = None
                yield start_line, start_col, "\n".join([*parts, line[:end]]), True
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
            yield number, col + 1, stripped[2:-2], True
            continue
        if stripped.startswith("\\[") and stripped.endswith("\\]") and len(stripped) > 4:
            yield number, col + 1, stripped[2:-2], True
            continue
        for index, tex in _inline_math(mask_code_spans(line)):
            yield number, index + 1, tex, False


def check_math(src: Source) -> Iterator[Diagnostic]:
    """Formulas that latex2mathml cannot convert, or would show without their operator names:
    the page shows their TeX as code. The same conversion as the site's (`mathml.convert_tex`)."""
    parts: list[tuple[str, int]] = [(src.intro, src.intro_line)]
    parts += [(c.intro, c.intro_line) for c in src.chapters]
    parts += [(q.body, q.body_line) for q in src.questions]
    for text, first_line in parts:
        if not text or ("$" not in text and "\\" not in text):
            continue
        for line, col, tex, display in find_math(text, first_line):
            if not tex.strip():
                continue
            try:
                convert_tex(tex, display)
            except UnsupportedMath as exc:
                shown = " ".join(tex.split())
                shown = shown if len(shown) <= 60 else shown[:57] + "..."
                yield Diagnostic(src.path, line, "warning", "math-unsupported",
                                 f"TeX not converted to MathML ({exc}); the page shows it as source: {shown}",
                                 col)


def check_duplicates(sources: list[Source]) -> Iterator[Diagnostic]:
    """Different questions with the same answer, or with titles at least 90 % alike."""
    by_key: dict[tuple[str, str], Question] = {}
    for q in (q for s in sources for q in s.questions):  # exact duplicates: merged and reported by the planner
        by_key.setdefault((" ".join(q.title.split()), fingerprint(q.body)), q)
    distinct = list(by_key.values())
    by_answer: dict[str, Question] = {}
    reported: set[tuple[int, int]] = set()
    for (_, answer), q in by_key.items():
        if answer == EMPTY_ANSWER:
            continue
        if answer in by_answer:
            other = by_answer[answer]
            reported.add((id(other), id(q)))
            yield Diagnostic(q.source, q.line, "warning", "near-duplicate",
                             f"same answer as '{other.title}' ({other.source}:{other.line}) under another title")
        else:
            by_answer[answer] = q
    titles = [" ".join(q.title.split()) for q in distinct]
    for i, j in candidate_pairs(titles, titles):  # every pair when few, else those sharing bigrams
        if j >= i:
            continue
        q, other = distinct[i], distinct[j]
        if (id(other), id(q)) in reported:
            continue
        matcher = difflib.SequenceMatcher(None, titles[i], titles[j])
        if matcher.real_quick_ratio() < NEAR_TITLE or matcher.quick_ratio() < NEAR_TITLE:
            continue  # upper bounds of ratio()
        ratio = matcher.ratio()
        if ratio >= NEAR_TITLE:
            reported.add((id(other), id(q)))
            yield Diagnostic(q.source, q.line, "warning", "near-duplicate",
                             f"title is {ratio:.0%} like '{other.title}' ({other.source}:{other.line}); "
                             "merge them or make the difference clear")


def check_sources(sources: list[Source]) -> list[Diagnostic]:
    """Every check above, over every source."""
    found: list[Diagnostic] = []
    for src in sources:
        for check in (check_duplicate_ids, check_numbering, check_empty_answers, check_no_questions,
                      check_html_balance, check_math):
            found.extend(check(src))
    found.extend(check_duplicates(sources))
    return found
