"""The hall categories of Guangzhou's integrated windows, and the life events and topics
items are browsed by. Administrators may add, rename or deactivate them afterwards; the
codes stay, since URLs and imports use them."""

from django.db import migrations

HALL_CATEGORIES = [
    ("registration", "注册登记类"),
    ("business", "经营管理类"),
    ("construction", "建设工程类"),
    ("trade", "通关贸易类"),
    ("social", "社会事务类"),
]

# code, name, kind, audience, aliases (other labels in published data)
THEMES = [
    ("birth", "生育收养", "life_event", "natural", "生小孩｜生育"),
    ("school", "上学", "life_event", "natural", "升学｜义务教育"),
    ("employment", "就业创业", "life_event", "natural", "找工作｜失业｜就业｜创业"),
    ("housing", "住房", "life_event", "natural", "买房子｜住房保障"),
    ("marriage", "婚姻登记", "life_event", "natural", "结婚｜婚姻"),
    ("retirement", "养老", "life_event", "natural", "退休｜离职退休｜养老服务｜老年人"),
    ("household", "户籍办理", "life_event", "natural", "迁居｜户籍"),
    ("travel-abroad", "出境入境", "life_event", "natural", ""),
    ("medical", "医疗卫生", "life_event", "natural", "医疗"),
    ("social-security", "社会保障", "life_event", "natural", "社会保障（社会保险、社会救助）｜社会保险｜社保"),
    ("social-assistance", "社会救助", "life_event", "natural", "救助"),
    ("disability", "残疾人", "life_event", "natural", ""),
    ("veterans", "退役军人", "life_event", "natural", ""),
    ("documents", "证件办理", "life_event", "natural", ""),
    ("transport", "交通出行", "life_event", "both", ""),
    ("business-start", "开办企业", "life_event", "legal", "设立变更｜准营准办"),
    ("business-close", "注销企业", "life_event", "legal", "注销"),
    ("tax", "纳税", "life_event", "both", "行政缴费｜缴税"),
    ("construction", "规划建设", "life_event", "legal", "建设工程"),
    ("intellectual-property", "知识产权", "topic", "both", ""),
    ("culture-sport", "文化体育", "topic", "both", ""),
    ("qualifications", "职业资格", "topic", "natural", ""),
    ("education-research", "教育科研", "topic", "both", ""),
    ("talent", "人才", "topic", "natural", ""),
    ("legal-notary", "司法公证", "topic", "both", ""),
    ("utilities", "公用事业", "topic", "both", ""),
    ("environment", "环保绿化", "topic", "both", ""),
    ("foreigners", "外国人", "topic", "natural", ""),
    ("hk-macao-taiwan", "港澳台侨", "topic", "natural", ""),
    ("ethnic-religion", "民族宗教", "topic", "both", ""),
    ("graduates", "高校毕业生", "topic", "natural", ""),
    ("urban-management", "城市综合执法", "topic", "both", ""),
    ("farmers", "农民", "topic", "natural", "涉农补贴"),
    ("public-safety", "公共安全", "topic", "both", ""),
    ("mortgage", "抵押质押", "topic", "both", ""),
    ("women", "妇女", "topic", "natural", ""),
    ("children", "儿童青少年", "topic", "natural", ""),
    ("tourism", "旅游观光", "topic", "both", ""),
    ("consumer", "消费维权", "topic", "both", ""),
]


def seed(apps, schema_editor):
    HallCategory = apps.get_model("catalog", "HallCategory")
    Theme = apps.get_model("catalog", "Theme")
    for position, (code, name) in enumerate(HALL_CATEGORIES, start=1):
        HallCategory.objects.update_or_create(
            code=code, defaults={"name": name, "position": position}
        )
    for position, (code, name, kind, audience, aliases) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "audience": audience,
                "aliases": aliases,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("catalog", "HallCategory").objects.filter(
        code__in=[code for code, _ in HALL_CATEGORIES]
    ).delete()
    apps.get_model("catalog", "Theme").objects.filter(
        code__in=[row[0] for row in THEMES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
