"""The catalog API: public reads, pages, ETags."""

import pytest

from onestop.catalog.services import item_publish, item_revise, item_submit, item_withdraw
from onestop.catalog.tests.factories import published_item

pytestmark = [pytest.mark.django_db, pytest.mark.urls("onestop.catalog.tests.urls")]

API = "/api/test/catalog"


def test_items_are_listed_a_page_at_a_time(reference, client):
    # given
    keys = sorted(published_item(name=f"事项{n}").item_key for n in range(3))

    # when
    first = client.get(f"{API}/items", {"page_size": 2})
    second = client.get(f"{API}/items", {"page_size": 2, "page": 2})

    # then
    assert first.status_code == 200
    body = first.json()
    assert {k: body[k] for k in ("count", "page", "page_size", "pages")} == {
        "count": 3,
        "page": 1,
        "page_size": 2,
        "pages": 2,
    }
    listed = [i["item_key"] for i in body["items"]] + [
        i["item_key"] for i in second.json()["items"]
    ]
    assert sorted(listed) == keys
    assert body["items"][0]["url"].startswith("/services/items/")
    assert body["items"][0]["promised_limit"] == {
        "value": 5,
        "unit": "working_days",
        "text": "5(工作日)",
    }


def test_a_repeated_request_with_the_etag_is_not_modified(reference, client):
    # given
    published_item()
    first = client.get(f"{API}/items")
    etag = first["ETag"]

    # when
    again = client.get(f"{API}/items", headers={"If-None-Match": etag})
    weak = client.get(f"{API}/items", headers={"If-None-Match": f'"other", W/{etag}'})
    other = client.get(f"{API}/items", headers={"If-None-Match": '"something-else"'})

    # then
    assert etag.startswith('"') and len(etag) > 20
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert weak.status_code == 304
    assert other.status_code == 200
    assert first["Cache-Control"] == "no-cache"


def test_the_etag_changes_when_the_catalog_does(reference, client, platform_admin):
    # given
    item = published_item()
    etag = client.get(f"{API}/items/{item.item_key}")["ETag"]
    draft = item_revise(actor=platform_admin, item_key=item.item_key)
    item_submit(actor=platform_admin, item_id=draft.pk)
    item_publish(actor=platform_admin, item_id=draft.pk)

    # when
    response = client.get(f"{API}/items/{item.item_key}", headers={"If-None-Match": etag})

    # then
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["version"] == 2


def test_an_item_in_detail(reference, client):
    # given
    item = published_item(fee_fen=2000)

    # when
    body = client.get(f"{API}/items/{item.item_key}").json()

    # then
    assert body["status"] == "published"
    assert body["department"] == {"code": "GZ-GAJ", "name": "广州市公安局"}
    assert body["region"] == {"code": "4401", "name": "广州市"}
    assert body["fee_fen"] == 2000
    assert body["themes"] == ["documents"]
    assert [(m["name"], m["held_by_government"]) for m in body["materials"]] == [
        ("居民身份证", False),
        ("居民户口簿", True),
        ("授权委托书", False),
    ]


def test_a_withdrawn_item_answers_410_and_an_unknown_one_404(reference, client, platform_admin):
    # given
    item = published_item()
    item_withdraw(actor=platform_admin, item_id=item.pk, reason="abolished")

    # when
    gone = client.get(f"{API}/items/{item.item_key}")
    missing = client.get(f"{API}/items/no-such-item")
    old = client.get(f"{API}/items/{item.item_key}/versions/1")

    # then
    assert gone.status_code == 410
    assert gone["Content-Type"] == "application/problem+json"
    assert gone.json()["code"] == "item_withdrawn"
    assert gone.json()["reason"] == "abolished"
    assert missing.status_code == 404
    assert missing.json()["code"] == "item_not_found"
    assert old.status_code == 200
    assert old.json()["status"] == "withdrawn"


def test_filters_and_bad_parameters(reference, client):
    # given
    published_item()
    published_item(
        level="district",
        region_ref="440106",
        department_ref="GZ-GAJ-440106",
        authority_name="广州市公安局天河区分局",
    )

    # when
    district = client.get(f"{API}/items", {"level": "district"}).json()
    within = client.get(f"{API}/items", {"region": "4401", "within": "true"}).json()
    only_city = client.get(f"{API}/items", {"region": "4401"}).json()
    bad_level = client.get(f"{API}/items", {"level": "planet"})
    too_big = client.get(f"{API}/items", {"page_size": 1000})

    # then
    assert district["count"] == 1
    assert district["items"][0]["department"]["code"] == "GZ-GAJ-440106"
    assert within["count"] == 2
    assert only_city["count"] == 1
    assert bad_level.status_code == 422
    assert too_big.status_code == 422
    assert too_big.json()["code"] == "validation_error"


def test_departments_themes_and_counts(reference, client):
    # given
    published_item()
    published_item(
        level="province", region_ref="", department_ref="", authority_name="广东省公安厅"
    )

    # when
    departments = client.get(f"{API}/departments").json()
    department = client.get(f"{API}/departments/GZ-GAJ").json()
    themes = client.get(f"{API}/themes", {"kind": "life_event"}).json()
    theme = client.get(f"{API}/themes/documents").json()
    counts = client.get(f"{API}/counts").json()
    missing = client.get(f"{API}/departments/NOPE")

    # then
    assert [(d["code"], d["item_count"]) for d in departments["items"]] == [("GZ-GAJ", 1)]
    assert department["item_count"] == 1
    assert [t["code"] for t in themes["items"]] == ["documents"]
    assert theme["item_count"] == 2
    assert counts == {
        "province": 1,
        "city": 1,
        "district": 0,
        "street": 0,
        "community": 0,
        "city_levels_total": 1,
    }
    assert missing.status_code == 404


def test_the_api_needs_no_sign_in(reference, client):
    # given
    published_item()

    # when
    response = client.get(f"{API}/counts")

    # then
    assert response.status_code == 200


def test_themes_and_hall_categories_carry_their_names_in_every_language(reference, client):
    # given
    published_item(theme_refs=["birth"])

    # when: asked in English, and in Traditional Chinese
    theme = client.get(f"{API}/themes/birth", HTTP_ACCEPT_LANGUAGE="en").json()
    again = client.get(f"{API}/themes/birth", HTTP_ACCEPT_LANGUAGE="zh-Hant")
    categories = client.get(f"{API}/hall-categories").json()["items"]

    # then: the same answer, every language in it
    assert theme["name"] == "生育收养"
    assert theme["names"] == {
        "zh_hans": "生育收养",
        "zh_hant": "生育收養",
        "en": "Having a baby and adoption",
    }
    assert again.json() == theme
    social = next(c for c in categories if c["code"] == "social")
    assert social["names"] == {
        "zh_hans": "社会事务类",
        "zh_hant": "社會事務類",
        "en": "Social affairs",
    }
