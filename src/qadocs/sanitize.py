"""`qadocs.sanitize`, the name `mkdocs.yml` files have used: the extension lives in
`qadocs.extensions.sanitize`."""

from qadocs.extensions.sanitize import makeExtension

__all__ = ["makeExtension"]
