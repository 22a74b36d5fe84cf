"""`qadocs.core.model`: the memo keeps what the last two generations asked for, and is bounded
without generations; the answer fingerprint is unchanged."""

from __future__ import annotations

import pytest

from counting import counted
from qadocs.core import model
from qadocs.core.model import Memo, fingerprint


def test_memo_keeps_two_generations() -> None:
    seen: list[int] = []
    memo: Memo[int, int] = Memo(counted(seen, lambda k: k * k))
    assert [memo(k) for k in (1, 2, 1)] == [1, 4, 1]
    memo.new_generation()
    assert memo(2) == 4  # asked in the generation before: kept
    memo.new_generation()
    assert memo(2) == 4 and memo(1) == 1  # 2 was asked again last time; 1 two generations ago: gone
    assert seen == [1, 2, 1]


def test_memo_is_bounded_without_generations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "MAX_MEMO", 4)
    memo: Memo[int, int] = Memo(lambda k: k)
    for k in range(100):
        memo(k)
    assert len(memo.now) + len(memo.before) <= 8


def test_fingerprint_unchanged() -> None:
    assert fingerprint("") == "da39a3ee5e6b"  # sha1 of nothing
    assert fingerprint("答案  \n\n第二行\n") == fingerprint("答案\n第二行")
