"""`qadocs.mathml`, the name `mkdocs.yml` files have used: the extension lives in
`qadocs.extensions.mathml`."""

from qadocs.extensions.mathml import makeExtension

__all__ = ["makeExtension"]
