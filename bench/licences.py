"""E-licences: issue LICENCES_BENCH_COUNT licences (350,000, Guangzhou's figure, by default)
through the bulk service (a department's back-issue: batches of 500 in one transaction with
one audit entry, a timeline row and an ES256 signature each), and SINGLE_COUNT through the
one-at-a-time service (a transaction, an audit entry and a timeline row each, as a decision
issues one); then verify through the public API (a credential and an identifier each time),
and publish a status list after LICENCES_BENCH_REVOKE revocations.

    LICENCES_BENCH_COUNT=2000 .venv/bin/python -m bench --db sqlite --only licences
"""

from __future__ import annotations

import json
import os
import random
import time
from datetime import date, timedelta
from pathlib import Path

from bench.harness import Result, summarise_ms

COUNT = int(os.environ.get("LICENCES_BENCH_COUNT", "350000"))
REVOKE = int(os.environ.get("LICENCES_BENCH_REVOKE", "10000"))
VERIFY_SAMPLES = 500
SINGLE_COUNT = int(os.environ.get("LICENCES_BENCH_SINGLE", "1000"))
CHUNK = 5000


def _database_bytes() -> int:
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    name = Path(settings.DATABASES["default"]["NAME"])
    return sum(p.stat().st_size for p in name.parent.glob(name.name + "*"))


def licences() -> Result:
    from django.core.cache import cache
    from django.test import Client

    from onestop.core.departments import departments_load
    from onestop.core.ids import resident_id_generate
    from onestop.core.regions import regions_load
    from onestop.licences import selectors, services
    from onestop.licences.demo import DEMO_TYPES, licence_types_seed_demo
    from onestop.licences.models import Licence

    regions_load()
    departments_load()
    licence_types_seed_demo(actor=None)
    code = next(spec.code for spec in DEMO_TYPES if spec.name == "居住证")
    rng = random.Random(12)
    start_day = date(1960, 1, 1)
    size_before = _database_bytes()

    def row(n: int) -> services.BulkRow:
        born = start_day + timedelta(days=rng.randrange(20000))
        return services.BulkRow(
            line=n,
            holder_code=resident_id_generate(
                rng, region_code="440106", birth_date=born, sex="MF"[n % 2]
            ),
            holder_name="测试居民",
            face={
                "name": "测试居民",
                "sex": "男",
                "born_on": born.isoformat(),
                "address": f"广州市天河区{n}号",
            },
        )

    began = time.perf_counter()
    for chunk in range(0, COUNT, CHUNK):
        rows = [row(n) for n in range(chunk, min(COUNT, chunk + CHUNK))]
        report = services.licence_issue_bulk(actor=None, type_code=code, rows=rows)
        assert report.issued == len(rows), report.errors[:3]
    issue_s = time.perf_counter() - began
    size = _database_bytes() - size_before

    began = time.perf_counter()
    for n in range(SINGLE_COUNT):
        single = row(n)
        services.licence_issue(
            actor=None,
            type_code=code,
            holder_code=single.holder_code,
            holder_name=single.holder_name,
            face=single.face,
        )
    single_s = time.perf_counter() - began

    ids = list(Licence.objects.order_by("?").values_list("pk", flat=True)[:VERIFY_SAMPLES])
    client = Client(SERVER_NAME="localhost")
    by_credential: list[float] = []
    by_identifier: list[float] = []
    for pk in ids:
        licence = Licence.objects.get(pk=pk)
        credential = selectors.licence_credential(licence)
        for body, samples in (
            ({"credential": credential}, by_credential),
            ({"identifier": licence.identifier}, by_identifier),
        ):
            t = time.perf_counter()
            response = client.post(
                "/api/v1/licences/verify", json.dumps(body), content_type="application/json"
            )
            samples.append(time.perf_counter() - t)
            assert response.json()["result"] == "valid", response.content

    revoke = min(REVOKE, COUNT)
    for pk in Licence.objects.order_by("pk").values_list("pk", flat=True)[:revoke]:
        services.licence_revoke(actor=None, licence_id=pk, reason="基准测试")
    cache.clear()
    status_list_id = Licence.objects.order_by("pk").values_list("status_list_id", flat=True)[0]
    t = time.perf_counter()
    token = selectors.status_list_token(status_list_id)
    publish_s = time.perf_counter() - t

    credential_ms = summarise_ms(by_credential)
    identifier_ms = summarise_ms(by_identifier)
    return Result(
        "licences",
        {
            "issued": COUNT,
            "bulk_licences_per_s": round(COUNT / issue_s, 1),
            "single_licences_per_s": round(SINGLE_COUNT / single_s, 1) if SINGLE_COUNT else 0,
            "db_mib": round(size / 2**20, 1),
            "bytes_per_licence": round(size / COUNT),
            "verify_credential_p50_ms": credential_ms["p50_ms"],
            "verify_credential_p95_ms": credential_ms["p95_ms"],
            "verify_identifier_p95_ms": identifier_ms["p95_ms"],
            "revoked": revoke,
            "status_list_publish_s": round(publish_s, 3),
            "status_list_bytes": len(token),
        },
        note="real services with ES256 signing: bulk back-issue in batches of 500, and one "
        "transaction per licence; verification through the public API with the status read",
    )


BENCHMARKS = {"licences": licences}
