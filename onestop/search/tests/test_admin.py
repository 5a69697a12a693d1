"""Who may edit synonyms and read the search log, and what an edit does to searches."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onestop.catalog.tests import factories as accounts
from onestop.catalog.tests.factories import published_item
from onestop.core.models import AuditEntry
from onestop.search import selectors
from onestop.search.enums import SearchChannel
from onestop.search.models import ItemTranslation, SearchLog, Synonym
from onestop.search.services import item_names_load, search_index_rebuild

pytestmark = pytest.mark.django_db

SYNONYMS = reverse("admin:search_synonym_changelist")
ADD_SYNONYM = reverse("admin:search_synonym_add")
LOG = reverse("admin:search_searchlog_changelist")
FAILURES = reverse("search:failures")


@pytest.fixture
def platform_admin(db):
    return accounts.platform_admin()


@pytest.fixture
def citizen(db):
    return accounts.citizen()


@pytest.fixture
def approver(reference):
    """A department's approver with the admin site: keeps the catalog, not the vocabulary."""
    return accounts.approver("GZ-GAJ", admin_site=True)


@pytest.fixture
def clerk(reference):
    """Staff with the admin site but no catalog role."""
    return accounts.staff_with_admin_site()


def log(query: str, count: int, *, days_ago: int = 0) -> SearchLog:
    return SearchLog.objects.create(
        query=query,
        result_count=count,
        channel=SearchChannel.WEB,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_anonymous_visitors_and_citizens_are_kept_out(reference, client, citizen):
    # when
    anonymous = [client.get(url) for url in (SYNONYMS, LOG, FAILURES)]
    client.force_login(citizen)
    as_citizen = [client.get(url) for url in (SYNONYMS, LOG, FAILURES)]

    # then
    assert [r.status_code for r in anonymous] == [302, 302, 302]
    assert all("login" in r["Location"] for r in anonymous)
    assert [r.status_code for r in as_citizen[:2]] == [302, 302]
    assert as_citizen[2].status_code == 403


def test_staff_without_a_catalog_role_see_neither(client, clerk):
    # given
    client.force_login(clerk)

    # when
    responses = [client.get(url) for url in (SYNONYMS, LOG, FAILURES)]

    # then
    assert [r.status_code for r in responses] == [403, 403, 403]


def test_an_approver_reads_the_log_but_does_not_edit_synonyms(client, approver):
    # given
    log("开饭店", 3)
    client.force_login(approver)

    # when
    synonyms = client.get(SYNONYMS)
    search_log = client.get(LOG)
    failures = client.get(FAILURES)

    # then
    assert synonyms.status_code == 403
    assert search_log.status_code == 200
    assert "开饭店" in search_log.content.decode()
    assert FAILURES in search_log.content.decode()
    assert failures.status_code == 200


def test_the_log_is_read_only(client, platform_admin):
    # given
    entry = log("开饭店", 3)
    client.force_login(platform_admin)

    # when
    add = client.get(reverse("admin:search_searchlog_add"))
    delete = client.post(reverse("admin:search_searchlog_delete", args=[entry.pk]), {"post": "yes"})

    # then
    assert add.status_code == 403
    assert delete.status_code == 403
    assert SearchLog.objects.filter(pk=entry.pk).exists()


def test_what_people_fail_to_find_is_ranked_by_how_often(client, approver):
    # given
    for _ in range(3):
        log("开奶茶店", 0)
    log("办居住证", 0)
    log("开饭店", 5)
    log("很久以前", 0, days_ago=40)
    client.force_login(approver)

    # when
    response = client.get(FAILURES)

    # then
    html = response.content.decode()
    table = html.split("<tbody>")[1].split("</tbody>")[0]
    assert table.index("开奶茶店") < table.index("办居住证")
    assert "<td>3</td>" in table
    assert "开饭店" not in table
    assert "很久以前" not in table


def test_a_platform_admin_adds_a_synonym_and_search_uses_it_at_once(
    reference, client, platform_admin
):
    # given
    published_item(name="城乡居民社会保险费缴纳")
    search_index_rebuild()
    client.force_login(platform_admin)
    before = selectors.search_items("五险").total

    # when
    response = client.post(
        ADD_SYNONYM,
        {"term": "五险", "expansions": "社会保险", "kind": "synonym", "is_active": "on"},
    )

    # then
    assert response.status_code == 302
    assert Synonym.objects.filter(term="五险", is_active=True).exists()
    assert before == 0
    assert selectors.search_items("五险").total == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"term": "交社保", "expansions": "交社保"}, "cannot expand to itself"),
        ({"term": "！！", "expansions": "社会保险"}, "at least one letter or character"),
        ({"term": "交社保", "expansions": "｜"}, "at least one expansion"),
        ({"term": "社保", "expansions": "社会保险"}, "already exists"),
    ],
)
def test_a_synonym_that_cannot_work_is_refused_with_a_clear_message(
    client, platform_admin, fields, message
):
    # given: the table as its migration seeds it
    client.force_login(platform_admin)
    before = Synonym.objects.count()

    # when
    response = client.post(ADD_SYNONYM, {"kind": "synonym", "is_active": "on", **fields})

    # then
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Synonym.objects.count() == before


