"""The left navigation each page shows, bounded in size whatever the collection's size.

Material renders the navigation partial for every page over the items it is given. With the
whole tree that costs pages × items, quadratic in the collection (at 15,000 questions the
sidebar was 88 % of a page's bytes). Each page therefore gets its own view of the tree:

- a section off the page's path is cut to its first child (all `navigation.prune` renders of it
  is one link to its first page), unless a theme feature shows closed sections expanded;
- a list longer than `NAV_LEVEL_MAX` shows the page's neighbours (`NAV_NEAR` either side), the
  section's own index page, and a link to that index (which lists everything) for the rest;
- further out than the page's chapter (the lists of sources, of topics), a list longer than
  `NAV_OUTER_MAX` shows only the way to the page, between links to the full list: the sidebar
  is the page's chapter and its neighbours, and the path back up.

A view depends only on the page's ancestors and their neighbours, so its fingerprint tells which
pages must be rebuilt when titles or order change (`mkdocs serve --dirty`).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from qadocs.core.text import words

NAV_LEVEL_MAX = 40  # a list of more items than this is shown as a window around the page
NAV_NEAR = 8  # items shown before and after the page's own in such a window
NAV_OUTER_MAX = 6  # a list further out than the page's chapter, longer than this, shows its path only
MORE_TITLE = words.MORE  # the link to the full list on the section's index page
# Material features that render sections off the page's path with their children.
EXPANDING = {"navigation.expand", "navigation.sections", "navigation.tabs"}


def prunes(features: Sequence[str]) -> bool:
    """Whether the theme shows a closed section as one link (so its children need not be given)."""
    return "navigation.prune" in features and not EXPANDING & set(features)


def page_view(nav: Navigation, page: Page, prune: bool) -> Navigation:
    """A shallow copy of `nav` whose items are what `page`'s sidebar shows (see module doc). Needs
    `mark_positions(nav)` first; costs the page's depth times `NAV_LEVEL_MAX`, whatever the size."""
    view = copy.copy(nav)
    home = nav.homepage.url if nav.homepage is not None else ""
    chain = [page, *page.ancestors][::-1]  # outermost first
    view.items = _level(nav.items, chain, page, prune, home)
    return view


def _level(items: list[Any], chain: list[Any], page: Page, prune: bool, index_url: str) -> list[Any]:
    """`items` as the page's sidebar shows them; `chain` is the page's path from this level down."""
    lower = chain[0] if chain else None
    on_path = getattr(lower, "qadocs_position", None) if getattr(lower, "qadocs_siblings", None) is items else None
    outer = len(chain) > 2  # the page, its chapter: inner; the lists around them: outer
    if len(items) <= (NAV_OUTER_MAX if outer else NAV_LEVEL_MAX):
        return [_item(item, chain[1:], page, prune, i == on_path) for i, item in enumerate(items)]
    centre = on_path if on_path is not None else 0
    near = 0 if outer else NAV_NEAR
    first = 1 if getattr(items[0], "is_index", False) else 0
    start, stop = max(first, centre - near), min(len(items), centre + near + 1)
    shown = [_item(items[i], chain[1:], page, prune, i == on_path) for i in (*range(first), *range(start, stop))]
    more = Link(Markup(MORE_TITLE.format(count=len(items))), index_url)
    before, after = [more] if start > first else [], [more] if stop < len(items) else []
    return [*shown[:first], *before, *shown[first:], *after]


def _item(item: Any, chain: list[Any], page: Page, prune: bool, on_path: bool) -> Any:
    if not isinstance(item, Section):
        return item
    if on_path:
        children = _level(item.children, chain, page, prune, _index_url(item))
    elif prune:
        children = _first_chain(item.children)
    else:
        return item
    return _section(item, children, on_path)


def _section(item: Section, children: list[Any], active: bool) -> Section:
    view = Section(item.title, children)
    view.active = active  # no parent: setting it touches nothing else
    return view


def _first_chain(children: list[Any]) -> list[Any]:  # items: Page, Section or Link
    """All a pruned section shows: a link to its first page (with a marker that it has children)."""
    if not children:
        return []
    first = children[0]
    if isinstance(first, Section):
        return [_section(first, _first_chain(first.children), False)]
    return [first]


def _index_url(section: Section) -> str:
    first: Any = section.children[0] if section.children else None
    return str(first.url) if getattr(first, "is_index", False) else ""


def view_fingerprint(page: Page, stamps: dict[int, str]) -> str:
    """What the page shows around its content that other pages decide: its sidebar (the lists
    along its path, whole, and where it stands in each), breadcrumbs, and previous and next pages.
    Equal fingerprints, equal chrome. `stamps` memoises each list's stamp for one build, so a
    page costs its depth, not the collection's size."""
    digest = hashlib.sha256()
    for item in (page, *page.ancestors):
        items = getattr(item, "qadocs_siblings", None) or [item]
        digest.update(f"{_stamp(items, stamps)}{getattr(item, 'qadocs_position', -1)}\1".encode())
    for near in (page.previous_page, page.next_page):
        digest.update(f"{getattr(near, 'title', '')}\0{getattr(near, 'url', '')}\1".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def mark_positions(nav: Navigation) -> None:
    """Give every item of the navigation its list and its place in it (MkDocs gives top-level
    items no parent, and finding a place by search would cost the list's length per page)."""
    lists = [nav.items]
    while lists:
        items = lists.pop()
        for position, item in enumerate(items):
            item.qadocs_siblings, item.qadocs_position = items, position
            if isinstance(item, Section):
                lists.append(item.children)


def _stamp(items: list[Any], stamps: dict[int, str]) -> str:
    """A digest of a list as any page's sidebar may show it: each item's kind, title and link, a
    closed section's first page."""
    found = stamps.get(id(items))
    if found is None:
        digest = hashlib.sha256()
        for item in items:
            first = _first_chain(item.children) if isinstance(item, Section) else []
            while first and isinstance(first[0], Section):
                first = first[0].children
            link = getattr(first[0], "url", "") if first else ""
            digest.update(
                f"{type(item).__name__}|{item.title}|{getattr(item, 'url', '')}|{link}\1".encode(
                    "utf-8", "surrogatepass"
                )
            )
        found = stamps[id(items)] = digest.hexdigest()
    return found
