"""What items are filed under: hall categories, themes and life events, and the other names
a department goes by in imported files."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from onestop.catalog.enums import Audience, ThemeKind


def label_in_language(name: str, name_hant: str, name_en: str) -> str:
    """The name in the current language, falling back to zh-Hans (as ratings' reasons)."""
    language = (get_language() or "").lower()
    if language.startswith("en") and name_en:
        return name_en
    if language in ("zh-hant", "zh-tw", "zh-hk") and name_hant:
        return name_hant
    return name


class HallCategory(models.Model):
    """The kind of window an item is accepted at in an integrated hall (综合窗口分类):
    注册登记类, 经营管理类, 建设工程类, 通关贸易类, 社会事务类. Configurable per city."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=50, unique=True, help_text="zh-Hans")
    name_hant = models.CharField(max_length=50, blank=True, help_text="zh-Hant")
    name_en = models.CharField(max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "hall categories"

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return label_in_language(self.name, self.name_hant, self.name_en)


class Theme(models.Model):
    """A life event (生育, 上学, 开办企业 ...) or a topic that items are browsed by.

    `aliases` lists other labels that published data uses for the same theme (生小孩 for
    生育收养), separated by `｜`; the importer files an item under the theme whose name or
    alias matches.
    """

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=50, unique=True, help_text="zh-Hans")
    name_hant = models.CharField(max_length=50, blank=True, help_text="zh-Hant")
    name_en = models.CharField(max_length=80, blank=True)
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

    @property
    def label(self) -> str:
        """The name in the current language, falling back to zh-Hans."""
        return label_in_language(self.name, self.name_hant, self.name_en)


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
