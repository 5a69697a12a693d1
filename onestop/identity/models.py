from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from onestop.core.access import Grant, Place, Role
from onestop.core.pii import PiiKind, index_field, masked_field, sealed_field
from onestop.identity.enums import STAFF_KINDS, AccountKind, RealNameLevel, Sex
from onestop.identity.values import new_public_id


class Person(models.Model):
    """A natural person (自然人), whether or not they have an account: the social-security
    card and the resident ID are how a hall or kiosk knows them (一卡)."""

    PII_FIELDS = {
        "id_number": PiiKind.RESIDENT_ID,
        "phone": PiiKind.PHONE,
        "social_security_no": PiiKind.SOCIAL_SECURITY_NO,
    }

    # What the API and pages call the person by; the primary key stays internal, so ids
    # cannot be counted through.
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    name = models.CharField(max_length=60)
    id_number_sealed = sealed_field()
    id_number_index = index_field(unique=True)
    id_number_masked = masked_field("resident ID")
    sex = models.CharField(max_length=1, choices=Sex.choices)
    birth_date = models.DateField()
    phone_sealed = sealed_field()
    phone_index = index_field(unique=True)
    phone_masked = masked_field("phone")
    social_security_no_sealed = sealed_field()
    social_security_no_index = index_field(unique=True)
    social_security_no_masked = masked_field("social-security card")
    real_name_level = models.PositiveSmallIntegerField(
        choices=RealNameLevel.choices, default=RealNameLevel.UNVERIFIED
    )
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} {self.id_number_masked}"

    @property
    def place(self) -> Place:
        # Grid roles are bound to where a person lives; every other role serves anyone.
        region_code = self.region.code if self.region is not None else ""
        return Place(region_code=region_code, person_id=self.pk)


class Enterprise(models.Model):
    """A legal person (法人), known by its Unified Social Credit Code."""

    name = models.CharField(max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    legal_representative = models.CharField(max_length=60)
    legal_representative_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="enterprises"
    )
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    def create_user(self, username: str, password: str | None = None, **extra) -> User:
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True, kind=AccountKind.STAFF)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A sign-in account: staff, a citizen (with a Person), or a machine client (kiosk,
    partner system) that calls the API with tokens."""

    username = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=10, choices=AccountKind.choices)
    display_name = models.CharField(max_length=100, blank=True)
    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="account"
    )
    preferred_language = models.CharField(max_length=10, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="may open the Django admin")
    date_joined = models.DateTimeField(default=timezone.now)

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An account is always an instance of its kind's type (StaffUser, Citizen, ...),
        # whether it was read from the database or built in memory. A deferred `kind` is
        # left alone rather than read with a query of its own.
        account_type = ACCOUNT_TYPES.get(self.__dict__.get("kind", ""))
        if account_type is not None and type(self) is not account_type:
            self.__class__ = account_type

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def audit_label(self) -> str:
        return f"{self.kind}:{self.username}"

    @property
    def place(self) -> Place:
        return Place(account_id=self.pk)

    def role_assignments(self) -> list[RoleAssignment]:
        """This account's role assignments with their department and region, read once per
        instance (an instance lives for one request). Only active staff and devices hold
        roles."""
        cached = self.__dict__.get("_role_assignments")
        if cached is None:
            if self.pk is None or not self.is_active or self.kind not in STAFF_KINDS:
                cached = []
            else:
                cached = list(self.roles.select_related("department", "region").order_by("id"))
            self.__dict__["_role_assignments"] = cached
        return cached

    def grants(self) -> tuple[Grant, ...]:
        """The roles this account holds and where (core.access). A superuser holds the
        platform admin's, whatever is assigned."""
        cached = self.__dict__.get("_grants")
        if cached is None:
            cached = tuple(
                Grant(
                    role=a.role,
                    centre_id=a.centre_id,
                    department_id=a.department_id,
                    region_code=a.region.code if a.region is not None else "",
                    grid_id=a.grid_id,
                )
                for a in self.role_assignments()
            )
            if self.is_superuser and self.is_active and self.kind == AccountKind.STAFF:
                cached += (Grant(role=Role.PLATFORM_ADMIN),)
            self.__dict__["_grants"] = cached
        return cached

    def forget_role_assignments(self) -> None:
        self.__dict__.pop("_role_assignments", None)
        self.__dict__.pop("_grants", None)


class _KindManager(UserManager):
    """The accounts of one kind, as instances of that kind's type."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def get_queryset(self) -> models.QuerySet[User]:
        return super().get_queryset().filter(kind=self.kind)


class StaffUser(User):
    """A member of staff: clerks, managers, approvers, agents, handlers, grid workers,
    stewards and platform admins. What they may do comes from their role assignments."""

    objects = _KindManager(AccountKind.STAFF)  # type: ignore[assignment,misc]

    class Meta:
        proxy = True


class Citizen(User):
    """A citizen's own account, always with their Person (一卡: one identity)."""

    objects = _KindManager(AccountKind.CITIZEN)  # type: ignore[assignment,misc]

    class Meta:
        proxy = True


class HallDevice(User):
    """A kiosk or call-board screen of one centre (its hall_device role says which)."""

    objects = _KindManager(AccountKind.DEVICE)  # type: ignore[assignment,misc]

    class Meta:
        proxy = True


class ApiClient(User):
    """A partner system or script calling the API with tokens."""

    objects = _KindManager(AccountKind.MACHINE)  # type: ignore[assignment,misc]

    class Meta:
        proxy = True


ACCOUNT_TYPES: dict[str, type[User]] = {
    AccountKind.STAFF: StaffUser,
    AccountKind.CITIZEN: Citizen,
    AccountKind.DEVICE: HallDevice,
    AccountKind.MACHINE: ApiClient,
}


class RoleAssignment(models.Model):
    """One role held by one staff user, scoped to where it applies (identity.enums.ROLE_SCOPE):
    a centre, a department, a region or a grid. Centre and grid ids point into the hall and
    grid apps, which own those tables."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        "core.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    centre_id = models.BigIntegerField(null=True, blank=True)
    grid_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "department", "region", "centre_id", "grid_id"],
                name="role_assignment_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role}"


class ApiToken(models.Model):
    """A machine client's bearer token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SmsSignInCode(models.Model):
    """A one-time sign-in code sent by SMS. Only its hash is stored."""

    phone_index = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    # Who asked: codes are capped per address as well as per number.
    ip = models.CharField(max_length=45, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"SMS code #{self.pk}"


class SignInFailure(models.Model):
    """One failed sign-in, counted per account key and per address to throttle guessing."""

    subject = models.CharField(max_length=64, db_index=True, help_text="hashed account key")
    ip = models.CharField(max_length=45, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"failure #{self.pk} at {self.at:%Y-%m-%d %H:%M}"
