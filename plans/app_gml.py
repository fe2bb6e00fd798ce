"""The one APP GML encoder (schema 3.0 by default, 2.0 on request): a plan's features as members.

Rows are dicts of plan columns (``plan_*``, ``teryt``, ``gmina_name``) and feature columns, with
``geom`` the GML that PostGIS writes (``ST_AsGML(3, …)``). The WFS (wms/wfs/app_gml.py) feeds them
from its query, the register export (plans/app_export.py) from one plan. AktPlanowaniaPrzestrzennego
(+ the resolution as DokumentFormalny), StrefaPlanistyczna (zones of plany ogólne; MPZP zones have
no national GML type), ObszarUzupelnieniaZabudowy / ObszarZabudowySrodmiejskiej /
ObszarStandardowDostepnosciInfrastrukturySpolecznej.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from xml.sax.saxutils import escape, quoteattr

from layers.gml import decorate_gml
from plans.pog import BASIC_PROFILES, POG_KINDS

APP_NS = "https://www.gov.pl/static/zagospodarowanieprzestrzenne/schemas/app/"
APP_XSD = {"3.0": "planowaniePrzestrzenne_3_0.xsd", "2.0": "planowaniePrzestrzenne_2_0.xsd"}
CODELIST = "https://www.gov.pl/static/zagospodarowanieprzestrzenne/codelist/"
KPT = "https://www.gov.pl/static/zagospodarowanieprzestrzenne/ontology/KPT#KPT-MPZP-"
INSPIRE = "http://inspire.ec.europa.eu/codelist/"
REGISTRY = "https://www.gov.pl/zagospodarowanieprzestrzenne/app"
PLAN_TYPES = {
    "MPZP": ("miejscowyPlanZagospodarowaniaPrzestrzennego", "infraLocal"),
    "POG": ("planOgolnyGminy", "local"),
    "SUIKZP": ("studiumUwarunkowanIKierunkowZagospodarowaniaPrzestrzennegoGminy", "local"),
    "MPR": ("miejscowyPlanRewitalizacji", "infraLocal"),
    "ZPI": ("zintegrowanyPlanInwestycyjny", "infraLocal"),
}
REGULATION_ELEMENTS = {
    "OUZ": "ObszarUzupelnieniaZabudowy",
    "OZS": "ObszarZabudowySrodmiejskiej",
    "OSD": "ObszarStandardowDostepnosciInfrastrukturySpolecznej",
}
OSD_FIELDS = (  # (name, kind, required)
    ("wylaczenieZabudowyZagrodowej", "bool", True),
    ("odlegloscDoSzkolyPodstawowej", "m", True),
    ("odlegloscDoObszarowZieleniPublicznej", "m", True),
    ("powierzchniaLacznaObszarowZieleniPublicznej", "m2", True),
    ("odlegloscDoObszaruZieleniPublicznej", "m", True),
    ("powierzchniaObszaruZieleniPublicznej", "m2", True),
    *(
        (f"odlegloscDo{n}", "m", False)
        for n in [
            "Przedszkola",
            "Zlobka",
            "AmbulatoriumPOZ",
            "Biblioteki",
            "DomuKultury",
            "DomuPomocySpolecznej",
            "UrzadzonegoTerenuSportu",
            "Przystanku",
            "PlacowkiPocztowej",
            "Apteki",
            "PosterunkuPolicji",
            "PosterunkuJednostkiOchronyPrzeciwpozarowej",
        ]
    ),
)
KIND_CODE = {symbol: code for code, symbol in POG_KINDS.items()}
NCNAME_BAD = re.compile(r"[^A-Za-z0-9._-]")


def ncname(text: str) -> str:
    value = NCNAME_BAD.sub("_", text)
    return value if value[:1].isalpha() or value[:1] == "_" else f"_{value}"


def ref(name: str, href: str, title: str | None = None) -> str:
    extra = f" xlink:title={quoteattr(title)}" if title else ""
    return f"<app:{name} xlink:href={quoteattr(href)}{extra}/>"


def el(name: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        text = value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    return f"<app:{name}>{escape(text)}</app:{name}>"


class PlanIds:
    """APP identifiers of a plan (from its record; generated from the gmina and id when empty)."""

    def __init__(self, row: dict) -> None:
        kind = row["plan_kind"] if row["plan_kind"] in ("MPZP", "SUIKZP", "POG", "PZPW") else "MPZP"
        self.namespace = row["plan_ns"] or f"PL.ZIPPZP.9999/{row['teryt'][:6]}-{kind}"
        self.local = row["plan_local"] or f"{row['plan_kind']}{row['plan_pk']}"
        self.version = row["plan_version"] or row["plan_updated"].astimezone(dt.UTC).strftime(
            "%Y%m%dT%H%M%S"
        )
        self.href = f"{REGISTRY}/AktPlanowaniaPrzestrzennego/{self.namespace}/{self.local}"

    def identifier(self, element: str, local: str) -> str:
        uri = f"{REGISTRY}/{element}/{self.namespace}/{local}/{self.version}"
        return (
            f'<gml:identifier codeSpace="{REGISTRY}">{escape(uri)}</gml:identifier>'
            f"<app:idIIP><app:Identyfikator>{el('przestrzenNazw', self.namespace)}"
            f"{el('lokalnyId', local)}{el('wersjaId', self.version)}</app:Identyfikator></app:idIIP>"
        )

    def gml_id(self, local: str) -> str:
        return ncname(f"{self.namespace.replace('/', '_')}_{local}_{self.version}")


def starts_in_force(row: dict) -> dt.date:
    return row["in_force_from"] or row["resolution_date"] or row["plan_created"].date()


def status_ref(row: dict) -> str:
    return ref("status", f"{INSPIRE}ProcessStepGeneralValue/{row['plan_status']}")


def surface(gml: str, *, srs_name: str, fid: str) -> str:
    """gml:Polygon for one part, gml:Surface with PolygonPatches for more (SurfacePropertyType)."""
    parts = gml.count("<gml:surfaceMember>")
    if parts == 1:
        gml = gml.replace("<gml:MultiSurface><gml:surfaceMember>", "", 1)
        gml = gml.replace("</gml:surfaceMember></gml:MultiSurface>", "", 1)
    else:
        gml = gml.replace("<gml:MultiSurface>", "<gml:Surface><gml:patches>", 1)
        gml = gml.replace("</gml:MultiSurface>", "</gml:patches></gml:Surface>", 1)
        gml = gml.replace("<gml:surfaceMember><gml:Polygon>", "<gml:PolygonPatch>")
        gml = gml.replace("</gml:Polygon></gml:surfaceMember>", "</gml:PolygonPatch>")
    return decorate_gml(gml, srs_name=srs_name, fid=fid, all_ids=True)


def plan_members(row: dict, *, srs_name: str) -> list[str]:
    ids = PlanIds(row)
    fid = ids.gml_id(ids.local)
    plan_type, level = PLAN_TYPES.get(row["plan_kind"], PLAN_TYPES["MPZP"])
    doc_local = f"{ids.local}-uchwala"
    has_doc = bool(row["resolution_number"] and row["resolution_date"])
    plan = (
        f'<app:AktPlanowaniaPrzestrzennego gml:id="{fid}">'
        + ids.identifier("AktPlanowaniaPrzestrzennego", ids.local)
        + el("poczatekWersjiObiektu", row["plan_updated"])
        + el("tytul", row["plan_title"])
        + ref("typPlanu", f"{CODELIST}TypAktuPlanowaniaPrzestrzennegoKod/{plan_type}")
        + ref("poziomHierarchii", f"{INSPIRE}LevelOfSpatialPlanValue/{level}")
        + el("obowiazujeOd", starts_in_force(row))
        + el("obowiazujeDo", row["in_force_to"])
        + status_ref(row)
        + "<app:zasiegPrzestrzenny>"
        + decorate_gml(row["geom"], srs_name=srs_name, fid=f"{fid}.z", all_ids=True)
        + "</app:zasiegPrzestrzenny>"
        + (ref("dokumentUchwalajacy", f"#{ids.gml_id(doc_local)}") if has_doc else "")
        + "</app:AktPlanowaniaPrzestrzennego>"
    )
    members = [plan]
    if has_doc:
        members.append(
            document_member(
                ids,
                doc_local,
                title=f"{row['resolution_number']} – {row['plan_title']}",
                date=row["resolution_date"],
                number=row["resolution_number"],
                organ=f"Rada Gminy {row['gmina_name']}",
                in_force=row["in_force_from"],
                reference=row["publication"],
                resolution=True,
            )
        )
    return members


def document_member(
    ids: PlanIds,
    local: str,
    *,
    title: str,
    date: dt.date,
    number: str = "",
    organ: str = "",
    in_force: dt.date | None = None,
    reference: str = "",
    links: tuple[str, ...] = (),
    resolution: bool = False,
) -> str:
    """A DokumentFormalny of the plan; ``resolution``: the act's resolution (xlink uchwala)."""
    return (
        f'<app:DokumentFormalny gml:id="{ids.gml_id(local)}">'
        + ids.identifier("DokumentFormalny", local)
        + el("tytul", title)
        + el("numerIdentyfikacyjny", number)
        + el("organUstanawiajacy", organ)
        + "<app:data><gmd:CI_Date><gmd:date><gco:Date>"
        + date.isoformat()
        + "</gco:Date></gmd:date><gmd:dateType><gmd:CI_DateTypeCode "
        'codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_DateTypeCode" '
        'codeListValue="creation">creation</gmd:CI_DateTypeCode></gmd:dateType></gmd:CI_Date></app:data>'
        + el("dataWejsciaWZycie", in_force)
        + el("szczegoloweOdniesienie", reference)
        + "".join(el("lacze", link) for link in links)
        + (ref("uchwala", ids.href) if resolution else "")
        + "</app:DokumentFormalny>"
    )


