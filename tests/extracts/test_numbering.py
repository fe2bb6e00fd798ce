"""Parallel issuing: clerks issuing at the same moment get consecutive numbers, no gaps, no twins."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from extracts.models import Extract, ExtractRequest
from extracts.workflow import WorkflowError, issue_request

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
