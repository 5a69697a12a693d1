"""The cases' demo: a few city-level items of four departments, an approver for each
department the demo has none for, and open cases in every state at the demo centre (gz-th),
all made through the real services with `now` before the moment of seeding.

- The demo approver's and head's department (GZ-SCJGJ, accounts `approver` and `depthead`)
  has cases in every state of review and every state of the clock: on time, nearly due,
  overdue, severely overdue, paused by a special procedure, an extension waiting for the
  head, one ready to decide; the clerk (`clerk`, at gz-th) has applications to check and
  results to hand over.
- Cases decided across the National Day holiday (the latest one at least two weeks past),
  so the timelines show working days that differ from calendar days.
- The demo citizen (13800138000) has cases of their own: one waiting for corrections, one
  decided with its result at the window, one for the pickup locker, one for the courier
  (its address sealed), one in review, one
  withdrawn (rated 不满意, a follow-up for the hall manager), one draft, one 即办 application
  at the window for the clerk to decide on the spot, and one decided across National Day,
  delivered and rated 非常满意.

Deterministic: the same plan on every machine, placed relative to `now` (docs/decisions/
0016-demo-at-any-hour.md): what happens on a past working day happens at office hours that
day; what happens "today" happens in the minutes before `now`. Idempotent: once the demo's
cases are there, running it again adds nothing.
"""

from __future__ import annotations

import io
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from onestop.cases import services
from onestop.cases.documents import document_pdf
from onestop.cases.enums import (
    CaseResult,
    CaseState,
    DeliveryMethod,
    Provision,
    SpecialProcedure,
)
from onestop.cases.models import Case
from onestop.cases.values import Courier
from onestop.catalog import selectors as catalog
from onestop.catalog import services as items
from onestop.centres.selectors import centre_get
from onestop.core.access import Role
from onestop.core.departments import department_get
from onestop.core.errors import NotFound
from onestop.core.ids import uscc_generate
from onestop.core.workdays import add_working_days
from onestop.identity import selectors as identity
from onestop.identity.actors import Citizen, StaffUser
from onestop.identity.services import RoleGrant, staff_create
from onestop.licences import selectors as licences
from onestop.licences import services as licence_services
from onestop.ratings.enums import RatingLevel

DEMO_CENTRE = "gz-th"
DEMO_CITIZEN_PHONE = "13800138000"
# The department of the demo's `approver` and `depthead`.
HOME_DEPARTMENT = "GZ-SCJGJ"
# Departments besides it, each with an approver made here: `approver-gaj` and so on.
OTHER_DEPARTMENTS = ("GZ-GAJ", "GZ-RSJ", "GZ-MZJ")
KEY_PREFIX = "gz-city-"


@dataclass(frozen=True)
class DemoItem:
    key: str
    name: str
    department: str
    item_type: str
    promised: int
    statutory: int
    materials: tuple[str, ...]
    for_legal_person: bool = False
    # 即办: decided on the spot at the window (the limits above are then not used).
    immediate: bool = False
    # A material an e-licence replaces (用证): its name, also the licence type's name.
    licence_material: str = ""


