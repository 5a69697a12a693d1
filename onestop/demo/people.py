"""Made-up people and companies for the demo: deterministic, valid, obviously fictional.

Resident IDs carry real Guangzhou district codes and pass the GB 11643 check; phones are
13800138000 upwards; companies get valid USCCs. The same seed gives the same
people on every machine, which the test that greps the database for plaintext relies on.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from onestop.core.ids import resident_id_generate, uscc_generate

SURNAMES = "陈李黄张梁林刘吴罗何郑杨周谢郭冯邓曾麦卢苏区潘钟叶朱"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华文志嘉俊宇欣怡子轩浩然梓涵晓婷家豪"
DISTRICT_CODES = (
    "440103",
    "440104",
    "440105",
    "440106",
    "440111",
    "440112",
    "440113",
    "440114",
    "440115",
    "440117",
    "440118",
)
TRADES = (
    "餐饮管理",
    "科技",
    "商贸",
    "物流",
    "建筑工程",
    "文化传播",
    "医疗器械",
    "教育咨询",
    "食品",
    "电子",
)
BRANDS = (
    "粤海",
    "珠江",
    "羊城",
    "穗华",
    "南越",
    "白云",
    "天河",
    "越秀",
    "荔湾",
    "花城",
    "岭南",
    "五羊",
)


@dataclass(frozen=True)
class DemoPerson:
    name: str
    id_number: str
    sex: str
    phone: str
    social_security_no: str


@dataclass(frozen=True)
class DemoCompany:
    name: str
    uscc: str
    district_code: str


def demo_people(count: int, *, seed: int) -> list[DemoPerson]:
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not secrets
    people: list[DemoPerson] = []
    seen: set[str] = set()
    while len(people) < count:
        sex = rng.choice("MF")
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 66))
        id_number = resident_id_generate(
            rng, region_code=rng.choice(DISTRICT_CODES), birth_date=birth, sex=sex
        )
        if id_number in seen:
            continue
        seen.add(id_number)
        n = len(people)
        people.append(
            DemoPerson(
                name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                id_number=id_number,
                sex=sex,
                phone=f"1380013{8000 + n:04d}",
                social_security_no=f"GZ{n:05d}{rng.randrange(10**4):04d}",
            )
        )
    return people


def demo_companies(count: int, *, seed: int) -> list[DemoCompany]:
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not secrets
    companies: list[DemoCompany] = []
    for n in range(count):
        district = DISTRICT_CODES[n % len(DISTRICT_CODES)]
        name = f"广州{BRANDS[n % len(BRANDS)]}{rng.choice(TRADES)}有限公司"
        companies.append(
            DemoCompany(
                name=name,
                uscc=uscc_generate(rng, region_code=district, authority="9", kind="1"),
                district_code=district,
            )
        )
    return companies
