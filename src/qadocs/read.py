"""Read the sources: find them under the content dir and decode them to text, never failing."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .model import Diagnostic


@dataclass(slots=True)
class RawSource:
    """One source's path (relative to the content dir, posix) and decoded text."""

    path: str
    text: str


def is_inside(path: Path, root: Path) -> bool:
    """True when `path`, with every link followed, lies inside `root`."""
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except ValueError:
        return False
    return True


def decode(data: bytes, path: str, diags: list[Diagnostic]) -> str:
    """Bytes to text with LF line ends; odd encodings and NUL bytes become diagnostics."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        diags.append(Diagnostic(path, line, "error", "nul-bytes", "file contains NUL bytes; they are dropped"))
        data = data.replace(b"\x00", b"")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            text = data.decode("gb18030")
            guess = "GB18030 (GBK)"
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="replace")
            guess = "an unknown encoding; undecodable bytes were replaced"
        diags.append(Diagnostic(path, line, "error", "not-utf8",
                                f"file is not UTF-8; read as {guess}. Save it as UTF-8"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_sources(content_dir: Path, repo_root: Path) -> tuple[list[RawSource], list[Diagnostic]]:
    """All `*.md` files under `content_dir`, in path order, skipping links that leave the repo."""
    diags: list[Diagnostic] = []
    found: list[RawSource] = []
    if not content_dir.is_dir():
        diags.append(Diagnostic(str(content_dir), 0, "error", "no-content",
                                "content directory does not exist"))
        return found, diags
    paths = sorted(content_dir.rglob("*.md"), key=lambda p: p.relative_to(content_dir).as_posix())
    for path in paths:
        rel = path.relative_to(content_dir).as_posix()
        if any(part.startswith(".") for part in path.relative_to(content_dir).parts):
            continue
        if not is_inside(path, repo_root) or not path.is_file():
            diags.append(Diagnostic(rel, 1, "error", "path-outside-repo",
                                    "source is a link to a file outside the repository; skipped"))
            continue
        found.append(RawSource(rel, decode(path.read_bytes(), rel, diags)))
    return found, diags
