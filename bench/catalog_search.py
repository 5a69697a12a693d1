"""The catalog search benchmark: the four-level demo catalog (~88k items) and its index,
then 200 mixed queries (the Chinese and English relevance sets, pinyin and initials,
traditional characters, with and without filters and a preferred region), warm, in this one
process. The issue asks for p50 ≤ 10 ms and p95 ≤ 30 ms on SQLite and on PostgreSQL.

Then the first search after a start: the platform under uvicorn, started twice on the same
database, once without warming the search at start and once with it (the default, ASGI
lifespan): how long until it answers, its first search over HTTP, and the p50 of the next
100 searches. `BENCH_PORT` picks the port (else a free one)."""

from __future__ import annotations

import itertools
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import ROOT, Result, summarise_ms

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
    from onestop.search.relevance.evaluate import QUERY_SETS, relevance_queries

    chinese, english = (relevance_queries(QUERY_SETS[label]) for label in ("zh", "en"))
    # Chinese and English in turn, so both are in the 200.
    texts = [q.text for pair in itertools.zip_longest(chinese, english) for q in pair if q]
    texts += EXTRA
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


FIRST_QUERY = "开饭店要什么证"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _after_start(*, warm: bool, texts: list[str]) -> dict[str, float]:
    """Start the platform under uvicorn, wait until it answers, then time its first search
    and the 100 after it, over HTTP."""
    import httpx

    port = int(os.environ.get("BENCH_PORT", "0")) or _free_port()
    env = {**os.environ, "SEARCH_WARM_AT_START": "true" if warm else "false"}
    env["LOG_LEVEL"] = "WARNING"
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port),
         "--log-level", "warning", "--no-access-log"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            while True:
                try:
                    if client.get("/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.05)
                if time.perf_counter() - started > 180:
                    raise RuntimeError("uvicorn did not start")
            ready = time.perf_counter() - started
            samples = []
            for text in [FIRST_QUERY, *texts[:100]]:
                began = time.perf_counter()
                response = client.get("/api/v1/catalog/search", params={"q": text})
                samples.append(time.perf_counter() - began)
                assert response.status_code == 200, response.text
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    return {
        "ready_s": round(ready, 1),
        "first_ms": round(samples[0] * 1000, 1),
        "next100_p50_ms": summarise_ms(samples[1:])["p50_ms"],
    }


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
    texts = [text for text, _filters, _region in queries[1:]]
    cold = _after_start(warm=False, texts=texts)
    warmed = _after_start(warm=True, texts=texts)
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
            "cold_start_ready_s": cold["ready_s"],
            "cold_start_first_search_ms": cold["first_ms"],
            "cold_start_next100_p50_ms": cold["next100_p50_ms"],
            "warmed_start_ready_s": warmed["ready_s"],
            "warmed_start_first_search_ms": warmed["first_ms"],
            "warmed_start_next100_p50_ms": warmed["next100_p50_ms"],
        },
        "queries: the Chinese and English relevance sets and variants, a third with "
        "filters, half with a preferred region; after a start: uvicorn without and with "
        "warming (HTTP, one worker); decisions 0007 and 0015",
    )


BENCHMARKS: dict[str, Callable[[], Result]] = {"catalog_search": catalog_search}
