"""How a title is phrased (`qadocs.core.text.phrasing`): which titles ask."""

from __future__ import annotations

import pytest

from qadocs.core.text.phrasing import asks


@pytest.mark.parametrize(
    ("title", "asking"),
    [
        ("请简述 TCP 的三次握手", True),  # 请 asks for something
        ("请求首部字段", False),  # 请求 is a request
        ("請求頭", False),
        ("Ways to spot overfitting? 👶", True),  # a mark of difficulty after the question mark
        ("Bias and variance in one sentence? ⭐️🚀", True),
        ("Precision-recall trade-off ⭐️", False),
        ("题目：什么是索引", True),  # a question label
    ],
)
def test_what_asks(title: str, asking: bool) -> None:
    assert asks(title) is asking
