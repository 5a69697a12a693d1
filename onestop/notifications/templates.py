"""Message templates: one subject and one body per language, with `{name}` placeholders.

Kept as a Python registry rather than gettext catalogues because an SMS is a short, fixed
text that is worded per language (and often filed with the SMS gateway operator), not a
translation of an English sentence. Placeholders are plain names: no attribute access, no
indexing, no format specs, so rendering a stored context cannot reach into objects.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from onestop.notifications.enums import Language


@dataclass(frozen=True)
class MessageTemplate:
    key: str
    subjects: Mapping[str, str]
    bodies: Mapping[str, str]
    # Context values that must not outlive delivery (a one-time code): blanked once sent.
    secret_variables: frozenset[str] = field(default_factory=frozenset)

    def variables(self, language: str) -> frozenset[str]:
        return placeholders(self.subjects[language]) | placeholders(self.bodies[language])


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def placeholders(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


REGISTRY: dict[str, MessageTemplate] = {
    template.key: template
    for template in [
        MessageTemplate(
            key="sms_signin_code",
            subjects={
                Language.ZH_HANS: "登录验证码",
                Language.ZH_HANT: "登入驗證碼",
                Language.EN: "Your sign-in code",
            },
            bodies={
                Language.ZH_HANS: "您的登录验证码为{code}，{minutes}分钟内有效。"
                "请勿将验证码告诉他人。",
                Language.ZH_HANT: "您的登入驗證碼為{code}，{minutes}分鐘內有效。"
                "請勿將驗證碼告訴他人。",
                Language.EN: "Your sign-in code is {code}. It expires in {minutes} minutes. "
                "Do not share it with anyone.",
            },
            secret_variables=frozenset({"code"}),
        ),
        MessageTemplate(
            key="generic",
            subjects={
                Language.ZH_HANS: "政务服务通知",
                Language.ZH_HANT: "政務服務通知",
                Language.EN: "Government service notice",
            },
            bodies={Language.ZH_HANS: "{text}", Language.ZH_HANT: "{text}", Language.EN: "{text}"},
        ),
        MessageTemplate(
            key="booking_reminder",
            subjects={
                Language.ZH_HANS: "预约提醒",
                Language.ZH_HANT: "預約提醒",
                Language.EN: "Appointment reminder",
            },
            bodies={
                Language.ZH_HANS: "您预约的“{service}”将于{when}在{centre}办理，"
                "请携带所需材料按时到场。",
                Language.ZH_HANT: "您預約的「{service}」將於{when}在{centre}辦理，"
                "請攜帶所需材料按時到場。",
                Language.EN: "Your appointment for “{service}” is at {when} at {centre}. "
                "Please bring the required documents and arrive on time.",
            },
        ),
        MessageTemplate(
            key="booking_confirmation",
            subjects={
                Language.ZH_HANS: "预约成功",
                Language.ZH_HANT: "預約成功",
                Language.EN: "Appointment booked",
            },
            bodies={
                Language.ZH_HANS: "您已成功预约“{service}”，时间{when}，地点{centre}，"
                "预约码{code}。请按时到场签到；如不能前往，请提前取消。",
                Language.ZH_HANT: "您已成功預約「{service}」，時間{when}，地點{centre}，"
                "預約碼{code}。請按時到場簽到；如不能前往，請提前取消。",
                Language.EN: "Your appointment for “{service}” is booked: {when} at {centre}, "
                "booking code {code}. Check in on arrival; if you cannot come, please cancel "
                "in advance.",
            },
        ),
        MessageTemplate(
            key="queue_near",
            subjects={
                Language.ZH_HANS: "即将叫号",
                Language.ZH_HANT: "即將叫號",
                Language.EN: "Your number is coming up",
            },
            bodies={
                Language.ZH_HANS: "您在{centre}的排队号{ticket}前面还有{ahead}人，请留意叫号。",
                Language.ZH_HANT: "您在{centre}的排隊號{ticket}前面還有{ahead}人，請留意叫號。",
                Language.EN: "Your ticket {ticket} at {centre} has {ahead} people ahead of it. "
                "Please listen for your number.",
            },
        ),
        MessageTemplate(
            key="queue_missed",
            subjects={
                Language.ZH_HANS: "过号提醒",
                Language.ZH_HANT: "過號提醒",
                Language.EN: "Your number was called",
            },
            bodies={
                Language.ZH_HANS: "您在{centre}的排队号{ticket}已叫号，"
                "请尽快到{window}号窗口办理。",
                Language.ZH_HANT: "您在{centre}的排隊號{ticket}已叫號，"
                "請盡快到{window}號窗口辦理。",
                Language.EN: "Your ticket {ticket} at {centre} has been called. "
                "Please go to window {window} now.",
            },
        ),
        MessageTemplate(
            key="person_reveal_alarm",
            subjects={
                Language.ZH_HANS: "个人信息查看异常提醒",
                Language.ZH_HANT: "個人資料查看異常提醒",
                Language.EN: "Unusual look-ups of personal identifiers",
            },
            bodies={
                Language.ZH_HANS: "账号{account}于{when}在短时间内{attempts}次"
                "尝试查看完整身份信息，已被暂停或拒绝。请在审计日志中核查。",
                Language.ZH_HANT: "帳號{account}於{when}在短時間內{attempts}次"
                "嘗試查看完整身份資料，已被暫停或拒絕。請在審計日誌中核查。",
                Language.EN: "The account {account} tried to see {attempts} full identifiers "
                "in a short time (at {when}) and was stopped or refused. Please check the "
                "audit log.",
            },
        ),
    ]
}


def get_template(key: str) -> MessageTemplate | None:
    return REGISTRY.get(key)


def missing_variables(
    template: MessageTemplate, language: str, context: Mapping[str, Any]
) -> list[str]:
    return sorted(name for name in template.variables(language) if name not in context)


def render(template: MessageTemplate, language: str, context: Mapping[str, Any]) -> Rendered:
    """Raises KeyError when a placeholder has no value (enqueue checks that first)."""
    values = {name: context[name] for name in template.variables(language)}
    return Rendered(
        subject=template.subjects[language].format_map(values),
        body=template.bodies[language].format_map(values),
    )


def redacted(key: str, context: Mapping[str, Any]) -> dict[str, Any]:
    """The context with the template's secret values blanked."""
    template = REGISTRY.get(key)
    secret = template.secret_variables if template else frozenset()
    return {name: "***" if name in secret else value for name, value in context.items()}
