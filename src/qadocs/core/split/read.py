"""Read the sources: find them under the content dir and decode them to text, never failing."""

from __future__ import annotations

import heapq
import os
from dataclasses import dataclass
from pathlib import Path

from qadocs.core.model import MAX_FOLDER_DEPTH, Diagnostic

UTF16_BOMS = ((b"\xff\xfe", "utf-16-le", "little-endian"), (b"\xfe\xff", "utf-16-be", "big-endian"))
UTF16_NUL_SHARE = 0.3  # without a BOM: share of NUL bytes, at even or at odd offsets, that means UTF-16


@dataclass(slots=True)
class RawSource:
    """One source's path (relative to the content dir, posix) and decoded text."""

    path: str
    text: str


def is_inside(path: Path, root: Path) -> bool:
    """True when `path`, with every link followed, lies inside `root`."""
    return is_inside_real(path, Path(os.path.realpath(root)))


def is_inside_real(path: Path, real_root: Path) -> bool:
    """`is_inside(path, root)` with the real path of `root` worked out once by the caller."""
    try:
        Path(os.path.realpath(path)).relative_to(real_root)
    except ValueError:
        return False
    return True


def _utf16(data: bytes) -> tuple[str, str] | None:
    """(text, how it was read) when `data` is UTF-16: a UTF-16 BOM, or NUL bytes at every other
    offset (ASCII in UTF-16) and a clean UTF-16 decoding; None otherwise."""
    for bom, codec, order in UTF16_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), f"UTF-16 ({order}, with BOM)"
            except UnicodeDecodeError:
                return (
                    data[len(bom) :].decode(codec, errors="replace"),
                    f"UTF-16 ({order}, with BOM; undecodable bytes were replaced)",
                )
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd > UTF16_NUL_SHARE * (len(data) // 2) and even * 2 < odd:
        codec, order = "utf-16-le", "little-endian"
    elif even > UTF16_NUL_SHARE * ((len(data) + 1) // 2) and odd * 2 < even:
        codec, order = "utf-16-be", "big-endian"
    else:
        return None
    try:
        return data.decode(codec), f"UTF-16 ({order}, without BOM)"
    except UnicodeDecodeError:
        return None


def _drop_nul(text: str, path: str, diags: list[Diagnostic]) -> str:
    if "\x00" not in text:
        return text
    line = text[: text.index("\x00")].count("\n") + 1
    diags.append(Diagnostic(path, line, "error", "nul-bytes", "file contains NUL bytes; they are dropped"))
    return text.replace("\x00", "")


def decode(data: bytes, path: str, diags: list[Diagnostic]) -> str:
    """Bytes to text with LF line ends; odd encodings and NUL bytes become diagnostics."""
    utf16 = _utf16(data)
    if utf16 is not None:
        text, guess = utf16
        diags.append(Diagnostic(path, 1, "error", "not-utf8", f"file is not UTF-8; read as {guess}. Save it as UTF-8"))
        text = _drop_nul(text.removeprefix("\ufeff"), path, diags)
        return text.replace("\r\n", "\n").replace("\r", "\n")
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
        diags.append(
            Diagnostic(path, line, "error", "not-utf8", f"file is not UTF-8; read as {guess}. Save it as UTF-8")
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def shown(name: str) -> str:
    """A file or folder name (or path) as valid UTF-8: bytes that are not UTF-8 (surrogate escapes
    in Python) become U+FFFD. Names that are valid UTF-8 come back unchanged."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", errors="replace")
    return name


@dataclass(slots=True)
class _Found:
    rel: str  # real path relative to the content dir, posix (may hold surrogate escapes)
    path: Path  # where to read it (through the links that led to it)


class _Walker:
    """Finds `*.md` under the content dir: skips dot names, follows folder links that stay in the
    repository (each real folder once), reports those that leave it."""

    def __init__(self, content_dir: Path, repo_root: Path, diags: list[Diagnostic]) -> None:
        self.repo_root = repo_root
        self.content_dir = content_dir
        self.diags = diags
        self.files: list[_Found] = []
        self.read_as: dict[str, str] = {os.path.realpath(content_dir): ""}  # real folder → rel path it is read as
        # Folder links met and not yet followed, a heap: the first by path (the last met of equal
        # paths) is followed next, one at a time, since following one may meet more.
        self.links: list[tuple[str, int, Path]] = []
        self.met = 0  # folder links met so far

    def walk(self, content_dir: Path) -> list[_Found]:
        self._scan(content_dir, "")  # the real folders first, so a link never takes a folder's place
        while self.links:
            rel, _, path = heapq.heappop(self.links)
            if not is_inside(path, self.repo_root):
                self.diags.append(
                    Diagnostic(
                        shown(rel),
                        1,
                        "error",
                        "path-outside-repo",
                        "folder is a link to a folder outside the repository; skipped",
                    )
                )
            elif is_inside(self.content_dir, path):  # the repo root, say: it holds content/ and the output
                self.diags.append(
                    Diagnostic(
                        shown(rel),
                        1,
                        "info",
                        "folder-repeated",
                        "folder leads to a folder that holds the content folder; skipped",
                    )
                )
            elif self._claim(path, rel):
                self._scan(path, rel)
        return self.files

    def _claim(self, folder: Path, rel: str) -> bool:
        """Mark `folder` read as `rel`; False (with an info) when it is read already."""
        real = os.path.realpath(folder)
        first = self.read_as.get(real)
        if first is None:
            self.read_as[real] = rel
            return True
        where = f"'{shown(first)}'" if first else "the content folder"
        self.diags.append(
            Diagnostic(
                shown(rel), 1, "info", "folder-repeated", f"folder leads to a folder already read as {where}; skipped"
            )
        )
        return False

    def _scan(self, top: Path, top_rel: str) -> None:
        stack = [(top, top_rel)]
        while stack:
            folder, folder_rel = stack.pop()
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:  # unreadable folder: said, and skipped
                self.diags.append(
                    Diagnostic(
                        shown(folder_rel) or ".",
                        1,
                        "error",
                        "not-readable",
                        f"folder cannot be read ({exc.strerror}); its files are skipped",
                    )
                )
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                rel = f"{folder_rel}/{entry.name}" if folder_rel else entry.name
                path = folder / entry.name
                try:
                    is_link, is_dir = entry.is_symlink(), entry.is_dir()
                except OSError:  # e.g. a link that loops on itself
                    is_link, is_dir = True, False
                if is_dir and is_link:
                    self.met += 1
                    heapq.heappush(self.links, (rel, -self.met, path))
                elif is_dir:
                    if self._claim(path, rel):
                        stack.append((path, rel))
                elif entry.name.endswith(".md"):
                    self.files.append(_Found(rel, path))


def read_sources(content_dir: Path, repo_root: Path) -> tuple[list[RawSource], list[Diagnostic]]:
    """All `*.md` files under `content_dir`, in path order, skipping links that leave the repo."""
    diags: list[Diagnostic] = []
    found: list[RawSource] = []
    if not content_dir.is_dir():
        diags.append(Diagnostic(shown(str(content_dir)), 0, "error", "no-content", "content directory does not exist"))
        return found, diags
    files = sorted(_Walker(content_dir, repo_root, diags).walk(content_dir), key=lambda f: f.rel)
    taken = {f.rel for f in files if shown(f.rel) == f.rel}
    real_root = Path(os.path.realpath(repo_root))
    for file in files:
        rel = shown(file.rel)
        if rel != file.rel:
            rel = _unique(rel, taken)
            taken.add(rel)
            *folders, name = file.rel.split("/")
            bad_name, bad_folder = shown(name) != name, any(shown(part) != part for part in folders)
            what = (
                "file and folder names are"
                if bad_name and bad_folder
                else "file name is"
                if bad_name
                else "folder name is"
            )
            diags.append(Diagnostic(rel, 1, "error", "not-utf8", f"{what} not UTF-8; shown as '{rel}'; rename it"))
        if not is_inside_real(file.path, real_root) or not file.path.is_file():
            diags.append(
                Diagnostic(
                    rel, 1, "error", "path-outside-repo", "source is a link to a file outside the repository; skipped"
                )
            )
            continue
        try:
            data = file.path.read_bytes()
        except OSError as exc:
            diags.append(Diagnostic(rel, 1, "error", "not-readable", f"file cannot be read ({exc.strerror}); skipped"))
            continue
        found.append(RawSource(rel, decode(data, rel, diags)))
        if rel.count("/") > MAX_FOLDER_DEPTH:
            diags.append(_too_deep(rel))
    return found, diags


def _too_deep(rel: str) -> Diagnostic:
    """The `folder-too-deep` warning of a source in more than MAX_FOLDER_DEPTH folders."""
    placed = rel.split("/")[MAX_FOLDER_DEPTH - 1]
    return Diagnostic(
        rel,
        1,
        "warning",
        "folder-too-deep",
        f"source lies {rel.count('/')} folders deep (more than {MAX_FOLDER_DEPTH}); the site shows it in the "
        f"section of its first {MAX_FOLDER_DEPTH} folders (…/{placed}/), the folders below are not sections",
    )


def _unique(rel: str, taken: set[str]) -> str:
    """`rel`, or `stem~2.md`, `stem~3.md`… when another source already has that path."""
    stem, n = rel.removesuffix(".md"), 2
    while rel in taken:
        rel, n = f"{stem}~{n}.md", n + 1
    return rel
