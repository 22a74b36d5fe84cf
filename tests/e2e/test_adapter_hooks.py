"""The plugin's hooks on a whole `mkdocs build` run in this process, so that coverage sees them (the
other builds run `mkdocs` in a subprocess)."""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build

from qadocs.core.options import REGISTRY_NAME
from repos import PLUGIN_TITLE as TITLE
from repos import loaded_plugin as _plugin
from repos import plugin_repo as _repo


def test_plugin_hooks_in_a_real_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A whole `mkdocs build` in process: the title is escaped once in <title>, <h1> and the nav;
    the sub-heading's id and the page TOC's link both moved to `user-content-__config`."""
    root = _repo(tmp_path / "repo")
    config, _ = _plugin(root)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build(config)
    assert re.search(r"qadocs: 1 sources, 2 questions \(\d+ files written, 0 removed\)", caplog.text)
    assert "qadocs registry: new" in caplog.text
    page = (root / "site" / "jichu" / "shenme-shi-a-b-c" / "index.html").read_text(encoding="utf-8")
    shown = html.escape(TITLE, quote=False)  # what the browser shows as `什么是 a < b & c？`
    assert f"<title>{shown} - " in page
    assert re.search(r"<h1[^>]*>" + re.escape(shown) + "<", page)
    assert len(re.findall(r">\s*1\. " + re.escape(shown) + r"\s*<", page)) == 2  # nav labels (both navs)
    assert "&amp;lt;" not in page and "&amp;amp;" not in page  # never escaped twice
    assert '<h3 id="user-content-__config">__config<' in page
    assert page.count('id="__config"') == 1 and '<script id="__config"' in page  # the theme's keeps its id
    assert page.count('<a href="#user-content-__config" class="md-nav__link">') == 2  # the page TOC followed
    assert (root / "content" / REGISTRY_NAME).is_file()  # a build writes the registry
