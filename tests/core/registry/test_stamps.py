"""Stamped ids (`qadocs stamp`) through the command line and `generate()`: a collection of several
files, chapters, bold questions and a folder of one-question files is stamped, then edited in
each way that defeats matching by title and answer (retitled and rewritten, moved to another
folder and edited, converted from simplified to traditional characters, the registry lost):
every question keeps its URL. Unstamped, the same edits lose URLs (the control). Stamps change
nothing a reader sees, on the site or on GitHub (cmark-gfm), and untrusted stamps are checked."""

from __future__ import annotations

import re
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options as CmarkOptions

from qadocs.cli import main
from qadocs.core.build import generate
from qadocs.core.options import REGISTRY_NAME, Options
from qadocs.core.split.questions import split_source

FILES = {
    "甲/机器学习.md": (
        "# 机器学习\n\n## 第一章 基础\n\n### 1. 什么是过拟合？\n\n过拟合是模型在训练数据上学得太细。\n\n"
        "### 2. 为什么要归一化？\n\n归一化让各特征的数值范围一致。\n\n## 第二章 深度学习\n\n"
        "### 3. 什么是梯度消失？\n\n梯度消失是反向传播中梯度越来越小。\n\n"
        "### 4. 什么是注意力机制？\n\n注意力机制为输入的各个部分分配权重。\n"
    ),
    "乙/数据库.md": (
        "# 数据库\n\n**1. 什么是索引？**\n\n索引是帮助快速查找数据的结构。\n\n"
        "**2. 什么是事务？**\n\n事务是一组要么都成功要么都失败的操作。\n\n"
        "**3. 什么是死锁？**\n\n死锁是两个事务互相等待对方的锁。\n"
    ),
    "丙/消息队列/README.md": (
        "# 消息队列\n\n- [为什么使用消息队列？](./为什么使用消息队列.md)\n"
        "- [如何保证消息不被重复消费？](./消息不重复消费.md)\n"
    ),
    "丙/消息队列/为什么使用消息队列.md": (
        "# 为什么使用消息队列？\n\n## 面试题\n\n为什么要用消息队列？有什么好处？\n\n"
        "## 分析\n\n面试官想知道你是否清楚引入一个组件的代价。\n\n## 解答\n\n消息队列用来解耦、异步和削峰。\n"
    ),
    "丙/消息队列/消息不重复消费.md": (
        "# 如何保证消息不被重复消费？\n\n## 面试题\n\n如何保证消息不被重复消费？\n\n"
        "## 分析\n\n这是在问幂等性。\n\n## 解答\n\n给每条消息一个唯一编号，消费前先查是否处理过。\n"
    ),
}
QUESTIONS = 9

# A hand-made simplified → traditional mapping of the characters of FILES that differ.
TRADITIONAL = str.maketrans(
    "机学习础么过拟练数据为归让围梯传来注输个权库帮构务组败两对锁队处问证费题试处产调复样长统层经网络这关给编号查",
    "機學習礎麼過擬練數據為歸讓圍梯傳來註輸個權庫幫構務組敗兩對鎖隊處問證費題試處產調復樣長統層經網絡這關給編號查",
)

# Retitled and rewritten at once: (file, old title, new title, old answer, new answer).
REWRITES = [
    (
        "甲/机器学习.md",
        "什么是过拟合？",
        "模型为何在新数据上表现变差？",
        "过拟合是模型在训练数据上学得太细。",
        "因为它记住了训练集的噪声。",
    ),
    (
        "乙/数据库.md",
        "什么是事务？",
        "ACID 指的是哪四个性质？",
        "事务是一组要么都成功要么都失败的操作。",
        "原子性、一致性、隔离性、持久性。",
    ),
    (
        "丙/消息队列/为什么使用消息队列.md",
        "为什么使用消息队列？",
        "引入 MQ 的理由有哪些？",
        "消息队列用来解耦、异步和削峰。",
        "系统之间少了直接调用，高峰时可以排队。",
    ),
]


def _collection(root: Path) -> Options:
    for rel, text in FILES.items():
        (root / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / rel).write_text(text, "utf-8")
    (root / "imgs").mkdir()
    return Options(root, root / "content", root / "imgs")


