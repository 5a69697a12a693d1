"""The search pages as a visitor sees them: results, filters, pages, suggestions, the
district they prefer, and what happens when they type something the engine cannot use."""

import random
from datetime import date
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.urls import reverse

from onestop.catalog.services import item_withdraw
from onestop.catalog.tests.factories import published_item
from onestop.core.ids import resident_id_generate
from onestop.core.models import Region
from onestop.identity import middleware
from onestop.identity.enums import AccountKind
from onestop.identity.services import citizen_account_create, person_register
from onestop.search.forms import CATALOG_CHOICES_KEY
from onestop.search.models import SearchLog
from onestop.search.services import search_index_rebuild
from onestop.search.urls import PUBLIC_URL_NAMES
from onestop.search.views import REGION_COOKIE

pytestmark = pytest.mark.django_db

PAGE = reverse("search:results")
SUGGEST = reverse("search:suggest")
TIANHE = "440106"
YUEXIU = "440104"


@pytest.fixture
def platform_admin(django_user_model):
    return django_user_model.objects.create_superuser("search-root", "pw")


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user("citizen", "pw", kind=AccountKind.CITIZEN)


@pytest.fixture(autouse=True)
def fresh_filter_choices():
    """The filters' department and theme lists are cached; each test starts without."""
    cache.delete(CATALOG_CHOICES_KEY)


@pytest.fixture(autouse=True)
def public_search(monkeypatch):
    """The search pages on the public list, as onestop.identity.public will have them."""
    monkeypatch.setattr(
        middleware, "PUBLIC_URL_NAMES", middleware.PUBLIC_URL_NAMES | PUBLIC_URL_NAMES
    )


def district_item(district: str, **overrides):
    return published_item(
        level="district",
        region_ref=district,
        department_ref=f"GZ-GAJ-{district}",
        authority_name="区公安分局",
        **overrides,
    )


def hits(response) -> list[str]:
    html = response.content.decode()
    if 'class="item-list hits"' not in html:
        return []
    listed = html.split('class="item-list hits"')[1].split("</ol>")[0]
    return [part.split('">')[1].split("</a>")[0] for part in listed.split('<li class="hit">')[1:]]


def test_a_search_lists_the_matching_services_with_where_and_how(reference, client):
    # given
    item = published_item(name="往来港澳通行证签注")
    published_item(name="居民身份证换领")
    search_index_rebuild()

    # when
    response = client.get(PAGE, {"q": "港澳通行证"})

    # then
    assert response.status_code == 200
    assert hits(response) == ["往来港澳通行证签注"]
    html = response.content.decode()
    hit = html.split('<li class="hit">')[1].split("</li>")[0]
    assert f'href="{reverse("catalog:item_detail", args=[item.item_key])}"' in hit
    assert '<span class="tag">City</span> 广州市' in hit
    assert "广州市公安局" in hit
    assert "Apply online, finish at a hall" in hit
    assert "1 service found for “港澳通行证”" in html


def test_the_page_without_a_query_is_just_the_form(reference, client):
    # when
    response = client.get(PAGE)

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="service-q"' in html
    assert 'id="results-heading"' not in html
    assert not SearchLog.objects.exists()


def test_the_same_service_in_other_districts_is_counted_not_repeated(reference, client):
    # given
    for district in (TIANHE, YUEXIU, "440105"):
        district_item(district, name="居住证申领")
    search_index_rebuild()

    # when
    response = client.get(PAGE, {"q": "居住证"})

    # then
    html = response.content.decode()
    assert "Also offered in 2 other places" in html
    # the count leads to the page listing where the service can be done
    hit = response.context["rows"][0].hit
    assert reverse("catalog:item_places", args=[hit.item_key]) in html
    assert client.get(reverse("catalog:item_places", args=[hit.item_key])).status_code == 200


def test_filters_narrow_the_results_and_a_bad_one_is_reported_and_left_out(reference, client):
    # given
    published_item(name="出入境通行证办理")
    district_item(TIANHE, name="出入境通行证签注")
    search_index_rebuild()

    # when
    district_only = client.get(PAGE, {"q": "通行证", "level": "district"})
    bad_level = client.get(PAGE, {"q": "通行证", "level": "moon", "district": TIANHE})

    # then
    assert hits(district_only) == ["出入境通行证签注"]
    assert bad_level.status_code == 200
    assert "This filter was left out: Level" in bad_level.content.decode()
    assert hits(bad_level) == ["出入境通行证签注"]


