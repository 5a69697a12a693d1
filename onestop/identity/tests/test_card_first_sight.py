"""A card seen for the first time at a hall registers its holder (一卡): the card is the
identity. What the card does not tell (a social-security card number alone) is refused."""

import pytest

from onestop.core import pii
from onestop.core.access import Role
from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.identity import services
from onestop.identity.card_reader import CardRead, CardReader
from onestop.identity.models import Person, SignInFailure
from onestop.identity.tests.factories import PersonFactory, device, resident_id, staff

pytestmark = pytest.mark.django_db

ID18 = "440106199003071231"
# The example of GB 11643 itself: a valid number nobody in the tests holds.
STANDARD_EXAMPLE = "11010519491231002X"


class SocialSecurityChip(CardReader):
    """A reader of third-generation social-security cards: the chip gives the holder's
    name and resident ID number beside the card number."""

    def read(self, raw: str) -> CardRead:
        return CardRead("social_security", "GZ00007777", name="陈小红", holder_id_number=ID18)


def test_a_new_resident_id_registers_its_holder_unverified_and_audited():
    # given
    kiosk = device()

    # when
    held = services.person_from_card(raw=STANDARD_EXAMPLE, device=kiosk)

    # then
    assert held.registered is True
    person = Person.objects.get(pk=held.person.pk)
    assert person.name == ""
    assert person.sex == "F"
    assert str(person.birth_date) == "1949-12-31"
    assert person.real_name_level == 0
    assert person.id_number_index == pii.blind_index(pii.PiiKind.RESIDENT_ID, STANDARD_EXAMPLE)
    # Sealed and masked like every other identifier: no plaintext in the row.
    assert STANDARD_EXAMPLE not in person.id_number_sealed
    assert person.id_number_masked == "1101**********002X"
    entry = AuditEntry.objects.get(action="person.register_from_card")
    assert entry.actor_id == kiosk.pk
    assert STANDARD_EXAMPLE not in str(entry.changes)


def test_the_same_card_again_finds_the_person_registered_the_first_time():
    # given
    kiosk = device()
    first = services.person_from_card(raw=STANDARD_EXAMPLE, device=kiosk)

    # when
    again = services.person_from_card(raw=STANDARD_EXAMPLE.lower(), device=kiosk)

    # then
    assert again.registered is False
    assert again.person == first.person
    assert Person.objects.count() == 1


def test_the_name_a_chip_holds_is_registered_with_the_number():
    # given
    kiosk = device()

    # when
    held = services.person_from_card(raw=f"{STANDARD_EXAMPLE} 王 小明", device=kiosk)

    # then
    assert Person.objects.get(pk=held.person.pk).name == "王小明"


def test_a_known_card_is_not_registered_twice():
    # given
    known = PersonFactory.create(id_number=ID18, name="李四")

    # when
    held = services.person_from_card(raw=ID18, device=device())

    # then
    assert (held.person, held.registered) == (known, False)
    assert not AuditEntry.objects.filter(action="person.register_from_card").exists()


def test_a_social_security_number_alone_is_refused_and_changes_nothing():
    # given
    kiosk = device()

    # when
    with pytest.raises(DomainError) as raised:
        services.person_from_card(raw="GZ00009999", device=kiosk)

    # then
    assert (raised.value.code, raised.value.status) == ("card_unknown", 404)
    assert Person.objects.count() == 0
    assert SignInFailure.objects.count() == 1


def test_a_social_security_chip_that_gives_its_holder_registers_both_numbers(settings):
    # given
    settings.ONESTOP_CARD_READER = f"{__name__}.SocialSecurityChip"

    # when
    held = services.person_from_card(raw="anything", device=staff(Role.WINDOW_CLERK))

    # then
    person = Person.objects.get(pk=held.person.pk)
    assert held.registered is True
    assert person.name == "陈小红"
    assert person.social_security_no_index == pii.blind_index(
        pii.PiiKind.SOCIAL_SECURITY_NO, "GZ00007777"
    )


def test_an_invalid_number_is_unreadable_and_registers_nobody():
    with pytest.raises(DomainError) as raised:
        services.person_from_card(raw=STANDARD_EXAMPLE[:17] + "1", device=device())
    assert raised.value.code == "card_unreadable"
    assert Person.objects.count() == 0


def test_only_a_hall_registers_from_a_card():
    with pytest.raises(DomainError) as raised:
        services.person_from_card(raw=STANDARD_EXAMPLE, device=staff(Role.HOTLINE_AGENT))
    assert raised.value.status == 403
    assert Person.objects.count() == 0


def test_a_device_registering_newcomers_faster_than_a_hall_does_is_stopped(settings):
    # given
    settings.ONESTOP_CARD_REGISTRATIONS_PER_HOUR = 2
    kiosk = device()
    for n in (1, 2):
        services.person_from_card(raw=resident_id(n), device=kiosk)
    third = resident_id(3)

    # when
    with pytest.raises(DomainError) as raised:
        services.person_from_card(raw=third, device=kiosk)

    # then
    assert (raised.value.code, raised.value.status) == ("card_registrations_throttled", 429)
    assert Person.objects.count() == 2
