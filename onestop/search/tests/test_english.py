"""English queries: word forms, the shipped lexicon, reading a query as English or not, and
searching a small catalog in English, with the items' English names and the administrators'
own English terms."""

import pytest
from django.core.exceptions import ValidationError

from onestop.search.english import (
    LEXICON_PATH,
    PINYIN,
    STOP,
    TERM,
    UNKNOWN,
    EnglishLexicon,
    LexiconError,
    content_words,
    edit_distance,
    english_read,
    lexicon_build,
    lexicon_duplicates,
    lexicon_parse,
    word_forms,
)
from onestop.search.enums import SynonymKind
from onestop.search.models import ItemTranslation, Synonym
from onestop.search.names import item_names_read, name_in_language
from onestop.search.selectors import search_items, search_suggest
from onestop.search.services import search_index_rebuild
from onestop.search.tests.factories import small_catalog


def _pinyin(*words: str):
    return lambda word: word in words


def _lexicon(*entries: tuple[str, tuple[str, ...]]) -> EnglishLexicon:
    """A lexicon of just these things (lexicon_build lays entries over the shipped one)."""
    return EnglishLexicon((phrase, expansions, False) for phrase, expansions in entries)


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("passports", "passport"),
        ("renewing", "renew"),
        ("renewed", "renew"),
        ("renewal", "renew"),
        ("approval", "approve"),
        ("married", "marry"),
        ("licences", "licence"),
        ("license", "licence"),
        ("licensing", "licence"),
        ("subsidies", "subsidy"),
        ("businesses", "business"),
        ("organization", "organisation"),
        ("centers", "centre"),
        ("children", "child"),
        ("running", "run"),
    ],
)
def test_a_word_is_tried_in_the_forms_the_lexicon_may_hold_it(typed, form):
    assert form in word_forms(typed)


def test_word_forms_never_join_words_that_only_look_alike():
    assert "car" not in word_forms("care")
    assert "car" not in word_forms("cares")
    assert "bu" not in word_forms("bus")


def test_the_shipped_lexicon_parses_and_no_phrase_hides_another():
    # when
    lines = lexicon_parse(LEXICON_PATH.read_text(encoding="utf-8"))

    # then: hundreds of entries, things and actions, every term Chinese
    assert len(lines) >= 250
    assert sum(len(line.phrases) for line in lines) >= 900
    assert any(line.action for line in lines) and not all(line.action for line in lines)
    assert lexicon_duplicates(lines) == []


@pytest.mark.parametrize(
    "text",
    [
        "passport = ",
        "= 护照",
        "passport 护照",
        "the of = 护照",
        "passport = passport",
        "[nouns]",
    ],
)
def test_a_bad_lexicon_line_is_named(text):
    with pytest.raises(LexiconError, match="line 2"):
        lexicon_parse(f"# a comment\n{text}")


def test_a_bad_lexicon_line_is_left_out_when_not_strict():
    lines = lexicon_parse("passport = 护照\npassport 护照\nvisa = 签证", strict=False)
    assert [line.phrases for line in lines] == [("passport",), ("visa",)]


def test_the_administrators_terms_join_the_shipped_lexicon():
    lexicon = lexicon_build([("takeaway", ("食品经营许可",)), ("passport", ("护照本",))])
    assert lexicon.knows("takeaway") and lexicon.knows("marriage")
    assert lexicon.table[("passport",)][-1] == "护照本"


def test_little_words_are_ignored_on_both_sides():
    assert content_words("How do I open a restaurant?") == ("open", "restaurant")


def test_the_longest_phrase_wins_and_word_forms_meet():
    # given
    lexicon = _lexicon(("passport", ("普通护照",)), ("passport renewal", ("办理及加注普通护照",)))

    # when
    reading = english_read(lexicon, ["renewing", "my", "passports"], _pinyin())
    flipped = english_read(lexicon, ["passport", "renewals"], _pinyin())

    # then: "renewing passports" is not the lexicon's order, so passport alone
    assert reading is not None and flipped is not None
    assert [p.kind for p in flipped.pieces] == [TERM]
    assert flipped.pieces[0].expansions == ("办理及加注普通护照",)
    kinds = {p.words: p.kind for p in reading.pieces}
    assert kinds == {("renewing",): UNKNOWN, ("passports",): TERM, ("my",): STOP}


@pytest.mark.parametrize("words", [["shebao"], ["sbjf"], ["hukou", "qianchu"], ["dibao"]])
def test_pinyin_stays_pinyin(words):
    lexicon = _lexicon(("hukou", ("户口",)), ("dibao", ("低保",)), ("card", ("卡",)))
    spelled = _pinyin("shebao", "sbjf", "hukou", "qianchu", "dibao")
    assert english_read(lexicon, words, spelled) is None


def test_english_around_a_pinyin_word_is_english():
    lexicon = _lexicon(("card", ("卡",)))
    reading = english_read(lexicon, ["shebao", "card"], _pinyin("shebao"))
    assert reading is not None
    assert [p.kind for p in reading.pieces] == [PINYIN, TERM]


