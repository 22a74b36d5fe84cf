"""The shape of `src/qadocs`, checked on its syntax tree: small functions, small classes with
behaviour, and stages that import only earlier stages (data flows one way)."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "qadocs"


MAX_FUNCTION_LINES = 50


MAX_CLASS_LINES = 120


MAX_CLASS_ATTRIBUTES = 8


# The three parts, by folder: core/ (sources in, pages out: what `qadocs split` runs alone),
# extensions/ (Python-Markdown extensions), plugin/ (the MkDocs adapter). At the top: the
# package, the command line, and a module per extension under the name mkdocs.yml files use.
PARTS = ("core", "extensions", "plugin")


TOP = {"__init__", "cli"}


# Inside core/, stages in the order data flows; each is a folder or a module directly in core/.
# A module imports its own stage or an earlier one, never a later one.
CORE_STAGES = [
    {"model", "errors", "options"},  # the records and options every stage shares
    {"text"},  # rules about text: lexing, phrasing, slugs, escaping, URLs, math, GFM blocks
    {"split"},  # sources into chapters and questions
    {"check"},
    {"registry"},  # permanent ids, and where each page goes
    {"plan"},  # links and images resolved, pages and indexes planned
    {"write"},
    {"build"},  # a whole generation
    {"__init__"},
]


# Outside libraries each part may not import. Only the plugin imports mkdocs (and Jinja, and
# starts processes); the extensions are Python-Markdown's, the core is neither.
FORBIDDEN = {
    "core": {"mkdocs", "markdown", "pymdownx", "jinja2", "multiprocessing", "concurrent"},
    "extensions": {"mkdocs", "jinja2", "multiprocessing", "concurrent"},
    "cli": {"mkdocs", "markdown", "pymdownx", "jinja2", "multiprocessing", "concurrent"},
}


# The qadocs parts each part may import.
MAY_IMPORT = {
    "core": {"core"},
    "extensions": {"core", "extensions"},
    "plugin": {"core", "extensions", "plugin"},
    "cli": {"core"},
}


IMPORT_LEVELS_MAX = 9  # the longest chain of qadocs modules importing one another (12 before issue 22)


def _modules() -> dict[str, ast.Module]:
    """Every module of the package by its dotted path under qadocs (`core.text.lex`)."""
    return {
        ".".join(p.relative_to(SRC).with_suffix("").parts): ast.parse(p.read_text(encoding="utf-8"), str(p))
        for p in sorted(SRC.rglob("*.py"))
    }


def _imports(tree: ast.Module, name: str = "") -> set[str]:
    """The modules `tree` (the module `name`) imports: qadocs ones by their dotted path under
    qadocs, others by their top-level name."""
    found = set()
    package = name.rsplit(".", 1)[0] if "." in name else ""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if package else []
            found.add(".".join([*base, *([node.module] if node.module else [])]))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qadocs."):
            found.add(node.module.removeprefix("qadocs."))
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


def _part(name: str) -> str:
    """core, extensions, plugin, cli, or "shim" for a top-level module named after an extension."""
    first = name.split(".")[0]
    return first if first in PARTS or first == "cli" else "shim" if first not in TOP else "top"


def _stage(name: str) -> int:
    """A core module's stage (its index in CORE_STAGES)."""
    key = name.split(".")[1] if name.count(".") else "__init__"
    return next(i for i, stage in enumerate(CORE_STAGES) if key in stage)


