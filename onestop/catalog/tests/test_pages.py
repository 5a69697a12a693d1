"""The online hall's catalog pages, as an anonymous visitor sees them."""

import pytest
from django.urls import reverse

from onestop.catalog.enums import ItemStatus
from onestop.catalog.services import item_publish, item_revise, item_submit, item_withdraw
from onestop.catalog.tests.factories import published_item
from onestop.catalog.urls import PUBLIC_URL_NAMES
from onestop.catalog.values import Limit
from onestop.identity import middleware

pytestmark = [pytest.mark.django_db, pytest.mark.urls("onestop.catalog.tests.urls")]


@pytest.fixture(autouse=True)
def public_catalog(monkeypatch):
    """The catalog's pages on the public list, as onestop.identity.public will have them."""
    monkeypatch.setattr(
        middleware, "PUBLIC_URL_NAMES", middleware.PUBLIC_URL_NAMES | PUBLIC_URL_NAMES
    )


@pytest.fixture
def en_client(client):
    client.cookies["django_language"] = "en"
    return client


def district_item(**overrides):
    return published_item(
        level="district",
        region_ref="440106",
        department_ref="GZ-GAJ-440106",
        authority_name="广州市公安局天河区分局",
        **overrides,
    )


def test_the_index_shows_the_four_level_counts(reference, en_client):
    # given
    published_item()
    district_item()
    district_item()

    # when
    response = en_client.get(reverse("catalog:index"))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 services are offered" in html
    assert f'href="{reverse("catalog:level_detail", args=["district"])}"><strong>2</strong>' in html


def test_the_item_page_has_the_checklist_limits_and_honest_buttons(reference, en_client):
    # given
    item = published_item(name="往来港澳通行证签注", fee_fen=1500)

    # when
    response = en_client.get(reverse("catalog:item_detail", args=[item.item_key]))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>往来港澳通行证签注</h1>" in html
    bring = html.split('id="bring"')[1].split('id="held"')[0]
    assert "居民身份证 — 1 original" in bring
    assert "The e-licence (居民身份证) can be shown instead." in bring
    assert "Only in some cases" in bring
    assert "授权委托书" in bring and "委托他人办理时提供" in bring
    held = html.split('id="held"')[1].split("</ul>")[0]
    assert "居民户口簿" in held
    assert "居民户口簿" not in bring
    assert "Promised: 5 working days" in html
    assert "The law allows 20 working days." in html
    assert "15.00 yuan" in html
    assert "You go in person 1 time" in html
    assert f'href="/appointments/?item={item.item_key}"' in html


def test_an_immediate_free_item_reads_plainly(reference, en_client):
    # given
    item = published_item(promised=Limit.immediate())

    # when
    response = en_client.get(reverse("catalog:item_detail", args=[item.item_key]))

    # then
    html = response.content.decode()
    assert "Done on the spot" in html
    assert "Free" in html


def test_a_withdrawn_item_is_gone_with_its_reason(reference, en_client, platform_admin):
    # given
    item = published_item()
    item_withdraw(actor=platform_admin, item_id=item.pk, reason="并入其他事项")

    # when
    response = en_client.get(reverse("catalog:item_detail", args=[item.item_key]))

    # then
    assert response.status_code == 410
    html = response.content.decode()
    assert "was withdrawn on" in html
    assert "并入其他事项" in html
    assert "There is no current version" in html


def test_an_old_version_is_gone_and_links_to_the_current_one(reference, en_client, platform_admin):
    # given
    item = published_item()
    draft = item_revise(actor=platform_admin, item_key=item.item_key)
    item_submit(actor=platform_admin, item_id=draft.pk)
    item_publish(actor=platform_admin, item_id=draft.pk)

    # when
    old = en_client.get(reverse("catalog:item_version", args=[item.item_key, 1]))
    current = en_client.get(reverse("catalog:item_version", args=[item.item_key, 2]))

    # then
    assert old.status_code == 410
    assert "Version 1 of this service was replaced" in old.content.decode()
    assert reverse("catalog:item_detail", args=[item.item_key]) in old.content.decode()
    assert current.status_code == 200


def test_drafts_and_unknown_items_do_not_exist_for_the_public(reference, client, platform_admin):
    # given
    item = published_item()
    item_revise(actor=platform_admin, item_key=item.item_key)

    # when
    draft_page = client.get(reverse("catalog:item_version", args=[item.item_key, 2]))
    unknown = client.get(reverse("catalog:item_detail", args=["no-such-item"]))

    # then
    assert draft_page.status_code == 404
    assert unknown.status_code == 404
    assert client.get(reverse("catalog:item_detail", args=[item.item_key])).status_code == 200
    assert item.status == ItemStatus.PUBLISHED


def test_browse_by_theme_department_level_and_region(reference, en_client):
    # given
    item = district_item(name="出入境证件", theme_refs=["travel-abroad"])
    published_item(name="市级事项")

    # when
    pages = {
        "theme": en_client.get(reverse("catalog:theme_detail", args=["travel-abroad"])),
        "themes": en_client.get(reverse("catalog:theme_list")),
        "departments": en_client.get(reverse("catalog:department_list")),
        "department": en_client.get(reverse("catalog:department_detail", args=["GZ-GAJ-440106"])),
        "city department": en_client.get(reverse("catalog:department_detail", args=["GZ-GAJ"])),
        "level": en_client.get(reverse("catalog:level_detail", args=["district"])),
        "region": en_client.get(reverse("catalog:region_detail", args=["440106"])),
    }

    # then
    assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(pages, 200)
    link = reverse("catalog:item_detail", args=[item.item_key])
    for name in ("theme", "department", "region"):
        assert link in pages[name].content.decode(), name
    assert (
        reverse("catalog:theme_detail", args=["travel-abroad"]) in pages["themes"].content.decode()
    )
    assert "广州市公安局天河区分局" in pages["city department"].content.decode()
    assert reverse("catalog:region_detail", args=["440106"]) in pages["level"].content.decode()
    assert "市级事项" not in pages["region"].content.decode()


def test_unknown_theme_level_and_region_are_not_found(reference, client):
    assert client.get(reverse("catalog:theme_detail", args=["nope"])).status_code == 404
    assert client.get(reverse("catalog:level_detail", args=["planet"])).status_code == 404
    assert client.get(reverse("catalog:region_detail", args=["9999"])).status_code == 404


def test_list_pages_take_a_fixed_number_of_queries(
    reference, client, django_assert_max_num_queries
):
    # given
    for _ in range(25):
        district_item()

    # when
    with django_assert_max_num_queries(12):
        response = client.get(reverse("catalog:region_detail", args=["440106"]))

    # then
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 25
