"""WFS errors carry their OWS exception code and HTTP status; one place turns them into a report."""

from __future__ import annotations

import logging
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse

logger = logging.getLogger(__name__)
OWS11 = "http://www.opengis.net/ows/1.1"
OWS10 = "http://www.opengis.net/ows"

STATUS = {
    "OperationParsingFailed": 400,
    "InvalidParameterValue": 400,
    "MissingParameterValue": 400,
    "OptionNotSupported": 400,
    "OperationNotSupported": 400,
    "VersionNegotiationFailed": 400,
    "InvalidUpdateSequence": 400,
    "NoApplicableCode": 400,
    "OperationProcessingFailed": 403,
    "NotFound": 404,
    "ResponseCacheExpired": 403,
}


class WFSError(Exception):
    """An OGC exception: ``code`` (OWS exceptionCode), ``locator`` (the parameter) and the text."""

    def __init__(self, code: str, message: str, *, locator: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.locator = locator
        self.message = message

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 400)


def invalid(locator: str, message: str) -> WFSError:
    return WFSError("InvalidParameterValue", message, locator=locator)


def missing(locator: str) -> WFSError:
    return WFSError(
        "MissingParameterValue", f"The parameter {locator} is required.", locator=locator
    )


def database_error(exc: Exception) -> WFSError:
    """A database refusal caused by the request's values (e.g. coordinates PROJ cannot transform).

    The client is told what in its request can cause it; the database's own text goes to the log.
    """
    logger.info("WFS request refused by the database: %s", exc)
    return WFSError(
        "InvalidParameterValue",
        "The request cannot be evaluated: a coordinate lies where its CRS cannot be converted, "
        "or a value does not fit the type of its property.",
    )


def exception_report(error: WFSError, *, version: str = "2.0.0") -> HttpResponse:
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
