"""Writes to enterprises (法人), known by their Unified Social Credit Code."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from onestop.core.audit import audit_record
from onestop.core.errors import Conflict
from onestop.core.ids import normalize_uscc
from onestop.core.models import Region
from onestop.identity import policies
from onestop.identity.enums import ErrorCode
from onestop.identity.models import Enterprise, Person
from onestop.identity.policies import Permission
from onestop.identity.values import mask_name, normalize_name

ENTERPRISE_NAME_MAX_LENGTH = 200


def _duplicate(uscc: str) -> Conflict:
    return Conflict(
        ErrorCode.DUPLICATE_ENTERPRISE,
        _("An enterprise with this unified social credit code is already registered."),
        uscc=uscc,
    )


def enterprise_register(
    *,
    actor: Any,
    name: str,
    uscc: str,
    legal_representative: str,
    legal_representative_person: Person | None = None,
    region: Region | None = None,
) -> Enterprise:
    """Register a legal person. The USCC is public register data and is stored as is; the
    legal representative's name is audited masked like any other person's."""
    policies.RULES.require(actor, Permission.ENTERPRISE_REGISTER)
    name = normalize_name(name, max_length=ENTERPRISE_NAME_MAX_LENGTH)
    code = normalize_uscc(uscc)
    representative = normalize_name(legal_representative)
    with transaction.atomic():
        if Enterprise.objects.filter(uscc=code).exists():
            raise _duplicate(code)
        enterprise = Enterprise(
            name=name,
            uscc=code,
            legal_representative=representative,
            legal_representative_person=legal_representative_person,
            region=region,
        )
        try:
            with transaction.atomic():
                enterprise.save(force_insert=True)
        except IntegrityError:
            raise _duplicate(code) from None
        audit_record(
            actor=actor,
            action="enterprise.register",
            obj=enterprise,
            after={
                "name": name,
                "uscc": code,
                "legal_representative": mask_name(representative),
                "legal_representative_person_id": getattr(legal_representative_person, "pk", None),
            },
        )
    return enterprise
