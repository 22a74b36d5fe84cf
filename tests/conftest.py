"""Shared fixtures (one strict MkDocs build of the real demo content, done in a temp dir) and the
test tiers: every test that runs MkDocs, a browser or a big collection is marked `slow` here, so
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
# A test is `slow` when it uses one of these fixtures (each runs MkDocs or a browser), lives in one
# of these modules, or is named below. Marked here, by collection hook, so no test file needs a
# decorator; `make check` deselects them. A test that is not marked and takes longer than
# UNMARKED_LIMIT seconds is named at the end of the run, so the fast tier stays fast.
#
# Tests whose own work is reading what a MkDocs subprocess or a browser produced, and scaling
# tests (100,000 questions, a 1.5 MB source, 300-file collections, timing bounds), also run without
# coverage measurement (pytest-cov's `no_cover`): subprocesses are not measured anyway, tracing
# would double the time of the rest and skew the timing bounds, and the code the scaling tests run
# is covered by the small tests. Everything else, the in-process plugin build included, is measured.
SLOW_FIXTURES = frozenset(
    {
        "built_site",
        "site_dir",
        "messy_build",
        "browser",  # here
        "hostile",  # test_hostile.py: a real `mkdocs build` of the hostile repository
        "articles",  # test_safe_html.py: a real `mkdocs build` of the XSS fixture
        "small_site",  # test_practice.py: a real `mkdocs build --strict` of one source under /qa/
    }
)
SLOW_MODULES = frozenset(
    {
        "test_serve.py",  # `mkdocs serve` and `mkdocs build` subprocesses
        "test_cache.py",  # `mkdocs build` subprocesses, cached and not
        "test_build_faults.py",  # `mkdocs build` subprocesses under faults
        "test_lint.py",  # ruff and mypy --strict over the package (mypy alone takes seconds)
        "test_browser.py",  # chromium (through the `browser` fixture too)
    }
)
SUBPROCESS_TESTS = frozenset(
    {  # module::function (every parameter of it): a `mkdocs build` subprocess
        "test_authors.py::test_authors_collection_builds_with_mkdocs",
        "test_hostile.py::test_10_plugin_refuses_overlapping_folders",
        "test_hostile_depth.py::test_deep_blocks_and_folders_build_with_mkdocs",
        "test_hostile_property.py::test_random_titles_never_reach_the_built_html",
        "test_layout_option.py::test_plugin_reads_layout",
        "test_layout_option.py::test_plugin_refuses_a_bad_layout",
        "test_links_last.py::test_every_kind_of_edit_in_the_built_site",
        "test_site.py::test_links_resolve_without_directory_urls",
        "test_site.py::test_local_images_resolve",
    }
)
SCALING_TESTS = frozenset(
    {  # big inputs, many generations, timing bounds
        "test_authors.py::test_authors_collection_loses_nothing",
        "test_hostile_property.py::test_random_names_and_titles_stay_text_in_the_plan",  # hypothesis:
        "test_hostile_property.py::test_random_registry_values_never_write_outside",  # unmeasured, the
        "test_messy.py::test_random_sources_never_raise_and_lose_nothing",  # figure does not vary by run
        "test_hostile_read.py::test_number_regex_on_long_lines",
        "test_linear.py::test_100000_markdown_questions",
        "test_linear.py::test_100000_html_questions",
        "test_linear.py::test_long_blank_run_trimmed",
        "test_linear.py::test_anchor_index_many_targets_one_key",
        "test_links_last.py::test_retitled_and_rewritten_questions_keep_urls_at_scale",
        "test_messy.py::test_large_messy_collection",
        "test_nothing_lost.py::test_big_source_loses_nothing",
    }
)
SLOW_TESTS = SUBPROCESS_TESTS | {
    "test_adapter.py::test_plugin_hooks_in_a_real_build",  # a `mkdocs build` in process
    # scenarios over the whole demo content at the generate() level (two generations each)
    "test_links_last.py::test_every_url_lands_after_an_edit",
    "test_links_last.py::test_landing_fails_on_a_lost_url",
    "test_links_last.py::test_generation_is_deterministic",
    # each over a second: scaling, collection-wide and property tests
    "test_authors.py::test_authors_collection_loses_nothing",
    "test_hostile.py::test_7_14_unusable_registry_stops_the_build_untouched",
    "test_hostile_property.py::test_random_names_and_titles_stay_text_in_the_plan",
    "test_hostile_property.py::test_random_registry_values_never_write_outside",
    "test_linear.py::test_100000_markdown_questions",
    "test_linear.py::test_100000_html_questions",
    "test_links_last.py::test_retitled_and_rewritten_questions_keep_urls_at_scale",
    "test_messy.py::test_large_messy_collection",
    "test_messy.py::test_random_sources_never_raise_and_lose_nothing",
    "test_nothing_lost.py::test_big_source_loses_nothing",
}
UNMARKED_LIMIT = 1.0  # seconds (call phase) a test outside the slow tier may take


def run_mkdocs(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """`mkdocs build ARGS` in `root`, stdout and stderr captured apart. Material >= 9.7 prints an
    end-of-life banner naming NO_MKDOCS_2_WARNING; it is no build warning, so it is turned off."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    return subprocess.run(
        [str(MKDOCS), "build", *args], cwd=root, env=env, capture_output=True, text=True, timeout=timeout
    )


def one_source_site(root: Path, source: str, text: str) -> Path:
    """A site of one source (`content/<source>`, written here) built in `root` with the repo's
    mkdocs.yml (`--strict`); its site dir."""
    (root / "content" / source).parent.mkdir(parents=True)
    (root / "content" / source).write_text(text, encoding="utf-8")
    (root / "imgs").mkdir()
    (root / "build" / "docs").mkdir(parents=True)
    shutil.copy2(Path(__file__).resolve().parent.parent / "mkdocs.yml", root / "mkdocs.yml")
    proc = run_mkdocs(root, "--strict", timeout=300)
    assert proc.returncode == 0, proc.stderr
    return root / "site"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the expected files under tests/golden/ instead of comparing",
    )


def _key(item: pytest.Item) -> str:
    return f"{item.path.name}::{getattr(item, 'originalname', item.name)}"


def _outside(item: pytest.Item) -> bool:
    """Whether `item`'s own work happens outside this process (MkDocs, a browser, a linter)."""
    return (
        item.path.name in SLOW_MODULES
        or _key(item) in SUBPROCESS_TESTS
        or not SLOW_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
    )


def is_slow(item: pytest.Item) -> bool:
    """Whether `item` belongs to the slow tier (see SLOW_FIXTURES, SLOW_MODULES, SLOW_TESTS)."""
    return _outside(item) or _key(item) in SLOW_TESTS


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)
        if _outside(item) or _key(item) in SCALING_TESTS:
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
        terminalreporter.section("tests outside the slow tier taking over a second (add them to conftest.SLOW_TESTS)")
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
    strict: its sources are broken on purpose), shared by test_messy.py and test_fidelity.py."""
    from messy import make_collection

    root = tmp_path_factory.mktemp("messy-build")
    make_collection(root, files=60, seed=11)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "build" / "docs").mkdir(parents=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    proc = subprocess.run([str(MKDOCS), "build"], cwd=root, env=env, capture_output=True, text=True, timeout=600)
    return MessyBuild(root=root, site=root / "site", returncode=proc.returncode, stderr=proc.stderr)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless chromium for the whole run (skips, or fails under CI, when it is missing)."""
    with launch() as b:
        yield b
