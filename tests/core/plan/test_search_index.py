"""The search index qadocs writes (core/plan/search.py): terms, shards, postings, page texts."""

from __future__ import annotations

import json
import random
from pathlib import Path

from qadocs.core.build import generate
from qadocs.core.options import Options
from qadocs.core.plan import search as search_module
from qadocs.core.plan.search import META, SEARCH_DIR, TF_MAX, WORD_MAX, Entry, search_files, shard_of, sounds, terms
from qadocs.core.plan.site import SEARCH_OFF, SEARCH_ON
from qadocs.core.text.describe import search_text

SOURCE = """# 生成模型

## 第一章 扩散

### 1. 什么是扩散模型？

扩散模型逐步**去噪**，见 [论文](https://example.org/ddpm-paper) 和 ![结构图](imgs/unet-diagram.png)。

```python
def sample_loop(): pass
```

<span data-x="attr-value">行内标签</span> 与 $$ 公式 $$

### 2. LoRA 是什么？<script>alert(1)</script>

LoRA 用低秩矩阵微调大模型，扩散模型也用它。
"""


def _site(tmp_path: Path, search: bool = True) -> tuple[Path, Options]:
    (tmp_path / "content").mkdir(parents=True)
    (tmp_path / "content" / "生成.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "imgs").mkdir()
    opts = Options(tmp_path, tmp_path / "content", tmp_path / "imgs", search=search)
    out = tmp_path / "build" / "docs"
    generate(opts, out)
    return out, opts


def _decode(codes: list[int]) -> dict[int, int]:
    page, found = 0, {}
    for code in codes:
        page += code // TF_MAX
        found[page] = code % TF_MAX + 1
    return found


def test_terms_pair_han_and_keep_words_apart() -> None:
    assert terms("什么是LoRA？") == ["什么", "么是", "是", "lora"]
    assert terms("扩散") == ["扩散", "散"]
    assert terms("熵") == ["熵"]
    assert terms("ＧＰＴ－４ 和 Ｖｉｔ") == ["gpt", "4", "和", "vit"]  # NFKC, lower case
    assert terms("max_len a-b") == ["max", "len", "a", "b"]
    assert terms("y" * 50) == ["y" * WORD_MAX]
    assert terms("𠀀𠀁") == ["𠀀𠀁", "𠀁"]  # beyond the BMP: a character is a code point


def test_shards_follow_the_first_character_or_two() -> None:
    assert shard_of("扩散", 64) == shard_of("扩", 64) == shard_of("扩展", 64)
    assert shard_of("lora", 64) == shard_of("lo", 64) == shard_of("loss", 64)
    assert all(0 <= shard_of(t, 7) < 7 for t in ["a", "ab", "字", "字词", "𠀀"])


def test_a_title_is_found_by_the_pinyin_of_its_words() -> None:
    assert sounds("扩散模型 LoRA") == ["kuosan", "sanmo", "moxing", "kuosanmo", "sanmoxing"]  # lora is a term already
    assert sounds("LoRA") == []
    files = search_files([Entry("a/", "什么是扩散模型？", 0, "", "正文不提"), Entry("b/", "别的", 0, "", "扩散模型")])
    shards = [json.loads(text) for path, text in files.items() if "/i/" in path]
    postings = {term: _decode(codes) for shard in shards for term, codes in shard.items()}
    assert postings["kuosan"] == {0: 1} and postings["moxing"] == {0: 1}  # the title, not the text


def test_search_text_is_what_a_reader_sees() -> None:
    text = search_text(
        "正文 **粗体** [链接文字](https://x.org/secret-url)\n\n![图](a/b-c.png)\n\n```\ncode_only()\n```\n\n尾"
    )
    assert "粗体" in text and "链接文字" in text and "尾" in text
    assert "secret" not in text and "b-c" not in text and "code_only" not in text and "*" not in text


def test_the_index_holds_every_page_and_each_term_where_it_is(tmp_path: Path) -> None:
    out, _ = _site(tmp_path)
    meta = json.loads((out / META).read_text(encoding="utf-8"))
    questions = json.loads((out / "questions.json").read_text(encoding="utf-8"))
    rows = meta["pages"]
    assert [(r[0], r[1], r[2]) for r in rows[:2]] == [(q["url"].lstrip("/"), q["title"], 0) for q in questions]
    assert {r[2] for r in rows[2:]} == {1} and rows[-1][0] == ""  # index pages, the home page last
    assert meta["where"][rows[0][3]] == "生成模型 › 第一章 扩散"
    shards = {int(p.stem): json.loads(p.read_text(encoding="utf-8")) for p in (out / SEARCH_DIR / "i").glob("*.json")}
    assert sorted(shards) == list(range(meta["shards"]))
    for k, shard in shards.items():
        assert all(shard_of(term, meta["shards"]) == k for term in shard)
    found = {term: _decode(codes) for shard in shards.values() for term, codes in shard.items()}
    texts = [
        json.loads((out / SEARCH_DIR / "p" / f"{n}.json").read_text(encoding="utf-8"))["t"] for n in range(len(rows))
    ]
    for n, row in enumerate(rows):
        for term in set(terms(row[1] + "\n" + texts[n])):
            assert n in found[term], (term, row[1])
    assert set(found["扩散"]) == {0, 1} | {n for n, r in enumerate(rows) if "扩散" in r[1]}  # answers, the chapter
    assert found["lora"][1] == 2  # in the title and in the answer
    assert "去噪" in texts[0] and "行内标签" in texts[0]
    for noise in ("ddpm", "unet", "sample", "attr", "script"):
        assert noise not in found, noise
    raw = "".join(p.read_text(encoding="utf-8") for p in (out / SEARCH_DIR).rglob("*.json"))
    assert "<" not in raw
    hostile = search_files([Entry("a/", "</script><b>题", 0, "<i>", "&lt;x&gt;")])
    assert all("<" not in text and ">" not in text for text in hostile.values())
    assert json.loads(hostile[META])["pages"][0][1] == "</script><b>题"  # the same text, escaped for HTML


def test_search_false_writes_no_index_and_no_way_to_it(tmp_path: Path) -> None:
    out, _ = _site(tmp_path, search=False)
    assert not (out / SEARCH_DIR).exists() and not (out / "assets" / "qadocs-search.js").exists()
    script = (out / "assets" / "qadocs.js").read_text(encoding="utf-8")
    assert SEARCH_OFF in script and SEARCH_ON not in script  # no button, no key, no ?q=
    assert "qadocs-search" not in (out / "index.md").read_text(encoding="utf-8")  # no 搜索题目 link
    on, _ = _site(tmp_path / "on")
    assert SEARCH_ON in (on / "assets" / "qadocs.js").read_text(encoding="utf-8")
    assert 'class="qadocs-search"' in (on / "index.md").read_text(encoding="utf-8")


def test_shards_grow_with_the_collection() -> None:
    small = search_files([Entry("a/", "标题", 0, "", "正文")])
    assert json.loads(small[META])["shards"] == 1
    many = [
        Entry(f"q{n}/", f"题目{n}", 0, "", "".join(chr(0x4E00 + (n * 7 + i) % 3000) for i in range(400)))
        for n in range(300)
    ]
    files = search_files(many)
    meta = json.loads(files[META])
    assert meta["shards"] > 8 and len(meta["hash"]) == meta["shards"]
    sizes = [len(files[f"{SEARCH_DIR}/i/{k}.json"]) for k in range(meta["shards"])]
    assert max(sizes) < 4 * (sum(sizes) / len(sizes))


def test_an_index_updated_for_a_few_edits_equals_one_made_anew() -> None:
    """`mkdocs serve` regenerates after each edit: the postings of the last generation are updated
    for the pages that changed. Over random edits (texts, titles, several pages at once, a page
    added, shard counts changing), every file equals the one a fresh process would write."""
    rng = random.Random(7)
    chars = "扩散模型注意力机制梯度消失交叉熵位置编码损失函数" + "abcdefg "

    def text(n: int) -> str:
        return "".join(rng.choice(chars) for _ in range(n))

    pages = [Entry(f"q{n}/", text(8), 0, "", text(rng.randrange(0, 300))) for n in range(120)]
    for step in range(30):
        if step % 7 == 6:
            pages.append(Entry(f"new{step}/", text(6), 0, "", text(200)))
        for n in rng.sample(range(len(pages)), rng.choice([1, 2, 5, 70])):
            old = pages[n]
            pages[n] = Entry(old.url, text(8) if rng.random() < 0.3 else old.title, 0, "", text(rng.randrange(0, 2500)))
        warm = search_files(pages)
        search_module._LAST.clear()
        assert warm == search_files(pages), step
    assert search_module._LAST and len(search_module._LAST) == 1
