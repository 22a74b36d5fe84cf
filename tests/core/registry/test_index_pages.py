"""Index pages (sections, sources, chapters) keep their URLs: after a file is renamed, a folder
renamed or a file's chapters renumbered, every URL of the first generation, index page or
question, lands on the right page of the second (the page itself, or a redirect page whose target
is it). Pages whose content is gone forward to the page above them; bad `pages:` records in the
registry are reported at their line and leave question URLs alone."""

from __future__ import annotations

import html
import json
import re
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from qadocs.core.build import generate
from qadocs.core.errors import ContentError
from qadocs.core.options import REGISTRY_NAME
from qadocs.core.plan.site import Options
from qadocs.core.registry.index_match import Dirs, IndexMatch, chapter_number, settle_pages
from qadocs.core.registry.index_pages import PageRecord
from qadocs.core.registry.records import Registry

REFRESH_RE = re.compile(r'http-equiv="refresh" content="\d+; url=([^"]+)"')
INDEX_KINDS = ("section", "source", "chapter")


def _source(title: str, chapters: list[tuple[str, list[str]]]) -> str:
    lines = [f"# {title}", ""]
    n = 0
    for chapter, questions in chapters:
        lines += [f"## {chapter}", ""]
        for q in questions:
            n += 1
            lines += [f"### {n}.{q}", "", f"{q}的答案：一段独有的解释文字。", ""]
    return "\n".join(lines)


FILES = {
    "模型基础/扩散模型.md": _source(
        "扩散模型",
        [
            ("第一章：原理", ["什么是扩散模型？", "什么是前向过程？"]),
            ("第二章：采样", ["什么是DDIM采样？", "什么是无分类器引导？"]),
        ],
    ),
    "模型基础/注意力.md": _source("注意力机制", [("1. 基本概念", ["什么是自注意力？", "什么是多头注意力？"])]),
    "模型基础/进阶/训练.md": _source("训练技巧", [("第一部分：微调", ["什么是LoRA？", "什么是全参数微调？"])]),
    "应用/视频生成.md": _source("视频生成", [("第一章：模型", ["Sora是如何工作的？", "什么是时空补丁？"])]),
}


def _build(root: Path) -> dict[str, tuple[str, str]]:
    """Generate `root`'s content into root/out; every page's URL -> (kind, title)."""
    out = root / "out"
    generate(Options(root, root / "content", root / "imgs"), out)
    pages: dict[str, tuple[str, str]] = {}
    for page in out.rglob("index.md"):
        meta = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n", 2)[1])
        url = page.parent.relative_to(out).as_posix()
        pages["" if url == "." else url] = (str(meta.get("kind", "question")), html.unescape(str(meta["title"])))
    return pages


def _land(out: Path, url: str) -> tuple[str, tuple[str, str] | None]:
    """Follow `url` through redirect pages: (final URL, path of its index.md or None)."""
    for _ in range(5):
        where = out / url
        if (where / "index.md").is_file():
            return url, (str(where / "index.md"), url)
        redirect = where / "index.html"
        assert redirect.is_file(), f"/{url}/ has no page in the second generation"
        target = REFRESH_RE.search(redirect.read_text(encoding="utf-8"))
        assert target is not None, f"/{url}/: no redirect"
        url = (Path("/", url) / html.unescape(target.group(1))).resolve().as_posix().strip("/")
    raise AssertionError(f"/{url}/: redirect loop")


