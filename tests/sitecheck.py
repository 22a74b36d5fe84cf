"""Checks over a built site that tests and benchmarks share: every internal link and anchor of
its pages resolves (read with the standard library's HTML parser, no tree: seconds for a
thousand pages)."""

from __future__ import annotations

from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# <link rel=...> values that make the browser fetch something (vs. prev/next/canonical navigation).
RESOURCE_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "preconnect",
    "dns-prefetch",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "manifest",
}
NAV_RELS = {"prev", "next", "canonical", "alternate", "up", "start", "first", "last", "index"}


class PageRefs(HTMLParser):
    """The ids (and `<a name>`s) of a page and its `<a href>` / `<link href>`s, read with the
    stdlib parser that BeautifulSoup's "html.parser" wraps, without building a tree: a link check
    over a thousand pages then takes seconds, not tens of them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, set[str]]] = []  # (href, tag, rel values)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if tag in ("a", "link") and "href" in values:
            self.links.append((values["href"], tag, {r.lower() for r in values.get("rel", "").split()}))


@cache
def page_refs(path: Path) -> PageRefs:
    refs = PageRefs()
    refs.feed(path.read_text(encoding="utf-8"))
    refs.close()
    return refs


def is_remote(url: str) -> bool:
    """True if fetching `url` leaves the site: any scheme other than data:, or `//host/...`."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() == "data":
        return False
    return bool(parts.scheme or parts.netloc)


def local_target(site: Path, base: Path, url: str) -> Path | None:
    """File a local URL points at, relative to the file `base` (or the site root for `/...`);
    a directory URL maps to its index.html. None if the file doesn't exist or leaves the site."""
    path = unquote(urlsplit(url.strip()).path)
    target = site / path.lstrip("/") if path.startswith("/") else base.parent / path
    target = target.resolve()
    if target != site and site not in target.parents:
        return None
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


def broken_internal_links(site: Path, html_files: list[Path]) -> tuple[int, list[str]]:
    """(internal links checked, those whose file or #id does not exist) over the given pages."""
    site = site.resolve()
    offenders: list[str] = []
    checked = 0
    for page in html_files:
        links = [
            (href, tag)
            for href, tag, rels in page_refs(page).links
            if tag == "a" or (rels & NAV_RELS and not rels & RESOURCE_RELS)
        ]
        for href, tag in links:
            href = href.strip()
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:  # http(s), mailto, javascript:, //host: not ours to check
                continue
            where = f"{page.relative_to(site)}: <{tag} href={href!r}>"
            checked += 1
            if parts.path:
                target = local_target(site, page, href)
                if target is None:
                    offenders.append(f"{where} -> no such file")
                    continue
            else:
                target = page
            fragment = unquote(parts.fragment)
            if fragment and fragment not in page_refs(target).ids:
                offenders.append(f"{where} -> no id={fragment!r} in {target.relative_to(site)}")
    return checked, offenders
