import pytest

from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.identity import services
from onestop.identity.card_reader import CardRead, CardReader, SimulatedCardReader, card_reader
from onestop.identity.models import SignInFailure
from onestop.identity.tests.factories import PersonFactory, machine

ID18 = "440106199003071231"
OLD15 = "440106900307123"


class AlwaysTheSameCard(CardReader):
    def read(self, raw: str) -> CardRead:
        return CardRead("social_security", "GZ00001234")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (ID18, CardRead("resident_id", ID18)),
        (" 4401 0619 9003 0712 31 ", CardRead("resident_id", ID18)),
        (OLD15, CardRead("resident_id", ID18)),
        (f"{ID18} 王小明", CardRead("resident_id", ID18, name="王小明")),
        (f"欧阳·娜娜,{ID18}", CardRead("resident_id", ID18, name="欧阳·娜娜")),
        ("４４０１０６１９９００３０７１２３１", CardRead("resident_id", ID18)),
        ("gz00001234", CardRead("social_security", "GZ00001234")),
        ("123456789", CardRead("social_security", "123456789")),
        ("A12B34C56D78", CardRead("social_security", "A12B34C56D78")),
    ],
)
def test_the_simulator_reads_ids_and_social_security_numbers(raw, expected):
    assert SimulatedCardReader().read(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", None),
        ("ABCDEFGHIJ", None),  # no digit
        ("12345678", None),  # too short for a card number
        ("1234567890123", None),  # 13 characters: neither
        (ID18[:17] + "0", "check_digit"),
        ("440106199013071231", "birth_date"),
    ],
)
def test_the_simulator_refuses_what_it_cannot_read(raw, reason):
    with pytest.raises(DomainError) as raised:
        SimulatedCardReader().read(raw)
    assert raised.value.code == "card_unreadable"
    assert raised.value.params.get("reason") == reason


def test_the_reader_in_use_comes_from_settings(settings):
    # given
    settings.ONESTOP_CARD_READER = f"{__name__}.AlwaysTheSameCard"

    # then
    assert isinstance(card_reader(), AlwaysTheSameCard)


@pytest.mark.django_db
def test_a_person_is_identified_by_either_card_and_each_time_is_audited():
    # given
    person = PersonFactory.create(id_number=ID18, social_security_no="GZ00001234")
    kiosk = machine()

    # when
    by_id = services.person_identify_by_card(raw=OLD15, device=kiosk)
    by_card = services.person_identify_by_card(raw="GZ00001234")

    # then
    assert by_id == by_card == person
    entries = AuditEntry.objects.filter(action="person.identify_by_card").order_by("seq")
    assert [e.actor_id for e in entries] == [kiosk.pk, None]
    assert entries[0].changes["after"] == {
        "card": "resident_id",
        "number": "4401**********1231",
        "found": True,
    }


@pytest.mark.django_db
def test_an_unknown_card_is_card_unknown_404():
    with pytest.raises(DomainError) as raised:
        services.person_identify_by_card(raw=ID18, ip="203.0.113.9")
    assert raised.value.code == "card_unknown"
    assert raised.value.status == 404
    assert SignInFailure.objects.filter(ip="203.0.113.9").count() == 1


@pytest.mark.django_db
def test_an_unreadable_card_is_card_unreadable_422():
    with pytest.raises(DomainError) as raised:
        services.person_identify_by_card(raw="??")
    assert raised.value.code == "card_unreadable"
    assert raised.value.status == 422
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_trying_unknown_cards_one_after_another_is_throttled(settings):
    # given
    settings.ONESTOP_SIGNIN_MAX_FAILURES = 3
    PersonFactory.create(id_number=ID18)
    for n in range(3):
        with pytest.raises(DomainError):
            services.person_identify_by_card(raw=f"SZ9999999{n}", ip="203.0.113.9")

    # when
    with pytest.raises(DomainError) as raised:
        services.person_identify_by_card(raw=ID18, ip="203.0.113.9")

    # then
    assert raised.value.code == "signin_throttled"
