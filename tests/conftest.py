"""Shared fixtures (one strict MkDocs build of the real demo content, done in a temp dir) and the
test tiers: every test under tests/e2e/ and tests/scale/ is marked `slow` here, so
`pytest -m "not slow"` (`make check`) runs the unit and golden tests alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

from web import launch

# Hypothesis tests check results, never time: on a loaded machine (or beside other test processes)
# its default 200 ms deadline per example would fail a correct test.
settings.register_profile("qadocs", deadline=None)
settings.load_profile("qadocs")

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")


# --- tiers ---------------------------------------------------------------------------------------
# The folder decides. Every test under tests/e2e/ (a real MkDocs build, `mkdocs serve`, a build in a
# subprocess, chromium, the linters over the package) and under tests/scale/ (big inputs, property
# tests over many examples, bounds on work) is `slow`; nothing else is. Marked here, by collection
# hook, so no test file needs a decorator; `make check` deselects them. So that the folders cannot
# drift, a test outside them that uses one of SLOW_FIXTURES (each runs MkDocs or a browser) is an
# error at collection, and a test outside them that takes longer than UNMARKED_LIMIT seconds is
# named at the end of the run.
#
# The slow tests also run without coverage measurement (pytest-cov's `no_cover`): their work
# happens in a subprocess or a browser, where coverage does not look, or is a scaling test whose
# code the small tests cover, and tracing would double its time. The exceptions are the modules of
# MEASURED, whose tests run MkDocs or generations in this process so that coverage sees the
# plugin's hooks and the registry's scenarios (a test of theirs that uses a SLOW_FIXTURE is still
# unmeasured).
TESTS = Path(__file__).resolve().parent
SLOW_FOLDERS = ("e2e", "scale")
SLOW_FIXTURES = frozenset(
    {
        "built_site",
        "site_dir",
        "messy_build",
        "browser",  # here
        "hostile",  # e2e/test_hostile.py: a real `mkdocs build` of the hostile repository
        "articles",  # e2e/test_safe_html.py: a real `mkdocs build` of the XSS fixture
        "small_site",  # e2e/test_practice.py: a real `mkdocs build --strict` of one source under /qa/
    }
)
MEASURED = frozenset(
    {
        "test_adapter_hooks.py",  # e2e/: a whole `mkdocs build` in process
        "test_links_last.py",  # e2e/: every URL followed after each kind of edit, at the generate() level
        "test_unusable_registry.py",  # scale/: registries that cannot be used, through generate() and the CLI
    }
)
UNMARKED_LIMIT = 1.0  # seconds (call phase) a test outside the slow tier may take


def run_mkdocs(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """`mkdocs build ARGS` in `root`, stdout and stderr captured apart. Material >= 9.7 prints an
    end-of-life banner naming NO_MKDOCS_2_WARNING; it is no build warning, so it is turned off."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    return subprocess.run(
        [str(MKDOCS), "build", *args], cwd=root, env=env, capture_output=True, text=True, timeout=timeout
    )


def commit_registry(root: Path) -> None:
    """`qadocs registry update` in the repository `root`, as a maintained collection has done
    before it builds (a strict build of content whose registry is behind fails: registry-stale)."""
    from qadocs.cli import main

    assert main(["registry", "update", "--root", str(root)]) == 0


