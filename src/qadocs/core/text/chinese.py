"""What Chinese text is, in one place: Han characters, East Asian text (written without spaces
between words), and Chinese numerals with their values."""

from __future__ import annotations

import re

# Han ideographs: Extension A, the unified block, the compatibility block.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")
# East Asian text, where a line break inside a sentence is no space: Han, kana, CJK punctuation
# and symbols, the radicals, compatibility forms, full-width forms.
EAST_ASIAN = "\u2e80-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"

# Numerals that number a heading or a chapter (一、 / 第三章 / （二）), and their values.
CN_DIGITS = "零〇一二三四五六七八九十百两"
_VALUES = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
# Every character that writes a number, financial forms included: a changed one is no typo.
CN_NUMERALS = frozenset(CN_DIGITS + "千万亿壹贰叁肆伍陆柒捌玖拾佰仟")


def is_han(ch: str) -> bool:
    """True for one Han ideograph (see `HAN`)."""
    return HAN_RE.match(ch) is not None


def cn_value(numeral: str) -> int:
    """一 → 1, 十一 → 11, 二十三 → 23, 一百零五 → 105 (0 when it is no number)."""
    total, current = 0, 0
    for ch in numeral:
        if ch in _VALUES:
            current = current * 10 + _VALUES[ch] if current and ch in "零〇" else _VALUES[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return total + current