def test_typos_are_within_one_or_two_edits():
    assert edit_distance("pasport", "passport", 2) == 1
    assert edit_distance("licnece", "licence", 2) == 1  # a swap
    assert edit_distance("visa", "passport", 2) == 3
    lexicon = _lexicon(("passport", ("护照",)), ("marriage", ("结婚",)))
    assert lexicon.nearest("pasport") == ["passport"]
    assert lexicon.nearest("mariage") == ["marriage"]
    assert lexicon.nearest("dog") == []


def test_the_shipped_item_names_are_unique_and_complete():
    rows = item_names_read()
    assert len(rows) >= 150
    assert all(name and english for name, english in rows)


def test_a_name_is_shown_in_the_readers_language():
    english = "Marriage registration"
    assert name_in_language("结婚登记", "", english, "en") == english
    assert name_in_language("结婚登记", "", "", "en") == "结婚登记"
    assert name_in_language("结婚登记", "", english, "zh-hant") == "結婚登記"
    assert name_in_language("结婚登记", "結婚登記處", "", "zh-hant") == "結婚登記處"
    assert name_in_language("结婚登记", "", english, "zh-hans") == "结婚登记"


# --- On a small catalog -------------------------------------------------------------------


@pytest.fixture
def catalog(reference):
    small_catalog()
    search_index_rebuild()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("open a restaurant", "食品经营许可（新办）"),
        ("food business license", "食品经营许可（新办）"),
        ("How do I register my newborn baby?", "出生登记（新生儿入户）"),
        ("Hong Kong travel permit", "办理往来港澳通行证"),
        ("visiting relatives in Hong Kong", "办理往来港澳通行证探亲签注"),
        ("pay social insurance", "城乡居民社会保险费缴纳"),
        ("passport application status", "普通护照办证进度查询"),
    ],
)
def test_english_speakers_find_items_in_their_words(catalog, query, expected):
    page = search_items(query)
    assert page.language == "en"
    assert page.hits[0].name == expected


@pytest.mark.django_db
def test_an_english_query_says_what_it_was_searched_as(catalog):
    page = search_items("open a restaurant")
    assert page.read_as == ("食品经营许可",)
    assert search_items("开饭店").read_as == ()
    assert search_items("开饭店").language == "zh"


@pytest.mark.django_db
def test_hits_carry_the_english_name_shipped_for_the_item(catalog):
    # given: the names shipped with the code, loaded by migration
    assert ItemTranslation.objects.filter(name="食品经营许可（新办）").exists()

    # when
    hit = search_items("open a restaurant").hits[0]

    # then
    assert hit.name_en == "Food business licence (new)"


@pytest.mark.django_db
def test_a_translation_edited_in_the_admin_shows_at_the_next_search(catalog):
    # given
    search_items("开饭店")
    row = ItemTranslation.objects.get(name="食品经营许可（新办）")

    # when
    row.name_en = "Licence to run a restaurant"
    row.save()

    # then
    assert search_items("开饭店").hits[0].name_en == "Licence to run a restaurant"


@pytest.mark.django_db
def test_an_english_term_added_in_the_admin_takes_effect_at_the_next_search(catalog):
    # given: a word nobody shipped
    assert search_items("takeaway").total == 0

    # when
    Synonym.objects.create(term="takeaway", expansions="食品经营许可", kind=SynonymKind.ENGLISH)

    # then
    page = search_items("takeaway")
    assert page.language == "en"
    assert page.hits[0].name == "食品经营许可（新办）"


@pytest.mark.django_db
def test_an_english_term_in_the_admin_needs_english_words():
    synonym = Synonym(term="护照", expansions="普通护照", kind=SynonymKind.ENGLISH)
    with pytest.raises(ValidationError) as error:
        synonym.full_clean()
    assert "term" in error.value.message_dict


@pytest.mark.django_db
def test_english_terms_do_not_change_how_chinese_is_read(catalog):
    # given
    before = [h.item_key for h in search_items("社保缴费").hits]

    # when: an English term whose Chinese would join the dictionary if it were a synonym
    Synonym.objects.create(term="rice", expansions="社保缴费大米", kind=SynonymKind.ENGLISH)

    # then
    assert [h.item_key for h in search_items("社保缴费").hits] == before


@pytest.mark.django_db
def test_a_mistyped_english_word_gets_a_did_you_mean(catalog):
    assert search_items("pasport").did_you_mean == "passport"
    assert search_items("open a restaurnat").did_you_mean == "open a restaurant"


@pytest.mark.django_db
def test_english_suggestions_come_first_on_an_english_page(catalog):
    # when
    english = search_suggest("pass", english_first=True)
    chinese = search_suggest("sheb")

    # then: lexicon phrases and English item names for English, pinyin still for pinyin
    assert english[0].startswith("pass")
    assert "passport renewal" in english
    assert chinese[0] == "社保"
