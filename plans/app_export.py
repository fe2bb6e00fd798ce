"""A plan as an APP 3.0 dataset for the Rejestr Urbanistyczny: one GML and its ISO 19139 record.

The GML holds the act (its extent), the resolution and the plan's other documents, the zones of a
plan ogólny and its OUZ/OZS/OSD, written by the one APP encoder (plans/app_gml.py) in EPSG:2180
with the register's srsName form (``…/gml/srs/epsg.xml#2180``, easting first) and full precision,
so that an export imported again gives the same areas. MPZP zones have no national GML type and
are not written. Plans imported from APP 1.0/2.0 are written as 3.0.
"""

from __future__ import annotations

import datetime as dt
import uuid
from xml.sax.saxutils import escape

from django.contrib.gis.geos import MultiPolygon
from django.db import connection
from django.utils import timezone

from layers.models import Municipality
from plans.app_gml import (
    PlanIds,
    collection,
    document_member,
    plan_members,
    regulation_member,
    zone_member,
)
from plans.models import Plan, PlanZone, Regulation

SRS_NAME = "http://www.opengis.net/gml/srs/epsg.xml#2180"
ZONE_FIELDS = (
    "designation",
    "symbol",
    "zone_kind",
    "name",
    "profile",
    "max_building_intensity",
    "max_building_coverage_pct",
    "max_height_m",
    "min_biologically_active_pct",
    "local_id",
)


class ExportError(ValueError):
    """A plan that cannot be written as APP (e.g. without a boundary)."""


def plan_to_export(municipality: Municipality, reference: str | None) -> Plan | None:
    """The plan named (id or APP lokalnyId), else the gmina's plan ogólny in force, else its newest."""
    plans = Plan.objects.for_municipality(municipality)
    if reference:
        return plans.by_reference(reference)
    in_force = plans.filter(kind=Plan.Kind.POG).in_force().order_by("-in_force_from").first()
    return in_force or plans.order_by("-created_at", "-pk").first()


def _gml(model, *, where: str, value: int) -> dict[int, str]:
    """id -> the geometry as GML 3.2 (15 decimals); table and column names come from the model."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = "boundary" if model is Plan else "geom"
    sql = (
        f"SELECT id, ST_AsGML(3, ST_SetSRID({column}, 0), 15, 0) FROM {table} "  # noqa: S608
        f"WHERE {where} = %s AND {column} IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        return dict(cursor.fetchall())


def _plan_row(plan: Plan) -> dict:
    return {
        "plan_pk": plan.pk,
        "plan_kind": plan.kind,
        "plan_title": plan.title,
        "plan_status": plan.status,
        "resolution_number": plan.resolution_number,
        "resolution_date": plan.resolution_date,
        "publication": plan.publication,
        "in_force_from": plan.in_force_from,
        "in_force_to": plan.in_force_to,
        "plan_ns": plan.namespace,
        "plan_local": plan.local_id,
        "plan_version": plan.version_id,
        "plan_created": plan.created_at,
        "plan_updated": plan.updated_at,
        "teryt": plan.municipality.teryt,
        "gmina_name": plan.municipality.name,
    }


def _documents(plan: Plan, ids: PlanIds, row: dict) -> list[str]:
    generated = (
        f"{ids.local}-uchwala" if row["resolution_number"] and row["resolution_date"] else ""
    )
    members = []
    for document in plan.documents.order_by("pk"):
        local = document.local_id or f"{ids.local}-dokument{document.pk}"
        if local == generated:
            continue
        members.append(
            document_member(
                ids,
                local,
                title=document.title,
                date=document.date or plan.resolution_date or plan.created_at.date(),
                links=(document.url,) if document.url else (),
            )
        )
    return members


def plan_members_for_export(plan: Plan) -> list[str]:
    """Every APP member of one plan: act, resolution, documents, zones, OUZ/OZS/OSD."""
    geoms = _gml(Plan, where="id", value=plan.pk)
    if plan.pk not in geoms:
        raise ExportError(f"plan {plan.pk} has no boundary (zasiegPrzestrzenny is required)")
    row = _plan_row(plan)
    members = plan_members({**row, "geom": geoms[plan.pk]}, srs_name=SRS_NAME)
    members += _documents(plan, PlanIds(row), row)
    if plan.kind == Plan.Kind.POG:
        zone_geoms = _gml(PlanZone, where="plan_id", value=plan.pk)
        for zone in plan.zones.exclude(zone_kind="").order_by("number", "designation", "pk"):
            values = {name: getattr(zone, name) for name in ZONE_FIELDS}
            members.append(
                zone_member({**row, **values, "geom": zone_geoms[zone.pk]}, srs_name=SRS_NAME)
            )
    regulation_geoms = _gml(Regulation, where="plan_id", value=plan.pk)
    for regulation in plan.regulations.order_by("kind", "pk"):
        values = {
            "id": regulation.pk,
            "kind": regulation.kind,
            "name": regulation.name,
            "designation": regulation.designation,
            "local_id": regulation.local_id,
            "parameters": regulation.parameters,
        }
        member = regulation_member(
            {**row, **values, "geom": regulation_geoms[regulation.pk]}, srs_name=SRS_NAME
        )
        if member is not None:
            members.append(member)
    return members


def export_app_gml(*, plan: Plan) -> bytes:
    """One APP 3.0 GML (a wfs:FeatureCollection, as the register's WFS answers) of the plan."""
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0).isoformat()
    body = collection(
        plan_members_for_export(plan), version="3.0", timestamp=stamp.replace("+00:00", "Z")
    )
    return body.encode()


