"""Hypothesis strategies of WFS XML: FES filters from a small grammar and hostile XML documents
(DTDs, entities, deep nesting, padding before the DOCTYPE, UTF-16, junk) for issue 20's fuzzers."""

from __future__ import annotations

from xml.sax.saxutils import escape

from hypothesis import strategies as st

from tests.fuzz.strategies import CRS_CODES, NEAR, floats, junk, number_text

FES = "http://www.opengis.net/fes/2.0"
GML = "http://www.opengis.net/gml/3.2"
PROPERTIES = ("oznaczenie", "numer", "maks_wysokosc", "geometria", "nazwa", "nope", "a/b", "@id")
TYPENAMES = ("dzialki", "wektor-str", "wektor-pow", "obreby", "granice", "gmina-a:dzialki",
             "gmina-b:wektor-str", "x:dzialki", "nope")  # fmt: skip

text = st.sampled_from(["1MN", "12/3", "1*", "%", "", "0", "-1e400", "ąę"]) | junk
prop = st.sampled_from(PROPERTIES) | junk
coordinate = st.sampled_from(NEAR) | floats


def _value(name: str) -> st.SearchStrategy[str]:
    return prop.map(lambda p: f"<fes:{name}>{escape(p)}</fes:{name}>")


def _literal() -> st.SearchStrategy[str]:
    return text.map(lambda t: f"<fes:Literal>{escape(t)}</fes:Literal>")


@st.composite
def envelope(draw) -> str:
    x0, y0, x1, y1 = (number_text(draw(coordinate)) for _ in range(4))
    srs = escape(draw(st.sampled_from(CRS_CODES) | junk), {'"': "&quot;"})
    return (
        f'<gml:Envelope srsName="{srs}"><gml:lowerCorner>{x0} {y0}</gml:lowerCorner>'
        f"<gml:upperCorner>{x1} {y1}</gml:upperCorner></gml:Envelope>"
    )


@st.composite
def polygon(draw) -> str:
    points = draw(st.lists(st.tuples(coordinate, coordinate), min_size=0, max_size=6))
    ring = " ".join(f"{number_text(x)} {number_text(y)}" for x, y in points)
    return (
        '<gml:Polygon gml:id="p"><gml:exterior><gml:LinearRing><gml:posList>'
        f"{ring}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
    )


def _comparison() -> st.SearchStrategy[str]:
    op = st.sampled_from(
        [
            "PropertyIsEqualTo",
            "PropertyIsNotEqualTo",
            "PropertyIsLessThan",
            "PropertyIsGreaterThanOrEqualTo",
            "PropertyIsLike",
            "PropertyIsNull",
            "Bogus",
        ]
    )
    return st.builds(
        lambda o, v, lit: f'<fes:{o} wildCard="*" singleChar="?" escapeChar="!">{v}{lit}</fes:{o}>',
        op,
        _value("ValueReference"),
        _literal() | st.just(""),
    )


def _spatial() -> st.SearchStrategy[str]:
    op = st.sampled_from(["BBOX", "Intersects", "Within", "DWithin", "Beyond", "Contains"])
    return st.builds(
        lambda o, v, g, d: f"<fes:{o}>{v}{g}{d}</fes:{o}>",
        op,
        _value("ValueReference") | st.just(""),
        envelope() | polygon(),
        st.builds(lambda n: f'<fes:Distance uom="m">{number_text(n)}</fes:Distance>', coordinate)
        | st.just(""),
    )


def _resource_id() -> st.SearchStrategy[str]:
    ids = st.sampled_from(["dzialki.1", "wektor-str.1", "1", "dzialki.-1", "dzialki.1e9"]) | junk
    return ids.map(lambda i: f'<fes:ResourceId rid="{escape(i, {chr(34): "&quot;"})}"/>')


predicate = st.recursive(
    _comparison() | _spatial() | _resource_id(),
    lambda inner: st.builds(
        lambda op, parts: f"<fes:{op}>{''.join(parts)}</fes:{op}>",
        st.sampled_from(["And", "Or", "Not"]),
        st.lists(inner, min_size=0, max_size=3),
    ),
    max_leaves=6,
)
fes_filter = predicate.map(
    lambda p: f'<fes:Filter xmlns:fes="{FES}" xmlns:gml="{GML}">{p}</fes:Filter>'
)


@st.composite
def get_feature_xml(draw) -> str:
    version = draw(st.sampled_from(["2.0.0", "1.1.0", "2.0.2", "3.0"]))
    wfs = (
        "http://www.opengis.net/wfs/2.0"
        if version.startswith("2")
        else "http://www.opengis.net/wfs"
    )
    typenames = escape(draw(st.sampled_from(TYPENAMES) | junk), {'"': "&quot;"})
    count = escape(
        draw(st.sampled_from(["5", "0", "-1", "99999999999", ""]) | junk), {'"': "&quot;"}
    )
    sort = draw(prop.map(escape))
    return (
        f'<wfs:GetFeature service="WFS" version="{version}" count="{count}" '
        f'xmlns:wfs="{wfs}" xmlns:fes="{FES}" xmlns:gml="{GML}">'
        f'<wfs:Query typeNames="{typenames}">{draw(fes_filter | st.just(""))}'
        f"<fes:SortBy><fes:SortProperty><fes:ValueReference>{sort}</fes:ValueReference>"
        "</fes:SortProperty></fes:SortBy></wfs:Query></wfs:GetFeature>"
    )


DTD = '<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/hostname"><!ENTITY l "lol">]>'


@st.composite
def hostile_document(draw, document: st.SearchStrategy[str]) -> bytes:
    """A document, then spoiled: DTD (also after a long comment), entity use, deep nesting,
    UTF-16, truncation or junk."""
    xml = draw(document)
    how = draw(st.sampled_from(["plain", "dtd", "padded-dtd", "deep", "utf16", "cut", "junk"]))
    if how == "dtd":
        xml = DTD + xml.replace('">', '">&e;&l;', 1)
    elif how == "padded-dtd":
        xml = f"<!--{'x' * 5000}-->" + DTD + xml
    elif how == "deep":
        depth = draw(st.integers(30, 5000))
        xml = xml.replace("</wfs:Query>", "<a>" * depth + "</a>" * depth + "</wfs:Query>", 1)
    elif how == "cut":
        xml = xml[: draw(st.integers(0, len(xml)))]
    elif how == "junk":
        xml = draw(junk)
    if how == "utf16" or draw(st.integers(0, 9)) == 0:
        return ('<?xml version="1.0" encoding="UTF-16"?>' + DTD + xml).encode(
            "utf-16", "surrogatepass"
        )
    return xml.encode("utf-8", "surrogatepass")
