"""The only module that imports WeasyPrint (and the QR encoder): HTML → A4 PDF bytes.

Fonts: DejaVu Sans from the system (fonts-dejavu-core), embedded and subset by WeasyPrint, so every
Polish letter is in the PDF and its text can be extracted (STACK-NOTES.md §6).
"""

from __future__ import annotations

import base64
import io

import qrcode
from django.conf import settings
from weasyprint import HTML


def html_to_pdf(html: str) -> bytes:
    """Render an HTML document (with its own @page CSS) to PDF bytes."""
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def qr_data_uri(text: str) -> str:
    """A PNG QR code of ``text`` as a data: URI for an <img>."""
    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
