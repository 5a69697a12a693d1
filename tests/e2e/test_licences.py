"""An e-licence on paper, in Chromium: the citizen opens the wallet and downloads the
printable licence; its QR, read from the rendered page by a decoder we did not write, opens
the public verification page, which says valid, and after the department revokes the
licence the same code says revoked; a presentation of chosen fields shows only those."""

from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from playwright.sync_api import expect

from onestop.licences import services
from onestop.licences.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _qr_of(pdf: Path) -> str:
    image = pypdfium2.PdfDocument(pdf.read_bytes())[0].render(scale=2).to_pil()
    # QR codes only: a reader looking for every format has, now and then, taken a line of
    # the printed text for a linear barcode.
    codes = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    assert len(codes) == 1
    return codes[0].text


def test_a_printed_licence_verifies_until_revoked_and_a_presentation_shows_only_its_fields(
    live_server, page, signed_in, settings, tmp_path
):
    settings.ONESTOP_LICENCE_ISSUER_URL = live_server.url
    factories.catalog()
    issued = factories.residence_permit()
    licence = issued.licence

    # the citizen opens the wallet and the licence, and downloads the printout
    signed_in(issued.holder)
    page.goto(f"{live_server.url}/licences/mine/")
    page.locator("#wallet a").first.click()
    expect(page.locator("#licence-status")).to_have_attribute("data-status", "valid")
    with page.expect_download() as download:
        page.locator("#licence-printout").click()
    pdf = tmp_path / "licence.pdf"
    download.value.save_as(pdf)

    # the QR read from the rendered page opens the verification page: valid
    url = _qr_of(pdf)
    assert url.startswith(f"{live_server.url}/licences/verify/?id=")
    page.goto(url)
    expect(page.locator("#verify-result")).to_have_attribute("data-result", "valid")

    # a presentation of the address alone shows the address and nothing else
    page.goto(f"{live_server.url}/licences/mine/{licence.pk}/")
    page.locator("input[name=disclose][value='face.address']").check()
    page.locator("#lifetime").select_option("86400")
    page.locator("#present-form button[type=submit]").click()
    page.locator("#presentation-link").click()
    expect(page.locator("#verify-result")).to_have_attribute("data-result", "valid")
    disclosed = page.locator("#verify-disclosed")
    expect(disclosed).to_contain_text(licence.face["address"])
    expect(disclosed).not_to_contain_text(licence.face["born_on"])
    expect(disclosed).not_to_contain_text(licence.holder_name)
    assert "#p=" not in page.url

    # the department revokes it: the same printed code now says revoked
    services.licence_revoke(actor=issued.officer, licence_id=licence.pk, reason="证件作废")
    page.goto(url)
    expect(page.locator("#verify-result")).to_have_attribute("data-result", "revoked")
    expect(page.locator("#verify-reason")).to_contain_text("证件作废")
