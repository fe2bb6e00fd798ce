"""WMS errors carry their OGC exception code; this is the one place that turns them into answers.

XML (default): a ServiceExceptionReport, 1.3.0 (schema exceptions_1_3_0.xsd, ``text/xml``) or
1.1.1 (DTD exception_1_1_1.dtd, ``application/vnd.ogc.se_xml``). For GetMap the client may ask
for ``INIMAGE`` (the message drawn into an image of the requested size and format) or ``BLANK``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse

from wms.core.ows_errors import OwsError

# codes that come from the client's request: HTTP 400; the rest (e.g. a broken data source) 500
CLIENT_CODES = {
    "MissingParameterValue",
    "InvalidParameterValue",
    "InvalidFormat",
    "InvalidCRS",
    "InvalidSRS",
    "LayerNotDefined",
    "LayerNotQueryable",
    "StyleNotDefined",
    "InvalidPoint",
    "OperationNotSupported",
    "CurrentUpdateSequence",
    "InvalidUpdateSequence",
    "MissingDimensionValue",
    "InvalidDimensionValue",
    "VersionNegotiationFailed",
}
EXCEPTION_FORMATS_130 = ("XML", "INIMAGE", "BLANK")
EXCEPTION_FORMATS_111 = (
    "application/vnd.ogc.se_xml",
    "application/vnd.ogc.se_inimage",
    "application/vnd.ogc.se_blank",
)


class WmsError(OwsError):
    """A WMS exception (e.g. LayerNotDefined): the OWS error with the WMS's own HTTP statuses."""

    @property
    def status(self) -> int:
        return 400 if self.code in CLIENT_CODES else 500


@dataclass(frozen=True)
class ImageContext:
    """How a GetMap wanted its image: used by INIMAGE / BLANK exceptions."""

    width: int
    height: int
    mime: str
    transparent: bool
    bgcolor: str


def exception_mode(raw: str) -> str:
    """XML, INIMAGE or BLANK from an EXCEPTIONS value of either version (unknown -> XML)."""
    value = (raw or "").strip().lower()
    if value.endswith("inimage"):
        return "INIMAGE"
    if value.endswith("blank"):
        return "BLANK"
    return "XML"


def report_xml(error: WmsError, version: str) -> str:
    locator = f" locator={quoteattr(error.locator)}" if error.locator else ""
    text = escape(error.message)
    if version == "1.1.1":
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            "<!DOCTYPE ServiceExceptionReport SYSTEM "
            '"http://schemas.opengis.net/wms/1.1.1/exception_1_1_1.dtd">\n'
            '<ServiceExceptionReport version="1.1.1">'
            f"<ServiceException code={quoteattr(error.code)}>{text}</ServiceException>"
            "</ServiceExceptionReport>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ServiceExceptionReport version="1.3.0" xmlns="http://www.opengis.net/ogc" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.opengis.net/ogc '
        'http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd">'
        f"<ServiceException code={quoteattr(error.code)}{locator}>{text}</ServiceException>"
        "</ServiceExceptionReport>\n"
    )


def exception_response(
    error: WmsError,
    *,
    version: str = "1.3.0",
    mode: str = "XML",
    image: ImageContext | None = None,
) -> HttpResponse:
    if mode in ("INIMAGE", "BLANK") and image is not None:
        body = _image(error.message if mode == "INIMAGE" else "", image)
        return HttpResponse(body, content_type=image.mime)
    content_type = "application/vnd.ogc.se_xml" if version == "1.1.1" else "text/xml"
    return HttpResponse(
        report_xml(error, version),
        content_type=f"{content_type}; charset=utf-8",
        status=error.status,
    )


def _image(message: str, ctx: ImageContext) -> bytes:
    from PIL import Image, ImageDraw

    jpeg = ctx.mime == "image/jpeg"
    mode = "RGBA" if ctx.transparent and not jpeg else "RGB"
    rgb = tuple(int(ctx.bgcolor[i : i + 2], 16) for i in (1, 3, 5))
    fill = (*rgb, 0) if mode == "RGBA" else rgb
    img = Image.new(mode, (ctx.width, ctx.height), fill)
    if message:
        draw = ImageDraw.Draw(img)
        y = 4
        for line in _wrap(message, max(10, ctx.width // 7)):
            draw.text((4, y), line, fill=(200, 0, 0, 255) if mode == "RGBA" else (200, 0, 0))
            y += 14
    buf = io.BytesIO()
    if jpeg:
        img.save(buf, "JPEG", quality=85)
    elif "8bit" in ctx.mime:
        img.convert("P", palette=Image.Palette.ADAPTIVE).save(buf, "PNG")
    else:
        img.save(buf, "PNG")
    return buf.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines
