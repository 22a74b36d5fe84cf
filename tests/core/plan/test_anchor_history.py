"""Old GitHub anchors through `generate()`: every anchor of a first build (`anchors.json` of the
source's page) still leads to the same question, or the same place inside its answer, after the
file is renumbered, a question is moved to another file, or both; a current heading always wins
over a spelling some question had before; the anchor history in the registry is bounded and
checked as untrusted text. The browser side (qadocs.js following the map) is in
tests/e2e/test_anchor_history_browser.py."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import quote, unquote

from qadocs.core.build import generate
from qadocs.core.options import REGISTRY_NAME
from qadocs.core.plan.site import Options
from qadocs.core.registry.history import MAX_ANCHOR, MAX_OLD_ANCHORS
from qadocs.core.text.anchors import loose_key

TITLES = [
    "什么是过拟合？",
    "什么是梯度消失？",
    "Dropout 为什么有效？",
    "BatchNorm 的作用是什么？",
    "什么是学习率预热？",
    "Adam 和 SGD 有什么区别？",
    "什么是残差连接？",
    "注意力机制如何计算？",
    "什么是知识蒸馏？",
    "LoRA 的原理是什么？",
]


def numbered_file(titles: list[str], first: int = 1) -> str:
    """A source of numbered questions from `first` on, written the ways collections write them:
    markdown headings, `<h2 id>` headings, a sub-heading and an `<a name>` inside answers (how
    each question is written depends on which it is, not on its number)."""
    parts = ["# 深度学习\n"]
    for n, title in enumerate(titles, start=first):
        k = TITLES.index(title) if title in TITLES else len(TITLES)
        if k % 3 == 0:
            parts.append(f'<h2 id="{n}.{title}">{n}.{title}</h2>\n\n{title}的答案。\n')
        else:
            parts.append(f"## {n}. {title}\n\n{title}的答案。\n")
        if k % 2 == 0:
            parts.append(f"### {title[:4]}的推导\n\n推导。\n")
        if k % 4 == 1:
            parts.append(f'细节<a name="note-{k}"></a>见下。\n')
    return "\n".join(parts)


def build(root: Path) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Generate; every source page's anchors.json (source dir -> exact map and loose map, keyed
    'exact:' / 'loose:') and each question page's URL -> its title."""
    result = generate(Options(root, root / "content", root / "imgs"), root / "out")
    assert not [d for d in result.diagnostics if d.severity == "error"]
    pages = {str(q["url"]).strip("/"): str(q["title"]) for q in result.plan.questions}
    maps = {}
    for path in sorted((root / "out").rglob("anchors.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        source_dir = path.parent.relative_to(root / "out").as_posix()
        maps[source_dir] = {**{"exact:" + k: v for k, v in data["exact"].items()}}
        maps[source_dir].update({"loose:" + k: v for k, v in data["loose"].items()})
    return maps, pages


def follow(source_dir: str, amap: dict[str, str], fragment: str, pages: dict[str, str]) -> tuple[str, str] | None:
    """Where qadocs.js sends `#fragment` on the source's page: (question title or page dir, the
    decoded anchor inside it), or None when it stays."""
    name = unquote(fragment)
    if name.lower().startswith("user-content-"):
        name = name[len("user-content-") :]
    to = amap.get("exact:" + name) or amap.get("loose:" + loose_key(name))
    if to is None:
        return None
    assert re.fullmatch(r"(\.\./)*[A-Za-z0-9%._/-]*/(#[A-Za-z0-9%._~-]+)?", to) and "//" not in to, to
    path, _, inner = to.partition("#")
    page = posixpath.normpath(posixpath.join(source_dir, path))
    return pages.get(page, page), unquote(inner)


def content(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "imgs").mkdir()
    return tmp_path


def first_build(tmp_path: Path) -> tuple[Path, Path, str, dict[str, str], dict[str, str]]:
    """The sample file built once: (root, the source, its page's dir, its anchor map, the pages)."""
    root = content(tmp_path)
    source = root / "content" / "深度学习.md"
    source.write_text(numbered_file(TITLES), encoding="utf-8")
    first_maps, first_pages = build(root)
    [(source_dir, first_map)] = first_maps.items()
    return root, source, source_dir, first_map, first_pages


def test_every_anchor_of_the_first_build_leads_to_the_same_question_after_renumbering(tmp_path: Path) -> None:
    root, source, source_dir, first_map, first_pages = first_build(tmp_path)
    fragments = [key.split(":", 1)[1] for key in first_map if key.startswith("exact:")]
    fragments += ["user-content-" + f for f in fragments] + [quote(f, safe="") for f in fragments]
    before = {f: follow(source_dir, first_map, f, first_pages) for f in fragments}
    assert all(before.values())
    inner = {f for f, (_, at) in before.items() if at}  # type: ignore[misc]
    assert len(inner) >= 3 * 5, "the sample has anchors inside answers (sub-headings, <a name>)"

    source.write_text(numbered_file(["什么是早停？", *TITLES]), encoding="utf-8")  # every number moves on
    maps, pages = build(root)
    after = {f: follow(source_dir, maps[source_dir], f, pages) for f in fragments}
    lost = {f: (before[f], after[f]) for f in fragments if after[f] != before[f]}
    assert lost == {}, f"{len(lost)} of {len(fragments)} anchors lead elsewhere"
    assert len(fragments) >= 3 * 20

    registry = (root / "content" / REGISTRY_NAME).read_text(encoding="utf-8")
    build(root)  # nothing changed: the registry neither grows nor changes
    assert (root / "content" / REGISTRY_NAME).read_text(encoding="utf-8") == registry


def test_anchors_of_two_renumberings_both_still_lead_to_the_question(tmp_path: Path) -> None:
    root, source, source_dir, first_map, first_pages = first_build(tmp_path)
    source.write_text(numbered_file(TITLES, first=3), encoding="utf-8")
    build(root)
    source.write_text(numbered_file(TITLES, first=7), encoding="utf-8")
    maps, pages = build(root)
    for key in (k.split(":", 1)[1] for k in first_map if k.startswith("exact:")):
        assert follow(source_dir, maps[source_dir], key, pages) == follow(source_dir, first_map, key, first_pages)


def test_a_current_heading_wins_over_a_former_spelling(tmp_path: Path) -> None:
    root = content(tmp_path)
    source = root / "content" / "深度学习.md"
    kept = "什么是过拟合？\n\n训练集好，测试集差。\n\n## 2. 什么是欠拟合？\n\n都差。\n"
    source.write_text("# 深度学习\n\n## 1. " + kept, encoding="utf-8")
    build(root)
    # A second question of the same title comes first: the old `#1-什么是过拟合` is its heading's now.
    source.write_text("# 深度学习\n\n## 1. 什么是过拟合？\n\n另一种说法。\n\n## 2. " + kept, encoding="utf-8")
    maps, pages = build(root)
    [(source_dir, amap)] = maps.items()
    first, second = sorted(p for p in pages if "guo-nihe" in p)  # the kept one keeps its URL, the new gets `-2`
    assert follow(source_dir, amap, "1-什么是过拟合", pages) == ("什么是过拟合？", "")
    assert amap["exact:1-什么是过拟合"].rstrip("/").endswith(second)
    assert amap["exact:2-什么是过拟合"].rstrip("/").endswith(first)
    registry = (root / "content" / REGISTRY_NAME).read_text(encoding="utf-8")
    assert "old_anchors:\n  - 1-什么是过拟合" in registry  # remembered, but not forwarded


def test_a_moved_question_is_found_from_the_file_it_left(tmp_path: Path) -> None:
    root = content(tmp_path)
    a, b = root / "content" / "基础.md", root / "content" / "进阶.md"
    a.write_text(numbered_file(TITLES[:5]).replace("# 深度学习", "# 基础"), encoding="utf-8")
    b.write_text(numbered_file(TITLES[5:]).replace("# 深度学习", "# 进阶"), encoding="utf-8")
    first_maps, first_pages = build(root)
    a_dir = next(d for d, m in first_maps.items() if "exact:2-什么是梯度消失" in m)
    old = follow(a_dir, first_maps[a_dir], "2-什么是梯度消失", first_pages)
    assert old == ("什么是梯度消失？", "")
    # 什么是梯度消失 moves to the end of the other file, which numbers it 6.
    a.write_text(numbered_file([TITLES[0], *TITLES[2:5]]).replace("# 深度学习", "# 基础"), encoding="utf-8")
    b.write_text(numbered_file([*TITLES[5:], TITLES[1]]).replace("# 深度学习", "# 进阶"), encoding="utf-8")
    for _ in range(2):  # the move is remembered: the next build still knows where it came from
        maps, pages = build(root)
        assert follow(a_dir, maps[a_dir], "2-什么是梯度消失", pages) == old
        b_dir = next(d for d in maps if d != a_dir)
        assert follow(b_dir, maps[b_dir], "6-什么是梯度消失", pages) == old
        assert follow(a_dir, maps[a_dir], "2-dropout-为什么有效", pages) == ("Dropout 为什么有效？", "")


def _registry_with(root: Path, replace: tuple[str, str], out: str | None = "out") -> list[tuple[str, str, int]]:
    path = root / "content" / REGISTRY_NAME
    path.write_text(path.read_text(encoding="utf-8").replace(*replace, 1), encoding="utf-8")
    result = generate(Options(root, root / "content", root / "imgs"), root / out if out else None)
    return [(d.code, d.severity, d.line) for d in result.diagnostics if d.code.startswith("registry")]


def test_anchor_history_in_the_registry_is_checked_as_untrusted_text(tmp_path: Path) -> None:
    root = content(tmp_path)
    (root / "content" / "a.md").write_text(
        "# A\n\n## 1. 什么是过拟合？\n\n答。\n\n## 2. 什么是欠拟合？\n\n答。\n", "utf-8"
    )
    build(root)
    path = root / "content" / REGISTRY_NAME
    line = path.read_text(encoding="utf-8").split("\n").index("- id: shenme-shi-guo-nihe") + 1
    many = "".join(f"  - old-{k}\n" for k in range(MAX_OLD_ANCHORS + 5))
    bad = f"  anchor: 1-什么是过拟合\n  old_anchors:\n  - '{'长' * (MAX_ANCHOR + 1)}'\n  - \"a\\u0007b\"\n{many}"
    # dropped with a warning, and the registry written back without them (so it is behind the commit)
    assert _registry_with(root, ("  anchor: 1-什么是过拟合\n", bad)) == [
        ("registry-stale", "warning", 1),
        ("registry-bad-anchor", "warning", line),
    ]
    text = path.read_text(encoding="utf-8")  # written back without what was dropped
    assert "长" * MAX_ANCHOR not in text and "\\a" not in text and "\\x07" not in text
    assert text.count("  - old-") == MAX_OLD_ANCHORS
    wrong = ("  anchor: 1-什么是过拟合\n", "  anchor: 1-什么是过拟合\n  old_sources: {a: b}\n")
    assert _registry_with(root, wrong, out=None) == [("registry-invalid", "error", line)]  # a check: at the entry


def test_targets_inside_a_page_are_percent_encoded(tmp_path: Path) -> None:
    root = content(tmp_path)
    text = "# A\n\n## 1. 什么是过拟合？\n\n答。\n\n### 原因 分析\n\n因为。\n\n## 2. 什么是欠拟合？\n\n答。\n"
    (root / "content" / "a.md").write_text(text, encoding="utf-8")
    maps, _ = build(root)
    [amap] = maps.values()
    assert amap["exact:原因-分析"] == "../shenme-shi-guo-nihe/#" + quote("原因-分析", safe="")
    assert all(v.isascii() for v in amap.values())
