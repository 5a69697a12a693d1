"""The common reasons of 好差评, with stable codes. An installation edits or adds to them in
the admin; the codes stay, so exports and the API keep their meaning."""

from django.db import migrations

REASONS = [
    ("service-attitude", "服务态度", "服務態度", "Service attitude"),
    ("efficiency", "办事效率", "辦事效率", "Efficiency"),
    ("told-at-once", "一次性告知", "一次性告知", "Told everything at once"),
    ("simple-process", "流程便捷", "流程便捷", "Simple process"),
    ("premises", "环境设施", "環境設施", "Premises and facilities"),
]


def seed(apps, schema_editor):
    RatingReason = apps.get_model("ratings", "RatingReason")
    # The suite seeds again after a flush with today's model, whose other names are one
    # `name_i18n` column (migration 0003).
    columns = {field.name for field in RatingReason._meta.get_fields()}
    for position, (code, name, name_hant, name_en) in enumerate(REASONS, start=1):
        names = (
            {"name_i18n": {"en": name_en, "zh-hant": name_hant}}
            if "name_i18n" in columns
            else {"name_hant": name_hant, "name_en": name_en}
        )
        RatingReason.objects.update_or_create(
            code=code,
            defaults={"name": name, **names, "applies": "any", "position": position * 10},
        )


def unseed(apps, schema_editor):
    RatingReason = apps.get_model("ratings", "RatingReason")
    RatingReason.objects.filter(code__in=[code for code, *_ in REASONS], ratings=None).delete()


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