def _folder_problems(modules: dict[str, ast.Module]) -> list[str]:
    """Every breach of the rules above, as text."""
    wrong = []
    qadocs = set(modules)
    for name, tree in modules.items():
        part = _part(name)
        for imported in _imports(tree, name):
            inner = imported in qadocs or imported.split(".")[0] in (*PARTS, "cli")
            if not inner and imported in FORBIDDEN.get(part, set()):
                wrong.append(f"{name} ({part}) imports {imported}")
            elif inner and part in MAY_IMPORT and _part(imported) not in MAY_IMPORT[part]:
                wrong.append(f"{name} ({part}) imports {imported} ({_part(imported)})")
            elif inner and part == "shim" and imported != f"extensions.{name}":
                wrong.append(f"{name} stands for extensions.{name} and imports {imported}")
            elif inner and part == "core" == _part(imported) and _stage(imported) > _stage(name):
                wrong.append(f"{name} imports {imported}, a later stage of core")
    return wrong


def _import_levels(modules: dict[str, ast.Module]) -> int:
    """The longest chain of qadocs modules, each importing the next."""
    graph = {name: {i for i in _imports(tree, name) if i in modules and i != name} for name, tree in modules.items()}
    depth: dict[str, int] = {}

    def level(name: str, seen: frozenset[str] = frozenset()) -> int:
        if name not in depth:
            assert name not in seen, f"an import cycle through {name}"
            depth[name] = 1 + max((level(i, seen | {name}) for i in graph[name]), default=0)
        return depth[name]

    return max(level(name) for name in graph)


def _is_plain_data(cls: ast.ClassDef) -> bool:
    """A dataclass, TypedDict or exception whose methods are one-statement helpers (a property,
    a `render`): data, not behaviour."""
    decorated = any("dataclass" in ast.unparse(d) for d in cls.decorator_list)
    typed = any(ast.unparse(b) in ("TypedDict", "Exception", "ValueError") for b in cls.bases)
    methods = [n for n in cls.body if isinstance(n, ast.FunctionDef)]
    return (decorated or typed) and all(len([s for s in m.body if not isinstance(s, ast.Expr)]) <= 2 for m in methods)


def _attributes(cls: ast.ClassDef) -> set[str]:
    names = {n.target.id for n in cls.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    for node in ast.walk(cls):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            names.add(node.attr)
    return names


def test_every_module_is_in_a_part() -> None:
    """core/, extensions/, plugin/, or the top (the package, the command line, and a module named
    after each extension)."""
    modules = _modules()
    shims = {name for name in modules if _part(name) == "shim"}
    assert shims == {name.split(".")[1] for name in modules if name.startswith("extensions.") and "__" not in name}
    assert all(_part(name) in (*PARTS, "cli", "shim", "top") for name in modules)


def test_each_part_imports_only_what_its_folder_may() -> None:
    assert _folder_problems(_modules()) == []


def test_import_chains_are_short() -> None:
    assert _import_levels(_modules()) <= IMPORT_LEVELS_MAX


def test_no_function_is_longer_than_50_lines() -> None:
    long = [
        f"{name}.py:{node.lineno} {node.name}() {node.end_lineno - node.lineno + 1} lines"
        for name, tree in _modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def test_no_class_with_behaviour_is_big() -> None:
    big = []
    for name, tree in _modules().items():
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            if _is_plain_data(cls):
                continue
            lines = (cls.end_lineno or cls.lineno) - cls.lineno + 1
            attributes = _attributes(cls)
            if lines > MAX_CLASS_LINES or len(attributes) > MAX_CLASS_ATTRIBUTES:
                big.append(f"{name}.py:{cls.lineno} {cls.name}: {lines} lines, attributes {sorted(attributes)}")
    assert big == []


def test_the_checks_can_fail() -> None:
    """Each rule above finds what it is meant to find in a made-up module."""
    tree = ast.parse(
        "class Big:\n    def __init__(self):\n"
        + "".join(f"        self.a{k} = {k}\n" for k in range(9))
        + "def long():\n"
        + "    x = 1\n" * 60
    )
    cls = next(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef))
    func = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "long")
    assert len(_attributes(cls)) == 9 and not _is_plain_data(cls)
    assert func.end_lineno is not None and func.end_lineno - func.lineno + 1 == 61
    assert _imports(
        ast.parse("from .pages import P\nfrom qadocs.core.write import x\nimport os"), "core.plan.site"
    ) == {
        "core.plan.pages",
        "core.write",
        "os",
    }


