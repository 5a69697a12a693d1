from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_RESIDENT_ID = "invalid_resident_id"
    INVALID_USCC = "invalid_uscc"
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_DEPARTMENT = "unknown_department"
    INVALID_DATE_RANGE = "invalid_date_range"
    DEADLINE_STATE = "deadline_state"
    NOT_ALLOWED = "not_allowed"
    CALENDAR_OVERRIDE_NOT_FOUND = "calendar_override_not_found"
    INVALID_CALENDAR_OVERRIDE = "invalid_calendar_override"
    INVALID_FIXTURE = "invalid_fixture"
