"""TeX to MathML at build time (latex2mathml), with what latex2mathml gets wrong rewritten or
refused, and the text rules that find math in a page (`qadocs.extensions.mathml` applies them;
the checks report a formula that cannot be shown)."""

from __future__ import annotations

import html
import logging
import re
from typing import NamedTuple

from latex2mathml.commands import FUNCTIONS, LIMIT, MATRICES
from latex2mathml.converter import convert

from qadocs.core.model import Memo
from qadocs.core.text.lex import code_spans

log = logging.getLogger("mkdocs.plugins.qadocs.mathml")

# The start of arithmatex's wrapper; `math_spans` finds its end with str.find, since a lazy
# `(.*?)\\\)</span>` searched from each start scans to the end of the text for every wrapper
# that is never closed (quadratic).
MATH_OPEN_RE = re.compile(r'<(span|div) class="arithmatex">\\([(\[])')


class MathSpan(NamedTuple):
    """Where a formula stands in rendered HTML (`start`, `end`), its TeX as written, and whether
    it is shown as a block."""

    start: int
    end: int
    tex: str
    display: bool


def math_spans(text: str) -> list[MathSpan]:
    """Each `<span|div class="arithmatex">\\(…\\)</…>` or
    `\\[…\\]` wrapper, left to right, each ending at the first closer of its kind. Linear: a kind
    whose closer is not found is never looked for again, since none follows."""
    found: list[MathSpan] = []
    missing: set[tuple[str, str]] = set()
    pos = 0
    while (m := MATH_OPEN_RE.search(text, pos)) is not None:
        tag, bracket = m.group(1), m.group(2)
        closer = ("\\)" if bracket == "(" else "\\]") + f"</{tag}>"
        end = -1 if (tag, bracket) in missing else text.find(closer, m.end())
        if end < 0:
            missing.add((tag, bracket))
            pos = m.start() + 1
            continue
        found.append(MathSpan(m.start(), end + len(closer), text[m.end() : end], bracket == "["))
        pos = end + len(closer)
    return found


def is_display_line(line: str) -> bool:
    """`$$` alone on its line, or `$$…$$` with something between (spaces around allowed). Linear,
    unlike the regex `^\\s*\\$\\$(?:.*\\S.*\\$\\$)?\\s*$`, which backtracks quadratically."""
    s = line.strip()
    inner = s[2:-2]
    return s == "$$" or (s.startswith("$$") and s.endswith("$$") and bool(inner.strip()) and "\n" not in inner)


class UnsupportedMath(ValueError):
    """TeX that latex2mathml cannot render faithfully; the message says why."""


# Operator names latex2mathml renders as text (`\min` → <mo>min</mo>): the letter check expects them.
OPERATOR_NAMES = frozenset(name[1:] for name in FUNCTIONS + LIMIT) | {"arg", "det", "gcd", "Pr"}
# Names latex2mathml does not know (it prints `\arg` as the identifier "\arg"): rewritten.
UNKNOWN_OPERATORS = frozenset({"arg"})
UNKNOWN_OPERATOR_RE = re.compile(r"\\(" + "|".join(sorted(UNKNOWN_OPERATORS)) + r")(?![A-Za-z])")
# Commands whose braced argument is text that must stay visible.
TEXT_COMMANDS = frozenset(
    {
        "operatorname",
        "operatorname*",
        "text",
        "textrm",
        "textit",
        "textbf",
        "textsf",
        "texttt",
        "mathrm",
        "mbox",
        "hbox",
    }
)
# Environments latex2mathml lays out as tables, and the ones rewritten into them below.
ENVIRONMENTS = frozenset(name.lstrip("\\") for name in MATRICES)
ENVIRONMENT_ALIASES = {  # name: (\begin, \end) written instead; equations are not numbered
    "aligned": ("\\begin{align*}", "\\end{align*}"),
    "align": ("\\begin{align*}", "\\end{align*}"),
    "gathered": ("\\begin{array}{c}", "\\end{array}"),
    "gather": ("\\begin{array}{c}", "\\end{array}"),
    "gather*": ("\\begin{array}{c}", "\\end{array}"),
    "equation": ("", ""),
    "equation*": ("", ""),
}
COMMAND_RE = re.compile(r"\\([A-Za-z]+\*?)")
MATHML_TAG_RE = re.compile(r"<(/?)([A-Za-z]+)[^>]*?(/?)>")  # on latex2mathml output
MATHOP_RE = re.compile(r"\\mathop(?![A-Za-z])")
LIMITS_RE = re.compile(r"\s*\\(no)?limits(?![A-Za-z])")
SCRIPT_RE = re.compile(r"\s*([_^])")
TOKENS = frozenset({"mi", "mo", "mn", "mtext", "ms"})
EMPTY_MO_RE = re.compile(r"<mo(?:\s[^>]*?)?(?:/>|>\s*</mo>)")
OPERATORNAME_RE = re.compile(r"\\operatorname(\*?)\{([^{}]*)\}")
BEGIN_RE = re.compile(r"\\begin\{([^{}]*)\}")
# latex2mathml reads a command's `{…}` argument up to its first `}`, from each such command: when
# arguments open again and again before one closes (`\text{a \text{a …`), it re-reads the rest
# of the formula from every one (quadratic). A formula making it re-read more is refused.
ARGUMENT_REREAD_MAX = 100_000  # characters
ARGUMENT_OPEN_RE = re.compile(r"\\[A-Za-z]+\*?[ \t\n]*\{")


