"""Titles compared folded: widths, case, spaces and punctuation always; simplified and
traditional characters (their pinyin) only for titles long enough that homophones do not meet."""

from __future__ import annotations

from qadocs.core.text.titlekey import SOUND_MIN_HAN, sound_key, title_key


def test_widths_case_spaces_and_punctuation_fold_alike() -> None:
    assert title_key("什么是LoRA？") == title_key("什么是 ＬｏＲＡ?") == title_key("什么是lora")
    assert title_key("？？？") == "" and title_key("A/B 测试") == "ab测试"
    assert title_key("什么是栈？") != title_key("什么是站？")


def test_simplified_and_traditional_sound_alike_when_long() -> None:
    simplified, traditional = "扩散模型与过拟合有什么关系？", "擴散模型與過擬合有什麼關係？"
    assert title_key(simplified) != title_key(traditional)
    assert sound_key(simplified) == sound_key(traditional) is not None


def test_short_titles_have_no_sound() -> None:
    assert sound_key("什么是栈？") is None and sound_key("什么是站？") is None
    assert sound_key("什么是LoRA？") is None  # 3 Han characters
    assert sound_key("一" * SOUND_MIN_HAN) is not None and sound_key("一" * (SOUND_MIN_HAN - 1)) is None
