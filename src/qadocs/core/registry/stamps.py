"""The stamps of this build's question pages (`<a id="q-ID"></a>` on a heading line, see
`qadocs.core.split.stamps`), checked: content is untrusted, so a stamp that is no valid registry
id, or that an earlier question already carries, is set aside with a warning."""

from __future__ import annotations

from collections.abc import Sequence

from qadocs.core.model import Diagnostic, Question
from qadocs.core.registry.entries import ID_RE, MAX_ID


def _valid(stamp: str) -> bool:
    return len(stamp) <= MAX_ID and ID_RE.match(stamp) is not None


def page_stamps(groups: Sequence[Sequence[Question]]) -> tuple[list[str | None], list[Diagnostic]]:
    """The stamp of each question page (its first stamped occurrence's), None for an unstamped
    page or one whose stamp is invalid or already used by an earlier page; and the warnings."""
    stamps: list[str | None] = []
    diags: list[Diagnostic] = []
    first: dict[str, Question] = {}  # stamp -> the question that uses it
    for group in groups:
        q = next((q for q in group if q.stamp is not None), None)
        stamp = q.stamp if q is not None else None
        if q is None or stamp is None:
            stamps.append(None)
        elif not _valid(stamp):
            shown = stamp if len(stamp) <= MAX_ID else stamp[:MAX_ID] + "…"
            message = (
                f"stamp 'q-{shown}' is no valid id (lower-case letters, digits and single '-', at most {MAX_ID} "
                "characters); it is ignored"
            )
            diags.append(Diagnostic(q.source, q.line, "warning", "stamp-invalid", message))
            stamps.append(None)
        elif stamp in first:
            was = first[stamp]
            message = (
                f"stamp 'q-{stamp}' is also on {was.source}:{was.line}, which keeps it; remove this copy "
                "(`qadocs stamp` then stamps this question with its own id)"
            )
            diags.append(Diagnostic(q.source, q.line, "warning", "stamp-duplicate", message))
            stamps.append(None)
        else:
            first[stamp] = q
            stamps.append(stamp)
    return stamps, diags