# City-level items (the demo catalog's own are district versions, handled by district
# bureaus): promised limits in working days.
ITEMS: tuple[DemoItem, ...] = (
    DemoItem(
        "spsc-xk",
        "食品生产许可（新办）",
        HOME_DEPARTMENT,
        "licensing",
        10,
        20,
        ("食品生产许可申请书", "食品生产加工场所平面图", "食品安全管理制度文本"),
        for_legal_person=True,
    ),
    DemoItem(
        "ggfb-dj",
        "广告发布登记",
        HOME_DEPARTMENT,
        "licensing",
        3,
        10,
        ("广告发布登记申请表", "广告审查人员名单"),
        for_legal_person=True,
    ),
    DemoItem(
        "jlqj-jd",
        "计量器具强制检定备案",
        HOME_DEPARTMENT,
        "public_service",
        5,
        10,
        ("强制检定计量器具备案表",),
    ),
    DemoItem("hkqr-tk", "户口迁入（投靠亲属）", "GZ-GAJ", "licensing", 15, 30, ("户口迁入申请表",)),
    DemoItem(
        "zyzg-bf", "职业资格证书补发", "GZ-RSJ", "public_service", 10, 20, ("证书补发申请表",)
    ),
    DemoItem(
        "shtt-cl",
        "社会团体成立登记",
        "GZ-MZJ",
        "licensing",
        20,
        30,
        ("社会团体成立登记申请书", "章程草案"),
        for_legal_person=True,
    ),
    DemoItem(
        "cbzm-kj",
        "社会保险个人参保证明开具",
        "GZ-RSJ",
        "public_service",
        0,
        0,
        ("参保证明开具申请表",),
        immediate=True,
    ),
    # Approving the first issues an e-licence (电子证照, decision 0036); the second asks
    # for that licence, which an applicant who holds it never has to bring.
    DemoItem(
        "tzsb-zg",
        "特种设备作业人员资格认定",
        HOME_DEPARTMENT,
        "licensing",
        10,
        20,
        ("特种设备作业人员资格申请表",),
    ),
    DemoItem(
        "tzsb-fs",
        "特种设备作业人员证复审",
        HOME_DEPARTMENT,
        "licensing",
        5,
        20,
        ("特种设备作业人员证复审申请表",),
        licence_material="特种设备作业人员证",
    ),
)
# The licence type the approval of `tzsb-zg` issues: defined by the national market
# regulator (its code as the licences' demo makes it), issued here by GZ-SCJGJ.
OPERATOR_LICENCE = "特种设备作业人员证"
OPERATOR_LICENCE_NUMBER = "003"


@dataclass
class CasesDemoReport:
    created: dict[str, int] = field(default_factory=dict)


