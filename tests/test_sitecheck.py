"""The link checker of the built site (tests/sitecheck.py) itself, on hand-made pages."""

from __future__ import annotations

from pathlib import Path

from sitecheck import broken_internal_links


def test_link_check_finds_what_is_broken(tmp_path: Path) -> None:
    """The checker itself, on three hand-made pages: each kind of broken link is named, nothing else."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "b").mkdir()
    (site / "a" / "index.html").write_text(
        '<h2 id="x">x</h2><a name="y"></a>'
        '<a href="#x">ok</a><a href="#y">ok</a><a href="../b/#z">ok</a><a href="/b/">ok</a>'
        '<a href="https://example.com/">remote</a><link rel="stylesheet" href="missing.css">'
        '<a href="#nope">bad id</a><a href="../c/">bad file</a><a href="../b/#nope">bad id there</a>'
        '<link rel="next" href="../gone/">',
        encoding="utf-8",
    )
    (site / "b" / "index.html").write_text('<p id="z">z</p>', encoding="utf-8")
    checked, offenders = broken_internal_links(site, sorted(site.rglob("*.html")))
    assert checked == 8  # the remote link and the stylesheet are not this check's
    assert offenders == [
        "a/index.html: <a href='#nope'> -> no id='nope' in a/index.html",
        "a/index.html: <a href='../c/'> -> no such file",
        "a/index.html: <a href='../b/#nope'> -> no id='nope' in b/index.html",
        "a/index.html: <link href='../gone/'> -> no such file",
    ]
