"""What kind of URL a link or image target is: the one place these rules live."""

from __future__ import annotations

import re
from urllib.parse import unquote

MEDIA_DIR = "media"  # copied images
# The 待复习 page (what the reader marked, filled in by assets/qadocs.js). Its underscore keeps it
# apart from every slug and registry URL (letters, digits and hyphens only): no content can lose
# its URL to it.
REVIEW_DIR = "to_review"
# Top-level folders of the built site that no other page may take: copied images, qadocs' and the
# theme's assets, the search index, the review page. No section, source, chapter or question is
# given one (`place`), and a registry entry whose URL lies in one is refused (`registry`).
SEARCH_DIR = "qadocs-search"  # the search index (core/plan/search.py)
RESERVED_DIRS = frozenset({MEDIA_DIR, "assets", "search", SEARCH_DIR, REVIEW_DIR})
SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
WINDOWS_ABS_RE = re.compile(r"^[a-zA-Z]:[\\/]")
REMOTE_RE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)


def is_external(target: str) -> bool:
    """True for URLs with a scheme (http:, mailto:, …) or protocol-relative ones; `C:\\…` is a path."""
    return (bool(SCHEME_RE.match(target)) and not WINDOWS_ABS_RE.match(target)) or target.startswith("//")


def is_remote(target: str) -> bool:
    """True for http(s) and protocol-relative URLs: things a browser fetches from another host."""
    return bool(REMOTE_RE.match(target))


# A file of a GitHub repository: `https://github.com/<owner>/<repo>/blob/<branch>/<path>` (or
# `/raw/`), `https://raw.githubusercontent.com/<owner>/<repo>/<branch>/<path>`.
GITHUB_FILE_RE = re.compile(
    r"^https?://(?:(?:www\.)?github\.com/[^/?#]+/[^/?#]+/(?:blob|raw)|raw\.githubusercontent\.com/[^/?#]+/[^/?#]+)"
    r"/[^/?#]+/([^?#]+)",
    re.IGNORECASE,
)


def github_file_path(url: str) -> str | None:
    """The path inside its repository of a GitHub file URL (percent-decoded), or None for any
    other URL. Where the repository's own files are, a link written to its GitHub page shows the
    file that is here (`links.PageLinks`)."""
    m = GITHUB_FILE_RE.match(url)
    return unquote(m.group(1)) if m else None
