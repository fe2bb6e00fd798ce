"""python manage.py import_addresses --municipality SLUG FILE [FILE …] [--dry-run] [--json]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from plans.ingest.addresses import import_addresses
from plans.ingest.console import finish, municipality_or_error


class Command(BaseCommand):
    help = (
        "Import a gmina's address points from the national register's GML (PRG / EMUiA, prg-ad "
        "schema). The import replaces the gmina's address points; import_parcels accepts the "
        "same files."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--municipality", required=True, help="the gmina's slug")
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **opts):
        report = import_addresses(
            municipality=municipality_or_error(opts["municipality"]),
            paths=opts["files"],
            dry_run=opts["dry_run"],
        )
        finish(report, as_json=opts["json"], stdout=self.stdout)
