"""A follow-up's timeline (who opened, took, looked up the number of and closed it, when and
why), and the reasons' other names in one `name_i18n` column (core.i18n) instead of a column
per language. Tasks opened before get their timeline from their own dates."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def names_into_i18n(apps, schema_editor):
    RatingReason = apps.get_model("ratings", "RatingReason")
    for reason in RatingReason.objects.all():
        names = {"en": reason.name_en.strip(), "zh-hant": reason.name_hant.strip()}
        reason.name_i18n = {language: name for language, name in names.items() if name}
        reason.save(update_fields=["name_i18n"])


def names_out_of_i18n(apps, schema_editor):
    RatingReason = apps.get_model("ratings", "RatingReason")
    for reason in RatingReason.objects.all():
        reason.name_en = reason.name_i18n.get("en", "")[:60]
        reason.name_hant = reason.name_i18n.get("zh-hant", "")[:40]
        reason.save(update_fields=["name_en", "name_hant"])


def timelines_from_dates(apps, schema_editor):
    FollowUpTask = apps.get_model("ratings", "FollowUpTask")
    FollowUpEvent = apps.get_model("ratings", "FollowUpEvent")
    events = []
    for task in FollowUpTask.objects.all():
        events.append(
            FollowUpEvent(
                task=task, action="open", from_state="", to_state="open", at=task.created_at
            )
        )
        if task.started_at is not None:
            events.append(
                FollowUpEvent(
                    task=task,
                    action="start",
                    from_state="open",
                    to_state="in_progress",
                    actor_id=task.handler_id,
                    at=task.started_at,
                )
            )
        if task.closed_at is not None:
            events.append(
                FollowUpEvent(
                    task=task,
                    action="close",
                    from_state="in_progress",
                    to_state="closed",
                    at=task.closed_at,
                    note=task.resolution,
                )
            )
    FollowUpEvent.objects.bulk_create(events)


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0002_seed_reasons"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="ratingreason",
            name="name_i18n",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='Other languages of the field beside it: {"en": "...", "zh-hant": '
                '"..."}. Traditional Chinese, when absent, is converted from the Simplified '
                "text.",
            ),
        ),
        migrations.RunPython(names_into_i18n, names_out_of_i18n),
        migrations.RemoveField(model_name="ratingreason", name="name_en"),
        migrations.RemoveField(model_name="ratingreason", name="name_hant"),
        migrations.CreateModel(
            name="FollowUpEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("open", "Opened by a named bad rating"),
                            ("start", "Taken"),
                            ("contact_reveal", "Full number shown"),
                            ("close", "Closed"),
                        ],
                        max_length=20,
                    ),
                ),
                ("from_state", models.CharField(blank=True, max_length=12)),
                ("to_state", models.CharField(max_length=12)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("note", models.TextField(blank=True, default="")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "task",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="ratings.followuptask",
                    ),
                ),
            ],
            options={"ordering": ["at", "id"]},
        ),
        migrations.RunPython(timelines_from_dates, migrations.RunPython.noop),
    ]
