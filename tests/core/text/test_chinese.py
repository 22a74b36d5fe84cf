"""What Chinese text is (`qadocs.core.text.chinese`): Han characters and Chinese numerals."""

from __future__ import annotations


def test_what_chinese_text_is() -> None:
    from qadocs.core.text.chinese import CN_NUMERALS, cn_value, is_han

    assert is_han("问") and is_han("\u3400") and is_han("\uf900")  # unified, extension A, compatibility
    assert not is_han("\u4dc0") and not is_han("。") and not is_han("a")  # a hexagram, a mark, a letter
    assert [cn_value(n) for n in ("一", "十一", "二十三", "一百零五", "两", "〇")] == [1, 11, 23, 105, 2, 0]
    assert {"千", "壹", "两"} <= CN_NUMERALS and "的" not in CN_NUMERALS