def test_the_folder_rules_catch_made_up_breaches() -> None:
    """Each folder rule finds a made-up module that breaks it."""
    made_up = {
        "core.text.lex": "import mkdocs.plugins",  # the core imports mkdocs
        "core.model": "from qadocs.core.plan.pages import x",  # a later stage
        "core.check": "from qadocs.extensions.gfm import y",  # the core imports an extension
        "extensions.gfm": "from qadocs.plugin.adapter import z",  # an extension imports the plugin
        "cli": "import multiprocessing",  # the command line starts processes
        "mathml": "from qadocs.core.text.tex import t",  # a former name that is not the extension
    }
    for name, code in made_up.items():
        modules = {**{n: ast.parse("") for n in ("core.plan.pages", "core.write", "extensions.gfm", "plugin.adapter")}}
        modules |= {"core.text.tex": ast.parse(""), name: ast.parse(code)}
        assert len(_folder_problems(modules)) == 1, (name, _folder_problems(modules))
    chain = {"a": ast.parse("from qadocs.b import x"), "b": ast.parse("from qadocs.c import x"), "c": ast.parse("")}
    assert _import_levels(chain) == 3


def test_the_architecture_doc_gives_every_threshold_as_the_code_has_it() -> None:
    """Each row of ARCHITECTURE.md's "Limits and thresholds" names a constant of that module (its path
    under qadocs) with that value."""
    doc = (SRC.parent.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = doc.split("### Limits and thresholds", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| ([\w.]+) \| ([0-9.]+) \|", section, re.MULTILINE)
    assert len(rows) >= 20
    wrong = [
        f"{module}.{name} is {getattr(importlib.import_module(f'qadocs.{module}'), name, None)!r}, says {value}"
        for name, module, value in rows
        if getattr(importlib.import_module(f"qadocs.{module}"), name, None) != float(value)
    ]
    assert wrong == []


# A rule written once: how each is spelled, and the one module that may spell it.
ONE_HOME = {
    "core.text.chinese": (r"\\u4e00", r"\\u3400", "一二三", "零一二", "壹贰"),  # Han characters, numerals
    "core.text.lex": (r"[-*+]", r"[-+*]", r"[*+-]", r"\d{1,9}[.)]"),  # list items' markers
    "core.text.similar": ("quick_ratio",),  # difflib's cheap bounds, then its ratio
}


def _spelled_elsewhere(sources: dict[str, str]) -> list[str]:
    return [
        f"{name} spells {spelling!r}, whose home is {home}"
        for home, spellings in ONE_HOME.items()
        for spelling in spellings
        for name, text in sources.items()
        if name != home and spelling in text
    ]


def test_each_rule_has_one_home() -> None:
    sources = {
        ".".join(p.relative_to(SRC).with_suffix("").parts): p.read_text(encoding="utf-8") for p in SRC.rglob("*.py")
    }
    assert all(any(s in sources[home] for s in spellings) for home, spellings in ONE_HOME.items())
    assert _spelled_elsewhere(sources) == []
    made_up = {**sources, "core.check": 'NUMERALS = set("〇一二三")'}
    assert _spelled_elsewhere(made_up) == ["core.check spells '一二三', whose home is core.text.chinese"]


def test_core_imports_without_mkdocs() -> None:
    """Every module of qadocs.core, and the command line, imported in a fresh interpreter: none of
    them brings in mkdocs, Python-Markdown, Jinja or multiprocessing."""
    code = (
        "import sys, pkgutil, importlib, qadocs.core, qadocs.cli;"
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(qadocs.core.__path__, 'qadocs.core.')];"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in"
        " {'mkdocs', 'markdown', 'pymdownx', 'jinja2', 'multiprocessing'});"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
