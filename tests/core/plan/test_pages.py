"""The pages the plan renders (`qadocs.core.plan.pages`): descriptions in front matter, "also in"
lines for questions written in two sources, the home page's counts and entry points, index pages'
random question, the 待复习 page at a reserved dir, and redirect pages that read well on a
phone."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from qadocs.core.build import generate
from qadocs.core.options import Options
from qadocs.core.plan.pages import as_sentence
from qadocs.core.text.urls import REVIEW_DIR
from qadocs.extensions.sanitize import sanitize_html
from repos import generated_pages as _generate
from repos import page_body as _body
from repos import page_meta as _meta

# What mkdocs.yml renders pages with, minus the plugin (which only adds to it).
EXTENSIONS = [
    "qadocs.extensions.gfm",
    "tables",
    "attr_list",
    "md_in_html",
    "toc",
    "pymdownx.superfences",
    "qadocs.extensions.sanitize",
]


HOSTILE = '<script>alert(1)</script> *x* [a](javascript:alert(2)) " onmouseover="y'


def _render(text: str) -> str:
    return markdown.markdown(_body(text), extensions=EXTENSIONS)


def test_question_pages_carry_their_description_escaped(tmp_path: Path) -> None:
    files = _generate(
        tmp_path,
        {"a.md": f"## 1. 第一题\n\n{HOSTILE} 之后\n\n## 2. 空题\n\n"},
        site_description="站点描述",
    )
    pages = {_meta(t)["title"]: t for p, t in files.items() if p.endswith("index.md") and "\nid: " in t}
    first = _meta(pages["第一题"])
    assert html.unescape(first["description"]) == 'x [a](javascript:alert(2)) " onmouseover="y 之后'
    assert "<" not in first["description"] and '"' not in first["description"]  # HTML text, as all front matter
    assert html.unescape(_meta(pages["空题"])["description"]) == "空题 — 面试题与答案"


# -- a question written in two sources ------------------------------------------------------------


def test_also_in_names_every_other_occurrence_and_escapes_titles(tmp_path: Path) -> None:
    question = "## 3. 什么是扩散模型？\n\n逐步去噪。\n\n"
    files = _generate(
        tmp_path,
        {
            "a.md": "# 基础\n\n## 2. 第二题\n\n二。\n\n" + question,
            "b.md": f"# `{HOSTILE}` &lt;b&gt; [x](y)\n\n## 第一章\n\n### 1. 别的题\n\n别的。\n\n#{question.replace('3.', '7.')}",
            "c.md": "# 无编号\n\n## 其他？\n\n其他的。\n\n## 什么是扩散模型？\n\n逐步去噪。\n\n",
        },
    )
    page = next(t for t in files.values() if "title: 什么是扩散模型？" in t)
    lines = [line for line in _body(page).split("\n") if "qadocs-also-in" in line]
    assert len(lines) == 2
    assert lines[0].startswith('<p class="qadocs-also-in" data-search-exclude markdown>也见于[《')
    assert "第 7 题](<../" in lines[0] and "index.md>)</p>" in lines[0]
    assert re.search(r"也见于\[《无编号》\]\(<\.\./[a-z-]+/index\.md>\)</p>$", lines[1])  # no number: none shown
    soup = BeautifulSoup(_render(page), "html.parser")
    assert soup.find("script") is None and soup.find("em") is None
    assert not [a for tag in soup.find_all(True) for a in tag.attrs if a.startswith("on")]
    links = [p.find_all("a") for p in soup.select("p.qadocs-also-in")]
    assert [len(found) for found in links] == [1, 1]
    title = next(_meta(t)["title"] for t in files.values() if "\nkind: source\nd" in t and "source: b.md" in t)
    assert html.unescape(title) == f"{HOSTILE} <b> x"
    assert links[0][0].get_text() == f"《{html.unescape(title)}》第 7 题"  # the source's title, as text
    chapter = next(p for p, t in files.items() if "kind: chapter" in t and "title: 第一章" in t)
    assert links[0][0]["href"] == "../" + chapter  # the chapter's page


# -- home, section, source and chapter pages ------------------------------------------------------


def test_home_page_counts_and_entry_points(tmp_path: Path) -> None:
    files = _generate(
        tmp_path,
        {
            "顶层.md": "## 1. 顶层题\n\n答。\n\n## 2. 顶层二\n\n答。\n\n",
            "甲/一.md": "## 1. 甲一\n\n答。\n\n## 2. 甲二\n\n答。\n\n",
            "甲/乙/二.md": "## 1. 乙一\n\n答。\n\n## 2. 甲一\n\n答。\n\n",  # the same question as 甲/一.md's
            f"{HOSTILE[:8]}/空.md": "# 空\n\n没有题。\n",
        },
    )
    home = files["index.md"]
    assert _meta(home) == {"title": "首页", "kind": "home"}
    body = _body(home)
    assert '<p class="qadocs-summary" data-search-exclude>共 5 道题：4 个文件、3 个分区。</p>' in body
    actions = next(line for line in body.split("\n") if "qadocs-actions" in line)
    first = next(p for p, t in files.items() if "\norder: 1\n" in t)  # the first question page
    assert actions.startswith(
        f'<p class="qadocs-actions" data-search-exclude markdown>[随机一题](<{first}>){{: .qadocs-random }}'
    )
    assert '<a class="qadocs-search" href="?q=">搜索题目</a>' in actions
    assert f"[待复习](<{REVIEW_DIR}/index.md>)" in actions
    assert re.search(r"^## \[甲\]\(<jia/index\.md>\)（3 题）$", body, re.MULTILINE)  # 甲一 counted once
    assert re.search(r"^### \[乙\]\(<jia/yi-2/index\.md>\)（2 题）$", body, re.MULTILINE)  # 一.md has jia/yi
    assert re.search(
        r"^- \[一\]\(<jia/yi/index\.md>\)（2 题） · \[从第一题开始\]\(<jia/jiayi/index\.md>\)$", body, re.M
    )
    rendered = sanitize_html(_render(home))
    assert '<a class="qadocs-random" href="' + first + '">随机一题</a>' in rendered
    assert "<script" not in rendered and "&lt;script" in rendered  # the hostile folder name shows as text
    assert '<a class="qadocs-search" href="?q=">搜索题目</a>' in rendered


def test_index_pages_link_a_random_question_of_their_scope(tmp_path: Path) -> None:
    files = _generate(
        tmp_path,
        {
            "节/源.md": "# 源\n\n## 第一章\n\n### 第一节\n\n#### 1. 节内题？\n\n答。\n\n#### 2. 第二题？\n\n答二。\n\n"
            "## 第二章\n\n没有题。\n",
        },
    )
    by_title = {_meta(t)["title"]: (p, t) for p, t in files.items() if p.endswith("index.md")}
    question = by_title["节内题？"][0].rsplit("/", 1)[0]
    for title in ("节", "源", "第一章", "第一节"):
        path, text = by_title[title]
        [line] = [line for line in _body(text).split("\n") if "qadocs-actions" in line]
        target = re.search(r"\(<([^>]*)>\)\{: \.qadocs-random \}", line)
        assert target is not None
        page_dir = path.rsplit("/", 1)[0]
        assert Path(page_dir, target.group(1)).as_posix().endswith("index.md")
        resolved = Path("/", page_dir, target.group(1)).resolve().as_posix()
        assert resolved == f"/{question}/index.md", title
    assert "qadocs-actions" not in by_title["第二章"][1]  # no question in its scope: no link
    assert _meta(by_title["第一章"][1])["description"] == "《源》第一章：共 2 道面试题与答案"  # 第一节's too


# -- the review page ------------------------------------------------------------------------------


def test_review_page_and_its_place_in_the_nav(tmp_path: Path) -> None:
    files = _generate(tmp_path, {"a.md": "## 1. 题\n\n答。\n"})
    page = files[f"{REVIEW_DIR}/index.md"]
    assert _meta(page) == {"title": "待复习", "kind": "review", "description": "你在这个浏览器里标记为待复习的题目。"}
    body = _body(page)
    assert '<div class="qadocs-review"></div>' in body
    assert "JavaScript" in body.split('<div class="qadocs-review"></div>', 1)[1]  # said without JavaScript
    assert "<div" in sanitize_html(_render(page))
    result = generate(Options(tmp_path, tmp_path / "content", tmp_path / "imgs"), None)
    assert result.plan.nav[:2] == [{"首页": "index.md"}, {"待复习": f"{REVIEW_DIR}/index.md"}]


def test_content_named_review_keeps_its_urls(tmp_path: Path) -> None:
    files = _generate(
        tmp_path,
        {
            "review/Review.md": "## 1. Review\n\n答。\n\n## 2. 第二题\n\n答。\n",  # all named "review"
            "Review.md": "## 1. Review\n\nanswer\n\n## 2. 第二题\n\n答二。\n",
        },
    )
    assert _meta(files[f"{REVIEW_DIR}/index.md"])["kind"] == "review"
    assert [p for p in files if p.split("/", 1)[0] == REVIEW_DIR] == [f"{REVIEW_DIR}/index.md"]
    kinds = {_meta(t).get("kind", "question") for p, t in files.items() if p.endswith("index.md")}
    assert {"section", "source", "question"} <= kinds
    assert _meta(files["review/index.md"])["kind"] in {"section", "source"}, "the content's own slug, not displaced"


def test_registry_url_review_is_kept(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "qadocs-registry.yml").write_text(
        "questions:\n- id: review\n  url: review\n  title: Review\n  source: a.md\n  answer: '000000000000'\n"
        "deleted: []\n",
        encoding="utf-8",
    )
    (tmp_path / "content" / "a.md").write_text("## 1. Review\n\nanswer\n\n## 2. 第二题\n\n答。\n", encoding="utf-8")
    (tmp_path / "imgs").mkdir()
    result = generate(Options(tmp_path, tmp_path / "content", tmp_path / "imgs"), tmp_path / "out")
    assert [d.code for d in result.diagnostics if d.severity == "error"] == []
    assert _meta((tmp_path / "out" / REVIEW_DIR / "index.md").read_text(encoding="utf-8"))["kind"] == "review"
    assert any(q["url"] == "/review/" for q in result.plan.questions)


# -- redirect and deleted-question pages ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("什么是 VAE", "什么是 VAE。"),
        ("什么是 VAE？", "什么是 VAE？"),
        ("What is VAE?", "What is VAE?"),
        ("太好了！", "太好了！"),
        ("结束。", "结束。"),
        ("v1.0 发布了.", "v1.0 发布了."),
        ("未完…", "未完…"),
        ("他问“为什么？”", "他问“为什么？”"),  # behind a closing quote
        ("（上）", "（上）。"),
        ("什么是 VAE？  ", "什么是 VAE？"),
    ],
)
def test_as_sentence_never_doubles_a_sentence_mark(text: str, sentence: str) -> None:
    assert as_sentence(text) == sentence


def test_deleted_and_moved_question_pages_read_well(tmp_path: Path) -> None:
    content = {"a.md": f"## 1. 什么是扩散模型？\n\n去噪。\n\n## 2. {HOSTILE}\n\n危险。\n\n## 3. 留下的题\n\n答。\n"}
    _generate(tmp_path, content)
    (tmp_path / "content" / "a.md").write_text("## 3. 留下的题\n\n答。\n\n## 4. 新题\n\n新。\n", encoding="utf-8")
    files = _generate(tmp_path, {})
    pages = [t for p, t in files.items() if p.endswith("index.html")]
    assert len(pages) == 2
    deleted = next(t for t in pages if "扩散模型" in t)
    assert "这道题已从题库删除：什么是扩散模型？正在前往它原来所在的章节。" in deleted
    assert "？。" not in deleted
    for page in pages:
        assert '<meta name="viewport" content="width=device-width,initial-scale=1">' in page
        assert "<style>" in page and "prefers-color-scheme: dark" in page and "font:" in page
        assert re.search(r'<p><a href="[^"]+">前往原来的章节</a></p>', page)  # the link to follow at once
        assert "<script>alert" not in page and 'onmouseover="y' not in page
    hostile = next(t for t in pages if "扩散" not in t)
    assert hostile.count("&quot; onmouseover=&quot;y") == 2  # in <title> and the notice, as text
