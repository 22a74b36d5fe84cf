"""A question whose content lives on forwards instead of saying it was deleted: two questions
merged into one, a question copied to another file and then deleted from the first. A question
really deleted still says so, and lines many answers share say nothing. Titles are compared
folded too: widths, punctuation, spaces, simplified or traditional characters."""

from __future__ import annotations

from pathlib import Path

from landing import land_generated
from qadocs.core.build import generate
from qadocs.core.options import REGISTRY_NAME, Options
from qadocs.core.registry.lives_on import answer_lines
from qadocs.core.text import words

ATTENTION = [
    "注意力机制让模型按相关程度加权汇总信息。",
    "查询与键的点积决定每个值的权重大小。",
    "多头注意力在不同子空间里并行计算。",
]
SCALING = [
    "缩放因子是键向量维度的平方根倒数。",
    "不缩放时点积过大会让 softmax 饱和。",
    "饱和后梯度很小，训练会变慢很多。",
]
RESIDUAL = ["残差连接把输入直接加到层的输出上。", "它让很深的网络也能顺利地训练。"]
DROPOUT = [
    "训练时随机把一部分神经元的输出置零。",
    "推理时不丢弃，但要按保留概率缩放。",
    "它相当于对很多子网络做集成平均。",
]


def _write(root: Path, files: dict[str, list[tuple[str, list[str]]]]) -> Options:
    for name, questions in files.items():
        text = "# 题库\n\n" + "".join(
            f"## {n}. {title}\n\n" + "\n".join(lines) + "\n\n" for n, (title, lines) in enumerate(questions, 1)
        )
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / name).write_text(text, encoding="utf-8")
    (root / "imgs").mkdir(exist_ok=True)
    return Options(root, root / "content", root / "imgs")


def _urls(root: Path, opts: Options) -> dict[str, str]:
    """Build; title -> URL of its question page."""
    result = generate(opts, root / "out")
    return {str(q["title"]): str(q["url"]) for q in result.plan.questions}


def _lands(root: Path, url: str) -> tuple[str, list[str]]:
    _, title, notices = land_generated(root / "out", url)
    return title, notices


def test_two_questions_merged_into_one_forward_to_it(tmp_path: Path) -> None:
    opts = _write(
        tmp_path,
        {"a.md": [("什么是注意力？", ATTENTION), ("为什么要缩放点积？", SCALING), ("Dropout 做什么？", DROPOUT)]},
    )
    first = _urls(tmp_path, opts)
    (tmp_path / "content" / "a.md").unlink()
    _write(tmp_path, {"a.md": [("什么是注意力？", [*ATTENTION, "其中：", *SCALING]), ("Dropout 做什么？", DROPOUT)]})
    result = generate(opts, tmp_path / "out")
    assert [c.kind for c in result.plan.changes] == ["merged"]
    title, notices = _lands(tmp_path, first["为什么要缩放点积？"])
    assert title == "什么是注意力？" and not any(words.DELETED_LINK in n for n in notices)
    registry = (tmp_path / "content" / REGISTRY_NAME).read_text(encoding="utf-8")
    assert "deleted: []" in registry  # the URL is the merged question's former one now


def test_a_question_copied_then_deleted_forwards_to_its_copy(tmp_path: Path) -> None:
    opts = _write(tmp_path, {"a.md": [("为什么要缩放点积？", SCALING), ("Dropout 做什么？", DROPOUT)]})
    first = _urls(tmp_path, opts)
    # release 1: copied to another file, with a line added: a page of its own
    _write(
        tmp_path,
        {"b.md": [("点积为什么要缩放？", [*SCALING, "这是面试里的高频追问。"]), ("什么是注意力？", ATTENTION)]},
    )
    second = _urls(tmp_path, opts)
    assert second["点积为什么要缩放？"] != first["为什么要缩放点积？"]
    # release 2: deleted from the first file
    _write(tmp_path, {"a.md": [("Dropout 做什么？", DROPOUT)]})
    _urls(tmp_path, opts)
    title, notices = _lands(tmp_path, first["为什么要缩放点积？"])
    assert title == "点积为什么要缩放？" and not any(words.DELETED_LINK in n for n in notices)


def test_a_question_really_deleted_says_so(tmp_path: Path) -> None:
    shared = "参考资料：见本仓库的延伸阅读列表。"  # a line every answer ends with says nothing
    opts = _write(
        tmp_path,
        {"a.md": [(f"问题{k}？", [f"第{k}题独有的一段较长的回答内容。", shared]) for k in range(6)]},
    )
    first = _urls(tmp_path, opts)
    _write(tmp_path, {"a.md": [(f"问题{k}？", [f"第{k}题独有的一段较长的回答内容。", shared]) for k in range(1, 6)]})
    result = generate(opts, tmp_path / "out")
    assert [c.kind for c in result.plan.changes] == ["deleted"]
    _, notices = _lands(tmp_path, first["问题0？"])
    assert any(words.DELETED_LINK in n for n in notices)


