"""python manage.py import_plan --municipality SLUG FILE [FILE …] [--dry-run] [--json]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.ingest.audit import record_rejected_import
from plans.ingest.console import ProgressBar, finish, municipality_or_error
from plans.ingest.pipeline import PlanOptions, import_plan
from plans.ingest.vector import ZoneMapping
from plans.models import Plan


def act_plan(municipality, reference: str | None) -> Plan | None:
    """The plan named by --plan, else the gmina's plan ogólny being drawn up (if any)."""
    plans = Plan.objects.for_municipality(municipality)
    if not reference:
        return plans.current_pog_draft()
    plan = plans.by_reference(reference)
    if plan is None:
        raise CommandError(f"{municipality.name} has no plan {reference!r}", returncode=2)
    return plan


class Command(BaseCommand):
    help = (
        "Import a plan: APP GML (act + zones, 1.0/2.0/3.0) or MPZP zones from GeoPackage, zipped "
        "Shapefile or GeoJSON. Validates first; writes nothing unless the report is clean."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--municipality", required=True, help="the gmina's slug")
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--publish", action="store_true", help="publish at once when clean")
        parser.add_argument("--repair", action="store_true", help="repair invalid geometries")
        parser.add_argument("--provisions", type=Path, help="resolution text or CSV/JSON")
        parser.add_argument("--title", default="", help="title (vector MPZP zones)")
        parser.add_argument("--kind", default="MPZP", choices=Plan.Kind.values)
        parser.add_argument("--status", default="elaboration", choices=Plan.Status.values)
        parser.add_argument("--designation-field", default="designation")
        parser.add_argument("--name-field", default="name")
        parser.add_argument("--layer", help="the layer to read when the file has several")
        parser.add_argument(
            "--plan",
            help="files without an act (e.g. zones alone) are checked against this plan of the "
            "gmina: its id in the portal or its APP lokalnyId (default: the gmina's POG draft)",
        )

    def handle(self, *args, **opts):
        municipality = municipality_or_error(opts["municipality"])
        options = PlanOptions(
            title=opts["title"],
            kind=opts["kind"],
            status=opts["status"],
            provisions=opts["provisions"],
            repair=opts["repair"],
            publish=opts["publish"],
            mapping=ZoneMapping(
                designation=opts["designation_field"], name=opts["name_field"], layer=opts["layer"]
            ),
            act_plan=act_plan(municipality, opts["plan"]),
        )
        bar = ProgressBar(self.stderr._out)
        report, _plan = import_plan(
            municipality=municipality,
            paths=opts["files"],
            options=options,
            dry_run=opts["dry_run"],
            progress=bar,
        )
        bar.close()
        if not opts["dry_run"]:
            record_rejected_import(report=report, municipality=municipality, actor=None)
        finish(report, as_json=opts["json"], stdout=self.stdout)
