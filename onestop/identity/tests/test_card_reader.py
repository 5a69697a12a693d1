import pytest
from django.urls import reverse

from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.identity import services
from onestop.identity.card_reader import CardRead, CardReader, SimulatedCardReader, card_reader
from onestop.identity.models import SignInFailure
from onestop.identity.tests.factories import PersonFactory, machine

KIOSK = reverse("identity:kiosk_card")
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


@pytest.mark.django_db
def test_the_kiosk_page_is_public_and_has_a_labelled_input(client):
    # when
    response = client.get(KIOSK)

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_card"' in html


@pytest.mark.django_db
def test_the_kiosk_page_shows_the_person_masked(client):
    # given
    PersonFactory.create(name="张三丰", id_number=ID18)

    # when
    response = client.post(KIOSK, {"card": ID18})

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "张**" in html
    assert "4401**********1231" in html
    assert "张三丰" not in html
    assert ID18 not in html


@pytest.mark.django_db
def test_the_kiosk_page_shows_a_friendly_error_for_an_unknown_card(client):
    # when
    response = client.post(KIOSK, {"card": ID18})

    # then
    assert response.status_code == 404
    assert 'role="alert"' in response.content.decode()
    assert "ask at a window" in response.content.decode()


@pytest.mark.django_db
def test_the_kiosk_page_says_what_is_wrong_with_a_mistyped_number(client):
    # when
    response = client.post(KIOSK, {"card": ID18[:17] + "0"})

    # then
    assert response.status_code == 422
    assert "check digit" in response.content.decode()
