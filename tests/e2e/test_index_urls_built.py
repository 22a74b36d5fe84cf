"""Index pages in a real `mkdocs build --strict`: after a folder is renamed and one of its files
merged into another, the section and the kept source are at their former URLs, and the merged
file's former URL is a redirect page in site/ to the source now holding its questions."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from conftest import commit_registry, run_mkdocs

REPO = Path(__file__).resolve().parents[2]
REFRESH_RE = re.compile(r'http-equiv="refresh" content="0; url=([^"]+)"')


def _questions(title: str, names: list[str]) -> str:
    body = "".join(f"## {i}.{q}\n\n{q}的答案，独有的一段话。\n\n" for i, q in enumerate(names, start=1))
    return f"# {title}\n\n{body}"


def _build(root: Path) -> None:
    commit_registry(root)  # the documented flow: update the registry, commit it, build
    proc = run_mkdocs(root, "--strict", timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_renamed_folder_and_merged_file_in_the_built_site(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    folder = root / "content" / "模型基础"
    folder.mkdir(parents=True)
    (folder / "扩散模型.md").write_text(_questions("扩散模型", ["什么是扩散模型？", "什么是前向过程？"]), "utf-8")
    (folder / "注意力.md").write_text(_questions("注意力机制", ["什么是自注意力？", "什么是多头注意力？"]), "utf-8")
    (root / "imgs").mkdir()
    (root / "build" / "docs").mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    _build(root)
    site = root / "site"
    before = {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}
    assert {"moxing-jichu", "moxing-jichu/kuosan-moxing", "moxing-jichu/zhuyili-jizhi"} <= before

    merged = (folder / "注意力.md").read_text("utf-8").split("\n", 2)[2]
    (folder / "扩散模型.md").write_text((folder / "扩散模型.md").read_text("utf-8") + merged, "utf-8")
    (folder / "注意力.md").unlink()
    folder.rename(root / "content" / "基础模型")
    _build(root)

    section = (site / "moxing-jichu" / "index.html").read_text("utf-8")
    assert "<h1" in section and "基础模型" in section  # the renamed folder's page, at its URL
    assert "扩散模型" in (site / "moxing-jichu" / "kuosan-moxing" / "index.html").read_text("utf-8")
    redirect = (site / "moxing-jichu" / "zhuyili-jizhi" / "index.html").read_text("utf-8")
    target = REFRESH_RE.search(redirect)
    assert target is not None and "location.hash" in redirect
    assert html.unescape(target.group(1)) == "../kuosan-moxing/"
    assert (site / "moxing-jichu" / "kuosan-moxing" / "anchors.json").is_file()
