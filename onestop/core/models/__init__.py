from onestop.core.models.audit import AuditEntry, AuditStreamHead
from onestop.core.models.calendar import CalendarOverride
from onestop.core.models.departments import Department
from onestop.core.models.regions import Region

__all__ = ["AuditEntry", "AuditStreamHead", "CalendarOverride", "Department", "Region"]