def test_a_life_event_and_an_audience_narrow_the_results(reference, client):
    # given
    published_item(name="出生登记", theme_refs=["birth"])
    published_item(name="户口登记", theme_refs=["household"], for_legal_person=True)
    search_index_rebuild()

    # when
    birth = client.get(PAGE, {"q": "登记", "theme": "birth"})
    for_businesses = client.get(PAGE, {"q": "登记", "audience": "legal"})

    # then
    assert hits(birth) == ["出生登记"]
    assert hits(for_businesses) == ["户口登记"]
    assert "(1 in use)" in birth.content.decode()


def test_a_district_opens_its_streets_as_a_filter(reference, client):
    # when
    before = client.get(PAGE, {"q": "证"}).content.decode()
    after = client.get(PAGE, {"q": "证", "district": TIANHE}).content.decode()

    # then
    assert 'name="street"' not in before
    assert 'name="street"' in after
    assert "石牌街道" in after.split('name="street"')[1].split("</select>")[0]


def test_results_come_a_page_at_a_time(reference, client):
    # given
    for n in range(13):
        published_item(name=f"出入境证件办理{n:02d}")
    search_index_rebuild()

    # when
    first = client.get(PAGE, {"q": "出入境证件"})
    second = client.get(PAGE, {"q": "出入境证件", "page": 2})

    # then
    assert len(hits(first)) == 10
    assert len(hits(second)) == 3
    assert set(hits(first)).isdisjoint(hits(second))
    assert 'rel="next"' in first.content.decode()
    html = second.content.decode()
    assert 'rel="prev"' in html and 'rel="next"' not in html
    assert "Page 2 of 2" in html
    assert '<ol class="item-list hits" start="11"' in html


def test_no_result_offers_what_they_probably_meant(reference, client):
    # given
    published_item(name="往来港澳通行证签注")
    search_index_rebuild()

    # when: one character is wrong
    response = client.get(PAGE, {"q": "签出", "level": "city"})

    # then
    html = response.content.decode()
    assert hits(response) == []
    link = html.split('id="did-you-mean"')[1].split("</p>")[0]
    assert ">签注</a>" in link
    assert "level=city" in link
    followed = client.get(PAGE, {"q": "签注", "level": "city"})
    assert hits(followed) == ["往来港澳通行证签注"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "NEAR",
        ":",
        "'",
        '"港澳" NEAR(签注, 2)',
        "通行证*",
        "name:签注",
        "'; DROP TABLE x; --",
    ],
)
def test_search_syntax_in_a_query_never_breaks_the_page(reference, client, query):
    # given
    published_item(name="往来港澳通行证签注")
    search_index_rebuild()

    # when
    response = client.get(PAGE, {"q": query})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="search-status"' in html or 'id="search-error"' in html


@pytest.mark.parametrize("query", ["", "   ", "港" * 2000])
def test_an_empty_or_overlong_query_gets_a_clear_message(reference, client, query):
    # given
    published_item(name="往来港澳通行证签注")
    search_index_rebuild()

    # when
    response = client.get(PAGE, {"q": query})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    message = html.split('id="search-error"')[1].split("</div>")[0]
    assert len(message) > 20
    assert hits(response) == []


def test_a_withdrawn_service_is_not_found(
    reference, client, platform_admin, django_capture_on_commit_callbacks
):
    # given
    item = published_item(name="往来港澳通行证签注")
    search_index_rebuild()
    assert hits(client.get(PAGE, {"q": "港澳通行证签注"})) == ["往来港澳通行证签注"]

    # when: the catalog tells the index after the withdrawal commits
    with django_capture_on_commit_callbacks(execute=True):
        item_withdraw(actor=platform_admin, item_id=item.pk, reason="并入其他事项")
    response = client.get(PAGE, {"q": "港澳通行证签注"})

    # then
    assert response.status_code == 200
    assert hits(response) == []
    assert item.item_key not in response.content.decode()


