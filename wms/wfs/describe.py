"""DescribeFeatureType: the XSD of the feature types (GML 3.2 or GML 3.1.1 application schema)."""

from __future__ import annotations

from urllib.parse import urlencode
from xml.sax.saxutils import quoteattr

from wms.core.featuretypes import GEOMETRY, FeatureType

XSD_TYPES = {
    "string": "xs:string",
    "integer": "xs:long",
    "double": "xs:double",
    "date": "xs:date",
    "dateTime": "xs:dateTime",
    "boolean": "xs:boolean",
}


def describe_url(base_url: str, types: list[FeatureType], version: str) -> str:
    names = ",".join(t.name for t in types)
    key = "TYPENAMES" if version.startswith("2") else "TYPENAME"
    query = {"SERVICE": "WFS", "VERSION": version, "REQUEST": "DescribeFeatureType", key: names}
    if version.startswith("2"):
        query["NAMESPACES"] = ",".join(
            f"xmlns({p},{u})" for p, u in {t.prefix: t.namespace for t in types}.items()
        )
    return f"{base_url}?{urlencode(query)}"


def _complex_type(ftype: FeatureType, v32: bool) -> str:
    fields = "".join(
        f'<xs:element name="{p.name}" type="{XSD_TYPES[p.xsd]}" minOccurs="0"/>'
        for p in ftype.spec.props
    )
    fields += f'<xs:element name="{GEOMETRY}" type="{ftype.spec.geometry_xsd}" minOccurs="0"/>'
    group = "gml:AbstractFeature" if v32 else "gml:_Feature"
    name = ftype.local_name
    return (
        f'<xs:element name="{name}" type="{ftype.prefix}:{name}Type" substitutionGroup="{group}"/>'
        f'<xs:complexType name="{name}Type"><xs:complexContent>'
        f'<xs:extension base="gml:AbstractFeatureType"><xs:sequence>{fields}</xs:sequence>'
        "</xs:extension></xs:complexContent></xs:complexType>"
    )


def schema_for(types: list[FeatureType], *, version: str, base_url: str) -> str:
    """One namespace: its application schema; several: a schema importing one per namespace."""
    v32 = version.startswith("2")
    gml_ns, gml_xsd = (
        ("http://www.opengis.net/gml/3.2", "http://schemas.opengis.net/gml/3.2.1/gml.xsd")
        if v32
        else ("http://www.opengis.net/gml", "http://schemas.opengis.net/gml/3.1.1/base/gml.xsd")
    )
    namespaces = {t.namespace: t.prefix for t in types}
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if len(namespaces) > 1:
        imports = "".join(
            f'<xs:import namespace="{ns}" schemaLocation={quoteattr(describe_url(base_url, [t for t in types if t.namespace == ns], version))}/>'
            for ns in namespaces
        )
        return (
            head + f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
        )
    (namespace, prefix) = next(iter(namespaces.items()))
    body = "".join(_complex_type(t, v32) for t in types)
    return head + (
        f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:gml="{gml_ns}" '
        f'xmlns:{prefix}="{namespace}" targetNamespace="{namespace}" '
        'elementFormDefault="qualified" version="1.0">'
        f'<xs:import namespace="{gml_ns}" schemaLocation="{gml_xsd}"/>{body}</xs:schema>'
    )
