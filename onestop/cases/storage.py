"""Where uploaded materials are kept: Django's storage API, so a deployment chooses.

A project that defines `STORAGES["case_files"]` (an S3-compatible bucket through
django-storages, say) gets it; otherwise files go to the local directory
`ONESTOP_CASE_FILES_DIR` (default `var/case-files`), which is never served as static or media:
files are read back only through the case's pages, after the case's permission check.
"""

from __future__ import annotations

from django.core.files.storage import Storage

from onestop.core.uploads import private_storage

ALIAS = "case_files"


def case_files_storage() -> Storage:
    return private_storage(
        ALIAS, directory_setting="ONESTOP_CASE_FILES_DIR", subdirectory="case-files"
    )
