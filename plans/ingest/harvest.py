"""Harvest a gmina's acts from a WFS (``harvest_plans``, the import page's button, the sync job).

Two steps. ``download`` reads every APP feature type of the service for the gmina
(``harvest_wfs``), stitches each act with its zones, areas and documents, and writes them as
APP GML files, one folder per act (``act-1/StrefaPlanistyczna.gml`` …): a failure there raises
``HarvestError`` before anything reaches the database. ``import_harvest`` hands each act's files to
the import pipeline (the same report; nothing written unless every act is clean, all acts in one
transaction). An act whose version (``wersjaId``) is in the portal already is left alone; a newer
version supersedes the old one as any import does.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop as _
from lxml import etree

from layers.messages import problem
from layers.models import Municipality
from layers.xmlparse import local, parse_file
from plans.ingest.harvest_wfs import (
    REGISTER_URLS,
    WFS,
    HarvestError,
    read_capabilities,
    read_source,
)
from plans.ingest.pipeline import PlanOptions, import_plan
from plans.ingest.report import INFO, Report
from plans.models import Plan

__all__ = ["HarvestError", "download", "harvest", "import_harvest", "source_url"]
ACT = "AktPlanowaniaPrzestrzennego"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def source_url(kind: str, url: str | None = None) -> str:
    return url or REGISTER_URLS[kind]


@dataclass
class Member:
    """A wfs:member's feature with the identifiers it carries and the hrefs it holds."""

    element: etree._Element  # the wfs:member
    type: str
    namespace: str
    local_id: str
    version_id: str
    plan_refs: list[str]
    refs: list[str]

    @classmethod
    def of(cls, member: etree._Element) -> Member:
        feature = member[0]
        ident = next(feature.iter("{*}Identyfikator"), None)

        def text(name: str) -> str:
            return (ident.findtext(f"{{*}}{name}") or "").strip() if ident is not None else ""

        hrefs = [(local(c.tag), c.get(XLINK_HREF)) for c in feature if c.get(XLINK_HREF)]
        return cls(
            element=member,
            type=local(feature.tag),
            namespace=text("przestrzenNazw"),
            local_id=text("lokalnyId"),
            version_id=text("wersjaId"),
            plan_refs=[h for name, h in hrefs if name == "plan"],
            refs=[h for _name, h in hrefs],
        )

    def names(self, other: Member) -> bool:
        """Whether an href of ours points to ``other`` (…/<przestrzenNazw>/<lokalnyId>[/<wersja>])."""
        key = f"/{other.namespace}/{other.local_id}"
        return any(h.endswith(key) or f"{key}/" in h for h in self.refs)


@dataclass
class HarvestedAct:
    act: Member
    members: list[Member] = field(default_factory=list)
    folder: Path | None = None
    files: list[Path] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.act.namespace}/{self.act.local_id} {self.act.version_id}"


def stitch(members: list[Member], *, kind: str) -> list[HarvestedAct]:
    """Each act of the kind (newest version of each) with the features that belong to it."""
    newest: dict[tuple[str, str], Member] = {}
    for m in members:
        if m.type == ACT and m.namespace.upper().endswith(f"-{kind.upper()}"):
            key = (m.namespace, m.local_id)
            if key not in newest or m.version_id > newest[key].version_id:
                newest[key] = m
    acts = [HarvestedAct(act=a) for a in newest.values()]
    for m in members:
        if m.type == ACT:
            continue
        for harvested in acts:
            act = harvested.act
            if m.plan_refs:
                mine = m.names(act)
            else:  # documents: named by the act, else those of its namespace
                mine = act.names(m) or (m.namespace == act.namespace and len(acts) == 1)
            if mine:
                harvested.members.append(m)
    return acts


def _write_act(harvested: HarvestedAct, folder: Path, timestamp: str) -> None:
    """One wfs:FeatureCollection file per APP type of the act (the pipeline reads them together)."""
    folder.mkdir(parents=True, exist_ok=True)
    by_type: dict[str, list[Member]] = {}
    for m in [harvested.act, *harvested.members]:
        by_type.setdefault(m.type, []).append(m)
    harvested.folder = folder
    for type_name, members in by_type.items():
        root = etree.Element(
            f"{{{WFS}}}FeatureCollection",
            nsmap={"wfs": WFS, "gml": "http://www.opengis.net/gml/3.2"},
            timeStamp=timestamp or "2000-01-01T00:00:00Z",
            numberMatched=str(len(members)),
            numberReturned=str(len(members)),
        )
        for m in members:
            root.append(copy.deepcopy(m.element))
        path = folder / f"{type_name}.gml"
        path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
        harvested.files.append(path)


