"""Links and images in one piece of markdown (`qadocs.core.plan.rewrite`): images and links as their
author wrote them for GitHub, missing-image placeholders kept out of search, and the fast
relative path against `posixpath.relpath`."""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from material.plugins.search.plugin import Parser

from qadocs.core.build import generate
from qadocs.core.options import Options
from qadocs.core.plan.rewrite import missing_image_html, relative_path
from qadocs.extensions.sanitize import sanitize_html

# 9. Images and links as their author wrote them for GitHub ------------------------------------------
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


GITHUB_ANSWERS = """# 模型

## 1. 什么是 Mask R-CNN？

![结构图](./imgs/Mask R-CNN 01.png)

![仓库里的图](https://github.com/someone/repo/blob/main/content/基础/imgs/a.png)

![原始链接](https://raw.githubusercontent.com/someone/repo/main/基础/imgs/a.png)

![别处的图](https://github.com/someone/repo/blob/main/nowhere/b.png)

另见[第二题](/content/基础/模型.md#2-什么是-roi-align)和[进阶](/进阶.md)。

<h3 id="struct">网络结构</h3>

两阶段检测加一个分割分支。

## 2. 什么是 RoI Align？

双线性插值代替取整。
"""


def test_images_and_links_written_for_github(tmp_path: Path) -> None:
    """An image path with spaces, a GitHub URL of a file of this repository (blob or raw, from the
    repository's root or the content folder's), a root-relative link: all lead to what is here;
    a GitHub URL of a file that is not here stays remote; an `<hN id>` sub-heading is a heading of
    the page's table of contents with its own id."""
    content = tmp_path / "content"
    (content / "基础" / "imgs").mkdir(parents=True)
    (content / "基础" / "imgs" / "Mask R-CNN 01.png").write_bytes(PNG)
    (content / "基础" / "imgs" / "a.png").write_bytes(PNG)
    (content / "基础" / "模型.md").write_text(GITHUB_ANSWERS, encoding="utf-8")
    (content / "进阶.md").write_text(
        "# 进阶\n\n## 1. 什么是 FPN？\n\n特征金字塔。\n\n## 2. 什么是 NMS？\n\n非极大值抑制。\n", encoding="utf-8"
    )
    (tmp_path / "imgs").mkdir()
    result = generate(Options(tmp_path, content, tmp_path / "imgs"), tmp_path / "build" / "docs")
    assert sorted(result.plan.assets) == ["media/content/基础/imgs/Mask R-CNN 01.png", "media/content/基础/imgs/a.png"]
    entries = {e["title"]: e for e in result.plan.questions}
    page = result.plan.files[entries["什么是 Mask R-CNN？"]["url"].strip("/") + "/index.md"]
    base = "../../media/content/%E5%9F%BA%E7%A1%80/imgs/"
    assert page.count(f"](<{base}a.png>)") == 2
    assert f"![结构图](<{base}Mask%20R-CNN%2001.png>)" in page
    assert "description: 另见第二题和进阶。" in page  # the image with spaces is no text of the answer
    assert "![别处的图](<https://github.com/someone/repo/blob/main/nowhere/b.png>)" in page  # stays remote
    roi = entries["什么是 RoI Align？"]["url"].strip("/").split("/")[-1]
    assert f"[第二题](<../{roi}/index.md>)" in page  # `/content/…`: from the repository's root
    assert "[进阶](<../../jinjie/index.md>)" in page  # `/进阶.md`: from the content folder's
    assert "\n### 网络结构 {#struct}\n" in page
    codes = {d.code for d in result.diagnostics if d.path == "基础/模型.md"}
    assert not codes & {"image-missing", "link-missing", "path-absolute", "link-anchor-missing"}, codes


SEGMENT = st.sampled_from(["a", "b", "页", "..", ".", "", "a b", "%"])


DOCS_PATH = st.one_of(st.just("."), st.lists(SEGMENT, max_size=4).map("/".join))


@given(DOCS_PATH, DOCS_PATH)
def test_relative_path_same_as_relpath(to_path: str, from_dir: str) -> None:
    try:
        expected = posixpath.relpath(to_path, from_dir or ".")
    except ValueError:
        with pytest.raises(ValueError):
            relative_path(to_path, from_dir)
        return
    assert relative_path(to_path, from_dir) == expected


# -- missing images are no search text ------------------------------------------------------------


def test_missing_image_placeholder_stays_out_of_the_search_index() -> None:
    placeholder = missing_image_html('imgs/"a<b>.png', "图")
    assert "data-search-exclude" in placeholder and "<b>" not in placeholder
    page = sanitize_html(f'<h1 id="t">题</h1><p>前文 {placeholder} 后文</p>')
    assert 'data-search-exclude=""' in page  # the allow-list keeps it
    parser = Parser()
    parser.feed(page)
    parser.close()
    indexed = "".join(part for section in parser.data for part in section.text)
    assert "前文" in indexed and "后文" in indexed and "图片缺失" not in indexed
