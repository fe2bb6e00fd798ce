"""WMS test helpers: map requests over gmina A / B of tests/conftest.py, offline OGC validation."""

from __future__ import annotations

import io
import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from lxml import etree
from PIL import Image

from tests.conftest import A_ORIGIN, B_ORIGIN
from tests.offline_schemas import OfflineResolver
from wms.maps.render import clear_map_cache

# 600 x 600 px at 1 m per pixel over gmina A: zones 1MN (E +100..+300), 1KDD, 1U (E +312..+500),
# N +100..+400; pixel (i, j) is E = x0 + i + 0.5, N = y0 + 600 - j - 0.5.
AX, AY = A_ORIGIN
A_BBOX = (AX, AY, AX + 600, AY + 600)
MN_PIXEL = (150, 450)  # E +150, N +150: inside 1MN, away from its label
U_PIXEL = (450, 450)  # inside 1U
OUTSIDE_PIXEL = (550, 50)  # E +550, N +550: no plan
BX, BY = B_ORIGIN
DRAFT_BBOX = (BX + 500, BY + 500, BX + 1000, BY + 1000)  # 9MW of the unpublished draft: +600..+900
MN_RGB = (0xD9, 0xB4, 0x73)
U_RGB = (0xFF, 0x6C, 0x69)
MW_RGB = (0x9A, 0x7C, 0x64)


@pytest.fixture(autouse=True)
def _fresh_image_cache():
    cache.clear()
    yield
    cache.clear()
    clear_map_cache()  # loaded Mapnik maps hold PostGIS datasources of this test database


def getmap_url(path: str = "/gmina-a/ows", *, version: str = "1.3.0", **extra) -> str:
    x0, y0, x1, y1 = A_BBOX
    params = {
        "SERVICE": "WMS",
        "VERSION": version,
        "REQUEST": "GetMap",
        "LAYERS": "wektor-str",
        "STYLES": "",
        "WIDTH": 600,
        "HEIGHT": 600,
        "FORMAT": "image/png",
    }
    if version == "1.3.0":
        params.update(CRS="EPSG:2180", BBOX=f"{y0},{x0},{y1},{x1}")
    else:
        params.update(SRS="EPSG:2180", BBOX=f"{x0},{y0},{x1},{y1}")
    params.update(extra)
    return f"{path}?{urlencode(params)}"


def image(body: bytes) -> Image.Image:
    return Image.open(io.BytesIO(body))


def rgb_at(body: bytes, pixel: tuple[int, int]) -> tuple[int, int, int]:
    return image(body).convert("RGB").getpixel(pixel)


def close(rgb, expected, tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, expected, strict=True))


# -- offline validation (schemas/ogc/SOURCES.md, pattern B) ---------------------------------


def offline_parser(*, dtd: bool = False) -> etree.XMLParser:
    parser = etree.XMLParser(
        no_network=True, load_dtd=dtd, dtd_validation=dtd, resolve_entities=False
    )
    parser.resolvers.add(OfflineResolver())
    return parser


def schema(url: str, *more: str) -> etree.XMLSchema:
    imports = "".join(
        f'<xs:import namespace="{_namespace_of(u)}" schemaLocation="{u}"/>' for u in (url, *more)
    )
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    compiled = etree.XMLSchema(
        etree.fromstring(wrapper.encode(), offline_parser(), base_url="file:///tmp/wrapper.xsd")
    )
    bad = [
        e.message for e in compiled.error_log if re.search(r"failed to load|offline:", e.message)
    ]
    assert not bad, bad
    return compiled


def _namespace_of(url: str) -> str:
    return {
        "capabilities_1_3_0.xsd": "http://www.opengis.net/wms",
        "exceptions_1_3_0.xsd": "http://www.opengis.net/ogc",
        "sld_capabilities.xsd": "http://www.opengis.net/sld",
    }[url.rsplit("/", 1)[-1]]


def assert_valid_130(body: bytes, xsd: str = "capabilities_1_3_0.xsd") -> etree._Element:
    doc = etree.fromstring(body, offline_parser())
    # capabilities also list sld:GetLegendGraphic (an extended operation of SLD 1.1.0)
    more = ("http://schemas.opengis.net/sld/1.1.0/sld_capabilities.xsd",) if "capab" in xsd else ()
    validator = schema(f"http://schemas.opengis.net/wms/1.3.0/{xsd}", *more)
    assert validator.validate(doc), [(e.line, e.message) for e in validator.error_log][:5]
    return doc


def assert_valid_dtd(body: bytes) -> etree._Element:
    """WMS 1.1.1 documents name their DTD in DOCTYPE; parsing with validation raises if invalid."""
    return etree.fromstring(body, offline_parser(dtd=True))
