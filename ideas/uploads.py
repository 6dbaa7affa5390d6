"""Uploads stream to a temporary file, never to memory, and stop at a ceiling.

    request.upload_handlers = upload_handlers(request)   # before reading POST

Django writes each chunk to a temporary file as it arrives
(TemporaryFileUploadHandler); the request's worker holds no more than a
chunk in memory whatever the file's size. Past IDEAS_UPLOAD_MAX_MB the upload
is cut short: the view answers "too large" without reading the rest. Each
challenge's own limits (image_max_mb, video_max_mb) are checked by the
service once the file is in. A body that ends inside a file (the sender
cancelled, or the connection dropped) is refused whole: Django would hand the
view the fields read so far, and a text idea would be written without its file.
"""

import logging

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MB = 1024 * 1024


def platform_ceiling() -> int:
    return getattr(settings, "IDEAS_UPLOAD_MAX_MB", 500) * MB


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Stream to a temporary file; stop past `max_bytes` (and remember it)."""

    def __init__(self, request=None, max_bytes: int | None = None):
        super().__init__(request)
        self.max_bytes = max_bytes or platform_ceiling()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            if self.request is not None:
                self.request.upload_too_large = True
            self.file.close()
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)

    def upload_interrupted(self):
        """The body ended before the file did (no closing boundary came)."""
        if self.request is not None:
            self.request.upload_interrupted = True
        logger.info("upload interrupted after %s bytes of a file", self.received)
        super().upload_interrupted()


def upload_handlers(request) -> list:
    request.upload_too_large = False
    request.upload_interrupted = False
    return [LimitedTemporaryFileUploadHandler(request)]


def too_large_error():
    """The error of an upload cut short at the platform's ceiling."""
    from ideas.services import IdeaError

    return IdeaError(
        _("The file is too large: at most %(mb)s MB.") % {"mb": platform_ceiling() // MB},
        code="file_too_large",
        fields={"file": [_("Too large.")]},
    )


def interrupted_error():
    """The error of a request whose body stopped in the middle of a file."""
    from ideas.services import IdeaError

    return IdeaError(
        _("The sending was interrupted before the end: nothing was saved. Please send it again."),
        code="upload_interrupted",
    )
