"""A real `mkdocs build` of 60 files of the "other authors" collection (tests/authors.py, issue 9):
no broken link or anchor."""

from __future__ import annotations

from pathlib import Path

from authors import make_authors


def test_authors_collection_builds_with_mkdocs(tmp_path: Path) -> None:
    """A real `mkdocs build` of 60 other-authors files: every internal link and `#anchor` of the
    site lands (links to `<a name>`, `id`s and sub-headings of answers included), and the only
    warnings are qadocs' own findings."""
    import re

    from conftest import build_maintained
    from sitecheck import broken_internal_links

    make_authors(tmp_path, files=60, seed=5)
    proc = build_maintained(tmp_path)
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    own = re.compile(r"^WARNING -  \S+\.md:\d+:\d+: error [a-z0-9-]+ ")
    assert all(own.match(line) for line in warnings), "\n".join(w for w in warnings if not own.match(w))
    pages = sorted((tmp_path / "site").rglob("*.html"))
    checked, offenders = broken_internal_links(tmp_path / "site", pages)
    to_anchor = re.compile(r'href="[^"#:]+/#[^"]+"')  # a link to an anchor inside another page
    anchored = sum(len(to_anchor.findall(p.read_text(encoding="utf-8"))) for p in pages)
    print(
        f"authors build: {len(pages)} pages, {checked} internal links checked ({anchored} into another "
        f"page's anchor), {len(offenders)} broken"
    )
    assert checked > 1000 and anchored > 10
    assert offenders == []
