"""A first synonym table: the abbreviations and everyday words people type for what the
catalog calls by its official name. Administrators edit it afterwards (admin: Synonyms);
a term's expansions are separated by ｜."""

from django.db import migrations

ABBREVIATION = "abbreviation"
SYNONYM = "synonym"

# term, expansions, kind
SYNONYMS = [
    # social insurance, health insurance, housing fund
    ("社保", "社会保险｜社会保障", ABBREVIATION),
    ("社保卡", "社会保障卡", ABBREVIATION),
    ("社保缴费", "社会保险费申报｜社会保险费缴纳｜缴费", SYNONYM),
    ("医保", "医疗保险｜基本医疗保险", ABBREVIATION),
    ("养老金", "基本养老金｜养老保险待遇", SYNONYM),
    ("退休", "养老保险待遇｜基本养老金申领｜提前退休", SYNONYM),
    ("工伤", "工伤保险", ABBREVIATION),
    ("失业金", "失业保险金", ABBREVIATION),
    ("生育险", "生育保险｜生育津贴", ABBREVIATION),
    ("公积金", "住房公积金", ABBREVIATION),
    ("报销", "零星报销｜费用申报｜核付", SYNONYM),
    ("缴费", "缴纳｜申报", SYNONYM),
    ("交费", "缴费｜缴纳", SYNONYM),
    ("参保", "参保登记｜参加社会保险", SYNONYM),
    # identity documents and household registration
    ("身份证", "居民身份证", ABBREVIATION),
    ("户口本", "户口簿｜户口页", SYNONYM),
    ("户口", "户籍｜户口簿", SYNONYM),
    ("落户", "户口迁入｜入户｜户籍", SYNONYM),
    ("入户", "户口迁入｜落户", SYNONYM),
    ("迁户口", "户口迁移｜户口迁出", SYNONYM),
    ("新生儿", "出生登记｜出生医学证明", SYNONYM),
    ("出生证", "出生医学证明", ABBREVIATION),
    ("生孩子", "生育登记｜出生医学证明｜生育", SYNONYM),
    ("准生证", "生育登记｜生育服务证", SYNONYM),
    ("居住证", "广东省居住证｜居住登记", SYNONYM),
    ("结婚证", "结婚登记", SYNONYM),
    ("离婚证", "离婚登记", SYNONYM),
    ("无犯罪证明", "无犯罪记录证明", ABBREVIATION),
    ("残疾证", "残疾人证", ABBREVIATION),
    # travel documents
    ("港澳通行证", "往来港澳通行证", ABBREVIATION),
    ("台湾通行证", "往来台湾通行证", ABBREVIATION),
    ("台胞证", "台湾居民来往大陆通行证", ABBREVIATION),
    ("回乡证", "港澳居民来往内地通行证", ABBREVIATION),
    ("护照", "普通护照", SYNONYM),
    ("出国", "出境｜普通护照", SYNONYM),
    ("续签", "签注｜换发｜延期", SYNONYM),
    ("国外", "境外｜外国", SYNONYM),
    ("绿卡", "永久居留", SYNONYM),
    # vehicles and driving
    ("驾照", "机动车驾驶证", ABBREVIATION),
    ("驾驶证", "机动车驾驶证", ABBREVIATION),
    ("行驶证", "机动车行驶证", ABBREVIATION),
    ("考驾照", "机动车驾驶证初次申领｜驾驶人考试", SYNONYM),
    ("学车", "驾驶人考试｜机动车驾驶证初次申领", SYNONYM),
    ("增驾", "增加准驾车型", ABBREVIATION),
    ("上牌", "机动车注册登记｜注册登记", SYNONYM),
    ("车船税", "车船使用税｜车船税申报", SYNONYM),
    # property and housing
    ("房产证", "不动产权证书｜不动产登记｜房屋所有权证", SYNONYM),
    ("买房", "不动产登记｜商品房", SYNONYM),
    ("租房", "住房租赁｜公共租赁住房", SYNONYM),
    ("公租房", "公共租赁住房", ABBREVIATION),
    ("廉租房", "公共租赁住房｜住房保障", SYNONYM),
    ("房子", "房屋｜住房", SYNONYM),
    ("卖房", "房屋买卖", SYNONYM),
    # business
    ("开饭店", "餐饮｜食品经营许可", SYNONYM),
    ("开餐馆", "餐饮｜食品经营许可", SYNONYM),
    ("开店", "个体工商户｜营业执照｜食品经营许可", SYNONYM),
    ("营业执照", "营业执照核发｜设立登记", SYNONYM),
    ("办执照", "营业执照｜设立登记", SYNONYM),
    ("开公司", "公司设立登记｜有限责任公司设立登记", SYNONYM),
    ("注册公司", "公司设立登记｜有限责任公司设立登记", SYNONYM),
    ("公司注册", "公司设立登记｜有限责任公司设立登记", SYNONYM),
    ("个体户", "个体工商户", ABBREVIATION),
    ("外资", "外商投资", ABBREVIATION),
    ("注销公司", "注销登记｜公司注销", SYNONYM),
    ("商标", "商标注册", SYNONYM),
    # tax
    ("个税", "个人所得税", ABBREVIATION),
    ("交税", "纳税｜缴纳税款", SYNONYM),
    ("报税", "纳税申报", SYNONYM),
    ("开发票", "代开发票", SYNONYM),
    ("完税证明", "税收完税证明", SYNONYM),
    # welfare, family, old age
    ("低保", "最低生活保障", ABBREVIATION),
    ("老人卡", "老年人优待证", SYNONYM),
    ("高龄津贴", "高龄老人津贴", ABBREVIATION),
    ("打疫苗", "预防接种｜疫苗接种", SYNONYM),
    ("看病", "就医｜医疗", SYNONYM),
    ("找工作", "就业｜求职", SYNONYM),
    ("失业", "失业登记｜失业保险金", SYNONYM),
    # education and qualifications
    ("教资", "教师资格", ABBREVIATION),
    ("四六级", "大学英语四六级", ABBREVIATION),
    ("普通话证", "普通话水平测试等级证书", ABBREVIATION),
    ("学历认证", "学历证明｜学历证书查询", SYNONYM),
    ("自考", "自学考试", ABBREVIATION),
    ("律师证", "律师执业证书｜律师执业许可", SYNONYM),
    ("司法考试", "法律职业资格考试", SYNONYM),
    ("注会", "注册会计师", ABBREVIATION),
    ("请不起律师", "法律援助", SYNONYM),
    ("免费律师", "法律援助", SYNONYM),
    ("退伍", "退役", SYNONYM),
    # what people say they want done
    ("补办", "补发｜补领｜补证｜遗失补办", SYNONYM),
    ("丢了", "补发｜补领｜挂失｜遗失", SYNONYM),
    ("遗失", "补发｜补领｜挂失", SYNONYM),
    ("换证", "换发｜换领", SYNONYM),
    ("查", "查询", SYNONYM),
    ("进度", "办理进度查询｜进度查询", SYNONYM),
    ("办好了没", "办理进度查询｜进度查询", SYNONYM),
    ("办到哪", "办理进度查询｜进度查询", SYNONYM),
    ("真假", "真伪", SYNONYM),
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for term, expansions, kind in SYNONYMS:
        Synonym.objects.get_or_create(
            term=term, defaults={"expansions": expansions, "kind": kind}
        )


def unseed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(term__in=[term for term, _e, _k in SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text")]

    operations = [migrations.RunPython(seed, unseed)]
