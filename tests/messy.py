"""A generator of messy Q&A collections, shaped like real ones (see shared seeds README).

Deterministic for a given seed, so a failure can be replayed; used by tests and bench/.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = [
    "扩散模型",
    "注意力",
    "Transformer",
    "视频生成",
    "对比学习",
    "VAE",
    "GAN",
    "LoRA",
    "微调",
    "检索增强",
    "RAG",
    "Agent",
    "多模态",
    "位置编码",
    "LayerNorm",
    "采样",
    "推理加速",
    "显存",
]
ODD = ["？", " ", "/", "#", "(", ")", "（", "）", ":", "'", "&", "<b>", "*"]


def _title(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(2, 4))
    sep = rng.choice(["的", "与", "和", " ", "在"])
    title = sep.join(words) + rng.choice(["是什么？", "有什么区别？", "如何实现?", "的原理", "？"])
    if rng.random() < 0.3:
        title = title.replace(" ", rng.choice(ODD))
    return title


def _answer(rng: random.Random, q: int) -> list[str]:
    lines: list[str] = []
    for _ in range(rng.randint(1, 5)):
        kind = rng.random()
        if kind < 0.25:
            lines += [f"{rng.choice(WORDS)}的第{q}个要点：**{rng.choice(WORDS)}** 与 {rng.choice(WORDS)}。", ""]
        elif kind < 0.35:
            lines += ["```python", "# 注释不是标题", '<h2 id="9.假题">9.假题</h2>', f"x = {q}", "```", ""]
        elif kind < 0.45:
            lines += [f"公式 $ x_{{{q}}} $ 与 $\\alpha_t$：", "", "$$", "\\sum_{i=1}^{n} x_i", "$$", ""]
        elif kind < 0.55:
            lines += ["| 方法 | 优点 |", "| --- | --- |", f"| {rng.choice(WORDS)} | 快 |", ""]
        elif kind < 0.62:
            lines += [f"> 引用：{rng.choice(WORDS)}", ""]
        elif kind < 0.7:
            lines += [
                rng.choice(
                    [
                        f"![图{q}](imgs/fig{q}.png)",
                        f"![](./imgs/fig{q}.png)",
                        f'<div align="center">\n    <img src="imgs/fig{q}.jpg" alt="示意图" >\n</div>',
                        f"![远程](https://example.com/{q}.png)",
                        f"![win](imgs\\win{q}.png)",
                        "![up](../../../../etc/hostname)",
                    ]
                ),
                "",
            ]
        elif kind < 0.78:
            lines += [f"### {q}. 小标题 {rng.choice(WORDS)}", "", "- 列表项", "  - 嵌套", ""]
        else:
            lines += [f"{rng.choice(WORDS)}：" + "，".join(rng.sample(WORDS, 3)) + "。", ""]
    return lines


def make_source(rng: random.Random, n_questions: int) -> str:
    """Text of one source with a TOC, chapters or sections, and questions in varied forms."""
    style = rng.choice(["chapters", "sections", "parts", "flat", "readme", "markdown"])
    if style == "readme":
        return "# 说明\n\n这个目录收集题目。\n\n## 贡献\n\n欢迎 PR。\n"
    if style == "markdown":  # questions as markdown headings, GitHub-slug TOC links
        toc, body = ["## 目录", ""], []
        for q in range(1, n_questions + 1):
            if q == 1 or rng.random() < 0.2:
                body += [f"## 第{q}章 {rng.choice(WORDS)}", ""]
            title = _title(rng).replace("#", "")
            toc.append(f"- [{q}. {title}](#{q}-{title.lower()})")
            body += [f"### {q}. {title}", "", *_answer(rng, q)]
        return "\n".join([*toc, "", *body]) + "\n"
    level = rng.choice([2, 2, 3, 1]) if style == "flat" else 3 if style == "sections" else 2
    quote = rng.choice(['"', "'"])
    toc: list[str] = [rng.choice(["# 目录", "## 目录", "## Contents"]), ""]
    body: list[str] = []
    if rng.random() < 0.3:
        body += ["本文件介绍一些高频考点。", ""]
    number = 0
    group = 0
    for q in range(1, n_questions + 1):
        if style != "flat" and (q == 1 or rng.random() < 0.15):
            group += 1
            number = rng.choice([0, 1]) - 1 if style == "chapters" else 0
            name = f"第{group}章：{rng.choice(WORDS)}"
            if style == "chapters":
                body += [f"## {name}", "", f"{name}的介绍。", ""]
                toc += [f"## {name}"]
            elif style == "sections":
                body += [
                    f"<h2 id={quote}{group}.{rng.choice(WORDS)}应用{quote}>{group}.{rng.choice(WORDS)}应用</h2>",
                    "",
                ]
            else:
                body += [f'<h1 id="{name}">{name}</h1>', ""]
        number += 1
        title = _title(rng)
        anchor = f"{number}.{title}"
        lvl = level if not (style == "flat" and q > n_questions // 2 and rng.random() < 0.5) else min(3, level + 1)
        attr_anchor = anchor.replace(quote, "")
        body += [f"<h{lvl} id={quote}{attr_anchor}{quote}>{number}.{title}</h{lvl}>", ""]
        body += _answer(rng, q)
        form = rng.random()
        target = (
            "#user-content-" + attr_anchor
            if form < 0.2
            else attr_anchor
            if form < 0.35
            else "#" + attr_anchor.replace(" ", "")
            if form < 0.8
            else "#不存在的锚点"
        )
        toc.append(f"- [{number}.{title}]({target})")
    return "\n".join([*toc, "", *body]) + "\n"


def make_collection(root: Path, files: int, questions_per_file: int = 12, seed: int = 7) -> Path:
    """Write `files` sources (with a few odd encodings) under root/content; returns content dir."""
    rng = random.Random(seed)
    content = root / "content"
    for i in range(files):
        folder = content / f"专题{i % 7}" / ("进阶" if i % 5 == 0 else "")
        folder.mkdir(parents=True, exist_ok=True)
        text = make_source(rng, rng.randint(1, questions_per_file * 2))
        data = text.encode("utf-8")
        if i % 11 == 3:
            data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
        elif i % 13 == 4:
            data = text.encode("gb18030")
        (folder / f"面试题{i:03d}.md").write_bytes(data)
    (root / "imgs").mkdir(exist_ok=True)
    return content


def make_big_source(path: Path, questions: int = 5000, megabytes: float = 4.7, seed: int = 5) -> None:
    """One source of about `megabytes` MB with `questions` questions in chapters, a TOC and answers."""
    rng = random.Random(seed)
    per_answer = int(megabytes * 1e6 / questions)
    toc = ["# 目录", ""]
    body: list[str] = []
    for q in range(1, questions + 1):
        if q % 100 == 1:
            chapter = f"第{q // 100 + 1}章：{rng.choice(WORDS)}"
            toc.append(f"## {chapter}")
            body += [f"## {chapter}", ""]
        title = f"{_title(rng)}（{q}）"
        toc.append(f"- [{q}.{title}](#{q}.{title})")
        answer = _answer(rng, q)
        filler = "，".join(rng.choice(WORDS) for _ in range(per_answer // 12))
        body += [f'<h2 id="{q}.{title}">{q}.{title}</h2>', "", *answer, filler + "。", ""]
    path.write_text("\n".join([*toc, "", *body]) + "\n", encoding="utf-8")
