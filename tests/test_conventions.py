"""The platform's conventions, checked over the code rather than trusted.

Every writing service (a public function of an app's `services` that takes an `actor`) is
declared `@audited` (core.service), so forgetting its audit or timeline entry breaks it at
once. A function that takes an actor but writes nothing worth an entry says why in its
module's `NOT_AUDITED` table.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

# Where each app's writing services live: its `services` (a module or a package), and for
# core its sub-domain modules. An app joins when its services are audited.
SERVICE_MODULES: dict[str, list[str]] = {
    "core": [
        "onestop.core.workdays",
        "onestop.core.regions",
        "onestop.core.departments",
        "onestop.core.pii",
    ],
    "identity": ["onestop.identity.services"],
    "catalog": [
        "onestop.catalog.services",
        "onestop.catalog.importing",
        "onestop.catalog.demo",
    ],
    "ratings": ["onestop.ratings.services"],
    "hotline": ["onestop.hotline.services"],
    "cases": ["onestop.cases.services"],
    "licences": ["onestop.licences.services"],
    "delivery": ["onestop.delivery.services"],
    "notifications": ["onestop.notifications.services"],
    "search": ["onestop.search.services"],
    "hall": ["onestop.hall.services"],
    "centres": ["onestop.centres.services"],
    "appointments": ["onestop.appointments.services"],
}


def _service_modules(app: str) -> list[ModuleType]:
    modules = []
    for name in SERVICE_MODULES[app]:
        root = importlib.import_module(name)
        modules.append(root)
        if hasattr(root, "__path__"):
            # A package's underscore modules are its internals, called by its audited services.
            modules.extend(
                importlib.import_module(f"{root.__name__}.{info.name}")
                for info in pkgutil.iter_modules(root.__path__)
                if not info.name.startswith("_")
            )
    return modules


def _writing_services(module: ModuleType) -> list[str]:
    names = []
    for name, function in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(function):
            continue
        if function.__module__ != module.__name__:
            continue
        if "actor" in inspect.signature(inspect.unwrap(function)).parameters:
            names.append(name)
    return names


@pytest.mark.parametrize("app", sorted(SERVICE_MODULES))
def test_every_service_that_takes_an_actor_is_audited(app):
    unaudited = []
    for module in _service_modules(app):
        excused = getattr(module, "NOT_AUDITED", {})
        for name in _writing_services(module):
            function = getattr(module, name)
            if not hasattr(function, "audited") and name not in excused:
                unaudited.append(f"{module.__name__}.{name}")
    assert unaudited == []
