"""The stamps of this build's question pages (`<a id="q-ID"></a>` on a heading line, see
`qadocs.core.split.stamps`), checked: content is untrusted, so a stamp that is no valid registry
id, or that two pages carry (a heading copied with its stamp), is set aside with a warning."""

from __future__ import annotations

from collections.abc import Sequence

from qadocs.core.model import Diagnostic, Question
from qadocs.core.registry.entries import ID_RE, MAX_ID


def _valid(stamp: str) -> bool:
    return len(stamp) <= MAX_ID and ID_RE.match(stamp) is not None


def page_stamps(groups: Sequence[Sequence[Question]]) -> tuple[list[str | None], list[Diagnostic]]:
    """The stamp of each question page (its first stamped occurrence's), None for an unstamped
    page or one whose stamp is invalid or carried by another page too; and the warnings.

    A stamp on two pages counts on neither: which of them the id was made for is not told by
    the order files are read in (a heading copied as the start of a new question carries the
    stamp along), so both are matched as unstamped questions, by title and answer."""
    heads: list[Question | None] = []
    diags: list[Diagnostic] = []
    carriers: dict[str, list[Question]] = {}  # valid stamp -> the pages' questions that carry it
    for group in groups:
        q = next((q for q in group if q.stamp is not None), None)
        if q is not None and q.stamp is not None and not _valid(q.stamp):
            shown = q.stamp if len(q.stamp) <= MAX_ID else q.stamp[:MAX_ID] + "…"
            message = (
                f"stamp 'q-{shown}' is no valid id (lower-case letters, digits and single '-', at most {MAX_ID} "
                "characters); it is ignored"
            )
            diags.append(Diagnostic(q.source, q.line, "warning", "stamp-invalid", message))
            q = None
        if q is not None and q.stamp is not None:
            carriers.setdefault(q.stamp, []).append(q)
        heads.append(q)
    for stamp, qs in carriers.items():
        for q in qs if len(qs) > 1 else ():
            others = ", ".join(f"{o.source}:{o.line}" for o in qs if o is not q)
            message = (
                f"stamp 'q-{stamp}' is also on {others}: it is ignored on each; remove it from every question "
                "it was not made for (`qadocs stamp` then stamps those with their own ids)"
            )
            diags.append(Diagnostic(q.source, q.line, "warning", "stamp-duplicate", message))
    stamps = [q.stamp if q is not None and len(carriers.get(q.stamp or "", ())) == 1 else None for q in heads]
    return stamps, diags
