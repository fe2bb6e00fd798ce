"""Two-step sign-in gates every staff power, drafts included, in every channel.

A session that signed in with the password alone (an older session, a stolen password) of a staff
account that has a second factor is treated as a resident: the gmina's unpublished draft stays
hidden in HTML (plan page and list, the parcel panel a search opens), WMS (GetMap,
GetFeatureInfo), WFS and OGC API Features; after the code it shows.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from layers.models import Parcel
from layers.permissions import municipalities_where, visible_plans_filter
from plans.models import Plan
from tests.accounts.conftest import PASSWORD, totp_now
from tests.portal.conftest import parcel_under_draft_b
from tests.wfs.test_tenancy import zones
from tests.wms.conftest import DRAFT_BBOX, MW_RGB, _fresh_image_cache, close, getmap_url, rgb_at
from tests.wms.test_featureinfo import gfi_url

pytestmark = pytest.mark.django_db(transaction=True)
# fixtures of other folders: WMS's autouse one (no image cached across tests), a parcel under the draft
__all__ = ["_fresh_image_cache", "parcel_under_draft_b"]

SECRET = "9MW"
BOX = f"{DRAFT_BBOX[1]},{DRAFT_BBOX[0]},{DRAFT_BBOX[3]},{DRAFT_BBOX[2]}"
VIEW = {"BBOX": BOX, "WIDTH": 500, "HEIGHT": 500, "DIM_STATUS": "elaboration"}


@pytest.fixture
def device_b(planner_b) -> TOTPDevice:
    return TOTPDevice.objects.create(user=planner_b, name="aplikacja", confirmed=True)


@pytest.fixture
def password_only(planner_b, device_b) -> Client:
    client = Client()
    client.force_login(planner_b)  # signed in without the code
    return client


@pytest.fixture
def verified(planner_b, device_b) -> Client:
    client = Client()
    client.post("/konto/logowanie/", {"username": "planner_b", "password": PASSWORD})
    client.post("/konto/logowanie/kod/", {"token": totp_now(device_b)})
    assert client.session["_auth_user_id"] == str(planner_b.pk)
    return client


def draft_drawn(client: Client) -> bool:
    body = client.get(getmap_url("/gmina-b/ows", **VIEW)).content
    return close(rgb_at(body, (150, 150)), MW_RGB)


def draft_answers_featureinfo(client: Client) -> bool:
    response = client.get(gfi_url("/gmina-b/ows", pixel=(150, 150), fmt="text/plain", **VIEW))
    assert response.status_code == 200
    return SECRET.encode() in response.content


def draft_in_ogcapi(client: Client) -> bool:
    response = client.get("/ogcapi/collections/gmina-b:wektor-str/items?f=json&limit=1000")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return any(SECRET in json.dumps(f["properties"]) for f in json.loads(body)["features"])


def draft_page(client: Client, world) -> bool:
    return client.get(f"/gmina-b/plany/{world.draft_b.pk}/").status_code == 200


def draft_listed(client: Client, world) -> bool:
    return world.draft_b.title in client.get("/gmina-b/plany/").content.decode()


def draft_in_parcel_panel(client: Client, world) -> bool:
    """The panel a search result opens, for a parcel only the draft covers."""
    parcel = Parcel.objects.get(municipality=world.gmina_b, number="77")
    body = client.get("/gmina-b/panel/", {"dzialka": parcel.identifier}).content.decode()
    return SECRET in body


def draft_in_wfs(client: Client) -> bool:
    return SECRET in zones(client, "/gmina-b/ows") or SECRET in zones(client, "/ows")


CHANNELS = {
    "html-plan-page": draft_page,
    "html-plan-list": draft_listed,
    "html-parcel-panel": draft_in_parcel_panel,
    "wms-getmap": lambda client, world: draft_drawn(client),
    "wms-getfeatureinfo": lambda client, world: draft_answers_featureinfo(client),
    "wfs-getfeature": lambda client, world: draft_in_wfs(client),
    "ogcapi-items": lambda client, world: draft_in_ogcapi(client),
}


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_password_only_session_of_a_two_step_planner_sees_no_draft(
    world, parcel_under_draft_b, password_only, channel
):
    assert not CHANNELS[channel](password_only, world)


@pytest.mark.parametrize("channel", CHANNELS)
def test_after_the_code_the_same_planner_sees_the_draft(
    world, parcel_under_draft_b, verified, channel
):
    assert CHANNELS[channel](verified, world)


def test_the_permission_module_asks_for_the_second_factor_in_its_queries(world, password_only):
    user = password_only.get("/konto/").wsgi_request.user
    assert not user.is_verified()
    assert not municipalities_where(user, "plan.view_unpublished").exists()
    assert not Plan.objects.filter(visible_plans_filter(user), pk=world.draft_b.pk).exists()
