"""Files only a view may hand out: stored outside MEDIA_ROOT, with no URL of their own."""

from functools import cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage


@cache
def _storage(location):
    return FileSystemStorage(location=location, base_url=None)


def private_storage():
    """The storage of attachments (a callable, so that migrations name it, not its path)."""
    return _storage(str(settings.PRIVATE_MEDIA_ROOT))
