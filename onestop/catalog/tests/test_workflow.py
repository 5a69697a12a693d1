"""Versions and their workflow: a published version is never edited in place."""

from typing import Any, cast

import pytest

from onestop.catalog.enums import ALLOWED_TRANSITIONS, ITEM, ErrorCode, ItemStatus
from onestop.catalog.importing.values import MaterialValue
from onestop.catalog.models import ServiceItem
from onestop.catalog.services import (
    item_create,
    item_discard,
    item_publish,
    item_return,
    item_revise,
    item_submit,
    item_update,
    item_withdraw,
)
from onestop.catalog.tests.factories import item_draft, published_item
from onestop.catalog.values import Limit
from onestop.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from onestop.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _published_then_revised(actor) -> tuple[ServiceItem, ServiceItem]:
    item = published_item()
    return item, item_revise(actor=actor, item_key=item.item_key)


def test_revising_opens_a_draft_copy_and_leaves_the_published_version_alone(
    reference, police_approver
):
    # given
    item = published_item()

    # when
    draft = item_revise(actor=police_approver, item_key=item.item_key)
    item_update(actor=police_approver, item_id=draft.pk, changes={"name": "新名称"})

    # then
    item.refresh_from_db()
    assert (draft.item_key, draft.version, draft.status) == (item.item_key, 2, ItemStatus.DRAFT)
    assert item.status == ItemStatus.PUBLISHED
    assert item.name != "新名称"
    assert [m.name for m in draft.materials.all()] == [m.name for m in item.materials.all()]
    assert set(draft.themes.all()) == set(item.themes.all())


def test_publishing_a_reviewed_version_supersedes_the_one_before(reference, police_approver):
    # given
    item, draft = _published_then_revised(police_approver)
    item_update(
        actor=police_approver, item_id=draft.pk, changes={"promised": Limit(3, "working_days")}
    )
    item_submit(actor=police_approver, item_id=draft.pk)

    # when
    published = item_publish(actor=police_approver, item_id=draft.pk)

    # then
    item.refresh_from_db()
    assert published.status == ItemStatus.PUBLISHED
    assert published.promised_limit_value == 3
    assert item.status == ItemStatus.SUPERSEDED
    assert item.ended_at is not None
    assert ServiceItem.objects.filter(item_key=item.item_key, status="published").count() == 1
    actions = list(
        AuditEntry.objects.filter(object_type="catalog.serviceitem").values_list(
            "action", flat=True
        )
    )
    assert actions[-4:] == [
        "catalog.item.update",
        "catalog.item.submit",
        "catalog.item.supersede",
        "catalog.item.publish",
    ]


def test_a_published_version_cannot_be_edited(reference, police_approver):
    # given
    item = published_item()

    # when
    with pytest.raises(Conflict) as raised:
        item_update(actor=police_approver, item_id=item.pk, changes={"name": "改"})

    # then
    assert raised.value.code == ErrorCode.NOT_EDITABLE
    item.refresh_from_db()
    assert item.name != "改"


def test_one_open_version_at_a_time(reference, police_approver):
    # given
    item, _draft = _published_then_revised(police_approver)

    # when
    with pytest.raises(Conflict) as raised:
        item_revise(actor=police_approver, item_key=item.item_key)

    # then
    assert raised.value.code == ErrorCode.OPEN_VERSION_EXISTS
    assert ServiceItem.objects.filter(item_key=item.item_key).count() == 2


# The service that moves a version to each state (superseded is reached only by publishing
# the next version).
SERVICE_TO = {
    ItemStatus.IN_REVIEW: "submit",
    ItemStatus.DRAFT: "return",
    ItemStatus.PUBLISHED: "publish",
    ItemStatus.WITHDRAWN: "withdraw",
    ItemStatus.DISCARDED: "discard",
}
FORBIDDEN = [
    (status, to)
    for status in ItemStatus.values
    for to in SERVICE_TO
    if to not in ALLOWED_TRANSITIONS[status]
]


@pytest.mark.parametrize(("status", "to"), FORBIDDEN)
def test_every_forbidden_transition_is_a_conflict_and_changes_nothing(
    reference, platform_admin, status, to
):
    # given: a version in `status`
    item = published_item()
    ServiceItem.objects.filter(pk=item.pk).update(status=status)
    audit_entries = AuditEntry.objects.count()
    calls = {
        "publish": lambda: item_publish(actor=platform_admin, item_id=item.pk),
        "return": lambda: item_return(actor=platform_admin, item_id=item.pk, reason="r"),
        "submit": lambda: item_submit(actor=platform_admin, item_id=item.pk),
        "discard": lambda: item_discard(actor=platform_admin, item_id=item.pk),
        "withdraw": lambda: item_withdraw(actor=platform_admin, item_id=item.pk, reason="r"),
    }

    # when
    with pytest.raises(Conflict) as raised:
        calls[SERVICE_TO[to]]()

    # then
    assert raised.value.code == ErrorCode.ILLEGAL_TRANSITION
    assert raised.value.status == 409
    assert (raised.value.params["state"], raised.value.params["to"]) == (status, to)
    item.refresh_from_db()
    assert item.status == status
    assert AuditEntry.objects.count() == audit_entries


