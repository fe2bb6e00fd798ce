"""The report of a consultation (art. 8k ust. 2 u.p.z.p.: the report summarising the course of the
consultation, "raport podsumowujący przebieg konsultacji społecznych", holding in particular the list
of the comments with the proposed way of considering each and its reasons) as
HTML, PDF and CSV, its map as a static SVG, and the submitter's PDF confirmation.

No personal data of natural persons in anything public (art. 8a ust. 1; RODO): the author column
says "osoba fizyczna" unless an organisation submitted the comment.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from consultation.models import Comment, Consultation
from extracts.pdf import html_to_pdf

SVG_SIZE = 600
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def report_comments(consultation: Consultation) -> QuerySet[Comment]:
    return consultation.comments.select_related("duplicate_of").order_by("number")


def statistics(consultation: Consultation) -> dict:
    comments = list(
        consultation.comments.values_list("position", "submitter_kind", "in_grace_period")
    )
    positions = Counter(p for p, _k, _g in comments)
    return {
        "total": len(comments),
        "accepted": positions[Comment.Position.ACCEPTED],
        "partly": positions[Comment.Position.PARTLY],
        "rejected": positions[Comment.Position.REJECTED],
        "pending": positions[Comment.Position.PENDING],
        "organisations": sum(1 for _p, k, _g in comments if k == Comment.Submitter.ORGANISATION),
        "in_grace": sum(1 for _p, _k, g in comments if g),
    }


def _svg_path(geom: GEOSGeometry, to_xy) -> str:
    parts = []
    for polygon in geom if geom.geom_type == "MultiPolygon" else [geom]:
        for ring in polygon:
            points = " L ".join(f"{x:.1f} {y:.1f}" for x, y in (to_xy(c) for c in ring.coords))
            parts.append(f"M {points} Z")
    return " ".join(parts)


def map_svg(consultation: Consultation) -> str:
    """The draft's zones and where the comments were pinned, numbered; plain SVG (no tiles)."""
    zones = list(consultation.plan.zones.only("designation", "geom"))
    pinned = [c for c in report_comments(consultation) if c.geom is not None]
    extent = consultation.plan.boundary.extent if consultation.plan.boundary else None
    for c in pinned:
        e = c.geom.extent
        extent = (
            e
            if extent is None
            else (
                min(extent[0], e[0]),
                min(extent[1], e[1]),
                max(extent[2], e[2]),
                max(extent[3], e[3]),
            )
        )
    if extent is None:
        return ""
    x0, y0, x1, y1 = extent
    pad = max(x1 - x0, y1 - y0, 1) * 0.05
    scale = SVG_SIZE / (max(x1 - x0, y1 - y0) + 2 * pad)

    def to_xy(coord):
        return ((coord[0] - x0 + pad) * scale, (y1 + pad - coord[1]) * scale)

    height = (y1 - y0 + 2 * pad) * scale
    return render_to_string(
        "consultation/map.svg",
        {
            "width": SVG_SIZE,
            "height": round(height),
            "zones": [
                {
                    "d": _svg_path(z.geom, to_xy),
                    "label": z.designation,
                    "xy": to_xy(z.geom.point_on_surface.coords),
                }
                for z in zones
            ],
            "comments": [
                {
                    "number": c.number,
                    "position": c.position or "pending",
                    "point": to_xy(c.geom.coords) if c.geom.geom_type == "Point" else None,
                    "d": _svg_path(c.geom, to_xy) if c.geom.geom_type != "Point" else "",
                    "xy": to_xy(c.geom.point_on_surface.coords),
                }
                for c in pinned
            ],
        },
    )


