"""What a test of reading or planning compares: the findings about the content. A build of a
content folder with no committed registry also says `registry-stale` (the registry it would
write is recorded nowhere); the tests of that finding are in tests/scale/test_release_workflow.py
and tests/test_cli.py."""

from __future__ import annotations

from collections.abc import Iterable

from qadocs.core.model import Diagnostic


def content_findings(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """`diags` without the finding about the registry file's state."""
    return [d for d in diags if d.code != "registry-stale"]
