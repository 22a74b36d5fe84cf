"""The sidebar each page gets (`qadocs.plugin.sidebar`): bounded whatever the collection's size, with the
page's neighbours, and links to the full lists; on MkDocs' own navigation objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import Link, Navigation, Section, get_navigation

from qadocs.plugin.sidebar import (
    MORE_TITLE,
    NAV_LEVEL_MAX,
    NAV_NEAR,
    NAV_OUTER_MAX,
    mark_positions,
    page_view,
    view_fingerprint,
)


def _navigation(tmp_path: Path, sizes: tuple[int, ...], names: tuple[str, ...]) -> Navigation:
    """首页, then nested sections: `sizes[k]` items at depth k, the section at depth k named
    `names[k]` with its number path (`第1章`, `源5-4`), questions last (`题5-4-1`); each folder
    has its index page. MkDocs' own objects, from a real config."""
    docs = tmp_path / "docs"
    nav = [{"首页": "index.md"}, *_items(docs, "", (), sizes, names)[1:]]
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"), docs_dir=str(docs), nav=nav)
    navigation = get_navigation(get_files(config), config)
    mark_positions(navigation)
    return navigation


def _items(docs: Path, folder: str, path: tuple[str, ...], sizes: tuple[int, ...], names: tuple[str, ...]) -> list[Any]:
    (docs / folder).mkdir(parents=True, exist_ok=True)
    (docs / folder / "index.md").write_text("# 索引\n", encoding="utf-8")
    items: list[Any] = [f"{folder}index.md"]
    for i in range(sizes[0]):
        number = "-".join((*path, str(i)))
        if len(sizes) == 1:
            (docs / folder / f"q{i}.md").write_text("# 题\n", encoding="utf-8")
            items.append({f"题{number}": f"{folder}q{i}.md"})
        else:
            inner = _items(docs, f"{folder}n{i}/", (*path, str(i)), sizes[1:], names[1:])
            items.append({names[0].format(number): inner})
    return items


def _nav(tmp_path: Path, chapters: int, questions: int) -> Navigation:
    return _navigation(tmp_path, (chapters, questions), ("第{}章",))


def _page(nav: Navigation, title: str) -> Any:
    return next(p for p in nav.pages if p.title == title)


def _titles(items: list[Any]) -> list[str]:
    return [str(item.title) for item in items]


def _count(items: list[Any]) -> int:
    return sum(1 + _count(getattr(item, "children", None) or []) for item in items)


def test_a_long_chapter_shows_the_page_and_its_neighbours(tmp_path: Path) -> None:
    nav = _nav(tmp_path, chapters=3, questions=100)
    page = _page(nav, "题1-50")
    view = page_view(nav, page, prune=True)
    chapter = view.items[2]
    assert isinstance(chapter, Section) and chapter.active
    more = MORE_TITLE.format(count=101)
    shown = _titles(chapter.children)
    assert shown[0] == "第1章" or chapter.children[0].is_index  # the chapter's own index page stays
    assert shown[1] == more and shown[-1] == more
    assert shown[2:-1] == [f"题1-{q}" for q in range(50 - NAV_NEAR, 50 + NAV_NEAR + 1)]
    assert all(isinstance(c, Link) and c.url == "n1/" for c in (chapter.children[1], chapter.children[-1]))
    assert page in chapter.children
    # a closed chapter is one link to its first page: its children are not handed to the theme
    closed = view.items[1]
    assert isinstance(closed, Section) and not closed.active and len(closed.children) == 1
    # the whole tree is untouched
    assert len(nav.items[2].children) == 101 and nav.items[2].children[1].title == "题1-0"


def test_the_first_page_of_a_long_chapter_has_no_link_before_it(tmp_path: Path) -> None:
    nav = _nav(tmp_path, chapters=1, questions=100)
    shown = _titles(page_view(nav, _page(nav, "题0-0"), prune=True).items[1].children)
    assert MORE_TITLE.format(count=101) not in shown[:2] and shown[-1] == MORE_TITLE.format(count=101)
    assert len(shown) == 1 + NAV_NEAR + 1 + 1


def test_the_view_is_bounded_whatever_the_size(tmp_path: Path) -> None:
    # two levels, each at most the index, the window and two links to the rest; a closed section
    # in the window brings its first page
    window = 2 * NAV_NEAR + 1
    bound = 2 * (1 + window + 2) + window
    for chapters, questions in ((5, 5), (NAV_LEVEL_MAX + 5, 3), (3, 100)):
        nav = _nav(tmp_path / str(chapters), chapters, questions)
        for page in nav.pages[:: max(1, len(nav.pages) // 40)]:
            assert _count(page_view(nav, page, prune=True).items) <= bound, page.title


def test_short_lists_are_shown_whole_and_unpruned_sections_keep_their_children(tmp_path: Path) -> None:
    nav = _nav(tmp_path, chapters=3, questions=NAV_LEVEL_MAX - 1)
    page = _page(nav, "题0-3")
    pruned, full = page_view(nav, page, prune=True), page_view(nav, page, prune=False)
    assert len(pruned.items[1].children) == NAV_LEVEL_MAX and len(pruned.items[2].children) == 1
    assert full.items[2] is nav.items[2]  # without pruning a closed section is the section itself


def test_fingerprints_change_with_what_the_page_shows(tmp_path: Path) -> None:
    nav = _nav(tmp_path, chapters=2, questions=5)
    a, b = _page(nav, "题0-2"), _page(nav, "题1-2")
    before = {p.file.src_uri: view_fingerprint(p, {}) for p in (a, b)}
    nav.items[1].children[4].title = "改名"  # 题0-3: a's neighbour, in a's open chapter
    after = {p.file.src_uri: view_fingerprint(p, {}) for p in (a, b)}
    assert after[a.file.src_uri] != before[a.file.src_uri]
    assert after[b.file.src_uri] == before[b.file.src_uri]  # b's sidebar shows chapter 0 closed


def _deep_nav(tmp_path: Path, topics: int, sources: int, questions: int) -> Navigation:
    """首页, then topics of sources of questions (three levels, like folders of files)."""
    return _navigation(tmp_path, (topics, sources, questions), ("专题{}", "源{}"))


def test_lists_further_out_than_the_chapter_show_the_way_back_only(tmp_path: Path) -> None:
    """Here the page's list is a source's questions; the topics around them are further out."""
    nav = _deep_nav(tmp_path, topics=NAV_OUTER_MAX + 3, sources=NAV_OUTER_MAX + 1, questions=3)
    page = _page(nav, "题5-4-1")
    view = page_view(nav, page, prune=True)
    top = _titles(view.items)
    assert top == ["首页", MORE_TITLE.format(count=len(nav.items)), "专题5", MORE_TITLE.format(count=len(nav.items))]
    topic = view.items[2]  # the list holding the page's own list: whole, as it is short
    assert _titles(topic.children)[1:] == [f"源5-{s}" for s in range(NAV_OUTER_MAX + 1)]
    source = topic.children[5]
    assert _titles(source.children)[1:] == ["题5-4-0", "题5-4-1", "题5-4-2"]  # the page's own list: whole
    assert source.active and page in source.children
    # a short outer list stays whole
    small = _deep_nav(tmp_path / "small", topics=3, sources=3, questions=2)
    assert len(page_view(small, _page(small, "题1-1-1"), prune=True).items) == 4
