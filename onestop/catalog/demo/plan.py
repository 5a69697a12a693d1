"""Which items the demo catalog has below the city level, and where.

Guangzhou's online hall lists 1,279 city items, 5,146 in its 11 district halls, 13,135 in
street and town stations and 68,131 in village and community points. The Guangdong file has
only provincial and city items, so the demo instantiates the lower levels from two sources:

- real items whose work Guangzhou's district bureaus do (DELEGATIONS): the city police's
  exit-entry and vehicle items at every district's police bureau, the province's social
  insurance services at district and street social-security stations, and so on;
- `fixtures/demo_local_items.csv`: items of district halls, street stations and village
  points that the Guangdong file lacks (food business licence, newborn registration,
  residence permit, minimum living allowance, elderly card ...), written for the demo after
  the items those halls publish, each with the levels it exists at.

An instance's department is the district bureau of the city department named here; its
region is the district, street or village it serves.
"""

from __future__ import annotations

from dataclasses import dataclass

from onestop.catalog.enums import ItemLevel

# Information-only services (lookups, guides, notices) stay where they are published.
INFORMATION_ONLY = r"查询|指引|咨询|下载|公示|公告|列表|名录|解读|展览|介绍|预约|进度"


@dataclass(frozen=True)
class Delegation:
    source_department: str  # as the Guangdong file names it
    department_code: str  # the city department whose district bureaus do the work
    levels: tuple[str, ...]
    only: str = ""  # a pattern the item name must match, when not all items go
    leave_out: str = INFORMATION_ONLY


DELEGATIONS: tuple[Delegation, ...] = (
    Delegation("广州市公安局", "GZ-GAJ", (ItemLevel.DISTRICT,)),
    Delegation("广州市规划和自然资源局", "GZ-GHZYJ", (ItemLevel.DISTRICT,)),
    Delegation("广州市生态环境局", "GZ-STHJJ", (ItemLevel.DISTRICT,)),
    Delegation("广州市住房和城乡建设局", "GZ-ZJJ", (ItemLevel.DISTRICT,)),
    Delegation("广州市教育局", "GZ-JYJ", (ItemLevel.DISTRICT,)),
    Delegation("广东省生态环境厅", "GZ-STHJJ", (ItemLevel.DISTRICT,), only=r"审批|备案|许可"),
    Delegation(
        "广东省卫生健康委员会",
        "GZ-WJW",
        (ItemLevel.DISTRICT,),
        only=r"鉴定|补偿|资格证书核发|资格审定|资格审核",
    ),
    Delegation(
        "广东省人力资源和社会保障厅",
        "GZ-RSJ",
        (ItemLevel.DISTRICT,),
        leave_out=INFORMATION_ONLY
        + r"|考试|公务员|招聘|技工学校|职称|优粤卡|信访|行政复议|依申请公开|党员|户口页|档案",
    ),
    Delegation(
        "广东省人力资源和社会保障厅",
        "GZ-RSJ",
        (ItemLevel.STREET,),
        # The employees' pension and contribution services of street social-security
        # stations (社保服务站).
        only=r"企业职工|养老保险参保缴费凭证|城镇职工|一次性缴费申报",
    ),
    Delegation("广东省残疾人联合会", "GZ-CL", (ItemLevel.DISTRICT, ItemLevel.STREET)),
    Delegation("广东省退役军人事务厅", "GZ-TYJRJ", (ItemLevel.DISTRICT,)),
    Delegation("国家税务总局广东省税务局", "GZ-SWJ", (ItemLevel.DISTRICT,)),
    Delegation(
        "广东省市场监督管理局",
        "GZ-SCJGJ",
        (ItemLevel.DISTRICT,),
        leave_out=INFORMATION_ONLY + r"|计量|标准|检验|检测|地理标志|名牌|质量奖",
    ),
)

DISTRICT_HOURS = "周一至周五 9:00—12:00，13:00—17:00（法定节假日除外）"
STATION_HOURS = "周一至周五 9:00—12:00，14:00—17:30（法定节假日除外）"
HOTLINE = "12345"
