"""What items are filed under: hall categories, themes and life events, and the other names
a department goes by in imported files."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.catalog.enums import Audience, ThemeKind
from onestop.core.i18n import translations_field


class HallCategory(models.Model):
    """The kind of window an item is accepted at in an integrated hall (综合窗口分类):
    注册登记类, 经营管理类, 建设工程类, 通关贸易类, 社会事务类. Configurable per city."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=50, unique=True)
    # English (and, where OpenCC's conversion is not right, Traditional Chinese): core.i18n.
    name_i18n = translations_field()
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "hall categories"

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A life event (生育, 上学, 开办企业 ...) or a topic that items are browsed by.

    Pages and the API show the name in the reader's language (`translated(theme, "name")`,
    `{{ theme|tr:"name" }}`). `aliases` lists other labels that published data uses for the
    same theme (生小孩 for 生育收养), separated by `｜`; the importer files an item under the
    theme whose name or alias matches.
    """

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=50, unique=True)
    name_i18n = translations_field()
    kind = models.CharField(max_length=12, choices=ThemeKind.choices, default=ThemeKind.TOPIC)
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.BOTH)
    aliases = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.split("｜") if alias.strip()]


class DepartmentAlias(models.Model):
    """Another name a department goes by in imported files: an older name after a reform
    (广州市民族宗教事务局 for the 委员会), or a spelling the source uses."""

    name = models.CharField(max_length=150, unique=True)
    department = models.ForeignKey(
        "core.Department", on_delete=models.CASCADE, related_name="catalog_aliases"
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department alias")
        verbose_name_plural = _("department aliases")

    def __str__(self) -> str:
        return f"{self.name} → {self.department_id}"
