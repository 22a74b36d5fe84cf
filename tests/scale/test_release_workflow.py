"""Ten releases of a collection maintained the GitHub way: contributors edit the markdown, CI
builds each release. A build that nobody commits leaves the registry behind, and the next build
may hand out other URLs: the check says so (`registry-stale`) at the first release that changes
it. With the documented recipe (`qadocs registry update`, commit the registry, then build),
every URL ever published still lands on its question after ten releases.

Each question carries a token (`标识 Qn`) in its answer, which no edit touches: the page a URL
lands on is the right one when it shows the token the URL was published with. Questions are
added (most at the top of a file: everything below is renumbered), retitled, answered anew,
moved to another file and deleted, and files are renamed, one edit of each kind at most per
question and release, as the registry can follow when it is kept."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from landing import land_generated
from qadocs.core.build import generate
from qadocs.core.options import REGISTRY_NAME
from qadocs.core.plan.site import Options
from qadocs.core.text import words

TOKEN_RE = re.compile(r"标识 (Q\d+)")
TERMS = [
    "过拟合",
    "欠拟合",
    "梯度爆炸",
    "学习率",
    "批归一化",
    "残差连接",
    "词向量",
    "自注意力",
    "位置编码",
    "交叉熵",
    "正则化",
    "数据增强",
    "早停",
    "权重衰减",
    "知识蒸馏",
    "模型剪枝",
    "量化",
    "对比学习",
    "迁移学习",
    "微调",
    "束搜索",
    "温度采样",
    "分词",
    "召回率",
    "精确率",
    "混淆矩阵",
    "聚类",
    "降维",
    "主成分分析",
    "支持向量机",
    "决策树",
    "随机森林",
    "梯度提升",
    "贝叶斯",
    "马尔可夫链",
    "强化学习",
    "策略梯度",
    "价值函数",
    "经验回放",
    "探索",
]
FORMS = ("什么是{t}？", "{t}有哪些常见做法？", "如何理解{t}？")


@dataclass
class Question:
    qid: str
    title: str
    lines: list[str]


@dataclass
class File:
    folder: str
    name: str
    title: str
    chapters: list[tuple[str, list[Question]]]


@dataclass
class Collection:
    files: list[File]
    deleted: set[str] = field(default_factory=set)
    made: int = 0

    def new_question(self, rng: random.Random) -> Question:
        self.made += 1
        term = TERMS[(self.made - 1) % len(TERMS)]
        title = FORMS[(self.made - 1) // len(TERMS) % len(FORMS)].format(t=term)
        lines = [f"{term}是一个常被问到的概念，标识 Q{self.made}。", f"要点之一：{rng.randint(1, 9999)}。"]
        return Question(f"Q{self.made}", title, lines)

    def write(self, content: Path) -> None:
        for path in content.rglob("*.md"):
            path.unlink()
        for f in self.files:
            out = [f"# {f.title}", ""]
            n = 0
            for c, (chapter, questions) in enumerate(f.chapters, start=1):
                out += [f"## 第{c}章 {chapter}", ""]
                for q in questions:
                    n += 1
                    out += [f"### {n}. {q.title}", "", *q.lines, ""]
            (content / f.folder).mkdir(parents=True, exist_ok=True)
            (content / f.folder / f.name).write_text("\n".join(out), encoding="utf-8")

    def live(self) -> list[tuple[File, list[Question], Question]]:
        return [(f, qs, q) for f in self.files for _, qs in f.chapters for q in qs]


def first_collection(rng: random.Random) -> Collection:
    coll = Collection([])
    for folder, name, title in (
        ("基础", "概念.md", "基础概念"),
        ("基础", "训练.md", "训练技巧"),
        ("进阶", "模型.md", "模型"),
    ):
        chapters = [(f"{title}{k}", [coll.new_question(rng) for _ in range(5)]) for k in ("上", "下")]
        coll.files.append(File(folder, name, title, chapters))
    return coll


def release(coll: Collection, rng: random.Random, number: int) -> None:
    """One release's edits: two new questions (one at the very top), a retitle, a new answer, a
    move, a deletion, and every third release a renamed file; no question edited twice."""
    touched: set[str] = set()

    def pick() -> tuple[File, list[Question], Question]:
        choices = [x for x in coll.live() if x[2].qid not in touched]
        f, qs, q = rng.choice(choices)
        touched.add(q.qid)
        return f, qs, q

    top = coll.files[rng.randrange(len(coll.files))]
    top.chapters[0][1].insert(0, coll.new_question(rng))
    somewhere = rng.choice(coll.files).chapters[rng.randrange(2)][1]
    somewhere.insert(rng.randrange(len(somewhere) + 1), coll.new_question(rng))
    touched.add(top.chapters[0][1][0].qid)
    _, _, q = pick()
    q.title = "请简述" + q.title
    _, _, q = pick()
    q.lines = [q.lines[0], f"换了一种讲法：{rng.randint(1, 9999)}。", "再补充一点。"]
    f, qs, q = pick()
    qs.remove(q)
    rng.choice([g for g in coll.files if g is not f]).chapters[rng.randrange(2)][1].append(q)
    f, qs, q = pick()
    qs.remove(q)
    coll.deleted.add(q.qid)
    if number % 3 == 0:
        f = rng.choice(coll.files)
        f.name = f"{Path(f.name).stem}{number}.md"


def published(docs_plan_files: dict[str, str], questions: list[dict[str, object]]) -> dict[str, str]:
    """URL -> the token of the question published there."""
    found = {}
    for entry in questions:
        url = str(entry["url"])
        token = TOKEN_RE.search(docs_plan_files[url.strip("/") + "/index.md"])
        assert token is not None
        found[url] = token.group(1)
    return found


def lands_right(docs: Path, url: str, qid: str, deleted: set[str]) -> bool:
    """`url` of the question `qid` lands on that question's page, or (deleted) on the notice."""
    where = docs / url.strip("/")
    if not (where / "index.md").is_file() and not (where / "index.html").is_file():
        return False  # no page there at all: a 404
    final, _, notices = land_generated(docs, url)
    page = (docs / final.strip("/") / "index.md").read_text(encoding="utf-8")
    token = TOKEN_RE.search(page)
    if qid in deleted:
        return token is None and any(words.DELETED_LINK in n for n in notices)
    return token is not None and token.group(1) == qid


