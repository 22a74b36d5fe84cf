"""The generated 60-file messy collection built with a real `mkdocs build` (conftest `messy_build`):
its internal links and anchors resolve."""

from __future__ import annotations

from conftest import MessyBuild


def test_messy_collection_builds_with_mkdocs(messy_build: MessyBuild) -> None:
    """A real MkDocs build of a messy collection: only qadocs' own findings warn, every link resolves."""
    import re

    from sitecheck import broken_internal_links

    assert messy_build.returncode == 0, messy_build.stderr
    warnings = [line for line in messy_build.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    own = re.compile(r"^WARNING -  \S+\.md:\d+:\d+: error [a-z0-9-]+ ")
    assert warnings and all(own.match(line) for line in warnings), "\n".join(w for w in warnings if not own.match(w))
    pages = sorted(messy_build.site.rglob("*.html"))
    checked, offenders = broken_internal_links(messy_build.site, pages)
    assert checked > 1000
    assert offenders == []
