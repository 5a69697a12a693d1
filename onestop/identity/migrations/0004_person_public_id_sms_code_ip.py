# Persons get an opaque public id (what the API and pages show instead of the primary
# key); SMS sign-in codes remember the address that asked, for the per-address caps.

from django.db import migrations, models

import onestop.identity.values


def fill_public_ids(apps, schema_editor):
    Person = apps.get_model("identity", "Person")
    for person in Person.objects.filter(public_id__isnull=True).only("pk").iterator():
        Person.objects.filter(pk=person.pk).update(
            public_id=onestop.identity.values.new_public_id()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0003_account_types"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="public_id",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="public_id",
            field=models.CharField(
                default=onestop.identity.values.new_public_id,
                editable=False,
                max_length=32,
                unique=True,
            ),
        ),
        migrations.AddField(
            model_name="smssignincode",
            name="ip",
            field=models.CharField(blank=True, db_index=True, default="", max_length=45),
            preserve_default=False,
        ),
    ]
