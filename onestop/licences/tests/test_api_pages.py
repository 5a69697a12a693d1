"""The public verification API and page, the wallet, and the published keys and lists."""

import json

import pytest

from onestop.core.models import AuditEntry
from onestop.identity.tests import factories as accounts
from onestop.licences import selectors, services
from onestop.licences.models import Licence, LicenceEvent
from onestop.licences.tests import factories

pytestmark = pytest.mark.django_db
VERIFY = "/api/v1/licences/verify"


def _post(client, body):
    return client.post(VERIFY, json.dumps(body), content_type="application/json")


def test_the_api_verifies_a_credential_and_shows_only_what_is_disclosed(catalog, client):
    # given
    licence = factories.residence_permit().licence

    # when
    answer = _post(client, {"credential": selectors.licence_credential(licence)}).json()

    # then
    assert answer["result"] == "valid"
    assert answer["licence"]["identifier"] == licence.identifier
    assert answer["face"] == licence.face


def test_the_api_verifies_an_identifier_without_showing_the_holder(catalog, client):
    # given
    licence = factories.residence_permit().licence

    # when
    answer = _post(client, {"identifier": licence.identifier}).json()

    # then
    assert (answer["result"], answer["disclosed"], answer["face"]) == ("valid", {}, {})
    assert answer["licence"]["type_name"] == "居住证"


def test_a_revoked_licence_answers_revoked_by_identifier_and_qr(catalog, client):
    # given
    issued = factories.residence_permit()
    services.licence_revoke(actor=issued.officer, licence_id=issued.licence.pk, reason="骗取登记")
    url = f"https://onestop.test/licences/verify/?id={issued.licence.identifier}"

    # when
    by_identifier = _post(client, {"identifier": issued.licence.identifier}).json()
    by_qr = _post(client, {"qr": url}).json()

    # then
    assert (by_identifier["result"], by_identifier["reason"]) == ("revoked", "骗取登记")
    assert by_qr["result"] == "revoked"


def test_a_qr_of_another_site_is_an_unknown_issuer(catalog, client):
    # given
    licence = factories.residence_permit().licence

    # when
    answer = _post(client, {"qr": f"https://elsewhere.example/v?id={licence.identifier}"}).json()

    # then
    assert answer["result"] == "unknown_issuer"


def test_an_identifier_with_a_wrong_check_character_is_a_problem_and_changes_nothing(
    catalog, client
):
    # given
    licence = factories.residence_permit().licence
    wrong = licence.identifier[:-1] + ("0" if licence.identifier[-1] != "0" else "1")
    audit_before = AuditEntry.objects.count()

    # when
    response = _post(client, {"identifier": wrong})

    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert (response.json()["code"], response.json()["reason"]) == (
        "invalid_licence_identifier",
        "check",
    )
    assert AuditEntry.objects.count() == audit_before
    assert Licence.objects.get().status == "valid"


def test_an_identifier_never_issued_is_unknown(catalog, client):
    # given
    licence = factories.residence_permit().licence
    parsed = licence.identifier.split(".")
    from onestop.licences.identifiers import Identifier

    other = Identifier(parsed[5], parsed[6], "9999999999", 1)

    # when
    answer = _post(client, {"identifier": str(other)}).json()

    # then
    assert (answer["result"], answer["reason"]) == ("unknown", "not_issued")


@pytest.mark.parametrize(
    "body", [{}, {"credential": "a~", "identifier": "1.2.156.3005.2.x"}, {"qr": ""}]
)
def test_verify_takes_exactly_one_input(client, db, body):
    # when
    response = _post(client, body)

    # then
    assert response.status_code == 422
    assert response.json()["code"] == "verify_input"


def test_the_wallet_lists_the_holders_licences_with_their_credentials(catalog, client):
    # given
    issued = factories.residence_permit()
    factories.residence_permit()  # someone else's
    client.force_login(issued.holder)

    # when
    rows = client.get("/api/v1/licences/mine").json()
    page = client.get("/licences/mine/")

    # then
    assert [row["identifier"] for row in rows] == [issued.licence.identifier]
    assert rows[0]["credential"] == selectors.licence_credential(issued.licence)
    assert issued.licence.number in page.content.decode()


def test_the_wallet_page_sends_the_signed_out_to_the_citizen_sign_in(client, db):
    # when
    response = client.get("/licences/mine/")

    # then
    assert response.status_code == 302
    assert "/account/citizen/" in response["Location"] or "citizen" in response["Location"]


