"""The links and images of one piece of text, resolved for the page it lands on.

`PageLinks` answers `rewrite.rewrite_markdown`'s questions from the collection's anchors
(`anchor_targets.AnchorTargets`) and files, and keeps what it found — diagnostics, files to copy, links to
anchors that exist nowhere — in a `Found` of its own, which the caller takes with the text.
Which repository files may be published at all is decided here, once.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import quote, unquote

from qadocs.core.model import Diagnostic, Memo, Severity, Source
from qadocs.core.options import Options
from qadocs.core.plan.anchor_targets import AnchorTargets
from qadocs.core.plan.rewrite import Image, LinkDecisions, relative_url, rewrite_markdown
from qadocs.core.text.anchors import clean_fragment
from qadocs.core.text.urls import MEDIA_DIR, WINDOWS_ABS_RE, github_file_path, is_external, is_remote

MISSING_ANCHORS_SHOWN = 5  # more dead anchor links than this in one file make one summary line
# The only files copied into the site: raster images, which a browser never runs. HTML, SVG,
# PDF, scripts, configuration and everything else stays out, whatever links to it.
COPYABLE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico"})
UNSAFE_IN_FRAGMENT = frozenset(' "<>\\`{}|^%')  # percent-encoded in a fragment (an `id` may hold them)
OUTSIDE: Literal["outside"] = "outside"  # what `locate` says of a reference that leaves the repository


@dataclass(slots=True, frozen=True)
class DeadAnchor:
    """A link to an anchor that no heading or anchor of its target source has."""

    path: str  # the source the link is written in
    line: int
    col: int
    anchor: str
    target: str  # the source the link points into


@dataclass(slots=True)
class Found:
    """What resolving one page's references found besides the new text."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    assets: dict[str, Path] = field(default_factory=dict)  # docs path -> repository file to copy
    dead_anchors: list[DeadAnchor] = field(default_factory=list)
    looked: set[Path] = field(default_factory=set)  # every path looked for, found or not (`locate`)

    def merge(self, other: Found) -> None:
        """Add what `other` found after what this one did."""
        self.diagnostics += other.diagnostics
        self.assets.update(other.assets)
        self.dead_anchors += other.dead_anchors
        self.looked |= other.looked


def real_path(path: Path) -> Path:
    """`path` with every link followed (`os.path.realpath`)."""
    return Path(os.path.realpath(path))


class RealPaths:
    """`real_path`, each path's worked out once: what one generation finds of the file system
    (the repository's root and an image are asked for again and again; its links change the
    next generation's, whose input stamp is taken before it reads anything)."""

    def __init__(self) -> None:
        self.known: dict[Path, Path] = {}

    def __call__(self, path: Path) -> Path:
        """The real path of `path`."""
        found = self.known.get(path)
        if found is None:
            found = self.known[path] = real_path(path)
        return found


@dataclass(slots=True, frozen=True)
class Collection:
    """What resolving a reference needs to know of the whole collection (read only)."""

    opts: Options
    by_path: Mapping[str, Source]  # source path -> source
    source_dirs: Mapping[str, str]  # source path -> its page dir
    targets: AnchorTargets
    real: Callable[[Path], Path] = field(default_factory=RealPaths)  # real paths, as this generation finds them


def locate(
    candidates: list[Path], repo_root: Path, looked: set[Path] | None = None, real: Callable[[Path], Path] = real_path
) -> Path | Literal["outside"] | None:
    """The first candidate that is a file inside the repo, never one outside it: OUTSIDE when
    every candidate leaves the repository, or when one that does names an existing file (a link
    or `..` path to something outside); None when there is no such file. Each candidate is added
    to `looked`: what it is decides what generation writes, so a build that reuses the last
    generation must find each one as it was. `real`: how real paths are worked out."""
    if looked is not None:
        looked.update(candidates)
    real_root = real(repo_root)
    inside: list[bool | None] = [None] * len(candidates)  # each candidate's real path, worked out when asked

    def stays(k: int) -> bool:
        if inside[k] is None:
            inside[k] = real(candidates[k]).is_relative_to(real_root)
        return bool(inside[k])

    for k, candidate in enumerate(candidates):
        if candidate.is_file() and stays(k):
            return candidate
    if candidates and not any(stays(k) for k in range(len(candidates))):
        return OUTSIDE  # every candidate leaves the repository
    if any(c.exists() and not stays(k) for k, c in enumerate(candidates)):
        return OUTSIDE
    return None


