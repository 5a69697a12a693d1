"""Names of the hall categories and themes (life events and topics) in other languages
(core.i18n): English for every one seeded, so English pages and the API read English.
Traditional Chinese is converted from the Simplified name (OpenCC), which is right for all
of these. Administrators edit them in the admin afterwards; a name someone has written is
never overwritten."""

from django.db import migrations, models

HALL_CATEGORY_NAMES = {
    "registration": "Registration",
    "business": "Business operations",
    "construction": "Construction projects",
    "trade": "Customs and trade",
    "social": "Social affairs",
}

THEME_NAMES = {
    "birth": "Having a baby and adoption",
    "school": "Going to school",
    "employment": "Jobs and starting your own business",
    "housing": "Housing",
    "marriage": "Marriage and divorce",
    "retirement": "Retirement and old age",
    "household": "Household registration (hukou)",
    "travel-abroad": "Travel abroad and entry-exit",
    "medical": "Health and medical care",
    "social-security": "Social insurance",
    "social-assistance": "Social assistance",
    "disability": "Disability",
    "veterans": "Veterans",
    "documents": "Identity documents and certificates",
    "transport": "Transport and driving",
    "business-start": "Starting a business",
    "business-close": "Closing a business",
    "tax": "Tax",
    "construction": "Planning and construction",
    "intellectual-property": "Intellectual property",
    "culture-sport": "Culture and sport",
    "qualifications": "Professional qualifications",
    "education-research": "Education and research",
    "talent": "Talent",
    "legal-notary": "Legal services and notarisation",
    "utilities": "Utilities",
    "environment": "Environment and greening",
    "foreigners": "Foreigners",
    "hk-macao-taiwan": "Hong Kong, Macao, Taiwan and overseas Chinese",
    "ethnic-religion": "Ethnic and religious affairs",
    "graduates": "University graduates",
    "urban-management": "City management and enforcement",
    "farmers": "Farmers",
    "public-safety": "Public safety",
    "mortgage": "Mortgages and pledges",
    "women": "Women",
    "children": "Children and young people",
    "tourism": "Tourism",
    "consumer": "Consumer rights",
}


def seed(apps, schema_editor):
    """English names where none is written yet (the suite runs this again after a flush)."""
    for model, names in (("HallCategory", HALL_CATEGORY_NAMES), ("Theme", THEME_NAMES)):
        Model = apps.get_model("catalog", model)
        for row in Model.objects.filter(code__in=names):
            if not (row.name_i18n or {}).get("en"):
                row.name_i18n = {**(row.name_i18n or {}), "en": names[row.code]}
                row.save(update_fields=["name_i18n"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_fee_not_stated")]

    operations = [
        migrations.AddField(
            model_name="hallcategory",
            name="name_i18n",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='Other languages of the field beside it: {"en": "...", "zh-hant": '
                '"..."}. Traditional Chinese, when absent, is converted from the Simplified '
                "text.",
            ),
        ),
        migrations.AddField(
            model_name="theme",
            name="name_i18n",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='Other languages of the field beside it: {"en": "...", "zh-hant": '
                '"..."}. Traditional Chinese, when absent, is converted from the Simplified '
                "text.",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
