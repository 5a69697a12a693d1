"""The demo templates, the commands and the task."""

import pytest
import time_machine
from django.core.management import call_command

from onestop.appointments.demo import appointments_seed_demo
from onestop.appointments.models import Slot, SlotTemplate
from onestop.appointments.services import booking_create
from onestop.appointments.tests.conftest import NOW, local, slot_at

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_templates_and_slots_once(admin, centre):
    with time_machine.travel(NOW, tick=False):
        first = appointments_seed_demo(actor=admin)
        slots = Slot.objects.count()
        again = appointments_seed_demo(actor=admin)

    # gz-th offers social and business here: two templates; the other demo centres are absent
    assert (first, again) == (2, 0)
    assert SlotTemplate.objects.count() == 2
    assert slots > 0 and Slot.objects.count() == slots


def test_the_sweep_command_and_the_task(capsys, alice, slot):
    # booked before the day-before reminder time, so the sweep reminds
    booking_create(actor=alice, slot_id=slot.pk, now=local(2026, 11, 30, 8, 30))
    with time_machine.travel(local(2026, 11, 30, 12), tick=False):
        call_command("appointments_sweep")
        assert "reminders=1" in capsys.readouterr().out
        call_command("appointments_sweep", "--enqueue")  # the immediate backend in tests
        assert "enqueued" in capsys.readouterr().out


def test_the_generate_command(capsys, template, centre):
    with time_machine.travel(NOW, tick=False):
        call_command("appointments_generate", "--days", "21")
    assert "slots made over 21 days ahead" in capsys.readouterr().out
    assert slot_at(centre, local(2026, 12, 21, 9))
