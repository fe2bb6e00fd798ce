"""OWS ExceptionReport of the WFS: 1.1 for WFS 2.0.0, 1.0 for WFS 1.1.0."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse

from wms.core.ows_errors import OwsError

OWS11 = "http://www.opengis.net/ows/1.1"
OWS10 = "http://www.opengis.net/ows"


def exception_report(error: OwsError, *, version: str = "2.0.0") -> HttpResponse:
    """OWS 1.1 ExceptionReport (WFS 2.0.0) or OWS 1.0 (WFS 1.1.0)."""
    ows, ows_version, schema = (
        (OWS10, "1.1.0", "http://schemas.opengis.net/ows/1.0.0/owsExceptionReport.xsd")
        if version.startswith("1.")
        else (OWS11, "2.0.0", "http://schemas.opengis.net/ows/1.1.0/owsExceptionReport.xsd")
    )
    locator = f" locator={quoteattr(error.locator)}" if error.locator else ""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<ows:ExceptionReport xmlns:ows="{ows}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{ows} {schema}" version="{ows_version}" xml:lang="en">'
        f'<ows:Exception exceptionCode="{error.code}"{locator}>'
        f"<ows:ExceptionText>{escape(error.message)}</ows:ExceptionText>"
        "</ows:Exception></ows:ExceptionReport>"
    )
    return HttpResponse(body, status=error.status, content_type="application/xml; charset=utf-8")
