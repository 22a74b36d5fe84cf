"""The shape of `src/qadocs`, checked on its syntax tree: small functions, small classes with
behaviour, and stages that import only earlier stages (data flows one way)."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "qadocs"
MAX_FUNCTION_LINES = 50
MAX_CLASS_LINES = 120
MAX_CLASS_ATTRIBUTES = 8

# The pipeline, in order: a stage may import an earlier stage or a utility, never a later stage.
STAGES = [
    "read",
    "outline",
    "roles",
    "split",
    "check",
    "resolve",
    "registry",
    "options",
    "place",
    "targets",
    "links",
    "pages",
    "plan",
    "write",
    "build",
    "cli",
    "config",
    "sidebar",
    "prebuild",
    "plugin",
]
# Shared building blocks: they import only each other, never a stage.
UTILITIES = {
    "__init__",
    "errors",
    "model",
    "urls",
    "slug",
    "escape",
    "anchors",
    "similar",
    "schema",
    "lex",
    "mathml",
    "gfm",
    "sanitize",
    "describe",
    "buildlock",
    "compiled",
    "phrasing",
    "yamlread",
}


def _modules() -> dict[str, ast.Module]:
    return {p.stem: ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in sorted(SRC.glob("*.py"))}


def _imports(tree: ast.Module) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("qadocs."):
            found.add(node.module.split(".")[1])  # type: ignore[union-attr]
    return found


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


def test_every_module_has_a_place_in_the_pipeline() -> None:
    assert set(_modules()) == set(STAGES) | UTILITIES


def test_no_module_imports_a_later_stage() -> None:
    wrong = []
    for name, tree in _modules().items():
        for imported in _imports(tree):
            if name in UTILITIES and imported not in UTILITIES:
                wrong.append(f"utility {name} imports the stage {imported}")
            elif name in STAGES and imported in STAGES and STAGES.index(imported) > STAGES.index(name):
                wrong.append(f"{name} imports the later stage {imported}")
    assert wrong == []


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
    assert _imports(ast.parse("from .plan import Plan\nfrom qadocs.write import x\nimport os")) == {"plan", "write"}


def test_the_readme_describes_every_threshold_as_the_code_has_it() -> None:
    """Each row of README's "Limits and thresholds" names a constant of that module with that value."""
    readme = (SRC.parent.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = readme.split("### Limits and thresholds", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (\w+) \| ([0-9.]+) \|", section, re.MULTILINE)
    assert len(rows) >= 20
    wrong = [
        f"{module}.{name} is {getattr(importlib.import_module(f'qadocs.{module}'), name, None)!r}, README says {value}"
        for name, module, value in rows
        if getattr(importlib.import_module(f"qadocs.{module}"), name, None) != float(value)
    ]
    assert wrong == []
