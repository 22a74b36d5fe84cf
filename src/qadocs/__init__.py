"""qadocs: turn interview Q&A markdown into one page per question for MkDocs."""

from __future__ import annotations

__version__ = "0.1.0"
