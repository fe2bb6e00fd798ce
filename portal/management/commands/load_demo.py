from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from accounts.models import StaffProfile, SurveyorProfile
from layers.models import Membership, Municipality
from portal.demo import DEMO_GMINY, load_demo

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - printed on purpose: demo accounts only
# login, gmina, role, full name and position printed on the documents they sign (fictional people)
DEMO_STAFF = [
    (
        "planista-wierzbno",
        "wierzbno-demo",
        Membership.Role.PLANNER,
        "Marek Wiśniewski",
        "inspektor ds. planowania przestrzennego",
    ),
    (
        "urzednik-wierzbno",
        "wierzbno-demo",
        Membership.Role.CLERK,
        "Anna Nowak",
        "podinspektor ds. zagospodarowania przestrzennego",
    ),
    (
        "planista-jaworzyn",
        "jaworzyn-demo",
        Membership.Role.PLANNER,
        "Tomasz Zieliński",
        "główny specjalista ds. urbanistyki",
    ),
    ("geodeta", None, None, "Piotr Kamiński", "geodeta uprawniony"),
]


class Command(BaseCommand):
    help = "Load the fictional demo gminy, their parcels and plans, and demo accounts (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="drop the demo gminy and load them again"
        )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        if options["force"]:  # applications decided by a demo gmina would keep it (PROTECT)
            SurveyorProfile.objects.filter(
                municipality__slug__in=[g.slug for g in DEMO_GMINY]
            ).delete()
        for municipality, loaded in load_demo(force=options["force"]):
            state = "loaded" if loaded else "already there"
            self.stdout.write(
                f"  {municipality.name} ({municipality.teryt}) /{municipality.slug}/: {state}"
            )
        self._accounts()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        )
        self.stdout.write(
            f"Demo accounts (password for all: {DEMO_PASSWORD}):\n"
            "  admin               platform administrator (/admin/)\n"
            "  planista-wierzbno   planner of Wierzbno Demonstracyjne\n"
            "  urzednik-wierzbno   clerk of Wierzbno Demonstracyjne\n"
            "  planista-jaworzyn   planner of Jaworzyn Demonstracyjny\n"
            "  geodeta             surveyor (licence approved)"
        )

    def _accounts(self) -> None:
        users = get_user_model()
        admin, created = users.objects.get_or_create(
            username="admin",
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.org"},
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save(update_fields=["password"])
        for username, slug, role, full_name, position in DEMO_STAFF:
            user, created = users.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.org"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            StaffProfile.objects.update_or_create(
                user=user, defaults={"full_name": full_name, "position": position}
            )
            if slug:
                Membership.objects.get_or_create(
                    user=user, municipality=Municipality.objects.get(slug=slug), role=role
                )
        self._approved_surveyor(users.objects.get(username="geodeta"))

    def _approved_surveyor(self, user) -> None:
        """The demo surveyor's licence, approved by Wierzbno, so the batch API answers at once."""
        SurveyorProfile.objects.update_or_create(
            user=user,
            defaults={
                "licence_number": "GK-I-7341/2014",
                "company": "Pracownia Geodezyjna Przykład",
                "municipality": Municipality.objects.get(slug="wierzbno-demo"),
                "status": SurveyorProfile.Status.APPROVED,
                "decided_at": timezone.now(),
                "reason": "konto demonstracyjne",
            },
        )
