"""What an import would write: a plan with its zones and regulations, or a set of parcels.

Readers (APP GML, GeoPackage/Shapefile/GeoJSON, EGiB) produce drafts; ``validate`` checks them and
``writer`` stores them. Geometries are in EPSG:2180, x = easting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.gis.geos import MultiPolygon
from shapely.geometry.base import BaseGeometry

PARAMETERS = {
    "maksNadziemnaIntensywnoscZabudowy": "max_building_intensity",
    "maksUdzialPowierzchniZabudowy": "max_building_coverage_pct",
    "maksWysokoscZabudowy": "max_height_m",
    "minUdzialPowierzchniBiologicznieCzynnej": "min_biologically_active_pct",
}


@dataclass
class ZoneDraft:
    designation: str
    file: str
    geom: MultiPolygon | None
    symbol: str = ""
    number: int | None = None
    name: str = ""
    zone_kind: str = ""
    kind_code: str = ""  # the RodzajStrefyPlanistycznejKod value, for POG
    profile: list[str] = field(default_factory=list)
    extra_profile: list[str] = field(default_factory=list)
    parameters_raw: dict[str, list[str]] = field(default_factory=dict)
    namespace: str = ""
    local_id: str = ""
    version_id: str = ""
    provisions: str = ""
    where: str = ""

    @property
    def label(self) -> str:
        return self.designation or self.local_id

    def parameter(self, app_name: str) -> float | None:
        values = self.parameters_raw.get(app_name)
        try:
            return float(values[0]) if values else None
        except ValueError:
            return None


@dataclass
class RegulationDraft:
    kind: str  # OUZ, OZS, OSD
    file: str
    geom: MultiPolygon | None
    name: str = ""
    designation: str = ""
    local_id: str = ""
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.designation or self.local_id


@dataclass
class PlanDraft:
    kind: str
    title: str
    file: str = ""
    namespace: str = ""
    local_id: str = ""
    version_id: str = ""
    status: str = "elaboration"
    in_force_from: dt.date | None = None
    in_force_to: dt.date | None = None
    resolution_number: str = ""
    resolution_date: dt.date | None = None
    publication: str = ""
    drawing_scale: int | None = None
    general_provisions: str = ""
    boundary: MultiPolygon | None = None
    zones: list[ZoneDraft] = field(default_factory=list)
    regulations: list[RegulationDraft] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    boundary_from_zones: bool = False
    resolution_file: Path | None = None  # the resolution text, kept as a document of the plan
    act_read: bool = False  # the act (and its extent) came from the files
    act_from_portal: int | None = None  # the pk of the portal's plan standing in for the act

    @property
    def label(self) -> str:
        return self.local_id or self.title


@dataclass(slots=True)
class ParcelDraft:
    """A parcel; its geometry is a shapely MultiPolygon in EPSG:2180 (parcels come by the 100k)."""

    identifier: str
    file: str
    geom: BaseGeometry | None
    registered_area_ha: Decimal | None = None
    where: str = ""
    version: str = ""  # for choosing the current version among archival ones
    area: float = 0.0
    bbox: tuple[float, float, float, float] | None = None
