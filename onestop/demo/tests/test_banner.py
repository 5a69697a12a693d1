"""The banner `onestop serve` prints: its role column lines up in any language; and the
address its links point at."""

import os
import unicodedata

from onestop.demo.management.commands.serve import _padded, links_point_at


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_chinese_and_latin_labels_pad_to_the_same_column():
    assert {_columns(_padded(label, 24)) for label in ("窗口人员", "12345热线座席", "role")} == {24}


def test_a_label_wider_than_the_column_is_left_whole():
    wide = "部门承办人员" * 3
    assert _padded(wide, 24) == wide


def test_links_point_where_the_demo_listens_and_the_issuer_stays(monkeypatch, settings):
    # given: no public address set, licences issued under the default issuer
    monkeypatch.delenv("ONESTOP_PUBLIC_URL", raising=False)
    monkeypatch.delenv("ONESTOP_LICENCE_ISSUER_URL", raising=False)
    issuer = settings.ONESTOP_LICENCE_ISSUER_URL
    # when: the demo serves on port 8001
    links_point_at("http://127.0.0.1:8001")
    # then: this process and the workers it starts link there; the issuer is unchanged
    assert settings.ONESTOP_PUBLIC_URL == "http://127.0.0.1:8001"
    assert os.environ["ONESTOP_PUBLIC_URL"] == "http://127.0.0.1:8001"
    assert os.environ["ONESTOP_LICENCE_ISSUER_URL"] == issuer


def test_an_operators_public_address_is_kept(monkeypatch, settings):
    monkeypatch.setenv("ONESTOP_PUBLIC_URL", "https://onestop.example.gov.cn")
    settings.ONESTOP_PUBLIC_URL = "https://onestop.example.gov.cn"
    links_point_at("http://0.0.0.0:8000")
    assert settings.ONESTOP_PUBLIC_URL == "https://onestop.example.gov.cn"
