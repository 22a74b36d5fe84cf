"""How a collection is read (issue 20): one small collection per form a reader of real collections
meets, under tests/golden/reading/, each with its questions (title, line, the line of the question
it follows up), chapters and the reading of each file written out here by hand from the rules.

The forms: nested questions (a question with an answer and follow-up questions under it, plain
or numbered one level deeper), questions in list items (`1. ### Q`), bold paragraphs that ask,
folded questions (`<details><summary>Q？`), one question per file, numbering in more forms
(`1-1 QA：`, `题目001：`, `Q3.`, steps numbered afresh inside an answer), concept headings (and a
project README that stays one page), articles among questions and answers, and what a layout
override can say (file, bold, list, fold, article). Every fixture is also built: nothing lost,
follow-ups linked both ways, and `qadocs check --explain` compared with a golden file.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from golden import GOLDEN, check_golden
from nothing_lost import lost_lines
from qadocs.cli import explain_source, main
from qadocs.core.build import Result, generate, load
from qadocs.core.model import Source
from qadocs.core.plan.site import Options

READING = GOLDEN / "reading"


Q = tuple[str, int, int | None]  # (title, line, line of the question it follows up, or None)


@dataclass(frozen=True)
class File:
    kind: str  # questions, file, article, page
    questions: list[Q] = field(default_factory=list)
    chapters: list[tuple[str, int]] = field(default_factory=list)  # (title, line)
    forms: dict[int, str] = field(default_factory=dict)  # line -> how the question's head is written
    numbers: dict[int, str] = field(default_factory=dict)  # line -> its number, where it has one


CASES: dict[str, dict[str, File]] = {
    # 1. Nested questions: a question with an answer of its own and follow-ups under it; a heading
    # with no text of its own over questions stays a chapter.
    "nested": {
        "操作系统.md": File(
            "questions",
            questions=[
                ("什么是进程？", 5, None),
                ("进程和线程有什么区别？", 9, 5),
                ("一个进程最多能创建多少线程？", 13, 5),
                ("什么是僵尸进程？", 17, None),
            ],
            chapters=[("进程与线程", 3)],
        ),
        "内存管理.md": File(
            "questions",
            questions=[
                ("什么是虚拟内存？", 5, None),
                ("缺页中断是怎么发生的？", 9, None),
                ("有哪些内存管理方法？", 13, None),  # asks and answers: a question, 17.4.x its follow-ups
                ("分页", 17, 13),
                ("分段", 21, 13),
                ("LRU 算法如何实现？", 27, None),
                ("什么是抖动？", 31, None),
            ],
            chapters=[("17.3 基本概念", 3), ("17.5 页面置换", 25)],
            numbers={13: "17.4", 17: "17.4.1", 21: "17.4.2"},
        ),
    },
    # 2. Questions in list items: each item's heading is a question, its indented answer (code and
    # sub-headings included) its page; the table of contents makes no page.
    "list_items": {
        "README.md": File(
            "questions",
            questions=[("What is a closure", 10, None), ("What is hoisting", 27, None)],
            forms={10: "item", 27: "item"},
            numbers={10: "1", 27: "2"},  # the list's numbers are the questions'
        ),
    },
    # 3. Bold paragraphs that ask, alone or followed by their answer on the line; a bold line inside
    # an answer is part of it; a bold question numbered on from the headings stands beside them.
    "bold": {
        "归一化.md": File(
            "questions",
            questions=[
                ("为什么要做归一化？", 5, None),
                ("BatchNorm 和 LayerNorm 有什么区别？", 9, None),
                ("归一化放在激活之前还是之后？", 11, None),
                ("训练和推理时 BN 有什么不同？", 17, None),  # its bold `推理时为什么…？` is part of it
                ("什么是注意力？", 27, None),
                ("为什么要除以根号 d？", 31, None),  # **3.2** between #### 3.1 and #### 3.3
                ("多头注意力有什么好处？", 35, None),
            ],
            chapters=[("一、基础", 3), ("二、进阶", 15), ("三、注意力", 25)],
            forms={5: "bold", 9: "bold", 11: "bold", 17: "md", 31: "bold"},
        ),
    },
    # 4. Folded questions: a `<details>` whose summary asks is a follow-up of the question it stands
    # under; a summary such as 展开 or 答案 only folds the answer above.
    "folded": {
        "网络.md": File(
            "questions",
            questions=[
                ("什么是三次握手？", 3, None),
                ("为什么不能只握手两次？", 7, 3),
                ("第三次握手可以携带数据吗？", 15, 7),
                ("TCP 和 UDP 有什么区别？", 22, None),
            ],
            forms={15: "fold"},
        ),
    },
    # 5. One question per file: the title is the question, the `##` parts its answer; the folder's
    # README, a list of links to them, stays a page.
    "one_question": {
        "消息队列/为什么使用消息队列.md": File("file", questions=[("为什么使用消息队列？", 1, None)]),
        "消息队列/消息队列的高可用.md": File("file", questions=[("消息队列的高可用", 1, None)]),
        "消息队列/消息不重复消费.md": File("file", questions=[("消息不被重复消费", 1, None)]),
        "消息队列/README.md": File("page"),
    },
    # 6. Numbering: `1-1 QA：` (the label is no part of the title), `题目001：`, `Q3.`; numbering that
    # restarts in each part; steps numbered afresh inside an answer are no questions.
    "numbering": {
        "强化学习.md": File(
            "questions",
            questions=[
                ("强化学习和监督学习有什么区别？", 5, None),
                ("什么是马尔可夫性质？", 9, None),
                ("Q 学习是同策略还是异策略？", 15, None),
            ],
            chapters=[("1.基础", 3), ("2.算法", 13)],
            numbers={5: "1-1", 9: "1-2", 15: "2-1"},
        ),
        "算法题.md": File(
            "questions",
            questions=[("两数之和", 3, None), ("有效的括号", 7, None), ("如何反转链表？", 11, None)],
            numbers={3: "001", 7: "002", 11: "3"},
        ),
        "Python.md": File(
            "questions",
            questions=[
                ("函数参数传递", 3, None),
                ("单例模式", 7, None),  # `### 1 使用 __new__ 方法`, `### 2 …`: the steps of its answer
                ("垃圾回收", 17, None),
                ("进程调度", 23, None),  # numbering restarts under `# 操作系统`
                ("死锁的条件", 27, None),
            ],
            chapters=[("Python 语言特性", 1), ("操作系统", 21)],
            numbers={3: "1", 7: "2", 17: "3", 23: "1", 27: "2"},
        ),
    },
    # 7. Concept headings: sibling headings each with an answer are questions (the part repeated
    # under each of them is a part of each answer).
    "concepts": {
        "设计模式.md": File(
            "questions", questions=[("工厂方法", 3, None), ("单例模式", 11, None), ("观察者模式", 19, None)]
        ),
    },
    # ... but a project's README (安装, 贡献, 许可证) stays one page.
    "project": {"README.md": File("page")},
    # 8. An article among questions and answers: its numbered sections named like an article's
    # (背景, 方法, 实验, 总结) make no question pages.
    "articles": {
        "面试题.md": File(
            "questions",
            questions=[
                ("什么是注意力机制？", 3, None),
                ("为什么要除以根号 d？", 7, None),
                ("多头注意力有什么好处？", 11, None),
            ],
        ),
        "论文笔记.md": File("article"),
    },
    # Forms seen in collections beyond the nine measured ones --------------------------------------
    # An answer folded in `<details><summary>Answer</summary>`, its heading shallower than the
    # question's: inside the fold, a part of the answer above; a heading inside a `<div>` is no head.
    # Questions folded away together (展开更多) stay questions; a `<p>` left open hides no heading.
    "answer_folds": {
        "more.md": File(
            "questions",
            questions=[
                ("什么是 JVM？", 3, None),
                ("什么是 GC？", 9, None),
                ("什么是类加载？", 13, None),
                ("什么是 JIT？", 19, None),
            ],
            numbers={3: "1", 9: "2", 13: "3", 19: "4"},
        ),
        "html_ids.md": File(
            "questions",
            questions=[("什么是闭包？", 3, None), ("什么是原型链？", 5, None), ("什么是事件循环？", 7, None)],
            forms={3: "html", 5: "html", 7: "html"},
        ),
        "quiz.md": File(
            "questions",
            questions=[("What does this print?", 9, None), ("下面哪一项是对的？", 30, None)],
            numbers={9: "1", 30: "2"},
        ),
    },
    # A file that asks only in bold paragraphs (ending in emoji that mark the difficulty); a folder's
    # README with a few bold questions stays its landing page.
    "bold_only": {
        "faq/README.md": File("page"),
        "faq/基础.md": File("questions", questions=[("什么是进程？", 3, None), ("什么是线程？", 7, None)]),
        "theory.md": File(
            "questions",
            questions=[
                ("What is supervised learning? ⭐️", 5, None),
                ("What is overfitting? 👶", 11, None),
                ("How do you notice it? ⭐️🚀", 15, None),
            ],
            chapters=[("Supervised learning", 3), ("Validation", 9)],
            forms={5: "bold", 11: "bold", 15: "bold"},
        ),
    },
    # One question per file written with labels (`题目：…` over `参考答案：`), or a title over parts
    # only (题目链接, 题目描述, 解题思路); an index whose headings link to GitHub pages of the files.
    "label_files": {
        "README.md": File("page"),
        "数据库/什么是索引.md": File("file", questions=[("什么是索引？", 1, None)]),
        "算法/07-重建二叉树.md": File("file", questions=[("重建二叉树", 1, None)], numbers={1: "7"}),
    },
    # A topic whose introduction is more than a sentence or two, over eight questions that ask: a
    # chapter, not a question with eight follow-ups. 请求… names a request; it does not ask; a
    # heading ending in 链接 (静态链接) is a topic of its own, not a part of an answer.
    "topics": {
        "编译.md": File(
            "questions",
            questions=[("静态链接", 5, None), ("动态链接", 9, None), ("动态装载", 15, None)],
            chapters=[("编译", 3), ("装载", 13)],
        ),
        "mysql.md": File(
            "questions",
            questions=[
                (f"{t}", line, None)
                for t, line in zip(
                    [
                        "整数类型的 UNSIGNED 有什么用？",
                        "CHAR 和 VARCHAR 有什么区别？",
                        "VARCHAR(100) 和 VARCHAR(10) 有什么区别？",
                        "DECIMAL 和 FLOAT 有什么区别？",
                        "为什么不推荐使用 TEXT 和 BLOB？",
                        "DATETIME 和 TIMESTAMP 如何选择？",
                        "NULL 和 '' 有什么区别？",
                        "布尔值应该用什么类型存？",
                        "请求首部字段",
                        "响应首部字段",
                    ],
                    [*range(11, 43, 4), 45, 49],
                    strict=True,
                )
            ],
            chapters=[("字段类型", 3), ("请求与响应", 43)],
        ),
    },
    # What a file's front matter can say of itself.
    "overrides": {
        "file.md": File("file", questions=[("消息队列的使用场景", 4, None)]),
        "bold.md": File(
            "questions",
            questions=[("梯度消失", 8, None), ("梯度爆炸", 12, None), ("过拟合", 16, None)],
            chapters=[("第一部分", 6), ("第二部分", 14)],
        ),
        "list.md": File("questions", questions=[("Closures", 6, None), ("Hoisting", 10, None)]),
        "fold.md": File("questions", questions=[("TCP", 8, None), ("UDP", 15, None)], chapters=[("传输层", 6)]),
        "article.md": File("article"),
    },
}


def _copy(case: str, tmp: Path) -> Path:
    root = tmp / case
    shutil.copytree(READING / case, root / "content")
    (root / "imgs").mkdir()
    return root


def _sources(case: str, tmp: Path) -> dict[str, Source]:
    root = _copy(case, tmp)
    sources, _ = load(Options(root, root / "content", root / "imgs"))
    return {src.path: src for src in sources}


def _shape(src: Source) -> list[Q]:
    return [(q.title, q.line, src.questions[q.parent].line if q.parent is not None else None) for q in src.questions]


def test_every_fixture_has_expectations() -> None:
    on_disk = {
        case.name: sorted(p.relative_to(case).as_posix() for p in case.rglob("*.md"))
        for case in READING.iterdir()
        if case.is_dir()
    }
    assert on_disk == {case: sorted(files) for case, files in CASES.items()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_questions_chapters_and_reading(case: str, tmp_path: Path) -> None:
    got = _sources(case, tmp_path)
    for path, want in CASES[case].items():
        src = got[path]
        assert src.kind == want.kind, f"{path}: read as {src.kind} ({src.why})"
        assert _shape(src) == want.questions, path
        assert [(c.title, c.line) for c in src.chapters] == want.chapters, path
        by_line = {q.line: q for q in src.questions}
        assert {line: by_line[line].form for line in want.forms} == want.forms, path
        assert {line: by_line[line].number for line in want.numbers} == want.numbers, path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Result]]:
    """Every fixture collection generated into its own docs dir."""
    out = {}
    for case in CASES:
        root = _copy(case, tmp_path_factory.mktemp("built"))
        out[case] = (root, generate(Options(root, root / "content", root / "imgs"), root / "build" / "docs"))
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_nothing_is_lost(case: str, built: dict[str, tuple[Path, Result]]) -> None:
    root, _ = built[case]
    checked, lost = lost_lines(root / "content", root / "build" / "docs")
    assert checked > 0 and lost == []


def _pages(root: Path) -> dict[str, str]:
    """Question pages by title."""
    docs = root / "build" / "docs"
    entries = json.loads((docs / "questions.json").read_text(encoding="utf-8"))
    return {e["title"]: (docs / e["url"].strip("/") / "index.md").read_text(encoding="utf-8") for e in entries}


def test_a_follow_up_and_its_question_link_each_other(built: dict[str, tuple[Path, Result]]) -> None:
    root, result = built["nested"]
    entries = {e["title"]: e for e in result.plan.questions}
    parent, child = entries["什么是进程？"], entries["进程和线程有什么区别？"]
    assert child.get("follows") == parent["id"] and "follows" not in parent
    pages = _pages(root)
    up = pages["什么是进程？"]
    assert '<p class="qadocs-followups" data-search-exclude>追问</p>' in up
    assert "- [进程和线程有什么区别？](<../" in up and "- [一个进程最多能创建多少线程？](<../" in up
    assert "线程共享进程的地址空间" not in up  # the follow-up's answer is on its own page
    down = pages["进程和线程有什么区别？"]
    where = next(line for line in down.split("\n") if 'class="qadocs-where"' in line)
    assert "[进程与线程](<" in where and where.index("[进程与线程]") < where.index("[什么是进程？](<")
    assert f"follows: {parent['id']}" in down


def test_a_folded_question_leaves_its_details_out(built: dict[str, tuple[Path, Result]]) -> None:
    page = _pages(built["folded"][0])["第三次握手可以携带数据吗？"]
    assert "可以，发送第三次握手时" in page and "<details>" not in page and "</details>" not in page


def test_a_list_item_question_is_dedented(built: dict[str, tuple[Path, Result]]) -> None:
    page = _pages(built["list_items"][0])["What is a closure"]
    assert "\nA closure is a function" in page and "\n```javascript\nfunction counter() {" in page
    assert "\n#### Why it matters" in page  # a sub-heading of the answer, no longer inside a list item


def test_a_bold_question_answer_starts_on_its_line(built: dict[str, tuple[Path, Result]]) -> None:
    page = _pages(built["bold"][0])["BatchNorm 和 LayerNorm 有什么区别？"]
    assert page.rstrip().endswith("BatchNorm 在批的维度上统计，LayerNorm 在特征的维度上统计。")
    assert "**2." not in page


def test_a_link_to_a_one_question_file_leads_to_its_question(built: dict[str, tuple[Path, Result]]) -> None:
    root, result = built["one_question"]
    readme = next(p for p in (root / "build" / "docs").rglob("index.md") if "kind: source" in p.read_text())
    text = [p for p in (root / "build" / "docs").rglob("index.md") if "- [为什么使用消息队列？]" in p.read_text()]
    assert text, "the README's page lists no link"
    entry = next(e for e in result.plan.questions if e["title"] == "为什么使用消息队列？")
    assert f"{entry['id']}/index.md>)" in text[0].read_text(encoding="utf-8")
    assert readme.is_file()


@pytest.mark.parametrize("case", sorted(CASES))
def test_explain_output(case: str, tmp_path: Path, update_golden: bool) -> None:
    got = _sources(case, tmp_path)
    lines = []
    for path in sorted(CASES[case]):
        text = (READING / case / path).read_text(encoding="utf-8")
        lines += explain_source(got[path], text)
    check_golden(GOLDEN / "explain" / f"{case}.txt", "\n".join(lines) + "\n", update_golden)


def test_check_explain_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _copy("nested", tmp_path)
    assert main(["check", "--root", str(root), "--explain", "content/操作系统.md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("操作系统.md: questions — ")
    assert "     9  follow-up heading h5   进程和线程有什么区别？ (follows line 5)" in out
    assert main(["check", "--root", str(root), "--explain", "content/nowhere.md"]) == 2
    assert "is no source" in capsys.readouterr().err


def test_an_index_of_question_links_is_no_doubt(tmp_path: Path) -> None:
    """Headings that are links to questions elsewhere make an index: nothing to warn about."""
    readme = _sources("label_files", tmp_path)["README.md"]
    assert readme.kind == "page" and [d.code for d in readme.diagnostics] == []
