"""Helpers of the persona table (tests/accounts/test_persona_table.py): objects the URLs name,
one request as a persona, and the walk over the URL resolver."""

from __future__ import annotations

import copy
import json
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

LOGIN = "login"  # a 302 to /konto/logowanie/ or /admin/login/


def extract_objects(world, clerk_a, surveyor) -> dict[str, object]:
    """In gmina A: one issued request (downloads, verification) and one pending; a queued batch."""
    from extracts.models import ExtractBatch
    from extracts.survey_link import survey_token
    from extracts.workflow import Requester, issue_request, submit_request

    def submit(key: str):
        (req,) = submit_request(
            identifiers=[world.parcel_a.identifier],
            kind="wypis",
            requester=Requester(name="Jan Kowalski", address="Wieś 1"),
            submission_key=key,
        )
        return req

    issued, pending = submit("issued"), submit("pending")
    issued.payment_reference = "przelew 1"
    issued.save(update_fields=["payment_reference"])
    extract = issue_request(req=issued, clerk=clerk_a)
    batch = ExtractBatch.objects.create(
        owner=surveyor, parcel_ids=[world.parcel_a.identifier], as_of=world.plan_a.in_force_from
    )
    return {
        "issued_a": issued.pk,
        "survey_token": survey_token(req=issued),
        "issued_token": issued.token,
        "pending_a": pending.pk,
        "verification_code": extract.verification_code,
        "batch": batch.pk,
    }


def import_job(world, planner_a) -> int:
    """A plan upload of gmina A still waiting for validation (so it cannot be confirmed: 409)."""
    from plans.models import ImportJob

    job = ImportJob.objects.create(
        municipality=world.gmina_a, kind="plan", created_by=planner_a, folder="persona-table"
    )
    return job.pk


def plan_documents(world, *, secret: str) -> dict[str, int]:
    """A document of gmina A's published plan and one of gmina B's draft (only its text holds
    ``secret``)."""
    from django.core.files.base import ContentFile

    from plans.models import PlanDocument

    ids = {}
    for key, plan, text in (
        ("document_a", world.plan_a, "uchwała"),
        ("document_draft_b", world.draft_b, secret),
    ):
        doc = PlanDocument(
            municipality=plan.municipality, plan=plan, kind="resolution", title="Uchwała"
        )
        doc.file.save(f"{key}.txt", ContentFile(text.encode()), save=True)
        ids[key] = doc.pk
    return ids


def bbox_around(point, half: float) -> str:
    """minE,minN,maxE,maxN in EPSG:2180 (WMS 1.1.1 order) around ``point``."""
    return f"{point.x - half},{point.y - half},{point.x + half},{point.y + half}"


def draft_feature_id(platform_admin: Client, title_part: str) -> str:
    """The OGC API id of gmina B's draft plan boundary (looked up as the platform admin)."""
    response = platform_admin.get("/ogcapi/collections/gmina-b:granice/items?f=json")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for feature in json.loads(body)["features"]:
        if title_part in json.dumps(feature["properties"], ensure_ascii=False):
            return str(feature["id"])
    pytest.fail("gmina B's draft plan is missing from its own OGC API collection")


def answer(response) -> object:
    if response.status_code == 302:
        path = urlsplit(response["Location"]).path
        if path in {"/konto/logowanie/", "/admin/login/"}:
            return LOGIN
    return response.status_code


def ask(persona_client: Client, entry: dict, values: dict) -> tuple[object, str]:
    """One request as the persona (answer, body); a copy of its cookies, so signing out is local."""
    client = Client(raise_request_exception=False)  # a 500 is an answer to report, not a crash
    client.cookies = copy.deepcopy(persona_client.cookies)
    url = entry["url"].format(**values)
    method = entry.get("method", "GET")
    with transaction.atomic():
        if "json" in entry:
            payload = json.loads(
                json.dumps(entry["json"]).replace("{parcel_a}", values["parcel_a"])
            )
            response = client.generic(
                method, url, data=json.dumps(payload), content_type="application/json"
            )
        elif method == "GET":
            response = client.get(url)
        else:
            response = client.generic(
                method,
                url,
                data=urlencode(entry.get("data", {})),
                content_type="application/x-www-form-urlencoded",
            )
        body = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    return answer(response), body.decode("utf-8", errors="replace")


def url_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    """(route, qualified name or None) of every pattern the project answers."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield route, name
