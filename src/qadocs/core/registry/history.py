"""The anchors a question's heading had in earlier builds, kept in its registry entry, so that an
old GitHub link (`深度学习.md#5.什么是过拟合`) still leads to the question after its heading was
renumbered, retitled or moved to another file.

An entry records `anchor` (its heading's anchor as of the build that wrote it), `old_anchors` (the
spellings its heading had since and no longer has, newest first) and `old_sources` (the files it
lived in before its current one, newest first). `remember` brings them up to date for this build;
`check_history` bounds and cleans them as read, since the registry is untrusted input.
"""

from __future__ import annotations

import re

from qadocs.core.model import Diagnostic
from qadocs.core.registry.records import Candidate, Entry
from qadocs.core.text.anchors import current_forms

MAX_ANCHOR = 200  # characters of a remembered anchor or source; a longer one is not kept
MAX_OLD_ANCHORS = 16  # former anchor spellings kept per question, newest first
MAX_OLD_SOURCES = 4  # former sources kept per question, newest first
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def _fits(text: str) -> bool:
    return bool(text) and len(text) <= MAX_ANCHOR and not CONTROL_RE.search(text)


def remember(entry: Entry, cand: Candidate, old: Entry | None) -> None:
    """Set `entry`'s history for this build: the spellings `old` recorded that `cand`'s heading
    no longer produces, and the source `old` was in when the question moved."""
    entry.anchor = cand.anchor if _fits(cand.anchor) else ""
    if old is None:
        return
    previous = current_forms(old.anchor, old.anchor) if old.anchor else ()
    now = set(cand.forms)
    former = dict.fromkeys(f for f in (*previous, *old.old_anchors) if f not in now and _fits(f))
    entry.old_anchors = list(former)[:MAX_OLD_ANCHORS]
    moved = (old.source,) if old.source and old.source != cand.source else ()
    sources = dict.fromkeys(s for s in (*moved, *old.old_sources) if s != cand.source and _fits(s))
    entry.old_sources = list(sources)[:MAX_OLD_SOURCES]


def _kept(items: list[str], limit: int) -> tuple[list[str], int]:
    """The items that fit, each once, at most `limit`; and how many were dropped."""
    kept = list(dict.fromkeys(i for i in items if _fits(i)))[:limit]
    return kept, len(items) - len(kept)


def check_history(entries: list[Entry], path: str) -> list[Diagnostic]:
    """Drop the history items no build would write (too long, control characters, repeated, too
    many); one warning per entry that had any. Losing them loses old links, never a page."""
    diags = []
    for e in entries:
        dropped = 0
        if e.anchor and not _fits(e.anchor):
            e.anchor, dropped = "", 1
        e.old_anchors, lost_anchors = _kept(e.old_anchors, MAX_OLD_ANCHORS)
        e.old_sources, lost_sources = _kept(e.old_sources, MAX_OLD_SOURCES)
        dropped += lost_anchors + lost_sources
        if dropped:
            diags.append(
                Diagnostic(
                    path,
                    e.line,
                    "warning",
                    "registry-bad-anchor",
                    f"{dropped} item(s) of `anchor`, `old_anchors` or `old_sources` dropped: each is text "
                    f"of at most {MAX_ANCHOR} characters without control characters, listed once, "
                    f"at most {MAX_OLD_ANCHORS} anchors and {MAX_OLD_SOURCES} sources",
                )
            )
    return diags
