"""python manage.py export_plan --municipality SLUG [--plan ID|APP-id] --out FILE.gml"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.app_export import ExportError, export_app_gml, export_metadata, plan_to_export
from plans.ingest.console import municipality_or_error


class Command(BaseCommand):
    help = (
        "Export a plan as one APP 3.0 GML for the Rejestr Urbanistyczny (act, documents, zones, "
        "OUZ/OZS/OSD) and its ISO 19139 metadata record (FILE.iso19139.xml next to it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="the gmina's slug")
        parser.add_argument(
            "--plan",
            help="the plan's id in the portal or its APP lokalnyId (default: the gmina's plan "
            "ogólny in force, else its newest plan)",
        )
        parser.add_argument("--out", required=True, type=Path, help="the GML file to write")

    def handle(self, *args, **opts):
        municipality = municipality_or_error(opts["municipality"])
        plan = plan_to_export(municipality, opts["plan"])
        if plan is None:
            raise CommandError(f"{municipality.name} has no such plan", returncode=2)
        try:
            gml = export_app_gml(plan=plan)
        except ExportError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        out: Path = opts["out"]
        metadata = out.with_suffix(".iso19139.xml")
        out.write_bytes(gml)
        metadata.write_bytes(export_metadata(plan=plan))
        self.stdout.write(f"{plan.pk} {plan.local_id or plan.title}: {out}, {metadata}\n")