class _Clock:
    """Moments of the plan, all before `now`: `at(n, minute)` is `minute` minutes after 09:00
    on the n-th working day before today (n = 0: today, in the ten minutes before `now`)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now)

    def day(self, n: int) -> date:
        return add_working_days(self.today, -n) if n else self.today

    def at(self, n: int, minute: int) -> datetime:
        if n == 0:
            return self.now - timedelta(seconds=600 - min(minute, 590))
        moment = datetime.combine(self.day(n), time(9), tzinfo=timezone.get_current_timezone())
        return moment + timedelta(minutes=minute)


def national_day_year(today: date) -> int:
    """The year of the latest National Day holiday at least two weeks past."""
    return today.year if today >= date(today.year, 10, 22) else today.year - 1


def _item_draft(spec: DemoItem) -> Any:
    material = items.MaterialValue
    return items.ItemDraft(
        line=0,
        item_key=KEY_PREFIX + spec.key,
        name=spec.name,
        item_type=spec.item_type,
        level="city",
        region_ref="4401",
        department_ref=spec.department,
        statutory=items.Limit.immediate()
        if spec.immediate
        else items.Limit(spec.statutory, "working_days"),
        promised=items.Limit.immediate()
        if spec.immediate
        else items.Limit(spec.promised, "working_days"),
        visits_required=1,
        online_depth="apply",
        appointment_supported=True,
        hall_category_ref="social",
        for_natural_person=not spec.for_legal_person,
        for_legal_person=spec.for_legal_person,
        location="广州市天河区政务服务中心",
        office_hours="周一至周日 全天（演示）",
        consult_phone="12345",
        materials=[
            material(name="居民身份证", form="original", e_licence_type="居民身份证"),
            material(name=spec.materials[0], form="original"),
            # The rest only in some cases: the demo's applications go without them.
            *(
                material(name=name, form="original", requirement="conditional", note="视情况提供")
                for name in spec.materials[1:]
            ),
            material(name="营业执照", form="original", held_by_government=True),
            *(
                [material(name=spec.licence_material, e_licence_type=spec.licence_material)]
                if spec.licence_material
                else []
            ),
        ],
    )


def _items_publish(actor: StaffUser) -> int:
    """The demo's city-level items, created, submitted and published through the catalog's
    services unless they are there already."""
    made = 0
    for spec in ITEMS:
        try:
            catalog.item_current(KEY_PREFIX + spec.key)
            continue
        except NotFound:
            pass
        item = items.item_create(actor=actor, draft=_item_draft(spec))
        items.item_submit(actor=actor, item_id=item.pk)
        items.item_publish(actor=actor, item_id=item.pk)
        made += 1
    return made


def _approvers(actor: StaffUser, password: str) -> dict[int, StaffUser]:
    """The approver of each demo department, by department id: the demo's `approver` for
    its own, one made here for each of the others."""
    approver = identity.account_find_by_username("approver")
    assert isinstance(approver, StaffUser), "the demo's staff are made before its cases"
    found = {department_get(HOME_DEPARTMENT).pk: approver}
    for code in OTHER_DEPARTMENTS:
        username = f"approver-{code[3:].lower()}"
        account = identity.account_find_by_username(username)
        if account is None:
            account = staff_create(
                actor=actor,
                username=username,
                password=password,
                display_name=f"{department_get(code).short_name}审批员",
                roles=[RoleGrant(role=Role.DEPARTMENT_APPROVER, department=department_get(code))],
            )
        assert isinstance(account, StaffUser)
        found[department_get(code).pk] = account
    return found


def _pdf(title: str) -> io.BytesIO:
    return io.BytesIO(document_pdf(title, ["（演示材料）", title]))


@dataclass
class _Desk:
    """Who works the demo's cases, and the moments they work at."""

    clock: _Clock
    centre_id: int
    clerk: StaffUser
    approvers: dict[int, StaffUser]

    def start(self, key: str, person_id: int, n: int, minute: int = 30, **options: Any) -> Case:
        """An application at the window of gz-th on working day `n` before today, every
        required material given (the ID card read, the rest uploaded)."""
        at = self.clock.at(n, minute)
        case = services.case_start_at_window(
            actor=self.clerk,
            centre_id=self.centre_id,
            item_key=KEY_PREFIX + key,
            applicant=services.Applicant(person_id=person_id),
            now=at,
            **options,
        )
        for line in case.materials.filter(required=True, provision=Provision.MISSING):
            assert line.material_id is not None
            if line.name == "居民身份证":
                services.case_material_provide(
                    actor=self.clerk,
                    case_id=case.pk,
                    material_id=line.material_id,
                    provision=Provision.PAPER,
                    now=at,
                )
            else:
                services.case_material_upload(
                    actor=self.clerk,
                    case_id=case.pk,
                    material_id=line.material_id,
                    content=_pdf(line.name),
                    filename=f"{line.name}.pdf",
                    now=at,
                )
        return case

    def accepted(self, key: str, person_id: int, n: int, **options: Any) -> Case:
        case = self.start(key, person_id, n, **options)
        return services.case_accept(actor=self.clerk, case_id=case.pk, now=self.clock.at(n, 40))

    def approver_of(self, case: Case) -> StaffUser:
        return self.approvers[case.department_id]

    def in_review(
        self, key: str, person_id: int, n: int, taken: int | None = None, **options: Any
    ) -> Case:
        """Accepted on day `n`, taken by the department's approver on day `taken`."""
        case = self.accepted(key, person_id, n, **options)
        day = n - 1 if taken is None else taken
        return services.case_review_start(
            actor=self.approver_of(case), case_id=case.pk, now=self.clock.at(max(day, 0), 90)
        )

    def examined(self, key: str, person_id: int, n: int, on: int, **options: Any) -> Case:
        case = self.in_review(key, person_id, n, taken=on, **options)
        return services.case_step_complete(
            actor=self.approver_of(case),
            case_id=case.pk,
            note="材料齐全，符合条件",
            now=self.clock.at(on, 120),
        )

    def decided(
        self,
        key: str,
        person_id: int,
        n: int,
        on: int,
        *,
        result: str = CaseResult.APPROVED,
        reason: str = "",
        **options: Any,
    ) -> Case:
        case = self.examined(key, person_id, n, on, **options)
        return services.case_decide(
            actor=self.approver_of(case),
            case_id=case.pk,
            result=result,
            reason=reason,
            now=self.clock.at(on, 150),
        )

    def at_window(self, case: Case, on: int) -> Case:
        """The result made and sent to the issuance window of gz-th."""
        services.case_result_produce(
            actor=self.approver_of(case), case_id=case.pk, now=self.clock.at(on, 180)
        )
        return services.case_dispatch(actor=self.clerk, case_id=case.pk, now=self.clock.at(on, 240))


