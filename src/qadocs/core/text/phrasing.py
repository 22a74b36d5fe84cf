"""How a title is phrased: whether it asks something, names a part of an answer, a section of an
article or a list of references, or is titled like a chapter.

These are words of the language interview collections are written in (Chinese and English), not
of any one collection: interrogatives (什么, 为什么, how, why…), the words a question starts an
instruction with (简述, 手写, implement…), the names answers give their parts (答案, 解析, 代码,
Example…) and articles their sections (概述, 背景, 总结, Introduction…). Every rule that reads a
title's phrasing asks this module, so the vocabulary has one home.

Every pattern is anchored or a plain alternation of literals: linear in the title.
"""

from __future__ import annotations

import re
import unicodedata

from qadocs.core.text.chinese import CN_DIGITS

# -- asking ---------------------------------------------------------------------------------------
QUESTION_END_RE = re.compile(r"[？?][\s*_`:：)）\]】」』\"'”’.。]*$")
ASK_WORDS_RE = re.compile(
    "什么|什麼|为什么|為什麼|为何|為何|如何|怎么|怎麼|怎样|怎樣|哪些|哪个|哪個|哪种|哪種|哪里|哪裡|哪儿|哪几|哪幾|哪类|哪類|"
    "哪一|是否|有没有|有沒有|能否|可否|能不能|会不会|會不會|是不是|可不可以|要不要|多少|几种|幾種|有何|何时|何時|何为|"
    "何謂|何谓|区别|區別|异同|異同|差异|差異"
)
ASK_END_RE = re.compile(r"[吗嗎呢][\s*_`:：)）。.!！]*$")
# An instruction an interviewer gives: 简述…, 手写…, 介绍一下… (followed by what to do it to); 请 asks,
# but not as the first character of 请求 (a request).
INSTRUCTION_RE = re.compile(
    r"^(?:[请請](?!求)|试述|試述|说说|說說|说一下|說一下|说明一下|谈谈|談談|谈一下|讲讲|講講|讲一下|講一下|聊聊|简述|簡述|简要|"
    r"简单介绍|簡單介紹|简单说|描述一下|解释一下|解釋一下|介绍一下|介紹一下|介绍|介紹|比较一下|比較一下|对比一下|對比一下|"
    r"列举|列舉|手写|手寫|手撕|手推|写出|寫出|写一个|寫一個|实现一个|實現一個|设计一个|設計一個|推导一下|画出|畫出|分析一下|"
    r"讲一讲|講一講|说一说|說一說|谈一谈|談一談|聊一聊|给定|給定|给你|給你|已知|编程题|編程題|算法题|算法題)"
    r"\s*[^\s篇]"
)
ENGLISH_ASK_RE = re.compile(
    r"^(?:(?:what|what's|why|how|when|where|which|who|whom|whose|is|are|was|were|can|could|do|does|did|should|"
    r"would|will|shall)\b|(?:explain|describe|define|compare|contrast|list|name|give|write|implement|design|find|"
    r"count|calculate|create|build|reverse|convert|tell|show)\s+(?:a|an|the|all|two|how|what|why|when|which|me|us|"
    r"your|some|each|every|its|their|this|these|those)\b|differences?\s+between\b)",
    re.IGNORECASE,
)
# A label saying that what follows is a question: `Q:`, `QA：`, `问：`, `题目：`, `Exercise:`.
_LABEL = r"^(?:QA|Q|问|問|问题|問題|题目|題目|面试题|面試題|question|exercise|problem|quiz)\s*"
QUESTION_LABEL_RE = re.compile(_LABEL + r"[:：]\s*(?=\S)", re.IGNORECASE)
NUMBERED_LABEL_RE = re.compile(_LABEL + r"\d{1,6}\s*[:：.．、]\s*(?=\S)", re.IGNORECASE)  # `问题3：…`


