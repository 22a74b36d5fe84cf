"""The command line's options: what `split` and `check` share is declared once, with one default,
and read from mkdocs.yml as `mkdocs build` reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from mkdocs.config import load_config

from qadocs.cli import _options, _parser, main
from qadocs.core.errors import QadocsError
from qadocs.plugin.adapter import plugin_options
from qadocs.plugin.config import QadocsConfig

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
