from onestop.core.models.audit import AuditChainHead, AuditEntry
from onestop.core.models.calendar import CalendarOverride
from onestop.core.models.departments import Department
from onestop.core.models.regions import Region

__all__ = ["AuditChainHead", "AuditEntry", "CalendarOverride", "Department", "Region"]