def asks(title: str) -> bool:
    """True when a title reads as a question: it ends in ？/? (behind closing marks), holds an
    interrogative (什么, 如何, 区别…) or ends in 吗/呢, is an instruction (简述…, 手写…, implement…),
    starts with an English question word, or carries a question label (`Q:`, `问：`)."""
    text = title.strip().strip("*_`").strip()
    if not text:
        return False
    return bool(
        QUESTION_END_RE.search(_without_end_symbols(text))
        or "？" in text
        or ASK_WORDS_RE.search(text)
        or ASK_END_RE.search(text)
        or INSTRUCTION_RE.match(text)
        or ENGLISH_ASK_RE.match(text)
        or QUESTION_LABEL_RE.match(text)
        or NUMBERED_LABEL_RE.match(text)
    )


SYMBOL_CATEGORIES = ("So", "Sk", "Cf", "Mn", "Zs")  # emoji, their joiners and variation selectors, spaces


def _without_end_symbols(text: str) -> str:
    """`text` without the emoji and symbols that end it (`What is X? ⭐️`: a mark of difficulty)."""
    end = len(text)
    while end and unicodedata.category(text[end - 1]) in SYMBOL_CATEGORIES:
        end -= 1
    return text[:end]


def has_label(text: str) -> bool:
    """Does a head's text open with a question label (`题目：…`, `Q: …`, `问题3：…`)?"""
    return bool(QUESTION_LABEL_RE.match(text) or NUMBERED_LABEL_RE.match(text))


def strip_label(title: str) -> tuple[str, bool]:
    """(title without a leading question label, whether it had one): `QA: 什么是…？` → `什么是…？`."""
    m = QUESTION_LABEL_RE.match(title)
    if m and title[m.end() :].strip():
        return title[m.end() :].strip(), True
    return title, False


# -- parts of an answer, sections of an article ---------------------------------------------------
def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in text.split())


# What an answer calls its parts (a whole title, number set aside; or the word and a colon:
# `Answer: 4`, `答案：B`).
PART_WORDS = _words(
    "答案 参考答案 答 回答 解答 解析 答案解析 详解 分析 思路 解题思路 解法 题解 方法 代码 代码实现 实现 示例 示例代码 例子 举例 "
    "实例 例题 总结 小结 结论 参考 参考资料 参考文献 参考链接 相关链接 延伸阅读 扩展阅读 拓展阅读 补充 注意 注意事项 备注 说明 "
    "优点 缺点 优缺点 优势 劣势 题目 问题 面试题 题目描述 问题描述 追问 常见追问 相关问题 原题 原理 要点 关键点 核心要点 "
    "代码示例 公式推导 推导 推导过程 伪代码 图解 复杂度 时间复杂度 空间复杂度 工程经验 实践经验 注意点 题目链接 原题链接 题目地址 原题地址 "
    "answer answers solution solutions explanation example examples output input code summary conclusion "
    "references reference notes note analysis approach complexity challenge problem question hint hints tips "
    "requirements rules usage"
)
# Two-word English parts.
PART_PHRASES = frozenset(
    {"problem statement", "problem description", "test cases", "follow up", "follow-up", "see also", "further reading"}
)
# A short title ending so is a part of an answer: 面试题剖析, 源码解析.
PART_ENDINGS = ("分析", "剖析", "解析", "详解")
PART_ENDING_MAX = 8  # characters: a longer title ending in 分析 is a topic of its own
# What starts an answer that is a whole file: the question restated, the task given.
STATEMENT_WORDS = _words(
    "题目 问题 面试题 题目描述 问题描述 原题 question problem challenge exercise task problem statement problem description"
) | frozenset({"problem statement", "problem description"})
# What articles call their sections.
ARTICLE_WORDS = _words(
    "概述 概览 概要 简介 简述 介绍 引言 前言 背景 动机 摘要 总结 小结 结论 结语 方法 实验 实验结果 结果 讨论 相关工作 附录 "
    "overview introduction background motivation abstract summary conclusion conclusions method methods "
    "experiment experiments results discussion appendix preface"
) | frozenset({"related work"})
# What lists references: never a question, wherever it stands.
REFERENCE_WORDS = _words(
    "参考 参考资料 参考文献 参考链接 相关链接 相关资料 延伸阅读 扩展阅读 拓展阅读 引用 references reference resources links"
) | frozenset({"further reading", "see also"})
LABEL_COLON_RE = re.compile(r"^([^:：]{1,20})[:：]")
BARE_RE = re.compile(r"[\s*_`#：:。.、,，!！]+")