def _brace_ends(tex: str) -> dict[int, int]:
    r"""For each `{` of `tex` outside an escape (`\{`), the index after its matching `}`, or
    `len(tex)` when it is never closed: one pass, so reading every group of a formula is linear."""
    ends: dict[int, int] = {}
    stack: list[int] = []
    n = len(tex)
    i = 0
    while i < n:
        c = tex[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            stack.append(i)
        elif c == "}" and stack:
            ends[stack.pop()] = i + 1
        i += 1
    for start in stack:
        ends[start] = n  # unclosed: the rest (latex2mathml reports it)
    return ends


def _group(tex: str, pos: int, ends: dict[int, int]) -> int:
    """End of the TeX argument starting at `pos` (after spaces): a `{…}` group (its end from
    `ends`, `_brace_ends(tex)`), a command or one character; `pos` itself when there is none."""
    n = len(tex)
    while pos < n and tex[pos] == " ":
        pos += 1
    if pos >= n:
        return pos
    if tex[pos] == "{":
        return ends[pos]
    if tex[pos] == "\\":
        m = COMMAND_RE.match(tex, pos)
        return m.end() if m else min(pos + 2, n)
    return pos + 1


def _unbrace(arg: str) -> str:
    arg = arg.strip()
    return arg[1:-1] if arg.startswith("{") and arg.endswith("}") else arg


def _operator_text(inner: str) -> str | None:
    r"""The letters an operator shows (`\rm min`, `\mathrm{min}`, `\arg\max` → "min", "argmax"),
    or None when it holds more than letters and operator names."""
    words: list[str] = []
    for part in re.split(r"(\\[A-Za-z]+\*?|[{}\s]|\\[,;:! ])", inner):
        if not part or part.isspace() or part in ("{", "}", "\\,", "\\;", "\\:", "\\!", "\\ "):
            continue
        if part.startswith("\\"):
            name = part[1:]
            if name in ("rm", "mathrm", "operatorname", "text", "textrm"):
                continue
            if name not in OPERATOR_NAMES:
                return None
            words.append(name)
        elif part.isascii() and part.isalpha():
            words.append(part)
        else:
            return None
    return "".join(words) or None


def _rewrite_mathop(tex: str) -> str:
    r"""`\mathop{X}` (which latex2mathml nests inside an `<mo>`, where browsers show nothing)
    becomes `\X` for one operator command, `\operatorname{letters}` for a name, and otherwise
    `{X}`, with a following `\limits_a^b` turned into `\underset`/`\overset`."""
    out: list[str] = []
    pos = 0
    ends = _brace_ends(tex)
    while (found := MATHOP_RE.search(tex, pos)) is not None:
        out.append(tex[pos : found.start()])
        arg_end = _group(tex, found.end(), ends)
        inner = _unbrace(tex[found.end() : arg_end])
        pos = arg_end
        text = _operator_text(inner)
        single = COMMAND_RE.fullmatch(inner.strip())
        if single and (single.group(1) not in UNKNOWN_OPERATORS):
            out.append(inner.strip())  # `\mathop{\min}` is `\min`, `\mathop{\sum}` is `\sum`
            continue
        if text is not None:
            out.append("\\" + text if text in ("argmax", "argmin") else "\\operatorname{" + text + "}")
            continue
        # any other operator: limits above and below become under/over scripts
        lim = LIMITS_RE.match(tex, pos)
        if lim is None or lim.group(1):
            out.append("{" + inner + "}")
            if lim is not None:
                pos = lim.end()
            continue
        pos = lim.end()
        under = over = None
        for _ in range(2):
            m = SCRIPT_RE.match(tex, pos)
            if m is None:
                break
            end = _group(tex, m.end(), ends)
            arg = tex[m.end() : end]
            if m.group(1) == "_":
                under = arg
            else:
                over = arg
            pos = end
        body = "{" + inner + "}"
        if over is not None:
            body = "\\overset{" + _unbrace(over) + "}{" + body + "}"
        if under is not None:
            body = "\\underset{" + _unbrace(under) + "}{" + body + "}"
        out.append(body)
    out.append(tex[pos:])
    return "".join(out)


def _plain_operatorname(m: re.Match[str]) -> str:
    text = _operator_text(m.group(2))
    return m.group(0) if text is None else "\\operatorname" + m.group(1) + "{" + text + "}"


def prepare_tex(tex: str) -> str:
    r"""TeX rewritten into forms latex2mathml renders with every name visible: `\mathop`,
    unknown operator names (`\arg`), `aligned`/`gathered`/numbered environments."""
    tex = tex.strip()
    if "\\mathop" in tex:
        tex = _rewrite_mathop(tex)
    if "\\operatorname" in tex:  # `\operatorname{arg\,max}`: latex2mathml shows an empty operator
        tex = OPERATORNAME_RE.sub(_plain_operatorname, tex)
    tex = UNKNOWN_OPERATOR_RE.sub(r"\\operatorname{\1}", tex)
    if "\\begin" in tex:
        for env, (begin, end) in ENVIRONMENT_ALIASES.items():
            tex = tex.replace("\\begin{" + env + "}", begin).replace("\\end{" + env + "}", end)
    return tex


def expected_names(tex: str) -> list[str]:
    r"""The letters each operator name or text of `tex` must show (`\min`, `\operatorname{KL}`,
    `\text{损失}`), as alphanumerics only."""
    names: list[str] = []
    ends = _brace_ends(tex) if "{" in tex else {}
    for m in COMMAND_RE.finditer(tex):
        name = m.group(1)
        if name in OPERATOR_NAMES:
            names.append(name)
        elif name in TEXT_COMMANDS:
            end = _group(tex, m.end(), ends)
            arg = tex[m.end() : end]
            if arg.startswith("{") and "\\" not in arg and "$" not in arg:
                letters = "".join(c for c in arg if c.isalnum())
                if letters:
                    names.append(letters)
    return names


def mathml_problem(tex: str, mathml: str) -> str | None:
    """Why `mathml` does not show `tex` faithfully, or None: an element nested inside a token
    (browsers show it empty), an empty operator, a command or `&` printed as text, an
    environment latex2mathml does not know, or an operator name or text of `tex` missing."""
    if EMPTY_MO_RE.search(mathml):
        return "empty operator"
    stack: list[str] = []
    text_parts: list[str] = []
    pos = 0
    for tag in MATHML_TAG_RE.finditer(mathml):
        if stack and stack[-1] in TOKENS:
            content = mathml[pos : tag.start()]
            text = html.unescape(content)
            if text.startswith("\\"):
                return f"unknown command {text.split()[0]}"
            if stack[-1] == "mi" and content == "&":  # a column separator outside a table
                return "'&' outside a table environment"
            text_parts.append(text)
        pos = tag.end()
        closing, name, selfclosing = tag.group(1), tag.group(2), tag.group(3)
        if closing:
            if stack:
                stack.pop()
        elif stack and stack[-1] in TOKENS:
            return f"<{name}> inside <{stack[-1]}> (shown empty)"
        elif not selfclosing:
            stack.append(name)
    for env in BEGIN_RE.findall(tex):
        if env not in ENVIRONMENTS:
            return f"environment {env} not supported"
    shown = "".join(c for c in "".join(text_parts) if c.isalnum())
    cursor = 0  # names show in their order: each is looked for from where the one before ended
    for name in dict.fromkeys(expected_names(tex)):
        found = shown.find(name, cursor)
        if found >= 0:
            cursor = found + len(name)
        elif name not in shown:
            return f"'{name}' is not shown"
    return None


def convert_tex(tex: str, display: bool = False) -> str:
    """MathML for `tex`; raises UnsupportedMath when latex2mathml fails or loses text.
    The one answer to "does this TeX convert", used by the site and by `qadocs check` (each
    formula converted once: `qadocs check` reads them all, then the pages show them)."""
    return _MATHML((tex, display))


def argument_rereads(tex: str) -> int:
    """Characters latex2mathml reads again to find where each command's `{` argument ends (its
    first `}`), worked out in one pass."""
    total = 0
    close = -1  # the first `}` after the last opening looked at
    for m in ARGUMENT_OPEN_RE.finditer(tex):
        if close < m.end():
            close = tex.find("}", m.end())
            if close < 0:
                close = len(tex)
        total += close - m.end()
    return total


def _convert_tex(key: tuple[str, bool]) -> str:
    tex, display = key
    prepared = prepare_tex(tex)
    rereads = argument_rereads(prepared)
    if rereads > ARGUMENT_REREAD_MAX:
        raise UnsupportedMath(
            f"command arguments open again before one closes: the converter would read {rereads:,} "
            f"characters again (at most {ARGUMENT_REREAD_MAX:,})"
        )
    try:
        mathml = convert(prepared, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many types; bad TeX must not stop a build
        raise UnsupportedMath(f"{type(exc).__name__}{': ' + str(exc) if str(exc) else ''}") from exc
    problem = mathml_problem(prepared, mathml) or mathml_problem(tex.replace("\\begin", ""), mathml)
    if problem:
        raise UnsupportedMath(problem)
    return mathml


_MATHML: Memo[tuple[str, bool], str] = Memo(_convert_tex)  # what fails is not kept: it raises each time


def tex_to_mathml(tex: str, display: bool, error_level: int = logging.WARNING) -> str:
    """MathML for `tex`, or the TeX as escaped code when it cannot be converted."""
    tag = "div" if display else "span"
    try:
        mathml = convert_tex(tex, display)
    except UnsupportedMath as exc:
        log.log(error_level, "qadocs: TeX not converted (%s): %s", exc, tex)
        source = html.escape(("\\[%s\\]" if display else "\\(%s\\)") % tex, quote=False)
        return f'<{tag} class="arithmatex arithmatex-error"><code>{source}</code></{tag}>'
    return f'<{tag} class="arithmatex arithmatex-mathml">{mathml}</{tag}>'


def block_indent(line: str) -> str:
    """An opening `$$` line with its indentation cut to a multiple of 4 spaces: inside a list item
    (content at 4 spaces per level after qadocs.extensions.gfm) `   $$` keeps its item but now starts the
    block, which arithmatex only sees as math when `$$` comes first."""
    indent = len(line) - len(line.lstrip(" "))
    return line[indent % 4 :] if indent % 4 else line


def inline_double_dollars(line: str) -> str:
    """`a $$x$$ b` in running text is inline math on GitHub: written `$x$` for arithmatex (which
    would show the outer `$` as text). Code spans are left alone; `$$` alone on a line is a block.
    Linear: each `$$` is found once, left to right."""
    if "$$" not in line or is_display_line(line):
        return line
    code = code_spans(line)
    k = 0  # the first code span that does not end before the `$$` looked at (both go left to right)
    out: list[str] = []
    pos = 0
    while (start := line.find("$$", pos)) >= 0:
        end = line.find("$$", start + 2)
        if end < 0:
            break
        while k < len(code) and code[k][1] <= start:
            k += 1
        in_code = k < len(code) and code[k][0] < end + 2  # a span overlaps `$$…$$`
        inner = line[start + 2 : end]
        if not inner.strip() or "$" in inner or in_code:
            out.append(line[pos : start + 2])
            pos = start + 2
            continue
        out.append(line[pos:start] + "$" + inner + "$")
        pos = end + 2
    out.append(line[pos:])
    return "".join(out)
