"""Untrusted HTML in answers: attack vectors are gone from the built page, authoring HTML stays."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[2]


FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "xss"


DANGEROUS_TAGS = [
    "script",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "button",
    "style",
    "base",
    "meta",
    "link",
    "svg",
]


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BeautifulSoup]:
    root = tmp_path_factory.mktemp("xss")
    shutil.copytree(FIXTURE, root / "content")
    (root / "imgs").mkdir()
    (root / "build" / "docs").mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("mkdocs")), "build"], cwd=root, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    out: dict[str, BeautifulSoup] = {}
    for page in (root / "site").rglob("index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        h1 = soup.select_one("article h1")
        if h1 is not None:
            out[h1.get_text().replace("¶", "").strip()] = soup.select_one("article")
    assert {"常见攻击", "正常写法"} <= set(out)
    return out


def test_attack_vectors_do_not_survive(articles: dict[str, BeautifulSoup]) -> None:
    article = articles["常见攻击"]
    html = str(article)
    for tag in DANGEROUS_TAGS:
        assert not article.find_all(tag), f"<{tag}> survived"
    for el in article.find_all(True):
        for name, value in el.attrs.items():
            assert not name.lower().startswith("on"), f"{el.name} kept {name}"
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert "javascript:" not in text.lower().replace("\n", ""), f"{el.name} {name}={text}"
            assert not text.lower().startswith("data:text"), f"{el.name} {name}={text}"
            assert name != "style" or "url(" not in text, f"{el.name} style={text}"
    for marker in (
        "xss-onerror",
        "xss-js",
        "xss-onclick",
        "xss-svg",
        "xss-mxss",
        "xss-toggle",
        "xss-case",
        "xss-entity",
    ):
        assert marker not in html, f"{marker} survived in {html[:2000]}"
    md_link = article.find("a", string="md 链接")
    assert md_link is not None and not md_link.get("href"), "the markdown javascript: link kept its href"
    assert "div 内容" in article.get_text()  # the harmless text of a cleaned element stays


def test_authoring_html_survives(articles: dict[str, BeautifulSoup]) -> None:
    article = articles["正常写法"]
    centered = article.find("div", attrs={"align": "center"})
    assert centered is not None
    img = centered.find("img")
    assert img is not None and img["src"] == "https://example.com/ok.png"
    assert img["alt"] == "正常图片" and img["width"] == "300" and img["referrerpolicy"] == "no-referrer"
    link = article.find("a", href="https://example.com/")
    assert link is not None and link.get_text() == "正常链接"
    for tag in ("sup", "sub", "br", "kbd", "details", "summary", "table"):
        assert article.find(tag) is not None, f"<{tag}> was removed"
    assert article.find("td", style=re.compile(r"text-align:\s*right")) is not None
    assert len(article.find_all("math")) == 2
    code = article.find("code")
    assert code is not None and "<script>not-executed</script>" in code.get_text()