def build_maintained(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build ARGS` of the content in `root` with the repo's mkdocs.yml, its registry
    committed first (`commit_registry`), as a maintained collection is built."""
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "build" / "docs").mkdir(parents=True, exist_ok=True)
    commit_registry(root)
    return run_mkdocs(root, *args, timeout=600)


def one_source_site(root: Path, source: str, text: str) -> Path:
    """A site of one source (`content/<source>`, written here) built in `root` with the repo's
    mkdocs.yml (`--strict`); its site dir."""
    (root / "content" / source).parent.mkdir(parents=True)
    (root / "content" / source).write_text(text, encoding="utf-8")
    (root / "imgs").mkdir()
    proc = build_maintained(root, "--strict")
    assert proc.returncode == 0, proc.stderr
    return root / "site"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the expected files under tests/golden/ instead of comparing",
    )


def is_slow(item: pytest.Item | pytest.Collector) -> bool:
    """Whether `item` belongs to the slow tier: it lives under one of SLOW_FOLDERS."""
    parts = item.path.relative_to(TESTS).parts
    return len(parts) > 1 and parts[0] in SLOW_FOLDERS


def _uses_slow_fixtures(item: pytest.Item) -> bool:
    return not SLOW_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[pytest.CollectReport]:
    """A test outside SLOW_FOLDERS that uses a fixture of SLOW_FIXTURES fails its module's collection,
    named (an error under `make check` and `make test` alike, on one process or several)."""
    report: pytest.CollectReport = yield
    if report.passed and not is_slow(collector):
        misplaced = [i.nodeid for i in report.result if isinstance(i, pytest.Item) and _uses_slow_fixtures(i)]
        if misplaced:
            report.outcome = "failed"
            report.longrepr = (
                "these tests run MkDocs or a browser (a fixture of conftest.SLOW_FIXTURES) outside "
                "tests/e2e/ and tests/scale/; move them to tests/e2e/:\n  " + "\n  ".join(misplaced)
            )
            report.result = []
    return report


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)
            if item.path.name not in MEASURED or _uses_slow_fixtures(item):
                item.add_marker(pytest.mark.no_cover)


_unmarked_slow: list[tuple[float, str]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # setup too: a fixture that builds a site is the test's cost as much as its body
    if report.when in ("setup", "call") and report.duration > UNMARKED_LIMIT and "slow" not in report.keywords:
        _unmarked_slow.append((report.duration, f"{report.nodeid} ({report.when})"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if getattr(terminalreporter.config.option, "cov_source", None):
        return  # under coverage every test runs slower: the tier's timing is what `make check` sees
    if _unmarked_slow:
        terminalreporter.section(
            "tests outside the slow tier taking over a second (move them to tests/e2e/ or tests/scale/)"
        )
        for seconds, nodeid in sorted(_unmarked_slow, reverse=True):
            terminalreporter.write_line(f"{seconds:6.2f}s {nodeid}")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True under `pytest --update-golden`: golden tests write their expected files."""
    return bool(request.config.getoption("--update-golden"))


@dataclass(frozen=True)
class BuiltSite:
    root: Path  # the temp copy of the repo (mkdocs.yml, content/, imgs/, build/docs/)
    site: Path  # root / "site": the built HTML
    returncode: int
    output: str  # mkdocs stdout + stderr, interleaved


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """Copy content/, imgs/, mkdocs.yml and the generated-dir marker into a temp dir and run
    `mkdocs build --strict` there, so the test never writes into the working tree."""
    assert MKDOCS.is_file(), f"mkdocs not found next to the interpreter: {MKDOCS}"
    root = tmp_path_factory.mktemp("site-build")
    shutil.copytree(REPO / "content", root / "content")
    if (REPO / "imgs").is_dir():
        shutil.copytree(REPO / "imgs", root / "imgs")
    else:
        (root / "imgs").mkdir()
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    docs = root / "build" / "docs"
    docs.mkdir(parents=True)
    marker = REPO / "build" / "docs" / ".qadocs-generated"
    if marker.is_file():
        shutil.copy2(marker, docs / ".qadocs-generated")
    # Material >= 9.7 prints an end-of-life banner naming NO_MKDOCS_2_WARNING; it isn't a build
    # warning, so opt out of it rather than let it trip the "no WARNING lines" check.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    proc = subprocess.run(
        [str(MKDOCS), "build", "--strict"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )
    return BuiltSite(root=root, site=root / "site", returncode=proc.returncode, output=proc.stdout)


@pytest.fixture(scope="session")
def site_dir(built_site: BuiltSite) -> Path:
    """The built site; fails (in every test that uses it) if the strict build failed."""
    assert built_site.returncode == 0, f"mkdocs build --strict failed:\n{built_site.output}"
    assert (built_site.site / "index.html").is_file(), "build produced no site/index.html"
    return built_site.site


@dataclass(frozen=True)
class MessyBuild:
    root: Path  # the generated repo (mkdocs.yml, content/, imgs/, build/docs/)
    site: Path  # root / "site"
    returncode: int
    stderr: str  # mkdocs' log lines


@pytest.fixture(scope="session")
def messy_build(tmp_path_factory: pytest.TempPathFactory) -> MessyBuild:
    """A generated messy collection (60 files, seed 11) built with a real `mkdocs build` (not
    strict: its sources are broken on purpose), shared by e2e/test_messy_site.py and e2e/test_site_fidelity.py."""
    from messy import make_collection

    root = tmp_path_factory.mktemp("messy-build")
    make_collection(root, files=60, seed=11)
    proc = build_maintained(root)
    return MessyBuild(root=root, site=root / "site", returncode=proc.returncode, stderr=proc.stderr)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless chromium for the whole run (skips, or fails under CI, when it is missing)."""
    with launch() as b:
        yield b
