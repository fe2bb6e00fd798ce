"""The draft (``projekt``) and the comments (``uwagi``) as layers of the gmina's WMS and WFS.

Registered into ``wms.core.extra_layers`` by ``ConsultationConfig.ready``. The same rules as the public
GeoJSON of consultation/views.py, written in SQL:

- ``projekt``: the zones of a plan under consultation, from the consultation's start (art. 8h ust. 1
  u.p.z.p.), each marked ``status = 'projekt'``; drawn hatched, in a distinct outline, labelled
  "PROJEKT".
- ``uwagi``: the comments placed on the map, once the consultation started and its report is
  published (the positions are the report's, art. 8k ust. 2); number, status, topic, dates and
  zone, never a name, an address, an e-mail or the text (art. 8a, RODO); coloured by status.

A layer is offered by a gmina's service only from that moment on (before it the capabilities do not
list it); another gmina's service never offers it. consultation/migrations/0002 makes every write to
the two tables move the catalogue generation, and ``changes_sql`` declares the starts (time passing,
no write), so no cached map is served stale.
"""

from __future__ import annotations

from consultation.models import Comment
from wms.core.extra_layers import ExtraLayer, register
from wms.core.featuretypes import KindSpec, Prop
from wms.maps.styles import (
    Rule,
    StyleDef,
    fill_xml,
    label_xml,
    line_xml,
    marker_xml,
    pattern_xml,
)

PROJEKT = "projekt"
UWAGI = "uwagi"
STARTED = "c.starts_at <= now()"
# the moments the two layers change with no write: a consultation becomes public at its start
# (the generation does not move then; wms/core/extra_layers.py ``time_epoch``)
STARTS = "SELECT starts_at FROM consultation_consultation"
DRAFT_OUTLINE = "#c2185b"
# status code -> (Polish title, colour); the codes are Comment.Position values ('' = pending)
STATUSES = {
    "pending": ("jeszcze nierozpatrzona", "#7f7f7f"),
    Comment.Position.ACCEPTED: ("uwzględniona", "#2e7d32"),
    Comment.Position.PARTLY: ("częściowo uwzględniona", "#f9a825"),
    Comment.Position.REJECTED: ("nieuwzględniona", "#c62828"),
}
STATUS_SQL = "COALESCE(NULLIF(t.position, ''), 'pending')"
# topic code -> Polish title; the codes are Comment.Topic values ('' stored by old rows = other)
TOPICS = {
    Comment.Topic.LAND_USE: "przeznaczenie terenu",
    Comment.Topic.BUILDING: "parametry zabudowy (wysokość, intensywność)",
    Comment.Topic.TRANSPORT: "komunikacja i drogi",
    Comment.Topic.GREENERY: "zieleń i środowisko",
    Comment.Topic.INFRASTRUCTURE: "infrastruktura",
    Comment.Topic.OTHER: "inne",
}
TOPIC_SQL = "COALESCE(NULLIF(t.topic, ''), 'other')"
TOPIC_TITLE_SQL = (
    "CASE "
    + " ".join(f"WHEN {TOPIC_SQL} = '{code}' THEN '{title}'" for code, title in TOPICS.items())
    + " END"
)
STATUS_TITLE_SQL = (
    "CASE "
    + " ".join(
        f"WHEN {STATUS_SQL} = '{code}' THEN '{title}'" for code, (title, _c) in STATUSES.items()
    )
    + " END"
)

DRAFT_SPEC = KindSpec(
    kind=PROJEKT,
    from_sql="plans_planzone t JOIN plans_plan p ON p.id = t.plan_id",
    where=(
        "EXISTS (SELECT 1 FROM consultation_consultation c WHERE c.plan_id = t.plan_id "
        "AND c.municipality_id = t.municipality_id AND c.starts_at <= now())",
    ),
    props=(
        Prop("oznaczenie", "t.designation", title="oznaczenie terenu"),
        Prop("nazwa", "t.name"),
        Prop("status", "'projekt'::text", title="projekt planu, nie obowiązuje"),
        Prop("plan_tytul", "p.title"),
    ),
)

