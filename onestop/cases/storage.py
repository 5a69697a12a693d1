"""Where uploaded materials are kept: Django's storage API, so a deployment chooses.

A project that defines `STORAGES["case_files"]` (an S3-compatible bucket through
django-storages, say) gets it; otherwise files go to the local directory
`ONESTOP_CASE_FILES_DIR` (default `var/case-files`), which is never served as static or media:
files are read back only through the case's pages, after the case's permission check.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.files.storage.handler import InvalidStorageError

ALIAS = "case_files"


def case_files_storage() -> Storage:
    try:
        return storages[ALIAS]
    except InvalidStorageError:
        default = Path(getattr(settings, "VAR_DIR", Path.cwd() / "var")) / "case-files"
        location = getattr(settings, "ONESTOP_CASE_FILES_DIR", "") or str(default)
        return FileSystemStorage(location=location, base_url=None)
