"""Background tasks (django-tasks). The sweep is enqueued by `onestop cases-sweep --enqueue`
and run by `db_worker`."""

from __future__ import annotations

from django_tasks import task

from onestop.cases.services import cases_sweep


@task()
def cases_sweep_task() -> dict[str, int]:
    return cases_sweep()
