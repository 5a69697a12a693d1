import string
from typing import Any

import pytest
from django.db import transaction

from onestop.notifications import templates
from onestop.notifications.enums import Language
from onestop.notifications.selectors import outbox_message_render
from onestop.notifications.services import outbox_enqueue

EXAMPLE_CONTEXTS: dict[str, dict[str, Any]] = {
    "sms_signin_code": {"code": "482913", "minutes": 5},
    "generic": {"text": "Hello"},
    "booking_reminder": {
        "service": "户籍迁入",
        "when": "2026-12-01 09:30",
        "centre": "天河区政务服务中心",
    },
    "booking_confirmation": {
        "service": "户籍迁入",
        "when": "2026-12-01 09:30",
        "centre": "天河区政务服务中心",
        "code": "K7M2Q9XP",
    },
    "queue_near": {"ticket": "A023", "centre": "天河区政务服务中心", "ahead": 3},
    "queue_missed": {"ticket": "A023", "centre": "天河区政务服务中心", "window": "5"},
    "person_reveal_alarm": {"account": "staff:clerk7", "attempts": 30, "when": "2026-12-01 09:30"},
}


def test_every_template_has_every_language_with_the_same_variables():
    for template in templates.REGISTRY.values():
        assert set(template.subjects) == set(Language.values), template.key
        assert set(template.bodies) == set(Language.values), template.key
        assert len({template.variables(lang) for lang in Language.values}) == 1, template.key


def test_placeholders_are_plain_names():
    # Attribute access or indexing in a placeholder could reach into a context value.
    for template in templates.REGISTRY.values():
        for text in [*template.subjects.values(), *template.bodies.values()]:
            for _, name, spec, conversion in string.Formatter().parse(text):
                assert name is None or name.isidentifier(), (template.key, name)
                assert not spec and not conversion, template.key


def test_the_required_templates_exist():
    assert {"sms_signin_code", "generic", "booking_reminder", "queue_near"} <= set(
        templates.REGISTRY
    )
    assert set(EXAMPLE_CONTEXTS) == set(templates.REGISTRY)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (Language.ZH_HANS, "您的登录验证码为482913，5分钟内有效。"),
        (Language.ZH_HANT, "您的登入驗證碼為482913，5分鐘內有效。"),
        (Language.EN, "Your sign-in code is 482913. It expires in 5 minutes."),
    ],
)
def test_the_sign_in_code_renders_in_each_language(language, expected):
    template = templates.REGISTRY["sms_signin_code"]
    rendered = templates.render(template, language, EXAMPLE_CONTEXTS["sms_signin_code"])
    assert rendered.body.startswith(expected)


@pytest.mark.django_db
@pytest.mark.parametrize("language", Language.values)
@pytest.mark.parametrize("key", sorted(EXAMPLE_CONTEXTS))
def test_every_template_renders_every_value_in_every_language(key, language):
    # given
    context = EXAMPLE_CONTEXTS[key]
    with transaction.atomic():
        message = outbox_enqueue(
            channel="in_app", template=key, context=context, language=language, user_id=1
        )

    # when
    rendered = outbox_message_render(message=message)

    # then
    assert "{" not in rendered.body
    assert rendered.subject
    for value in context.values():
        assert str(value) in rendered.body
