"""Data in the reader's language: given translations first, then OpenCC for Traditional
Chinese, then the Simplified text itself."""

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from onestop.core.i18n import translate_text, translated

CENTRE = SimpleNamespace(
    name="天河区政务服务中心", name_i18n={"en": "Tianhe District Government Service Centre"}
)


def test_english_uses_the_given_translation():
    assert translated(CENTRE, "name", "en") == "Tianhe District Government Service Centre"


def test_traditional_chinese_is_converted_when_not_given():
    assert translated(CENTRE, "name", "zh-hant") == "天河區政務服務中心"


def test_a_given_traditional_translation_wins_over_the_conversion():
    assert translate_text("发展", {"zh-hant": "發展（特例）"}, "zh-hant") == "發展（特例）"


def test_a_missing_english_translation_falls_back_to_the_chinese():
    assert translate_text("越秀区政务服务中心", {}, "en") == "越秀区政务服务中心"
    assert translate_text("越秀区政务服务中心", {"en": "  "}, "en") == "越秀区政务服务中心"


def test_simplified_chinese_is_the_field_itself():
    assert translated(CENTRE, "name", "zh-hans") == "天河区政务服务中心"


def test_the_template_filter_follows_the_active_language():
    template = Template('{% load i18n_data %}{{ centre|tr:"name" }}')
    with translation.override("en"):
        english = template.render(Context({"centre": CENTRE}))
    with translation.override("zh-hant"):
        traditional = template.render(Context({"centre": CENTRE}))
    assert english == "Tianhe District Government Service Centre"
    assert traditional == "天河區政務服務中心"
