"""`near-duplicate`: formulaic titles that differ in meaning and placeholder answers are not reported.

Two titles are the same question when they are equal once width, case, white space, punctuation,
particles, polite fillers and the conjunctions 和/与/及 are set aside, or when the only remaining
difference is one Chinese character swapped for a homophone in a long title (an input-method typo).
Any other difference (a question phrase, a content word, a run of letters or digits) is content.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import time

import pytest
from pypinyin import Style, pinyin

from qadocs.core.check import check_duplicates, is_placeholder, title_key
from qadocs.core.model import EMPTY_ANSWER, Diagnostic, fingerprint
from qadocs.core.split.questions import split_source


def _source(questions: list[tuple[str, str]]) -> str:
    return "".join(f"## {n}. {title}\n\n{answer}\n\n" for n, (title, answer) in enumerate(questions, 1))


def _near(questions: list[tuple[str, str]]) -> list[Diagnostic]:
    src = split_source("q.md", _source(questions))
    assert [q.title for q in src.questions] == [t.strip() for t, _ in questions]
    return [d for d in check_duplicates([src]) if d.code == "near-duplicate"]


def _titles(*titles: str) -> list[Diagnostic]:
    """Questions with these titles and answers of their own."""
    return _near([(t, f"第 {n} 个回答，内容各不相同。") for n, t in enumerate(titles)])


# Formulaic titles by other authors: same frame, different question. Several are >= 90 % alike by
# difflib ratio, so the former rule (ratio >= 0.9) reported them.
DIFFERENT = [
    ("Word2vec 是什么？", "Word2vec 存在什么问题？"),
    ("Word2vec 是什么？", "Word2vec 有哪些优点？"),
    ("Word2vec 存在什么问题？", "Word2vec 有哪些优点？"),
    ("Word2vec 有哪些优点？", "Word2vec 有哪些缺点？"),
    ("Stable Diffusion 中 VAE 的作用是什么？", "Stable Diffusion 中 VAE 的作用存在什么问题？"),
    ("BERT 的输入是什么？", "BERT 的输出是什么？"),
    ("LSTM 和 GRU 的区别？", "LSTM 和 RNN 的区别？"),
    ("请介绍一下 LSTM 和 GRU 的区别？", "请介绍一下 LSTM 和 RNN 的区别？"),
    ("GPT-3 和 GPT-4 的区别是什么？", "GPT-3 和 GPT-3.5 的区别是什么？"),
    ("什么是扩散模型的前向过程？", "什么是扩散模型的反向过程？"),
    ("Transformer 的编码器结构是什么？", "Transformer 的解码器结构是什么？"),
    ("什么是上采样？", "什么是下采样？"),
    ("如何训练扩散模型？", "如何预训练扩散模型？"),  # one inserted content character
    ("正数是什么？", "整数是什么？"),  # homophones, but too short to call it a typo
    ("C# 有哪些特点？", "C++ 有哪些特点？"),
]


FORMERLY_REPORTED = {pair for pair in DIFFERENT if difflib.SequenceMatcher(None, *pair).ratio() >= 0.9}


# The same question written twice.
SAME = [
    ("什么是扩散模型？", "什么是扩散模型?"),  # punctuation width
    ("什么是扩散模型", "什么是扩散模型？"),  # question mark
    ("介绍一下Transformer", "介绍一下 Transformer"),  # space
    ("DDPM与DDIM的区别", "DDPM和DDIM的区别"),  # conjunction swap: 与/和/及 are function words
    ("DDPM 与 DDIM 的区别？", "DDPM、DDIM 的区别"),
    ("BERT 的输入是什么？", "bert的输入是什么"),  # case
    ("ＢＥＲＴ的输入是什么？", "BERT的输入是什么？"),  # full-width letters
    ("什么是扩散模型的前向过程？", "什么是扩散模型前向过程呢？"),  # particles
    ("请简述 CLIP 模型的原理", "简述 CLIP 模型的原理"),  # polite filler
    # a copy with a one-character typo (策 → 测, same sound) in a long title
    (
        "请详细解释视频生成模型的预训练阶段通常采用哪些数据增强策略？",
        "请详细解释视频生成模型的预训练阶段通常采用哪些数据增强测略？",
    ),
    (
        "视频扩散模型在处理视频编辑时如何平衡编辑能力和时间一致性？",
        "视频扩散模型在处理视频编辑时如何平衡编辑能力和时间一执性？",
    ),  # 致 → 执
]


PLACEHOLDERS = [
    "- [ ] TODO",
    "待补充",
    "TODO",
    "TBD",
    "略",
    "（待完善）",
    "- [ ]",
    "- [ ]\n- [ ]",
    "...",
    "…",
    "<!-- TODO -->",
    "---",
    "答案：待补充",
    "* [x] 待更新",
    "暂无答案",
    "> TODO",
    "1. 略",
]


def test_former_rule_fired_on_most_false_alarms() -> None:
    assert len(FORMERLY_REPORTED) >= 8  # the cases below are the ones that used to be reported


@pytest.mark.parametrize(("a", "b"), DIFFERENT, ids=[f"{a}|{b}" for a, b in DIFFERENT])
def test_different_questions_are_not_reported(a: str, b: str) -> None:
    assert title_key(a) != title_key(b)
    assert _titles(a, b) == []


@pytest.mark.parametrize(("a", "b"), SAME, ids=[f"{a}|{b}" for a, b in SAME])
def test_same_question_is_reported(a: str, b: str) -> None:
    found = _titles("无关的问题", a, b)
    assert len(found) == 1, found
    assert found[0].line == 9  # the later one is reported, naming the first
    assert f"'{a}'" in found[0].message and found[0].severity == "warning"


def test_three_spellings_are_reported_once_each() -> None:
    found = _titles("什么是扩散模型？", "什么是扩散模型?", "什么是 扩散模型")
    assert [d.line for d in found] == [5, 9]
    assert all("'什么是扩散模型？'" in d.message for d in found)


def test_formulaic_family_is_not_reported() -> None:
    topics = ["Word2vec", "BERT", "GPT-2", "LSTM", "扩散模型", "注意力机制"]
    frames = [
        "{} 是什么？",
        "{} 存在什么问题？",
        "{} 有哪些优点？",
        "{} 有哪些缺点？",
        "{} 的输入是什么？",
        "{} 的输出是什么？",
        "{} 和 RNN 的区别？",
        "{} 和 GRU 的区别？",
    ]
    assert _titles(*(f.format(t) for t in topics for f in frames)) == []


def test_same_real_answer_under_two_titles_is_reported() -> None:
    answer = "扩散模型逐步加噪，再学习逐步去噪。"
    found = _near([("什么是扩散模型？", answer), ("Word2vec 是什么？", "词向量。"), ("扩散模型的原理", answer)])
    assert len(found) == 1 and found[0].line == 9
    assert "same answer as '什么是扩散模型？'" in found[0].message


def test_short_real_answer_is_still_an_answer() -> None:
    found = _near([("激活函数用什么？", "ReLU"), ("隐藏层用什么激活？", "ReLU")])
    assert len(found) == 1


@pytest.mark.parametrize("answer", PLACEHOLDERS)
def test_placeholder_answers_are_not_compared(answer: str) -> None:
    assert is_placeholder(answer)
    questions = [(t, answer) for t in ("Word2vec 是什么？", "什么是扩散模型？", "BERT 的输入是什么？", "LSTM 的原理")]
    assert _near(questions) == []


def test_mixed_placeholders_are_not_compared() -> None:
    questions = [
        (f"问题{n}：{t}", answer)
        for n, (t, answer) in enumerate(zip(["A", "B", "C", "D"] * len(PLACEHOLDERS), PLACEHOLDERS * 2, strict=False))
    ]
    assert _near(questions) == []


def test_placeholder_answers_do_not_hide_title_duplicates() -> None:
    found = _near([("什么是扩散模型？", "- [ ] TODO"), ("什么是扩散模型?", "- [ ] TODO")])
    assert len(found) == 1 and "differing only in" in found[0].message


@pytest.mark.parametrize(
    "answer",
    [
        "![](imgs/x.png)",
        "<img src='x.png'>",
        "无监督学习",
        "ReLU",
        "是",
        "`O(n)`",
        "```python\nx = 1\n```",
        "- [ ] 收集数据\n- [ ] 训练",
        "[论文](https://arxiv.org/abs/1)",
        "待机功耗是多少需要看具体设备",
        "1. 加噪\n2. 去噪",
    ],
)
def test_real_answers_are_not_placeholders(answer: str) -> None:
    assert not is_placeholder(answer)


def test_fingerprint_is_unchanged() -> None:
    """The registry stores answer fingerprints: the check must not change how they are computed."""
    for answer in ("- [ ] TODO", "待补充", "好答案。\n\n第二行  "):
        lines = [line.rstrip() for line in answer.split("\n") if line.strip()]
        assert fingerprint(answer) == hashlib.sha1("\n".join(lines).encode("utf-8")).hexdigest()[:12]
    assert fingerprint("- [ ] TODO") != EMPTY_ANSWER


def _distinct_sounds(pool: str) -> str:
    kept: list[str] = []
    heard: set[str] = set()
    for ch in pool:
        readings = set(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])
        if not readings & heard:
            kept.append(ch)
            heard |= readings
    return "".join(kept)


def test_three_thousand_formulaic_titles_are_fast() -> None:
    pool = _distinct_sounds(
        "扩散模型注意力编码解析采样卷积网络梯度优化向量嵌入损失函数激活池化残差归一正则蒸馏剪枝检索增强"
    )
    assert len(pool) >= 20
    topics = ["".join(p) for p in itertools.permutations(pool, 2)][:420] + [f"Model-{n}" for n in range(180)]
    frames = [
        "{} 是什么？",
        "{} 存在什么问题？",
        "{} 有哪些优点？",
        "请详细解释{}在视频生成模型预训练中的作用是什么？",
        "请详细解释{}在视频生成模型预训练中存在什么问题？",
    ]
    titles = [f.format(t) for t in topics for f in frames]
    assert len(titles) == 3000
    planted = [
        titles[7] + " ",
        titles[1234].replace("？", "?"),
        titles[2000].replace("请详细", "请详细地"),
        titles[3].replace("预训练", "预训炼"),
    ]  # last: 练 → 炼, a typo
    src = split_source("big.md", _source([(t, f"回答 {n}。") for n, t in enumerate(titles + planted)]))
    start = time.perf_counter()
    found = [d for d in check_duplicates([src]) if d.code == "near-duplicate"]
    elapsed = time.perf_counter() - start
    print(f"\ncheck_duplicates: {len(titles) + len(planted)} titles in {elapsed:.3f} s, {len(found)} reported")
    assert sorted(d.line for d in found) == [4 * (len(titles) + n) + 1 for n in range(len(planted))]


def test_hostile_input_stays_cheap() -> None:
    long = "扩散" * 5000
    unclosed = "<a" * 50_000  # an answer the placeholder patterns must not scan quadratically
    shared = [f"请详细解释视频生成模型预训练阶段的{chr(0x4E00 + n)}作用" for n in range(3000)]  # one bucket
    questions = [(long + "？", "甲。"), (long + "?", "乙。"), ("甲", unclosed), ("乙", unclosed)]
    questions += [(t, f"回答 {n}。") for n, t in enumerate(shared)]
    src = split_source("hostile.md", _source(questions))
    start = time.perf_counter()
    found = [d for d in check_duplicates([src]) if d.code == "near-duplicate"]
    print(f"\nhostile input: {len(questions)} questions in {time.perf_counter() - start:.3f} s, {len(found)} reported")
    by_line = {d.line: d.message for d in found}
    assert "once spacing, punctuation and particles are set aside" in by_line[5]  # the long title's copy
    assert "same answer as '甲'" in by_line[13]  # a long answer is content, even if it is only markup


PLAIN = "什么是闭包？"


LOOK_ALIKES = [
    "什么是\u200b闭包？",  # zero-width space
    "什么是闭\u00ad包？",  # soft hyphen
    "什么是\u2066闭包\u2069？",  # bidi isolate
    "什么\u200d是闭包？",  # zero-width joiner
    "\ufeff什么是闭包？",  # BOM
    "什么是\u200e闭包？",  # left-to-right mark
]


@pytest.mark.parametrize("title", LOOK_ALIKES)
def test_invisible_characters_leave_the_title_key(title: str) -> None:
    assert title_key(title) == title_key(PLAIN)


def test_look_alike_titles_are_reported_with_what_differs() -> None:
    titles = [PLAIN, "什么是闭包?", *LOOK_ALIKES]
    text = "".join(f"## {n}. {t}\n\n第 {n} 个回答，内容各不相同。\n\n" for n, t in enumerate(titles, 1))
    src = split_source("q.md", text)
    assert len(src.questions) == len(titles)
    found = [d for d in check_duplicates([src]) if d.code == "near-duplicate"]
    assert [d.line for d in found] == [q.line for q in src.questions[1:]]
    assert "'' → '<U+200B>'" in found[1].message  # the invisible difference is written out