def _text(tag: str, value: str) -> str:
    return f"<gmd:{tag}><gco:CharacterString>{escape(value)}</gco:CharacterString></gmd:{tag}>"


def _code(tag: str, code_list: str, value: str) -> str:
    lists = "http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#"
    return (
        f'<gmd:{tag}><gmd:{code_list} codeList="{lists}{code_list}" codeListValue="{value}">'
        f"{value}</gmd:{code_list}></gmd:{tag}>"
    )


def _bbox_4326(boundary: MultiPolygon | None) -> tuple[float, float, float, float] | None:
    if boundary is None:
        return None
    return boundary.transform(4326, clone=True).extent


def export_metadata(*, plan: Plan) -> bytes:
    """The dataset's ISO 19139 record (gmd:MD_Metadata): who, what, when, where, which CRS."""
    ids = PlanIds(_plan_row(plan))
    gmina = plan.municipality
    identifier = str(uuid.uuid5(uuid.NAMESPACE_URL, ids.href + "/" + ids.version))
    bbox = _bbox_4326(plan.boundary)
    extent = ""
    if bbox is not None:
        west, south, east, north = bbox
        extent = (
            "<gmd:extent><gmd:EX_Extent><gmd:geographicElement><gmd:EX_GeographicBoundingBox>"
            + "".join(
                f"<gmd:{tag}><gco:Decimal>{value:.6f}</gco:Decimal></gmd:{tag}>"
                for tag, value in (
                    ("westBoundLongitude", west),
                    ("eastBoundLongitude", east),
                    ("southBoundLatitude", south),
                    ("northBoundLatitude", north),
                )
            )
            + "</gmd:EX_GeographicBoundingBox></gmd:geographicElement></gmd:EX_Extent></gmd:extent>"
        )
    contact = (
        "<gmd:contact><gmd:CI_ResponsibleParty>"
        + _text("organisationName", f"Gmina {gmina.name}")
        + _code("role", "CI_RoleCode", "pointOfContact")
        + "</gmd:CI_ResponsibleParty></gmd:contact>"
    )
    date = (plan.resolution_date or plan.created_at.date()).isoformat()
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" '
        'xmlns:gco="http://www.isotc211.org/2005/gco">'
        + _text("fileIdentifier", identifier)
        + _code("language", "LanguageCode", "pol")
        + _code("characterSet", "MD_CharacterSetCode", "utf8")
        + _code("hierarchyLevel", "MD_ScopeCode", "dataset")
        + contact
        + f"<gmd:dateStamp><gco:Date>{timezone.localdate().isoformat()}</gco:Date></gmd:dateStamp>"
        + _text("metadataStandardName", "ISO 19115/19139")
        + "<gmd:referenceSystemInfo><gmd:MD_ReferenceSystem><gmd:referenceSystemIdentifier>"
        + "<gmd:RS_Identifier>"
        + _text("code", "http://www.opengis.net/def/crs/EPSG/0/2180")
        + "</gmd:RS_Identifier></gmd:referenceSystemIdentifier></gmd:MD_ReferenceSystem>"
        + "</gmd:referenceSystemInfo>"
        + "<gmd:identificationInfo><gmd:MD_DataIdentification><gmd:citation><gmd:CI_Citation>"
        + _text("title", plan.title)
        + f"<gmd:date><gmd:CI_Date><gmd:date><gco:Date>{date}</gco:Date></gmd:date>"
        + _code("dateType", "CI_DateTypeCode", "publication")
        + "</gmd:CI_Date></gmd:date>"
        + "<gmd:identifier><gmd:RS_Identifier>"
        + _text("code", f"{ids.namespace}/{ids.local}")
        + "</gmd:RS_Identifier></gmd:identifier>"
        + "</gmd:CI_Citation></gmd:citation>"
        + _text("abstract", f"{plan.get_kind_display()}: {plan.title} ({plan.resolution_number})")
        + _code("language", "LanguageCode", "pol")
        + "<gmd:topicCategory><gmd:MD_TopicCategoryCode>planningCadastre"
        + "</gmd:MD_TopicCategoryCode></gmd:topicCategory>"
        + extent
        + "</gmd:MD_DataIdentification></gmd:identificationInfo></gmd:MD_Metadata>\n"
    )
    return xml.encode()
