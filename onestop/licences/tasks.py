"""Background tasks (django-tasks): signing the licences a case's decision issued, once
that decision has committed (decision 0036). `onestop licences sign-pending` runs the same
service for whatever a crash left unsigned."""

from __future__ import annotations

from django_tasks import task

from onestop.licences.services import licences_sign_pending


@task()
def licence_sign_task(licence_id: int) -> int:
    return licences_sign_pending(actor=None, licence_id=licence_id)
