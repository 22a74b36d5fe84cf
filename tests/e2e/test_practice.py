"""Share and practise (issue 12), on the site's side: the head tags a shared link is previewed
with, the 404 page, and what assets/qadocs.js adds to the pages (复制链接, 练习模式, 已掌握 /
待复习, progress, 随机一题, the 待复习 list), driven by headless chromium on a phone (390×844,
touch), with nothing requested from another host and no console error."""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import BuiltSite, commit_registry, one_source_site, run_mkdocs
from web import TIMEOUT_MS, QuietHandler, Session, open_session, serve

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - the `browser` fixture skips (or fails under CI)
    pass


REPO = Path(__file__).resolve().parents[2]


PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "permissions": ["clipboard-read", "clipboard-write"],
}


HOSTILE = "<script>\"&'是什么？"


SUB = "qa"  # the sub-path the small site is published under


SMALL_SOURCE = f"""# 练习测试

## 第一章 基础

## 1. 扩散模型的训练分几步？

训练分三步：加噪、预测噪声、优化目标。

## 2. {HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}

标题里有特殊字符的问题。

## 3. 什么是注意力机制？

注意力机制按相关性给输入加权。
"""


# --- fixtures -----------------------------------------------------------------------------------


def _config() -> dict[str, Any]:
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\nplugins:")[0])


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    """The built demo site served on 127.0.0.1."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="module")
def questions(site_dir: Path) -> list[dict[str, Any]]:
    return list(json.loads((site_dir / "questions.json").read_text(encoding="utf-8")))


@contextlib.contextmanager
def phone(browser: Browser, **options: Any) -> Iterator[Session]:
    """A phone-sized session that also records console errors (as page errors)."""
    with open_session(browser, **{**PHONE, **options}) as sess:
        sess.page.on("console", lambda m: sess.page_errors.append(f"console: {m.text}") if m.type == "error" else None)
        yield sess


@pytest.fixture
def session(browser: Browser, base_url: str) -> Iterator[Session]:
    with phone(browser) as sess:
        yield sess


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-source site with a hostile title, published under /qa/ (`site_url` has the sub-path),
    built with the repo's mkdocs.yml (`--strict`). Returns the folder holding `qa/` (the site)."""
    root = tmp_path_factory.mktemp("practice-site")
    (root / "content" / "练习").mkdir(parents=True)
    (root / "content" / "练习" / "测试.md").write_text(SMALL_SOURCE, encoding="utf-8")
    (root / "imgs").mkdir()
    (root / "build" / "docs").mkdir(parents=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config + f"\nsite_url: https://example.org/{SUB}/\n", encoding="utf-8")
    commit_registry(root)
    proc = run_mkdocs(root, "--strict", timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "site_url is not set" not in proc.stderr
    served = root / "served"
    served.mkdir()
    shutil.move(root / "site", served / SUB)
    return served


class _NotFoundHandler(QuietHandler):
    """A static host that answers a missing path under /qa/ with the site's 404.html, as GitHub
    Pages and most hosts do."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.exists():
            return super().send_head()
        body = (Path(self.directory) / SUB / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _meta(soup: BeautifulSoup, **attrs: str) -> list[str]:
    return [str(tag.get("content")) for tag in soup.find_all("meta", attrs=attrs)]


def _page_file(site: Path, url: str, prefix: str = "/") -> Path:
    return site / unquote(url[len(prefix) :]) / "index.html"


def _descriptor(page: Page) -> dict[str, Any]:
    return dict(page.evaluate("JSON.parse(document.getElementById('qadocs-page').textContent)"))


# --- no browser: the built pages' head ------------------------------------------------------------


def test_question_pages_have_their_own_description_and_og_tags(site_dir: Path, questions: list[dict[str, Any]]) -> None:
    site_description = _config()["site_description"]
    for entry in questions:
        soup = _soup(_page_file(site_dir, entry["url"]))
        [description] = _meta(soup, name="description") or [""]
        assert description and description != site_description, f"{entry['url']}: no description of its own"
        assert _meta(soup, property="og:description") == [description]
        assert _meta(soup, property="og:title") == [entry["title"]]
        assert _meta(soup, property="og:type") == ["article"]
        assert _meta(soup, property="og:url") == []  # the demo has no site_url
        assert soup.find_all("link", rel="canonical") == []
        data = json.loads(soup.find("script", id="qadocs-page").string)
        assert (data["kind"], data["id"], data["title"]) == ("question", entry["id"], entry["title"])
        assert (data["source"], data["chapter"]) == (entry["source"], entry["chapter"])


def test_index_pages_are_websites_with_the_site_description(site_dir: Path) -> None:
    config = _config()
    home = _soup(site_dir / "index.html")
    assert _meta(home, property="og:type") == ["website"]
    assert _meta(home, property="og:title") == [config["site_name"]]
    assert _meta(home, property="og:description") == [config["site_description"]]
    assert json.loads(home.find("script", id="qadocs-page").string)["kind"] == "home"
    kinds = set()
    for path in site_dir.glob("*/index.html"):
        soup = _soup(path)
        data = json.loads(soup.find("script", id="qadocs-page").string)
        kinds.add(data["kind"])
        if data["kind"] != "question":
            assert _meta(soup, property="og:type") == ["website"]
    assert "section" in kinds


def test_missing_site_url_is_said_once_as_info(built_site: BuiltSite, site_dir: Path) -> None:
    lines = [line for line in built_site.output.splitlines() if "site_url is not set" in line]
    assert len(lines) == 1 and lines[0].startswith("INFO"), lines


def test_hostile_title_is_escaped_once_and_canonical_is_not_doubled(small_site: Path) -> None:
    site = small_site / SUB
    entries = json.loads((site / "questions.json").read_text(encoding="utf-8"))
    [entry] = [e for e in entries if e["title"] == HOSTILE]
    path = _page_file(site, entry["url"], f"/{SUB}/")
    text = path.read_text(encoding="utf-8")
    assert HOSTILE not in text and '<script>"' not in text
    soup = BeautifulSoup(text, "html.parser")
    assert _meta(soup, property="og:title") == [HOSTILE]  # parsed back: escaped exactly once
    assert soup.title is not None and soup.title.string == f"{HOSTILE} - {_config()['site_name']}"
    assert json.loads(soup.find("script", id="qadocs-page").string)["title"] == HOSTILE
    canonical = [str(link["href"]) for link in soup.find_all("link", rel="canonical")]
    assert canonical == [f"https://example.org{quote(entry['url'])}"]
    assert _meta(soup, property="og:url") == canonical
    assert json.loads(soup.find("script", id="qadocs-page").string)["base"] == f"/{SUB}/"


# --- browser: the demo site on a phone ----------------------------------------------------------------


def _question(questions: list[dict[str, Any]]) -> dict[str, Any]:
    """A question in a chapter (its chapter path is longer than section + source) of 3 or more."""
    return next(
        q
        for q in questions
        if len(q["chapter"]) > 2
        and sum(o["source"] == q["source"] and o["chapter"] == q["chapter"] for o in questions) > 2
    )


def test_copy_link_puts_the_permanent_url_in_the_clipboard(
    session: Session, base_url: str, questions: list[dict[str, Any]]
) -> None:
    entry = questions[0]
    page = session.page
    page.goto(base_url + quote(entry["url"]) + "?from=chat#top", wait_until="load")
    button = page.get_by_role("button", name="复制链接")
    expect(button).to_be_visible()
    button.tap()
    expect(page.locator(".qadocs-copy")).to_have_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    permanent = base_url + quote(entry["url"])
    assert copied.splitlines() == [entry["title"], permanent]
    session.assert_clean()


def test_copy_link_falls_back_to_showing_the_url(browser: Browser, base_url: str, questions: list[Any]) -> None:
    with phone(browser) as session:
        page = session.page
        page.add_init_script(
            "Object.defineProperty(navigator, 'clipboard', {value: undefined});"
            "document.execCommand = function () { return false; };"
        )
        page.goto(base_url + quote(questions[0]["url"]), wait_until="load")
        page.get_by_role("button", name="复制链接").tap()
        field = page.locator("input.qadocs-url")
        expect(field).to_be_visible()
        expect(field).to_have_value(base_url + quote(questions[0]["url"]))
        assert page.evaluate("document.activeElement.className") == "qadocs-url"
        session.assert_clean()


def test_practice_mode_folds_answers_and_is_remembered(
    session: Session, base_url: str, questions: list[dict[str, Any]]
) -> None:
    first, second = questions[0], questions[1]
    page = session.page
    page.goto(base_url + quote(first["url"]), wait_until="load")
    first_part = page.locator("article > p:not(.qadocs-where)").first
    expect(first_part).to_be_visible()  # practice mode is off at first: the answer shows, as built
    assert page.locator(".qadocs-reveal, #qadocs-answer").count() == 0
    answer = page.locator("#qadocs-answer")
    practice = page.get_by_role("button", name="练习模式")
    expect(practice).to_have_attribute("aria-pressed", "false")
    practice.tap()
    expect(practice).to_have_attribute("aria-pressed", "true")
    expect(answer).to_be_hidden()
    reveal = page.get_by_role("button", name="显示答案")
    expect(reveal).to_have_attribute("aria-expanded", "false")
    reveal.tap()
    expect(answer).to_be_visible()
    expect(page.locator(".qadocs-reveal")).to_have_attribute("aria-expanded", "true")

    page.goto(base_url + quote(second["url"]), wait_until="load")
    expect(page.get_by_role("button", name="练习模式")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#qadocs-answer")).to_be_hidden()
    reveal = page.get_by_role("button", name="显示答案")
    reveal.focus()
    page.keyboard.press("Enter")  # keyboard operable
    expect(page.locator("#qadocs-answer")).to_be_visible()
    # The title and where it sits stay visible, folded or not.
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator(".qadocs-where")).to_be_visible()
    page.get_by_role("button", name="练习模式").tap()  # off again: the page as built
    assert page.locator(".qadocs-reveal, #qadocs-answer").count() == 0
    expect(page.locator("article > p:not(.qadocs-where)").first).to_be_visible()
    session.assert_clean()


def test_practice_mode_leaves_where_the_question_is_written_visible(
    session: Session, base_url: str, site_dir: Path, questions: list[dict[str, Any]]
) -> None:
    entry = next(q for q in questions if "qadocs-also-in" in _page_file(site_dir, q["url"]).read_text(encoding="utf-8"))
    page = session.page
    page.goto(base_url + quote(entry["url"]), wait_until="load")
    page.get_by_role("button", name="练习模式").tap()
    expect(page.locator("#qadocs-answer")).to_be_hidden()
    expect(page.locator(".qadocs-also-in")).to_be_visible()
    assert page.locator("#qadocs-answer .qadocs-also-in, #qadocs-answer .qadocs-where").count() == 0
    session.assert_clean()


def test_answers_show_without_javascript(browser: Browser, base_url: str, questions: list[Any]) -> None:
    with phone(browser, java_script_enabled=False) as session:
        page = session.page
        page.goto(base_url + quote(questions[0]["url"]), wait_until="load")
        expect(page.locator("article h1")).to_be_visible()
        expect(page.locator("article > p:not(.qadocs-where)").first).to_be_visible()
        assert page.locator(".qadocs-tools, .qadocs-reveal").count() == 0
        session.assert_clean()


def test_random_question_from_a_question_page_is_of_the_same_source(
    session: Session, base_url: str, questions: list[dict[str, Any]]
) -> None:
    entry = questions[0]
    page = session.page
    page.goto(base_url + quote(entry["url"]), wait_until="load")
    for _ in range(3):
        before = page.url
        with page.expect_navigation(wait_until="load"):
            page.locator(".qadocs-tools a.qadocs-random").tap()
        assert page.url != before
        data = _descriptor(page)
        assert data["kind"] == "question" and data["source"] == entry["source"]
        expect(page.locator("article h1")).to_be_visible()
    session.assert_clean()


def test_random_link_on_the_home_page_lands_on_a_question(session: Session, base_url: str) -> None:
    page = session.page
    page.goto(base_url + "/", wait_until="load")
    with page.expect_navigation(wait_until="load"):
        page.locator("article a.qadocs-random").tap()
    assert _descriptor(page)["kind"] == "question"
    expect(page.locator("article h1")).to_be_visible()
    session.assert_clean()


def test_random_link_on_a_chapter_page_stays_in_the_chapter(
    session: Session, base_url: str, questions: list[dict[str, Any]]
) -> None:
    entry = _question(questions)
    in_chapter = [q for q in questions if q["source"] == entry["source"] and q["chapter"] == entry["chapter"]]
    page = session.page
    page.goto(base_url + quote(entry["url"]), wait_until="load")
    with page.expect_navigation(wait_until="load"):
        page.locator(".qadocs-where a").last.tap()  # the question's chapter page
    chapter = _descriptor(page)
    assert chapter["kind"] == "chapter" and chapter["chapter"] == entry["chapter"]
    for _ in range(3):
        with page.expect_navigation(wait_until="load"):
            page.locator("article a.qadocs-random").tap()
        data = _descriptor(page)
        assert data["kind"] == "question" and data["source"] == chapter["source"]
        assert data["chapter"][: len(chapter["chapter"])] == chapter["chapter"]
        page.go_back(wait_until="load")
    # The link's own href (the chapter's first question) is only the fallback: the script picks.
    page.add_init_script("Math.random = function () { return 0.999; };")
    page.reload(wait_until="load")
    with page.expect_navigation(wait_until="load"):
        page.locator("article a.qadocs-random").tap()
    assert len(in_chapter) > 1 and _descriptor(page)["id"] == in_chapter[-1]["id"]
    session.assert_clean()


def _progress(page: Page) -> str:
    box = page.locator(".qadocs-progress p")
    expect(box).to_be_visible()
    return " ".join(box.inner_text().split())


def test_marking_known_counts_on_the_chapter_and_source_pages(
    session: Session, base_url: str, questions: list[dict[str, Any]]
) -> None:
    entry = _question(questions)
    in_source = [q for q in questions if q["source"] == entry["source"]]
    in_chapter = [q for q in in_source if q["chapter"][: len(entry["chapter"])] == entry["chapter"]]
    page = session.page
    page.goto(base_url + quote(entry["source_url"]), wait_until="load")
    assert _progress(page) == f"已掌握 0 / {len(in_source)}"

    page.goto(base_url + quote(entry["url"]), wait_until="load")
    known = page.get_by_role("button", name="已掌握")
    review = page.get_by_role("button", name="待复习")
    review.tap()
    known.tap()  # one mark at a time: 已掌握 replaces 待复习
    expect(known).to_have_attribute("aria-pressed", "true")
    expect(review).to_have_attribute("aria-pressed", "false")
    with page.expect_navigation(wait_until="load"):
        page.locator(".qadocs-where a").last.tap()
    assert _progress(page) == f"已掌握 1 / {len(in_chapter)}"
    page.reload(wait_until="load")
    assert _progress(page) == f"已掌握 1 / {len(in_chapter)}"
    page.goto(base_url + quote(entry["source_url"]), wait_until="load")
    assert _progress(page) == f"已掌握 1 / {len(in_source)}"
    page.goto(base_url + "/", wait_until="load")
    assert _progress(page) == f"已掌握 1 / {len(questions)}"

    page.goto(base_url + quote(entry["url"]), wait_until="load")
    expect(page.get_by_role("button", name="已掌握")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="已掌握").tap()  # pressed again: unmarked
    page.goto(base_url + quote(entry["source_url"]), wait_until="load")
    assert _progress(page) == f"已掌握 0 / {len(in_source)}"
    stored = page.evaluate("JSON.parse(localStorage.getItem('qadocs:v1'))")
    assert stored["marks"] == {} and stored["practice"] is False
    session.assert_clean()


def test_review_page_lists_the_marked_questions(
    session: Session, base_url: str, questions: list[dict[str, Any]]
) -> None:
    marked, other = questions[2], questions[3]
    page = session.page
    for entry in (marked, other):
        page.goto(base_url + quote(entry["url"]), wait_until="load")
        page.get_by_role("button", name="待复习" if entry is marked else "已掌握").tap()

    page.goto(base_url + "/", wait_until="load")
    with page.expect_navigation(wait_until="load"):
        page.locator("article a[href$='to_review/']").tap()
    assert _descriptor(page)["kind"] == "review"
    expect(page.locator(".qadocs-nojs")).to_be_hidden()
    links = page.locator(".qadocs-review a")
    expect(links).to_have_count(1)
    expect(links).to_have_text(marked["title"])
    links.tap()
    page.wait_for_url(base_url + quote(marked["url"]))
    session.assert_clean()


def test_404_under_a_sub_path_links_home_and_searches(browser: Browser, small_site: Path) -> None:
    with serve(small_site, _NotFoundHandler) as url, phone(browser) as session:
        page = session.page
        response = page.goto(f"{url}/{SUB}/no/such/page/", wait_until="load")
        assert response is not None and response.status == 404
        expect(page.locator("article h1")).to_have_text("页面不存在")
        # Material's styles and scripts load from the site's root, though the page is deeper.
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"
        page.get_by_role("link", name="返回首页").tap()
        page.wait_for_url(f"{url}/{SUB}/")
        expect(page.locator("article h1")).to_contain_text("题库目录")

        page.goto(f"{url}/{SUB}/no/such/page/", wait_until="load")
        page.locator("#qadocs-404-q").fill("注意力机制")
        page.locator("#qadocs-404-q").press("Enter")  # search opens here, on the 404 page
        result = page.locator(".qadocs-find__hit").first
        result.wait_for(state="visible", timeout=TIMEOUT_MS)
        expect(result).to_contain_text("注意力")
        with page.expect_navigation(wait_until="load"):
            result.tap()
        assert urlsplit(page.url).path.startswith(f"/{SUB}/") and _descriptor(page)["kind"] == "question"
        expect(page.locator("article h1")).to_contain_text("注意力")

        # Under the sub-path, 随机一题 maps questions.json's urls (which start with /qa/) too.
        page.goto(f"{url}/{SUB}/", wait_until="load")
        entries = json.loads((small_site / SUB / "questions.json").read_text(encoding="utf-8"))
        page.goto(url + quote(entries[0]["url"]), wait_until="load")
        with page.expect_navigation(wait_until="load"):
            page.locator(".qadocs-tools a.qadocs-random").tap()
        assert page.url != url + quote(entries[0]["url"])
        assert _descriptor(page)["kind"] == "question"
        assert urlsplit(page.url).path.startswith(f"/{SUB}/")

        expected_404 = [f"404 {url}/{SUB}/no/such/page/"] * 2
        assert session.bad_responses == expected_404
        session.bad_responses.clear()
        session.page_errors[:] = [e for e in session.page_errors if "404" not in e]
        session.assert_clean()


FOLLOW_UP_SOURCE = """# 追问测试

## 什么是进程？

进程是资源分配的基本单位。

### 进程和线程有什么区别？

线程共享进程的地址空间。

### 进程间怎么通信？

管道、消息队列和共享内存。

## 什么是死锁？

两个进程互相等待对方的资源。
"""


@pytest.fixture(scope="module")
def follow_up_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-source site whose first question has two follow-ups, built `--strict`."""
    return one_source_site(tmp_path_factory.mktemp("follow-up-site"), "进程/进程.md", FOLLOW_UP_SOURCE)


def test_follow_ups_are_listed_under_their_question_on_a_phone(browser: Browser, follow_up_site: Path) -> None:
    """On a phone, a question lists its follow-ups under its answer; tapping one opens its page,
    which leads back to its question; the navigation nests the follow-ups under it."""
    entries = {e["title"]: e for e in json.loads((follow_up_site / "questions.json").read_text(encoding="utf-8"))}
    parent, child = entries["什么是进程？"], entries["进程和线程有什么区别？"]
    assert child["follows"] == parent["id"] and entries["进程间怎么通信？"]["follows"] == parent["id"]
    with serve(follow_up_site) as url, phone(browser) as sess:
        page = sess.page
        page.goto(url + parent["url"])
        label = page.locator("article .qadocs-followups")
        expect(label).to_have_text("追问")
        expect(label).to_be_visible()
        links = page.locator("article .qadocs-followups + ul a")
        expect(links).to_have_text(["进程和线程有什么区别？", "进程间怎么通信？"])
        assert "线程共享进程的地址空间" not in page.locator("article").inner_text()
        links.first.tap()
        page.wait_for_url("**" + child["url"])
        expect(page.locator("article h1")).to_contain_text("进程和线程有什么区别？")
        back = page.locator("article .qadocs-where a", has_text="什么是进程？")
        expect(back).to_be_visible()
        back.tap()
        page.wait_for_url("**" + parent["url"])
        page.locator(".md-header__button[for='__drawer']").tap()
        nested = page.locator(".md-nav--primary .md-nav__item--nested", has_text="什么是进程？")
        expect(nested.locator("a", has_text="进程和线程有什么区别？")).to_be_attached()
        expect(nested.locator("a", has_text="进程间怎么通信？")).to_be_attached()
        sess.assert_clean()
