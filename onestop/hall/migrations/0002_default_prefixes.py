"""Default ticket prefixes for every centre: acceptance tickets by category (注册登记类 A,
经营管理类 B, 建设工程类 D, 通关贸易类 E, 社会事务类 F, any other G), consultations C, pickups P.
A centre or a platform admin may change them (services.prefix_set)."""

from django.db import migrations

ACCEPTANCE = {
    "registration": "A",
    "business": "B",
    "construction": "D",
    "trade": "E",
    "social": "F",
}
BY_KIND = {"acceptance": "G", "consultation": "C", "pickup": "P"}


def seed(apps, schema_editor):
    TicketPrefix = apps.get_model("hall", "TicketPrefix")
    HallCategory = apps.get_model("catalog", "HallCategory")
    for kind, prefix in BY_KIND.items():
        TicketPrefix.objects.get_or_create(
            centre=None, category=None, kind=kind, defaults={"prefix": prefix}
        )
    for category in HallCategory.objects.filter(code__in=ACCEPTANCE):
        TicketPrefix.objects.get_or_create(
            centre=None,
            category=category,
            kind="acceptance",
            defaults={"prefix": ACCEPTANCE[category.code]},
        )


def unseed(apps, schema_editor):
    apps.get_model("hall", "TicketPrefix").objects.filter(centre=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hall", "0001_initial"),
        ("catalog", "0002_seed_categories_and_themes"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
