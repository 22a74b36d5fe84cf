"""What a generation is asked to do: where things are and how strict to be."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

MissingImages = Literal["placeholder", "error"]
MISSING_IMAGES: tuple[MissingImages, ...] = ("placeholder", "error")
# The defaults of mkdocs.yml's `plugins: - qadocs:` options, which `qadocs check` and `qadocs split`
# read from the same file (`cli._options`); paths are relative to mkdocs.yml's folder.
DEFAULT_CONTENT = "content"
DEFAULT_IMGS = "imgs"
REGISTRY_NAME = "qadocs-registry.yml"  # in the content folder: the permanent ids (core/registry)
# How a file's questions are laid out (mkdocs.yml's `layout`, a file's front matter): the heading
# level of its questions, or a form; None: read from the file (core/split/roles).
Layout = int | Literal["page", "file", "article", "bold", "list", "fold"] | None


@dataclass(slots=True, frozen=True)
class Options:
    """Where things are and how strict to be; paths are absolute."""

    repo_root: Path
    content_dir: Path
    imgs_dir: Path
    base_url: str = "/"
    missing_images: MissingImages = "placeholder"
    registry_path: str = REGISTRY_NAME  # how diagnostics name the registry file
    layout: tuple[tuple[str, Layout], ...] = ()  # (glob, questions' heading level or "page"), first match wins
    site_description: str = ""  # mkdocs.yml's: no page description may be the same text
    search: bool = True  # write the search index (qadocs-search/) and its script
    jobs: int = 0  # processes that build pages (0: one per core it may use; 1: this one only)
