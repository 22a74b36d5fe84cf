"""Reserved dirs (`qadocs.core.text.urls`): the 待复习 page's dir is no slug and no registry URL."""

from __future__ import annotations

from qadocs.core.text.urls import RESERVED_DIRS, REVIEW_DIR


def test_the_review_dir_is_no_slug_and_no_registry_url() -> None:
    from qadocs.core.registry.entries import URL_RE
    from qadocs.core.text.slug import NON_SLUG_RE

    assert REVIEW_DIR in RESERVED_DIRS
    assert not URL_RE.match(REVIEW_DIR) and NON_SLUG_RE.search(REVIEW_DIR)
