"""Parallel issuing: clerks issuing at the same moment get consecutive numbers, no gaps, no twins."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from extracts import workflow
from extracts.models import Extract, ExtractRequest
from extracts.workflow import WorkflowError, issue_request
from tests.extracts.conftest import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def _requests(world, n: int) -> list[ExtractRequest]:
    return [
        ExtractRequest.objects.create(
            municipality=world.gmina_a,
            submission_key=f"par-{i}",
            group="00000000-0000-0000-0000-000000000001",
            requester_name=f"Wnioskodawca {i}",
            requester_address="ul. Równoległa 1",
            kind="wypis",
            parcel_ids=[world.parcel_a.identifier],
            payment_reference=f"przelew {i}",
        )
        for i in range(n)
    ]


def _in_threads(jobs) -> list:
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_clerks_issuing_at_once_get_consecutive_numbers_without_gaps_or_duplicates(world, clerk_a):
    requests = _requests(world, 6)
    results = _in_threads([lambda r=r: issue_request(req=r, clerk=clerk_a) for r in requests])
    assert all(isinstance(r, Extract) for r in results), results
    numbers = sorted(
        Extract.objects.filter(municipality=world.gmina_a).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3, 4, 5, 6]
    assert len({e.verification_code for e in Extract.objects.all()}) == 6
    assert ExtractRequest.objects.filter(status="issued").count() == 6


def test_two_clerks_issuing_the_same_request_at_once_issue_it_once(world, clerk_a):
    (req,) = _requests(world, 1)
    results = _in_threads([lambda: issue_request(req=req, clerk=clerk_a)] * 2)
    assert sum(isinstance(r, Extract) for r in results) == 1
    assert sum(isinstance(r, WorkflowError) for r in results) == 1
    assert list(Extract.objects.values_list("number", flat=True)) == [1]


def test_the_same_form_submitted_twice_at_the_same_moment_is_filed_once(world):
    from extracts.workflow import Requester, submit_request

    def submit():
        return submit_request(
            identifiers=[world.parcel_a.identifier],
            kind="wypis",
            requester=Requester(name="Jan", address="Wieś 1"),
            submission_key="double-click",
        )

    results = _in_threads([submit, submit])
    assert all(isinstance(r, list) for r in results), results
    assert ExtractRequest.objects.count() == 1
    assert results[0][0].pk == results[1][0].pk


def _other_connection():
    """A second session on the test database, as another clerk's would be (autocommit)."""
    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = True
    raw.execute("SET lock_timeout = '5s'")  # a lock held by the test's own thread: fail, not hang
    return raw


def test_the_pdf_is_rendered_without_holding_the_numbering_lock(world, clerk_a, monkeypatch):
    first, second = _requests(world, 2)
    issue_request(req=first, clerk=clerk_a)  # the gmina's counter row exists now
    real_build = workflow.build_document
    seen = []

    def build_and_probe(**kwargs):
        with _other_connection() as other:  # NOWAIT: fails at once if the row is locked
            other.execute(
                "SELECT last_number FROM extracts_extractcounter WHERE municipality_id = %s "
                "FOR UPDATE NOWAIT",
                [world.gmina_a.pk],
            )
            seen.append(other.execute("SELECT 1").fetchone())
        return real_build(**kwargs)

    monkeypatch.setattr(workflow, "build_document", build_and_probe)
    extract = issue_request(req=second, clerk=clerk_a)
    assert seen == [(1,)] and extract.number == 2


def test_a_number_taken_while_rendering_means_a_new_render_with_the_next_number(
    world, clerk_a, monkeypatch
):
    (req,) = _requests(world, 1)
    real_build = workflow.build_document
    printed = []

    def build_while_another_clerk_issues(**kwargs):
        printed.append(kwargs["meta"].reference)
        if len(printed) == 1:  # another clerk takes number 1 meanwhile
            with _other_connection() as other:
                other.execute(
                    "INSERT INTO extracts_extractcounter (municipality_id, year, last_number) "
                    "VALUES (%s, %s, 1)",
                    [world.gmina_a.pk, timezone.localdate().year],
                )
        return real_build(**kwargs)

    monkeypatch.setattr(workflow, "build_document", build_while_another_clerk_issues)
    extract = issue_request(req=req, clerk=clerk_a)
    year = timezone.localdate().year
    assert printed == [f"WWZ.1.{year}", f"WWZ.2.{year}"]
    assert extract.number == 2 and extract.reference == f"WWZ.2.{year}"
    assert f"WWZ.2.{year}" in pdf_text(extract.pdf)
