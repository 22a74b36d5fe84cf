"""The command line (`qadocs.cli`): what `split` and `check` share is declared once, with one
default, and read from mkdocs.yml as `mkdocs build` reads it (folders, `layout`,
`site_description`); what `split` writes and rewrites; usage errors; `--explain`."""

from __future__ import annotations

import html
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from mkdocs.config import load_config

from qadocs.cli import _options, _parser, config_layout, explain_source, main
from qadocs.core.build import generate
from qadocs.core.errors import QadocsError
from qadocs.core.split.questions import split_source
from qadocs.plugin.adapter import plugin_options
from qadocs.plugin.config import QadocsConfig
from repos import LAYOUT_MKDOCS_YML as MKDOCS_YML
from repos import layout_repo as _repo
from repos import page_meta as _meta
from repos import small_repo as _small_repo

# None: what mkdocs.yml gives the plugin, else the plugin's own default (`cli._options`)
SHARED = {"content": None, "imgs": None, "root": ".", "missing_images": None, "config": "mkdocs.yml"}


def test_split_and_check_share_their_options_and_defaults() -> None:
    split = vars(_parser().parse_args(["split"]))
    check = vars(_parser().parse_args(["check"]))
    assert split == {**SHARED, "command": "split", "out": "build/docs", "base_url": "/", "quiet": False}
    assert check == {**SHARED, "command": "check", "strict": False, "format": "text", "explain": None}


@pytest.mark.parametrize("command", ["split", "check"])
def test_shared_options_parse_alike(command: str) -> None:
    args = _parser().parse_args(
        [command, "--content", "c", "--imgs", "i", "--root", "r", "--missing-images", "error", "--config", "m.yml"]
    )
    assert (args.content, args.imgs, args.root, args.missing_images, args.config) == ("c", "i", "r", "error", "m.yml")


@pytest.mark.parametrize(("command", "option"), [("check", "--out"), ("check", "--quiet"), ("split", "--strict")])
def test_options_of_one_command_only(command: str, option: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _parser().parse_args([command, option])
    assert "unrecognized arguments" in capsys.readouterr().err


def _site(root: Path, plugin: dict[str, object], config: str = "mkdocs.yml") -> Path:
    """A repository whose mkdocs.yml (at `config`) gives the qadocs plugin `plugin`."""
    path = root / config
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / "build" / "docs").mkdir(parents=True)
    text = {"site_name": "t", "site_description": "题库", "docs_dir": "build/docs", "plugins": [{"qadocs": plugin}]}
    path.write_text(yaml.safe_dump(text, allow_unicode=True), encoding="utf-8")
    return path


def _as_mkdocs_reads_it(path: Path) -> tuple[object, ...]:
    config = load_config(str(path))
    plugin = QadocsConfig()
    plugin.load_dict(next(p for p in yaml.safe_load(path.read_text(encoding="utf-8"))["plugins"])["qadocs"])
    assert plugin.validate() == ([], [])
    opts = plugin_options(config, plugin)
    return opts.content_dir, opts.imgs_dir, opts.missing_images, opts.layout, opts.site_description


@pytest.mark.parametrize("config", ["mkdocs.yml", "site/mkdocs.yml"])
def test_check_and_mkdocs_build_read_the_same_folders_from_one_mkdocs_yml(tmp_path: Path, config: str) -> None:
    plugin = {"content_dir": "题库", "imgs_dir": "图", "missing_images": "error", "layout": {"*.md": 3}}
    path = _site(tmp_path, plugin, config)
    for command in ("check", "split"):
        opts = _options(_parser().parse_args([command, "--root", str(tmp_path), "--config", config]))
        read = (opts.content_dir, opts.imgs_dir, opts.missing_images, opts.layout, opts.site_description)
        assert read == _as_mkdocs_reads_it(path)
        assert opts.content_dir == (path.parent / "题库").resolve()
    given = _parser().parse_args(["check", "--root", str(tmp_path), "--config", config, "--content", "c", "--imgs", "i",
                                  "--missing-images", "placeholder"])  # fmt: skip
    opts = _options(given)  # the command line wins, its paths from --root
    assert (opts.content_dir, opts.imgs_dir, opts.missing_images) == (tmp_path / "c", tmp_path / "i", "placeholder")


