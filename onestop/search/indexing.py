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
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
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
# Item keys per query when reading changed items.
KEY_CHUNK = 2000
# A change this large is cheaper as a rebuild.
REBUILD_ABOVE = 5000


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
    # Rows of the instance table without the document (INSTANCE_COLUMNS[1:]).
    instances: list[tuple[Any, ...]] = field(default_factory=list)

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
            (
                row.item_key,
                row.item_id,
                row.level,
                LEVEL_RANK.get(row.level, 9),
                row.region_code,
                region_names.get(row.region_code, ""),
                row.department_code,
                row.authority,
                row.item_type,
                f" {' '.join(row.theme_codes)} " if row.theme_codes else "",
                row.for_natural_person,
                row.for_legal_person,
                row.online_depth,
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


TEXT_FIELDS = (
    "name_tokens",
    "alias_tokens",
    "theme_tokens",
    "department_tokens",
    "material_tokens",
    "condition_tokens",
)


def _document(group: _Group, segmenter: Segmenter) -> SearchDocument:
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
    return SearchDocument(
        key=group.key,
        name=name,
        name_pinyin=pinyin_full(compact)[:600],
        name_initials=pinyin_initials(compact)[:200],
        instance_count=len(group.instances),
        **{column: " ".join(tokens) for column, tokens in fields.items()},
    )


def _merge(document: SearchDocument, extra: SearchDocument) -> None:
    """Add to a document the words its new instances bring. Words of instances that left
    stay until the next rebuild: a document may match a little more, never less."""
    for column in TEXT_FIELDS:
        words = dict.fromkeys([*getattr(document, column).split(), *getattr(extra, column).split()])
        setattr(document, column, " ".join(words))


def _full_text_rows(documents: list[SearchDocument]) -> list[tuple[int, list[str], list[str]]]:
    rows = []
    for document in documents:
        head: dict[str, None] = {}
        for column in TEXT_FIELDS[:-1]:
            head.update(dict.fromkeys(getattr(document, column).split()))
        rows.append((document.pk, list(head), document.condition_tokens.split()))
    return rows


def _write(groups: list[_Group], segmenter: Segmenter) -> int:
    documents = SearchDocument.objects.bulk_create(
        [_document(group, segmenter) for group in groups], batch_size=500
    )
    instances = _instances_insert(
        (document.pk, *row)
        for document, group in zip(documents, groups, strict=True)
        for row in group.instances
    )
    full_text().write(_full_text_rows(documents))
    return instances


INSTANCE_COLUMNS = (
    "document_id",
    "item_key",
    "item_id",
    "level",
    "level_rank",
    "region_code",
    "region_name",
    "department_code",
    "department_name",
    "item_type",
    "theme_codes",
    "for_natural_person",
    "for_legal_person",
    "online_depth",
)


def _instances_insert(rows: Iterable[tuple[Any, ...]]) -> int:
    """Plain rows in bulk, past the ORM: a rebuild writes ~88k of them. PostgreSQL takes
    them by COPY, SQLite by one prepared INSERT."""
    table = SearchInstance._meta.db_table
    columns = ", ".join(INSTANCE_COLUMNS)
    rows = list(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(INSTANCE_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
    return len(rows)


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
        _analyse()
    return IndexReport(len(groups), instances, round(seconds, 3))


def _analyse() -> None:
    """Fresh planner statistics for tables just refilled; on PostgreSQL this also sets the
    rows' hint bits now rather than on the first searches."""
    with connection.cursor() as cursor:
        for table in (SearchInstance._meta.db_table, SearchDocument._meta.db_table, "search_fts"):
            if connection.vendor == "postgresql" or table != "search_fts":
                cursor.execute(f"ANALYZE {table}")


def _chunks(keys: list[str], size: int = KEY_CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def index_update(item_keys: Iterable[str]) -> IndexReport:
    """Bring the documents of these items up to date: their instances are replaced by what
    is published now, new names get documents, documents left without instances go.

    Until the index is first built (`index_rebuild`) there is nothing to update, so bulk
    loads before it (the demo build) cost nothing here; a very large change is a rebuild.
    """
    started = time.perf_counter()
    keys = sorted(set(item_keys))
    if not keys:
        return IndexReport(0, 0, 0.0)
    with transaction.atomic():
        state = SearchIndexState.objects.select_for_update().order_by("pk").first()
        if state is None:
            return IndexReport(0, 0, 0.0)
        if len(keys) > REBUILD_ABOVE:
            return index_rebuild()
        segmenter = segmenter_for(state.lexicon, synonym_table())
        rows = [row for chunk in _chunks(keys) for row in item_index_rows(chunk)]
        touched: set[int] = set()
        for chunk in _chunks(keys):
            old = SearchInstance.objects.filter(item_key__in=chunk)
            touched.update(old.values_list("document_id", flat=True))
            old.delete()
        groups = _groups(rows)
        existing = {d.key: d for d in SearchDocument.objects.filter(key__in=list(groups))}
        new_groups = [g for key, g in groups.items() if key not in existing]
        instances = _write(new_groups, segmenter)
        merged: list[SearchDocument] = []
        for key, document in existing.items():
            group = groups[key]
            _merge(document, _document(group, segmenter))
            instances += _instances_insert((document.pk, *row) for row in group.instances)
            merged.append(document)
        touched.update(d.pk for d in merged)
        counts = dict(
            SearchInstance.objects.filter(document_id__in=touched)
            .values_list("document_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        emptied = sorted(doc_id for doc_id in touched if not counts.get(doc_id))
        backend = full_text()
        backend.delete(emptied + [d.pk for d in merged])
        SearchDocument.objects.filter(pk__in=emptied).delete()
        for document in merged:
            document.instance_count = counts[document.pk]
        SearchDocument.objects.bulk_update(merged, [*TEXT_FIELDS, "instance_count"])
        merged_ids = {d.pk for d in merged}
        for doc_id, n in counts.items():
            if doc_id not in merged_ids:
                SearchDocument.objects.filter(pk=doc_id).update(instance_count=n)
        backend.write(_full_text_rows(merged))
        _state_save()
    return IndexReport(len(groups), instances, round(time.perf_counter() - started, 3))
