"""Plan documents as downloads: the one answer for a document a user may see.

The view has already checked the permission (the plan is published, or the user is staff of its
gmina). Django streams the file with ``FileResponse`` unless ``DOCUMENTS_ACCEL_REDIRECT`` names an
nginx ``internal`` location over MEDIA_ROOT: then the answer is empty and carries
``X-Accel-Redirect``, so nginx sends the file and no Python worker streams it. MEDIA_ROOT itself is
never served publicly.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from plans.models import PlanDocument

# documents a browser may show inline; anything else (HTML, SVG, XML, …) is a download
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/tiff", "text/plain"}


def document_response(document: PlanDocument) -> HttpResponse:
    """The file of ``document`` (Http404 when it has none, or it is missing on disk)."""
    if not document.file:
        raise Http404("this document has no file")
    name = PurePosixPath(document.file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if settings.DOCUMENTS_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.DOCUMENTS_ACCEL_REDIRECT + quote(document.file.name)
    else:
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("the document's file is missing") from exc
        response = FileResponse(handle, content_type=content_type)
    attachment = content_type not in INLINE_TYPES
    response["Content-Disposition"] = content_disposition_header(attachment, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