def _stamp(root: Path, *more: str) -> int:
    return main(["stamp", "--root", str(root), "--content", "content", *more])


def _urls(opts: Options) -> dict[str, str]:
    """title -> URL of every question page of a build (which writes the registry)."""
    result = generate(opts, opts.repo_root / "out")
    return {q["title"]: q["url"] for q in result.plan.questions}


def _edit(opts: Options, rel: str, old: str, new: str) -> None:
    path = opts.content_dir / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def _rewrite(opts: Options) -> dict[str, str]:
    """Retitle and rewrite the answers of REWRITES; new title -> old title."""
    for rel, title, new_title, answer, new_answer in REWRITES:
        _edit(opts, rel, title, new_title)
        _edit(opts, rel, answer, new_answer)
    return {new: old for _, old, new, _, _ in REWRITES}


def _move(opts: Options) -> dict[str, str]:
    """Move question 4 to a new file in a new folder, retitled and with its answer edited."""
    path = opts.content_dir / "甲/机器学习.md"
    text = path.read_text("utf-8")
    at = text.index("### ", text.index("什么是梯度消失？"))
    path.write_text(text[:at].rstrip("\n") + "\n", "utf-8")
    moved = text[at:].replace("什么是注意力机制？", "注意力机制是什么？").replace("分配权重", "分配不同的权重")
    target = opts.content_dir / "丁/模型/注意力.md"
    target.parent.mkdir(parents=True)
    first = moved.replace("### 4. ", "## 1. ").replace("### <a", "## <a")
    target.write_text(
        f"# 注意力\n\n{first}\n## 2. 什么是自注意力？\n\n自注意力让序列的每个位置看到其他位置。\n", "utf-8"
    )
    return {"注意力机制是什么？": "什么是注意力机制？"}


def _convert(opts: Options) -> dict[str, str]:
    """Every source converted to traditional characters; new title -> old title."""
    for path in opts.content_dir.rglob("*.md"):
        path.write_text(path.read_text("utf-8").translate(TRADITIONAL), "utf-8")
    titles = [q.title for rel, text in FILES.items() for q in split_source(rel, text).questions]
    return {t.translate(TRADITIONAL): t for t in titles}


def _lose_registry(opts: Options) -> dict[str, str]:
    """Retitle and rewrite some questions (built with the registry), then lose the registry."""
    renamed = _rewrite(opts)
    _urls(opts)
    (opts.content_dir / REGISTRY_NAME).unlink()
    return renamed


EDITS = {"rewrite": _rewrite, "move": _move, "convert": _convert, "lost-registry": _lose_registry}


@pytest.mark.parametrize("edit", list(EDITS))
def test_stamped_questions_keep_every_url(tmp_path: Path, edit: str) -> None:
    opts = _collection(tmp_path)
    assert _stamp(tmp_path) == 0
    before = _urls(opts)
    assert len(before) == QUESTIONS
    renamed = EDITS[edit](opts)
    assert set(renamed) - {t for t in renamed if renamed[t] == t}, "the edit changes titles"
    after = {renamed.get(title, title): url for title, url in _urls(opts).items()}
    assert {title: after.get(title) for title in before} == before  # 100 % of the URLs kept


@pytest.mark.parametrize("edit", ["rewrite", "move", "convert", "lost-registry"])
def test_unstamped_the_same_edits_lose_urls(tmp_path: Path, edit: str) -> None:
    """The control: without stamps, matching by title and answer cannot follow these edits."""
    opts = _collection(tmp_path)
    before = _urls(opts)
    renamed = EDITS[edit](opts)
    after = {renamed.get(title, title): url for title, url in _urls(opts).items()}
    assert len(after) >= QUESTIONS
    assert {title: after.get(title) for title in before} != before