def report_rows(consultation: Consultation) -> list[dict]:
    """The table of the report, one plain dict per comment (JSON-able: the published snapshot keeps
    them as they are). The keys are the names the templates use; no personal data of a natural
    person (``public_author``)."""
    return [
        {
            "number": c.number,
            "submitted_at": c.submitted_at.isoformat(),
            "public_author": c.public_author,
            "parcel_identifiers": c.parcel_identifiers,
            "zone_designation": c.zone_designation,
            "on_map": c.geom is not None,
            "topic": c.topic or Comment.Topic.OTHER,
            "get_topic_display": str(Comment.Topic(c.topic or Comment.Topic.OTHER).label),
            "content": c.content,
            "justification": c.justification,
            "position": c.position,
            "get_position_display": str(c.get_position_display()),
            "reason": c.reason,
            "duplicate_of": c.duplicate_of.number if c.duplicate_of else None,
        }
        for c in report_comments(consultation)
    ]


def report_events(consultation: Consultation) -> list[dict]:
    return [
        {
            "get_kind_display": str(e.get_kind_display()),
            "starts_at": e.starts_at.isoformat(),
            "place": e.place,
        }
        for e in consultation.events.order_by("starts_at")
    ]


def live_report(consultation: Consultation) -> dict:
    """The report as the register stands now (JSON-able: this is what publication stores)."""
    return {
        "period": {
            "starts_at": consultation.starts_at.isoformat(),
            "last_second": consultation.last_second.isoformat(),
            "summary": consultation.report_summary,
        },
        "events": report_events(consultation),
        "stats": statistics(consultation),
        "map_svg": map_svg(consultation),
        "comments": report_rows(consultation),
    }


def _with_datetimes(report: dict) -> dict:
    """The stored ISO strings back as datetimes, for the templates' ``date`` filter."""
    parse = dt.datetime.fromisoformat
    return {
        **report,
        "period": {
            **report["period"],
            "starts_at": parse(report["period"]["starts_at"]),
            "last_second": parse(report["period"]["last_second"]),
        },
        "events": [{**e, "starts_at": parse(e["starts_at"])} for e in report["events"]],
        "comments": [{**c, "submitted_at": parse(c["submitted_at"])} for c in report["comments"]],
    }


def shown_report(consultation: Consultation) -> dict:
    """The published snapshot once the report is published (frozen: art. 8k ust. 2, the report is
    drawn up once), the register as it stands before that (only planners see it then)."""
    if consultation.report_is_published and consultation.report_snapshot:
        return consultation.report_snapshot
    return live_report(consultation)


def changed_since_publication(consultation: Consultation) -> list[int]:
    """Numbers of the comments whose row in the register no longer matches the published report."""
    if not consultation.report_is_published or not consultation.report_snapshot:
        return []
    published = {c["number"]: c for c in consultation.report_snapshot["comments"]}
    current = {c["number"]: c for c in report_rows(consultation)}
    return sorted(
        n for n in published.keys() | current.keys() if published.get(n) != current.get(n)
    )


def report_context(consultation: Consultation) -> dict:
    return {
        "consultation": consultation,
        "municipality": consultation.municipality,
        **_with_datetimes(shown_report(consultation)),
    }


def report_pdf(consultation: Consultation) -> bytes:
    return html_to_pdf(
        render_to_string("consultation/report_pdf.html", report_context(consultation))
    )


def confirmation_pdf(comment: Comment) -> bytes:
    """The submitter's confirmation: their own data included (only they get it, by a signed link)."""
    return html_to_pdf(
        render_to_string(
            "consultation/confirmation_pdf.html",
            {
                "comment": comment,
                "consultation": comment.consultation,
                "municipality": comment.municipality,
            },
        )
    )


def safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def report_csv(consultation: Consultation) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Number"),
            _("Submitted"),
            _("Author"),
            _("Parcels"),
            _("Zone"),
            _("Topic"),
            _("Content"),
            _("Justification"),
            _("Position"),
            _("Reason"),
            _("Duplicate of"),
        ]
    )
    for c in shown_report(consultation)["comments"]:
        writer.writerow(
            safe_cell(c[key])
            for key in (
                "number",
                "submitted_at",
                "public_author",
                "parcel_identifiers",
                "zone_designation",
                "get_topic_display",
                "content",
                "justification",
                "get_position_display",
                "reason",
                "duplicate_of",
            )
        )
    return out.getvalue()
