"""The printable licence and its QR, checked with code we did not write (pypdfium2 renders
the page, zxing-cpp decodes the QR), the verification page's inputs, and the holder's
presentations (checked by the sd-jwt reference verifier and jwcrypto)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pypdfium2
import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from onestop.core.models import AuditEntry
from onestop.identity.tests import factories as accounts
from onestop.licences import selectors, services
from onestop.licences.models import Licence
from onestop.licences.tests import factories, independent

pytestmark = pytest.mark.django_db
VERIFY = "/api/v1/licences/verify"


def _post(client, body):
    return client.post(VERIFY, json.dumps(body), content_type="application/json")


def _qr_of(pdf: bytes) -> str:
    """The QR's text as a reader sees it: the page rendered to pixels, then decoded."""
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=2).to_pil()
    # QR codes only: a reader looking for every format has, now and then, taken a line of
    # the printed text for a linear barcode.
    codes = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    assert len(codes) == 1
    return codes[0].text


def _printout(client, issued) -> bytes:
    client.force_login(issued.holder)
    response = client.get(f"/licences/mine/{issued.licence.pk}/printout.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    client.logout()
    return response.content


def test_the_printouts_qr_decoded_from_the_rendered_page_verifies_then_answers_revoked(
    catalog, client
):
    # given
    issued = factories.residence_permit()
    pdf = _printout(client, issued)

    # when
    text = _qr_of(pdf)
    before = _post(client, {"qr": text}).json()
    services.licence_revoke(actor=issued.officer, licence_id=issued.licence.pk, reason="注销")
    after = _post(client, {"qr": text}).json()

    # then
    assert text == selectors.licence_verification_url(issued.licence)
    assert (before["result"], before["identifier"]) == ("valid", issued.licence.identifier)
    assert (after["result"], after["reason"]) == ("revoked", "注销")


def test_the_qr_is_drawn_at_error_correction_q(catalog, client):
    # given
    issued = factories.residence_permit()

    # when
    page = pypdfium2.PdfDocument(_printout(client, issued))[0]
    code = zxingcpp.read_barcodes(
        page.render(scale=2).to_pil(),
        formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
    )[0]

    # then
    assert code.ec_level == "Q"


def test_printing_is_audited_and_only_the_holder_prints(catalog, client):
    # given
    issued = factories.residence_permit()
    url = f"/licences/mine/{issued.licence.pk}/printout.pdf"

    # when
    _printout(client, issued)
    client.force_login(accounts.citizen())
    stranger = client.get(url)
    client.force_login(issued.officer)
    officer = client.get(url)

    # then
    entries = AuditEntry.objects.filter(action="licences.licence.print")
    assert [e.object_id for e in entries] == [str(issued.licence.pk)]
    assert stranger.status_code == 404
    assert officer.status_code in (403, 404)


def test_the_verification_page_reads_an_uploaded_printout(catalog, client):
    # given
    issued = factories.residence_permit()
    pdf = _printout(client, issued)

    # when
    page = client.post(
        "/licences/verify/", {"printout": SimpleUploadedFile("l.pdf", pdf, "application/pdf")}
    )

    # then
    assert page.status_code == 200
    assert 'data-result="valid"' in page.content.decode()
    assert issued.licence.identifier in page.content.decode()


def test_an_upload_without_a_licence_code_is_refused_with_a_message(catalog, client):
    # when
    page = client.post(
        "/licences/verify/",
        {"printout": SimpleUploadedFile("x.pdf", b"%PDF-1.4 nothing", "application/pdf")},
    )

    # then
    assert page.status_code == 422
    assert 'id="verify-error"' in page.content.decode()


def test_the_verification_page_loads_its_scanner_from_a_static_file(db, client):
    # when
    page = client.get("/licences/verify/").content.decode()

    # then: no inline script (the Content-Security-Policy forbids it)
    assert "licences/verify.js" in page
    assert "<script>" not in page


# --- Presentations -----------------------------------------------------------------------------


def _present(client, issued, disclose, lifetime=3600):
    client.force_login(issued.holder)
    response = client.post(
        f"/licences/mine/{issued.licence.pk}/present/",
        {"disclose": disclose, "lifetime": lifetime},
    )
    client.logout()
    return response


def _presentation_of(response) -> str:
    assert response.status_code == 200, response.content
    page = response.content.decode()
    start = page.index('id="presentation-text"')
    text = page[page.index(">", start) + 1 : page.index("</textarea>", start)]
    return text.strip()


def test_a_presentation_shows_only_the_chosen_fields(catalog, client):
    # given
    issued = factories.residence_permit()

    # when
    text = _presentation_of(_present(client, issued, ["holder_name", "face.address"]))
    answer = _post(client, {"credential": text}).json()
    result, claims = independent.verify(client, text, now=timezone.now())

    # then
    assert answer["result"] == "valid"
    assert answer["disclosed"] == {"holder_name": issued.licence.holder_name}
    assert answer["face"] == {"address": issued.licence.face["address"]}
    assert result == "valid"
    assert claims["face"] == {"address": issued.licence.face["address"]}
    assert "holder_code" not in claims


def test_a_presentation_past_its_expiry_answers_expired_presentation(catalog, client):
    # given
    issued = factories.residence_permit()
    text = _presentation_of(_present(client, issued, ["face.name"], lifetime=3600))
    later = timezone.now() + timedelta(hours=1, minutes=1)

    # when
    answer = selectors.licence_verify_credential(text, now=later)
    result, _claims = independent.verify(client, text, now=later)

    # then
    assert (answer.result, answer.reason) == ("expired", "presentation_expired")
    assert (answer.disclosed, answer.face) == ({}, {})
    assert result == "expired"


def test_a_presentation_of_a_revoked_licence_answers_revoked(catalog, client):
    # given
    issued = factories.residence_permit()
    text = _presentation_of(_present(client, issued, ["face.name"]))

    # when
    services.licence_revoke(actor=issued.officer, licence_id=issued.licence.pk, reason="注销")
    answer = _post(client, {"credential": text}).json()
    result, _claims = independent.verify(client, text, now=timezone.now())

    # then
    assert answer["result"] == "revoked"
    assert result == "revoked"


def test_a_presentation_never_outlives_the_licence(catalog, client):
    # given: a licence whose last day is today
    today = timezone.localdate()
    issued = factories.residence_permit(valid_from=today - timedelta(days=30), valid_until=today)

    # when
    text = _presentation_of(_present(client, issued, ["face.name"], lifetime=7 * 86400))
    payload = json.loads(base64.urlsafe_b64decode(text.split(".")[1] + "=="))

    # then
    assert payload["exp"] <= int((timezone.now() + timedelta(days=2)).timestamp())


def test_a_presentation_with_no_fields_or_an_odd_lifetime_is_refused_and_audits_nothing(
    catalog, client
):
    # given
    issued = factories.residence_permit()
    before = AuditEntry.objects.filter(action="licences.licence.present").count()

    # when
    nothing = _present(client, issued, [])
    odd = _present(client, issued, ["face.name"], lifetime=10**9)
    unknown = _present(client, issued, ["face.password"])

    # then
    assert [r.status_code for r in (nothing, odd, unknown)] == [422, 422, 422]
    assert AuditEntry.objects.filter(action="licences.licence.present").count() == before


def test_someone_else_cannot_present_a_licence(catalog, client):
    # given
    issued = factories.residence_permit()
    client.force_login(accounts.citizen())

    # when
    response = client.post(
        f"/licences/mine/{issued.licence.pk}/present/",
        {"disclose": ["face.name"], "lifetime": 3600},
    )

    # then
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="licences.licence.present").exists()