def refusal(path: Path, repo_root: Path, real_of: Callable[[Path], Path] = real_path) -> str | None:
    """Why the repository file `path` may not be copied into the site, or None when it may.

    Only raster images are copied, and nothing that is, or lies under, a dot-named file or
    folder (`.git/`, `.env`), neither as written nor where a symlink leads."""
    root = real_of(repo_root)
    real = real_of(path)
    for shown in (Path(os.path.normpath(path.absolute())), real):  # as written (`..` folded), as linked
        try:
            parts = shown.relative_to(root).parts
        except ValueError:
            continue
        if any(part.startswith(".") for part in parts):
            return "it is a hidden file or lies in a hidden folder"
    if real.suffix.lower() not in COPYABLE_SUFFIXES or path.suffix.lower() not in COPYABLE_SUFFIXES:
        return (
            "only raster images ("
            + ", ".join(sorted(s[1:] for s in COPYABLE_SUFFIXES))
            + ") are published; other files, SVG and HTML included, could run script on the site"
        )
    return None


def asset_path(path: Path, repo_root: Path, real: Callable[[Path], Path] = real_path) -> str:
    """Docs-dir path under which the repository file `path` is copied (ask `refusal` first)."""
    return f"{MEDIA_DIR}/{real(path).relative_to(real(repo_root)).as_posix()}"


def target_url(from_dir: str, target: str, html: bool = True) -> str:
    """The URL, relative to the page in `from_dir`, of an anchor target: a page dir, or a page dir
    and a fragment (`dir#name`, an anchor inside that page). `html`: the page's URL (`dir/`),
    else its markdown file (`dir/index.md`), which MkDocs turns into the page's URL."""
    page_dir, hash_mark, fragment = target.partition("#")
    if html:
        url = relative_url(from_dir, page_dir) + "/"
    else:
        url = relative_url(from_dir, posixpath.join(page_dir, "index.md"))
    return url + hash_mark + "".join(quote(ch) if ch in UNSAFE_IN_FRAGMENT else ch for ch in fragment)