def test_check_finds_the_sources_where_mkdocs_yml_puts_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _site(tmp_path, {"content_dir": "题库", "missing_images": "error"})
    (tmp_path / "题库").mkdir()
    (tmp_path / "题库" / "q.md").write_text("## 1. 什么是图？\n\n![图](没有.png)\n", encoding="utf-8")
    assert main(["check", "--root", str(tmp_path)]) == 1  # the missing image is an error, as mkdocs.yml says
    assert "q.md:3" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        ({"content_dir": ["a"]}, "content_dir must be text"),
        ({"missing_images": "ignore"}, "missing_images must be one of"),
    ],
)
def test_an_unusable_option_in_mkdocs_yml_is_said_plainly(
    tmp_path: Path, plugin: dict[str, object], message: str
) -> None:
    _site(tmp_path, plugin)
    with pytest.raises(QadocsError, match=message):
        _options(_parser().parse_args(["check", "--root", str(tmp_path)]))


@pytest.mark.parametrize("out", ["content/gen", "content", ".", "../x"])
def test_10_cli_refuses_overlapping_folders(tmp_path: Path, out: str, capsys: pytest.CaptureFixture[str]) -> None:
    opts = _small_repo(tmp_path / "repo")
    assert main(["split", "--root", str(opts.repo_root), "--out", out]) == 2
    assert "qadocs:" in capsys.readouterr().err
    assert sorted(p.name for p in opts.content_dir.rglob("*")) == ["基础.md", "题库"]
    with pytest.raises(QadocsError):
        generate(opts, (opts.repo_root / out).resolve())


def test_cli_reads_layout_from_mkdocs_yml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _repo(tmp_path, MKDOCS_YML)
    assert config_layout(root / "mkdocs.yml") == (("推荐/*.md", 3), ("other.md", "page"))
    assert main(["split", "--root", str(root), "-q"]) == 0
    questions = json.loads((root / "build" / "docs" / "questions.json").read_text(encoding="utf-8"))
    assert [q["title"] for q in questions] == ["协同过滤", "双塔召回"]


def test_cli_without_mkdocs_yml_uses_the_rules(tmp_path: Path) -> None:
    root = _repo(tmp_path, None)
    assert main(["split", "--root", str(root), "-q"]) == 0
    questions = json.loads((root / "build" / "docs" / "questions.json").read_text(encoding="utf-8"))
    assert [(q["title"], "follows" in q) for q in questions] == [
        ("召回", False),
        ("协同过滤", True),
        ("双塔召回", True),
    ]


def test_cli_refuses_a_bad_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _repo(tmp_path, MKDOCS_YML.replace('"other.md": page', '"other.md": seven'))
    assert main(["check", "--root", str(root)]) == 2
    assert "'seven' is neither a heading level (1 to 6) nor one of page, file, article" in capsys.readouterr().err


def test_explain_writes_control_characters_out() -> None:
    """A title cannot drive the terminal `--explain` prints to."""
    text = "## 什么是\x1b[31mX？\n\n答\n\n## 为什么\x9bY？\n\n答\n"
    out = "\n".join(explain_source(split_source("a.md", text), text))
    assert "\x1b" not in out and "\x9b" not in out
    assert "什么是\\x1b[31mX？" in out and "为什么\\x9bY？" in out


def test_split_reads_the_site_description_from_mkdocs_yml(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "imgs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_description: 去噪。\n", encoding="utf-8")
    (tmp_path / "content" / "a.md").write_text("## 1. 扩散？\n\n去噪。\n\n## 2. 别的？\n\n别的。\n", encoding="utf-8")
    assert main(["split", "--root", str(tmp_path), "--quiet"]) == 0
    pages = [_meta(p.read_text(encoding="utf-8")) for p in (tmp_path / "build" / "docs").rglob("index.md")]
    described = {html.unescape(m["title"]): html.unescape(m["description"]) for m in pages if "id" in m}
    assert described == {"扩散？": "扩散？ — 面试题与答案", "别的？": "别的。"}


REPO = Path(__file__).resolve().parent.parent


def _demo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "imgs").mkdir(parents=True)
    os.symlink(REPO / "content", repo / "content")
    return repo