def test_titles_are_compared_folded(tmp_path: Path) -> None:
    """Widths, punctuation and spaces, and simplified → traditional, with the answers rewritten
    (so only the title can tell): every URL kept."""
    opts = _write(
        tmp_path,
        {
            "a.md": [
                ("什么是LoRA？", ["低秩适配只训练两个小矩阵。"]),
                ("扩散模型与过拟合", ["扩散模型逐步去噪生成样本。"]),
            ]
        },
    )
    first = _urls(tmp_path, opts)
    _write(
        tmp_path,
        {
            "a.md": [
                ("什么是 ＬｏＲＡ?", ["只訓練兩個小矩陣，凍結原權重。"]),
                ("擴散模型與過擬合", ["擴散模型逐步去噪，生成樣本。"]),
            ]
        },
    )
    second = _urls(tmp_path, opts)
    assert sorted(second.values()) == sorted(first.values())


def test_the_sketch_keeps_few_lines_and_skips_short_ones() -> None:
    sketch, lines = answer_lines("\n".join([*ATTENTION, *SCALING, *DROPOUT, "```", "", "---", "短"]))
    assert len(lines) == 9 and len(sketch.split()) == 8 and set(sketch.split()) <= lines
    assert answer_lines("  注意力机制让模型按相关程度加权汇总信息。 ")[1] <= answer_lines("\n".join(ATTENTION))[1]


def test_a_deleted_question_of_a_gone_file_goes_where_the_file_went(tmp_path: Path) -> None:
    """Its file deleted, its other questions moved on to another file: the notice forwards to
    that file's page (where the file's own former URL goes), not to the home page."""
    opts = _write(
        tmp_path,
        {
            "题库/a.md": [("为什么要缩放点积？", SCALING), ("Dropout 做什么？", DROPOUT)],
            "题库/b.md": [("什么是注意力？", ATTENTION), ("什么是残差连接？", RESIDUAL)],
        },
    )
    first = _urls(tmp_path, opts)
    (tmp_path / "content" / "题库" / "a.md").unlink()
    _write(
        tmp_path,
        {"题库/b.md": [("什么是注意力？", ATTENTION), ("什么是残差连接？", RESIDUAL), ("Dropout 做什么？", DROPOUT)]},
    )
    result = generate(opts, tmp_path / "out")
    assert sorted(c.kind for c in result.plan.changes) == ["deleted", "moved"]
    final, title, notices = land_generated(tmp_path / "out", first["为什么要缩放点积？"])
    b_page = next(str(q["source_url"]) for q in result.plan.questions if q["source"] == "题库/b.md")
    assert any(words.DELETED_LINK in n for n in notices) and final == b_page, (final, title)


POINTER = ["智能指针用对象管理动态分配的内存。", "离开作用域时它会自动释放所管理的资源。"]
VIRTUAL = ["虚指针指向对象所属类的虚函数表。", "调用虚函数时通过它找到实际要执行的函数。"]


def test_titles_only_somewhat_alike_need_answers_that_meet(tmp_path: Path) -> None:
    """A short question replaced by a longer one holding its answer, and a new question whose
    title is as alike as a typo fix but whose answer is another: the old URL goes with the answer."""
    opts = _write(tmp_path, {"a.md": [("什么是智能指针？", POINTER), ("Dropout 做什么？", DROPOUT)]})
    first = _urls(tmp_path, opts)
    long_title = "什么是智能指针，它的作用有哪些，智能指针有什么缺点？"
    _write(
        tmp_path,
        {
            "a.md": [
                (long_title, [*POINTER, "缺点是循环引用时无法释放。"]),
                ("什么是虚指针？", VIRTUAL),
                ("Dropout 做什么？", DROPOUT),
            ]
        },
    )
    _urls(tmp_path, opts)
    assert _lands(tmp_path, first["什么是智能指针？"])[0] == long_title


def test_titles_of_no_letters_say_nothing(tmp_path: Path) -> None:
    """Two titles of punctuation alone fold to nothing: a deleted one does not live on in the other."""
    opts = _write(tmp_path, {"a.md": [("Dropout 做什么？", DROPOUT), ("？？？", ["一个谜题的答案，写得很长很长。"])]})
    first = _urls(tmp_path, opts)
    _write(tmp_path, {"a.md": [("Dropout 做什么？", DROPOUT), ("！！", ["另一道题的回答，与它毫无关系。"])]})
    result = generate(opts, tmp_path / "out")
    assert sorted(c.kind for c in result.plan.changes) == ["deleted", "new"]
    _, notices = _lands(tmp_path, first["？？？"])
    assert any(words.DELETED_LINK in n for n in notices)


def test_short_titles_that_only_sound_alike_are_two_questions(tmp_path: Path) -> None:
    """`什么是栈？` and `什么是站？` read alike in pinyin: a short title's sound names nothing, so
    the new question gets a URL of its own and the deleted one says so."""
    stack = ["栈是后进先出的线性数据结构。", "只能在栈顶压入和弹出元素。"]
    opts = _write(tmp_path, {"a.md": [("什么是栈？", stack), ("Dropout 做什么？", DROPOUT)]})
    first = _urls(tmp_path, opts)
    station = ["站点是网络中提供服务的节点。", "每个站点有自己的地址和端口。"]
    _write(tmp_path, {"a.md": [("什么是站？", station), ("Dropout 做什么？", DROPOUT)]})
    second = _urls(tmp_path, opts)
    assert second["什么是站？"] != first["什么是栈？"]
    assert any(words.DELETED_LINK in n for n in _lands(tmp_path, first["什么是栈？"])[1])
