"""Background tasks (django-tasks): the figures' daily rollup, for `db_worker`."""

from __future__ import annotations

from django_tasks import task

from onestop.hotline.metrics import rollup_days


@task()
def hotline_rollup_task() -> dict[str, int]:
    return rollup_days().as_dict()
