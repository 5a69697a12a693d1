"""Browsing as a citizen: one entry per service, then where it can be done, nearest first,
with the visitor's district or street remembered."""

import pytest
from django.urls import reverse

from onestop.catalog.enums import REGION_COOKIE, ItemLevel, Nearness
from onestop.catalog.tests.factories import local_item, published_item
from onestop.catalog.urls import PUBLIC_URL_NAMES
from onestop.core.models import Region
from onestop.identity import middleware
from onestop.identity.services import citizen_account_create
from onestop.identity.tests.factories import PASSWORD, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("onestop.catalog.tests.urls")]

TIANHE, WUSHAN, YUANCUN = "440106", "440106001", "440106002"
CHASHAN = "440106001002"  # a community of 五山街道
LIWAN, SHAMIAN = "440103", "440103001"
ELDERLY = "长者长者优待证办理"


@pytest.fixture(autouse=True)
def public_catalog(monkeypatch):
    monkeypatch.setattr(
        middleware, "PUBLIC_URL_NAMES", middleware.PUBLIC_URL_NAMES | PUBLIC_URL_NAMES
    )


@pytest.fixture
def en_client(client):
    client.cookies["django_language"] = "en"
    return client


def offered_everywhere() -> None:
    """One service at the city's hall, two district halls, three streets and a community,
    and a provincial item of the same name and code."""
    published_item(
        item_key="elderly-city", name=ELDERLY, basic_code="440106999001", theme_refs=["retirement"]
    )
    for level, code in (
        (ItemLevel.DISTRICT, TIANHE),
        (ItemLevel.DISTRICT, LIWAN),
        (ItemLevel.STREET, WUSHAN),
        (ItemLevel.STREET, YUANCUN),
        (ItemLevel.STREET, SHAMIAN),
        (ItemLevel.COMMUNITY, CHASHAN),
    ):
        local_item(ELDERLY, level, code, theme_refs=["retirement"])
    published_item(
        item_key="elderly-province",
        name=ELDERLY,
        basic_code="440106999001",
        level=ItemLevel.PROVINCE,
        region_ref="",
        department_ref="",
        authority_name="广东省民政厅",
        theme_refs=["retirement"],
    )


def test_a_life_event_lists_each_service_once_with_its_places(reference, en_client):
    # given
    offered_everywhere()
    published_item(item_key="card", name="老年人优待卡换领", theme_refs=["retirement"])

    # when
    response = en_client.get(reverse("catalog:theme_detail", args=["retirement"]))

    # then
    html = response.content.decode()
    assert response.context["page"].paginator.count == 2
    assert "2 services · offered at 9 places" in html
    assert html.count(f">{ELDERLY}</a>") == 1
    assert "Offered at 8 places" in html
    places = reverse("catalog:item_places", args=["elderly-city"]) + "?theme=retirement"
    assert f'href="{places}">Where can I do it?</a>' in html
    # A service offered in one place links straight to its item.
    assert f'href="{reverse("catalog:item_detail", args=["card"])}"' in html


def test_the_region_picker_comes_before_the_results_own_district_first_then_by_pinyin(
    reference, en_client
):
    # given
    offered_everywhere()
    en_client.cookies[REGION_COOKIE] = WUSHAN

    # when
    response = en_client.get(reverse("catalog:theme_detail", args=["retirement"]))

    # then
    html = response.content.decode()
    assert html.index('id="near-heading"') < html.index('id="services"')
    choices = response.context["choices"]
    assert [d.name for d in choices.districts][:4] == ["天河区", "白云区", "从化区", "海珠区"]
    assert choices.streets[0].code == WUSHAN
    assert (choices.district_code, choices.street_code) == (TIANHE, WUSHAN)
    assert "Near 五山街道" in html
    assert "4 near 五山街道" in html


def test_without_a_region_districts_are_in_pinyin_order_not_code_order(reference, en_client):
    # given
    offered_everywhere()

    # when
    response = en_client.get(reverse("catalog:theme_detail", args=["retirement"]))

    # then
    names = [d.name for d in response.context["choices"].districts]
    assert names[0] == "白云区"
    assert names.index("荔湾区") == 5
    assert response.context["choices"].streets == []


def test_places_come_nearest_first_from_the_remembered_street(reference, en_client):
    # given
    offered_everywhere()
    en_client.cookies[REGION_COOKIE] = WUSHAN

    # when
    response = en_client.get(reverse("catalog:item_places", args=["elderly-city"]))

    # then
    places = response.context["page"].object_list
    assert [(p.region_code, p.nearness) for p in places] == [
        (WUSHAN, Nearness.STREET),
        (CHASHAN, Nearness.STREET),
        (TIANHE, Nearness.DISTRICT),
        (YUANCUN, Nearness.DISTRICT),
        ("4401", Nearness.CITY),
        (LIWAN, Nearness.ELSEWHERE),
        (SHAMIAN, Nearness.ELSEWHERE),
        ("", Nearness.PROVINCE),
    ]
    html = response.content.decode()
    assert html.index("In your street or town") < html.index("In your district")
    assert html.index("In your district") < html.index("At the province")