def _holiday_cases(desk: _Desk, people: Sequence[int], now: datetime) -> None:
    """Cases received before the National Day holiday and decided after it: their due dates
    and timelines count the holiday out. The first is the demo citizen's (`people[0]`)."""
    year = national_day_year(timezone.localdate(now))
    plan = (
        ("spsc-xk", date(year, 9, 29), date(year, 10, 13), CaseResult.APPROVED, ""),
        ("ggfb-dj", date(year, 9, 30), date(year, 10, 9), CaseResult.APPROVED, ""),
        (
            "spsc-xk",
            date(year, 9, 28),
            date(year, 10, 14),
            CaseResult.REFUSED,
            "生产场所与申请材料所载布局不符，不符合《食品生产许可管理办法》第十二条规定的条件。",
        ),
        ("zyzg-bf", date(year, 9, 29), date(year, 10, 12), CaseResult.APPROVED, ""),
    )
    zone = timezone.get_current_timezone()
    for n, (key, received, decided, result, reason) in enumerate(plan):
        start = datetime.combine(received, time(10, 15 + n), tzinfo=zone)
        later = datetime.combine(decided, time(15, n), tzinfo=zone)
        case = services.case_start_at_window(
            actor=desk.clerk,
            centre_id=desk.centre_id,
            item_key=KEY_PREFIX + key,
            applicant=services.Applicant(person_id=people[n % len(people)]),
            now=start,
        )
        for line in case.materials.filter(required=True, provision=Provision.MISSING):
            assert line.material_id is not None
            services.case_material_upload(
                actor=desk.clerk,
                case_id=case.pk,
                material_id=line.material_id,
                content=_pdf(line.name),
                filename=f"{line.name}.pdf",
                now=start,
            )
        services.case_accept(actor=desk.clerk, case_id=case.pk, now=start + timedelta(minutes=10))
        approver = desk.approver_of(case)
        services.case_review_start(actor=approver, case_id=case.pk, now=later - timedelta(hours=4))
        services.case_step_complete(actor=approver, case_id=case.pk, now=later)
        services.case_decide(
            actor=approver,
            case_id=case.pk,
            result=result,
            reason=reason,
            now=later + timedelta(minutes=20),
        )
        if result == CaseResult.APPROVED:
            services.case_result_produce(
                actor=approver, case_id=case.pk, now=later + timedelta(minutes=40)
            )
            handed = later + timedelta(days=1)
            services.case_dispatch(actor=desk.clerk, case_id=case.pk, now=handed)
            services.case_deliver(
                actor=desk.clerk, case_id=case.pk, now=handed + timedelta(hours=2)
            )


def _citizen_cases(desk: _Desk, citizen: Citizen) -> None:
    """The demo citizen's own: a notice waiting for corrections, a decided case with its
    result at the window, one in review, one withdrawn, and a draft online."""
    person_id = citizen.person_id
    assert person_id is not None
    clock = desk.clock
    waiting = desk.start("jlqj-jd", person_id, 1, minute=200)
    line = waiting.materials.filter(name="强制检定计量器具备案表").first()
    assert line is not None
    services.case_correction_request(
        actor=desk.clerk,
        case_id=waiting.pk,
        problems=[
            services.Problem(line.material_id, "备案表缺少计量器具出厂编号，请补填后重新上传"),
            services.Problem(None, "联系电话与身份证登记信息不一致，请核实"),
        ],
        now=clock.at(1, 230),
    )
    decided = desk.decided("zyzg-bf", person_id, 6, on=2)
    desk.at_window(decided, on=1)
    desk.in_review("hkqr-tk", person_id, 3, taken=2)
    gone = desk.start("ggfb-dj", person_id, 4, minute=60)
    services.case_withdraw(
        actor=citizen, case_id=gone.pk, reason="材料准备不全，下次再办", now=clock.at(4, 75)
    )
    services.case_draft_create(actor=citizen, item_key=KEY_PREFIX + "shtt-cl", now=clock.at(0, 500))
    # A result for the pickup locker, at the issuance window (the delivery demo puts it in
    # the locker and texts the code).
    desk.at_window(
        desk.decided("zyzg-bf", person_id, 5, on=1, delivery_method=DeliveryMethod.LOCKER), on=0
    )
    # A result to send by courier, its address sealed (the issuance window shows it masked).
    desk.at_window(
        desk.decided(
            "hkqr-tk",
            person_id,
            6,
            on=1,
            delivery_method=DeliveryMethod.COURIER,
            courier=Courier(
                "陈小明", "13800138000", "广州市天河区体育西路191号中石化大厦B座2008室"
            ),
        ),
        on=0,
    )
    # 即办: an application at the window, its materials checked, for the clerk to accept
    # and decide on the spot (当场办结).
    desk.start("cbzm-kj", person_id, 0, minute=520)
    # The withdrawn one rated 不满意 with a reason: a follow-up for the hall manager.
    services.case_rate(
        actor=citizen,
        case_id=gone.pk,
        level=RatingLevel.DISSATISFIED,
        reasons=["told-at-once"],
        comment="窗口没有一次说清楚需要哪些材料",
        now=clock.at(3, 30),
    )


