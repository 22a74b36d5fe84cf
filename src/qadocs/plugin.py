"""MkDocs adapter: regenerate the docs dir before every build and hand MkDocs the nav."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from .build import generate, shown_from_root
from .config import QadocsConfig
from .errors import QadocsError
from .plan import Options
from .read import is_inside

log = logging.getLogger("mkdocs.plugins.qadocs")


class QadocsPlugin(BasePlugin[QadocsConfig]):
    """Runs qadocs on `content_dir` and writes the pages into MkDocs' `docs_dir`."""

    def _options(self, config: MkDocsConfig) -> Options:
        root = Path(config.config_file_path or ".").resolve().parent
        return Options(
            repo_root=root,
            content_dir=(root / self.config.content_dir).resolve(),
            imgs_dir=(root / self.config.imgs_dir).resolve(),
            base_url=urlsplit(config.site_url or "/").path or "/",
            missing_images=self.config.missing_images,  # type: ignore[arg-type]
        )

    # Priority 100: generate before other plugins look at the config or nav.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Generate the pages, log every diagnostic once, and set the nav."""
        opts = self._options(config)
        out = Path(config.docs_dir).resolve()
        if not is_inside(out, opts.repo_root) or out == opts.content_dir:
            raise PluginError(f"qadocs: docs_dir {out} must be a generated folder inside the repository, "
                              "not the content folder; e.g. `docs_dir: build/docs`")
        if not opts.content_dir.is_dir():
            raise PluginError(f"qadocs: content_dir {opts.content_dir} does not exist; "
                              "set `plugins: - qadocs: {content_dir: content}`")
        try:
            result = generate(opts, out)
        except QadocsError as exc:
            raise PluginError(f"qadocs: {exc}") from exc
        for diag in shown_from_root(result.diagnostics, opts):
            # qadocs errors are MkDocs warnings, so `mkdocs build --strict` fails on them.
            log.log(logging.WARNING if diag.severity == "error" else logging.INFO, diag.render())
        for change in result.plan.changes:
            log.info("qadocs registry: " + change.render())
        stats = result.stats
        assert stats is not None
        log.info(f"qadocs: {len(result.sources)} sources, {len(result.plan.questions)} questions "
                 f"({stats.written} files written, {stats.removed} removed) in {result.seconds:.2f}s")
        config.nav = result.plan.nav
        if "qadocs.sanitize" not in config.markdown_extensions:  # content HTML is never trusted
            config.markdown_extensions.append("qadocs.sanitize")
        return config

    on_config.mkdocs_priority = 100  # type: ignore[attr-defined]

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when a source or an image changes, not only when the generated pages do."""
        opts = self._options(config)
        for path in (opts.content_dir, opts.imgs_dir):
            if path.is_dir():
                server.watch(str(path))
        return server
