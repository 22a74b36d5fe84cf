"""qadocs' search on the built demo, in headless Chromium at phone size (issue 24): nothing of it
is fetched before search is opened; typed, IME-committed and pasted queries all show results; a
question asked by its exact title comes first and its result goes to the permanent URL; text is
cut into terms in the browser exactly as at build time; both colour schemes; nothing leaves the
site, no JS error. The 404 page's search under a sub-path is in test_practice.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from qadocs.core.plan.search import shard_of, terms
from web import TIMEOUT_MS, Session, open_session, serve

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - the `browser` fixture skips (or fails under CI)
    pass

PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
RESULTS = ".qadocs-find__item"


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    with serve(site_dir) as url:
        yield url


@pytest.fixture
def phone(browser: Browser) -> Iterator[Session]:
    with open_session(browser, **PHONE) as sess:
        yield sess


@pytest.fixture(scope="module")
def questions(site_dir: Path) -> list[dict[str, Any]]:
    return list(json.loads((site_dir / "questions.json").read_text(encoding="utf-8")))


def _luminance(css: str) -> float:
    """Relative luminance (0 black, 1 white) of an `rgb(...)`/`rgba(...)` colour."""
    r, g, b = (int(x) / 255 for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _fetched(page: Page) -> list[str]:
    return list(page.evaluate("performance.getEntriesByType('resource').map(e => e.name)"))


def _open(page: Page) -> None:
    page.locator("button.qadocs-find-button").tap()
    expect(page.locator(".qadocs-find__input")).to_be_focused()


def _titles(page: Page, query: str) -> list[str]:
    """The result titles once the list shows the answer to `query`."""
    page.wait_for_function(
        "q => { const s = document.querySelector('.qadocs-find__status');"
        " return document.querySelector('.qadocs-find__input').value === q && s && /找到|部分匹配|没有找到/.test(s.textContent); }",
        arg=query,
        timeout=TIMEOUT_MS,
    )
    return list(page.locator(f"{RESULTS} .qadocs-find__title").all_inner_texts())


def test_no_search_data_until_search_is_opened_then_typed_query_finds(
    phone: Session, base_url: str, questions: list[dict[str, Any]]
) -> None:
    page = phone.page
    page.goto(base_url + quote(questions[0]["url"]), wait_until="load")
    page.wait_for_timeout(500)
    assert not [u for u in _fetched(page) if "qadocs-search" in u or "search_index" in u]
    _open(page)
    page.locator(".qadocs-find__input").press_sequentially("扩散模型", delay=20)
    titles = _titles(page, "扩散模型")
    assert titles and all("扩散模型" in t for t in titles[:3]), titles
    fetched = [urlsplit(u).path for u in _fetched(page) if "qadocs-search" in u]
    assert "/qadocs-search/meta.json" in fetched and any(p.startswith("/qadocs-search/i/") for p in fetched)
    assert len(fetched) < 20, fetched  # pieces: the meta, a few shards, the shown pages' texts
    snippet = page.locator(f"{RESULTS} .qadocs-find__snippet mark").first
    expect(snippet).to_contain_text("扩散")
    phone.assert_clean(console=True)


def test_ime_committed_query_shows_results(phone: Session, base_url: str) -> None:
    """A Chinese IME composes (input events while composing are not searched), then commits."""
    page = phone.page
    page.goto(base_url + "/", wait_until="load")
    _open(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "kuosan", "selectionStart": 6, "selectionEnd": 6})
    page.wait_for_timeout(300)
    assert page.locator(RESULTS).count() == 0
    cdp.send("Input.insertText", {"text": "扩散"})
    titles = _titles(page, "扩散")
    assert titles and "扩散" in titles[0]
    phone.assert_clean(console=True)


def test_pasted_query_shows_results(browser: Browser, base_url: str) -> None:
    with open_session(browser, **PHONE, permissions=["clipboard-read", "clipboard-write"]) as sess:
        page = sess.page
        page.goto(base_url + "/", wait_until="load")
        _open(page)
        page.evaluate("navigator.clipboard.writeText('注意力机制')")
        page.locator(".qadocs-find__input").press("Control+V")
        titles = _titles(page, "注意力机制")
        assert titles and "注意力" in titles[0]
        sess.assert_clean(console=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_exact_title_comes_first_and_lands_on_the_permanent_url(
    browser: Browser, base_url: str, questions: list[dict[str, Any]], scheme: str
) -> None:
    entry = next(q for q in questions if "扩散模型" in q["title"] and "？" in q["title"])
    query = entry["title"].replace("？", "")
    with open_session(browser, **PHONE, color_scheme=scheme) as sess:
        page = sess.page
        page.goto(base_url + "/", wait_until="load")
        _open(page)
        page.locator(".qadocs-find__input").fill(query)
        assert _titles(page, query)[0] == entry["title"]
        hit = page.locator(".qadocs-find__hit").first
        panel, title = (
            _luminance(c)
            for c in hit.evaluate(
                "a => [getComputedStyle(a.closest('.qadocs-find__panel')).backgroundColor,"
                " getComputedStyle(a.querySelector('.qadocs-find__title')).color]"
            )
        )
        assert (panel < 0.3) == (scheme == "dark") and abs(panel - title) > 0.3  # the scheme's, and legible
        dark = page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        assert dark == (scheme == "dark")
        with page.expect_navigation(wait_until="load"):
            hit.tap()
        assert urlsplit(page.url).path == quote(entry["url"])
        sess.assert_clean(console=True)


def test_enter_goes_to_the_first_result_and_escape_closes(session_desktop: Session, base_url: str) -> None:
    page = session_desktop.page
    page.goto(base_url + "/", wait_until="load")
    page.keyboard.press("/")
    expect(page.locator(".qadocs-find__input")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(".qadocs-find")).to_be_hidden()
    page.goto(base_url + "/?q=" + quote("LoRA"), wait_until="load")
    first = _titles(page, "LoRA")[0]
    with page.expect_navigation(wait_until="load"):
        page.locator(".qadocs-find__input").press("Enter")
    expect(page.locator("article h1")).to_contain_text(first)
    session_desktop.assert_clean(console=True)


@pytest.fixture
def session_desktop(browser: Browser) -> Iterator[Session]:
    with open_session(browser) as sess:
        yield sess


def test_terms_are_cut_in_the_browser_as_at_build_time(phone: Session, base_url: str, site_dir: Path) -> None:
    """Every page text of the demo, and odd text, gives the same terms and shards on both sides."""
    texts = [json.loads(p.read_text(encoding="utf-8"))["t"] for p in (site_dir / "qadocs-search" / "p").glob("*.json")]
    texts += ["什么是LoRA？", "ＬｏＲＡ和ＧＰＴ－４", "𠀀𠀁字", "naïve café 2d", "x" * 40 + "中", "ﬁle Ⅻ ①", "a_b-c"]
    page = phone.page
    page.goto(base_url + "/", wait_until="load")
    _open(page)
    page.wait_for_function("window.qadocsSearch !== undefined")
    got = page.evaluate("texts => texts.map(t => window.qadocsSearch.terms(t))", texts)
    assert got == [terms(t) for t in texts]
    every = sorted({t for ts in got for t in ts})
    sample = every[:: max(1, len(every) // 3000)] + [t for t in every if ord(t[0]) > 0xFFFF]  # astral ones too
    shards = page.evaluate("ts => ts.map(t => window.qadocsSearch.shardOf(t, 256))", sample)
    assert shards == [shard_of(t, 256) for t in sample]
    phone.assert_clean(console=True)


def test_pinyin_of_a_title_finds_it(phone: Session, base_url: str) -> None:
    page = phone.page
    page.goto(base_url + "/?q=" + quote("kuosan moxing"), wait_until="load")
    titles = _titles(page, "kuosan moxing")
    assert titles and all("扩散模型" in t for t in titles[:3]), titles
    phone.assert_clean(console=True)


def test_query_words_are_not_cut_apart(phone: Session, base_url: str) -> None:
    """Asking words and particles are optional in a query, but never cut a word in two."""
    page = phone.page
    page.goto(base_url + "/", wait_until="load")
    _open(page)
    page.wait_for_function("window.qadocsSearch !== undefined")
    needed = {
        "什么是LoRA": ["lora"],
        "LoRA是什么": ["lora"],
        "扩散模型的原理": ["扩散模型", "原理"],
        "Transformer中的位置编码": ["transformer", "位置编码"],
        "对象": ["对象"],
        "了解": ["了解"],
        "以及": ["以及"],
        "目的": ["目的"],
        "解释器": ["解释器"],
        "什么是": ["什么是"],
    }
    got = page.evaluate("qs => qs.map(q => window.qadocsSearch.parse(q).runs)", list(needed))
    assert dict(zip(needed, got, strict=True)) == needed
    phone.assert_clean(console=True)


def test_keys_of_an_ime_and_the_back_gesture(phone: Session, base_url: str) -> None:
    page = phone.page
    page.goto(base_url + "/", wait_until="load")
    _open(page)
    box = page.locator(".qadocs-find")
    page.locator(".qadocs-find__input").dispatch_event("keydown", {"key": "Escape", "isComposing": True})
    expect(box).to_be_visible()  # the IME's Escape cancels its composition, not search
    page.go_back()  # a phone's back gesture closes search and stays on the page
    expect(box).to_be_hidden()
    assert urlsplit(page.url).path == "/"
    _open(page)
    page.keyboard.press("Escape")
    expect(box).to_be_hidden()
    phone.assert_clean(console=True)