def test_stamp_changes_only_heading_lines_and_is_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    opts = _collection(tmp_path)
    crlf = opts.content_dir / "乙/数据库.md"
    crlf.write_bytes(b"\xef\xbb\xbf" + crlf.read_bytes().replace(b"\n", b"\r\n"))
    originals = {p: p.read_bytes() for p in opts.content_dir.rglob("*.md")}
    assert _stamp(tmp_path, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would stamp 9 questions in 4 files" in out and "乙/数据库.md:3: q-" in out
    assert {p: p.read_bytes() for p in originals} == originals and not (opts.content_dir / REGISTRY_NAME).exists()
    assert _stamp(tmp_path) == 0
    assert "stamped 9 questions in 4 files" in capsys.readouterr().out
    registry = (opts.content_dir / REGISTRY_NAME).read_text("utf-8")
    ids = re.findall(r"^- id: (\S+)$", registry, re.MULTILINE)
    assert len(ids) == QUESTIONS
    for path, old in originals.items():
        new = path.read_bytes()
        assert new.count(b"\r\n") == old.count(b"\r\n") and new.startswith(b"\xef\xbb\xbf") == (path == crlf)
        added = [line for line in new.decode("utf-8").splitlines() if line not in old.decode("utf-8").splitlines()]
        assert all(re.search(r'<a id="q-([a-z0-9-]+)"></a>', line).group(1) in ids for line in added)  # type: ignore[union-attr]
        assert re.sub(r'<a id="q-[a-z0-9-]+"></a>', "", new.decode("utf-8")) == old.decode("utf-8")
    stamped = {p: p.read_bytes() for p in originals}
    assert _stamp(tmp_path) == 0
    assert "stamped 0 questions in 0 files" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in originals} == stamped
    assert (opts.content_dir / REGISTRY_NAME).read_text("utf-8") == registry


def test_stamped_site_is_the_unstamped_one_and_stamps_resolve(tmp_path: Path) -> None:
    plain, stamped = _collection(tmp_path / "a"), _collection(tmp_path / "b")
    _stamp(tmp_path / "b")
    heading = next(
        line for line in (stamped.content_dir / "甲/机器学习.md").open(encoding="utf-8") if "过拟合？" in line
    )
    qid = re.search(r'id="q-([a-z0-9-]+)"', heading).group(1)  # type: ignore[union-attr]
    (stamped.content_dir / "index-links.md").write_text(f"# 链接\n\n[过拟合](甲/机器学习.md#q-{qid})\n")
    (plain.content_dir / "index-links.md").write_text("# 链接\n\n[过拟合](甲/机器学习.md#1-什么是过拟合)\n")
    a, b = generate(plain, plain.repo_root / "out"), generate(stamped, stamped.repo_root / "out")
    assert [d.code for d in b.diagnostics] == [d.code for d in a.diagnostics]
    assert a.plan.files.keys() == b.plan.files.keys()
    unstamp = re.compile(r"\"q-?[a-z0-9-]+\": \"[^\"]*\",? ?|\n *- q-[a-z0-9-]+|,\s*\"q-[a-z0-9-]+\"(?=\s*[,\]])")
    differ = [p for p in a.plan.files if a.plan.files[p] != b.plan.files[p]]
    assert differ  # each stamped page lists its `q-ID` anchor
    for path in differ:
        assert unstamp.sub("", b.plan.files[path]) == unstamp.sub("", a.plan.files[path]), path
    by_title = {q["title"]: q for q in b.plan.questions}
    assert f"q-{qid}" in by_title["什么是过拟合？"]["anchors"] and by_title["什么是过拟合？"]["id"] == qid
    links = [text for text in b.plan.files.values() if "[过拟合](" in text]
    assert len(links) == 1 and f"{by_title['什么是过拟合？']['url'].strip('/')}/index.md>" in links[0]


def _github_text(markdown: str) -> str:
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=CmarkOptions.CMARK_OPT_UNSAFE)
    return re.sub(r"<[^>]*>", "", html)


def test_stamped_headings_read_the_same_on_github(tmp_path: Path) -> None:
    opts = _collection(tmp_path)
    originals = {p: p.read_text("utf-8") for p in opts.content_dir.rglob("*.md")}
    _stamp(tmp_path)
    for path, old in originals.items():
        new = path.read_text("utf-8")
        assert _github_text(new) == _github_text(old), path
        assert new.count("<a id=") == sum(q.stamp is not None for q in split_source("x.md", new).questions)