def test_places_without_a_region_put_the_city_first_then_districts_by_pinyin(reference, en_client):
    # given
    offered_everywhere()

    # when
    response = en_client.get(reverse("catalog:item_places", args=["elderly-city"]))

    # then: 荔湾 (liwan) before 天河 (tianhe), each district's hall before its streets
    codes = [p.region_code for p in response.context["page"].object_list]
    assert codes == ["4401", LIWAN, SHAMIAN, TIANHE, WUSHAN, CHASHAN, YUANCUN, ""]


def test_a_signed_in_citizen_is_near_their_own_region_until_they_choose_another(reference, client):
    # given
    offered_everywhere()
    person = PersonFactory.create(region=Region.objects.get(code=YUANCUN))
    account = citizen_account_create(person=person, password=PASSWORD)
    client.force_login(account)

    # when
    own = client.get(reverse("catalog:item_places", args=["elderly-city"]))
    client.cookies[REGION_COOKIE] = LIWAN
    chosen = client.get(reverse("catalog:item_places", args=["elderly-city"]))

    # then
    assert own.context["near"].code == YUANCUN
    assert own.context["page"].object_list[0].region_code == YUANCUN
    assert chosen.context["near"].code == LIWAN
    assert chosen.context["page"].object_list[0].region_code == LIWAN


@pytest.mark.parametrize(
    ("district", "street", "remembered"),
    [
        (TIANHE, WUSHAN, WUSHAN),
        (TIANHE, "", TIANHE),
        # A street of another district (the district was changed, the street not yet).
        (TIANHE, SHAMIAN, TIANHE),
    ],
)
def test_remembering_a_region_sets_the_cookie_and_goes_back(
    reference, client, district, street, remembered
):
    # given
    back = reverse("catalog:theme_detail", args=["retirement"])

    # when
    response = client.post(
        reverse("catalog:region_remember"), {"district": district, "street": street, "next": back}
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == back
    assert client.cookies[REGION_COOKIE].value == remembered
    assert client.cookies[REGION_COOKIE]["httponly"]


def test_an_unknown_region_is_not_remembered_and_another_site_is_not_a_way_back(reference, client):
    # when
    response = client.post(
        reverse("catalog:region_remember"),
        {"district": "999999", "next": "https://elsewhere.example/"},
    )

    # then
    assert response["Location"] == reverse("catalog:index")
    assert REGION_COOKIE not in client.cookies


def test_choosing_no_district_forgets_the_region(reference, client):
    # given
    client.cookies[REGION_COOKIE] = TIANHE

    # when
    client.post(reverse("catalog:region_remember"), {"district": "", "next": "/services/"})

    # then
    assert client.cookies[REGION_COOKIE].value == ""


def test_the_places_of_an_unknown_item_are_not_found(reference, client):
    assert client.get(reverse("catalog:item_places", args=["nope"])).status_code == 404


def test_a_life_event_page_takes_the_same_queries_however_many_places(
    reference, client, django_assert_num_queries
):
    # given: a remembered street, and a service in 50 communities
    offered_everywhere()
    for community in Region.objects.filter(code__startswith=WUSHAN, level=4)[:50]:
        local_item("社区服务", ItemLevel.COMMUNITY, community.code, theme_refs=["retirement"])
    client.cookies[REGION_COOKIE] = WUSHAN

    # when: theme, remembered region, services, districts, streets
    with django_assert_num_queries(5):
        response = client.get(reverse("catalog:theme_detail", args=["retirement"]))

    # then
    assert response.context["page"].paginator.count == 2


def test_the_places_page_takes_the_same_queries_however_many_places(
    reference, client, django_assert_num_queries
):
    # given
    offered_everywhere()
    communities = Region.objects.filter(code__startswith=TIANHE, level=4).exclude(code=CHASHAN)
    for community in communities[:60]:
        local_item(ELDERLY, ItemLevel.COMMUNITY, community.code)
    client.cookies[REGION_COOKIE] = WUSHAN

    # when: remembered region, item, places, their districts' and streets' names, the
    # picker's districts and streets
    with django_assert_num_queries(6):
        response = client.get(reverse("catalog:item_places", args=["elderly-city"]))

    # then
    assert response.context["count"] == 68
    assert len(response.context["page"].object_list) == 20


@pytest.mark.parametrize(
    ("language", "title", "window"),
    [
        ("en", "Retirement and old age", "Social affairs"),
        ("zh-hant", "養老", "社會事務類"),
        ("zh-hans", "养老", "社会事务类"),
    ],
)
def test_life_events_and_hall_categories_read_in_the_readers_language(
    reference, client, language, title, window
):
    # given
    published_item(item_key="card", name="老年人优待卡换领", theme_refs=["retirement"])
    client.cookies["django_language"] = language

    # when
    theme = client.get(reverse("catalog:theme_detail", args=["retirement"])).content.decode()
    item = client.get(reverse("catalog:item_detail", args=["card"])).content.decode()
    index = client.get(reverse("catalog:theme_list")).content.decode()

    # then
    assert f"<h1>{title}</h1>" in theme
    assert f">{title}</a>" in index
    assert f"<dd>{window}</dd>" in item