def _site(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for path, text in FILES.items():
        (root / "content" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / path).write_text(text, encoding="utf-8")
    (root / "imgs").mkdir()
    return root


def _all_land(root: Path, edit: Callable[[Path], None], retitle: Callable[[str], str] = lambda t: t) -> None:
    """Build, edit, build again: every URL of the first build reaches a page of the same kind
    and the expected title (`retitle` of the former title)."""
    first = _build(root)
    assert sum(kind in INDEX_KINDS for kind, _ in first.values()) == 12
    edit(root / "content")
    second = _build(root)
    wrong = []
    for url, (kind, title) in first.items():
        final, _ = _land(root / "out", url)
        if second.get(final) != (kind, retitle(title)):
            wrong.append(f"/{url}/ ({kind} {title}) -> /{final}/ {second.get(final)}")
    assert wrong == []


def test_renamed_file_keeps_every_url(tmp_path: Path) -> None:
    def edit(content: Path) -> None:
        (content / "模型基础/扩散模型.md").rename(content / "模型基础/diffusion.md")

    _all_land(_site(tmp_path), edit)


def test_renamed_folder_keeps_every_url(tmp_path: Path) -> None:
    def edit(content: Path) -> None:
        (content / "模型基础").rename(content / "基础模型")

    _all_land(
        _site(tmp_path), edit, lambda title: "基础模型" if title == "模型基础" else title
    )  # a section is titled by its folder


def test_renumbered_chapters_keep_every_url(tmp_path: Path) -> None:
    renumber = {"第一章：原理": "第二章：原理", "第二章：采样": "第三章：采样", "1. 基本概念": "2. 基本概念"}

    def edit(content: Path) -> None:
        for name in ("扩散模型.md", "注意力.md"):
            path = content / "模型基础" / name
            text = path.read_text(encoding="utf-8")
            for old, new in renumber.items():
                text = text.replace(f"## {old}\n", f"## {new}\n")
            path.write_text(text, encoding="utf-8")

    _all_land(_site(tmp_path), edit, lambda title: renumber.get(title, title))


def test_renamed_and_retitled_file_is_found_by_its_questions(tmp_path: Path) -> None:
    root = _site(tmp_path)
    first = _build(root)
    path = root / "content/应用/视频生成.md"
    path.write_text(path.read_text(encoding="utf-8").replace("# 视频生成", "# 视频生成模型"), encoding="utf-8")
    path.rename(root / "content/应用/video.md")
    second = _build(root)
    [old_url] = [url for url, page in first.items() if page == ("source", "视频生成")]
    assert second[old_url] == ("source", "视频生成模型")  # the same URL, no redirect needed


def test_gone_pages_forward_to_the_page_above(tmp_path: Path) -> None:
    root = _site(tmp_path)
    first = _build(root)
    shutil.rmtree(root / "content/模型基础/进阶")  # a section with its source and chapter
    (root / "content/应用/视频生成.md").unlink()  # the only source of a top section
    second = _build(root)
    above = {
        "训练技巧": "模型基础",
        "第一部分：微调": "模型基础",
        "进阶": "模型基础",
        "视频生成": "首页",
        "第一章：模型": "首页",
    }
    for url, (kind, title) in first.items():
        if kind in INDEX_KINDS and title in above:
            final, _ = _land(root / "out", url)
            assert final != url and second[final][1] in (above[title], "题库目录"), (url, final)
    registry = yaml.safe_load((root / "content" / REGISTRY_NAME).read_text(encoding="utf-8"))
    again = _build(root)  # the records left behind change nothing on the next build
    assert yaml.safe_load((root / "content" / REGISTRY_NAME).read_text(encoding="utf-8")) == registry
    assert again == second


def test_old_anchor_of_a_merged_source_reaches_its_question(tmp_path: Path) -> None:
    root = _site(tmp_path)
    first = _build(root)
    [old_url] = [url for url, page in first.items() if page == ("source", "注意力机制")]
    gone = root / "content/模型基础/注意力.md"
    into = root / "content/模型基础/扩散模型.md"
    merged = gone.read_text(encoding="utf-8").split("\n", 2)[2]  # its chapter and questions, not its title
    into.write_text(into.read_text(encoding="utf-8") + merged, encoding="utf-8")
    gone.unlink()
    second = _build(root)
    final, _ = _land(root / "out", old_url)
    assert second[final] == ("source", "扩散模型")  # where its questions are now, not only its section
    redirect = (root / "out" / old_url / "index.html").read_text(encoding="utf-8")
    assert "+ location.hash" in redirect  # `#1什么是自注意力` goes along to that page
    anchors = json.loads((root / "out" / final / "anchors.json").read_text(encoding="utf-8"))
    target = anchors["exact"]["1什么是自注意力"]  # GitHub's anchor: the page forwards it to the question
    assert second[(Path("/", final) / target).resolve().as_posix().strip("/")] == ("question", "什么是自注意力？")


def test_a_split_file_keeps_its_url_in_the_part_holding_most_of_it(tmp_path: Path) -> None:
    """A file split in two, the smaller part's name sorting first: the file's URL goes with the
    larger part, not with the first name."""
    root = tmp_path / "repo"
    (root / "imgs").mkdir(parents=True)
    (root / "content" / "题库").mkdir(parents=True)
    titles = ["什么是扩散模型？", "什么是前向过程？", "什么是DDIM采样？", "什么是无分类器引导？", "什么是潜空间？"]
    (root / "content/题库/总览.md").write_text(_source("总览", [("第一章：全部", titles)]), encoding="utf-8")
    first = _build(root)
    [old_url] = [url for url, page in first.items() if page == ("source", "总览")]
    (root / "content/题库/总览.md").unlink()
    (root / "content/题库/B小.md").write_text(_source("B小", [("第一章：前", titles[:2])]), encoding="utf-8")
    (root / "content/题库/Z大.md").write_text(_source("Z大", [("第一章：后", titles[2:])]), encoding="utf-8")
    second = _build(root)
    final, _ = _land(root / "out", old_url)
    assert second[final] == ("source", "Z大")


def test_bad_page_records_are_reported_at_their_line(tmp_path: Path) -> None:
    root = _site(tmp_path)
    first = _build(root)
    path = root / "content" / REGISTRY_NAME
    text = path.read_text(encoding="utf-8")
    question_url = text.split("\n  url: ", 1)[1].split("\n", 1)[0]
    bad = [
        "- kind: nothing\n  url: x\n  folder: y",
        "- kind: section\n  url: ../../etc\n  folder: 模型基础",
        f"- kind: section\n  url: {question_url}\n  folder: 模型基础",
        "- just text",
        "- kind: source\n  url: a-b\n  source: [1, 2]\n  title: t",
    ]
    start = text.count("\n") + 1
    text += "".join(b + "\n" for b in bad) if "pages:\n" in text else ""
    path.write_text(text, encoding="utf-8")
    lines = [start + sum(b.count("\n") + 1 for b in bad[:i]) for i in range(len(bad))]
    opts = Options(root, root / "content", root / "imgs")
    with pytest.raises(ContentError) as stopped:  # a URL two records hold: which page was published there?
        generate(opts, root / "out")
    assert (stopped.value.diagnostic.code, stopped.value.diagnostic.line) == ("registry-shared-url", lines[2])
    result = generate(opts, None)  # a check reports every record at its line and goes on
    found = [
        (d.path, d.line, d.code) for d in result.diagnostics if d.code in ("registry-bad-page", "registry-shared-url")
    ]
    codes = ["registry-bad-page"] * 2 + ["registry-shared-url"] + ["registry-bad-page"] * 2
    assert found == [(REGISTRY_NAME, line, code) for line, code in zip(lines, codes, strict=True)]
    assert {q["url"] for q in result.plan.questions} == {"/" + u + "/" for u, p in first.items() if p[0] == "question"}
    assert path.read_text(encoding="utf-8") == text  # a registry with errors is left for a person to fix


def test_chapter_number() -> None:
    assert chapter_number("第二章：采样") == ("第二章", "采样")
    assert chapter_number("2.1 采样") == ("2.1", "采样")
    assert chapter_number("（3）采样") == ("3", "采样")
    assert chapter_number("1.5倍速") == (None, "1.5倍速")
    assert chapter_number("采样") == (None, "采样")


@contextmanager
def _within(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging) when the block runs longer than `seconds`."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_gone_records_with_odd_paths_forward_without_hanging(tmp_path: Path) -> None:
    root = _site(tmp_path)
    _build(root)
    path = root / "content" / REGISTRY_NAME
    odd = {
        "gone-absolute": "/x.md",  # an absolute path: `posixpath.dirname('/')` is '/' again
        "gone-deep": "模型基础/" + "a/" * 20_000 + "x.md",  # deep: each folder above it looked up once
    }
    records = "".join(f"- url: {url}\n  kind: source\n  source: {src}\n  title: t\n" for url, src in odd.items())
    path.write_text(path.read_text(encoding="utf-8").replace("\npages:\n", "\npages:\n" + records), encoding="utf-8")
    with _within(20):
        result = generate(Options(root, root / "content", root / "imgs"), root / "out")
    assert not [d for d in result.diagnostics if d.severity == "error"]
    with _within(20):
        second = _build(root)  # a second build over the registry it left finishes too
    [section] = [url for url, page in second.items() if page == ("section", "模型基础")]
    assert _land(root / "out", "gone-deep")[0] == section
    assert _land(root / "out", "gone-absolute")[0] == ""  # nothing above it: the home page


def test_many_gone_records_forward_to_one_page_in_linear_time() -> None:
    gone = [PageRecord("source", f"sec/gone-{i}", f"sec/gone-{i}.md", "t") for i in range(60_000)]
    with _within(20):  # a list searched per URL took minutes here
        records, redirects, _ = settle_pages(
            [], Dirs({"sec": "sec"}, {}, {}), IndexMatch({}, {}, {}), Registry(pages=gone)
        )
    [section] = [r for r in records if r.kind == "section"]
    assert section.old_urls == [r.url for r in gone] and set(redirects.values()) == {"sec"}
