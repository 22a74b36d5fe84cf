"""Reading sources (`qadocs.core.split.read`): any bytes decode and split, CRLF, BOM and GBK sources
split, and folder links are followed in path order."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from findings import content_findings
from qadocs.core.build import generate
from qadocs.core.options import Options
from qadocs.core.split.questions import split_source
from qadocs.core.split.read import read_sources


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_decode_and_split(data: bytes) -> None:
    from qadocs.core.split.read import decode

    diags: list = []
    text = decode(data, "x.md", diags)
    assert "\x00" not in text and "\r" not in text
    split_source("x.md", text)


# -- folder links: followed in path order, from a heap (no sort per link) -----------------------------


def test_folder_links_followed_in_path_order(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for folder in ("shared", "other"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"{folder}.md").write_text("## 1. 题目？\n\n答案\n", encoding="utf-8")
    for n in range(300):  # three hundred links to one folder: the first by path reads it
        os.symlink("../shared", content / f"l{n:03d}")
    os.symlink("../other", tmp_path / "shared" / "inner")  # met while following l000: before l001
    os.symlink("../other", content / "zz")
    sources, diags = read_sources(content, tmp_path)
    assert [s.path for s in sources] == ["l000/inner/other.md", "l000/shared.md"]
    repeated = {d.path: d.message for d in diags if d.code == "folder-repeated"}
    assert len(repeated) == 300 and "'l000'" in repeated["l299"] and "'l000/inner'" in repeated["zz"]


def test_crlf_bom_and_gbk_sources_split(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "content").mkdir(parents=True)
    (repo / "imgs").mkdir()
    text = '<h2 id="1.什么是GBK？">1.什么是GBK？</h2>\n\n国标编码。\n'
    (repo / "content" / "gbk.md").write_bytes(text.encode("gb18030"))
    crlf = text.replace("GBK", "CRLF").replace("国标编码", "回车换行")
    (repo / "content" / "crlf.md").write_bytes(b"\xef\xbb\xbf" + crlf.replace("\n", "\r\n").encode())
    result = generate(Options(repo, repo / "content", repo / "imgs"), repo / "out")
    assert sorted(q["title"] for q in result.plan.questions) == ["什么是CRLF？", "什么是GBK？"]
    assert [d.code for d in content_findings(result.diagnostics)] == ["not-utf8"]
