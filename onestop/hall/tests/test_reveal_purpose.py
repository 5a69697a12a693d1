"""The hall vouches for a clerk seeing the full identifiers of the person at their window,
and for nobody else."""

import pytest

from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.hall import services
from onestop.hall.purposes import AT_WINDOW_PURPOSE
from onestop.hall.tests.factories import at, hall, person
from onestop.identity import services as identity_services
from onestop.identity.hooks import registered_purposes

pytestmark = pytest.mark.django_db


def _reveal(clerk, someone):
    return identity_services.person_reveal_for(
        actor=clerk, person_id=someone.pk, field="id_number", reason="checking the card"
    )


def test_the_hall_registers_its_purpose_when_the_app_is_ready():
    assert AT_WINDOW_PURPOSE in registered_purposes()


def test_a_clerk_sees_the_id_number_of_the_person_whose_ticket_is_at_their_window():
    # given: a ticket of the person called to window 1
    built = hall()
    someone = person()
    built.open(0)
    ticket = built.issue(person=someone)
    called = built.call(0)
    assert called is not None and called.pk == ticket.pk

    # when
    revealed = _reveal(built.clerks[0], someone)

    # then: shown, and the audit entry names the ticket it was shown for
    assert revealed.value and revealed.value[:4] == someone.id_number_masked[:4]
    assert revealed.purpose.kind == AT_WINDOW_PURPOSE
    entry = AuditEntry.objects.get(action="person.reveal")
    assert entry.changes["after"]["purpose_ref"] == f"hall.ticket:{ticket.pk}"


def test_another_clerk_or_a_clerk_elsewhere_is_refused():
    # given: the person's ticket is at window 1; the clerk of window 2 and a clerk of
    # another centre ask
    built, other = hall(), hall()
    someone = person()
    built.open(0)
    built.open(1)
    built.issue(person=someone)
    built.call(0)

    # when
    refusals = []
    for clerk in (built.clerks[1], other.clerks[0]):
        with pytest.raises(DomainError) as raised:
            _reveal(clerk, someone)
        refusals.append((raised.value.status, raised.value.code))

    # then: refused, and each refusal is on record
    assert refusals == [(403, "reveal_purpose_missing")] * 2
    assert AuditEntry.objects.filter(action="person.reveal_refused").count() == 2
    assert not AuditEntry.objects.filter(action="person.reveal").exists()


def test_the_purpose_ends_when_the_ticket_is_finished():
    # given: the person was served and has left the window
    built = hall()
    someone = person()
    built.open(0)
    built.issue(person=someone)
    ticket = built.call(0)
    services.ticket_start(actor=built.clerks[0], ticket_id=ticket.pk, now=at(9, 31))
    services.ticket_finish(actor=built.clerks[0], ticket_id=ticket.pk, now=at(9, 40))

    # when
    with pytest.raises(DomainError) as raised:
        _reveal(built.clerks[0], someone)

    # then
    assert raised.value.code == "reveal_purpose_missing"
