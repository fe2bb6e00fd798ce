"""Pacing of imports (plans/ingest/pace.py): the import rests in proportion to its work."""

from __future__ import annotations

from layers.models import Parcel
from plans.ingest import pace
from plans.ingest.pipeline import import_parcels
from tests.conftest import fixture_path


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_third_share_rests_twice_the_work_after_each_step():
    clock = Clock()
    steps = pace.Pace(share=1 / 3, clock=clock, sleep=clock.sleep)
    for work in (0.5, 1.0, 0.25):
        clock.now += work
        steps.step()
    assert [round(s, 6) for s in clock.slept] == [1.0, 2.0, 0.5]
    assert round(clock.now, 6) == 5.25  # 1.75 s of work in three times the time


def test_a_full_share_or_none_does_not_pace():
    def progress(*_args) -> None:
        return None

    assert pace.paced(progress, share=1.0) is progress
    assert pace.paced(progress, share=0) is progress


def test_a_paced_import_writes_the_same_parcels_and_reports_its_steps(gmina_egib, settings):
    settings.IMPORT_CPU_SHARE = 0.5
    steps = []
    report = import_parcels(
        municipality=gmina_egib,
        paths=[fixture_path("egib-samples", "221101_1.0001.741.gml")],
        progress=lambda *args: steps.append(args),
    )
    assert report.ok, report.errors
    assert Parcel.objects.filter(municipality=gmina_egib).count() == 1
    assert {s[0] for s in steps} == {"validate", "write"}
