"""Ids edited by hand in the registry: the question moves to the new URL, the old one redirects."""

from __future__ import annotations

import posixpath

from qadocs.core.model import Diagnostic
from qadocs.core.registry.entries import ID_RE, MAX_ID
from qadocs.core.registry.records import Change, Entry, Registry

# -- hand-edited ids -------------------------------------------------------------------------------


def _rename_problem(e: Entry, new_url: str, owner: Entry | None, taken: set[str]) -> str | None:
    """Why `e` cannot move to `new_url` (its edited id), or None when it can."""
    if not ID_RE.match(e.id) or len(e.id) > MAX_ID:
        return "must be lower-case ASCII letters, digits and '-' (e.g. 'kuosan-moxing')"
    if owner is not None and owner is not e:
        return f"would reuse the URL /{new_url}/ of another question"
    if owner is None and new_url in taken:
        return f"would take the URL /{new_url}/ of another page of the site"
    return None


def apply_renames(reg: Registry, path: str, taken: set[str]) -> tuple[list[Diagnostic], list[Change]]:
    """An `id` edited by hand moves `url`; the former URL joins `old_urls`.

    The new URL may be no other entry's (current or former) and no page the site already has
    (`taken`: index pages, reserved folders). A refused id is reported and set back."""
    owners = {url: e for e in reg.questions + reg.deleted for url in e.all_urls()}
    diags: list[Diagnostic] = []
    changes: list[Change] = []
    for e in reg.questions:
        current = posixpath.basename(e.url)
        if e.id == current:
            continue
        new_url = posixpath.join(posixpath.dirname(e.url), e.id)
        problem = _rename_problem(e, new_url, owners.get(new_url), taken)
        if problem is not None:
            diags.append(
                Diagnostic(path, e.line, "error", "registry-bad-id", f"id '{e.id}' {problem}; keeping '{current}'")
            )
            e.id = current
            continue
        changes.append(Change("renamed", new_url, f"was /{e.url}/ (redirects)"))
        e.old_urls = [u for u in [e.url, *e.old_urls] if u != new_url]
        owners[new_url] = e
        e.url = new_url
    return diags, changes
