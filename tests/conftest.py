"""Shared fixtures: one strict MkDocs build of the real demo content, done in a temp dir."""

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

from web import launch

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the expected files under tests/golden/ instead of comparing")


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
