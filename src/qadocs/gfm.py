"""`qadocs.gfm`, the name `mkdocs.yml` files have used: the extension lives in
`qadocs.extensions.gfm`."""

from qadocs.extensions.gfm import makeExtension

__all__ = ["makeExtension"]
