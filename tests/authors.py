"""A generator of an "other authors" collection: the heading styles issue 9's parser must read.

Each file is written in one author's style (a few mix two styles the spec allows): dotted
numbering with sections, unnumbered questions, topic files, Chinese numerals, numbers glued to
titles, setext headings, HTML headings with and without ids, TOCs of every kind, empty
placeholder headings, markup in titles, anchors inside answers, headings hidden in code and
comments. Every planted question, section, placeholder and title is recorded with the exact
line it was written on (counted from the list of lines written, never by hand), so a test can
compare the parser's reading with what the author meant. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

TERMS = [
    "逻辑回归",
    "支持向量机",
    "决策树",
    "随机森林",
    "梯度提升树",
    "XGBoost",
    "LightGBM",
    "朴素贝叶斯",
    "主成分分析",
    "批归一化",
    "层归一化",
    "Dropout",
    "残差连接",
    "注意力机制",
    "自注意力",
    "多头注意力",
    "位置编码",
    "卷积神经网络",
    "循环神经网络",
    "LSTM",
    "GRU",
    "Transformer",
    "BERT",
    "GPT",
    "词向量",
    "Word2Vec",
    "交叉熵",
    "L2正则化",
    "学习率预热",
    "Adam",
    "动量法",
    "知识蒸馏",
    "对比学习",
    "束搜索",
    "隐马尔科夫模型",
    "条件随机场",
    "困惑度",
    "AUC",
    "特征交叉",
    "负采样",
    "Embedding",
    "模型量化",
    "模型剪枝",
    "混合精度训练",
    "张量并行",
    "LoRA",
    "RLHF",
    "KV缓存",
    "旋转位置编码",
    "池化层",
]
PROBLEMS = ["过拟合", "梯度消失", "梯度爆炸", "训练不稳定", "显存不足", "类别不平衡", "冷启动", "长距离依赖"]
SUBJECTS = ["机器学习", "深度学习", "自然语言处理", "计算机视觉", "推荐系统", "大模型", "强化学习", "特征工程"]
SECTION_NAMES = [
    "线性模型",
    "树模型",
    "集成方法",
    "神经网络基础",
    "优化方法",
    "序列模型",
    "预训练模型",
    "评估指标",
    "训练技巧",
    "推理部署",
    "概率图模型",
    "表示学习",
]
PLACEHOLDERS = ["Densenet", "MobileNet", "ShuffleNet", "补充材料", "待整理", "EfficientNet", "参考资料"]
FOLDERS = ["机器学习", "深度学习", "自然语言处理", "计算机视觉", "推荐系统", "大模型/基础", "大模型/应用"]
STEMS = ["面试题", "高频考点", "学习笔记", "知识点整理", "八股", "复习提纲"]

# question titles: (template, ends in ？) — templates never start with a digit
ASKED = [
    "什么是{a}？",
    "{a}的原理是什么？",
    "为什么{a}能缓解{p}？",
    "{a}和{b}有什么区别？",
    "如何理解{a}？",
    "{a}有哪些优缺点？",
    "{a}的损失函数怎么推导？",
    "{a}在工程上怎么调参？",
    "训练时为什么要用{a}？",
    "面试中怎么讲清楚{a}?",
    "{a}为什么会出现{p}？",
    "{a}适合哪些场景？",
]
STATED = ["简述{a}的训练过程", "说说{a}的适用场景", "{a}的核心思想", "介绍一下{a}", "{a}与{b}的对比", "{a}的常见变体"]
# titles a number may be glued to: they start with a CJK character or 【, never a counter (个, 年, 倍…)
GLUED = [
    "什么是{a}？",
    "为什么{a}能缓解{p}？",
    "训练时为什么要用{a}？",
    "【演变史】{a}是怎么发展来的？",
    "【面试高频】{a}和{b}有什么区别？",
    "如何理解{a}？",
    "简述{a}的训练过程",
    "介绍一下{a}",
]
# markup in question headings: (markdown, what the title reads)
MARKUP = [
    ("什么是 **{a}**？", "什么是 {a}？"),
    ("`model.eval()` 和 {a} 有什么关系？", "model.eval() 和 {a} 有什么关系？"),
    ("[{a}](https://example.com) 的核心贡献是什么？", "{a} 的核心贡献是什么？"),
    ("如何理解 ![\\alpha](https://example.com/x.png) 在 {a} 中的作用？", "如何理解 \\alpha 在 {a} 中的作用？"),
    ("*{a}* 为什么有效？", "{a} 为什么有效？"),
    ("`torch.no_grad()` 在 {a} 推理时有什么用？", "torch.no_grad() 在 {a} 推理时有什么用？"),
]
CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals as authors write them: 一, 十, 十一, 二十三."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def github_slug(text: str) -> str:
    """GitHub's anchor for a heading's text (close enough for links inside generated answers)."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


