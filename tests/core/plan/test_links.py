"""One page's references (`qadocs.core.plan.links`): `locate` against the plain version it replaces,
and nothing outside the repository is copied."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counting import counted
from qadocs.core.build import generate
from qadocs.core.options import Options
from qadocs.core.plan.links import OUTSIDE, locate
from qadocs.core.split.read import is_inside

# -- locate: the first candidate inside the repository, each real path worked out when needed ------


def locate_reference(candidates: list[Path], repo_root: Path) -> Path | Literal["outside"] | None:
    """The plain version: every candidate's real path first."""
    leaving = [c for c in candidates if not is_inside(c, repo_root)]
    for candidate in candidates:
        if candidate not in leaving and candidate.is_file():
            return candidate
    if leaving and (len(leaving) == len(candidates) or any(c.exists() for c in leaving)):
        return OUTSIDE
    return None


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("locate")
    repo, outside = base / "repo", base / "outside"
    (repo / "imgs").mkdir(parents=True)
    outside.mkdir()
    (repo / "imgs" / "in.png").write_bytes(b"x")
    (outside / "out.png").write_bytes(b"x")
    os.symlink(outside / "out.png", repo / "imgs" / "link.png")
    return {
        "repo": repo,
        "file": repo / "imgs" / "in.png",
        "missing": repo / "imgs" / "none.png",
        "folder": repo / "imgs",
        "link-out": repo / "imgs" / "link.png",
        "outside-file": repo / ".." / "outside" / "out.png",
        "outside-missing": repo / ".." / "outside" / "none.png",
    }


KINDS = ["file", "missing", "folder", "link-out", "outside-file", "outside-missing"]


@given(st.lists(st.sampled_from(KINDS), max_size=4))
def test_locate_same_as_reference(places: dict[str, Path], kinds: list[str]) -> None:
    candidates = [places[k] for k in kinds]
    assert locate(candidates, places["repo"]) == locate_reference(candidates, places["repo"])


def test_locate_stops_at_the_first_file_inside(places: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    resolved: list[str] = []
    monkeypatch.setattr(os.path, "realpath", counted(resolved, os.path.realpath))
    candidates = [places["missing"], places["file"], places["link-out"], places["outside-file"]]
    assert locate(candidates, places["repo"]) == places["file"]
    assert len(resolved) == 2  # the repository, then the one candidate that is a file


def test_nothing_outside_the_repo_is_copied(tmp_path: Path) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG secret")
    repo = tmp_path / "repo"
    (repo / "content").mkdir(parents=True)
    (repo / "imgs").mkdir()
    os.symlink(outside, repo / "imgs" / "link.png")
    os.symlink(outside, repo / "content" / "leak.md")
    (repo / "content" / "a.md").write_text(
        '<h2 id="1.a">1.a</h2>\n\n![](imgs/link.png) ![](../../secret.png) ![](/etc/hostname)\n'
        '<img src="imgs/../../../secret.png">\n',
        encoding="utf-8",
    )
    result = generate(Options(repo, repo / "content", repo / "imgs"), repo / "out")
    written = [p for p in (repo / "out").rglob("*") if p.is_file()]
    assert all(b"PNG secret" not in p.read_bytes() for p in written)
    assert not any(p.suffix == ".png" for p in written)
    codes = sorted(d.code for d in result.diagnostics)
    # `/etc/hostname` is read from the repository's root, as GitHub reads it: not there, so missing
    assert codes.count("path-outside-repo") >= 3 and "image-missing" in codes
    assert all(d.line > 0 for d in result.diagnostics if d.path == "a.md")
