"""The MkDocs adapter (`plugins: - qadocs`, entry point `qadocs.plugin.adapter:QadocsPlugin`): the
only part of qadocs that imports mkdocs."""
