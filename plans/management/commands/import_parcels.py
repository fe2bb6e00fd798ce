"""python manage.py import_parcels --municipality SLUG FILE [FILE …] [--dry-run] [--json]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from plans.ingest.audit import record_rejected_import
from plans.ingest.console import ProgressBar, finish, municipality_or_error
from plans.ingest.pipeline import import_parcels
from plans.ingest.vector import ParcelMapping


class Command(BaseCommand):
    help = (
        "Import parcels: EGiB GML (current and older GUGiK schema), GeoPackage, zipped Shapefile or "
        "GeoJSON. A re-import supersedes the current parcels of the precincts it covers."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--municipality", required=True, help="the gmina's slug")
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--repair", action="store_true", help="repair invalid geometries")
        parser.add_argument(
            "--whole-municipality",
            action="store_true",
            help="supersede all current parcels of the gmina, not only of the precincts in the file",
        )
        parser.add_argument("--identifier-field", default="identifier")
        parser.add_argument("--area-field", default="registered_area_ha")
        parser.add_argument("--area-unit", default="ha", choices=["ha", "m2"])
        parser.add_argument("--layer", help="the layer to read when the file has several")

    def handle(self, *args, **opts):
        municipality = municipality_or_error(opts["municipality"])
        bar = ProgressBar(self.stderr._out)
        report = import_parcels(
            municipality=municipality,
            paths=opts["files"],
            dry_run=opts["dry_run"],
            whole_municipality=opts["whole_municipality"],
            repair=opts["repair"],
            mapping=ParcelMapping(
                identifier=opts["identifier_field"],
                area=opts["area_field"],
                area_unit=opts["area_unit"],
                layer=opts["layer"],
            ),
            progress=bar,
        )
        bar.close()
        if not opts["dry_run"]:
            record_rejected_import(report=report, municipality=municipality, actor=None)
        finish(report, as_json=opts["json"], stdout=self.stdout)