def test_a_synonym_switched_off_in_the_list_stops_expanding(reference, client, platform_admin):
    # given
    published_item(name="城乡居民社会保险费缴纳")
    search_index_rebuild()
    client.force_login(platform_admin)
    client.post(
        ADD_SYNONYM,
        {"term": "五险", "expansions": "社会保险", "kind": "synonym", "is_active": "on"},
    )
    synonym = Synonym.objects.get(term="五险")

    # when: the list's active box is cleared and saved
    response = client.post(
        SYNONYMS,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(synonym.pk),
            "_save": "Save",
        },
    )

    # then
    assert response.status_code == 302
    synonym.refresh_from_db()
    assert not synonym.is_active
    assert selectors.search_items("五险").total == 0


TRANSLATIONS = reverse("admin:search_itemtranslation_changelist")
ADD_TRANSLATION = reverse("admin:search_itemtranslation_add")


def test_a_platform_admin_names_an_item_in_english_and_search_shows_it_at_once(
    reference, client, platform_admin
):
    # given
    published_item(name="养犬登记证办理")
    search_index_rebuild()
    client.force_login(platform_admin)
    assert selectors.search_items("养犬登记").hits[0].name_en is None

    # when
    response = client.post(
        ADD_TRANSLATION, {"name": "养犬登记证办理", "name_hant": "", "name_en": "Dog licence"}
    )

    # then: saved, audited, and the next search shows it
    assert response.status_code == 302
    assert selectors.search_items("养犬登记").hits[0].name_en == "Dog licence"
    entry = AuditEntry.objects.filter(action="search.translation.create").get()
    assert entry.changes["after"]["name_en"] == "Dog licence"


def test_a_translation_with_no_translated_name_is_refused(client, platform_admin):
    client.force_login(platform_admin)
    response = client.post(ADD_TRANSLATION, {"name": "结婚登记x", "name_hant": "", "name_en": ""})
    assert response.status_code == 200
    assert "Give a zh-Hant name, an English name or both." in response.content.decode()
    assert not ItemTranslation.objects.filter(name="结婚登记x").exists()


def test_an_approver_does_not_edit_translations(client, approver):
    client.force_login(approver)
    assert client.get(TRANSLATIONS).status_code == 403


def test_a_platform_admin_adds_an_english_term_and_search_reads_it_at_once(
    reference, client, platform_admin
):
    # given
    published_item(name="养犬登记证办理")
    search_index_rebuild()
    client.force_login(platform_admin)
    assert "养犬登记证办理" not in [h.name for h in selectors.search_items("dog licence").hits]

    # when
    response = client.post(
        ADD_SYNONYM,
        {"term": "dog licence", "expansions": "养犬登记证", "kind": "english", "is_active": "on"},
    )

    # then
    assert response.status_code == 302
    assert selectors.search_items("dog licences").hits[0].name == "养犬登记证办理"


def test_the_shipped_english_names_load_once_and_leave_edits_alone(reference, platform_admin):
    # given: an administrator's own English name for a shipped item
    row = ItemTranslation.objects.get(name="结婚登记")
    row.name_en = "Register a marriage"
    row.save()
    ItemTranslation.objects.exclude(pk=row.pk).filter(name="离婚登记").delete()

    # when
    added = item_names_load(actor=platform_admin)

    # then
    assert added == 1
    assert ItemTranslation.objects.get(name="结婚登记").name_en == "Register a marriage"
    assert ItemTranslation.objects.get(name="离婚登记").name_en == "Divorce registration"
    assert item_names_load(actor=None) == 0