def _bare(title: str) -> str:
    """A title compared as a word: marks and spaces folded, lower case."""
    return " ".join(BARE_RE.sub(" ", title).split()).lower()


def is_part_title(title: str) -> bool:
    """True when a title names a part of an answer (答案, 解析, 代码, Example, `Answer: 4`…)."""
    bare = _bare(title)
    if bare in PART_WORDS or bare in PART_PHRASES:
        return True
    m = LABEL_COLON_RE.match(title.strip())
    if m and _bare(m.group(1)) in PART_WORDS:
        return True
    compact = "".join(bare.split())
    return len(compact) <= PART_ENDING_MAX and compact.endswith(PART_ENDINGS)


def is_statement_title(title: str) -> bool:
    """True when a title introduces the question an answer is for (题目, 面试题, Problem, Challenge)."""
    return _bare(title) in STATEMENT_WORDS


def is_article_title(title: str) -> bool:
    """True when a title names a section of an article (概述, 背景, 总结, Introduction…)."""
    return _bare(title) in ARTICLE_WORDS


def is_reference_title(title: str) -> bool:
    """True when a title heads a list of references (参考资料, References…)."""
    return _bare(title) in REFERENCE_WORDS


# -- chapters -------------------------------------------------------------------------------------
CHAPTER_TITLE_RE = re.compile(
    rf"^\s*(第\s*[0-9{CN_DIGITS}]{{1,6}}\s*(?:[章部篇节節卷編编讲講]|部分|单元|單元)|"
    r"(?:part|chapter|section|unit|lecture)\s+[0-9ivxlc]+\b)",
    re.IGNORECASE,
)
PIAN_END_RE = re.compile(r"篇\s*$")


def chapter_titled(text: str) -> bool:
    """True for a title like a chapter's: 第三章, 第一部分, Part 2, anything ending in 篇."""
    return bool(CHAPTER_TITLE_RE.search(text) or PIAN_END_RE.search(text))


def chapter_numbered(text: str) -> bool:
    """True for a title that numbers a chapter (第三章, 第一部分, Part 2): a chapter even with
    nothing under it (a title merely ending in 篇 over text of its own may be a question)."""
    return bool(CHAPTER_TITLE_RE.search(text))


# -- project pages --------------------------------------------------------------------------------
# What a project's README calls its parts: a file made of them is one page, never questions.
PROJECT_WORDS = _words(
    "安装 贡献 贡献指南 许可 许可证 协议 开源协议 使用 使用方法 用法 致谢 鸣谢 联系 联系方式 联系我们 交流 交流群 声明 免责声明 版权 "
    "版权声明 捐赠 赞助 打赏 更新 更新日志 更新记录 公众号 关于 关于我们 作者 贡献者 快速开始 项目介绍 项目简介 目录 "
    "license contributing contributors contribution installation install usage acknowledgements acknowledgments "
    "credits contact changelog sponsors sponsor donate donation about authors author roadmap todo features "
    "disclaimer"
) | frozenset({"getting started", "quick start", "star history"})


def is_project_title(title: str) -> bool:
    """True when a title names a part of a project's page (安装, 贡献, License…)."""
    return _bare(title) in PROJECT_WORDS


def bare_title(title: str) -> str:
    """A title as compared with others: marks and spaces folded, lower case."""
    return _bare(title)