def _citizen_rates(citizen: Citizen, now: datetime) -> None:
    """The demo citizen rates their delivered case of the National Day holiday 非常满意."""
    delivered = (
        Case.objects.filter(
            item_key__startswith=KEY_PREFIX,
            applicant_person_id=citizen.person_id,
            state=CaseState.DELIVERED,
        )
        .order_by("delivered_at", "id")
        .first()
    )
    if delivered is None:
        return
    services.case_rate(
        actor=citizen,
        case_id=delivered.pk,
        level=RatingLevel.VERY_SATISFIED,
        reasons=["efficiency"],
        comment="节假日前提交，节后很快办好",
        now=now - timedelta(minutes=30),
    )


def _department_cases(desk: _Desk, people: Sequence[int]) -> None:
    """The demo approver's department in every state of review and of the clock, and a few
    cases of the other departments (whose approvers the demo approver cannot see)."""
    clock, approver = desk.clock, desk.approvers[department_get(HOME_DEPARTMENT).pk]
    p = itertools.cycle(people)
    # At the window of gz-th: being checked now.
    desk.start("spsc-xk", next(p), 0, minute=100)
    desk.start("ggfb-dj", next(p), 0, minute=300)
    # Accepted, not yet taken: today, and nearly due on a three-day item.
    desk.accepted("spsc-xk", next(p), 0)
    desk.accepted("ggfb-dj", next(p), 2)
    # In review: on time, nearly due, overdue, severely overdue (the sweep below stores it).
    desk.in_review("spsc-xk", next(p), 2)
    desk.in_review("spsc-xk", next(p), 8)
    desk.in_review("jlqj-jd", next(p), 7)
    desk.in_review("ggfb-dj", next(p), 12)
    # Paused for an on-site inspection (现场核查).
    paused = desk.in_review("spsc-xk", next(p), 4, taken=3)
    services.case_suspend(
        actor=approver,
        case_id=paused.pk,
        procedure=SpecialProcedure.SITE_INSPECTION,
        reason="需现场核查生产车间布局与申请材料是否一致",
        days=10,
        now=clock.at(2, 200),
    )
    # An extension waiting for the head (`depthead`).
    slow = desk.in_review("spsc-xk", next(p), 9, taken=8)
    services.case_extension_request(
        actor=approver,
        case_id=slow.pk,
        days=10,
        reason="需征求卫生健康部门意见，申请延长办理期限",
        now=clock.at(1, 300),
    )
    # Examined, waiting for the decision; decided; result made; at the window.
    desk.examined("jlqj-jd", next(p), 3, on=1)
    desk.decided("ggfb-dj", next(p), 3, on=1)
    produced = desk.decided("spsc-xk", next(p), 9, on=2)
    services.case_result_produce(actor=approver, case_id=produced.pk, now=clock.at(1, 60))
    desk.at_window(desk.decided("jlqj-jd", next(p), 5, on=2), on=1)
    # Closed: delivered and archived, not accepted.
    done = desk.at_window(desk.decided("ggfb-dj", next(p), 10, on=8), on=7)
    services.case_deliver(actor=desk.clerk, case_id=done.pk, now=clock.at(6, 30))
    services.case_archive(actor=approver, case_id=done.pk, now=clock.at(5, 30))
    refused = desk.start("spsc-xk", next(p), 5, minute=120)
    services.case_refuse_acceptance(
        actor=desk.clerk,
        case_id=refused.pk,
        reason="申请人未取得营业执照，不属于本事项受理范围",
        now=clock.at(5, 150),
    )
    # The other departments.
    for key in ("hkqr-tk", "zyzg-bf", "shtt-cl"):
        desk.accepted(key, next(p), 1)
        desk.in_review(key, next(p), 4)
        delivered = desk.at_window(desk.decided(key, next(p), 8, on=3), on=2)
        services.case_deliver(actor=desk.clerk, case_id=delivered.pk, now=clock.at(1, 100))