def test_staff_have_no_wallet(catalog, client):
    # given
    client.force_login(accounts.staff())

    # when
    response = client.get("/licences/mine/")

    # then
    assert response.status_code == 403


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_the_verification_page_answers_in_each_language(catalog, client, language):
    # given
    licence = factories.residence_permit().licence
    client.cookies["django_language"] = language

    # when
    response = client.post("/licences/verify/", {"identifier": licence.identifier})

    # then
    assert response.status_code == 200
    assert 'data-result="valid"' in response.content.decode()


def test_the_verification_page_explains_a_tampered_credential(catalog, client):
    # given
    credential = selectors.licence_credential(factories.residence_permit().licence)

    # when
    response = client.post("/licences/verify/", {"credential": credential[:-40]})

    # then
    assert 'data-result="tampered"' in response.content.decode()


def test_status_list_and_keys_are_public_and_cacheable(catalog, client):
    # given
    licence = factories.residence_permit().licence

    # when
    listing = client.get(f"/licences/status/{licence.status_list_id}")
    jwks = client.get("/.well-known/jwks.json")

    # then
    assert listing.status_code == jwks.status_code == 200
    assert "max-age" in listing["Cache-Control"]
    assert all("d" not in key for key in jwks.json()["keys"])


def test_every_status_change_writes_its_timeline_and_audit(catalog):
    # given
    issued = factories.residence_permit()

    # when
    services.licence_suspend(actor=issued.officer, licence_id=issued.licence.pk, reason="核查")
    services.licence_reinstate(actor=issued.officer, licence_id=issued.licence.pk)
    services.licence_revoke(actor=issued.officer, licence_id=issued.licence.pk, reason="注销")

    # then
    actions = list(
        LicenceEvent.objects.filter(licence=issued.licence).values_list("action", flat=True)
    )
    assert actions == ["issue", "suspend", "reinstate", "revoke"]
    audited = AuditEntry.objects.filter(action__startswith="licences.licence.").values_list(
        "action", flat=True
    )
    assert list(audited.order_by("pk")) == [
        "licences.licence.issue",
        "licences.licence.suspend",
        "licences.licence.reinstate",
        "licences.licence.revoke",
    ]


def test_another_departments_approver_cannot_revoke_and_is_told_not_found(catalog):
    # given
    issued = factories.residence_permit()
    stranger = factories.approver("GZ-SCJGJ")

    # when
    with pytest.raises(Exception) as refused:
        services.licence_revoke(actor=stranger, licence_id=issued.licence.pk, reason="x")

    # then
    assert getattr(refused.value, "code", "") == "licence_not_found"
    assert Licence.objects.get().status == "valid"


def test_a_revoked_licence_cannot_be_reinstated(catalog):
    # given
    issued = factories.residence_permit()
    services.licence_revoke(actor=issued.officer, licence_id=issued.licence.pk, reason="注销")

    # when
    with pytest.raises(Exception) as refused:
        services.licence_reinstate(actor=issued.officer, licence_id=issued.licence.pk)

    # then
    assert getattr(refused.value, "code", "") == "illegal_transition"


def test_a_wallet_licence_shows_its_face_and_a_qr_that_verifies(catalog, client):
    # given
    issued = factories.residence_permit()
    client.force_login(issued.holder)

    # when
    page = client.get(f"/licences/mine/{issued.licence.pk}/").content.decode()
    url = selectors.licence_verification_url(issued.licence)
    client.logout()
    verified = client.get(url.removeprefix("https://onestop.test"))

    # then
    assert "<svg" in page and issued.licence.face["address"] in page
    assert 'data-result="valid"' in verified.content.decode()


def test_someone_elses_licence_is_not_found_in_a_wallet(catalog, client):
    # given
    issued = factories.residence_permit()
    client.force_login(accounts.citizen())

    # when
    response = client.get(f"/licences/mine/{issued.licence.pk}/")

    # then
    assert response.status_code == 404


def test_a_holders_valid_licence_is_offered_for_the_material_it_replaces(catalog):
    # given: a valid residence permit, and a revoked one of someone else's
    issued = factories.residence_permit()
    other = factories.residence_permit()
    services.licence_revoke(actor=other.officer, licence_id=other.licence.pk, reason="注销")

    # when
    offered = selectors.licences_replacing(issued.holder, "广东省居住证")
    nothing = selectors.licences_replacing(other.holder, "广东省居住证")

    # then
    assert offered == [issued.licence]
    assert nothing == []
    assert selectors.licences_replacing(issued.holder, "营业执照") == []
