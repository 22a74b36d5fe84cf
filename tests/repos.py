"""Small repositories that tests in more than one folder write, and what they generate: a source
of two questions (issue 7's registry findings), a repository the MkDocs plugin loads, the layout
example, sources nested hundreds deep, and a few sources generated into {path: text} with each
page's front matter and body."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import load_config

from qadocs.core.build import generate
from qadocs.core.model import MAX_FOLDER_DEPTH
from qadocs.core.options import REGISTRY_NAME, Options
from qadocs.plugin.adapter import QadocsPlugin

REPO = Path(__file__).resolve().parent.parent

# -- a source of two questions under a chapter (issue 7: the registry as data) -----------------------


def small_repo(root: Path) -> Options:
    (root / "content" / "题库").mkdir(parents=True)
    (root / "imgs").mkdir()
    (root / "content" / "题库" / "基础.md").write_text(
        "## 第一章\n\n第一章的介绍。\n\n"
        '<h2 id="1.a">1.什么是扩散模型？</h2>\n\n逐步去噪。\n\n<h2 id="2.b">2.什么是 VAE？</h2>\n\n变分自编码器。\n',
        encoding="utf-8",
    )
    return Options(root, root / "content", root / "imgs")


def registry_path(opts: Options) -> Path:
    return opts.content_dir / REGISTRY_NAME


# -- a repository the plugin loads (the repo's mkdocs.yml, or a bare one with `config`) -------------

PLUGIN_TITLE = "什么是 a < b & c？"  # HTML specials: escaped once, shown as written
PLUGIN_ANSWER = "答案：见下。\n\n### __config\n\n子标题占用了主题的 id。\n"


def plugin_repo(root: Path, config: dict[str, Any] | None = None) -> Path:
    (root / "content" / "基础").mkdir(parents=True)
    (root / "imgs").mkdir()
    (root / "build" / "docs").mkdir(parents=True)
    (root / "content" / "基础" / "题库.md").write_text(
        f"## 1. {PLUGIN_TITLE}\n\n{PLUGIN_ANSWER}\n## 2. 第二题？\n\n答。\n", encoding="utf-8"
    )
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if config is not None:
        text = yaml.safe_dump(
            {
                "site_name": "t",
                "docs_dir": "build/docs",
                "theme": {"name": "material"},
                "plugins": [{"qadocs": config}],
            },
            allow_unicode=True,
        )
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root


def loaded_plugin(root: Path, command: str = "build") -> tuple[Any, QadocsPlugin]:
    config = load_config(str(root / "mkdocs.yml"))
    plugin = config.plugins["qadocs"]
    assert isinstance(plugin, QadocsPlugin)
    plugin.on_startup(command=command, dirty=False)
    return config, plugin


# -- the layout example: `layout` in mkdocs.yml, read by the CLI and by the plugin --------------------

# Level-3 headings under a topic, none numbered or asking: the rules read concept headings (the
# topic a question with an answer of its own, the two under it its follow-ups); the layout says
# the level-3 headings are the questions and the topic their chapter.
LAYOUT_SOURCE = "# 推荐系统\n\n## 召回\n\n召回阶段。\n\n### 协同过滤\n\n共现。\n\n### 双塔召回\n\n两个塔。\n"
LAYOUT_MKDOCS_YML = """site_name: t
docs_dir: build/docs
plugins:
  - qadocs:
      layout:
        "推荐/*.md": 3
        "other.md": page
markdown_extensions:
  - toc:
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds: {case: lower}
"""


def layout_repo(root: Path, config: str | None) -> Path:
    (root / "content" / "推荐").mkdir(parents=True)
    (root / "imgs").mkdir()
    (root / "content" / "推荐" / "系统.md").write_text(LAYOUT_SOURCE, encoding="utf-8")
    if config is not None:
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


# -- depth that exhausts a recursion ------------------------------------------------------------------

DEEP_DIVS = 350  # 340 exhausted Python's stack in md_in_html


def nested_divs(depth: int, inner: str = "深处的文字") -> str:
    """`depth` `<div markdown="1">` blocks in one another, each on its own paragraph, `inner` inside."""
    return '<div markdown="1">\n\n' * depth + inner + "\n\n" + "</div>\n\n" * depth


def deep_source(depth: int) -> str:
    return f"## 1. 什么是深嵌套？\n\n{nested_divs(depth)}## 2. 什么是浅问题？\n\n答案。\n"


def deep_repo(root: Path) -> Path:
    """A repository with a source 240 folders deep and one exactly MAX_FOLDER_DEPTH deep; the first's folder."""
    deep = root / "content" / Path(*(f"d{k}" for k in range(240)))
    edge = root / "content" / Path(*(f"e{k}" for k in range(MAX_FOLDER_DEPTH)))
    for folder, name in ((deep, "深处"), (edge, "边缘")):
        folder.mkdir(parents=True)
        (folder / "题.md").write_text(
            f"# {name}\n\n## 1. 什么是{name}甲？\n\n甲。\n\n## 2. 什么是{name}乙？\n\n乙。\n", encoding="utf-8"
        )
    (root / "imgs").mkdir()
    return deep


# -- a few sources generated, and the pages read back ------------------------------------------------


def generated_pages(tmp_path: Path, files: dict[str, str], **options: Any) -> dict[str, str]:
    """Write `files` under content/ and return the generated docs dir as {path: text}."""
    for rel, text in files.items():
        path = tmp_path / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "imgs").mkdir(exist_ok=True)
    out = tmp_path / "out"
    generate(Options(tmp_path, tmp_path / "content", tmp_path / "imgs", **options), out)
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()}


def page_meta(text: str) -> dict[str, Any]:
    head = text[4:].partition("\n---\n")[0]
    meta = yaml.safe_load(head)
    assert isinstance(meta, dict)
    return meta


def page_body(text: str) -> str:
    return text[4:].partition("\n---\n")[2]
