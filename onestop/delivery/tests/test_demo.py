import pytest

from onestop.core.regions import regions_load
from onestop.delivery.demo import DEMO_LOCKER, delivery_seed_demo
from onestop.delivery.models import Compartment, Locker
from onestop.demo.centres import centres_seed_demo
from onestop.identity.tests.factories import platform_admin

pytestmark = pytest.mark.django_db


def test_the_demo_locker_is_seeded_once_at_the_demo_centre():
    # given
    regions_load()
    admin = platform_admin()
    centres_seed_demo(actor=admin)
    # when
    first = delivery_seed_demo(actor=admin)
    again = delivery_seed_demo(actor=admin)
    # then
    assert (first, again) == (1, 0)
    locker = Locker.objects.get(code=DEMO_LOCKER)
    assert locker.centre.code == "gz-th"
    assert sorted(set(Compartment.objects.values_list("size", flat=True))) == ["L", "M", "S"]
