"""Browser tests: the built demo site served over HTTP, driven by headless Debian chromium.

Skipped when /usr/bin/chromium or playwright is missing, except under CI (env var CI set),
where they fail instead: CI installs chromium.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from conftest import one_source_site
from web import TIMEOUT_MS, Session, open_session, serve

try:
    from playwright.sync_api import Browser, expect
except ImportError:  # pragma: no cover - the `browser` fixture skips (or fails under CI)
    pass


MATH_TITLE = "请简述视频扩散模型的去噪过程？"


SEARCH_QUERY = "扩散模型"


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The built demo site served on 127.0.0.1."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture
def session(browser: Browser, base_url: str) -> Iterator[Session]:
    with open_session(browser) as sess:
        yield sess


@pytest.fixture(scope="session")
def math_url(site_dir: Path) -> str:
    questions = json.loads((site_dir / "questions.json").read_text(encoding="utf-8"))
    [entry] = [q for q in questions if q["title"] == MATH_TITLE]
    return str(entry["url"])


# ------------------------------------------------------------------------------------------ tests


def test_question_page_shows_title_and_math(session: Session, base_url: str, math_url: str) -> None:
    page = session.page
    page.goto(base_url + quote(math_url), wait_until="load")
    h1 = page.locator("article h1")
    expect(h1).to_have_count(1)
    expect(h1).to_be_visible()
    title = " ".join(
        h1.evaluate(
            "el => { const c = el.cloneNode(true); c.querySelectorAll('a.headerlink').forEach(a => a.remove());"
            " return c.textContent; }"
        ).split()
    )
    assert title == MATH_TITLE

    maths = page.locator(".arithmatex-mathml math")
    assert maths.count() > 0, "no MathML on the page"
    sizes = []
    for i in range(maths.count()):
        m = maths.nth(i)
        box = m.bounding_box() if m.is_visible() else None
        if box and box["width"] > 0 and box["height"] > 0:
            sizes.append(box)
    assert sizes, "no <math> element is visible with a nonzero bounding box"
    session.assert_clean()


def test_search_from_query_string(session: Session, base_url: str) -> None:
    page = session.page
    page.goto(f"{base_url}/?q={quote(SEARCH_QUERY)}", wait_until="load")
    page.locator(".qadocs-find__hit").first.wait_for(state="visible", timeout=TIMEOUT_MS)
    items = page.locator(".qadocs-find__item")
    assert items.count() >= 3, f"only {items.count()} search results for {SEARCH_QUERY!r}"
    first = items.first.inner_text()
    assert "扩散" in first, f"top search result doesn't mention 扩散: {first[:200]!r}"
    session.assert_clean()


def test_palette_toggle_switches_color_scheme(session: Session, base_url: str) -> None:
    page = session.page
    page.goto(base_url + "/", wait_until="load")
    body = page.locator("body")
    before = body.get_attribute("data-md-color-scheme")
    assert before in ("default", "slate"), f"unexpected initial scheme {before!r}"

    toggle = page.locator("label.md-header__button[for^='__palette']:visible")
    expect(toggle).to_have_count(1)
    toggle.click()
    after = "slate" if before == "default" else "default"
    expect(body).to_have_attribute("data-md-color-scheme", after)

    page.locator("label.md-header__button[for^='__palette']:visible").click()
    expect(body).to_have_attribute("data-md-color-scheme", before)
    session.assert_clean()


LEGACY_TITLE = "简要解释下什么是扩散模型？"


LEGACY_ID = "5.简要解释下什么是扩散模型？"


@pytest.mark.parametrize(
    "fragment",
    [
        LEGACY_ID,
        "user-content-" + LEGACY_ID,
        quote(LEGACY_ID, safe=""),
        quote("user-content-" + LEGACY_ID, safe=""),
        "5简要解释下什么是扩散模型",  # GitHub's slug of the heading
    ],
    ids=["raw", "user-content", "percent-encoded", "user-content-encoded", "github-slug"],
)
def test_legacy_anchor_on_source_page_lands_on_question(
    session: Session, base_url: str, site_dir: Path, fragment: str
) -> None:
    questions = json.loads((site_dir / "questions.json").read_text(encoding="utf-8"))
    [entry] = [q for q in questions if q["title"] == LEGACY_TITLE]
    page = session.page
    page.goto(base_url + quote(str(entry["source_url"])) + "#" + fragment, wait_until="load")
    page.wait_for_url(base_url + quote(str(entry["url"])), timeout=TIMEOUT_MS)
    expect(page.locator("article h1")).to_contain_text(LEGACY_TITLE)
    session.assert_clean()


def test_source_page_without_fragment_stays_and_lists_questions(
    session: Session, base_url: str, site_dir: Path
) -> None:
    questions = json.loads((site_dir / "questions.json").read_text(encoding="utf-8"))
    [entry] = [q for q in questions if q["title"] == LEGACY_TITLE]
    page = session.page
    page.goto(base_url + quote(str(entry["source_url"])) + "#不存在的锚点", wait_until="load")
    page.locator("html[data-qadocs-anchor=stay]").wait_for(state="attached")  # the map was read
    assert urlsplit(page.url).path == quote(str(entry["source_url"]))
    assert page.locator(f"article a:has-text('{LEGACY_TITLE}')").count() == 1
    session.assert_clean()


def test_legacy_chapter_anchor_lands_on_chapter_page(session: Session, base_url: str, site_dir: Path) -> None:
    questions = json.loads((site_dir / "questions.json").read_text(encoding="utf-8"))
    chapter = "第一部分：视频生成与视频编辑相关训练与微调技术"
    entry = next(q for q in questions if chapter in q["chapter"])
    page = session.page
    page.goto(base_url + quote(str(entry["source_url"])) + "#" + quote(chapter, safe=""), wait_until="load")
    page.wait_for_function(
        "() => !location.pathname.endsWith('/ai-shipin-xunlian-yu-weidiao-jishu/')", timeout=TIMEOUT_MS
    )
    expect(page.locator("article h1")).to_contain_text(chapter)
    session.assert_clean()


# --- a phone: a nested list and math inside list items --------------------------------------------

PHONE = {"width": 390, "height": 844}


PHONE_TITLE = "扩散模型的训练分几步？"


PHONE_SOURCE = f"""# 手机测试

