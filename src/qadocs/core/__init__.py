"""qadocs' core: sources in, pages planned and written. It imports neither mkdocs, Python-Markdown,
Jinja nor multiprocessing; `qadocs split` runs it alone."""
