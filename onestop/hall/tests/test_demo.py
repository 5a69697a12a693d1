"""The demo hall: windows and profiles at three centres and a morning of visits."""

from collections import Counter

import pytest
from django.contrib.admin.sites import site

from onestop.core.regions import regions_load
from onestop.demo.centres import centres_seed_demo
from onestop.hall.demo import hall_seed_demo
from onestop.hall.models import Ticket, TicketEvent, Window
from onestop.hall.tests.factories import at
from onestop.identity.tests.factories import platform_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    regions_load()
    user = platform_admin()
    centres_seed_demo(actor=user)
    return user


def test_the_demo_builds_windows_and_a_morning_once(admin):
    # when
    report = hall_seed_demo(actor=admin, now=at(11, 30))
    again = hall_seed_demo(actor=admin, now=at(11, 45))

    # then
    assert report.created == {"windows": 20, "tickets": 90}
    assert again.created == {"windows": 0, "tickets": 0}
    assert Window.objects.filter(centre__code="gz-th").count() == 12
    assert not Window.objects.exclude(state="closed").exists()
    states = Counter(Ticket.objects.values_list("state", flat=True))
    assert states["done"] > 40
    assert {"no_show", "converted", "waiting"} <= set(states)
    assert TicketEvent.objects.filter(action="called").count() >= states["done"]


def test_the_admin_lists_the_hall(admin, admin_client):
    hall_seed_demo(actor=admin, now=at(11, 30))
    for model in (Window, Ticket):
        url = f"/admin/hall/{model._meta.model_name}/"
        assert admin_client.get(url).status_code == 200, url
    ticket = Ticket.objects.order_by("pk").first()
    assert ticket is not None
    assert admin_client.get(f"/admin/hall/ticket/{ticket.pk}/change/").status_code == 200
    assert site.is_registered(Window)
