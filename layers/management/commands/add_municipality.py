from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from layers.identifiers import IdentifierError
from layers.municipalities import create_municipality
from layers.readers import ReaderError, read_area


class Command(BaseCommand):
    help = "Add a partner gmina (tenant) with its standard layers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--teryt", required=True, help="TERC code with the kind digit, e.g. 226101_1"
        )
        parser.add_argument("--name", required=True, help='e.g. "Gdańsk"')
        parser.add_argument("--slug", help="URL name (default: from the name)")
        parser.add_argument(
            "--boundary",
            help="boundary file in any GDAL-readable format; without it the boundary "
            "grows to cover imported data",
        )

    def handle(self, *args, **options) -> None:
        try:
            boundary = read_area(options["boundary"]) if options["boundary"] else None
            municipality = create_municipality(
                teryt=options["teryt"],
                name=options["name"],
                slug=options["slug"],
                boundary=boundary,
            )
        except (IdentifierError, ReaderError) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            messages = "; ".join(
                f"{field}: {' '.join(errs)}" for field, errs in exc.message_dict.items()
            )
            raise CommandError(messages) from exc
        zone = f", PL-2000 zone {municipality.pl2000_zone}" if municipality.pl2000_zone else ""
        self.stdout.write(
            self.style.SUCCESS(f"Added {municipality} at /{municipality.slug}/{zone}")
        )
