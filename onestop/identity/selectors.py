"""Reads of identities. Lookups by identifier go through the blind index: the tables hold
no plaintext to compare with. Showing an identifier in full is not a plain read: it is
`services.person_reveal`, which checks a purpose and writes an audit entry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from onestop.core import pii
from onestop.core.access import Actor, Role
from onestop.core.errors import NotFound
from onestop.core.ids import normalize_resident_id, normalize_uscc
from onestop.core.pii import PiiKind
from onestop.identity import policies
from onestop.identity.enums import ErrorCode
from onestop.identity.models import ApiToken, Enterprise, Person, RoleAssignment, User
from onestop.identity.policies import Permission
from onestop.identity.values import mask_name, normalize_phone, normalize_social_security_no


def person_find_by_id_number(value: str) -> Person | None:
    """The person with this resident ID number (15 or 18 characters), or None.
    A malformed number raises invalid_resident_id."""
    index = pii.blind_index(PiiKind.RESIDENT_ID, normalize_resident_id(value))
    return Person.objects.filter(id_number_index=index).first()


def persons_find_by_id_numbers(values: Iterable[str]) -> dict[str, Person]:
    """The registered persons among these resident ID numbers (normalised ones), by number,
    in one query: for bulk work that would otherwise look each up."""
    by_index = {pii.blind_index(PiiKind.RESIDENT_ID, value): value for value in values}
    found = Person.objects.filter(id_number_index__in=list(by_index))
    return {by_index[person.id_number_index]: person for person in found}


def enterprises_find_by_usccs(values: Iterable[str]) -> dict[str, Enterprise]:
    """The registered enterprises among these (normalised) USCCs, by code, in one query."""
    return {e.uscc: e for e in Enterprise.objects.filter(uscc__in=list(set(values)))}


def person_find_by_phone(value: str) -> Person | None:
    index = pii.blind_index(PiiKind.PHONE, normalize_phone(value))
    return Person.objects.filter(phone_index=index).first()


def person_find_by_card(card_number: str) -> Person | None:
    """The person holding this social-security card number, or None."""
    number = normalize_social_security_no(card_number)
    index = pii.blind_index(PiiKind.SOCIAL_SECURITY_NO, number)
    return Person.objects.filter(social_security_no_index=index).first()


def account_find_by_username(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def enterprise_find_by_uscc(value: str) -> Enterprise | None:
    return Enterprise.objects.filter(uscc=normalize_uscc(value)).first()


def staff_home_roles(user: Actor | None) -> list[RoleAssignment]:
    """The role assignments a staff home shows: in the order of the Role enum, then as
    assigned. Empty for citizens, machines, inactive and anonymous users."""
    order = {role.value: n for n, role in enumerate(Role)}
    assignments = user.role_assignments() if isinstance(user, User) else []
    return sorted(assignments, key=lambda a: (order.get(a.role, len(order)), a.pk))


def _not_found() -> NotFound:
    return NotFound(ErrorCode.NOT_FOUND, _("No such person."))


def access_person(actor: Actor | None, person_id: Any, *, for_update: bool = False) -> Person:
    """The person, if `actor` may see them; NotFound otherwise, whether the person is
    missing or outside the actor's reach, so ids cannot be probed."""
    if isinstance(person_id, bool):
        raise _not_found()
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise _not_found() from None
    persons = Person.objects.select_related("region")
    if for_update:
        persons = persons.select_for_update(of=("self",))
    person = persons.filter(pk=pk).first()
    if person is None or not policies.RULES.can(actor, Permission.PERSON_VIEW, person.place):
        raise _not_found()
    return person


def access_person_public(actor: Actor | None, public_id: Any) -> Person:
    """The person with this public id (what the API and pages call them), if `actor` may
    see them; NotFound otherwise, as `access_person`."""
    pk = (
        Person.objects.filter(public_id=str(public_id)[:32]).values_list("pk", flat=True).first()
        if public_id
        else None
    )
    return access_person(actor, pk)


def person_summary(person: Person) -> dict[str, Any]:
    """What any screen or audit entry may show of a person: masked values only."""
    return {
        "name": mask_name(person.name),
        "id_number": person.id_number_masked,
        "phone": person.phone_masked,
        "social_security_no": person.social_security_no_masked,
        "sex": person.sex,
        "real_name_level": person.real_name_level,
    }


def access_token_owner(actor: Actor | None, user_id: Any) -> User:
    """The account whose tokens `actor` wants to manage: their own, or any staff or machine
    account for a platform admin. NotFound otherwise."""
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        raise NotFound(ErrorCode.NOT_FOUND, _("No such account.")) from None
    user = User.objects.filter(pk=pk).first()
    if user is None or not policies.RULES.can(actor, Permission.TOKEN_MANAGE, user.place):
        raise NotFound(ErrorCode.NOT_FOUND, _("No such account."))
    return user


def api_token_list(*, actor: Actor, user_id: Any = None) -> QuerySet[ApiToken]:
    """The tokens of one account (the actor's own by default), newest first."""
    owner = access_token_owner(actor, user_id if user_id is not None else actor.pk)
    return ApiToken.objects.filter(user=owner).order_by("-created_at", "-pk")


def person_get(person_id: int) -> Person:
    """A person by id, for a service that holds the id from its own work (a card it
    identified, a booking it checked in) and puts them on a record: not an access check, so
    never for an id a caller typed."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise _not_found()
    return person