def test_untrusted_stamps_are_checked(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "imgs").mkdir()
    (tmp_path / "content" / "a.md").write_text(
        "# 甲\n\n## <a id=\"q-Bad_Id\"></a>什么是甲？\n\n甲。\n\n## <a name='q-same' ></a>什么是乙？\n\n乙。\n\n"
        '## <a id="q-same"></a>什么是丙？\n\n丙。\n\n## `<a id="q-code"></a>` 什么是丁？\n\n丁。\n',
        "utf-8",
    )
    opts = Options(tmp_path, tmp_path / "content", tmp_path / "imgs")
    result = generate(opts, tmp_path / "out")
    found = {(d.code, d.line) for d in result.diagnostics if d.code.startswith("stamp-")}
    assert found == {("stamp-invalid", 3), ("stamp-duplicate", 7), ("stamp-duplicate", 11)}
    message = next(d.message for d in result.diagnostics if d.code == "stamp-duplicate" and d.line == 11)
    assert "a.md:7" in message
    urls = {q["title"]: q["url"] for q in result.plan.questions}
    assert not urls["什么是乙？"].endswith("/same/") and not urls["什么是丙？"].endswith("/same/")
    assert "bad" not in urls["什么是甲？"] and not urls['<a id="q-code"></a> 什么是丁？'].endswith("/code/")


def test_a_file_with_nul_bytes_is_not_stamped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The reader drops NUL bytes: a stamp written before one that starts a heading line would
    make the line no heading, and the question would lose its page."""
    opts = _collection(tmp_path)
    path = opts.content_dir / "甲/机器学习.md"
    data = path.read_bytes().replace(b"### 2.", b"\x00### 2.")
    path.write_bytes(data)
    before = _urls(opts)
    assert _stamp(tmp_path) == 0
    assert "甲/机器学习.md:1:1: warning stamp-skipped contains NUL bytes" in capsys.readouterr().err
    assert path.read_bytes() == data
    assert _urls(opts) == before


def test_nothing_is_stamped_while_the_registry_has_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Ids handed out past a broken entry would last in the content; stamping waits for a fix."""
    opts = _collection(tmp_path)
    _urls(opts)
    registry = opts.content_dir / REGISTRY_NAME
    text = registry.read_text("utf-8")
    url = re.search(r"^  url: (\S+)$", text, re.MULTILINE).group(1)  # type: ignore[union-attr]
    registry.write_text(text.replace(f"  url: {url}\n", f"  url: {url.upper()}\n", 1), "utf-8")
    originals = {p: p.read_bytes() for p in opts.content_dir.rglob("*.*")}
    assert _stamp(tmp_path) == 1
    err = capsys.readouterr().err
    assert "registry-bad-url" in err and "nothing was stamped" in err
    assert {p: p.read_bytes() for p in opts.content_dir.rglob("*.*")} == originals
    assert _stamp(tmp_path, "--dry-run") == 1  # a dry run still lists what it would stamp
    assert "would stamp" in capsys.readouterr().out


def test_a_heading_copied_with_its_stamp_takes_no_url(tmp_path: Path) -> None:
    """A stamped heading copied as the start of a new question, into a file read first: neither
    copy of the stamp counts, so the question it was made for keeps its URL by title and answer
    and the new one gets its own (never by the order files are read in)."""
    opts = _collection(tmp_path)
    assert _stamp(tmp_path) == 0
    before = _urls(opts)
    heading = next(
        line
        for line in (opts.content_dir / "甲/机器学习.md").read_text("utf-8").splitlines()
        if "什么是过拟合？" in line
    )
    copy = heading.replace("什么是过拟合？", "什么是正则化？").replace("### 1.", "## 1.")
    (opts.content_dir / "0.md").write_text(
        f"# 零\n\n{copy}\n\n正则化给损失加上惩罚项。\n\n## 2. 什么是早停？\n\n验证集变差时停止训练。\n", "utf-8"
    )
    after = _urls(opts)
    assert {title: after[title] for title in before} == before
    assert after["什么是正则化？"] not in before.values()