<h2 id="1.训练">1.{PHONE_TITLE}</h2>

训练分三步：
- 加噪：
  - 前向过程 $q(x_t \\mid x_{{t-1}}) = \\mathcal{{N}}(x_t; \\sqrt{{1-\\beta_t}}\\, x_{{t-1}}, \\beta_t I)$
  - 采样时间步 $t \\sim \\mathcal{{U}}(1, T)$
- 预测噪声 $\\epsilon_\\theta(x_t, t)$
- 优化目标：

  $$
  L = \\mathbb{{E}}_{{t, x_0, \\epsilon}}\\left[\\|\\epsilon - \\epsilon_\\theta(\\sqrt{{\\bar\\alpha_t}}\\, x_0 + \\sqrt{{1-\\bar\\alpha_t}}\\, \\epsilon, t)\\|^2\\right]
  $$

<h2 id="2.其他">2.另一个问题？</h2>

答案。
"""


@pytest.fixture(scope="module")
def phone_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-source site, written by the test, built with the repo's mkdocs.yml (`--strict`)."""
    return one_source_site(tmp_path_factory.mktemp("phone-site"), "手机/列表.md", PHONE_SOURCE)


def test_phone_shows_nested_list_and_math_in_list_item(browser: Browser, phone_site: Path) -> None:
    questions = json.loads((phone_site / "questions.json").read_text(encoding="utf-8"))
    [entry] = [q for q in questions if q["title"] == PHONE_TITLE]
    with (
        serve(phone_site) as url,
        open_session(browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2) as session,
    ):
        page = session.page
        page.goto(url + quote(entry["url"]), wait_until="load")
        expect(page.locator("article h1")).to_be_visible()
        # GitHub nests the 2-space sub-list: a list inside an item of the outer list, in the DOM.
        outer = page.locator("article > ul")
        expect(outer).to_have_count(1)
        assert outer.locator(":scope > li").count() == 3
        inner = outer.locator(":scope > li > ul")
        expect(inner).to_have_count(1)
        assert inner.locator(":scope > li").count() == 2
        expect(inner).to_be_visible()
        # Math inside list items (inline in the sub-item, a block in the last item) is MathML, visible.
        maths = page.locator("article li math")
        assert maths.count() >= 4, f"only {maths.count()} <math> elements inside list items"
        for i in range(maths.count()):
            box = maths.nth(i).bounding_box()
            assert box is not None and box["width"] > 0 and box["height"] > 0, f"<math> {i} has no box"
        block = page.locator("article ul > li:last-child math[display='block']")
        expect(block).to_have_count(1)
        expect(block).to_be_visible()
        # No sideways scrolling of the page: wide math scrolls inside its own box.
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"page is {width}px wide on a {PHONE['width']}px phone"
        page.screenshot(path="/tmp/phone-list.png", full_page=True)
        session.assert_clean()
