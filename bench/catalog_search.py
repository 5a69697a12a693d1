"""The catalog search benchmark: the four-level demo catalog (~88k items) and its index,
then 200 mixed queries (the relevance set, pinyin and initials, traditional characters,
with and without filters and a preferred region), warm, in this one process. The issue
asks for p50 ≤ 10 ms and p95 ≤ 30 ms on SQLite and on PostgreSQL."""

from __future__ import annotations

import itertools
import resource
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import Result, summarise_ms

# Variants beyond the relevance set: forms people type that it has few of.
EXTRA = [
    "kaifandian", "hukou", "jiehun dengji", "jzz", "shebaoka", "gongjijin", "出生登记",
    "新生儿落户", "車船稅", "查房产证", "营业执照", "个体户注册", "医保", "yibao", "养老",
    "残疾人", "失业金", "居住证", "公租房", "食品经营许可", "小餐饮", "结婚", "离婚证",
    "低保申请", "高龄津贴", "老年人优待证", "教师资格认定", "义务教育入学", "社保卡",
    "sbk", "身份证", "户口迁移", "死亡注销户口", "法律援助申请", "施工许可", "户外广告",
    "消防检查", "烟花爆竹", "医师执业注册", "特种设备", "港奥通行政", "社宝",
]  # fmt: skip
REGIONS = ["440103001101", "440106", "440111", "440113005", None]
FILTERS: list[dict[str, str]] = [
    {},
    {"level": "district"},
    {"region_code": "440106"},
    {"audience": "natural"},
    {"item_type": "public_service"},
    {"level": "community", "region_code": "440103"},
    {"online_depth": "apply"},
    {"theme_code": "social-security"},
]


def _queries() -> list[tuple[str, dict[str, str], str | None]]:
    from onestop.search.relevance.evaluate import relevance_queries

    texts = [q.text for q in relevance_queries()] + EXTRA
    mixed = []
    for n, text in enumerate(itertools.islice(itertools.cycle(texts), 200)):
        filters = FILTERS[n % len(FILTERS)] if n % 3 == 0 else {}
        region = REGIONS[n % len(REGIONS)] if n % 2 == 0 else None
        mixed.append((text, filters, region))
    return mixed


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def catalog_search() -> Result:
    from onestop.catalog.demo import catalog_build_demo
    from onestop.search.selectors import SearchFilters, search_items, search_suggest
    from onestop.search.services import search_index_rebuild

    built = catalog_build_demo(actor=None)
    index = search_index_rebuild()
    queries = _queries()

    def run() -> list[float]:
        samples = []
        for text, filters, region in queries:
            started = time.perf_counter()
            page = search_items(text, filters=SearchFilters(**filters), prefer_region_code=region)
            samples.append(time.perf_counter() - started)
            assert page.error is None or "shortened" in page.error, (text, page.error)
        return samples

    run()  # warm: snapshot, segmenter, filter and region lookups
    samples = run()
    suggest = []
    for text, _filters, _region in queries[:100]:
        prefix = text[:2]
        started = time.perf_counter()
        search_suggest(prefix)
        suggest.append(time.perf_counter() - started)
    figures = summarise_ms(samples)
    return Result(
        "search: 200 mixed queries on the four-level demo catalog, warm, one process",
        {
            "items": sum(built.counts.values()),
            "documents": index.documents,
            "index_build_s": index.seconds,
            "queries": len(samples),
            **figures,
            "suggest_p50_ms": summarise_ms(suggest)["p50_ms"],
            "suggest_p95_ms": summarise_ms(suggest)["p95_ms"],
            "rss_mib": _rss_mib(),
            "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        },
        "queries: the relevance set and variants, a third with filters, half with a "
        "preferred region; docs/decisions/0007-catalog-search.md",
    )


BENCHMARKS: dict[str, Callable[[], Result]] = {"catalog_search": catalog_search}
