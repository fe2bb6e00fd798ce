"""The import report for people: each finding with its rule's title, where it is (file, feature,
line, coordinates in EPSG:2180 and as latitude/longitude) and the points for the report's small map.
"""

from __future__ import annotations

import json
import re

from django.contrib.gis.geos import MultiPoint, Point
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layers.messages import render
from layers.models import SRID, Municipality
from plans.ingest.rules import rule_title, severity_label
from plans.models import ImportJob, Regulation

MAP_POINTS = 500
STAGES = {
    "read": gettext_lazy("reading the files"),
    "validate": gettext_lazy("checking"),
    "write": gettext_lazy("writing"),
}
WHERE_PATTERNS = [
    (re.compile(r"^line (\d+)$"), lambda m: _("line %(line)s") % {"line": m.group(1)}),
    (re.compile(r"^feature (\d+)$"), lambda m: _("feature no. %(fid)s") % {"fid": m.group(1)}),
    (re.compile(r"^near x=\S+ y=\S+ \(EPSG:2180\)$"), lambda m: ""),  # the coordinates say it
    (re.compile(r"^prolog$"), lambda m: _("XML declaration")),
]


def where_label(where: str) -> str:
    """``line 12`` -> "wiersz 12"; a place the report names otherwise is shown as it is."""
    parts = []
    for part in where.split("; "):
        for pattern, label in WHERE_PATTERNS:
            if match := pattern.match(part):
                part = label(match)
                break
        if part:
            parts.append(part)
    return "; ".join(parts)


def stage_label(stage: str) -> str:
    """The job's progress stage in the reader's language: ``read a.gml`` -> "wczytywanie a.gml"."""
    if stage.startswith("read "):
        return _("reading %(file)s") % {"file": stage.removeprefix("read ")}
    return str(STAGES.get(stage, stage))


def feature_kind_label(kind: str) -> str:
    """A feature's kind in the report's feature list: a zone, a parcel or a POG regulation."""
    if kind in Regulation.Kind.values:
        return str(Regulation.Kind(kind).label)
    labels = {
        "zone": _("zone"),
        "parcel": _("parcel"),
        "act": _("plan boundary (act)"),
        "document": _("formal document"),
    }
    return str(labels.get(kind, kind))


def features_for_page(job: ImportJob) -> list[dict]:
    return [
        {**f, "kind_label": feature_kind_label(f.get("kind", ""))}
        for f in (job.report or {}).get("features", [])
    ]


def finding_message(finding: dict) -> str:
    """The finding's message in the reader's language; reports stored before msgid are English."""
    if not finding.get("msgid"):
        return finding.get("message", "")
    return render(finding["msgid"], finding.get("params") or {}, translate=True)


def findings_for_page(job: ImportJob) -> list[dict]:
    """The report's findings in the reader's language, each with its place and map coordinates."""
    findings = [
        {
            **f,
            "message": finding_message(f),
            "title": rule_title(f["rule"]),
            "severity_label": severity_label(f["severity"]),
            "where_label": where_label(f.get("where", "")),
        }
        for f in (job.report or {}).get("findings", [])
    ]
    located = [f for f in findings if f.get("point")]
    if located:
        points = MultiPoint([Point(*f["point"]) for f in located], srid=SRID)
        points.transform(4326)
        for number, (finding, point) in enumerate(zip(located, points, strict=True), start=1):
            finding["number"] = number
            finding["lon"], finding["lat"] = round(point.x, 6), round(point.y, 6)
    return findings


def problem_map(findings: list[dict], municipality: Municipality) -> dict | None:
    """GeoJSON (EPSG:4326) of the problems and the gmina's outline, for the report's Leaflet map."""
    located = [f for f in findings if "lat" in f][:MAP_POINTS]
    if not located:
        return None
    outline = None
    if municipality.boundary is not None:
        outline = municipality.boundary.simplify(5, preserve_topology=True)
        outline.transform(4326)
        outline = {"type": "Feature", "geometry": _geojson(outline), "properties": {}}
    return {
        "outline": outline,
        "problems": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [f["lon"], f["lat"]]},
                    "properties": {
                        "number": f["number"],
                        "severity": f["severity"],
                        "label": f"{f['number']}. {f['title']}: {f['feature'] or f['file']}",
                    },
                }
                for f in located
            ],
        },
    }


def _geojson(geometry) -> dict:
    return json.loads(geometry.geojson)
