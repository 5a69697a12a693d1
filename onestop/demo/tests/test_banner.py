"""The banner `onestop serve` prints: its role column lines up in any language."""

import unicodedata

from onestop.demo.management.commands.serve import _padded


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_chinese_and_latin_labels_pad_to_the_same_column():
    assert {_columns(_padded(label, 24)) for label in ("窗口人员", "12345热线座席", "role")} == {24}


def test_a_label_wider_than_the_column_is_left_whole():
    wide = "部门承办人员" * 3
    assert _padded(wide, 24) == wide
