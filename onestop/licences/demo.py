"""The demo's e-licences: the licence types behind the demo's approvable items, and licences
for the demo citizen (13800138000: a residence permit, a birth certificate and two property
certificates, one of them cancelled after a sale) and for some of the demo's companies.

The defining authorities' codes are made up like the departments' (valid under GB 32100,
seeded by the authority's name, the same on every machine).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from onestop.core.access import Actor
from onestop.core.ids import resident_id_birth_date, resident_id_sex, uscc_generate
from onestop.licences import services
from onestop.licences.enums import AuthorityLevel, FieldType, HolderCategory
from onestop.licences.models import Licence, LicenceType


def _authority_uscc(name: str) -> str:
    rng = random.Random(f"onestop.authority:{name}")  # noqa: S311 - demo data, not a secret
    return uscc_generate(rng, region_code="100000", authority="1", kind="1")


def _field(
    key: str, label: str, en: str, kind: str = FieldType.TEXT, required: bool = True
) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "label_i18n": {"en": en},
        "type": kind,
        "required": required,
    }


@dataclass(frozen=True)
class DemoType:
    number: str
    name: str
    name_en: str
    authority: str
    holder: str
    years: int | None
    department: str
    layout: list[dict[str, Any]]
    items: list[str]
    replaces: list[str]

    @property
    def code(self) -> str:
        return _authority_uscc(self.authority) + self.number


T = FieldType
DEMO_TYPES = [
    DemoType(
        "001",
        "营业执照",
        "Business licence",
        "国家市场监督管理总局",
        HolderCategory.LEGAL_PERSON,
        None,
        "GZ-SCJGJ",
        [
            _field("name", "名称", "Name"),
            _field("kind", "类型", "Type"),
            _field("legal_representative", "法定代表人", "Legal representative"),
            _field("registered_capital", "注册资本", "Registered capital"),
            _field("established_on", "成立日期", "Date of establishment", T.DATE),
            _field("address", "住所", "Domicile"),
            _field("scope", "经营范围", "Business scope"),
        ],
        ["gz-gtgsh-sl"],
        ["营业执照"],
    ),
    DemoType(
        "002",
        "食品经营许可证",
        "Food business licence",
        "国家市场监督管理总局",
        HolderCategory.LEGAL_PERSON,
        5,
        "GZ-SCJGJ",
        [
            _field("operator", "经营者名称", "Operator"),
            _field("legal_representative", "法定代表人（负责人）", "Legal representative"),
            _field("premises", "经营场所", "Premises"),
            _field("main_business", "主体业态", "Main business"),
            _field("items", "经营项目", "Business items"),
        ],
        ["gz-spjy-xb", "gz-spjy-bg", "gz-spjy-yx"],
        ["食品经营许可证"],
    ),
    DemoType(
        "001",
        "建筑工程施工许可证",
        "Construction permit",
        "中华人民共和国住房和城乡建设部",
        HolderCategory.LEGAL_PERSON,
        1,
        "GZ-ZJJ",
        [
            _field("builder", "建设单位", "Developer"),
            _field("project", "工程名称", "Project"),
            _field("site", "建设地址", "Site"),
            _field("scale", "建设规模", "Scale"),
            _field("contract_price", "合同价格（万元）", "Contract price (10,000 yuan)", T.NUMBER),
            _field("contractor", "施工单位", "Contractor"),
            _field("supervisor", "监理单位", "Supervisor", required=False),
        ],
        ["gz-sgxk"],
        ["建筑工程施工许可证"],
    ),
    DemoType(
        "001",
        "出生医学证明",
        "Medical birth certificate",
        "国家卫生健康委员会",
        HolderCategory.NATURAL_PERSON,
        None,
        "GZ-WJW",
        [
            _field("name", "新生儿姓名", "Name of the newborn"),
            _field("sex", "性别", "Sex"),
            _field("born_on", "出生日期", "Date of birth", T.DATE),
            _field("birthplace", "出生地点", "Place of birth"),
            _field("mother", "母亲姓名", "Mother's name"),
            _field("father", "父亲姓名", "Father's name", required=False),
            _field("institution", "签发机构", "Issuing institution"),
        ],
        [],
        ["出生医学证明"],
    ),
    DemoType(
        "001",
        "居住证",
        "Residence permit",
        "中华人民共和国公安部",
        HolderCategory.NATURAL_PERSON,
        1,
        "GZ-GAJ",
        [
            _field("name", "姓名", "Name"),
            _field("sex", "性别", "Sex"),
            _field("born_on", "出生日期", "Date of birth", T.DATE),
            _field("address", "居住地址", "Address of residence"),
        ],
        ["gz-jzz-sl"],
        ["广东省居住证", "居住证"],
    ),
    DemoType(
        "001",
        "不动产权证书",
        "Real-estate title certificate",
        "中华人民共和国自然资源部",
        HolderCategory.NATURAL_PERSON,
        None,
        "GZ-GHZYJ",
        [
            _field("owner", "权利人", "Owner"),
            _field("co_ownership", "共有情况", "Co-ownership"),
            _field("location", "坐落", "Location"),
            _field("unit_no", "不动产单元号", "Real-estate unit number"),
            _field("right_type", "权利类型", "Type of right"),
            _field("use", "用途", "Use"),
            _field("area", "面积（平方米）", "Area (m²)", T.NUMBER),
        ],
        ["gz-bdc-zydj"],
        ["不动产权证书", "房屋权属证明"],
    ),
]


def licence_types_seed_demo(*, actor: Actor | None) -> int:
    created = 0
    for spec in DEMO_TYPES:
        if LicenceType.objects.filter(code=spec.code).exists():
            continue
        services.licence_type_define(
            actor=actor,
            code=spec.code,
            name=spec.name,
            name_i18n={"en": spec.name_en},
            defining_authority=spec.authority,
            defining_authority_level=AuthorityLevel.NATIONAL,
            holder_category=spec.holder,
            validity_years=spec.years,
            issuer_level=AuthorityLevel.MUNICIPAL,
            department_code=spec.department,
            face_layout=spec.layout,
            item_keys=spec.items,
            replaces_materials=spec.replaces,
        )
        created += 1
    return created


def _type(name: str) -> str:
    return next(spec.code for spec in DEMO_TYPES if spec.name == name)


@dataclass(frozen=True)
class DemoHolder:
    """A person (by resident ID number) or a company (by USCC) registered by the demo."""

    name: str
    code: str


def licences_seed_demo(
    *, actor: Actor | None, people: Sequence[DemoHolder], companies: Sequence[DemoHolder]
) -> int:
    """The demo's licence types, and licences for `people` (the first is the README's
    citizen) and `companies`. Does nothing once the demo has licences."""
    licence_types_seed_demo(actor=actor)
    if Licence.objects.exists():
        return 0
    today = timezone.localdate()
    issued = 0

    def issue(type_name: str, holder: DemoHolder, face: dict[str, Any], **options: Any) -> Licence:
        nonlocal issued
        issued += 1
        return services.licence_issue(
            actor=actor,
            type_code=_type(type_name),
            holder_code=holder.code,
            holder_name=holder.name,
            face=face,
            **options,
        )

    for n, person in enumerate(people):
        sex = "男" if resident_id_sex(person.code) == "M" else "女"
        born = resident_id_birth_date(person.code)
        issue(
            "居住证",
            person,
            {
                "name": person.name,
                "sex": sex,
                "born_on": born.isoformat(),
                "address": f"广州市天河区天河路{100 + n}号",
            },
            valid_from=today - timedelta(days=30 + n),
        )
        if n == 0:
            issue(
                "出生医学证明",
                person,
                {
                    "name": person.name,
                    "sex": sex,
                    "born_on": born.isoformat(),
                    "birthplace": "广东省广州市越秀区",
                    "mother": "陈秀英",
                    "father": "李国强",
                    "institution": "广州市妇女儿童医疗中心",
                },
                valid_from=born,
            )
            sold = issue(
                "不动产权证书",
                person,
                {
                    "owner": person.name,
                    "co_ownership": "单独所有",
                    "location": "广州市海珠区江南大道中88号1203房",
                    "unit_no": "440105001001GB00088F00011203",
                    "right_type": "国有建设用地使用权/房屋所有权",
                    "use": "住宅",
                    "area": "89.6",
                },
                valid_from=date(2015, 6, 18),
            )
            services.licence_revoke(
                actor=actor, licence_id=sold.pk, reason="房屋已转让，原不动产权证书注销"
            )
            issue(
                "不动产权证书",
                person,
                {
                    "owner": person.name,
                    "co_ownership": "单独所有",
                    "location": "广州市天河区黄埔大道西368号2301房",
                    "unit_no": "440106002003GB00120F00012301",
                    "right_type": "国有建设用地使用权/房屋所有权",
                    "use": "住宅",
                    "area": "118.2",
                },
                valid_from=date(2022, 3, 9),
            )
    for n, company in enumerate(companies):
        issue(
            "营业执照",
            company,
            {
                "name": company.name,
                "kind": "有限责任公司（自然人投资或控股）",
                "legal_representative": "李明",
                "registered_capital": f"{(n + 1) * 100}万元人民币",
                "established_on": (today - timedelta(days=400 + 37 * n)).isoformat(),
                "address": f"广州市天河区珠江新城华夏路{10 + n}号",
                "scope": "一般项目：技术服务、技术开发、技术咨询",
            },
            valid_from=today - timedelta(days=400 + 37 * n),
        )
        if n % 2 == 0:
            issue(
                "食品经营许可证",
                company,
                {
                    "operator": company.name,
                    "legal_representative": "李明",
                    "premises": f"广州市天河区体育西路{20 + n}号首层",
                    "main_business": "餐饮服务经营者（小型餐馆）",
                    "items": "热食类食品制售",
                },
                valid_from=today - timedelta(days=200 + n),
            )
        if n % 3 == 0:
            issue(
                "建筑工程施工许可证",
                company,
                {
                    "builder": company.name,
                    "project": f"天河区科技园{n + 1}号研发楼",
                    "site": "广州市天河区高唐路",
                    "scale": "地上12层，建筑面积18000平方米",
                    "contract_price": str(5200 + 100 * n),
                    "contractor": "广州市第一建筑工程有限公司",
                },
                valid_from=today - timedelta(days=60),
            )
    return issued