def decimal(value) -> str | None:
    return None if value is None else f"{float(value):.1f}"


def binding_in_plan(row: dict, srs_name: str, ids: PlanIds, fid: str) -> str:
    """What a zone and a regulation share: version, validity, status, binding nature, geometry, plan."""
    return (
        el("poczatekWersjiObiektu", row["plan_updated"])
        + el("obowiazujeOd", starts_in_force(row))
        + el("obowiazujeDo", row["in_force_to"])
        + status_ref(row)
        + ref(
            "charakterUstalenia",
            "https://inspire.ec.europa.eu/codelist/RegulationNatureValue/generallyBinding",
        )
        + f"<app:geometria>{surface(row['geom'], srs_name=srs_name, fid=fid + '.g')}</app:geometria>"
        + ref("plan", ids.href)
    )


def zone_member(row: dict, *, srs_name: str) -> str:
    ids = PlanIds(row)
    local = row["local_id"] or f"{ids.local}-{row['designation']}"
    fid = ids.gml_id(local)
    kind = row["zone_kind"]
    profile = row["profile"] or sorted(BASIC_PROFILES.get(kind, {"I"}))
    height = (
        f'<app:maksWysokoscZabudowy uom="m">{float(row["max_height_m"]):.1f}</app:maksWysokoscZabudowy>'
        if row["max_height_m"] is not None
        else ""
    )
    return (
        f'<app:StrefaPlanistyczna gml:id="{fid}">'
        + ids.identifier("StrefaPlanistyczna", local)
        + el("oznaczenie", row["designation"])
        + el("symbol", kind)
        + binding_in_plan(row, srs_name, ids, fid)
        + ref(
            "nazwa",
            f"{CODELIST}RodzajStrefyPlanistycznejKod/{KIND_CODE.get(kind, kind)}",
            row["name"] or None,
        )
        + "".join(ref("profilPodstawowy", KPT + code) for code in profile)
        + el("maksNadziemnaIntensywnoscZabudowy", decimal(row["max_building_intensity"]))
        + el("maksUdzialPowierzchniZabudowy", decimal(row["max_building_coverage_pct"]))
        + height
        + el("minUdzialPowierzchniBiologicznieCzynnej", decimal(row["min_biologically_active_pct"]))
        + "</app:StrefaPlanistyczna>"
    )


