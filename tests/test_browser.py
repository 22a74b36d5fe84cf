"""Browser tests: the built demo site served over HTTP, driven by headless Debian chromium.

Skipped when /usr/bin/chromium or playwright is missing, except under CI (env var CI set),
where they fail instead: CI installs chromium.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
MATH_TITLE = "请简述视频扩散模型的去噪过程？"
SEARCH_QUERY = "扩散模型"
TIMEOUT_MS = 15_000


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so browser tests must run)")
    pytest.skip(reason)


try:
    from playwright.sync_api import Browser, Page, Request, Response, expect, sync_playwright
except ImportError as exc:  # pragma: no cover - depends on the environment
    _IMPORT_ERROR: ImportError | None = exc
else:
    _IMPORT_ERROR = None


# --------------------------------------------------------------------------------------- fixtures


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 at a free port, in a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if _IMPORT_ERROR is not None:
        _unavailable(f"playwright is not importable: {_IMPORT_ERROR}")
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium package")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class Session:
    """A page plus what it did on the network and in JS."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.external: list[str] = []  # requests to any host but the local server
        self.bad_responses: list[str] = []  # local responses with status >= 400
        self.page_errors: list[str] = []  # uncaught JS exceptions

    def assert_clean(self) -> None:
        assert not self.external, "requests to other hosts:\n  " + "\n  ".join(self.external)
        assert not self.bad_responses, "failed local requests:\n  " + "\n  ".join(self.bad_responses)
        assert not self.page_errors, "uncaught JS errors:\n  " + "\n  ".join(self.page_errors)


@pytest.fixture
def session(browser: Browser, base_url: str) -> Iterator[Session]:
    context = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900},
                                  service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    sess = Session(page)

    def on_request(request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname not in LOCAL_HOSTS:
            sess.external.append(f"{request.resource_type} {request.url}")

    def on_response(response: Response) -> None:
        if urlsplit(response.url).hostname in LOCAL_HOSTS and response.status >= 400:
            sess.bad_responses.append(f"{response.status} {response.url}")

    context.on("request", on_request)
    context.on("response", on_response)
    page.on("pageerror", lambda err: sess.page_errors.append(str(err)))

    # Record first (above), then keep the test hermetic: nothing may leave the machine.
    def route(route: Any) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    try:
        yield sess
    finally:
        context.close()


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
    title = " ".join(h1.evaluate(
        "el => { const c = el.cloneNode(true); c.querySelectorAll('a.headerlink').forEach(a => a.remove());"
        " return c.textContent; }").split())
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
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=TIMEOUT_MS)
    items = page.locator(".md-search-result__list > .md-search-result__item")
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


@pytest.mark.parametrize("fragment", [
    LEGACY_ID,
    "user-content-" + LEGACY_ID,
    quote(LEGACY_ID, safe=""),
    quote("user-content-" + LEGACY_ID, safe=""),
    "5简要解释下什么是扩散模型",  # GitHub's slug of the heading
], ids=["raw", "user-content", "percent-encoded", "user-content-encoded", "github-slug"])
def test_legacy_anchor_on_source_page_lands_on_question(session: Session, base_url: str, site_dir: Path,
                                                        fragment: str) -> None:
    questions = json.loads((site_dir / "questions.json").read_text(encoding="utf-8"))
    [entry] = [q for q in questions if q["title"] == LEGACY_TITLE]
    page = session.page
    page.goto(base_url + quote(str(entry["source_url"])) + "#" + fragment, wait_until="load")
    page.wait_for_url(base_url + quote(str(entry["url"])), timeout=TIMEOUT_MS)
    expect(page.locator("article h1")).to_contain_text(LEGACY_TITLE)
    session.assert_clean()


def test_source_page_without_fragment_stays_and_lists_questions(session: Session, base_url: str,
                                                                 site_dir: Path) -> None:
    questions = json.loads((site_dir / "questions.json").read_text(encoding="utf-8"))
    [entry] = [q for q in questions if q["title"] == LEGACY_TITLE]
    page = session.page
    page.goto(base_url + quote(str(entry["source_url"])) + "#不存在的锚点", wait_until="load")
    page.wait_for_timeout(500)
    assert urlsplit(page.url).path == quote(str(entry["source_url"]))
    assert page.locator(f"article a:has-text('{LEGACY_TITLE}')").count() == 1
    session.assert_clean()


def test_legacy_chapter_anchor_lands_on_chapter_page(session: Session, base_url: str, site_dir: Path) -> None:
    questions = json.loads((site_dir / "questions.json").read_text(encoding="utf-8"))
    chapter = "第一部分：视频生成与视频编辑相关训练与微调技术"
    entry = next(q for q in questions if chapter in q["chapter"])
    page = session.page
    page.goto(base_url + quote(str(entry["source_url"])) + "#" + quote(chapter, safe=""), wait_until="load")
    page.wait_for_function("() => !location.pathname.endsWith('/ai-shipin-xunlian-yu-weidiao-jishu/')",
                           timeout=TIMEOUT_MS)
    expect(page.locator("article h1")).to_contain_text(chapter)
    session.assert_clean()
