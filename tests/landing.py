"""Following a URL through a generated docs dir: the static redirect pages (meta refresh) the plan
writes, to a page (`<url>/index.md`). Shared by the scenarios that check links last."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urljoin

import yaml
from bs4 import BeautifulSoup

REFRESH_RE = re.compile(r"^\s*\d+\s*;\s*url=(.+)$", re.IGNORECASE)


def refresh_target(page: Path, url: str) -> tuple[str, str]:
    """(target URL, visible text) of the redirect page `page` served at `url`."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh is not None, f"{url}: neither a page nor a redirect"
    match = REFRESH_RE.match(str(refresh.get("content", "")))
    assert match, f"bad refresh on {url}"
    return urljoin(url, match.group(1)), soup.get_text(" ", strip=True)


def front_title(page: Path) -> str:
    """The title a generated page shows (front matter `title` is HTML text)."""
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{page}: no front matter"
    meta = yaml.safe_load(text.split("---\n", 2)[1])
    return html.unescape(str(meta["title"]))


def land_generated(docs: Path, url: str) -> tuple[str, str, list[str]]:
    """Follow `url` (site-absolute) in a generated docs dir through its redirect pages:
    (final URL, the title of the page there, notices on the way)."""
    notices: list[str] = []
    for _ in range(5):
        where = docs / unquote(url).strip("/")
        page, redirect = where / "index.md", where / "index.html"
        assert not (page.is_file() and redirect.is_file()), f"{url}: both a page and a redirect"
        if page.is_file():
            return url, front_title(page), notices
        assert redirect.is_file(), f"{url} has no page in the second generation"
        url, notice = refresh_target(redirect, url)
        notices.append(notice)
    raise AssertionError(f"{url}: redirect loop")
