"""Errors qadocs raises on purpose; each message says what to change."""

from __future__ import annotations

from qadocs.core.model import Diagnostic


class QadocsError(Exception):
    """A problem with the configuration or the environment, not with one source line."""


class ContentError(QadocsError):
    """The content cannot be built at all (an unusable registry); carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.render())
        self.diagnostic = diagnostic
