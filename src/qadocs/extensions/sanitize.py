"""Markdown extension `qadocs.extensions.sanitize`: the rendered HTML passes an allow-list (nh3 / ammonia).

Content comes from many contributors, so raw HTML in answers is untrusted. This postprocessor
runs last, on the whole HTML of a page, and keeps what authors and the renderers legitimately
produce (layout tags, images, links, tables, code highlighting, MathML, details) while dropping
scripts, event handlers, `javascript:`/`data:` URLs (data images excepted), iframes, objects,
embeds, forms and styles. Ids and names that start with `__` are the theme's own (Material's
`__config`, `__search`, `__drawer`…): content that reuses one would clobber the theme's scripts,
so they get GitHub's `user-content-` prefix, and so do `#__…` links. Pure Python-Markdown: no
mkdocs import.
"""

from __future__ import annotations

from typing import Any

import nh3
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

MATHML_TAGS = {
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msub",
    "msup",
    "msubsup",
    "munder",
    "mover",
    "munderover",
    "mfrac",
    "msqrt",
    "mroot",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
    "mtable",
    "mtr",
    "mtd",
    "mlabeledtr",
    "merror",
    "mmultiscripts",
    "mprescripts",
    "none",
}
MATHML_ATTRIBUTES = {
    "display",
    "xmlns",
    "mathvariant",
    "stretchy",
    "fence",
    "separator",
    "lspace",
    "rspace",
    "accent",
    "accentunder",
    "columnalign",
    "rowalign",
    "columnlines",
    "rowlines",
    "rowspacing",
    "columnspacing",
    "displaystyle",
    "scriptlevel",
    "width",
    "height",
    "depth",
    "linethickness",
    "minsize",
    "maxsize",
    "movablelimits",
    "symmetric",
    "form",
    "notation",
    "encoding",
    "columnspan",
    "rowspan",
    "frame",
}
TAGS = (set(nh3.ALLOWED_TAGS) - {"area", "map"}) | MATHML_TAGS
# `data-search-exclude`: Material's search leaves the element out of the index (the placeholder
# of a missing image has it); harmless in content too.
GENERIC_ATTRIBUTES = {
    "class",
    "id",
    "title",
    "lang",
    "dir",
    "align",
    "role",
    "aria-label",
    "aria-hidden",
    "data-search-exclude",
}
ATTRIBUTES: dict[str, set[str]] = {
    "*": GENERIC_ATTRIBUTES,
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "referrerpolicy", "loading"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "col": {"span", "width"},
    "colgroup": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "time": {"datetime"},
    "div": {"hidden"},
    "table": {"width"},
    **dict.fromkeys(MATHML_TAGS, MATHML_ATTRIBUTES),
}
URL_SCHEMES = {"http", "https", "mailto", "data"}
DATA_IMAGE_PREFIXES = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")


THEME_ID_PREFIX = "__"  # every id Material's templates use starts with it
CONTENT_ID_PREFIX = "user-content-"  # GitHub's prefix for ids written in content


def content_id(value: str) -> str:
    """An id (or `name`) from content, moved out of the theme's namespace when it is in it."""
    return CONTENT_ID_PREFIX + value if value.strip().startswith(THEME_ID_PREFIX) else value


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """Keep data: URLs only as the source of a raster image; keep content ids out of the theme's."""
    if attribute in ("id", "name"):
        return content_id(value)
    if attribute == "href" and value.startswith("#"):
        return "#" + content_id(value[1:])
    if attribute in ("src", "href") and value.strip().lower().startswith("data:"):
        if tag == "img" and attribute == "src" and value.strip().lower().startswith(DATA_IMAGE_PREFIXES):
            return value
        return None
    return value


CLEANER = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    attribute_filter=_filter,
    url_schemes=URL_SCHEMES,
    filter_style_properties={"text-align"},
    link_rel=None,
    strip_comments=True,
)  # built once: building the allow-list costs far more than cleaning a page


def sanitize_html(html: str) -> str:
    """Return `html` with everything outside the allow-list removed."""
    return str(CLEANER.clean(html))


class SanitizePostprocessor(Postprocessor):
    """Run the allow-list over the page's final HTML."""

    def run(self, text: str) -> str:
        """Sanitize the page."""
        return sanitize_html(text)


class SanitizeExtension(Extension):
    """`markdown_extensions: - qadocs.extensions.sanitize` (the qadocs plugin adds it when it is missing)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API name
        """Register last: after raw HTML is restored (30) and math is converted (5)."""
        md.postprocessors.register(SanitizePostprocessor(md), "qadocs_sanitize", 1)


def makeExtension(**kwargs: Any) -> SanitizeExtension:  # noqa: N802 - Markdown's API name
    """Entry point Python-Markdown looks for."""
    return SanitizeExtension(**kwargs)