def _local(target: str) -> str | None:
    """A relative path with fragment and query dropped, or None if it is absolute."""
    path = unquote(target.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    if WINDOWS_ABS_RE.match(target) or path.startswith("/"):
        return None
    return path[2:] if path.startswith("./") else path


def _rooted(target: str) -> str | None:
    """The repository path a link written for GitHub names from the repository's root: `/a/b.md`,
    or a GitHub URL of a file (`https://github.com/o/r/blob/main/a/b.png`); None for others."""
    if target.startswith("/") and not target.startswith("//"):
        path = unquote(target.split("#", 1)[0].split("?", 1)[0]).lstrip("/")
        return path or None
    return github_file_path(target)


def find_rooted(coll: Collection, target: str, looked: set[Path] | None = None) -> Path | Literal["outside"] | None:
    """The repository file a root-relative path or a GitHub file URL names, looked for from the
    repository's root, then from the content folder's (a collection that was a repository of its
    own); None when the target is neither or no such file is here. A URL of a file that would
    lead out of the repository is left alone (None); a root-relative path that would is OUTSIDE."""
    path = _rooted(target)
    if path is None:
        return None
    opts = coll.opts
    found = locate([opts.repo_root / path, opts.content_dir / path], opts.repo_root, looked, coll.real)
    if found == OUTSIDE and not target.startswith("/"):
        return None
    return found


def image_candidates(opts: Options, src_dir: Path, rel: str) -> list[Path]:
    """Where an image written `rel` is looked for: beside its source, under content/, under imgs/
    (a leading `imgs/` also inside imgs/)."""
    candidates = [src_dir / rel, opts.content_dir / rel, opts.imgs_dir / rel]
    if rel.startswith("imgs/"):
        candidates.append(opts.imgs_dir / rel[len("imgs/") :])
    return candidates


def anchor_target(coll: Collection, src: Source, fragment: str) -> str | None:
    """Where `#fragment` in the source `src` leads (a page dir, or `dir#name`); no fragment: the
    source's page, or its question's when the file is one question. None when nothing has it."""
    targets = coll.targets
    if not fragment:
        if src.kind == "file" and src.questions:
            return targets.indexes[src.path].find(src.questions[0].anchor) or coll.source_dirs[src.path]
        return coll.source_dirs[src.path]
    return targets.indexes[src.path].find(fragment) or targets.inner_indexes[src.path].find(fragment)


def source_of(coll: Collection, found: Path) -> Source | None:
    """The source a markdown file of the repository is, or None (it lies outside content/)."""
    real, content = coll.real(found), coll.real(coll.opts.content_dir)
    return coll.by_path.get(real.relative_to(content).as_posix()) if real.is_relative_to(content) else None


def serves(coll: Collection, found: Path) -> bool:
    """Does the site show the repository file `found`: a source's page, or a copied image?"""
    if found.suffix.lower() == ".md":
        return source_of(coll, found) is not None
    return refusal(found, coll.opts.repo_root, coll.real) is None


class PageLinks(LinkDecisions):
    """Resolves the references of one piece of text from one source, shown on one page."""

    def __init__(self, coll: Collection, src: Source, page_dir: str) -> None:
        self.coll = coll
        self.src = src
        self.page_dir = page_dir
        self.src_dir = coll.opts.content_dir / src.section if src.section else coll.opts.content_dir
        self.found = Found()

    def _diag(self, line: int, col: int, severity: Severity, code: str, msg: str) -> None:
        self.found.diagnostics.append(Diagnostic(self.src.path, line, severity, code, msg, col))

    def _outside(
        self, found: Path | Literal["outside"] | None, shown: str, line: int, col: int
    ) -> Path | Literal["outside"] | None:
        """`found`, reported when it leads outside the repository."""
        if found == OUTSIDE:
            self._diag(line, col, "error", "path-outside-repo", f"'{shown}' points outside the repository; not copied")
        return found

    def _locate(self, candidates: list[Path], shown: str, line: int, col: int) -> Path | Literal["outside"] | None:
        found = locate(candidates, self.coll.opts.repo_root, self.found.looked, self.coll.real)
        return self._outside(found, shown, line, col)

    def _copy(self, path: Path, what: str, line: int, col: int) -> str | None:
        """The URL of the repository file `path` copied into the site, or None when it may not be."""
        why = refusal(path, self.coll.opts.repo_root, self.coll.real)
        if why is not None:
            self._diag(line, col, "warning", "file-not-copied", f"{what} is not copied: {why}")
            return None
        dest = asset_path(path, self.coll.opts.repo_root, self.coll.real)
        self.found.assets[dest] = path
        return relative_url(self.page_dir, dest)

    def image(self, target: str, line: int, col: int = 1) -> Image:
        """A local image copied into the site, a remote or data URL kept, or missing (None)."""
        rooted = self._outside(find_rooted(self.coll, target, self.found.looked), target, line, col) if target else None
        if not target or rooted == OUTSIDE:
            return Image(None)
        if rooted is not None and (
            target.startswith("/") or refusal(rooted, self.coll.opts.repo_root, self.coll.real) is None
        ):
            return Image(self._copy(rooted, f"image '{target}'", line, col))
        if is_remote(target):
            self._diag(line, col, "info", "remote-image", f"image '{target}' is loaded from another host")
            return Image(target, remote=True)
        if target.lower().startswith("data:image/"):
            return Image(target)
        rel = _local(target) if not is_external(target) else None
        if rel is None and not target.startswith("/"):
            what = f"image '{target}' is an absolute or non-file path; use a path inside the repository"
            self._diag(line, col, "error", "path-absolute", what)
            return Image(None)
        found = self._locate(image_candidates(self.coll.opts, self.src_dir, rel), target, line, col) if rel else None
        if found is None:
            return self._missing(target, line, col)
        return Image(None if found == OUTSIDE else self._copy(found, f"image '{target}'", line, col))

    def _missing(self, target: str, line: int, col: int) -> Image:
        severity: Severity = "error" if self.coll.opts.missing_images == "error" else "warning"
        self._diag(line, col, severity, "image-missing", f"image '{target}' is not in the repository")
        return Image(None)

    def link(self, target: str, line: int, col: int = 1, html: bool = False) -> str | None:
        """A link's new href: to a question, chapter or source page (and anchor), to a copied
        file, unchanged when external; None (with a diagnostic) when it leads nowhere."""
        if not target:
            return target
        path, hash_mark, fragment = target.partition("#")
        rooted = self._outside(find_rooted(self.coll, target, self.found.looked), target, line, col)
        if rooted == OUTSIDE or (rooted is None and target.startswith("/") and not target.startswith("//")):
            if rooted is None:
                self._diag(line, col, "warning", "link-missing", f"link target '{target}' is not in the repository")
            return None
        if rooted is None and is_external(target):
            return target
        if rooted is not None and is_external(target) and not serves(self.coll, rooted):
            return target  # a GitHub URL of a file the site does not show: the link stays on GitHub
        to: str | tuple[Source, str | None] | None = (self.src, None)
        if rooted is not None:
            to = self._to_file(rooted, target, line, col)
        elif path:
            to = self._link_file(target, path, bool(hash_mark), line, col)
        if not isinstance(to, tuple):  # a copied file, or nothing
            return None if to is None else to + (hash_mark + fragment if fragment else "")
        src, fragment = to[0], fragment if to[1] is None else to[1]
        found_dir = anchor_target(self.coll, src, fragment)
        if found_dir is None:
            self.found.dead_anchors.append(DeadAnchor(self.src.path, line, col, clean_fragment(fragment), src.path))
            return None
        return target_url(self.page_dir, found_dir, html)

    def _link_file(
        self, target: str, path: str, has_hash: bool, line: int, col: int
    ) -> str | tuple[Source, str | None] | None:
        """What the path part of a link leads to: a copied file's URL, a source (with the
        fragment to use instead of the link's, when the path was an anchor), or None."""
        rel = _local(path)
        found = self._locate([self.src_dir / rel], target, line, col) if rel else None
        if found == OUTSIDE:
            return None
        if found is not None:
            return self._to_file(found, target, line, col)
        if not has_hash and self.coll.targets.indexes[self.src.path].find(path) is not None:
            self._diag(line, col, "info", "link-no-hash", f"link '{target}' has no '#'; read as an anchor")
            return self.src, target
        self._diag(line, col, "warning", "link-missing", f"link target '{target}' does not exist")
        return None

    def _to_file(self, found: Path, target: str, line: int, col: int) -> str | tuple[Source, str | None] | None:
        """Where a link to the repository file `found` leads: its source's page, or the file copied."""
        if found.suffix.lower() != ".md":
            return self._copy(found, f"link target '{target}'", line, col)
        other = source_of(self.coll, found)
        if other is None:  # markdown outside content/ is no page of the site
            self._diag(line, col, "warning", "link-missing", f"link target '{target}' is not a source")
        return None if other is None else (other, None)


def rewrite_kept(resolver: PageLinks, text: str, first_line: int) -> str:
    """The text with its links and images resolved for the resolver's page: what
    `rewrite_markdown(text, first_line, resolver)` returns, the text read once in two generations.

    What `rewrite_markdown` asks of a text is decided by the text and the answers before (an
    image found missing, say, has its alt text's links left alone), and what it makes of it by
    the text and the answers alone. A text rewritten in the last two generations (`serve`, after
    an edit elsewhere) is therefore not read again: its questions are asked again, in order, up
    to the first answer that differs; when every answer is the same, each question was the one
    a new reading would have asked, the text is the same, and the resolver has found what
    reading it would have found."""
    if not text:
        return ""
    key = (text, first_line)
    kept = _REWRITES.peek(key)
    if kept is not None:
        rewritten, asked = kept
        if all(getattr(resolver, name)(*args) == answer for name, args, answer in asked):
            _REWRITES.put(key, kept)
            return rewritten
        resolver.found = Found()  # an answer changed: what the questions asked so far found goes
    recorder = _Recorder(resolver)
    rewritten = rewrite_markdown(text, first_line, recorder)
    _REWRITES.put(key, (rewritten, tuple(recorder.asked)))
    return rewritten


Asked = tuple[str, tuple[object, ...], object]  # the resolver's method, its arguments, its answer


class _Recorder(LinkDecisions):
    """A resolver that answers as `resolver` does and writes down every question and answer."""

    def __init__(self, resolver: LinkDecisions) -> None:
        self.resolver = resolver
        self.asked: list[Asked] = []

    def image(self, target: str, line: int, col: int = 1) -> Image:
        """`resolver`'s answer, written down."""
        found = self.resolver.image(target, line, col)
        self.asked.append(("image", (target, line, col), found))
        return found

    def link(self, target: str, line: int, col: int = 1, html: bool = False) -> str | None:
        """`resolver`'s answer, written down."""
        href = self.resolver.link(target, line, col, html)
        self.asked.append(("link", (target, line, col, html), href))
        return href


# Each text rewritten (with its first line) -> the rewritten text and what was asked to make it.
_REWRITES: Memo[tuple[str, int], tuple[str, tuple[Asked, ...]]] = Memo()


def dead_anchor_findings(dead: list[DeadAnchor], path: str) -> list[Diagnostic]:
    """A `link-anchor-missing` per dead anchor link written in the source `path`; when it has more than
    MISSING_ANCHORS_SHOWN of them (dozens of `#bookmark123` links to a lost export, say), one
    `link-anchors-missing` line at the first, naming the first few."""
    if len(dead) <= MISSING_ANCHORS_SHOWN:
        return [
            Diagnostic(
                path,
                d.line,
                "warning",
                "link-anchor-missing",
                f"link '#{d.anchor}' names no question, chapter or anchor in {d.target}",
                d.col,
            )
            for d in dead
        ]
    named = ", ".join(f"'#{d.anchor}' (line {d.line})" for d in dead[:MISSING_ANCHORS_SHOWN])
    return [
        Diagnostic(
            path,
            dead[0].line,
            "warning",
            "link-anchors-missing",
            f"{len(dead)} links name anchors that no heading or anchor has: {named} "
            f"and {len(dead) - MISSING_ANCHORS_SHOWN} more; they are shown as plain text "
            "(point them at a heading, or remove them)",
            dead[0].col,
        )
    ]
