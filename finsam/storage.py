"""Files only a view may hand out: stored outside MEDIA_ROOT, with no URL of their own."""

import os
from functools import cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """PRIVATE_MEDIA_ROOT as it is set now (read at each use, so a test's own folder holds)."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


@cache
def private_storage():
    """The storage of attachments (a callable, so that migrations name it, not its path)."""
    return PrivateStorage()
