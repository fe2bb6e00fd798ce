"""APP features (from one or more files) -> one PlanDraft, following the xlinks between them."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_noop as _

from layers.messages import problem
from plans.designations import parse_designation
from plans.ingest.drafts import PARAMETERS, PlanDraft, RegulationDraft, ZoneDraft
from plans.ingest.gml_app import AppFeature
from plans.ingest.report import Report

PLAN_TYPES = {
    "planOgolnyGminy": "POG",
    "miejscowyPlanZagospodarowaniaPrzestrzennego": "MPZP",
    "studiumUwarunkowanIKierunkowZagospodarowaniaPrzestrzennegoGminy": "SUIKZP",
    "miejscowyPlanRewitalizacji": "MPR",
    "zintegrowanyPlanInwestycyjny": "ZPI",
    "miejscowyPlanOdbudowy": "MPZP",
}
PLAN_KINDS = {"MPZP", "SUIKZP", "POG", "PZPW", "MPR", "ZPI"}
STATUSES = {"elaboration", "adoption", "legalForce", "obsolete"}
REGULATION_TYPES = {
    "ObszarUzupelnieniaZabudowy": "OUZ",
    "ObszarZabudowySrodmiejskiej": "OZS",
    "ObszarStandardowDostepnosciInfrastrukturySpolecznej": "OSD",
}


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _zone(feature: AppFeature) -> ZoneDraft:
    designation = feature.first("oznaczenie")
    parsed = parse_designation(designation)
    symbol = feature.first("symbol") or parsed.symbol
    kind_titles = feature.refs.get("nazwa", [])
    return ZoneDraft(
        designation=designation,
        file=feature.file,
        geom=feature.geom,
        symbol=symbol,
        number=parsed.number,
        name=(kind_titles[0][1] if kind_titles else "") or feature.first("nazwaAlternatywna"),
        zone_kind=symbol if feature.type == "StrefaPlanistyczna" else "",
        kind_code=(feature.ref_codes("nazwa") or [""])[0],
        profile=feature.ref_codes("profilPodstawowy"),
        extra_profile=feature.ref_codes("profilDodatkowy"),
        parameters_raw={
            name: feature.values[name] for name in PARAMETERS if name in feature.values
        },
        namespace=feature.namespace,
        local_id=feature.local_id,
        version_id=feature.version_id,
        where=f"line {feature.line}",
    )


def _regulation(feature: AppFeature) -> RegulationDraft:
    parameters = {
        name: values[0]
        for name, values in feature.values.items()
        if name.startswith(("odleglosc", "powierzchnia", "wylaczenie"))
    }
    return RegulationDraft(
        kind=REGULATION_TYPES[feature.type],
        file=feature.file,
        geom=feature.geom,
        name=feature.first("nazwa") or feature.first("tytul"),
        designation=feature.first("oznaczenie"),
        local_id=feature.local_id,
        parameters=parameters,
    )


def _apply_act(plan: PlanDraft, act: AppFeature) -> None:
    plan.file = act.file
    plan.title = act.first("tytul") or plan.title
    kind = PLAN_TYPES.get((act.ref_codes("typPlanu") or [""])[0])
    plan.kind = kind or (act.namespace.rsplit("-", 1)[-1] if "-" in act.namespace else plan.kind)
    status = (act.ref_codes("status") or [""])[0]
    plan.status = status if status in STATUSES else plan.status
    plan.namespace, plan.local_id, plan.version_id = act.namespace, act.local_id, act.version_id
    plan.in_force_from = _date(act.first("obowiazujeOd"))
    plan.in_force_to = _date(act.first("obowiazujeDo"))
    plan.boundary = act.geom


def _apply_document(plan: PlanDraft, doc: AppFeature) -> None:
    plan.documents.append(
        {
            "file": doc.file,
            "resolution": bool(doc.refs.get("uchwala")),
            "title": doc.first("tytul"),
            "local_id": doc.local_id,
            "date": doc.first("data"),
            "links": doc.values.get("lacze", []),
        }
    )
    if doc.refs.get("uchwala") or not plan.resolution_number:
        plan.resolution_number = doc.first("numerIdentyfikacyjny") or doc.first("tytul")[:80]
        plan.resolution_date = _date(doc.first("data")[:10]) or plan.resolution_date
        journals = doc.refs.get("dziennikUrzedowy", [])
        detail = doc.first("szczegoloweOdniesienie")
        if journals or detail:
            journal = journals[0][1] if journals else ""
            plan.publication = " ".join(p for p in (journal, detail) if p)[:200]


def _no_act(plan: PlanDraft, features: list[AppFeature], report: Report) -> None:
    """Files without an act: keep reading; the act is one missing piece among the findings."""
    kinds = sorted({f.type for f in features})
    report.add(
        "app.no_act",
        problem(
            _(
                "no AktPlanowaniaPrzestrzennego among the files (read: %(kinds)s): import the "
                "act (AktPlanowaniaPrzestrzennego.gml) together with its zones, or check them "
                "against a plan already in the portal (--plan)"
            ),
            kinds=", ".join(kinds),
        ),
    )
    first = next((f for f in features if f.namespace), None)
    if first is not None:
        plan.namespace = first.namespace
        suffix = first.namespace.rsplit("-", 1)[-1] if "-" in first.namespace else ""
        plan.kind = suffix if suffix in PLAN_KINDS else plan.kind
        plan.file = first.file


def build_plan(
    features: list[AppFeature], report: Report, *, act_from: PlanDraft | None = None
) -> PlanDraft:
    """The plan of the features read; ``act_from`` stands in for an act the files do not hold."""
    acts = [f for f in features if f.type == "AktPlanowaniaPrzestrzennego"]
    if len(acts) > 1:
        report.add(
            "app.several_acts",
            problem(_("%(count)s acts in one import; import one plan at a time"), count=len(acts)),
            file=acts[1].file,
            feature=acts[1].label,
        )
    if acts:
        plan = PlanDraft(kind="POG", title="")
        _apply_act(plan, acts[0])
        plan.act_read = True
        act_refs = {acts[0].gml_id, acts[0].local_id}
    elif act_from is not None:
        plan = act_from
        act_refs = {plan.local_id}
    else:
        plan = PlanDraft(kind="POG", title="")
        _no_act(plan, features, report)
        act_refs = set()
    for feature in features:
        if feature.type == "StrefaPlanistyczna":
            plan.zones.append(_zone(feature))
        elif feature.type in REGULATION_TYPES:
            plan.regulations.append(_regulation(feature))
        elif feature.type == "DokumentFormalny":
            _apply_document(plan, feature)
        elif feature.type == "RysunekAktuPlanowaniaPrzestrzennego":
            scale = feature.first("rozdzielczoscPrzestrzenna")
            plan.drawing_scale = int(scale) if scale.isdigit() else plan.drawing_scale
        if act_refs:
            _check_act_refs(feature, act_refs, report)
    return plan


def _check_act_refs(feature: AppFeature, act_refs: set[str], report: Report) -> None:
    for name, refs in feature.refs.items():
        if name in {"plan", "uchwala", "aktPlanowaniaPrzestrzennego"}:
            for href, _title in refs:
                segments = set(href.lstrip("#").split("/"))
                if href and not segments & act_refs:
                    report.add(
                        "app.xlink_unresolved",
                        problem(
                            _("%(name)s points to '%(href)s', which is not the act of this import"),
                            name=name,
                            href=href,
                        ),
                        file=feature.file,
                        feature=feature.label,
                        severity="warning",
                    )
