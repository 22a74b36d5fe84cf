"""This build's questions matched to the registry: kept ids, new ids for new questions, renames
applied, and the registry this build leaves with the changes it reports."""

from __future__ import annotations

import dataclasses
import hashlib
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from qadocs.core.model import Diagnostic, folded
from qadocs.core.registry.entries import MAX_NEW_ID
from qadocs.core.registry.history import remember
from qadocs.core.registry.lives_on import forward_deleted
from qadocs.core.registry.matching import match_entries
from qadocs.core.registry.records import Candidate, Change, Entry, Registry
from qadocs.core.registry.renames import apply_renames

# -- ids of new questions, the new registry, the report --------------------------------------------


# Base-36 characters of a hash a new id's suffix takes when its slug is taken: 36**5 is 60 million,
# so two questions that two branches add with one slug practically never get one id; the longer
# suffix is the fallback when they do (then `-2`, `-3`… after it).
ID_HASH = 5
ID_HASH_LONG = 10
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _suffixed(slug: str, suffix: str | int) -> str:
    """`slug-suffix`, the slug cut so that the id stays within `MAX_NEW_ID`."""
    suffix = str(suffix)
    return f"{slug[: MAX_NEW_ID - 1 - len(suffix)].rstrip('-')}-{suffix}"


def question_hash(cand: Candidate) -> str:
    """Base-36 digits of a hash of what the question is (its folded title and its source): two
    branches that each add a different question with one slug give them different ids, and the
    same question gets the same id whichever branch minted it."""
    digest = hashlib.sha256(f"{folded(cand.title)}\0{cand.source}".encode()).digest()
    n = int.from_bytes(digest[:10], "big")  # 80 bits: more than ID_HASH_LONG base-36 digits
    digits = []
    for _ in range(ID_HASH_LONG):
        n, d = divmod(n, 36)
        digits.append(_BASE36[d])
    return "".join(digits)


@dataclass(slots=True)
class _NewIds:
    """Hands out the ids of new questions: no registered id, no taken URL (both only grow)."""

    new_slug: Callable[[str], str]
    ids: set[str]
    taken: set[str]
    counts: dict[str, int] = field(default_factory=dict)  # last count per counted base (the rare fallback)

    def _free(self, cand: Candidate, qid: str) -> bool:
        return qid not in self.ids and posixpath.join(cand.section_dir, qid) not in self.taken

    def entry(self, cand: Candidate) -> Entry:
        """A new entry for `cand`: its slug or, when that is taken, `slug-` and a few characters of
        `question_hash`; then more of them; then those and `-2`, `-3`…"""
        slug = self.new_slug(cand.title)
        digits = question_hash(cand)
        tries = [slug, *(_suffixed(slug, digits[:n]) for n in (ID_HASH, ID_HASH_LONG))]
        qid = next((t for t in tries if self._free(cand, t)), None)
        if qid is None:
            base = tries[-1]
            n = self.counts.get(base, 1)  # ids and taken only grow: resume where this base stopped
            while qid is None or not self._free(cand, qid):
                n += 1
                qid = _suffixed(base, n)
            self.counts[base] = n
        self.ids.add(qid)
        url = posixpath.join(cand.section_dir, qid)
        self.taken.add(url)
        return Entry(qid, url, cand.title, cand.answer, cand.source, cand.chapter)


def _stamped_entries(candidates: list[Candidate], found: list[Entry | None], new_ids: _NewIds) -> dict[int, Entry]:
    """Candidate index -> a new entry whose id is the candidate's stamp, for the stamped candidates
    no entry was found for (a lost registry): the stamp is taken when neither the id nor its URL
    in the section folder is. Handed out before any new slug, so none takes a stamp's URL."""
    entries: dict[int, Entry] = {}
    for i, (cand, old) in enumerate(zip(candidates, found, strict=True)):
        if old is not None or cand.stamp is None:
            continue
        url = posixpath.join(cand.section_dir, cand.stamp)
        if cand.stamp in new_ids.ids or url in new_ids.taken:
            continue
        new_ids.ids.add(cand.stamp)
        new_ids.taken.add(url)
        entries[i] = Entry(cand.stamp, url, cand.title, cand.answer, cand.source, cand.chapter)
    return entries