# --- Bad input ---------------------------------------------------------------------------------


def _unchanged(licence: Licence) -> tuple:
    licence.refresh_from_db()
    return (licence.status, licence.updated_at, AuditEntry.objects.count())


@pytest.mark.parametrize(
    ("mangle", "expected"),
    [
        (lambda t: t[: len(t) // 2], ("tampered", "malformed")),
        (
            lambda t: t[:40] + ("A" if t[40] != "A" else "B") + t[41:],
            ("tampered", None),
        ),
        (lambda t: "x" * 70_000, None),
    ],
    ids=["truncated", "bit-flipped", "oversized"],
)
def test_a_broken_presentation_gets_a_specific_answer_and_changes_nothing(
    catalog, client, mangle, expected
):
    # given
    issued = factories.residence_permit()
    text = _presentation_of(_present(client, issued, ["face.name"]))
    before = _unchanged(issued.licence)

    # when
    response = _post(client, {"qr": mangle(text)})

    # then
    if expected is None:
        assert response.status_code == 422
    else:
        answer = response.json()
        assert answer["result"] == expected[0]
        assert expected[1] is None or answer["reason"] == expected[1]
        assert answer["face"] == {}
    assert _unchanged(issued.licence) == before


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_a_presentation_with_another_algorithm_is_refused_before_any_key(catalog, client, alg):
    # given
    issued = factories.residence_permit()
    text = _presentation_of(_present(client, issued, ["face.name"]))
    header = base64.urlsafe_b64encode(json.dumps({"alg": alg, "typ": "dc+sd-jwt"}).encode())
    forged = header.decode().rstrip("=") + text[text.index(".") :]
    before = _unchanged(issued.licence)

    # when
    answer = _post(client, {"credential": forged}).json()

    # then
    assert (answer["result"], answer["reason"]) == ("tampered", "algorithm_not_allowed")
    assert _unchanged(issued.licence) == before


def test_a_printout_of_another_issuer_is_an_unknown_issuer(catalog, client):
    # given: a printout whose code points at another site
    issued = factories.residence_permit()
    pdf = _printout(client, issued).replace(b"https://onestop.test", b"https://elsewhere.tes")

    # when
    page = client.post(
        "/licences/verify/", {"printout": SimpleUploadedFile("l.pdf", pdf, "application/pdf")}
    )

    # then
    assert 'data-result="unknown_issuer"' in page.content.decode()


def test_an_oversized_upload_is_refused(catalog, client):
    # given: a compressed bomb would be no different: nothing is inflated
    data = b"%PDF-1.4\n" + b"0" * (selectors.MAX_PRINTOUT_BYTES + 10)

    # when
    page = client.post(
        "/licences/verify/", {"printout": SimpleUploadedFile("big.pdf", data, "application/pdf")}
    )

    # then
    assert page.status_code in (413, 422)  # the request edge or the page refuses it


def test_a_presentation_link_given_as_qr_text_verifies(catalog, client):
    # given
    issued = factories.residence_permit()
    page = _present(client, issued, ["face.sex"]).content.decode()
    start = page.index('id="presentation-link" href="') + len('id="presentation-link" href="')
    link = page[start : page.index('"', start)].replace("&amp;", "&")

    # when
    answer = _post(client, {"qr": link}).json()

    # then
    assert link.startswith("https://onestop.test/licences/verify/#p=")
    assert (answer["result"], answer["face"]) == ("valid", {"sex": issued.licence.face["sex"]})


def _pushed_forward(text: str, **changes) -> tuple[str, dict, dict]:
    from onestop.licences.tests.test_credentials import _parts

    header, payload, _ = _parts(text)
    return text, header, {**payload, "exp": payload["exp"] + 30 * 86400, **changes}


def test_a_lapsed_presentation_with_its_expiry_pushed_forward_is_caught(catalog, client):
    # given: the holder's presentation, its exp moved a month on, signed again by a key of
    # someone else's under our key id, or by another issuer under its own name
    from joserfc.jwk import ECKey

    from onestop.licences.tests.test_credentials import _resign

    issued = factories.residence_permit()
    text = _presentation_of(_present(client, issued, ["face.name"]))
    later = timezone.now() + timedelta(hours=2)
    own, header, payload = _pushed_forward(text)
    under_our_kid = _resign(own, header=header, payload=payload, key=ECKey.generate_key("P-256"))
    elsewhere = _resign(
        own,
        header=header,
        payload={**payload, "iss": "https://elsewhere.example"},
        key=ECKey.generate_key("P-256"),
    )
    before = _unchanged(issued.licence)

    # when
    ours = selectors.licence_verify_credential(under_our_kid, now=later)
    theirs = independent.verify(client, under_our_kid, now=later)[0]
    other = selectors.licence_verify_credential(elsewhere, now=later)

    # then
    assert ((ours.result, ours.reason), theirs) == (("tampered", "signature"), "tampered")
    assert (other.result, other.reason) == ("unknown_issuer", "issuer")
    assert _unchanged(issued.licence) == before


def test_the_api_makes_a_presentation_for_the_holder_only(catalog, client):
    # given
    issued = factories.residence_permit()
    url = f"/api/v1/licences/mine/{issued.licence.pk}/presentations"
    body = json.dumps({"disclose": ["holder_name"], "lifetime": 86400})

    # when
    client.force_login(issued.holder)
    made = client.post(url, body, content_type="application/json")
    refused = client.post(
        url, json.dumps({"disclose": [], "lifetime": 86400}), content_type="application/json"
    )
    client.force_login(accounts.citizen())
    stranger = client.post(url, body, content_type="application/json")
    client.logout()
    answer = _post(client, {"credential": made.json()["presentation"]}).json()

    # then
    assert made.status_code == 201
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_presentation")
    assert stranger.status_code == 404
    assert (answer["result"], answer["disclosed"], answer["face"]) == (
        "valid",
        {"holder_name": issued.licence.holder_name},
        {},
    )


def test_the_verification_page_labels_the_disclosed_fields_as_the_licence_does(catalog, client):
    # given
    issued = factories.residence_permit()
    text = _presentation_of(_present(client, issued, ["holder_name", "face.address"]))

    # when
    page = client.post("/licences/verify/", {"credential": text}).content.decode()
    shown = page[
        page.index('id="verify-disclosed"') : page.index("</dl>", page.index("verify-disclosed"))
    ]

    # then
    assert "<dt>Holder&#x27;s name</dt>" in shown and issued.licence.holder_name in shown
    assert "<dt>Address of residence</dt>" in shown and issued.licence.face["address"] in shown
    assert issued.licence.face["born_on"] not in shown


def test_a_compressed_bomb_as_qr_text_is_never_inflated(catalog, client):
    # given: a certificate-style QR text (zlib inside, as HC1 codes carry) that would
    # inflate to 1 GB
    import zlib

    bomb = base64.b64encode(zlib.compress(b"\0" * 2**24, 9) * 64).decode()[:60_000]
    issued = factories.residence_permit()
    before = _unchanged(issued.licence)

    # when
    response = _post(client, {"qr": f"HC1:{bomb}"})

    # then: another scheme's code, read as text and never decompressed
    assert (response.json()["result"], response.json()["reason"]) == ("unknown_issuer", "issuer")
    assert _unchanged(issued.licence) == before


def test_the_printout_breaks_english_between_words_and_chinese_anywhere():
    from onestop.licences.printout import _font, _wrap

    _font()
    english = "Scan the code or open the address under it to see whether the licence is valid now."
    chinese = "扫描二维码或打开其下的地址，可查看证照当前是否有效。" * 3

    words = _wrap(english, 160, 9)
    characters = _wrap(chinese, 160, 9)

    assert len(words) > 1 and " ".join(words) == english
    assert all(line == line.strip() for line in words)
    assert len(characters) > 1 and "".join(characters) == chinese
