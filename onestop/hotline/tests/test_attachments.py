"""Photos and PDFs attached to work orders: told by their bytes, capped, kept through the
storage API, shown to the handling department without who sent them."""

import io

import pytest
from django.urls import reverse

from onestop.core.access import Role
from onestop.core.errors import DomainError
from onestop.hotline import services
from onestop.hotline.models import OrderAttachment, WorkOrderEvent
from onestop.hotline.tests.factories import OTHER_PHONE, PHONE, staff_member
from onestop.identity.tests.factories import citizen

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
PDF = b"%PDF-1.7\n" + b"0" * 200
URL = "/api/v1/hotline/requests/attachments"


@pytest.fixture(autouse=True)
def hotline_files(settings, tmp_path):
    settings.ONESTOP_HOTLINE_FILES_DIR = str(tmp_path / "hotline-files")
    return tmp_path / "hotline-files"


def _files(hotline_files):
    return [p for p in hotline_files.rglob("*") if p.is_file()] if hotline_files.exists() else []


def _upload(data, name="photo.jpg"):
    return services.Upload(content=io.BytesIO(data))


def test_the_citizen_adds_a_photo_and_a_pdf_and_they_are_kept(city, hotline_files):
    # given
    order = city.dispatched()
    # when
    services.order_add_information(
        actor=None,
        number=order.number,
        phone=PHONE,
        text="补充现场照片",
        uploads=[_upload(JPEG), _upload(PDF)],
    )
    # then
    kept = list(OrderAttachment.objects.filter(order=order).order_by("id"))
    assert [a.content_type for a in kept] == ["image/jpeg", "application/pdf"]
    assert kept[0].file.read() == JPEG
    assert len(_files(hotline_files)) == 2
    assert WorkOrderEvent.objects.filter(order=order, action="attach").count() == 1


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_whatever_its_name(city, hotline_files):
    order = city.dispatched()
    with pytest.raises(DomainError) as error:
        services.order_add_information(
            actor=None,
            number=order.number,
            phone=PHONE,
            text="补充",
            uploads=[_upload(JPEG), _upload(b"<html><script>alert(1)</script>", "a.jpg")],
        )
    assert error.value.code == "attachment_type"
    assert not OrderAttachment.objects.exists() and _files(hotline_files) == []
    assert not WorkOrderEvent.objects.filter(action="add_information").exists()


def test_a_file_too_large_is_refused_and_nothing_is_kept(city, hotline_files, settings):
    order = city.dispatched()
    big = JPEG + b"\x00" * services.ATTACHMENT_MAX_BYTES
    with pytest.raises(DomainError) as error:
        services.order_add_information(
            actor=None, number=order.number, phone=PHONE, text="", uploads=[_upload(big)]
        )
    assert error.value.code == "attachment_too_large"
    assert not OrderAttachment.objects.exists() and _files(hotline_files) == []


def test_too_many_files_are_refused(city, hotline_files):
    order = city.dispatched()
    uploads = [_upload(PNG) for _ in range(services.ATTACHMENTS_MAX + 1)]
    with pytest.raises(DomainError) as error:
        services.order_add_information(
            actor=None, number=order.number, phone=PHONE, text="", uploads=uploads
        )
    assert error.value.code == "too_many_attachments"
    assert not OrderAttachment.objects.exists() and _files(hotline_files) == []


def test_the_agent_attaches_at_registration_and_the_department_sees_the_file(
    client, city, hotline_files
):
    # given: a report (举报) from an informant, with a photo sent during the call
    order = services.order_create(
        actor=city.agent,
        channel="phone",
        request=city.request(kind="report", contact_name="林女士", contact_phone=OTHER_PHONE),
        uploads=[_upload(JPEG)],
    )
    services.order_dispatch(actor=city.agent, order_id=order.pk)
    attachment = OrderAttachment.objects.get(order=order)
    assert attachment.uploaded_by == city.agent
    # when
    client.force_login(city.handler)
    page = client.get(reverse("hotline:order", args=[order.pk])).content.decode()
    photo = client.get(reverse("hotline:attachment", args=[attachment.pk]))
    # then: the photo is there; who sent it, and the informant, are not
    assert reverse("hotline:attachment", args=[attachment.pk]) in page
    assert "林女士" not in page and OTHER_PHONE[-4:] not in page
    assert city.agent.username not in page and str(city.agent.display_name) not in page
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert b"".join(photo.streaming_content) == JPEG


