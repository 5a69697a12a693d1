"""English names of the most used items (search/data/item_names_en.tsv): the demo catalog's
local items and the real catalog's items people ask for most. Rows an administrator has
already made are left as they are."""

from django.db import migrations


def seed(apps, schema_editor):
    from onestop.search.names import item_names_read

    ItemTranslation = apps.get_model("search", "ItemTranslation")
    existing = set(ItemTranslation.objects.values_list("name", flat=True))
    ItemTranslation.objects.bulk_create(
        ItemTranslation(name=name, name_en=english)
        for name, english in item_names_read()
        if name not in existing
    )


def unseed(apps, schema_editor):
    from onestop.search.names import item_names_read

    ItemTranslation = apps.get_model("search", "ItemTranslation")
    for name, english in item_names_read():
        ItemTranslation.objects.filter(name=name, name_en=english, name_hant="").delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0004_item_translations_and_english_terms")]

    operations = [migrations.RunPython(seed, unseed)]
