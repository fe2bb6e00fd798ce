"""The demo accounts as people would use them: staff sign with names, the surveyor is approved."""

from __future__ import annotations

import pytest

from accounts.models import StaffProfile, signatory_of
from layers.models import Membership
from layers.permissions import can
from portal.management.commands.load_demo import Command
from tests.factories import make_municipality

pytestmark = pytest.mark.django_db


def test_demo_staff_have_full_names_and_positions_and_the_demo_surveyor_is_approved():
    make_municipality("209901_2", "Wierzbno Demonstracyjne", "wierzbno-demo", (751000, 598000))
    make_municipality("069901_3", "Jaworzyn Demonstracyjny", "jaworzyn-demo", (703000, 388000))
    Command()._accounts()
    Command()._accounts()  # idempotent
    clerk = Membership.objects.get(role="clerk", municipality__slug="wierzbno-demo").user
    name, position = signatory_of(clerk)
    assert name and position and name != clerk.get_username()
    assert StaffProfile.objects.filter(full_name="").count() == 0
    from django.contrib.auth import get_user_model

    surveyor = get_user_model().objects.get(username="geodeta")
    assert surveyor.surveyor_profile.is_approved
    assert can(surveyor, "extract.request_batch")
