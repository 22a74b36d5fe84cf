"""Property tests: random titles, file and folder names and registry values never reach a page
unescaped and never make qadocs write outside its output folder (issue 7).

The plan level runs many examples in seconds; a few examples go through a real `mkdocs build`
whose HTML is inspected, since the theme is where an unescaped title would run.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qadocs.core.build import generate
from qadocs.core.errors import ContentError
from qadocs.core.options import REGISTRY_NAME
from qadocs.core.plan.site import Options

REPO = Path(__file__).resolve().parents[2]


MKDOCS = Path(sys.executable).with_name("mkdocs")


PAYLOAD = "<x-evil onclick=alert(1)>"  # an element no page may ever contain


SPECIALS = [*list("<>&\"'`/\\=:#*_[]()!|{}%;"), "&lt;", "&amp;", "&#x3c;", "</h2>", "<!--", "-->", "\u2028"]


piece = st.one_of(st.sampled_from(SPECIALS), st.text(alphabet="ab 题目x1.", min_size=1, max_size=4))


hostile_text = st.lists(piece, min_size=1, max_size=8).map("".join)


@st.composite
def titled(draw: st.DrawFn) -> str:
    """Random text with the payload somewhere in it."""
    before, after = draw(hostile_text), draw(hostile_text)
    return f"{before}{PAYLOAD}{after}"


def _file_name(text: str) -> str:
    name = "".join(ch for ch in text if ch not in "/\x00\n\r").strip() or "x"
    return ("_" + name if name.startswith(".") else name)[:60]


@st.composite
def collection(draw: st.DrawFn) -> dict[str, str]:
    """{relative path: markdown} with hostile folder, file, source, chapter and question titles."""
    files: dict[str, str] = {}
    for n in range(draw(st.integers(1, 3))):
        folder, name = _file_name(draw(titled())), _file_name(draw(titled()))
        parts = [
            f"# {html.escape(draw(titled()), quote=False)}",
            "",
            f"## {html.escape(draw(titled()), quote=False)}",
            "",
        ]
        for i in range(1, draw(st.integers(1, 3)) + 1):
            title = draw(titled())
            raw = draw(st.booleans())  # written raw (markdown may eat markup) or entity-escaped
            text = title if raw else html.escape(title, quote=False)
            parts += [
                f'<h2 id="{i}.q{n}{i}">{i}.{text}</h2>' if not raw else f"### {i}. {text}",
                "",
                f"答案 {n}-{i}",
                "",
            ]
        files[f"{folder}/{name}{n}.md"] = "\n".join(parts)
    return files


def _write(root: Path, files: dict[str, str]) -> Options:
    for rel, text in files.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "imgs").mkdir(exist_ok=True)
    return Options(root, root / "content", root / "imgs")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [*_strings(k), *_strings(v)]]
    return []


def _snapshot(top: Path, out: Path) -> set[str]:
    return {
        p.relative_to(top).as_posix()
        for p in top.rglob("*")
        if p != out and out not in p.parents and p.name != REGISTRY_NAME
    }


def _check_plan(root: Path, out: Path) -> None:
    for page in out.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n", 2)[1]) if text.startswith("---\n") else {}
        for value in _strings(meta):
            assert not set("<>\"'") & set(value), f"{page}: raw markup in front matter {value!r}"
            assert html.escape(html.unescape(value)) == value, f"{page}: {value!r} is not HTML text"
    raw = (out / "questions.json").read_text(encoding="utf-8")
    assert not set("<>&") & set(raw), "questions.json holds raw < > &"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=collection())
def test_random_names_and_titles_stay_text_in_the_plan(tmp_path_factory: Any, files: dict[str, str]) -> None:
    top = tmp_path_factory.mktemp("prop")
    root = top / "repo"
    opts = _write(root, files)
    before = _snapshot(top, root / "out")
    result = generate(opts, root / "out")
    assert _snapshot(top, root / "out") - before == set()  # nothing written outside the output
    _check_plan(root, root / "out")
    for section in result.plan.nav:
        for key in _nav_keys(section):
            assert not set("<>\"'") & set(key), f"raw markup in nav title {key!r}"
    shutil.rmtree(top)


def _nav_keys(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [k for k, v in node.items() for k in [k, *_nav_keys(v)]]
    if isinstance(node, list):
        return [k for v in node for k in _nav_keys(v)]
    return []


registry_value = st.one_of(
    hostile_text,
    st.sampled_from(
        [
            "../../x",
            "/",
            "",
            "..",
            "a//b",
            "questions.json",
            "media/x",
            "assets",
            "x/../../../y",
            "/etc/passwd",
            "C:\\x",
            "a\x00b",
            "%2e%2e/x",
            "ok-slug",
            "ok/slug",
        ]
    ),
    st.integers(),
    st.none(),
    st.lists(hostile_text, max_size=3),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(
        st.tuples(st.sampled_from(["id", "url", "old_urls", "title", "source", "chapter"]), registry_value),
        min_size=1,
        max_size=6,
    ),
    which=st.sampled_from(["questions", "deleted"]),
)
def test_random_registry_values_never_write_outside(
    tmp_path_factory: Any, values: list[tuple[str, Any]], which: str
) -> None:
    top = tmp_path_factory.mktemp("reg")
    root = top / "repo"
    opts = _write(root, {"题库/基础.md": '<h2 id="1.a">1.甲</h2>\n\n甲的答案。\n\n<h2 id="2.b">2.乙</h2>\n\n乙。\n'})
    generate(opts, root / "out")
    registry = opts.content_dir / REGISTRY_NAME
    data = yaml.safe_load(registry.read_text(encoding="utf-8"))
    if which == "deleted":
        data["deleted"] = [dict(data["questions"][0], url="tiku/old")]
    for key, value in values:
        data[which][0][key] = value
    registry.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = _snapshot(top, root / "out")
    try:
        result = generate(opts, root / "out")
    except ContentError as exc:  # an unusable registry stops the build: fine, as long as it says where
        assert exc.diagnostic.code == "registry-invalid" and exc.diagnostic.path == REGISTRY_NAME
    else:
        assert len(result.plan.questions) == 2  # nothing lost
        for page in (root / "out").rglob("*"):
            assert (root / "out") in page.resolve().parents
    assert _snapshot(top, root / "out") - before == set()
    shutil.rmtree(top)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=collection())
def test_random_titles_never_reach_the_built_html(tmp_path_factory: Any, files: dict[str, str]) -> None:
    """A real `mkdocs build` with Material: no page holds the payload element or any `on…` attribute."""
    root = tmp_path_factory.mktemp("built") / "repo"
    _write(root, files)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "build" / "docs").mkdir(parents=True)
    shutil.copy2(REPO / "build" / "docs" / ".qadocs-generated", root / "build" / "docs")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([str(MKDOCS), "build"], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    pages = list((root / "site").rglob("*.html"))
    assert pages
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert not soup.find_all("x-evil"), f"{page}: the payload became an element"
        for el in soup.find_all(True):
            assert not any(name.lower().startswith("on") for name in el.attrs), f"{page}: {el.name} {el.attrs}"
    for path in (root / "site" / "qadocs-search").rglob("*.json"):  # shown as text, and escaped anyway
        assert "<" not in path.read_text(encoding="utf-8"), path
    shutil.rmtree(root.parent)