COMMENT_SPEC = KindSpec(
    kind=UWAGI,
    from_sql="consultation_comment t JOIN consultation_consultation c ON c.id = t.consultation_id",
    where=(
        "t.geom IS NOT NULL",
        "c.municipality_id = t.municipality_id",
        STARTED,
        "c.report_published_at IS NOT NULL",
    ),
    geometry_xsd="gml:GeometryPropertyType",
    props=(
        Prop("numer", "t.number", "integer", title="numer uwagi"),
        Prop("status", STATUS_SQL, title="stanowisko wójta, burmistrza lub prezydenta"),
        Prop("status_opis", STATUS_TITLE_SQL),
        Prop("temat", TOPIC_SQL, title="temat uwagi"),
        Prop("temat_opis", TOPIC_TITLE_SQL),
        Prop("strefa", "t.zone_designation", title="oznaczenie terenu w projekcie"),
        Prop("zlozona", "(t.submitted_at AT TIME ZONE 'Europe/Warsaw')::date", "date"),
        Prop("konsultacje_id", "c.id", "integer"),
        Prop("konsultacje_od", "c.starts_at", "dateTime"),
        Prop("konsultacje_do", "c.ends_at", "dateTime"),
    ),
)


def draft_style() -> StyleDef:
    rule = Rule(
        name=PROJEKT,
        title="projekt planu (konsultacje społeczne)",
        filter=None,
        symbolizers=(
            (None, None, pattern_xml("hatch-diagonal-135.svg")),
            (None, None, line_xml(DRAFT_OUTLINE, 2.5, [8, 4])),
        ),
    )
    label = Rule(
        name="etykieta",
        title="",
        filter=None,
        symbolizers=(
            (None, 10000, label_xml("'PROJEKT ' + [oznaczenie]", size=11, color=DRAFT_OUTLINE)),
        ),
    )
    return StyleDef(PROJEKT, "default", "domyślny", (rule,), (label,))


def comment_style() -> StyleDef:
    rules = tuple(
        Rule(
            name=str(code),
            title=title,
            filter=f"[status] = '{code}'",
            symbolizers=(
                (None, None, fill_xml(colour, 0.3)),
                (None, None, line_xml(colour, 2)),
                (None, None, marker_xml(colour, 12)),
            ),
        )
        for code, (title, colour) in STATUSES.items()
    )
    return StyleDef(UWAGI, "default", "domyślny", rules)


def register_layers() -> None:
    """Called once from ``ConsultationConfig.ready``."""
    register(
        ExtraLayer(
            name=PROJEKT,
            title="Projekt planu – konsultacje społeczne (PROJEKT, nie obowiązuje)",
            abstract="Tereny projektu planu wyłożonego do konsultacji społecznych; "
            "projekt nie jest obowiązującym planem.",
            spec=DRAFT_SPEC,
            offered_sql="SELECT municipality_id, min(starts_at) FROM consultation_consultation "
            "GROUP BY municipality_id",
            style=draft_style(),
            title_prop="oznaczenie",
            changes_sql=STARTS,
        )
    )
    register(
        ExtraLayer(
            name=UWAGI,
            title="Uwagi z konsultacji społecznych",
            abstract="Miejsca uwag złożonych w konsultacjach społecznych z numerem i stanowiskiem, "
            "po opublikowaniu raportu; bez danych osobowych.",
            spec=COMMENT_SPEC,
            offered_sql="SELECT municipality_id, min(greatest(starts_at, report_published_at)) "
            "FROM consultation_consultation WHERE report_published_at IS NOT NULL "
            "GROUP BY municipality_id",
            style=comment_style(),
            title_prop="numer",
            changes_sql=STARTS,
        )
    )
