"""The call board, the phone status page and the window console, as their users see them."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from onestop.core.access import Role
from onestop.core.models import AuditEntry
from onestop.hall import services
from onestop.hall.models import Ticket
from onestop.hall.tests.factories import at, hall, person, staff_at
from onestop.hall.urls import PUBLIC_URL_NAMES
from onestop.identity import middleware

pytestmark = pytest.mark.django_db

# Born in 1990: no elderly priority, so the line keeps its arrival order.
ADULT = date(1990, 5, 1)


@pytest.fixture(autouse=True)
def public_hall_pages(monkeypatch):
    """The board and the status page on the public list, as onestop.identity.public will
    have them."""
    monkeypatch.setattr(
        middleware, "PUBLIC_URL_NAMES", middleware.PUBLIC_URL_NAMES | PUBLIC_URL_NAMES
    )


@pytest.fixture(autouse=True)
def ten_oclock():
    with time_machine.travel(at(10), tick=False):
        yield


@pytest.fixture
def h():
    return hall()


@pytest.fixture
def en_client(client):
    client.cookies["django_language"] = "en"
    return client


def _signed_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


# --- The call board ------------------------------------------------------------------------------


def test_the_board_shows_the_latest_calls_newest_first_without_personal_data(h, en_client):
    # given: two calls and a recall of the first
    holder = person(name="陈晓明")
    h.issue("social", person=holder, now=at(9))
    h.issue("social", now=at(9, 1))
    h.open(0, now=at(9))
    h.open(1, now=at(9))
    first = h.call(0, now=at(9, 30))
    h.call(1, now=at(9, 31))
    services.ticket_recall(actor=h.clerks[0], ticket_id=first.pk, now=at(9, 32))

    # when
    response = en_client.get(reverse("hall:board", args=[h.centre.code]))

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('data-display="F001" data-window="1"') < html.index(
        'data-display="F002" data-window="2"'
    )
    assert html.count('data-display="F001"') == 1
    assert "board__call--newest" in html
    assert "陈晓明" not in html and "陈" not in html.split("<body")[1].split("</h1>")[1]
    assert f'data-ws="/ws/hall/board/{h.centre.code}/"' in html
    assert 'data-speech="请{number}号到{window}号窗口"' in html


def test_the_board_of_an_unknown_centre_is_not_found(en_client):
    assert en_client.get(reverse("hall:board", args=["no-such-centre"])).status_code == 404


def test_the_speech_template_follows_the_setting(h, en_client, settings):
    settings.ONESTOP_HALL_CALL_SPEECH = "请{number}号到{window}号窗口办理"

    html = en_client.get(reverse("hall:board", args=[h.centre.code])).content.decode()

    assert 'data-speech="请{number}号到{window}号窗口办理"' in html


# --- The phone status page -----------------------------------------------------------------------


def test_the_status_page_shows_place_and_estimated_wait(h, en_client):
    # given
    h.open(0, now=at(9))
    h.issue("social", now=at(9, 50))
    ticket = h.issue("social", now=at(9, 55))

    # when
    response = en_client.get(reverse("hall:ticket_status", args=[ticket.public_token]))

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "F002" in html
    assert 'data-ahead="1"' in html
    assert "Estimated wait" in html
    assert f'data-ws="/ws/hall/t/{ticket.public_token}/"' in html


def test_the_status_page_names_the_window_once_called_and_links_to_rating_when_done(h, en_client):
    # given
    ticket = h.issue("social", now=at(9, 50))
    h.open(0, now=at(9))
    h.call(0, now=at(9, 55))
    url = reverse("hall:ticket_status", args=[ticket.public_token])

    # when
    called = en_client.get(url).content.decode()
    services.ticket_start(actor=h.clerks[0], ticket_id=ticket.pk, now=at(9, 56))
    services.ticket_finish(actor=h.clerks[0], ticket_id=ticket.pk, now=at(9, 58))
    done = en_client.get(url).content.decode()

    # then
    assert "Please go to window 1 now." in called
    assert f"/ratings/t/{ticket.public_token}/" in done


def test_an_unknown_token_is_not_found(en_client):
    assert en_client.get(reverse("hall:ticket_status", args=["x" * 24])).status_code == 404


def test_a_holder_with_a_phone_chooses_a_text_when_near(h, en_client):
    # given
    h.issue("social", now=at(9, 50))
    ticket = h.issue("social", person=person(born=ADULT), now=at(9, 51))
    url = reverse("hall:ticket_status", args=[ticket.public_token])
    assert 'name="position"' in en_client.get(url).content.decode()

    # when
    response = en_client.post(url, {"position": "1"})

    # then
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.notify_at_position == 1
    assert AuditEntry.objects.filter(action="hall.ticket.notify").count() == 1


def test_the_text_choice_is_refused_without_a_phone_and_changes_nothing(h, en_client):
    # given: a consultation taken without a card
    ticket = h.issue("social", "consultation", now=at(9, 50))
    url = reverse("hall:ticket_status", args=[ticket.public_token])
    assert 'name="position"' not in en_client.get(url).content.decode()

    # when
    response = en_client.post(url, {"position": "2"})

    # then
    assert response.status_code == 422
    assert "phone number on record" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).notify_at_position is None


def test_the_near_turn_text_goes_out_when_the_chosen_place_is_reached(h, en_client):
    # given: two ahead, the holder asks to be told at one ahead
    from onestop.notifications.models import OutboxMessage

    h.issue("social", now=at(9, 40))
    h.issue("social", now=at(9, 41))
    ticket = h.issue("social", person=person(born=ADULT), now=at(9, 42))
    en_client.post(reverse("hall:ticket_status", args=[ticket.public_token]), {"position": "1"})
    h.open(0, now=at(9))

    # when
    h.call(0, now=at(9, 50))

    # then
    assert OutboxMessage.objects.filter(template="queue_near").count() == 1


def test_the_holder_gives_up_a_waiting_number_from_the_phone(h, en_client):
    # given
    ticket = h.issue("social", now=at(9, 50))
    url = reverse("hall:ticket_status", args=[ticket.public_token])
    assert "Give up my number" in en_client.get(url).content.decode()

    # when
    response = en_client.post(reverse("hall:ticket_withdraw", args=[ticket.public_token]))

    # then: cancelled, told so, recorded without a staff actor, and no second offer
    assert response.status_code == 302
    page = en_client.get(response["Location"]).content.decode()
    assert "You gave up number F001." in page
    assert "Give up my number" not in page
    ticket.refresh_from_db()
    assert ticket.state == "cancelled"
    entry = AuditEntry.objects.get(action="hall.ticket.cancelled")
    assert entry.actor_id is None


def test_a_called_number_cannot_be_given_up_and_stays_at_the_window(h, en_client):
    # given
    ticket = h.issue("social", now=at(9, 50))
    h.open(0, now=at(9))
    h.call(0, now=at(9, 55))

    # when
    response = en_client.post(reverse("hall:ticket_withdraw", args=[ticket.public_token]))

    # then
    assert response.status_code == 422
    assert "no longer waiting" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).state == "called"


def test_giving_up_is_a_post_and_an_unknown_number_is_not_found(en_client):
    url = reverse("hall:ticket_withdraw", args=["x" * 24])
    assert en_client.get(url).status_code == 405
    assert en_client.post(url).status_code == 404


# --- The window console --------------------------------------------------------------------------


def test_the_console_is_for_the_centres_clerks_only(h, client):
    # given
    outsider = staff_at(hall().centre, Role.WINDOW_CLERK)
    device = h.kiosk

    # then
    assert _signed_in(client, outsider).get(reverse("hall:console")).status_code == 200
    client.logout()
    assert _signed_in(client, device).get(reverse("hall:console")).status_code == 403
    client.logout()
    assert client.get(reverse("hall:console")).status_code == 302


def test_a_clerk_signs_in_calls_and_serves_from_the_console(h, client):
    # given
    clerk = _signed_in(client, h.clerks[0])
    h.issue("social", "consultation", now=at(9, 50))
    page = clerk.get(reverse("hall:console")).content.decode()
    assert "Sign in at this window" in page

    # when: sign in, see who is next and why, call
    clerk.post(
        reverse("hall:console_window", args=["open"]),
        {"window": h.windows[0].pk, "profile": h.profiles["social"].pk},
    )
    console = clerk.get(reverse("hall:console")).content.decode()
    called = clerk.post(reverse("hall:console_window", args=["call"]), follow=True)

    # then
    assert 'data-reason="profile_order"' in console and 'data-reason="first_in_line"' in console
    assert "Next: C001" in console
    html = called.content.decode()
    assert 'data-display="C001" data-state="called"' in html

    # when: start, convert to an acceptance kept at the window, finish
    ticket = Ticket.objects.get(display="C001")
    clerk.post(reverse("hall:console_ticket", args=[ticket.pk, "start"]))
    clerk.post(
        reverse("hall:console_ticket", args=[ticket.pk, "convert"]),
        {"to_kind": "acceptance", "keep": "on"},
    )
    successor = Ticket.objects.get(parent=ticket)
    finishing = reverse("hall:console_ticket", args=[successor.pk, "finish"])
    finished = clerk.post(finishing, follow=True)

    # then
    successor.refresh_from_db()
    assert (successor.kind, successor.state, successor.display) == ("acceptance", "done", "C001")
    assert "Nobody is at the window." in finished.content.decode()


def test_console_refusals_are_shown_and_change_nothing(h, client):
    # given: a finished ticket and a called one
    clerk = _signed_in(client, h.clerks[0])
    h.open(0, now=at(9))
    first = h.issue("social", now=at(9, 40))
    h.issue("social", "consultation", now=at(9, 41))
    services.ticket_call_next(actor=h.clerks[0], window_id=h.windows[0].pk, now=at(9, 45))
    services.ticket_start(actor=h.clerks[0], ticket_id=first.pk, now=at(9, 46))
    services.ticket_finish(actor=h.clerks[0], ticket_id=first.pk, now=at(9, 47))
    clerk.post(reverse("hall:console_window", args=["call"]))
    called = Ticket.objects.get(display="C001")
    before = list(Ticket.objects.order_by("pk").values_list("pk", "state", "call_count"))

    # when
    converting = clerk.post(
        reverse("hall:console_ticket", args=[first.pk, "convert"]), {"to_kind": "pickup"}
    )
    recalling = clerk.post(reverse("hall:console_ticket", args=[called.pk, "recall"]))
    calling_again = clerk.post(reverse("hall:console_window", args=["call"]))
    by_htmx = clerk.post(
        reverse("hall:console_ticket", args=[called.pk, "recall"]), HTTP_HX_REQUEST="true"
    )

    # then
    assert converting.status_code == 409
    assert "cannot become" in converting.content.decode()
    assert recalling.status_code == 409
    assert "Wait 30 seconds between calls." in recalling.content.decode()
    assert calling_again.status_code == 409
    assert "is still at this window" in calling_again.content.decode()
    assert by_htmx.status_code == 200
    assert 'class="message message--error' in by_htmx.content.decode()
    assert list(Ticket.objects.order_by("pk").values_list("pk", "state", "call_count")) == before


def test_calling_at_a_paused_window_is_refused(h, client):
    clerk = _signed_in(client, h.clerks[0])
    h.open(0, now=at(9))
    h.issue("social", now=at(9, 40))
    clerk.post(reverse("hall:console_window", args=["pause"]))

    response = clerk.post(reverse("hall:console_window", args=["call"]))

    assert response.status_code == 409
    assert "Window 1 is not open: Paused." in response.content.decode()
    assert Ticket.objects.get().state == "waiting"


def test_the_console_reinstates_a_no_show(h, client):
    # given
    clerk = _signed_in(client, h.clerks[0])
    h.open(0, now=at(9))
    ticket = h.issue("social", now=at(9, 10))
    services.ticket_call_next(actor=h.clerks[0], window_id=h.windows[0].pk, now=at(9, 20))
    services.ticket_recall(actor=h.clerks[0], ticket_id=ticket.pk, now=at(9, 21))
    services.ticket_no_show(actor=h.clerks[0], ticket_id=ticket.pk, now=at(9, 22))
    assert "No-shows today" in clerk.get(reverse("hall:console")).content.decode()

    # when
    clerk.post(reverse("hall:console_ticket", args=[ticket.pk, "reinstate"]))

    # then
    ticket.refresh_from_db()
    assert ticket.state == "waiting"


def test_the_console_transfers_a_ticket_to_another_category(h, client):
    clerk = _signed_in(client, h.clerks[0])
    h.open(0, now=at(9))
    ticket = h.issue("social", now=at(9, 10))
    services.ticket_call_next(actor=h.clerks[0], window_id=h.windows[0].pk, now=at(9, 20))

    clerk.post(
        reverse("hall:console_ticket", args=[ticket.pk, "transfer"]), {"to_category": "business"}
    )

    successor = Ticket.objects.get(parent=ticket)
    assert (successor.category.code, successor.state) == ("business", "waiting")


def test_the_status_page_names_the_category_in_the_readers_language(h, en_client):
    # given
    h.open(0, now=at(9))
    ticket = h.issue("social", now=at(9, 55))

    # when
    english = en_client.get(reverse("hall:ticket_status", args=[ticket.public_token]))

    # then
    html = english.content.decode()
    assert "Social affairs" in html and "社会事务类" not in html
