"""Slugs and URLs by value: the pinyin of the words, cut at a word boundary under MAX_SLUG,
`-2`, `-3` for titles that collide anywhere in the site, the section path and `base_url` in front.
Every expected value below was written out by hand from the title (pinyin of each jieba word)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qadocs.core.build import generate
from qadocs.core.plan.site import Options
from qadocs.core.registry.assign import ID_HASH, question_hash
from qadocs.core.registry.records import Candidate
from qadocs.core.text.slug import MAX_SLUG, slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("什么DiT模型？", "shenme-dit-moxing"),
        (
            "说一下什么是AI视频，包括哪些关键技术?",
            "shuo-yixia-shenme-shi-ai-shipin-baokuo-naxie",
        ),  # 关键技术 would pass 48
        ("Transformer中的LayerNorm", "transformer-zhong-de-layernorm"),
        ("C++ 与 Python", "c-yu-python"),  # punctuation and spaces become one `-`
        # 52 characters in full: cut before `-low`, at the last word boundary within 48
        (
            "在视频生成模型训练中，LoRA(Low-Rank-Adaptation)相比全参数微调有哪些优势？",
            "zai-shipin-shengcheng-moxing-xunlian-zhong-lora",
        ),
        ("请简述视频扩散模型的去噪过程？", "qing-jianshu-shipin-kuosan-moxing-de-qu-zao"),  # `-guocheng` would pass 48
        ("扩散模型" * 10, "kuosan-moxing-kuosan-moxing-kuosan-moxing-kuosan"),  # exactly 48
        ("？？？", "page"),  # nothing sluggable: the fallback
        ("", "page"),
    ],
)
def test_slug_values(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert len(slug) <= MAX_SLUG


def test_slug_cut_and_fallback_arguments() -> None:
    assert slugify("abc def", max_len=5) == "abc"  # at the word boundary
    assert slugify("abcdefghij", max_len=4) == "abcd"  # one long word: cut inside it
    assert slugify("？", fallback="q") == "q"


def test_question_urls_by_value(tmp_path: Path) -> None:
    """Ids are unique across the whole site (the first source read keeps the plain slug, the others
    end with a hash of what they are), a title
    with nothing to slug gets `q`, and the URL is base_url + section slugs + id."""
    content = tmp_path / "content"
    (content / "面试" / "基础").mkdir(parents=True)
    (tmp_path / "imgs").mkdir()
    (content / "面试" / "基础" / "甲.md").write_text(
        '<h2 id="1.什么DiT模型？">1.什么DiT模型？</h2>\n\n答一。\n\n'
        '<h2 id="2.什么DiT模型">2.什么DiT模型</h2>\n\n答二，不同。\n\n'
        '<h2 id="3.x">3.？？？</h2>\n\n答三。\n',
        encoding="utf-8",
    )
    (content / "面试" / "乙.md").write_text(
        "## 1. 什么DiT模型？\n\n别的答案。\n\n## 2. C++ 与 Python\n\n答。\n", encoding="utf-8"
    )
    result = generate(Options(tmp_path, content, tmp_path / "imgs", base_url="/repo/"), tmp_path / "out")
    got = {(q["source"], q["source_line"]): (q["id"], q["url"], q["source_url"]) for q in result.plan.questions}
    # a taken slug ends with a hash of the question's title and source (`assign.question_hash`)
    first, second = (
        question_hash(Candidate(t, "", "面试/基础/甲.md", None, ""))[:ID_HASH] for t in ("什么DiT模型？", "什么DiT模型")
    )
    jia = "/repo/mianshi/jichu/jia/"
    assert got == {
        ("面试/乙.md", 1): ("shenme-dit-moxing", "/repo/mianshi/shenme-dit-moxing/", "/repo/mianshi/yi/"),
        ("面试/乙.md", 5): ("c-yu-python", "/repo/mianshi/c-yu-python/", "/repo/mianshi/yi/"),
        ("面试/基础/甲.md", 1): (f"shenme-dit-moxing-{first}", f"/repo/mianshi/jichu/shenme-dit-moxing-{first}/", jia),
        ("面试/基础/甲.md", 5): (
            f"shenme-dit-moxing-{second}",
            f"/repo/mianshi/jichu/shenme-dit-moxing-{second}/",
            jia,
        ),
        ("面试/基础/甲.md", 9): ("q", "/repo/mianshi/jichu/q/", "/repo/mianshi/jichu/jia/"),
    }
    for _, url, _ in got.values():  # each URL is a page of the generated docs dir (base_url aside)
        assert (tmp_path / "out" / url.removeprefix("/repo/") / "index.md").is_file()


def test_slug_is_ascii_short_and_stable() -> None:
    title = "在视频生成模型训练中，LoRA(Low-Rank-Adaptation)相比全参数微调有哪些优势？"
    # pinyin word by word, latin words kept, cut at a word boundary within MAX_SLUG characters
    assert slugify(title) == "zai-shipin-shengcheng-moxing-xunlian-zhong-lora"
    assert len(slugify(title)) <= MAX_SLUG