def osd_fields(parameters: dict) -> str | None:
    """The OSD parameters in schema order; None when a mandatory one is missing."""
    out = []
    for name, kind, required in OSD_FIELDS:
        value = parameters.get(name)
        if value in (None, ""):
            if required:
                return None
            continue
        if kind == "bool":
            flag = str(value).strip().lower() in ("true", "1", "tak", "yes")
            out.append(f"<app:{name}>{'true' if flag else 'false'}</app:{name}>")
        else:
            try:
                number = float(str(value).replace(",", "."))
            except ValueError:
                return None
            out.append(f'<app:{name} uom="{kind}">{number:g}</app:{name}>')
    return "".join(out)


def regulation_member(row: dict, *, srs_name: str) -> str | None:
    ids = PlanIds(row)
    element = REGULATION_ELEMENTS[row["kind"]]
    local = row["local_id"] or f"{ids.local}-{row['kind']}{row['id']}"
    fid = ids.gml_id(local)
    extra = ""
    if row["kind"] == "OSD":
        parameters = row["parameters"] or {}
        if isinstance(parameters, str):  # jsonb arrives as text through Django's psycopg set-up
            parameters = json.loads(parameters)
        extra = osd_fields(parameters if isinstance(parameters, dict) else {})
        if extra is None:
            return None
    return (
        f'<app:{element} gml:id="{fid}">'
        + ids.identifier(element, local)
        + el("nazwa", row["name"])
        + el("oznaczenie", row["designation"] or f"{row['kind']}{row['id']}")
        + el("symbol", row["kind"])
        + binding_in_plan(row, srs_name, ids, fid)
        + extra
        + f"</app:{element}>"
    )


def collection(members: list[str], *, version: str = "3.0", timestamp: str) -> str:
    """The members as one wfs:FeatureCollection (the shape the register's WFS answers in)."""
    ns = APP_NS + version
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:app="{ns}" '
        'xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd '
        f'{ns} {ns}/{APP_XSD[version]}" timeStamp="{timestamp}" numberMatched="unknown" '
        f'numberReturned="{len(members)}">'
    )
    return (
        head
        + "".join(f"<wfs:member>{m}</wfs:member>" for m in members)
        + "</wfs:FeatureCollection>\n"
    )
