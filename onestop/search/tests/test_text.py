"""The text pipeline: folding, punctuation, pinyin, segmentation; the synonym model."""

import pytest
from django.core.exceptions import ValidationError

from onestop.search.lexicon import segmenter_for
from onestop.search.models import Synonym
from onestop.search.text import pinyin_full, pinyin_initials, text_fold, text_normalise


def test_full_width_forms_become_half_width_and_lower_case():
    assert text_fold("ＳＨＥＢＡＯ１２３") == "shebao123"


def test_traditional_characters_fold_to_simplified():
    assert text_normalise("開飯店要什麼證") == "开饭店要什么证"
    assert text_normalise("護照") == "护照"


def test_punctuation_symbols_and_emoji_become_single_spaces():
    assert text_normalise("“社保”——缴费？！(NEAR*) 😀 a:b") == "社保 缴费 near a b"


def test_nothing_but_punctuation_normalises_to_empty():
    assert text_normalise(" \t“”（）*^'-- ") == ""


def test_pinyin_and_initials_of_a_word():
    assert pinyin_full("社保缴费") == "shebaojiaofei"
    assert pinyin_initials("社保缴费") == "sbjf"
    assert pinyin_full("开饭店") == "kaifandian"


def test_domain_words_are_kept_whole_and_their_parts_indexed():
    # given
    segmenter = segmenter_for("不动产权证书 20000", {"社保": ("社会保险",)})

    # when
    words = segmenter.words("查不动产权证书")
    tokens = segmenter.tokens("基本养老保险费")

    # then
    assert "不动产权证书" in words
    assert segmenter.words("社保缴费")[0] == "社保"
    assert {"养老保险", "养老", "保险"} <= set(tokens)


def test_segmentation_is_the_same_for_the_same_dictionary():
    first = segmenter_for("港澳通行证 20000", {}).tokens("办理往来港澳通行证签注")
    segmenter_for("", {"开饭店": ("餐饮",)})
    again = segmenter_for("港澳通行证 20000", {}).tokens("办理往来港澳通行证签注")
    assert first == again


@pytest.mark.django_db
def test_a_synonym_reads_as_term_and_expansions():
    synonym = Synonym(term="老人证", expansions="老年人优待证｜优待证")
    assert str(synonym) == "老人证 → 老年人优待证、优待证"
    synonym.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("term", "expansions", "field"),
    [("", "社会保险", "term"), ("！！", "社会保险", "term"), ("社保", "｜ ｜", "expansions"),
     ("社保", "社保", "expansions"), ("社保", "社保 ", "expansions")],
)  # fmt: skip
def test_a_synonym_without_meaning_is_refused(term, expansions, field):
    with pytest.raises(ValidationError) as raised:
        Synonym(term=term, expansions=expansions).full_clean()
    assert field in raised.value.message_dict


@pytest.mark.django_db
def test_the_seeded_synonyms_cover_the_common_abbreviations():
    terms = set(Synonym.objects.values_list("term", flat=True))
    assert {"社保", "公积金", "营业执照", "开饭店", "落户", "新生儿", "驾照", "房产证"} <= terms
    assert Synonym.objects.count() >= 60
