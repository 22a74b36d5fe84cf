"""The command line's options: what `split` and `check` share is declared once, with one default."""

from __future__ import annotations

import pytest

from qadocs.cli import _parser

SHARED = {"content": "content", "imgs": "imgs", "root": ".", "missing_images": "placeholder", "config": "mkdocs.yml"}


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
