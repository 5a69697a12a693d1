"""Background tasks (django-tasks). The sweep is enqueued by `onestop appointments-sweep
--enqueue` (for a scheduler that can only start short commands) and run by `db_worker`."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from onestop.appointments.services import appointments_sweep


@task()
def appointments_sweep_task() -> dict[str, int]:
    return asdict(appointments_sweep())
