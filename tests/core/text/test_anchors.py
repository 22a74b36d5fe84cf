"""Anchor spellings (`qadocs.core.text.anchors`): the forms a link to a question may take, and
GitHub's slug."""

from __future__ import annotations

import pytest

from qadocs.core.text.anchors import AnchorIndex, anchor_forms, github_slug


@pytest.mark.parametrize(
    ("link", "found"),
    [
        ("#5.简要解释下什么是扩散模型？", True),
        ("#user-content-5.简要解释下什么是扩散模型？", True),
        (
            "#5%E7%AE%80%E8%A6%81%E8%A7%A3%E9%87%8A%E4%B8%8B%E4%BB%80%E4%B9%88%E6%98%AF%E6%89%A9%E6%95%A3"
            "%E6%A8%A1%E5%9E%8B",
            True,
        ),
        ("5简要解释下什么是扩散模型", True),
        ("#6.详细阐述Parameter-EfficientFine-Tuning（PEFT）", False),
        ("#4.不存在", False),
    ],
)
def test_anchor_forms_find_the_question(link: str, found: bool) -> None:
    index: AnchorIndex[str] = AnchorIndex()
    index.add(anchor_forms("5.简要解释下什么是扩散模型？", "5.简要解释下什么是扩散模型？"), "q5")
    index.add(
        anchor_forms(
            "6.详细阐述Parameter-Efficient Fine-Tuning（PEFT）技术",
            "6.详细阐述Parameter-Efficient Fine-Tuning（PEFT）技术",
        ),
        "q6",
    )
    assert (index.find(link) == "q5") is found


def test_anchor_spaces_removed_or_dashed_resolve() -> None:
    index: AnchorIndex[str] = AnchorIndex()
    index.add(anchor_forms("6.详细阐述Parameter-Efficient Fine-Tuning（PEFT）技术", "x"), "q6")
    assert index.find("#6.详细阐述Parameter-EfficientFine-Tuning（PEFT）技术") == "q6"
    assert index.find("#6.详细阐述Parameter-Efficient-Fine-Tuning（PEFT）技术") == "q6"


def test_github_slug_drops_punctuation() -> None:
    assert github_slug("1.说一下什么是AI视频，包括哪些关键技术?") == "1说一下什么是ai视频包括哪些关键技术"
    assert github_slug("2.RAG 的流程") == "2rag-的流程"
