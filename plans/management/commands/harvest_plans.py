"""python manage.py harvest_plans --municipality SLUG [--url WFS_URL] [--kind pog|mpzp] [--dry-run] [--json]"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.ingest.audit import record_rejected_import
from plans.ingest.console import finish, municipality_or_error
from plans.ingest.harvest import HarvestError, harvest, source_url
from plans.ingest.sync import remember_source


class Command(BaseCommand):
    help = (
        "Harvest the gmina's acts (act, zones, OUZ/OZS/OSD, documents) from a WFS 2.0 serving APP "
        "GML (default: the Rejestr Urbanistyczny) and import them like import_plan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="the gmina's slug")
        parser.add_argument("--url", help="the WFS (default: the register's for --kind)")
        parser.add_argument("--kind", default="pog", choices=["pog", "mpzp"])
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--sync",
            choices=["on", "off"],
            help="keep the gmina in step with this source (the HARVEST_SYNC_HOURS job)",
        )

    def handle(self, *args, **opts):
        municipality = municipality_or_error(opts["municipality"])
        url = source_url(opts["kind"], opts["url"])
        with tempfile.TemporaryDirectory(prefix="harvest-") as folder:
            try:
                report = harvest(
                    municipality=municipality,
                    folder=Path(folder),
                    kind=opts["kind"],
                    url=url,
                    dry_run=opts["dry_run"],
                )
            except HarvestError as exc:
                raise CommandError(f"harvest failed, nothing written: {exc}", returncode=3) from exc
        if not opts["dry_run"]:
            record_rejected_import(report=report, municipality=municipality, actor=None)
            sync = None if opts["sync"] is None else opts["sync"] == "on"
            remember_source(
                municipality=municipality, kind=opts["kind"], url=url, report=report, sync=sync
            )
        finish(report, as_json=opts["json"], stdout=self.stdout)