def _kept_changes(cand: Candidate, found: Entry, revived: bool) -> list[Change]:
    """What the report says of a question that kept (or got back) its entry."""
    changes = []
    if revived:
        changes.append(Change("revived", found.url, cand.title))
    if found.source != cand.source:
        changes.append(Change("moved", found.url, f"{found.source} → {cand.source}"))
    if folded(found.title) != folded(cand.title):
        changes.append(Change("retitled", found.url, f"{found.title} → {cand.title}"))
    return changes


def _candidate_entries(
    candidates: list[Candidate], found: list[Entry | None], revived: set[int], new_ids: _NewIds
) -> tuple[list[Entry], list[Change]]:
    """The entry of every candidate, in order: its found entry brought up to date, or a new one
    (its stamp's id when it has one)."""
    entries: list[Entry] = []
    changes: list[Change] = []
    stamped = _stamped_entries(candidates, found, new_ids)
    for i, (cand, old) in enumerate(zip(candidates, found, strict=True)):
        if old is None and i in stamped:
            entry = stamped[i]
            changes.append(Change("new", entry.url, f"{cand.title} (its id from its stamp)"))
        elif old is None:
            entry = new_ids.entry(cand)
            changes.append(Change("new", entry.url, cand.title))
        else:
            changes += _kept_changes(cand, old, i in revived)
            entry = Entry(old.id, old.url, cand.title, cand.answer, cand.source, cand.chapter, old.old_urls)
        remember(entry, cand, old)
        entry.lines = cand.lines
        entries.append(entry)
    return entries, changes


def _left_over(reg: Registry, found: list[Entry | None]) -> tuple[list[Entry], list[Entry]]:
    """The entries no candidate found: those deleted before, and those this build deletes."""
    used = {id(e) for e in found if e is not None}
    return [e for e in reg.deleted if id(e) not in used], [e for e in reg.questions if id(e) not in used]


def _copy(reg: Registry) -> Registry:
    """A copy of `reg` whose entries (and their URL lists) may be changed without touching it."""

    def entry(e: Entry) -> Entry:
        return dataclasses.replace(e, old_urls=list(e.old_urls))

    return Registry([entry(e) for e in reg.questions], [entry(e) for e in reg.deleted])


def assign(
    candidates: list[Candidate], reg: Registry | None, taken: set[str], path: str, new_slug: Callable[[str], str]
) -> tuple[list[Entry], Registry, list[Change], list[Diagnostic]]:
    """Give every candidate its entry (found or new); return them, the new registry and the report.

    `taken` holds the page paths already used (index pages); every registered URL, current or
    former, is taken too, so no URL is ever handed to a second question. `new_slug(title)`
    makes the slug of a new question. Stages: hand-edited ids, matching, new ids, left-overs.
    Neither `reg` nor `taken` is changed: the stages work on copies.
    """
    reg = _copy(reg) if reg is not None else Registry()
    taken = set(taken)
    diags, renamed = apply_renames(reg, path, taken)
    for e in reg.questions + reg.deleted:
        taken.update(e.all_urls())
    found, revived = match_entries(candidates, reg)
    new_ids = _NewIds(new_slug, {e.id for e in reg.questions + reg.deleted}, taken)
    entries, kept = _candidate_entries(candidates, found, revived, new_ids)
    still, gone = _left_over(reg, found)
    gone, merged = forward_deleted(gone, candidates, entries)  # asked when a question goes, not every build
    dropped = [Change("deleted", e.url, f"{e.title} (redirects to its former chapter)") for e in gone]
    return entries, Registry(list(entries), still + gone), renamed + kept + dropped + merged, diags
