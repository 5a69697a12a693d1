"""The demo's multi-department order: a lead, an assisting part in progress, a photo."""

import pytest
from django.utils import timezone

from onestop.core.access import Role
from onestop.hotline.demo import _multi_department_order
from onestop.hotline.enums import OrderState, PartState
from onestop.hotline.tests.factories import staff_member

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_one_order_for_two_bureaus_with_a_photo(city, settings, tmp_path):
    # given
    settings.ONESTOP_HOTLINE_FILES_DIR = str(tmp_path / "files")
    assisting = staff_member(Role.DEPARTMENT_HANDLER, department=city.city_management_tianhe)
    handlers = {city.environment_tianhe.pk: city.handler, city.city_management_tianhe.pk: assisting}
    # when
    order = _multi_department_order(
        agent=city.agent, dispatcher=city.dispatcher, handlers=handlers, now=timezone.now()
    )
    # then
    assert order is not None
    order.refresh_from_db()
    assert order.state == OrderState.IN_PROGRESS
    assert order.department == city.environment_tianhe
    part = order.parts.get()
    assert part.department == city.city_management_tianhe
    assert part.state == PartState.IN_PROGRESS
    assert order.attachments.get().content_type == "image/png"
