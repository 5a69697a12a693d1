"""The search index (one document per distinct item name, with the concrete items that
carry it), the synonym table, and the anonymous search log.

The index is derived data: `search_index_rebuild` makes it again from the catalog at any
time. The full-text table beside it (`search_fts`) is created by migration 0002, as an FTS5
virtual table on SQLite and a tsvector table with a GIN index on PostgreSQL.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.search.enums import SearchChannel, SynonymKind

EXPANSION_SEPARATOR = "｜"


class SearchDocument(models.Model):
    """One distinct item as citizens search for it: the catalog's many regional copies of
    the same item share one document. Each `*_tokens` field holds the field's words after
    normalising and segmenting, separated by spaces."""

    key = models.CharField(max_length=200, unique=True, help_text="the normalised name")
    name = models.CharField(max_length=200)
    name_tokens = models.TextField(blank=True)
    alias_tokens = models.TextField(blank=True, help_text="pinyin and initials of the name")
    theme_tokens = models.TextField(blank=True)
    department_tokens = models.TextField(blank=True)
    material_tokens = models.TextField(blank=True)
    condition_tokens = models.TextField(blank=True)
    name_pinyin = models.CharField(max_length=600, blank=True)
    name_initials = models.CharField(max_length=200, blank=True)
    instance_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class SearchInstance(models.Model):
    """One published catalog item under its document, with what searches filter on."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=64, unique=True)
    item_id = models.PositiveIntegerField()
    level = models.CharField(max_length=10)
    # The order in which instances stand for their item when no region is preferred.
    level_rank = models.PositiveSmallIntegerField(default=0)
    # Empty for provincial items, which belong to no region of the city.
    region_code = models.CharField(max_length=12, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    department_code = models.CharField(max_length=40, blank=True)
    department_name = models.CharField(max_length=150, blank=True)
    item_type = models.CharField(max_length=14)
    # Space-delimited, with a space at each end, so a code is found as " code ".
    theme_codes = models.CharField(max_length=500, blank=True)
    for_natural_person = models.BooleanField(default=False)
    for_legal_person = models.BooleanField(default=False)
    online_depth = models.CharField(max_length=12)

    class Meta:
        indexes = [
            models.Index(fields=["document", "region_code"], name="search_inst_doc_region"),
            models.Index(fields=["region_code", "document"], name="search_inst_region_doc"),
            models.Index(
                fields=["document", "level_rank", "item_key"], name="search_inst_doc_rank"
            ),
        ]

    def __str__(self) -> str:
        return self.item_key


class SearchIndexState(models.Model):
    """A single row: the index's generation, bumped by every change, so each process
    knows when its cached dictionary and documents are stale; and the domain dictionary
    the segmenter used, as `word freq` lines."""

    generation = models.PositiveBigIntegerField(default=0)
    lexicon = models.TextField(blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    rebuild_seconds = models.FloatField(default=0.0)

    def __str__(self) -> str:
        return f"search index generation {self.generation}"


class Synonym(models.Model):
    """Another way people ask for something: a search for `term` also looks for each of
    its expansions. Terms and expansions are compared after normalising (simplified
    characters, lower case), so 社保 also serves 社保 typed in traditional characters."""

    term = models.CharField(max_length=50, unique=True)
    expansions = models.CharField(
        max_length=300, help_text=_("what the term also means; several separated by ｜")
    )
    kind = models.CharField(max_length=12, choices=SynonymKind.choices, default=SynonymKind.SYNONYM)
    is_active = models.BooleanField(default=True)
    note = models.CharField(max_length=200, blank=True)
    # Each process's cache of synonyms is keyed on the newest of these.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {'、'.join(self.expansion_list())}"

    def expansion_list(self) -> list[str]:
        return [part.strip() for part in self.expansions.split(EXPANSION_SEPARATOR) if part.strip()]

    def clean(self) -> None:
        from onestop.search.text import text_normalise

        term = text_normalise(self.term)
        if not term:
            raise ValidationError({"term": _("A term needs at least one letter or character.")})
        expansions = [text_normalise(part) for part in self.expansion_list()]
        if not any(expansions):
            raise ValidationError({"expansions": _("Give at least one expansion.")})
        if term in expansions:
            raise ValidationError({"expansions": _("A term cannot expand to itself.")})
        if self.kind == SynonymKind.ENGLISH:
            from onestop.search.english import content_words
            from onestop.search.text import is_ascii_word

            words = content_words(self.term)
            if not words or not all(is_ascii_word(w) for w in words):
                raise ValidationError(
                    {"term": _("An English term needs English words, such as passport renewal.")}
                )


class ItemTranslation(models.Model):
    """An item's name in Traditional Chinese and in English, for the search results (and,
    later, every page that shows the item). Keyed on the item's zh-Hans name as the catalog
    writes it, so one row serves every regional copy of the item; the index matches it to
    its document by the normalised name. A blank zh-Hant name is converted from the
    zh-Hans one when shown."""

    name = models.CharField(
        max_length=200, unique=True, help_text=_("zh-Hans, exactly as the catalog names the item")
    )
    name_hant = models.CharField(max_length=200, blank=True, help_text="zh-Hant")
    name_en = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("item name translation")
        verbose_name_plural = _("item name translations")

    def __str__(self) -> str:
        return f"{self.name} → {self.name_en}"

    def clean(self) -> None:
        from onestop.search.text import text_normalise

        if not text_normalise(self.name):
            raise ValidationError({"name": _("Give the item's name as the catalog writes it.")})
        if not self.name_hant.strip() and not self.name_en.strip():
            raise ValidationError(_("Give a zh-Hant name, an English name or both."))


class SearchLog(models.Model):
    """What was searched, how many results it found, with which filters: nothing about
    who searched (no user, address or session), so the log can be kept and shown."""

    query = models.CharField(max_length=200)
    result_count = models.PositiveIntegerField()
    filters = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=8, choices=SearchChannel.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["result_count", "created_at"], name="search_log_failed")]

    def __str__(self) -> str:
        return f"{self.query} ({self.result_count})"
