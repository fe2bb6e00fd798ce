"""GetCapabilities of WFS 2.0.0 (OWS 1.1, FES 2.0) and WFS 1.1.0 (OWS 1.0, Filter 1.1)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from layers.crs import OFFERED_CODES, parse_crs
from layers.models import Municipality
from wms.core.featuretypes import POLAND_WGS84, FeatureType, wgs84_extents
from wms.core.fes import CONFORMANCE, SPATIAL
from wms.core.paging import DEFAULT_COUNT
from wms.core.query import EXACT_HITS_LIMIT, EXACT_MATCHED_LIMIT
from wms.wfs.storedqueries import STORED_QUERIES

OUTPUT_FORMATS_20 = [
    "application/gml+xml; version=3.2",
    "text/xml; subtype=gml/3.1.1",
    "application/json",
    "text/csv",
]
APP_FORMATS = [
    "application/gml+xml; version=3.2; profile=app-3.0",
    "application/gml+xml; version=3.2; profile=app-2.0",
]
OUTPUT_FORMATS_11 = ["text/xml; subtype=gml/3.1.1", "application/json", "text/csv"]
COMPARISON_20 = [
    "PropertyIsEqualTo",
    "PropertyIsNotEqualTo",
    "PropertyIsLessThan",
    "PropertyIsGreaterThan",
    "PropertyIsLessThanOrEqualTo",
    "PropertyIsGreaterThanOrEqualTo",
    "PropertyIsLike",
    "PropertyIsNull",
    "PropertyIsNil",
    "PropertyIsBetween",
]
COMPARISON_11 = [
    "LessThan",
    "GreaterThan",
    "LessThanEqualTo",
    "GreaterThanEqualTo",
    "EqualTo",
    "NotEqualTo",
    "Like",
    "Between",
    "NullCheck",
]
GEOMETRY_OPERANDS = [
    "gml:Envelope",
    "gml:Point",
    "gml:LineString",
    "gml:Polygon",
    "gml:MultiSurface",
    "gml:MultiCurve",
    "gml:MultiPoint",
]
COUNTING_NOTE = (
    "numberMatched and RESULTTYPE=hits are exact up to {hits} features and the database planner's "
    "estimate above; numberMatched of a result page is exact up to {page} features and 'unknown' above."
)


def crs_urns() -> list[str]:
    return [parse_crs(code).urn() for code in OFFERED_CODES]


def service_identification(municipality: Municipality | None, version: str) -> str:
    title = f"Plan Portal – WFS {municipality.name}" if municipality else "Plan Portal – WFS"
    abstract = (
        "Usługa pobierania: działki ewidencyjne, obręby, granice i strefy planów miejscowych i "
        "planów ogólnych (APP). Download service: parcels, precincts, plan boundaries and zones. "
        + COUNTING_NOTE.format(hits=EXACT_HITS_LIMIT, page=EXACT_MATCHED_LIMIT)
    )
    versions = (
        "<ows:ServiceTypeVersion>2.0.0</ows:ServiceTypeVersion>"
        "<ows:ServiceTypeVersion>1.1.0</ows:ServiceTypeVersion>"
        if version.startswith("2")
        else "<ows:ServiceTypeVersion>1.1.0</ows:ServiceTypeVersion>"
    )
    return (
        f"<ows:ServiceIdentification><ows:Title>{escape(title)}</ows:Title>"
        f"<ows:Abstract>{escape(abstract)}</ows:Abstract>"
        "<ows:Keywords><ows:Keyword>MPZP</ows:Keyword><ows:Keyword>POG</ows:Keyword>"
        "<ows:Keyword>APP</ows:Keyword><ows:Keyword>EGiB</ows:Keyword></ows:Keywords>"
        f"<ows:ServiceType>WFS</ows:ServiceType>{versions}"
        "<ows:Fees>NONE</ows:Fees><ows:AccessConstraints>NONE</ows:AccessConstraints>"
        "</ows:ServiceIdentification>"
    )


def service_provider(municipality: Municipality | None) -> str:
    name = (
        (municipality.contact_organization or municipality.name) if municipality else "Plan Portal"
    )
    email = municipality.contact_email if municipality else ""
    contact = (
        f"<ows:ContactInfo><ows:Address><ows:ElectronicMailAddress>{escape(email)}"
        "</ows:ElectronicMailAddress></ows:Address></ows:ContactInfo>"
        if email
        else ""
    )
    return (
        f"<ows:ServiceProvider><ows:ProviderName>{escape(name)}</ows:ProviderName>"
        f"<ows:ServiceContact>{contact}</ows:ServiceContact></ows:ServiceProvider>"
    )


def _values(values: list[str]) -> str:
    return "".join(f"<ows:Value>{escape(v)}</ows:Value>" for v in values)


def _operation(name: str, url: str, params: dict[str, list[str]], v20: bool) -> str:
    href = quoteattr(url)
    get = quoteattr(url + "?")
    body = "".join(
        f'<ows:Parameter name="{p}">'
        + (f"<ows:AllowedValues>{_values(vs)}</ows:AllowedValues>" if v20 else _values(vs))
        + "</ows:Parameter>"
        for p, vs in params.items()
    )
    return (
        f'<ows:Operation name="{name}"><ows:DCP><ows:HTTP><ows:Get xlink:href={get}/>'
        f"<ows:Post xlink:href={href}/></ows:HTTP></ows:DCP>{body}</ows:Operation>"
    )


def _constraint(name: str, value: str) -> str:
    return f'<ows:Constraint name="{name}"><ows:NoValues/><ows:DefaultValue>{value}</ows:DefaultValue></ows:Constraint>'


def operations_20(url: str) -> str:
    ops = [
        _operation("GetCapabilities", url, {"AcceptVersions": ["2.0.0", "1.1.0"]}, True),
        _operation(
            "DescribeFeatureType", url, {"outputFormat": ["application/gml+xml; version=3.2"]}, True
        ),
        _operation(
            "GetFeature",
            url,
            {"outputFormat": OUTPUT_FORMATS_20 + APP_FORMATS, "resultType": ["results", "hits"]},
            True,
        ),
        _operation("ListStoredQueries", url, {}, True),
        _operation("DescribeStoredQueries", url, {}, True),
        _operation("GetPropertyValue", url, {"outputFormat": OUTPUT_FORMATS_20[:2]}, True),
    ]
    flags = {
        "ImplementsBasicWFS": "TRUE",
        "ImplementsTransactionalWFS": "FALSE",
        "ImplementsLockingWFS": "FALSE",
        "KVPEncoding": "TRUE",
        "XMLEncoding": "TRUE",
        "SOAPEncoding": "FALSE",
        "ImplementsInheritance": "FALSE",
        "ImplementsRemoteResolve": "FALSE",
        "ImplementsResultPaging": "TRUE",
        "ImplementsStandardJoins": "FALSE",
        "ImplementsSpatialJoins": "FALSE",
        "ImplementsTemporalJoins": "FALSE",
        "ImplementsFeatureVersioning": "FALSE",
        "ManageStoredQueries": "FALSE",
        "CountDefault": str(DEFAULT_COUNT),
    }
    constraints = "".join(_constraint(k, v) for k, v in flags.items())
    constraints += (
        '<ows:Constraint name="QueryExpressions"><ows:AllowedValues>'
        "<ows:Value>wfs:Query</ows:Value><ows:Value>wfs:StoredQuery</ows:Value>"
        "</ows:AllowedValues></ows:Constraint>"
    )
    return (
        f"<ows:OperationsMetadata>{''.join(ops)}"
        '<ows:Parameter name="version"><ows:AllowedValues><ows:Value>2.0.0</ows:Value>'
        "<ows:Value>1.1.0</ows:Value></ows:AllowedValues></ows:Parameter>"
        f"{constraints}</ows:OperationsMetadata>"
    )


def _bbox(extent: tuple[float, float, float, float]) -> str:
    return (
        f"<ows:WGS84BoundingBox><ows:LowerCorner>{extent[0]:.6f} {extent[1]:.6f}</ows:LowerCorner>"
        f"<ows:UpperCorner>{extent[2]:.6f} {extent[3]:.6f}</ows:UpperCorner></ows:WGS84BoundingBox>"
    )


def feature_type_20(ftype: FeatureType, extent) -> str:
    urns = crs_urns()
    formats = OUTPUT_FORMATS_20 + (APP_FORMATS if ftype.spec.app_element else [])
    return (
        f"<wfs:FeatureType xmlns:{ftype.prefix}={quoteattr(ftype.namespace)}>"
        f"<wfs:Name>{ftype.name}</wfs:Name><wfs:Title>{escape(ftype.title)}</wfs:Title>"
        f"<wfs:Abstract>{escape(ftype.layer.abstract or ftype.title)}</wfs:Abstract>"
        f"<wfs:DefaultCRS>{urns[0]}</wfs:DefaultCRS>"
        + "".join(f"<wfs:OtherCRS>{u}</wfs:OtherCRS>" for u in urns[1:])
        + "<wfs:OutputFormats>"
        + "".join(f"<wfs:Format>{escape(f)}</wfs:Format>" for f in formats)
        + f"</wfs:OutputFormats>{_bbox(extent)}</wfs:FeatureType>"
    )


def filter_capabilities_20() -> str:
    conformance = "".join(
        f'<fes:Constraint name="{k}"><ows:NoValues/><ows:DefaultValue>{"TRUE" if v else "FALSE"}'
        "</ows:DefaultValue></fes:Constraint>"
        for k, v in CONFORMANCE.items()
    )
    return (
        f"<fes:Filter_Capabilities><fes:Conformance>{conformance}</fes:Conformance>"
        '<fes:Id_Capabilities><fes:ResourceIdentifier name="fes:ResourceId"/></fes:Id_Capabilities>'
        "<fes:Scalar_Capabilities><fes:LogicalOperators/><fes:ComparisonOperators>"
        + "".join(f'<fes:ComparisonOperator name="{c}"/>' for c in COMPARISON_20)
        + "</fes:ComparisonOperators></fes:Scalar_Capabilities>"
        "<fes:Spatial_Capabilities><fes:GeometryOperands>"
        + "".join(f'<fes:GeometryOperand name="{g}"/>' for g in GEOMETRY_OPERANDS)
        + "</fes:GeometryOperands><fes:SpatialOperators>"
        + "".join(f'<fes:SpatialOperator name="{s}"/>' for s in SPATIAL)
        + "</fes:SpatialOperators></fes:Spatial_Capabilities></fes:Filter_Capabilities>"
    )


def capabilities_20(*, types: list[FeatureType], municipality, url: str) -> str:
    extents = wgs84_extents(types)
    ftypes = "".join(
        feature_type_20(t, extents.get(t.municipality.pk if t.municipality else None, POLAND_WGS84))
        for t in types
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<wfs:WFS_Capabilities version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" '
        'xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:fes="http://www.opengis.net/fes/2.0" '
        'xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd">'
        + service_identification(municipality, "2.0.0")
        + service_provider(municipality)
        + operations_20(url)
        + f"<wfs:FeatureTypeList>{ftypes}</wfs:FeatureTypeList>"
        + filter_capabilities_20()
        + "</wfs:WFS_Capabilities>"
    )


def capabilities_11(*, types: list[FeatureType], municipality, url: str) -> str:
    extents = wgs84_extents(types)
    urns = crs_urns()
    ops = "".join(
        _operation(name, url, params, False)
        for name, params in (
            ("GetCapabilities", {"AcceptVersions": ["1.1.0", "2.0.0"]}),
            ("DescribeFeatureType", {"outputFormat": ["text/xml; subtype=gml/3.1.1"]}),
            ("GetFeature", {"outputFormat": OUTPUT_FORMATS_11, "resultType": ["results", "hits"]}),
        )
    )
    ftypes = "".join(
        f"<wfs:FeatureType xmlns:{t.prefix}={quoteattr(t.namespace)}>"
        f"<wfs:Name>{t.name}</wfs:Name><wfs:Title>{escape(t.title)}</wfs:Title>"
        f"<wfs:DefaultSRS>{urns[0]}</wfs:DefaultSRS>"
        + "".join(f"<wfs:OtherSRS>{u}</wfs:OtherSRS>" for u in urns[1:])
        + "<wfs:OutputFormats>"
        + "".join(f"<wfs:Format>{escape(f)}</wfs:Format>" for f in OUTPUT_FORMATS_11)
        + "</wfs:OutputFormats>"
        + _bbox(extents.get(t.municipality.pk if t.municipality else None, POLAND_WGS84))
        + "</wfs:FeatureType>"
        for t in types
    )
    filters = (
        "<ogc:Filter_Capabilities><ogc:Spatial_Capabilities><ogc:GeometryOperands>"
        + "".join(f"<ogc:GeometryOperand>{g}</ogc:GeometryOperand>" for g in GEOMETRY_OPERANDS[:4])
        + "</ogc:GeometryOperands><ogc:SpatialOperators>"
        + "".join(f'<ogc:SpatialOperator name="{s}"/>' for s in SPATIAL)
        + "</ogc:SpatialOperators></ogc:Spatial_Capabilities><ogc:Scalar_Capabilities>"
        "<ogc:LogicalOperators/><ogc:ComparisonOperators>"
        + "".join(f"<ogc:ComparisonOperator>{c}</ogc:ComparisonOperator>" for c in COMPARISON_11)
        + "</ogc:ComparisonOperators></ogc:Scalar_Capabilities>"
        "<ogc:Id_Capabilities><ogc:EID/><ogc:FID/></ogc:Id_Capabilities></ogc:Filter_Capabilities>"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<wfs:WFS_Capabilities version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs" '
        'xmlns:ows="http://www.opengis.net/ows" xmlns:ogc="http://www.opengis.net/ogc" '
        'xmlns:gml="http://www.opengis.net/gml" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.opengis.net/wfs http://schemas.opengis.net/wfs/1.1.0/wfs.xsd">'
        + service_identification(municipality, "1.1.0")
        + service_provider(municipality)
        + f"<ows:OperationsMetadata>{ops}</ows:OperationsMetadata>"
        + f"<wfs:FeatureTypeList>{ftypes}</wfs:FeatureTypeList>"
        + filters
        + "</wfs:WFS_Capabilities>"
    )


STORED_QUERY_IDS = [sq.id for sq in STORED_QUERIES]
