"""Browser plumbing shared by the browser tests: a static server, headless Debian chromium, and a
page that records requests to other hosts, failed requests, JS errors and dialogs.

Browser tests skip when /usr/bin/chromium or playwright is missing, except under CI (env var CI
set), where they fail instead: CI installs chromium.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TIMEOUT_MS = 15_000

try:
    from playwright.sync_api import Browser, Page, Request, Response, sync_playwright
except ImportError as exc:  # pragma: no cover - depends on the environment
    IMPORT_ERROR: ImportError | None = exc
else:
    IMPORT_ERROR = None


def unavailable(reason: str) -> None:
    """Skip (or, under CI, fail) a test that needs the browser."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so browser tests must run)")
    pytest.skip(reason)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path, handler_class: type[QuietHandler] = QuietHandler) -> Iterator[str]:
    """`directory` served on 127.0.0.1 at a free port, in a background thread; yields the base URL."""
    handler = functools.partial(handler_class, directory=str(directory))
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


@contextlib.contextmanager
def launch() -> Iterator[Browser]:
    """Headless Debian chromium (skips, or fails under CI, when it is missing)."""
    if IMPORT_ERROR is not None:
        unavailable(f"playwright is not importable: {IMPORT_ERROR}")
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        unavailable(f"{CHROMIUM} is missing: install Debian's chromium package")
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
        self.dialogs: list[str] = []  # alert/confirm/prompt: content script ran
        self.console_errors: list[str] = []  # console.error messages (a failed load logs one too)

    def assert_clean(self, console: bool = False) -> None:
        """No request left the machine, none failed, no JS error, no dialog (with `console`: and
        nothing logged as an error on the console)."""
        if console:
            assert not self.console_errors, "console errors:\n  " + "\n  ".join(self.console_errors)
        assert not self.external, "requests to other hosts:\n  " + "\n  ".join(self.external)
        assert not self.bad_responses, "failed local requests:\n  " + "\n  ".join(self.bad_responses)
        assert not self.page_errors, "uncaught JS errors:\n  " + "\n  ".join(self.page_errors)
        assert not self.dialogs, "dialogs opened (a script ran):\n  " + "\n  ".join(self.dialogs)


@contextlib.contextmanager
def open_session(browser: Browser, **context_args: Any) -> Iterator[Session]:
    """A fresh browser context and page, recording into a Session; nothing may leave the machine."""
    options: dict[str, Any] = {
        "color_scheme": "light",
        "viewport": {"width": 1280, "height": 900},
        "service_workers": "block",
        **context_args,
    }
    context = browser.new_context(**options)
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

    def on_dialog(dialog: Any) -> None:
        sess.dialogs.append(f"{dialog.type}: {dialog.message} on {page.url}")
        dialog.dismiss()

    context.on("request", on_request)
    context.on("response", on_response)
    page.on("pageerror", lambda err: sess.page_errors.append(str(err)))
    page.on("console", lambda msg: sess.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("dialog", on_dialog)

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