def test_the_visitors_district_comes_first_and_is_remembered(reference, client):
    # given
    district_item(YUEXIU, name="居住证申领")
    district_item(TIANHE, name="居住证申领")
    search_index_rebuild()

    # when
    saved = client.post(
        reverse("search:region_set"), {"region": TIANHE, "next": f"{PAGE}?q=居住证"}
    )
    response = client.get(PAGE, {"q": "居住证"})

    # then
    assert saved.status_code == 302
    assert unquote(saved["Location"]) == f"{PAGE}?q=居住证"
    assert client.cookies[REGION_COOKIE].value == TIANHE
    html = response.content.decode()
    assert "天河区 first" in html
    first = html.split('<li class="hit">')[1].split("</li>")[0]
    assert "天河区" in first


def test_a_signed_in_citizen_is_ranked_by_their_own_district(reference, client, platform_admin):
    # given
    district_item(YUEXIU, name="居住证申领")
    district_item(TIANHE, name="居住证申领")
    search_index_rebuild()
    person = person_register(
        actor=platform_admin,
        name="王小明",
        id_number=resident_id_generate(
            random.Random(7), region_code=TIANHE, birth_date=date(1990, 5, 17), sex="M"
        ),
        region=Region.objects.get(code=TIANHE),
    )
    client.force_login(citizen_account_create(person=person, password="correct-horse-battery-42"))

    # when
    response = client.get(PAGE, {"q": "居住证"})

    # then
    html = response.content.decode()
    assert "天河区 first" in html
    assert "天河区" in html.split('<li class="hit">')[1].split("</li>")[0]


def test_a_region_choice_does_not_send_the_visitor_elsewhere(reference, client):
    # when
    response = client.post(
        reverse("search:region_set"), {"region": "999999", "next": "https://evil.example/"}
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert REGION_COOKIE not in client.cookies or not client.cookies[REGION_COOKIE].value


def test_every_search_leaves_one_anonymous_log_row(reference, client, citizen):
    # given
    for n in range(12):
        published_item(name=f"出入境证件办理{n:02d}")
    search_index_rebuild()
    client.force_login(citizen)

    # when
    client.get(PAGE, {"q": "出入境证件"})
    client.get(PAGE, {"q": "出入境证件", "page": 2})
    client.get(SUGGEST, {"q": "出入境"}, headers={"HX-Request": "true"})
    client.get(PAGE, {"q": "没有这种事项"})

    # then
    rows = list(SearchLog.objects.order_by("pk"))
    assert [row.query for row in rows] == ["出入境证件", "没有这种事项"]
    assert [row.result_count for row in rows] == [12, 0]
    fields = {f.name for f in SearchLog._meta.get_fields()}
    assert not fields & {"user", "user_id", "person", "session", "ip", "ip_address"}


def test_suggestions_are_options_that_search_for_themselves(reference, client):
    # given
    published_item(name="往来港澳通行证签注")
    search_index_rebuild()

    # when
    response = client.get(SUGGEST, {"q": "往来港澳"}, headers={"HX-Request": "true"})
    empty = client.get(SUGGEST, {"q": ""}, headers={"HX-Request": "true"})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="option"' in html
    assert "往来港澳通行证签注" in html
    assert f'href="{PAGE}?q=' in html
    assert empty.content.decode().strip() == ""


@pytest.mark.parametrize("query", ['"', "*", "港" * 2000])
def test_suggestions_never_fail(reference, client, query):
    # when
    response = client.get(SUGGEST, {"q": query})

    # then
    assert response.status_code == 200


def test_the_online_hall_and_its_pages_carry_the_search_box(reference, client):
    # given
    item = published_item(name="往来港澳通行证签注")

    # when
    pages = [
        client.get(reverse("catalog:index")),
        client.get(reverse("catalog:item_detail", args=[item.item_key])),
        client.get(reverse("catalog:theme_list")),
    ]

    # then
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert f'action="{PAGE}"' in html
        assert f'hx-get="{SUGGEST}"' in html
        assert 'role="combobox"' in html
