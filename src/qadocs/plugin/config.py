"""The plugin's options in mkdocs.yml (this module and the adapters after it, sidebar, prebuild and
plugin, are the only mkdocs imports)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from qadocs.core.options import DEFAULT_CONTENT, DEFAULT_IMGS, MISSING_IMAGES


class QadocsConfig(base.Config):
    """`plugins: - qadocs: {...}`; paths are relative to mkdocs.yml."""

    content_dir = c.Type(str, default=DEFAULT_CONTENT)
    imgs_dir = c.Type(str, default=DEFAULT_IMGS)
    missing_images = c.Choice(MISSING_IMAGES, default=MISSING_IMAGES[0])
    # {glob: heading level of the questions (1-6) or "page"}: for the files the rules read wrong.
    layout = c.Type(dict, default={})
    # Pages kept between builds (qadocs.plugin.prebuild), in a folder inside the repository (which also
    # holds the build lock, qadocs.plugin.buildlock); `false`: off, MkDocs builds the pages as usual.
    cache = c.Type(bool, default=True)
    cache_dir = c.Type(str, default="build/.qadocs-cache")
    # qadocs' search (index in qadocs-search/, read by assets/qadocs-search.js); `false` for a
    # site that uses another search (Material's `search` plugin, say).
    search = c.Type(bool, default=True)
    # Processes that build pages the cache lacks; 0: one per core this process may use.
    jobs = c.Type(int, default=0)