@dataclass(frozen=True)
class PlantedQuestion:
    line: int  # 1-based line of the heading (the text line of a setext heading)
    number: str  # "" when unnumbered; "3.1.1", "13.11", "一", "十一" as written
    title: str  # heading text without its number, markup removed
    tags: tuple[str, ...] = ()  # what is special about it (markup, glued, setext, html, starts-with-parts…)


@dataclass(frozen=True)
class PlantedHeading:
    line: int
    title: str


@dataclass
class PlantedFile:
    style: str
    questions: list[PlantedQuestion] = field(default_factory=list)
    sections: list[PlantedHeading] = field(default_factory=list)  # sections, topics, 篇, chapters
    placeholders: list[PlantedHeading] = field(default_factory=list)  # empty headings: no page, no chapter
    title: PlantedHeading | None = None  # a leading `# X` that names the source
    features: tuple[str, ...] = ()  # toc kind, front matter, anchors…


@dataclass
class Planted:
    content: Path
    files: dict[str, PlantedFile]  # by path relative to content/, posix

    @property
    def questions(self) -> int:
        return sum(len(f.questions) for f in self.files.values())

    @property
    def sections(self) -> int:
        return sum(len(f.sections) for f in self.files.values())


class _Doc:
    """The lines of one file's body as they are written, and what was planted on which line."""

    def __init__(self, rng: random.Random, style: str) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.file = PlantedFile(style)
        self.toc: list[tuple[int, str, str]] = []  # (depth, text, target) for a generated TOC
        self.slugs: Counter[str] = Counter()
        self.anchors: list[tuple[str, str]] = []  # (target, label) that answers may link to
        self.use_anchors = rng.random() < 0.35

    def add(self, *lines: str) -> None:
        for line in lines:
            assert "\n" not in line
            self.lines.append(line)

    def _heading_line(self, text: str) -> int:
        """The line the next heading goes on; counts its GitHub slug (for links to it)."""
        self.slugs[github_slug(text)] += 1
        return len(self.lines) + 1

    def slug_target(self, text: str) -> str:
        """`#slug` of the latest heading written with `text` (GitHub adds -1, -2 to repeats)."""
        slug = github_slug(text)
        n = self.slugs[slug]
        return "#" + (slug if n <= 1 else f"{slug}-{n - 1}")

    def heading(self, level: int, markdown: str, plain: str) -> int:
        """An ATX heading; its line. Blank lines around it are the caller's business."""
        line = self._heading_line(plain)
        self.add("#" * level + " " + markdown)
        return line

    def question(self, line: int, number: str, title: str, *tags: str) -> None:
        self.file.questions.append(PlantedQuestion(line, number, title, tuple(tags)))

    def section(self, line: int, title: str) -> None:
        self.file.sections.append(PlantedHeading(line, title))

    # ---- answers -------------------------------------------------------------------------------

    def answer(self, level: int, parts: str = "any", own_text: bool = True, numbered_parts: str = "") -> None:
        """Write an answer under a question heading of `level` (followed by a blank line).

        parts: which part headings it may have under it ("cn" 一、原理, "ar" 1. **要点**, "any"
        unnumbered only, "none"); numbered_parts: a dotted number to number its parts under
        (3.1.1 → 3.1.1.1, 3.1.1.2) instead."""
        rng = self.rng
        if own_text:
            self._paragraph(first=True)
            for _ in range(rng.randint(0, 3)):
                self._block()
        with_parts = not own_text or numbered_parts or (parts != "none" and level < 6 and rng.random() < 0.3)
        if not with_parts:
            return
        if numbered_parts:
            for k in range(1, rng.randint(2, 3) + 1):
                name = rng.choice(["原理", "推导", "实现", "实验现象", "工程细节"])
                self.heading(level + 1, f"{numbered_parts}.{k} {name}", f"{numbered_parts}.{k} {name}")
                self.add("")
                self._paragraph(first=not own_text and k == 1)
            return
        names = self._part_names(parts)
        for k, name in enumerate(names):
            sub = level + 1 if k == 0 or level + 2 > 6 or rng.random() < 0.6 else level + 2
            self.heading(sub, name, name.replace("**", ""))
            self.add("")
            if self.use_anchors:
                self.anchors.append((self.slug_target(name.replace("**", "")), name))
            self._paragraph(first=not own_text and k == 0)
            if rng.random() < 0.4:
                self._block()

    def _part_names(self, parts: str) -> list[str]:
        rng = self.rng
        plain = ["小结", "**要点**", "代码示例", "常见追问", f"补充：{rng.choice(TERMS)}的变体", "公式推导", "工程经验"]
        cn = ["一、原理", "二、优缺点", "三、实现细节"]
        ar = ["1. **要点**", "2. **常见追问**", "3. **延伸**"]
        if parts == "cn":
            return cn[: rng.randint(1, 3)] + rng.sample(plain, rng.randint(0, 1))
        if parts == "ar":
            return rng.sample(plain, rng.randint(0, 1)) + ar[: rng.randint(1, 3)]
        if parts == "cn+ar":
            return (cn[:1] + ar)[: rng.randint(2, 3)]
        return rng.sample(plain, rng.randint(1, 2))

    def _paragraph(self, first: bool = False) -> None:
        rng = self.rng
        a, b = rng.sample(TERMS, 2)
        if first:  # a sentence no other answer has, so no two answers are the same question twice
            text = (
                f"{a}的关键在于{rng.choice(PROBLEMS)}的处理，在{rng.randint(2, 999)}组实验里，"
                f"它比{b}平均高出{rng.randint(1, 99)}.{rng.randint(0, 9)}个百分点。"
            )
        else:
            text = rng.choice(
                [
                    f"直观地说，{a}把问题拆成了两步：先估计 $\\theta$，再用 $x_t$ 修正 {b} 的输出。",
                    f"和{b}相比，**{a}** 的计算量更小，但对{rng.choice(PROBLEMS)}更敏感。",
                    f"实践中常把 `{rng.choice(['lr', 'batch_size', 'dropout', 'warmup'])}` 设小一些，{a}会更稳。",
                    f"一句话总结：{a}是用{b}的思路去解决{rng.choice(PROBLEMS)}。",
                ]
            )
        if self.use_anchors and not first and rng.random() < 0.3:
            name = f"n{len(self.lines)}"
            self.anchors.append(("#" + name, "笔记"))
            text = f'<a name="{name}"></a>{text}' if rng.random() < 0.6 else f'<span id="{name}">注</span>{text}'
        elif self.anchors and rng.random() < 0.3:
            target, label = rng.choice(self.anchors)
            text += f"详见[{label.replace('**', '')}]({target})。"
        self.add(text, "")

    def _block(self) -> None:
        rng = self.rng
        a, b, c = rng.sample(TERMS, 3)
        kind = rng.random()
        if kind < 0.25:
            self._paragraph()
        elif kind < 0.37:
            self.add(f"- {a}：收敛快", f"- {b}：更省显存", f"  - 嵌套说明：{c}也可以", "")
        elif kind < 0.42:
            self.add(f"1. 先做{a}", f"2. 再做{b}", "")
        elif kind < 0.52:
            lang = rng.choice(["python", "markdown", ""])
            self.add(
                "```" + lang,
                "## fake 代码里的井号不是标题",
                '<h2 id="9.假题">9.假题</h2>',
                f"loss = criterion(model(x), y)  # {a}",
                "```",
                "",
            )
        elif kind < 0.6:
            self.add(
                "| 方法 | 优点 | 缺点 |", "| --- | --- | --- |", f"| {a} | 简单 | 慢 |", f"| {b} | 快 | 费内存 |", ""
            )
        elif kind < 0.67:
            self.add(
                "目标函数写成 $L(\\theta)$ 的形式：", "", "$$", "L(\\theta) = -\\sum_{i=1}^{n} y_i \\log p_i", "$$", ""
            )
        elif kind < 0.73:
            self.add(f"> 面试官常追问：{a}和{b}能不能一起用？", "")
            if rng.random() < 0.3:
                self.add("> ### 引用里的井号也不是标题", "")
        elif kind < 0.8:
            self.add(
                rng.choice(
                    [
                        f"![{a}示意图](imgs/a.png)",
                        "![](imgs/b.png)",
                        '<div align="center"><img src="imgs/c.png" alt="结构图"></div>',
                    ]
                ),
                "",
            )
        elif kind < 0.86:
            self.add("<!--", f"## 注释里的{a}不是标题", "待补充：" + b, "-->", "")
        elif kind < 0.91:
            self.add("伪代码如下：", "", "    ## 缩进代码里的井号", f"    update({a})", "")
        else:
            self.add(f"**{a}** 的要点：", "", f"- 与 {b} 的关系", f"- 与 {c} 的区别", "")


