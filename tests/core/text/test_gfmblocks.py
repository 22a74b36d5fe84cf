"""`qadocs.extensions.gfm`'s two stages on their own: reading the block map (`_Scan`), rewriting the lines."""

from __future__ import annotations

from qadocs.core.text.gfmblocks import MAX_NESTING, _Scan, analyse, normalise, normalise_lists

TEXT = "\n".join(
    [
        "text",  # 0
        "- a",  # 1: an item holding a code fence (heavy)
        "  ```",  # 2
        "  code",  # 3
        "  ```",  # 4
        "- b",  # 5
        "  2. not an item",  # 6: paragraph text on GitHub, an item to Python-Markdown
        "> [!TIP]",  # 7
        "> hi",  # 8
    ]
)


def test_scan_finds_where_lines_change() -> None:
    lines = TEXT.split("\n")
    edits = _Scan(lines, analyse(TEXT)[0]).run()
    assert edits.blank_before == {1, 2, 5, 7}  # before the list and the fence, after the fence and the list
    assert {n: (item.start, item.end, item.depth, item.content) for n, item in edits.owner.items()} == {
        1: (1, 5, 1, 2),
        2: (1, 5, 1, 2),
        3: (1, 5, 1, 2),
        4: (1, 5, 1, 2),
        5: (5, 7, 1, 2),
        6: (5, 7, 1, 2),
    }
    assert edits.alerts == {7: (9, "tip")}
    assert edits.quotes == {} and edits.separators == set()
    assert edits.escapes == {6}


def test_rewrite_reindents_escapes_and_turns_alerts_into_admonitions() -> None:
    assert normalise(TEXT) == "\n".join(
        [
            "text",
            "",
            "- a",
            "",
            "    ```",
            "    code",
            "    ```",
            "",
            "- b",
            "    2\\. not an item",
            "",
            '!!! tip "Tip"',
            "    hi",
        ]
    )


def test_lists_shapes_come_with_the_text() -> None:
    text, shapes = normalise_lists("- a\n- b\n\n1. x\n\n2. y")
    assert text == "- a\n- b\n\n1. x\n\n2. y"
    assert [(s.tight, s.ordered) for s in shapes] == [(True, False), (False, True)]


def test_quotes_are_normalised_inside_until_the_nesting_limit() -> None:
    quoted = "- x\n\n> - a\n>   - b"  # a list before the quote must not change how deep the quote counts
    assert normalise(quoted) == "- x\n\n> - a\n>\n>     - b"
    assert normalise(quoted, MAX_NESTING - 1) == "- x\n\n> - a\n>\n>     - b"
    assert normalise(quoted, MAX_NESTING) == quoted  # past the limit: kept as written


def test_deep_quotes_holding_lists_end() -> None:
    """Each level's list once reset the quote depth, so `> - a` nested 400 deep recursed past Python's limit."""
    levels = 400
    text = "\n".join(line for k in range(levels) for line in ("> " * k + "- a", ("> " * k).rstrip()))
    out = normalise(text)
    assert out.count("- a") == levels
