"""Page descriptions (`qadocs.core.text.describe`): the text a reader sees at the start of an answer,
cut cleanly at a mark, never empty nor the site's description, read from the start only."""

from __future__ import annotations

import pytest

from qadocs.core.text.describe import DESCRIPTION_MAX, FALLBACK, FALLBACK_OTHER, answer_text, page_description, shorten

# -- descriptions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "text"),
    [
        ("**DiT** 是一种 *扩散* 模型，见[论文](https://x.org/a)。", "DiT 是一种 扩散 模型，见论文。"),
        ("![架构图](imgs/a.png)\n\n扩散模型逐步去噪。", "扩散模型逐步去噪。"),
        ('<div align="center"><img src="a.png" alt="图"></div>\n\n<b>粗</b>体&amp;实体&lt;x&gt;', "粗体&实体<x>"),
        ("第一行\n第二行\nEnglish line\nnext", "第一行第二行 English line next"),  # a line break in Chinese is no space
        ("- 数据层面：\n  - 增强\n- 模型层面", "数据层面： 增强 模型层面"),  # each list item stays apart
        ("1. 第一步\n2) 第二步", "第一步 第二步"),
        ("> [!NOTE]\n> 注意显存。", "注意显存。"),
        ("- [ ] 未完成\n- [x] 已完成", "未完成 已完成"),
        ("### 小结 ###\n\n结论。", "小结 结论。"),
        ("| 模型 | 参数 |\n|---|:-:|\n| A | 1B |", "模型 参数 A 1B"),
        ("```python\nx = 1\n```\n\n    indented code\n\n代码之后。", "代码之后。"),
        ("$$\nx^2 + y^2\n$$\n\n公式之后。", "公式之后。"),
        ("$$ E = mc^2 $$\n\n一行公式之后。", "一行公式之后。"),
        ("步数 $T$ 与 $\\beta_t$ 的关系", "步数 T 与 [公式] 的关系"),
        ("用 `torch.no_grad()` 关闭梯度", "用 torch.no_grad() 关闭梯度"),
        ("前<!-- 注释 -->后", "前后"),
        ("前\n<!-- 多行\n\n注释 -->\n后", "前 后"),
        ("`<!--` 不是注释，后面还在", "<!-- 不是注释，后面还在"),
        ("文字<script>alert(1)</script>之后<style>p{}</style>完", "文字之后完"),
        ("[1]: https://x.org\n\n正文。\n\n---\n\n分隔线后。", "正文。 分隔线后。"),
        ("换行<br>之后", "换行 之后"),
        ("", ""),
        ("```\n只有代码\n```", ""),
    ],
)
def test_answer_text_is_what_a_reader_sees(answer: str, text: str) -> None:
    assert answer_text(answer) == text


def test_description_is_cut_cleanly_at_a_mark() -> None:
    sentence = "扩散模型通过逐步去噪生成数据。"  # 15 characters
    long = sentence * 20
    got = page_description("题", long)
    assert len(got) <= DESCRIPTION_MAX and got.endswith("…")
    assert got == sentence * 6 + sentence[:-1] + "…"  # cut after the last 。 that fits, the 。 dropped for "…"
    clause = "第一，" * 60
    assert shorten(clause) == clause[:116] + "…"  # cut after a "，", which "…" replaces
    words = "word " * 40
    cut = shorten(words)
    assert cut.endswith("word…") and len(cut) <= DESCRIPTION_MAX
    latin = "a" * 100 + " " + "b" * 100
    assert shorten(latin) == "a" * 100 + "…"  # the long word after it is not split
    exact = "字" * DESCRIPTION_MAX
    assert shorten(exact) == exact and shorten(exact + "字") == "字" * (DESCRIPTION_MAX - 1) + "…"


def test_description_is_never_empty_nor_the_site_description() -> None:
    assert page_description("什么是 VAE？", "") == FALLBACK.format(title="什么是 VAE？")
    assert page_description("什么是 VAE？", "```\ncode\n```") == "什么是 VAE？ — 面试题与答案"
    site = "按章节浏览、可搜索的面试题与答案"
    assert page_description("题", site, avoid=site) == "题 — 面试题与答案"
    assert page_description("题", "", avoid="题 — 面试题与答案") == "面试题：题"
    assert page_description("题", "", avoid="面试题：题").startswith("题 — ")
    long_title = "很长的标题" * 40
    assert len(page_description(long_title, "")) <= DESCRIPTION_MAX
    echo = "面试题：" * 40  # cut to 120 characters, both fallbacks read the same
    same = page_description(echo, "")
    assert shorten(FALLBACK_OTHER.format(title=echo)) == same
    assert page_description(echo, "", avoid=same) not in ("", same)


def test_description_reads_only_the_start_of_a_long_answer() -> None:
    body = "开头的一句话。\n\n" + ("很长的答案。" * 50 + "\n\n") * 2000  # 600 KB
    assert len(body) > 500_000
    got = page_description("题", body)
    assert got.startswith("开头的一句话。") and got.endswith("…") and len(got) <= DESCRIPTION_MAX
