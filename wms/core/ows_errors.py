"""The OGC exception of every service: its OWS exceptionCode, the parameter at fault, its HTTP status.

The core (feature types, filters, GML literals, paging) raises ``OwsError``; each service turns it
into its own answer: WMS a ServiceExceptionReport (wms/maps/map_errors.py, ``WmsError`` is an
``OwsError``), WFS an OWS ExceptionReport (wms/wfs/exception_report.py), OGC API a JSON problem.
"""

from __future__ import annotations

import logging

from layers.unavailable import is_unavailable

logger = logging.getLogger(__name__)

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


class OwsError(Exception):
    """An OGC exception: ``code`` (OWS exceptionCode), ``locator`` (the parameter) and the text."""

    def __init__(self, code: str, message: str, *, locator: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.locator = locator
        self.message = message

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 400)


def invalid(locator: str, message: str) -> OwsError:
    return OwsError("InvalidParameterValue", message, locator=locator)


def missing(locator: str) -> OwsError:
    return OwsError(
        "MissingParameterValue", f"The parameter {locator} is required.", locator=locator
    )


def database_error(exc: Exception) -> OwsError:
    """A database refusal caused by the request's values (e.g. coordinates PROJ cannot transform).

    The client is told what in its request can cause it; the database's own text goes to the log.
    A database that cannot be reached is not the request's fault: ``exc`` itself is raised again
    (the request answers 503: layers/unavailable.py).
    """
    if is_unavailable(exc):
        raise exc
    logger.info("WFS request refused by the database: %s", exc)
    return OwsError(
        "InvalidParameterValue",
        "The request cannot be evaluated: a coordinate lies where its CRS cannot be converted, "
        "or a value does not fit the type of its property.",
    )