def operator_licence_define(*, actor: StaffUser | None, item_keys: Sequence[str]) -> str:
    """The special-equipment operator's certificate (特种设备作业人员证): a natural
    person's licence whose face a case fills by itself. Its code."""
    # The authority's code as the licences' demo derives it: the same on every machine.
    rng = random.Random("onestop.authority:国家市场监督管理总局")  # noqa: S311 - demo data
    code = uscc_generate(rng, region_code="100000", authority="1", kind="1")
    code += OPERATOR_LICENCE_NUMBER
    if not licences.licence_types().filter(code=code).exists():
        licence_services.licence_type_define(
            actor=actor,
            code=code,
            name=OPERATOR_LICENCE,
            name_i18n={"en": "Special equipment operator's certificate"},
            defining_authority="国家市场监督管理总局",
            defining_authority_level="national",
            holder_category="natural_person",
            validity_years=4,
            issuer_level="municipal",
            department_code=HOME_DEPARTMENT,
            face_layout=[
                {"key": "name", "label": "姓名", "label_i18n": {"en": "Name"}},
                {"key": "sex", "label": "性别", "label_i18n": {"en": "Sex"}},
                {
                    "key": "born_on",
                    "label": "出生日期",
                    "label_i18n": {"en": "Date of birth"},
                    "type": "date",
                },
                {
                    "key": "permitted_item",
                    "label": "准予事项",
                    "label_i18n": {"en": "Permitted"},
                },
                {
                    "key": "approved_on",
                    "label": "批准日期",
                    "label_i18n": {"en": "Approved on"},
                    "type": "date",
                },
            ],
            item_keys=list(item_keys),
            replaces_materials=[OPERATOR_LICENCE],
        )
    return code


def _licence_cases(desk: _Desk, citizen: Citizen, actor: StaffUser) -> None:
    """The demo citizen's application for the operator's certificate, examined and waiting
    for the demo approver's decision: approving it issues the licence to their wallet."""
    operator_licence_define(actor=actor, item_keys=[KEY_PREFIX + "tzsb-zg"])
    assert citizen.person_id is not None
    desk.examined("tzsb-zg", citizen.person_id, 2, on=1)


def cases_seed_demo(
    *, actor: StaffUser, password: str, id_numbers: Sequence[str], now: datetime | None = None
) -> CasesDemoReport:
    """Seed the cases' demo (see the module's docstring); `id_numbers` names the demo
    people who apply (some apply more than once when they are few)."""
    now = now or timezone.now()
    report = CasesDemoReport()
    report.created["case items"] = _items_publish(actor)
    approvers = _approvers(actor, password)
    if Case.objects.filter(item_key__startswith=KEY_PREFIX).exists():
        report.created["cases"] = 0
        return report
    people = [identity.person_find_by_id_number(number) for number in id_numbers]
    person_ids = [person.pk for person in people if person is not None]
    clerk = identity.account_find_by_username("clerk")
    owner = identity.person_find_by_phone(DEMO_CITIZEN_PHONE)
    citizen = Citizen.objects.filter(person_id=owner.pk).first() if owner else None
    assert isinstance(clerk, StaffUser) and owner is not None and isinstance(citizen, Citizen)
    person_ids = person_ids or [owner.pk]
    desk = _Desk(
        clock=_Clock(now), centre_id=centre_get(DEMO_CENTRE).pk, clerk=clerk, approvers=approvers
    )
    _department_cases(desk, person_ids[4:] or person_ids)
    _citizen_cases(desk, citizen)
    _holiday_cases(desk, [owner.pk, *person_ids], now)
    _citizen_rates(citizen, now)
    _licence_cases(desk, citizen, actor)
    report.created["cases"] = Case.objects.filter(item_key__startswith=KEY_PREFIX).count()
    # Store every open case's clock as of today, as the nightly sweep would.
    services.case_deadline_sweep(actor=None, today=timezone.localdate(now))
    return report
