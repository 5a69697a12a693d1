"""Files people upload (a case's materials, a work order's photos): where they are kept and
what they are.

Kept through Django's storage API, so a deployment chooses: a project that defines
`STORAGES[alias]` (an S3-compatible bucket through django-storages, say) gets it; otherwise
the files go to a local directory under `var/` (or the directory a setting names), which is
never served as static or media: a file is read back only through its app's pages, after
that app's permission check.

What a file is comes from its first bytes, never from its name or the browser's word: the
platform accepts PDF, JPEG and PNG.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.files.storage.handler import InvalidStorageError

MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


class SettingDirectoryStorage(FileSystemStorage):
    """A local directory named by a setting, read when a file is written or read rather
    than once at start-up (a model field builds its storage when its class is defined), so
    a test or a management command that changes the setting is obeyed."""

    def __init__(self, *, directory_setting: str, subdirectory: str) -> None:
        super().__init__(base_url=None)
        self.directory_setting = directory_setting
        self.subdirectory = subdirectory

    @property  # type: ignore[override]
    def base_location(self) -> str:
        default = Path(getattr(settings, "VAR_DIR", Path.cwd() / "var")) / self.subdirectory
        return str(getattr(settings, self.directory_setting, "") or default)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage(alias: str, *, directory_setting: str, subdirectory: str) -> Storage:
    """`STORAGES[alias]` if the project defines it, else a local directory: the one the
    setting `directory_setting` names, or `VAR_DIR/subdirectory`."""
    try:
        return storages[alias]
    except InvalidStorageError:
        return SettingDirectoryStorage(
            directory_setting=directory_setting, subdirectory=subdirectory
        )


def sniff(head: bytes) -> str:
    """The content type told by a file's first bytes, or "" if it is none we accept."""
    for magic, content_type in MAGIC:
        if head.startswith(magic):
            return content_type
    return ""


def read_capped(content: IO[bytes], limit: int) -> bytes | None:
    """The file's bytes, or None if it holds more than `limit` (no more is read)."""
    data = content.read(limit + 1)
    return None if len(data) > limit else data