def test_another_department_cannot_read_an_orders_file(client, city):
    order = city.dispatched()
    services.order_add_information(
        actor=None, number=order.number, phone=PHONE, text="", uploads=[_upload(PNG)]
    )
    attachment = OrderAttachment.objects.get()
    client.force_login(city.other_handler)
    assert client.get(reverse("hotline:attachment", args=[attachment.pk])).status_code == 404


def test_an_assisting_department_reads_the_orders_files(client, city):
    order = city.dispatched()
    services.order_add_information(
        actor=None, number=order.number, phone=PHONE, text="", uploads=[_upload(PNG)]
    )
    assisting = staff_member(Role.DEPARTMENT_HANDLER, department=city.city_management_tianhe)
    part = services.order_part_add(
        actor=city.dispatcher,
        order_id=order.pk,
        department_id=city.city_management_tianhe.pk,
        task="清理占道",
    )
    attachment = OrderAttachment.objects.get()
    client.force_login(assisting)
    page = client.get(reverse("hotline:part", args=[part.pk])).content.decode()
    assert reverse("hotline:attachment", args=[attachment.pk]) in page
    assert client.get(reverse("hotline:attachment", args=[attachment.pk])).status_code == 200


def test_the_app_adds_files_through_the_api(client, city, hotline_files):
    # given
    order = city.dispatched()
    client.force_login(citizen())
    # when
    response = client.post(
        URL,
        {
            "number": order.number,
            "phone": PHONE,
            "files": [
                io.BytesIO(JPEG),
                io.BytesIO(PDF),
            ],
        },
    )
    # then
    assert response.status_code == 200, response.content
    assert response.json()["attachments"] == 2
    assert OrderAttachment.objects.filter(order=order, channel="app").count() == 2


def test_the_api_refuses_a_wrong_file_as_problem_json(client, city, hotline_files):
    order = city.dispatched()
    client.force_login(citizen())
    bad = io.BytesIO(b"MZ\x90\x00 not a photo")
    bad.name = "photo.png"
    response = client.post(URL, {"number": order.number, "phone": PHONE, "files": [bad]})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "attachment_type"
    assert not OrderAttachment.objects.exists() and _files(hotline_files) == []


def test_the_web_tracking_page_takes_a_photo(client, city):
    order = city.dispatched()
    photo = io.BytesIO(PNG)
    photo.name = "现场.png"
    response = client.post(
        reverse("hotline:track"),
        {"number": order.number, "phone": PHONE, "action": "add", "text": "", "files": [photo]},
    )
    assert response.status_code == 200
    attachment = OrderAttachment.objects.get(order=order)
    assert attachment.content_type == "image/png" and attachment.channel == "web"
    # the stored name never carries the citizen's file name
    assert "现场" not in attachment.file.name


def test_the_handling_department_attaches_evidence_on_the_order_page(client, city):
    # given
    order = city.in_progress()
    client.force_login(city.handler)
    evidence = io.BytesIO(PDF)
    evidence.name = "整改通知书.pdf"
    # when
    response = client.post(
        reverse("hotline:order_act", args=[order.pk, "attach"]), {"files": [evidence]}
    )
    # then
    assert response.status_code == 302
    attachment = OrderAttachment.objects.get(order=order)
    assert attachment.content_type == "application/pdf"
    assert attachment.uploaded_by == city.handler


def test_another_department_cannot_attach_to_an_order(city):
    order = city.in_progress()
    with pytest.raises(DomainError) as error:
        services.order_attach(actor=city.other_handler, order_id=order.pk, uploads=[_upload(PNG)])
    assert error.value.code == "order_not_found"
    assert not OrderAttachment.objects.exists()