def run_releases(root: Path, recipe: bool) -> tuple[dict[str, str], set[str], list[list[str]]]:
    """Ten releases; every URL ever published (-> its token), the deleted tokens, and the codes
    each release's check (`qadocs check`, on the pushed content) reported about the registry."""
    rng = random.Random(7)
    content, imgs = root / "content", root / "imgs"
    imgs.mkdir(parents=True)
    content.mkdir()
    coll = first_collection(rng)
    coll.write(content)
    opts = Options(root, content, imgs)
    generate(opts, None, registry_only=True)  # the maintainer's first commit has the registry
    committed = (content / REGISTRY_NAME).read_text(encoding="utf-8")
    ever: dict[str, str] = {}
    checks: list[list[str]] = []
    for number in range(11):
        if number:
            release(coll, rng, number)
            coll.write(content)
        checks.append([d.code for d in generate(opts, None).diagnostics if d.code.startswith("registry-")])
        if recipe:  # on the main branch: update the registry, commit it, then build
            generate(opts, None, registry_only=True)
        else:  # CI builds a clean checkout: the registry as last committed; what the build writes is lost
            (content / REGISTRY_NAME).write_text(committed, encoding="utf-8")
        result = generate(opts, root / "docs")
        ever.update(published(result.plan.files, result.plan.questions))
    return ever, coll.deleted, checks


def test_the_check_fails_the_first_release_whose_registry_is_stale(tmp_path: Path) -> None:
    _, _, checks = run_releases(tmp_path, recipe=False)
    assert checks[0] == [], "the committed registry matches the content it was made from"
    assert all(codes == ["registry-stale"] for codes in checks[1:]), checks
    ever, deleted, _ = run_releases(tmp_path / "again", recipe=False)
    kept = sum(lands_right(tmp_path / "again" / "docs", url, qid, deleted) for url, qid in ever.items())
    print(f"without committing the registry: {kept} of {len(ever)} published URLs land right")


def test_with_the_recipe_every_published_url_lands_after_ten_releases(tmp_path: Path) -> None:
    ever, deleted, checks = run_releases(tmp_path, recipe=True)
    assert all(codes == ["registry-stale"] for codes in checks[1:]), "each release's edits change the registry"
    lost = [(url, qid) for url, qid in ever.items() if not lands_right(tmp_path / "docs", url, qid, deleted)]
    assert len(ever) >= 45 and len(deleted) == 10  # 30 questions, 20 added (one may go the release it came)
    assert lost == [], f"{len(lost)} of {len(ever)} published URLs lost: {lost[:5]}"
