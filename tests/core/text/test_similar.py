"""`qadocs.core.text.similar`: which title pairs the registry compares: every pair of a small input,
only titles sharing bigrams past EXHAUSTIVE_PAIRS."""

from __future__ import annotations

import itertools

from qadocs.core.text.similar import EXHAUSTIVE_PAIRS, bigrams, candidate_pairs

# --- similar.py: which title pairs the registry compares -----------------------------------------


def test_small_inputs_compare_every_pair() -> None:
    assert list(candidate_pairs(["a", "b"], ["c"])) == [(0, 0), (1, 0)]
    assert bigrams("Ab c") == {"ab", "bc"} and bigrams("x") == {"x"}


def test_large_inputs_compare_only_titles_sharing_bigrams() -> None:
    """Past EXHAUSTIVE_PAIRS the pairs come from shared bigrams: each retitled question meets its
    former title, an unrelated title meets none, and far fewer pairs than all are compared."""
    words = [
        "扩散模型",
        "注意力机制",
        "视频生成",
        "时序建模",
        "多模态对齐",
        "数据清洗",
        "模型蒸馏",
        "位置编码",
        "向量检索",
        "提示工程",
        "强化学习",
        "图像分割",
        "语音识别",
        "知识图谱",
        "联邦学习",
        "量化部署",
        "混合专家",
        "长文本",
        "检索增强",
        "对比学习",
        "归一化",
        "残差连接",
    ]
    right = [f"请比较{a}与{b}的取舍" for a, b in itertools.permutations(words, 2)][:460]
    left = [t.replace("取舍", "优劣") for t in right] + ["毫不相干的一句话"]
    assert len(left) * len(right) > EXHAUSTIVE_PAIRS
    pairs = list(candidate_pairs(left, right))
    assert {(i, i) for i in range(len(right))} <= set(pairs)
    assert not any(i == len(right) for i, _ in pairs)  # the unrelated title
    assert len(pairs) < 0.01 * len(left) * len(right)
    assert pairs == sorted(pairs) == list(candidate_pairs(left, right))  # deterministic order
