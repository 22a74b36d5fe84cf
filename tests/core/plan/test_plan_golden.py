"""Golden tests for the page plan: tests/golden/plan/<case>/repo → <case>/expected/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from golden import GOLDEN, check_golden
from qadocs.core.build import generate
from qadocs.core.plan.site import Options

CASES = sorted(p for p in (GOLDEN / "plan").iterdir() if (p / "repo").is_dir())


def run_case(case: Path, tmp_path: Path) -> tuple[dict[str, str], Path]:
    repo = tmp_path / "repo"
    shutil.copytree(case / "repo", repo)
    out = repo / "build" / "docs"
    opts = Options(repo_root=repo, content_dir=repo / "content", imgs_dir=repo / "imgs")
    result = generate(opts, out)
    texts = {p.relative_to(out).as_posix(): p for p in sorted(out.rglob("*")) if p.is_file()}
    outputs: dict[str, str] = {}
    for rel, path in texts.items():
        if rel.endswith((".md", ".json", ".html")):
            outputs[rel] = path.read_text(encoding="utf-8")
    outputs["_assets.txt"] = "".join(f"{rel}\n" for rel in texts if rel.startswith("media/"))
    outputs["_nav.yaml"] = yaml.safe_dump(result.plan.nav, allow_unicode=True, sort_keys=False)
    outputs["_registry.yml"] = (repo / "content" / "qadocs-registry.yml").read_text(encoding="utf-8")
    outputs["_changes.txt"] = "".join(c.render() + "\n" for c in result.plan.changes)
    outputs["_diagnostics.txt"] = "".join(d.render() + "\n" for d in result.diagnostics)
    return outputs, out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_plan_golden(case: Path, tmp_path: Path, update_golden: bool) -> None:
    outputs, _ = run_case(case, tmp_path)
    expected_dir = case / "expected"
    if update_golden and expected_dir.exists():
        shutil.rmtree(expected_dir)
    for rel, text in outputs.items():
        check_golden(expected_dir / rel, text, update_golden)
    if not update_golden:
        on_disk = {p.relative_to(expected_dir).as_posix() for p in expected_dir.rglob("*") if p.is_file()}
        assert on_disk == set(outputs), "expected files differ from generated ones"
