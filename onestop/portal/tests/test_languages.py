import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "html_lang", "heading"),
    [
        ("zh-hans", "zh-Hans", "网上办事大厅"),
        ("zh-hant", "zh-Hant", "網上辦事大廳"),
        ("en", "en", "Online service hall"),
    ],
)
def test_switching_language_sets_the_cookie_and_the_page_language(
    client, language, html_lang, heading
):
    # when
    response = client.post(
        reverse("set_language"), {"language": language, "next": reverse("portal:home")}
    )
    page = client.get(reverse("portal:home"))

    # then
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    body = page.content.decode()
    assert f'<html lang="{html_lang}"' in body
    assert f"<h1>{heading}</h1>" in body


def test_the_browser_language_is_honoured_without_a_cookie(client):
    # when
    page = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="zh-TW,zh;q=0.9")

    # then
    assert '<html lang="zh-Hant"' in page.content.decode()


def test_every_page_offers_the_language_switcher(client):
    # when
    body = client.get(reverse("portal:home")).content.decode()

    # then
    assert f'action="{reverse("set_language")}"' in body
    for code, _name in settings.LANGUAGES:
        assert f'value="{code}"' in body
