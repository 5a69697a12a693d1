"""The search API: the shape of an answer, ETags, and 422 for parameters it cannot use."""

import pytest

from onestop.catalog.tests.factories import published_item
from onestop.search.models import SearchLog
from onestop.search.services import search_index_rebuild

pytestmark = pytest.mark.django_db

API = "/api/v1/catalog/search"


def test_a_search_answers_a_page_of_results(reference, client):
    # given
    item = published_item(name="往来港澳通行证签注")
    published_item(name="居民身份证换领")
    search_index_rebuild()

    # when
    response = client.get(API, {"q": "港澳通行证"})

    # then
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("query", "total", "page", "page_size", "error")} == {
        "query": "港澳通行证",
        "total": 1,
        "page": 1,
        "page_size": 10,
        "error": None,
    }
    assert body["normalized"]
    assert "did_you_mean" in body
    [hit] = body["results"]
    assert hit["item_key"] == item.item_key
    assert hit["name"] == "往来港澳通行证签注"
    assert hit["level"] == "city"
    assert hit["region_code"] == "4401"
    assert hit["region_name"] == "广州市"
    assert hit["department_name"] == "广州市公安局"
    assert hit["item_type"] == "licensing"
    assert hit["online_depth"] == "apply"
    assert hit["score"] > 0
    assert "name" in hit["matched_fields"]
    assert hit["other_places"] == 0
    assert hit["url"] == f"/services/items/{item.item_key}/"


def test_filters_and_pages(reference, client):
    # given
    for n in range(5):
        published_item(name=f"出入境证件办理{n}")
    published_item(name="出入境证件咨询", item_type="public_service")
    search_index_rebuild()

    # when
    licensing = client.get(API, {"q": "出入境证件", "item_type": "licensing", "page_size": 2})
    last = client.get(API, {"q": "出入境证件", "item_type": "licensing", "page_size": 2, "page": 3})

    # then
    assert licensing.json()["total"] == 5
    assert len(licensing.json()["results"]) == 2
    assert len(last.json()["results"]) == 1
    names = {r["name"] for r in licensing.json()["results"] + last.json()["results"]}
    assert "出入境证件咨询" not in names


def test_a_repeated_search_with_the_etag_is_not_modified(reference, client):
    # given
    published_item(name="往来港澳通行证签注")
    search_index_rebuild()
    first = client.get(API, {"q": "港澳"})
    etag = first["ETag"]

    # when
    again = client.get(API, {"q": "港澳"}, headers={"If-None-Match": etag})
    other = client.get(API, {"q": "签注"}, headers={"If-None-Match": etag})

    # then
    assert etag.startswith('"') and len(etag) > 20
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert other.status_code == 200
    assert first["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "证", "level": "moon"}, "level"),
        ({"q": "证", "region": "tianhe"}, "region"),
        ({"q": "证", "prefer_region": "44010612345678"}, "prefer_region"),
        ({"q": "证", "item_type": "bribe"}, "item_type"),
        ({"q": "证", "audience": "martians"}, "audience"),
        ({"q": "证", "online_depth": "telepathy"}, "online_depth"),
        ({"q": "证", "page": 0}, "page"),
        ({"q": "证", "page_size": 101}, "page_size"),
        ({"q": "证", "page": "two"}, "page"),
    ],
)
def test_a_parameter_it_cannot_use_is_a_422_problem(reference, client, params, field):
    # when
    response = client.get(API, params)

    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation_error"
    assert [error["loc"][-1] for error in body["errors"]] == [field]
    assert not SearchLog.objects.exists()


@pytest.mark.parametrize("query", ["", '"', "*", "NEAR", ":", "'", "港" * 2000])
def test_a_query_the_engine_cannot_use_is_answered_with_its_message(reference, client, query):
    # given
    published_item(name="往来港澳通行证签注")
    search_index_rebuild()

    # when
    response = client.get(API, {"q": query})

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["results"] == [] or body["error"] is None
    if body["error"] is not None:
        assert len(body["error"]) > 10


def test_suggestions(reference, client):
    # given
    published_item(name="往来港澳通行证签注")
    search_index_rebuild()

    # when
    response = client.get(f"{API}/suggest", {"q": "往来港澳"})
    empty = client.get(f"{API}/suggest", {"q": ""})

    # then
    assert response.status_code == 200
    assert response.json()["query"] == "往来港澳"
    assert "往来港澳通行证签注" in response.json()["suggestions"]
    assert response["ETag"]
    assert empty.json() == {"query": "", "suggestions": []}
    assert not SearchLog.objects.exists()


def test_the_api_logs_each_search_once(reference, client):
    # given
    published_item(name="往来港澳通行证签注")
    search_index_rebuild()

    # when
    client.get(API, {"q": "港澳"})
    client.get(API, {"q": "港澳", "page": 2})

    # then
    assert SearchLog.objects.count() == 1


def test_search_is_public(reference, client):
    # when
    response = client.get(API, {"q": "港澳"})

    # then
    assert response.status_code == 200
