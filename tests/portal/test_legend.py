"""The map's legend: the zone classes actually in view, in the WMS palette's colours, in the
user's language; never a zone of a plan the WMS does not draw."""

from __future__ import annotations

from django.contrib.gis.geos import Polygon
from django.urls import reverse
from django.utils import translation

from portal.legend import CLASS_TITLES, zone_legend
from wms.maps.styles import zone_classes, zone_fill


def bbox4326(x0: float, y0: float, x1: float, y1: float) -> str:
    box = Polygon.from_bbox((x0, y0, x1, y1))
    box.srid = 2180
    return ",".join(f"{v:.7f}" for v in box.transform(4326, clone=True).extent)


def legend(client, slug: str, bbox: str, language: str = "pl") -> dict:
    response = client.get(
        reverse("map-legend", args=[slug]), {"bbox": bbox}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.json()


def test_it_lists_the_classes_in_view_with_the_palettes_colours(anonymous, world):
    x, y = world.plan_a.boundary.extent[:2]
    whole = legend(anonymous, "gmina-a", bbox4326(x, y, x + 400, y + 300))["zones"]
    assert [(z["key"], z["symbols"]) for z in whole] == [
        ("MN", ["MN"]),
        ("U", ["U"]),
        ("KD", ["KDD"]),
    ]
    assert [z["fill"] for z in whole] == [zone_fill("MN"), zone_fill("U"), zone_fill("KD")]
    # a view over 1MN only: only its class
    part = legend(anonymous, "gmina-a", bbox4326(x + 10, y + 10, x + 100, y + 100))["zones"]
    assert [z["key"] for z in part] == ["MN"]
    # a view outside every plan
    assert legend(anonymous, "gmina-a", bbox4326(x + 1500, y + 1500, x + 1600, y + 1600)) == {
        "zones": []
    }


def test_it_speaks_the_users_language(anonymous, world):
    x, y = world.plan_a.boundary.extent[:2]
    view = bbox4326(x, y, x + 100, y + 100)
    assert legend(anonymous, "gmina-a", view, "en")["zones"][0]["title"] == "single-family housing"
    polish = legend(anonymous, "gmina-a", view, "pl")["zones"][0]["title"]
    assert polish == "tereny zabudowy mieszkaniowej jednorodzinnej"


def test_every_palette_class_has_a_title_in_both_languages():
    keys = {c["key"] for c in zone_classes()}
    assert keys <= set(CLASS_TITLES)
    for key in keys:
        with translation.override("en"):
            english = str(CLASS_TITLES[key])
        with translation.override("pl"):
            assert str(CLASS_TITLES[key]) != english, key


def test_a_draft_and_another_gminas_zones_are_never_in_the_legend(world, planner_b, anonymous):
    assert (
        zone_legend(municipality=world.gmina_b, user=planner_b, bbox4326=_ll(world.draft_b)) == []
    )
    # gmina A's legend over gmina B's plan: nothing (tenant first)
    x, y = world.plan_b.boundary.extent[:2]
    assert legend(anonymous, "gmina-a", bbox4326(x, y, x + 400, y + 300)) == {"zones": []}
    assert legend(anonymous, "gmina-b", bbox4326(x, y, x + 400, y + 300))["zones"]


def _ll(plan) -> tuple[float, float, float, float]:
    return plan.boundary.transform(4326, clone=True).extent


def test_a_bad_bbox_is_a_400(anonymous, world):
    response = anonymous.get(reverse("map-legend", args=["gmina-a"]), {"bbox": "1,2,3"})
    assert response.status_code == 400
    assert anonymous.get("/nie-ma/legenda.json", {"bbox": "14,49,24,55"}).status_code == 404
