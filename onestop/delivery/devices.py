"""The lockers' hardware behind one small interface, and the simulator that tests and the
demo use.

A locker's controller opens one compartment's door on command and reports whether it did;
`status` reports a door as closed, open or faulty. The one in use is named by
`settings.ONESTOP_LOCKER_DEVICE` (a dotted path to a class with no constructor arguments),
the simulator by default."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from onestop.delivery.models import Compartment

DoorStatus = Literal["closed", "open", "fault"]


class LockerDevice(Protocol):
    def open(self, compartment: Compartment) -> bool: ...

    def status(self, compartment: Compartment) -> DoorStatus: ...


class SimulatedLockerDevice:
    """Doors in memory: every open is remembered (`opened`, in order), and a compartment in
    `jammed` does not open, as a stuck door would not."""

    opened: ClassVar[list[int]] = []
    jammed: ClassVar[set[int]] = set()
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def open(self, compartment: Compartment) -> bool:
        with self._lock:
            if compartment.pk in self.jammed:
                return False
            self.opened.append(compartment.pk)
            return True

    def status(self, compartment: Compartment) -> DoorStatus:
        if compartment.pk in self.jammed:
            return "fault"
        return "closed"

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls.opened.clear()
            cls.jammed.clear()


DEFAULT_DEVICE = "onestop.delivery.devices.SimulatedLockerDevice"


def locker_device() -> LockerDevice:
    path = getattr(settings, "ONESTOP_LOCKER_DEVICE", DEFAULT_DEVICE)
    device: LockerDevice = import_string(path)()
    return device
