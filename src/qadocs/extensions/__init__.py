"""Python-Markdown extensions that render what GitHub renders: `gfm`, `mathml`, `sanitize`."""