def test_cli_split_writes_pages_and_only_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    (repo / "imgs").mkdir(parents=True)

    shutil.copytree(REPO / "content", repo / "content")
    assert main(["split", "--root", str(repo)]) == 0
    out = repo / "build" / "docs"
    questions = json.loads((out / "questions.json").read_text(encoding="utf-8"))
    assert len(questions) == 131
    keys = {"id", "title", "url", "number", "source", "source_url", "source_line", "chapter", "anchors"}
    assert all(keys <= set(q) for q in questions)
    pages = [
        p for p in out.rglob("index.md") if yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1]).get("id")
    ]
    assert len(pages) == 131
    for page in pages:
        meta = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n")[1])
        for key in ("id", "title", "number", "source", "source_line", "anchors", "chapter", "order"):
            assert key in meta, (page, key)
        assert meta["id"].isascii() and meta["anchors"]
    first = capsys.readouterr().out
    assert "131 questions" in first
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert main(["split", "--root", str(repo)]) == 0
    assert "0 written" in capsys.readouterr().out
    assert mtimes == {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    # a stale page from an earlier run is removed
    (out / "stale").mkdir()
    (out / "stale" / "index.md").write_text("old", encoding="utf-8")
    assert main(["split", "--root", str(repo)]) == 0
    assert not (out / "stale").exists()


def test_cli_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "split" in capsys.readouterr().out
    assert main([]) == 2
    assert main(["split", "--root", str(tmp_path), "--content", "nope"]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text('<h2 id="1.a">1.a</h2>\n\nb\n', encoding="utf-8")
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep", encoding="utf-8")
    assert main(["split", "--root", str(tmp_path), "--out", "mine"]) == 2
    assert "refusing to write" in capsys.readouterr().err
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_base_url_prefixes_questions_json(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "imgs").mkdir()
    (tmp_path / "content" / "a.md").write_text('<h2 id="1.题">1.题</h2>\n\n答。\n', encoding="utf-8")
    assert main(["split", "--root", str(tmp_path), "--base-url", "/repo/"]) == 0
    [entry] = json.loads((tmp_path / "build" / "docs" / "questions.json").read_text(encoding="utf-8"))
    assert entry["url"].startswith("/repo/") and entry["source_url"].startswith("/repo/")
    assert (tmp_path / "build" / "docs" / entry["url"][len("/repo/") :] / "index.md").is_file()


def test_registry_update_writes_the_registry_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    opts = _small_repo(tmp_path)
    registry = opts.content_dir / "qadocs-registry.yml"
    args = ["--root", str(tmp_path)]
    # no registry yet: the check says so, as a warning (so --strict fails), and writes nothing
    assert main(["check", *args]) == 0
    assert main(["check", "--strict", *args]) == 1
    out = capsys.readouterr().out
    assert "warning registry-stale there is no registry yet: 2 question URLs are recorded nowhere" in out
    assert main(["registry", "update", "--check", *args]) == 1
    assert "registry-stale" in capsys.readouterr().err and not registry.exists()
    # the update writes the registry and nothing else, then everything agrees
    assert main(["registry", "update", *args]) == 0
    assert "wrote content/qadocs-registry.yml (2 questions, 2 changes)" in capsys.readouterr().out
    assert registry.is_file() and not (tmp_path / "build").exists()
    assert main(["registry", "update", "--check", *args]) == 0
    assert main(["check", "--strict", *args]) == 0
    assert "registry-stale" not in capsys.readouterr().out
    # a question added by a pull request: behind again, by one new URL; an update catches up
    source = opts.content_dir / "题库" / "基础.md"
    source.write_text(source.read_text(encoding="utf-8") + '\n<h2 id="3.c">3.什么是 GAN？</h2>\n\n对抗。\n', "utf-8")
    before = registry.read_bytes()
    assert main(["registry", "update", "--check", *args]) == 1
    err = capsys.readouterr().err
    assert "the registry is behind the content (1 new); run `qadocs registry update` and commit it" in err
    assert registry.read_bytes() == before
    assert main(["registry", "update", *args]) == 0
    assert "new" in capsys.readouterr().out and registry.read_bytes() != before
    assert main(["registry", "update", *args]) == 0
    assert "is up to date (3 questions)" in capsys.readouterr().out


def test_registry_update_leaves_a_broken_registry_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    opts = _small_repo(tmp_path)
    registry = opts.content_dir / "qadocs-registry.yml"
    registry.write_text("questions: [\n", encoding="utf-8")
    assert main(["registry", "update", "--root", str(tmp_path)]) == 1
    assert "registry-invalid" in capsys.readouterr().err
    assert registry.read_text(encoding="utf-8") == "questions: [\n"


def test_the_documented_ci_workflow_runs_commands_that_exist(capsys: pytest.CaptureFixture[str]) -> None:
    workflow = yaml.safe_load((REPO / "docs" / "ci" / "qadocs-site.yml").read_text(encoding="utf-8"))
    runs = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    commands = [line.split() for run in runs for line in run.splitlines() if line.strip().startswith("qadocs ")]
    assert {" ".join(c[:3]) for c in commands} >= {"qadocs registry update", "qadocs check --format"}
    for command in commands:  # each parses as the CLI reads it
        assert main([*command[1:], "--help"]) == 0
    capsys.readouterr()
    assert any("mkdocs build --strict" in run for run in runs)
    assert "docs/ci/qadocs-site.yml" in (REPO / "docs" / "publishing.md").read_text(encoding="utf-8")
