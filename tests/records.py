"""Registry records in one line each, for the tests of the registry's stages (tests/core/registry/)."""

from __future__ import annotations

from qadocs.core.model import fingerprint
from qadocs.core.registry.records import Candidate, Entry

A1, A2, A3 = fingerprint("answer one"), fingerprint("answer two"), fingerprint("answer three")


def entry(url: str, title: str, answer: str = A1, source: str = "a.md", line: int = 1) -> Entry:
    return Entry(url.rsplit("/", 1)[-1], url, title, answer, source, None, [], line)


def cand(title: str, answer: str = A1, source: str = "a.md", section_dir: str = "sec") -> Candidate:
    return Candidate(title, answer, source, None, section_dir)


def slug(title: str) -> str:
    return "-".join(title.lower().split()) or "q"
