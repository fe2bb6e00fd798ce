"""APP GML (1.0, 2.0, 3.0): hardened parsing, offline XSD validation, features with their xlinks.

APP files for one plan are small (an act and its zones); they are parsed whole, validated against
the official schema (copied into ``schemas/``; OGC schemas resolved offline through a resolver that
refuses anything not on disk) and then read feature by feature.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import MultiPolygon
from django.utils.translation import gettext_noop as _
from lxml import etree

from layers.gml import GmlGeometryError, SourceGeometry, read_surface
from layers.messages import problem
from layers.xmlparse import local, namespace, schema_parser
from plans.ingest.position import PositionError, place
from plans.ingest.report import IngestError, Report
from plans.ingest.safety import parse_xml

APP_BASE = "https://www.gov.pl/static/zagospodarowanieprzestrzenne/schemas/app/"
APP_VERSIONS = {
    APP_BASE + "1.0": "1.0/planowaniePrzestrzenne.xsd",
    APP_BASE + "2.0": "2.0/planowaniePrzestrzenne_2_0.xsd",
    APP_BASE + "3.0": "3.0/planowaniePrzestrzenne_3_0.xsd",
}
FEATURE_TYPES = {
    "AktPlanowaniaPrzestrzennego",
    "RysunekAktuPlanowaniaPrzestrzennego",
    "DokumentFormalny",
    "StrefaPlanistyczna",
    "ObszarUzupelnieniaZabudowy",
    "ObszarZabudowySrodmiejskiej",
    "ObszarStandardowDostepnosciInfrastrukturySpolecznej",
}
GEOMETRY_PROPERTIES = {"zasiegPrzestrzenny", "geometria"}
XLINK = "{http://www.w3.org/1999/xlink}"
GML_ID = "{http://www.opengis.net/gml/3.2}id"
OFFLINE_PREFIXES = ("http://schemas.opengis.net/", "https://schemas.opengis.net/")
W3C = {
    "http://www.w3.org/1999/xlink.xsd": "www.w3.org/1999/xlink.xsd",
    "http://www.w3.org/2001/xml.xsd": "www.w3.org/2001/xml.xsd",
}


def schema_root() -> Path:
    return Path(getattr(settings, "INGEST_SCHEMA_DIR", "") or Path(settings.BASE_DIR) / "schemas")


class OfflineResolver(etree.Resolver):
    """Map schemas.opengis.net and W3C locations to the local copies; never the network."""

    def resolve(self, url, pubid, context):
        ogc = schema_root() / "ogc"
        for prefix in OFFLINE_PREFIXES:
            if url.startswith(prefix):
                return self.resolve_filename(str(ogc / url[len(prefix) :]), context)
        if url in W3C:
            return self.resolve_filename(str(ogc / W3C[url]), context)
        if url.startswith(("http://", "https://", "ftp://")):
            raise IngestError(
                problem(_("schema %(url)s is not available offline"), url=url),
                rule="xsd.unavailable",
            )
        return None


@lru_cache(maxsize=4)
def app_schema(app_ns: str) -> etree.XMLSchema:
    """The APP schema of one namespace, with WFS 2.0 so that wfs:FeatureCollection validates."""
    xsd = (schema_root() / "app" / APP_VERSIONS[app_ns]).resolve()
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:import namespace="http://www.opengis.net/wfs/2.0" '
        'schemaLocation="http://schemas.opengis.net/wfs/2.0/wfs.xsd"/>'
        f'<xs:import namespace="{app_ns}" schemaLocation="{xsd.as_uri()}"/>'
        "</xs:schema>"
    )
    parser = schema_parser()
    parser.resolvers.add(OfflineResolver())
    doc = etree.fromstring(wrapper.encode(), parser, base_url=str(schema_root() / "wrapper.xsd"))
    return etree.XMLSchema(doc)


@dataclass
class AppFeature:
    type: str
    gml_id: str
    file: str
    line: int
    app_ns: str
    namespace: str = ""
    local_id: str = ""
    version_id: str = ""
    values: dict[str, list[str]] = field(default_factory=dict)
    refs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    source: SourceGeometry | None = None
    geom: MultiPolygon | None = None  # EPSG:2180

    @property
    def label(self) -> str:
        designation = self.first("oznaczenie")
        return designation or self.local_id or self.gml_id

    def first(self, name: str, default: str = "") -> str:
        values = self.values.get(name)
        return values[0] if values else default

    def ref_codes(self, name: str) -> list[str]:
        """The last path/fragment segment of each xlink:href of a property (a codelist value)."""
        return [
            href.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            for href, _t in self.refs.get(name, [])
        ]


def detect_app_namespace(tree: etree._ElementTree, file: str) -> str:
    for element in tree.iter():
        ns = namespace(element.tag)
        if ns in APP_VERSIONS:
            return ns
        if ns.startswith(APP_BASE):
            raise IngestError(
                problem(_("APP namespace %(ns)s is not a version we know (1.0, 2.0, 3.0)"), ns=ns),
                file=file,
                rule="app.unknown_version",
            )
    raise IngestError(
        problem(
            _("this GML holds no APP (planowaniePrzestrzenne) features; is it another kind of GML?")
        ),
        file=file,
        rule="app.not_app",
    )


@lru_cache(maxsize=4)
def declared_elements(app_ns: str) -> frozenset[str]:
    """The global elements of an APP schema version (feature types and the like)."""
    xsd = etree.parse(str(schema_root() / "app" / APP_VERSIONS[app_ns]), schema_parser())
    ns = "{http://www.w3.org/2001/XMLSchema}"
    return frozenset(e.get("name") for e in xsd.getroot().iterchildren(f"{ns}element"))


def validate_xsd(tree: etree._ElementTree, app_ns: str, file: str, report: Report) -> bool:
    schema = app_schema(app_ns)
    valid = schema.validate(tree)
    for error in list(schema.error_log)[:50]:
        report.add("xsd.invalid", error.message, file=file, where=f"line {error.line}")
    # wfs:member is validated laxly: an APP element the version does not declare would pass
    known = declared_elements(app_ns)
    version = app_ns.rsplit("/", 1)[-1]
    for element in tree.iter(f"{{{app_ns}}}*"):
        parent = element.getparent()
        if (
            parent is not None
            and namespace(parent.tag) != app_ns
            and local(element.tag) not in known
        ):
            report.add(
                "xsd.invalid",
                problem(
                    _("%(element)s is not an element of APP %(version)s"),
                    element=local(element.tag),
                    version=version,
                ),
                file=file,
                where=f"line {element.sourceline}",
            )
            valid = False
    return valid


def _read_feature(element: etree._Element, app_ns: str, file: str) -> AppFeature:
    feature = AppFeature(
        type=local(element.tag),
        gml_id=element.get(GML_ID, ""),
        file=file,
        line=element.sourceline or 0,
        app_ns=app_ns,
    )
    for prop in element:
        name = local(prop.tag)
        if not name:
            continue
        if name == "idIIP":
            ident = next((c for c in prop if local(c.tag) == "Identyfikator"), None)
            if ident is not None:
                feature.namespace = (ident.findtext(f"{{{app_ns}}}przestrzenNazw") or "").strip()
                feature.local_id = (ident.findtext(f"{{{app_ns}}}lokalnyId") or "").strip()
                feature.version_id = (ident.findtext(f"{{{app_ns}}}wersjaId") or "").strip()
        elif name in GEOMETRY_PROPERTIES:
            feature.values.setdefault(name, []).append("<geometry>")
            feature.source = read_surface(prop)
        elif prop.get(f"{XLINK}href") is not None:
            feature.refs.setdefault(name, []).append(
                (prop.get(f"{XLINK}href", ""), prop.get(f"{XLINK}title", ""))
            )
        else:
            text = " ".join(t.strip() for t in prop.itertext() if t.strip())
            feature.values.setdefault(name, []).append(text)
    return feature


def read_app_file(path: Path, report: Report) -> list[AppFeature]:
    """All APP features of one file; XSD and geometry problems become findings."""
    file = path.name
    tree = parse_xml(path)
    app_ns = detect_app_namespace(tree, file)
    validate_xsd(tree, app_ns, file, report)
    features = []
    for element in tree.iter(*(f"{{{app_ns}}}{t}" for t in FEATURE_TYPES)):
        try:
            feature = _read_feature(element, app_ns, file)
        except GmlGeometryError as exc:
            report.add(
                exc.rule,
                exc.text,
                file=file,
                feature=element.get(GML_ID, ""),
                where=f"line {element.sourceline}",
            )
            continue
        if feature.source is not None:
            try:
                feature.geom = place(feature.source.geom)
            except PositionError as exc:
                report.add(
                    exc.rule,
                    exc.text,
                    file=file,
                    feature=feature.label,
                    where=f"line {feature.line}",
                )
        features.append(feature)
    if not features:
        raise IngestError(
            problem(_("the file holds no APP features")), file=file, rule="app.no_features"
        )
    return features
