"""Errors qadocs raises on purpose; each message says what to change."""

from __future__ import annotations


class QadocsError(Exception):
    """A problem with the configuration or the environment, not with one source line."""
