"""The demo's sign-in accounts: one staff user per role, and a citizen.

The password is public on purpose: it opens a demo database on the developer's own machine,
and seed-demo refuses to run outside the development profile.
"""

from dataclasses import dataclass

from onestop.core.access import Role

DEMO_PASSWORD = "onestop-demo-2026"  # noqa: S105 - documented demo credential


@dataclass(frozen=True)
class DemoStaff:
    username: str
    display_name: str
    role: Role


DEMO_STAFF: tuple[DemoStaff, ...] = (
    DemoStaff("clerk", "陈晓雯", Role.WINDOW_CLERK),
    DemoStaff("hallmanager", "黄志强", Role.HALL_MANAGER),
    DemoStaff("approver", "李建华", Role.DEPARTMENT_APPROVER),
    DemoStaff("depthead", "周振华", Role.DEPARTMENT_HEAD),
    DemoStaff("agent", "林嘉欣", Role.HOTLINE_AGENT),
    DemoStaff("dispatcher", "何俊杰", Role.DISPATCHER),
    DemoStaff("handler", "吴伟明", Role.DEPARTMENT_HANDLER),
    DemoStaff("gridworker", "梁永健", Role.GRID_WORKER),
    DemoStaff("gridmanager", "郭丽娟", Role.GRID_MANAGER),
    DemoStaff("steward", "罗海燕", Role.DATA_STEWARD),
    DemoStaff("admin", "张国栋", Role.PLATFORM_ADMIN),
    DemoStaff("kiosk", "天河区政务服务中心 1号自助终端", Role.HALL_DEVICE),
)

DEMO_CITIZEN_PHONE = "13800138000"