# ---- titles -------------------------------------------------------------------------------------


def _title(
    rng: random.Random, asked: float = 0.8, markup: float = 0.08, about: str | None = None
) -> tuple[str, str, tuple[str, ...]]:
    """(markdown of the title, expected plain title, tags); `about` is the term it asks about."""
    a, b = rng.sample(TERMS, 2)
    a = about or a
    if b == a:
        b = next(t for t in TERMS if t != a)
    p = rng.choice(PROBLEMS)
    if rng.random() < markup:
        md, plain = rng.choice(MARKUP)
        return md.format(a=a), plain.format(a=a), ("markup",)
    text = rng.choice(ASKED if rng.random() < asked else STATED).format(a=a, b=b, p=p)
    return text, text, ()


def _glued_title(rng: random.Random) -> str:
    a, b = rng.sample(TERMS, 2)
    return rng.choice(GLUED).format(a=a, b=b, p=rng.choice(PROBLEMS))


# ---- styles: each writes one file's body (after any title/TOC prefix) ---------------------------


def _style_dotted(doc: _Doc, rng: random.Random, meta: dict[str, object]) -> None:
    """`# 第三章 …` (the title), `## 3.1 …` sections, `### 3.1.1 …` questions, a few `#### 3.1.1.1` parts."""
    chap = rng.randint(1, 15)
    meta["title"] = rng.choice([f"第{cn_number(chap)}章 ", f"第{chap}章 "]) + rng.choice(SUBJECTS)
    dot = "." if rng.random() < 0.15 else ""
    _dotted_body(doc, rng, chap, 2, dot, placeholders=rng.random() < 0.2)


