"""What every page's layout needs: the navigation for the signed-in user and the page's
language tag."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from onestop.core.access import Role
from onestop.identity.actors import optional_actor
from onestop.portal import policies
from onestop.portal.navigation import (
    ANONYMOUS_NAVIGATION,
    CITIZEN_NAVIGATION,
    ROLE_NAVIGATION,
    STAFF_HOME,
    STAFF_NAVIGATION,
    NavEntry,
)

# Django's language codes are lower case; HTML's lang wants BCP 47 script subtags.
_HTML_LANG = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}


def html_lang(code: str | None) -> str:
    code = (code or "zh-hans").lower()
    return _HTML_LANG.get(code, code)


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class NavGroup:
    links: list[NavLink]
    # The role a group belongs to; the common group at the top has none.
    role: str = ""
    label: str = ""


def _url(entry: NavEntry) -> str | None:
    if entry.target.startswith("/"):
        url = entry.target
    else:
        try:
            url = reverse(entry.target)
        except NoReverseMatch:
            return None
    return f"{url}#{entry.fragment}" if entry.fragment else url


class Navigation:
    """Built on first use, so pages that show no navigation (the admin site) cost no query."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.user = optional_actor(request)

    def _links(self, entries: tuple[NavEntry, ...], seen: set[str]) -> list[NavLink]:
        links = []
        admin_site = policies.can_open_admin_site(self.user)
        for entry in entries:
            if entry.needs_admin_site and not admin_site:
                continue
            url = _url(entry)
            if url is None or url in seen:
                continue
            seen.add(url)
            current = not entry.fragment and url == self.request.path
            links.append(NavLink(label=str(entry.label), url=url, current=current))
        return links

    @cached_property
    def groups(self) -> list[NavGroup]:
        seen: set[str] = set()
        user = self.user
        if user is None:
            return [NavGroup(links=self._links(ANONYMOUS_NAVIGATION, seen))]
        if not policies.is_staff_account(user):
            return [NavGroup(links=self._links(CITIZEN_NAVIGATION, seen))]
        groups = [NavGroup(links=self._links(STAFF_NAVIGATION, seen))]
        for role in policies.roles_held(user):
            links = self._links(ROLE_NAVIGATION[role], seen)
            if links:
                groups.append(NavGroup(links=links, role=role.value, label=str(role.label)))
        return groups

    def tools_for(self, role: Role) -> list[NavLink]:
        """The role's entries other than its own home: what its staff home panel offers."""
        entries = tuple(e for e in ROLE_NAVIGATION[role] if e.target != STAFF_HOME)
        return self._links(entries, set())

    @cached_property
    def role_groups(self) -> list[NavGroup]:
        return [group for group in self.groups if group.role]

    @cached_property
    def links(self) -> list[NavLink]:
        return [link for group in self.groups for link in group.links]


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav": Navigation(request), "html_lang": html_lang(get_language())}
