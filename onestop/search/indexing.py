"""Building the index from the catalog: all of it (`index_rebuild`), or the documents that
some changed items belong to (`index_update`).

Items are read only through `onestop.catalog.selectors.item_index_rows`. The regional copies
of an item (the same name in many districts, streets and villages) become one document with
many instances; its text is the union of what its instances say.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from onestop.catalog.enums import ItemLevel
from onestop.catalog.selectors import IndexRow, item_index_rows
from onestop.core.models import Region
from onestop.search.backends import full_text
from onestop.search.lexicon import segmenter_for, synonym_table
from onestop.search.models import SearchDocument, SearchIndexState, SearchInstance
from onestop.search.segment import DOMAIN_WORD_FREQ, Segmenter
from onestop.search.text import has_han, pinyin_full, pinyin_initials, text_normalise

# Which instance stands for an item when the searcher gave no region: the city's own
# first, then the lower levels, then the province's.
LEVEL_RANK: dict[str, int] = {
    ItemLevel.CITY: 0,
    ItemLevel.DISTRICT: 1,
    ItemLevel.STREET: 2,
    ItemLevel.COMMUNITY: 3,
    ItemLevel.PROVINCE: 4,
}
_REGION_PREFIXES = ("广东省", "广州市")
# Short catalog phrases become dictionary words; long ones are sentences, not words.
MAX_WORD_CHARS = 8
MAX_NAME_WORD_CHARS = 6


def document_key(name: str) -> str:
    return text_normalise(name)


@dataclass
class _Group:
    """The instances of one document while they are read."""

    key: str
    first: IndexRow
    catalog_names: dict[str, None] = field(default_factory=dict)
    materials: dict[str, None] = field(default_factory=dict)
    conditions: dict[str, None] = field(default_factory=dict)
    themes: dict[str, None] = field(default_factory=dict)
    departments: dict[str, None] = field(default_factory=dict)
    instances: list[SearchInstance] = field(default_factory=list)

    def add(self, row: IndexRow, region_names: dict[str, str]) -> None:
        if row.catalog_name and row.catalog_name != row.name:
            self.catalog_names.setdefault(row.catalog_name)
        for material in row.material_names:
            self.materials.setdefault(material)
        if row.conditions:
            self.conditions.setdefault(row.conditions)
        for theme in row.theme_names:
            self.themes.setdefault(theme)
        if row.authority:
            self.departments.setdefault(row.authority)
        self.instances.append(
            SearchInstance(
                item_key=row.item_key,
                item_id=row.item_id,
                level=row.level,
                level_rank=LEVEL_RANK.get(row.level, 9),
                region_code=row.region_code,
                region_name=region_names.get(row.region_code, ""),
                department_code=row.department_code,
                department_name=row.authority,
                item_type=row.item_type,
                theme_codes=f" {' '.join(row.theme_codes)} " if row.theme_codes else "",
                for_natural_person=row.for_natural_person,
                for_legal_person=row.for_legal_person,
                online_depth=row.online_depth,
            )
        )


def _groups(rows: Iterable[IndexRow]) -> dict[str, _Group]:
    region_names = dict(Region.objects.values_list("code", "name"))
    groups: dict[str, _Group] = {}
    for row in rows:
        key = document_key(row.name)
        if not key:
            continue
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(key, row)
        group.add(row, region_names)
    return groups


def _short_department(name: str) -> str:
    for prefix in _REGION_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def lexicon_build(groups: Iterable[_Group]) -> str:
    """The domain dictionary: short item names, catalog names, material names, theme and
    department names, as `word freq` lines."""
    words: set[str] = set()

    def add(text: str, limit: int) -> None:
        word = text_normalise(text).replace(" ", "")
        if 2 <= len(word) <= limit and has_han(word):
            words.add(word)

    for group in groups:
        add(group.first.name, MAX_NAME_WORD_CHARS)
        for name in group.catalog_names:
            add(name, MAX_WORD_CHARS)
        for name in group.materials:
            add(name, MAX_WORD_CHARS)
        for name in group.themes:
            add(name, MAX_WORD_CHARS)
        for name in group.departments:
            add(name, 20)
            add(_short_department(name), MAX_WORD_CHARS)
    return "\n".join(f"{word} {DOMAIN_WORD_FREQ}" for word in sorted(words))


def _tokens(segmenter: Segmenter, texts: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        for token in segmenter.tokens(text_normalise(text)):
            seen.setdefault(token)
    return list(seen)


def _document(group: _Group, segmenter: Segmenter) -> tuple[SearchDocument, list[str], list[str]]:
    name = group.first.name
    name_tokens = _tokens(segmenter, [name])
    aliases = _tokens(segmenter, group.catalog_names)
    compact = group.key.replace(" ", "")
    for word in [*name_tokens, compact]:
        if has_han(word) and len(word) >= 2:
            aliases.extend((pinyin_full(word), pinyin_initials(word)))
    aliases = [a for a in dict.fromkeys(aliases) if a and a not in name_tokens]
    fields = {
        "name_tokens": name_tokens,
        "alias_tokens": aliases,
        "theme_tokens": _tokens(segmenter, group.themes),
        "department_tokens": _tokens(segmenter, group.departments),
        "material_tokens": _tokens(segmenter, group.materials),
        "condition_tokens": _tokens(segmenter, group.conditions),
    }
    document = SearchDocument(
        key=group.key,
        name=name,
        name_pinyin=pinyin_full(compact)[:600],
        name_initials=pinyin_initials(compact)[:200],
        instance_count=len(group.instances),
        **{column: " ".join(tokens) for column, tokens in fields.items()},
    )
    head = list(
        dict.fromkeys(
            [
                *fields["name_tokens"],
                *fields["alias_tokens"],
                *fields["theme_tokens"],
                *fields["department_tokens"],
                *fields["material_tokens"],
            ]
        )
    )
    return document, head, fields["condition_tokens"]


def _write(groups: list[_Group], segmenter: Segmenter) -> int:
    built = [_document(group, segmenter) for group in groups]
    documents = SearchDocument.objects.bulk_create([doc for doc, _h, _b in built], batch_size=500)
    instances: list[SearchInstance] = []
    for document, group in zip(documents, groups, strict=True):
        for instance in group.instances:
            instance.document = document
            instances.append(instance)
    SearchInstance.objects.bulk_create(instances, batch_size=2000)
    full_text().write(
        (doc.pk, head, body) for doc, (_d, head, body) in zip(documents, built, strict=True)
    )
    return len(instances)


def _state_save(*, lexicon: str | None = None, seconds: float | None = None) -> None:
    state = SearchIndexState.objects.select_for_update().order_by("pk").first()
    if state is None:
        state = SearchIndexState()
    # A new value every time, never one an earlier (rolled back) state could have had:
    # each process compares it with its cached snapshot.
    state.generation = max(time.time_ns(), state.generation + 1)
    if lexicon is not None:
        state.lexicon = lexicon
        state.rebuilt_at = timezone.now()
    if seconds is not None:
        state.rebuild_seconds = seconds
    state.save()


def _empty_tables() -> None:
    full_text().clear()
    with connection.cursor() as cursor:
        for model in (SearchInstance, SearchDocument):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 - model table names


@dataclass(frozen=True)
class IndexReport:
    documents: int
    instances: int
    seconds: float


def index_rebuild() -> IndexReport:
    started = time.perf_counter()
    groups = list(_groups(item_index_rows()).values())
    lexicon = lexicon_build(groups)
    segmenter = segmenter_for(lexicon, synonym_table())
    with transaction.atomic():
        _empty_tables()
        instances = _write(groups, segmenter)
        seconds = time.perf_counter() - started
        _state_save(lexicon=lexicon, seconds=round(seconds, 3))
    return IndexReport(len(groups), instances, round(seconds, 3))


def _member_keys(item_keys: list[str]) -> tuple[set[int], set[str]]:
    doc_ids = set(
        SearchInstance.objects.filter(item_key__in=item_keys).values_list("document_id", flat=True)
    )
    members = set(
        SearchInstance.objects.filter(document_id__in=doc_ids).values_list("item_key", flat=True)
    )
    return doc_ids, members


def index_update(item_keys: Iterable[str]) -> IndexReport:
    """Make again the documents these items belonged to or now belong to."""
    started = time.perf_counter()
    keys = sorted(set(item_keys))
    if not keys:
        return IndexReport(0, 0, 0.0)
    with transaction.atomic():
        state = SearchIndexState.objects.order_by("pk").first()
        segmenter = segmenter_for(state.lexicon if state else "", synonym_table())
        old_docs, members = _member_keys(keys)
        changed = list(item_index_rows(keys))
        new_keys = {document_key(row.name) for row in changed}
        old_docs |= set(
            SearchDocument.objects.filter(key__in=new_keys).values_list("pk", flat=True)
        )
        members |= set(
            SearchInstance.objects.filter(document_id__in=old_docs).values_list(
                "item_key", flat=True
            )
        )
        members |= set(keys)
        rows: Iterator[IndexRow] = item_index_rows(sorted(members))
        groups = list(_groups(rows).values())
        full_text().delete(sorted(old_docs))
        SearchInstance.objects.filter(document_id__in=old_docs).delete()
        SearchDocument.objects.filter(pk__in=old_docs).delete()
        instances = _write(groups, segmenter)
        _state_save()
    return IndexReport(len(groups), instances, round(time.perf_counter() - started, 3))