def _style_dotted_h1(doc: _Doc, rng: random.Random, meta: dict[str, object]) -> None:
    """`# 12.1 …` sections at level 1, `## 12.1.1 …` questions (no source title)."""
    _dotted_body(doc, rng, rng.randint(2, 20), 1, "", placeholders=rng.random() < 0.15)


def _dotted_body(doc: _Doc, rng: random.Random, chap: int, level: int, dot: str, placeholders: bool) -> None:
    sections = rng.randint(2, 4)
    plan = [rng.randint(1, 5) for _ in range(sections)]
    total = sum(plan)
    with_parts = set(rng.sample(range(total), rng.randint(0, max(0, (total - 1) // 3))))  # a minority
    q = 0
    names = rng.sample(SECTION_NAMES, sections)
    for k in range(1, sections + 1):
        name = names[k - 1]
        line = doc.heading(level, f"{chap}.{k}{dot} {name}", f"{chap}.{k} {name}")
        doc.section(line, name)
        doc.toc.append((0, f"{chap}.{k} {name}", "#" + github_slug(f"{chap}.{k} {name}")))
        doc.add("")
        if rng.random() < 0.4:
            doc.add(f"本节整理{name}相关的高频问题。", "")
        for j in range(1, plan[k - 1] + 1):
            md, plain, tags = _title(rng, asked=0.7)
            number = f"{chap}.{k}.{j}"
            line = doc.heading(level + 1, f"{number}{dot} {md}", f"{number} {plain}")
            doc.question(line, number, plain, *tags)
            doc.toc.append((1, f"{number} {plain}", "#" + github_slug(f"{number} {plain}")))
            doc.add("")
            if q in with_parts:
                doc.answer(level + 1, numbered_parts=number)
            else:
                doc.answer(level + 1, parts="any")
            q += 1
            if placeholders and j < plan[k - 1] and rng.random() < 0.35:
                name2 = rng.choice(PLACEHOLDERS)
                line = doc.heading(level + 1, name2, name2)
                doc.file.placeholders.append(PlantedHeading(line, name2))
                doc.add("")


def _style_unnumbered(doc: _Doc, rng: random.Random, meta: dict[str, object]) -> None:
    """`# Title` then `## 什么是…？` questions directly; some without ？; a few answers are all parts."""
    meta["title"] = rng.choice(SUBJECTS) + rng.choice(["面试题", "常见问题", "复习"])
    n = rng.randint(3, 12)
    starts_with_parts = rng.randrange(n) if n >= 5 and rng.random() < 0.4 else -1
    for i in range(n):
        if i == starts_with_parts:
            md = plain = _title(rng, asked=1.0, markup=0)[0]
            tags: tuple[str, ...] = ("starts-with-parts",)
        elif rng.random() < 0.04:
            md = plain = f"2019年提出的{rng.choice(TERMS)}有什么创新？"
            tags = ("year",)
        else:
            md, plain, tags = _title(rng, asked=0.75)
        line = doc.heading(2, md, plain)
        doc.question(line, "", plain, *tags)
        doc.toc.append((0, plain, "#" + github_slug(plain)))
        doc.add("")
        if i == starts_with_parts:
            doc.answer(2, parts="cn", own_text=False)
        else:
            doc.answer(2, parts=rng.choice(["cn+ar", "any", "ar", "cn"]))


def _style_topics(doc: _Doc, rng: random.Random, meta: dict[str, object]) -> None:
    """`# Title`, `## 逻辑回归` topics (no text, or an intro when all their questions end in ？),
    `### …？` questions under them."""
    meta["title"] = rng.choice(SUBJECTS) + "算法面试"
    topics = rng.sample(TERMS, rng.randint(2, 4))
    _topics(doc, rng, topics, rng.randrange(1, len(topics)) if len(topics) >= 3 and rng.random() < 0.3 else -1)


def _topics(doc: _Doc, rng: random.Random, topics: list[str], plain_topic: int = -1) -> None:
    """`## topic` headings over `### …` questions. A topic's questions mostly end in ？ (all of them
    when the topic has an intro), except `plain_topic`'s, none of which does: that topic has no
    text and only topics for siblings, so it stays a chapter all the same."""
    for t, topic in enumerate(topics):
        line = doc.heading(2, topic, topic)
        doc.section(line, topic)
        doc.toc.append((0, topic, "#" + github_slug(topic)))
        doc.add("")
        n = rng.randint(1, 5)
        intro = t != plain_topic and rng.random() < 0.3
        if intro:
            doc.add(f"{topic}是面试里最常被问到的内容之一，下面几道题由浅入深。", "")
        stated = (
            set(range(n))
            if t == plain_topic
            else set()
            if intro
            else set(rng.sample(range(n), rng.randint(0, (n - 1) // 2)))
        )
        for i in range(n):
            if i in stated:
                md, plain, tags = _title(rng, asked=0.0, markup=0, about=topic)
                tags = ("under-plain-topic",) if t == plain_topic else tags
            else:
                md, plain, tags = _title(rng, asked=1.0, about=topic)
            line = doc.heading(3, md, plain)
            doc.question(line, "", plain, *tags)
            doc.toc.append((1, plain, "#" + github_slug(plain)))
            doc.add("")
            doc.answer(3, parts=rng.choice(["cn", "ar", "any"]))


def _style_chinese(doc: _Doc, rng: random.Random, meta: dict[str, object]) -> None:
    """`## 一、为什么…？` questions (a few files write `## （三）…`)."""
    meta["title"] = rng.choice(SUBJECTS) + "八股"
    paren = rng.random() < 0.2
    for n in range(1, rng.randint(3, 14) + 1):
        md, plain, tags = _title(rng, asked=0.7)
        number = cn_number(n)
        line = doc.heading(2, (f"（{number}）" if paren else f"{number}、") + md, plain)
        doc.question(line, number, plain, *tags, *(("paren",) if paren else ()))
        doc.toc.append((0, f"{number}、{plain}", "#" + github_slug(f"{number}、{plain}")))
        doc.add("")
        doc.answer(2, parts=rng.choice(["ar", "any"]))


def _style_chinese_sections(doc: _Doc, rng: random.Random, meta: dict[str, object]) -> None:
    """`## 一、基础篇` parts; either `### 1.1 …篇` sections with `#### 1.1.1 …` questions, or
    `### 1.1 …` questions directly."""
    meta["title"] = rng.choice(SUBJECTS) + "面试宝典"
    deep = rng.random() < 0.6
    for c in range(1, rng.randint(1, 3) + 1):
        part = rng.choice(["基础", "进阶", "实战", "原理", "应用"]) + "篇"
        line = doc.heading(2, f"{cn_number(c)}、{part}", f"{cn_number(c)}、{part}")
        doc.section(line, part)
        doc.add("")
        if deep:
            for k in range(1, rng.randint(1, 3) + 1):
                name = rng.choice(TERMS) + rng.choice(["算法介绍篇", "篇", "原理篇"])
                line = doc.heading(3, f"{c}.{k} {name}", f"{c}.{k} {name}")
                doc.section(line, name)
                doc.add("")
                for j in range(1, rng.randint(1, 4) + 1):
                    md, plain, tags = _title(rng, asked=0.8)
                    line = doc.heading(4, f"{c}.{k}.{j} {md}", plain)
                    doc.question(line, f"{c}.{k}.{j}", plain, *tags)
                    doc.add("")
                    doc.answer(4, parts="any")
        else:
            for j in range(1, rng.randint(2, 5) + 1):
                md, plain, tags = _title(rng, asked=0.8)
                line = doc.heading(3, f"{c}.{j} {md}", plain)
                doc.question(line, f"{c}.{j}", plain, *tags)
                doc.add("")
                doc.answer(3, parts="any")


def _style_glued(doc: _Doc, rng: random.Random, meta: dict[str, object]) -> None:
    """Numbers glued to titles: `## 13.11训练时…` flat, or `## 1 概述` sections with `### 1.2【演变史】…`."""
    chap = rng.randint(1, 15)
    if rng.random() < 0.5:
        meta["title"] = f"第{cn_number(chap)}章 {rng.choice(SUBJECTS)}"
        for j in range(1, rng.randint(3, 14) + 1):
            title = _glued_title(rng)
            glued = rng.random() < 0.75
            number = f"{chap}.{j}"
            line = doc.heading(2, number + ("" if glued else " ") + title, title)
            doc.question(line, number, title, *(("glued",) if glued else ()))
            doc.add("")
            doc.answer(2, parts="any")
    else:
        meta["title"] = rng.choice(SUBJECTS) + "知识梳理"
        for k, name in enumerate(rng.sample(SECTION_NAMES, rng.randint(2, 4)), start=1):
            line = doc.heading(2, f"{k} {name}", f"{k} {name}")
            doc.section(line, name)
            doc.add("")
            for j in range(1, rng.randint(1, 5) + 1):
                title = _glued_title(rng)
                glued = rng.random() < 0.75
                line = doc.heading(3, f"{k}.{j}" + ("" if glued else " ") + title, title)
                doc.question(line, f"{k}.{j}", title, *(("glued",) if glued else ()))
                doc.add("")
                doc.answer(3, parts="any")


def _style_numbered(doc: _Doc, rng: random.Random, meta: dict[str, object]) -> None:
    """`## 1. …` questions (one number form per file), empty placeholders between some of them,
    and now and then a `## 3D卷积是什么？` that is no number."""
    meta["title"] = rng.choice(SUBJECTS) + "面试100问"
    form = rng.choice(["{n}. ", "{n}、", "{n} ", "{n}: ", "{n}）"])
    n_questions = rng.randint(3, 14)
    placeholders = rng.random() < 0.45
    odd = rng.randrange(1, n_questions) if rng.random() < 0.12 else -1
    for n in range(1, n_questions + 1):
        if n == odd:
            title = rng.choice(["3D卷积是什么？", "2D和3D卷积有什么区别？"])
            line = doc.heading(2, title, title)
            doc.question(line, "", title, "digits-glued-to-letters")
            doc.add("")
            doc.answer(2, parts="cn")
        md, plain, tags = _title(rng, asked=0.75)
        line = doc.heading(2, form.format(n=n) + md, plain)
        doc.question(line, str(n), plain, *tags)
        doc.toc.append((0, f"{n}. {plain}", "#" + github_slug(f"{n}. {plain}")))
        doc.add("")
        doc.answer(2, parts="cn")
        if placeholders and n < n_questions and rng.random() < 0.3:
            name = rng.choice(PLACEHOLDERS)
            line = doc.heading(2, name, name)
            doc.file.placeholders.append(PlantedHeading(line, name))
            doc.add("")


def _style_setext(doc: _Doc, rng: random.Random, meta: dict[str, object]) -> None:
    """A setext `===` title and setext `---` questions (a few files mix in ATX `##` questions)."""
    title = rng.choice(SUBJECTS) + "面经"
    doc.file.title = PlantedHeading(len(doc.lines) + 1, title)
    doc.add(title, "=" * rng.randint(3, 2 * len(title) + 2), "")
    mixed = doc.file.style.startswith("mixed")
    for _ in range(rng.randint(3, 10)):
        md, plain, tags = _title(rng, asked=0.8)
        if mixed and rng.random() < 0.5:
            line = doc.heading(2, md, plain)
            doc.question(line, "", plain, *tags)
        else:
            line = doc._heading_line(plain)
            doc.add(md, "-" * rng.randint(3, 12))
            doc.question(line, "", plain, *tags, "setext")
        doc.add("")
        doc.answer(2, parts=rng.choice(["cn", "ar", "any"]))


def _style_html_noid(doc: _Doc, rng: random.Random, meta: dict[str, object]) -> None:
    """`<h2>…？</h2>` questions without ids, or `## 话题` topics over `<h3>…？</h3>` questions."""
    meta["title"] = rng.choice(SUBJECTS) + "题库"
    mixed = doc.file.style.startswith("mixed")
    if rng.random() < 0.5 or mixed:
        for _ in range(rng.randint(3, 10)):
            _html_question(doc, rng, 2, md_too=mixed)
    else:
        for topic in rng.sample(TERMS, rng.randint(2, 3)):
            line = doc.heading(2, topic, topic)
            doc.section(line, topic)
            doc.add("")
            for _ in range(rng.randint(1, 4)):
                _html_question(doc, rng, 3, md_too=False)


def _html_question(doc: _Doc, rng: random.Random, level: int, md_too: bool) -> None:
    text = _title(rng, asked=1.0, markup=0)[0]
    if md_too and rng.random() < 0.5:
        line = doc.heading(level, text, text)
        doc.question(line, "", text)
    else:
        bold = rng.random() < 0.2
        shown = text.replace(text[:2], f"<b>{text[:2]}</b>", 1) if bold else text
        line = doc._heading_line(text)
        doc.add(f"<h{level}>{shown}</h{level}>")
        doc.question(line, "", text, "html", *(("html-markup",) if bold else ()))
    doc.add("")
    doc.answer(level, parts=rng.choice(["cn", "any"]))


def _style_htmlid(doc: _Doc, rng: random.Random, meta: dict[str, object]) -> None:
    """The seed style: `## 第一章…` markdown chapters over `<h2 id="1.问题">1.问题</h2>` questions."""
    quote = rng.choice(['"', "'"])
    number = 0
    for c in range(1, rng.randint(1, 4) + 1):
        name = f"第{cn_number(c) if rng.random() < 0.5 else c}章：{rng.choice(SECTION_NAMES)}"
        line = doc.heading(2, name, name)
        doc.section(line, name)
        doc.toc.append((0, name, "#" + github_slug(name)))
        doc.add("")
        if rng.random() < 0.5:
            doc.add(f"{name}的介绍。", "")
        if rng.random() < 0.5:
            number = 0
        for _ in range(rng.randint(1, 5)):
            number += 1
            title = _title(rng, asked=0.85, markup=0)[0]
            anchor = f"{number}.{title}"
            line = len(doc.lines) + 1
            doc.add(f"<h2 id={quote}{anchor}{quote}>{number}.{title}</h2>", "")
            doc.question(line, str(number), title, "html-id")
            doc.toc.append((1, f"{number}.{title}", "#" + anchor))
            doc.answer(2, parts="ar")


def _style_mixed(doc: _Doc, rng: random.Random, meta: dict[str, object]) -> None:
    """Two styles the spec allows in one file."""
    kind = doc.file.style.split(":", 1)[1]
    if kind == "setext+atx":
        _style_setext(doc, rng, meta)
    elif kind == "html+md":
        _style_html_noid(doc, rng, meta)
    else:  # "questions+topics": loose `## …？` questions, then topics over `### …？` questions
        meta["title"] = rng.choice(SUBJECTS) + "杂记"
        for _ in range(rng.randint(2, 4)):
            md, plain, tags = _title(rng, asked=1.0)
            line = doc.heading(2, md, plain)
            doc.question(line, "", plain, *tags)
            doc.add("")
            doc.answer(2, parts="any")
        _topics(doc, rng, rng.sample(TERMS, rng.randint(1, 3)))


STYLES = {
    "dotted": (_style_dotted, 14),
    "dotted-h1": (_style_dotted_h1, 6),
    "unnumbered": (_style_unnumbered, 14),
    "topics": (_style_topics, 12),
    "chinese": (_style_chinese, 9),
    "chinese-sections": (_style_chinese_sections, 7),
    "glued": (_style_glued, 10),
    "numbered": (_style_numbered, 9),
    "setext": (_style_setext, 4),
    "html-noid": (_style_html_noid, 6),
    "htmlid": (_style_htmlid, 8),
    "mixed:setext+atx": (_style_mixed, 2),
    "mixed:html+md": (_style_mixed, 2),
    "mixed:questions+topics": (_style_mixed, 2),
}
# a level every question of the file is on, for a `qadocs: questions: N` front matter
ONE_LEVEL = {"unnumbered": 2, "chinese": 2, "topics": 3}


def make_file(rng: random.Random, style: str) -> tuple[list[str], PlantedFile]:
    """The lines of one file written in `style`, and what it plants (lines 1-based, exact)."""
    doc = _Doc(rng, style)
    meta: dict[str, object] = {}
    STYLES[style][0](doc, rng, meta)
    body = doc.lines
    while body and not body[-1]:
        body.pop()
    prefix: list[str] = []
    features: list[str] = []
    title = meta.get("title")
    if rng.random() < 0.06 and style not in ("setext", "htmlid") and not style.startswith("mixed"):
        features.append("front-matter")
        prefix += ["---", f"tags: [面试, {rng.choice(SUBJECTS)}]"]
        if style in ONE_LEVEL and rng.random() < 0.5:
            features.append("front-matter-layout")
            prefix += ["qadocs:", f"  questions: {ONE_LEVEL[style]}"]
        prefix += ["---", ""]
    toc = rng.random()
    toc_kind = "marker" if toc < 0.12 else "classic" if toc < 0.32 else "links" if toc < 0.5 else ""
    if style in ("setext",) or style.startswith("mixed:setext"):
        toc_kind = ""
    if style == "htmlid":
        toc_kind = "classic" if toc < 0.6 else ""
    if style == "dotted-h1" and toc_kind != "marker":
        toc_kind = ""
    if toc_kind == "marker":
        prefix += [rng.choice(["[TOC]", "[[TOC]]", "[toc]"]), ""]
    planted_title: PlantedHeading | None = None
    if isinstance(title, str):
        planted_title = PlantedHeading(len(prefix) + 1, title)
        prefix += [f"# {title}", ""]
        if rng.random() < 0.25 and toc_kind != "links":
            prefix += [f"本文整理了{title}里常被问到的题，答案是我自己的理解，欢迎指正。", ""]
    if toc_kind in ("classic", "links") and not doc.toc:
        toc_kind = ""
    if toc_kind == "classic":
        prefix += [rng.choice(["## 目录", "## Contents", "**目录**"]), ""]
        prefix += [("  " * depth) + f"- [{text}]({target})" for depth, text, target in doc.toc]
        prefix += [""]
    elif toc_kind == "links":  # no 目录 title: a run of link lines before the first heading
        prefix += [("  " * depth) + f"- [{text}]({target})" for depth, text, target in doc.toc[:12]]
        prefix += [""]
    if toc_kind:
        features.append("toc-" + toc_kind)
    if doc.use_anchors and doc.anchors:
        features.append("anchors")
    shift = len(prefix)
    f = doc.file
    planted = PlantedFile(
        style=style,
        questions=[PlantedQuestion(q.line + shift, q.number, q.title, q.tags) for q in f.questions],
        sections=[PlantedHeading(s.line + shift, s.title) for s in f.sections],
        placeholders=[PlantedHeading(p.line + shift, p.title) for p in f.placeholders],
        title=planted_title or (PlantedHeading(f.title.line + shift, f.title.title) if f.title else None),
        features=tuple(features),
    )
    return prefix + body, planted


def make_authors(root: Path, files: int = 300, seed: int = 9) -> Planted:
    """Write `files` sources under root/content/<folder>/ (and an empty root/imgs); what they plant."""
    rng = random.Random(seed)
    content = root / "content"
    names = list(STYLES)
    weights = [STYLES[s][1] for s in names]
    planted: dict[str, PlantedFile] = {}
    for i in range(files):
        style = names[i] if i < len(names) else rng.choices(names, weights)[0]  # every style at least once
        lines, record = make_file(rng, style)
        folder = FOLDERS[rng.randrange(len(FOLDERS))]
        rel = f"{folder}/{i:03d}-{rng.choice(STEMS)}.md"
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        planted[rel] = record
    (root / "imgs").mkdir(exist_ok=True)
    return Planted(content, planted)