def download(
    *, municipality: Municipality, folder: Path, kind: str = "pog", url: str | None = None
) -> list[HarvestedAct]:
    """Read the gmina's acts of ``kind`` from the WFS and write them under ``folder``."""
    base = source_url(kind, url)
    timeout = settings.HARVEST_TIMEOUT_S
    get_feature, sources = read_capabilities(base, timeout=timeout)
    teryt = municipality.teryt[:6]
    members: list[Member] = []
    timestamp = ""
    for source in sources:
        elements = read_source(
            get_feature,
            source,
            teryt=teryt,
            kind=kind,
            count=settings.HARVEST_PAGE_SIZE,
            timeout=timeout,
        )
        members += [Member.of(e) for e in elements if len(e)]
        if len(members) > settings.HARVEST_MAX_FEATURES:
            raise HarvestError(
                f"more than {settings.HARVEST_MAX_FEATURES} features (HARVEST_MAX_FEATURES)",
                url=base,
            )
        timestamp = timestamp or (elements[0].getparent().get("timeStamp", "") if elements else "")
    acts = stitch(members, kind=kind)
    for number, harvested in enumerate(acts, start=1):
        _write_act(harvested, folder / f"act-{number}", timestamp)
    return acts


def _unchanged(municipality: Municipality, act: Member) -> Plan | None:
    return (
        Plan.objects.for_municipality(municipality)
        .filter(namespace=act.namespace, local_id=act.local_id, version_id=act.version_id)
        .first()
    )


def _merge(into: Report, part: Report) -> None:
    into.files += part.files
    into.findings += part.findings
    into.features += part.features


def import_harvest(
    *,
    municipality: Municipality,
    folders: list[list[Path]],
    dry_run: bool = False,
    actor=None,
    publish: bool = True,
) -> Report:
    """Import each harvested act (its files); all or nothing. ``folders``: the files of each act."""
    report = Report(kind="plan", dry_run=dry_run)
    acts: list[dict] = []
    with transaction.atomic():
        for paths in folders:
            act = Member.of(_act_element(paths))
            entry = {"local_id": act.local_id, "version_id": act.version_id}
            if (plan := _unchanged(municipality, act)) is not None:
                report.add(
                    "harvest.unchanged",
                    problem(
                        _(
                            "version %(version)s of %(act)s is in the portal already "
                            "(plan %(plan)s); nothing to do"
                        ),
                        version=act.version_id,
                        act=act.local_id,
                        plan=plan.pk,
                    ),
                    feature=act.local_id,
                    severity=INFO,
                )
                acts.append({**entry, "result": "unchanged", "plan_id": plan.pk})
                continue
            part, saved = import_plan(
                municipality=municipality,
                paths=paths,
                options=PlanOptions(publish=publish),
                dry_run=dry_run,
                actor=actor,
            )
            _merge(report, part)
            acts.append({**entry, "result": part.status, "plan_id": saved.pk if saved else None})
            report.written = report.written or part.written
        if not report.ok and report.written:
            transaction.set_rollback(True)
            report.written = False
    if not folders:
        report.add(
            "harvest.no_act", problem(_("the service holds no act of this gmina")), severity=INFO
        )
    unchanged = bool(acts) and all(a["result"] == "unchanged" for a in acts)
    report.summary = {"acts": acts, "harvest_unchanged": unchanged}
    return report


def _act_element(paths: list[Path]) -> etree._Element:
    act_file = next(p for p in paths if p.stem == ACT)
    return parse_file(act_file).getroot()[0]


def act_folders(folder: Path, files: list[str]) -> list[list[Path]]:
    """The harvested files (relative to ``folder``) grouped by act folder."""
    grouped: dict[str, list[Path]] = {}
    for name in files:
        grouped.setdefault(str(Path(name).parent), []).append(folder / name)
    return [grouped[key] for key in sorted(grouped)]


def harvest(
    *,
    municipality: Municipality,
    folder: Path,
    kind: str = "pog",
    url: str | None = None,
    dry_run: bool = False,
    actor=None,
) -> Report:
    """Download and import in one go (the command and the sync job)."""
    acts = download(municipality=municipality, folder=folder, kind=kind, url=url)
    return import_harvest(
        municipality=municipality,
        folders=[h.files for h in acts],
        dry_run=dry_run,
        actor=actor,
    )