def test_the_table_forbids_what_the_services_are_tested_against():
    # One case per state and target, so a move added to the table drops out of FORBIDDEN
    # and the test above stops expecting a refusal.
    assert len(FORBIDDEN) == 25
    assert ITEM.transitions == ALLOWED_TRANSITIONS


def test_the_transition_table_has_final_states():
    assert ALLOWED_TRANSITIONS[ItemStatus.WITHDRAWN] == frozenset()
    assert ALLOWED_TRANSITIONS[ItemStatus.SUPERSEDED] == frozenset()
    assert ItemStatus.PUBLISHED not in ALLOWED_TRANSITIONS[ItemStatus.DRAFT]


def test_a_reviewer_returns_a_version_with_a_reason(reference, police_approver):
    # given
    _item, draft = _published_then_revised(police_approver)
    item_submit(actor=police_approver, item_id=draft.pk)

    # when
    returned = item_return(actor=police_approver, item_id=draft.pk, reason="材料清单不全")

    # then
    assert returned.status == ItemStatus.DRAFT
    assert returned.status_reason == "材料清单不全"
    with pytest.raises(DomainError, match="Give a reason"):
        item_return(actor=police_approver, item_id=draft.pk, reason="  ")


def test_withdrawing_then_revising_brings_an_item_back_as_a_new_version(reference, platform_admin):
    # given
    item = published_item()
    item_withdraw(actor=platform_admin, item_id=item.pk, reason="policy ended")

    # when
    draft = item_revise(actor=platform_admin, item_key=item.item_key)
    item_submit(actor=platform_admin, item_id=draft.pk)
    item_publish(actor=platform_admin, item_id=draft.pk)

    # then
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN
    assert item.status_reason == "policy ended"
    assert ServiceItem.objects.get(item_key=item.item_key, status="published").version == 2


def test_a_new_item_starts_as_a_draft_and_bad_content_is_refused(reference, police_approver):
    # when
    item = item_create(actor=police_approver, draft=item_draft(item_key=""))
    with pytest.raises(DomainError) as raised:
        item_create(
            actor=police_approver,
            draft=item_draft(
                promised=Limit(30, "working_days"),
                theme_refs=["no-such-theme"],
                materials=[MaterialValue(name="a{b}")],
            ),
        )

    # then
    assert (item.version, item.status) == (1, ItemStatus.DRAFT)
    assert item.item_key.startswith("item-")
    problems = raised.value.params["problems"]
    assert any("longer than the statutory limit" in p for p in problems)
    assert "unknown theme 'no-such-theme'" in problems
    assert any(p.startswith("materials: material name 'a{b}'") for p in problems)


def test_a_published_item_is_fingerprinted_like_an_imported_one(reference, police_approver):
    # given
    item, draft = _published_then_revised(police_approver)
    item_submit(actor=police_approver, item_id=draft.pk)

    # when
    published = item_publish(actor=police_approver, item_id=draft.pk)

    # then
    assert published.content_hash == item.content_hash


# --- Permissions -------------------------------------------------------------------------------


def test_an_approver_of_another_department_cannot_touch_the_item(reference, justice_approver):
    # given
    item = published_item()

    # when / then
    with pytest.raises(PermissionDenied):
        item_revise(actor=justice_approver, item_key=item.item_key)
    with pytest.raises(NotFound):
        item_withdraw(actor=justice_approver, item_id=item.pk, reason="x")
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED


def test_a_citizen_and_nobody_cannot_change_items(reference, citizen):
    # given
    item = published_item()

    # when / then
    with pytest.raises(NotFound):
        item_withdraw(actor=citizen, item_id=item.pk, reason="x")
    with pytest.raises(NotFound):
        item_submit(actor=cast(Any, None), item_id=item.pk)
    with pytest.raises(PermissionDenied):
        item_create(actor=citizen, draft=item_draft())


def test_an_approver_cannot_move_an_item_into_another_department(reference, police_approver):
    # given
    _item, draft = _published_then_revised(police_approver)

    # when
    with pytest.raises(PermissionDenied):
        item_update(actor=police_approver, item_id=draft.pk, changes={"department_ref": "GZ-SFJ"})

    # then
    draft.refresh_from_db()
    assert draft.department is not None
    assert draft.department.code == "GZ-GAJ"


def test_provincial_items_are_the_platform_admins(reference, police_approver, platform_admin):
    # given
    item = published_item(
        level="province", region_ref="", department_ref="", authority_name="广东省公安厅"
    )

    # when
    with pytest.raises(PermissionDenied):
        item_revise(actor=police_approver, item_key=item.item_key)
    draft = item_revise(actor=platform_admin, item_key=item.item_key)

    # then
    assert draft.department_id is None
    assert draft.authority_name == "广东省公安厅"
