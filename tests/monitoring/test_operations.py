"""/metrics: refused to the public, answers the scraper with the families; /readyz; alert rules."""

from __future__ import annotations

import pytest
import yaml
from django.test import Client

from extracts.models import InformationalPdfDay
from layers.metrics import ogc_kind
from tests.conftest import repository_file


def scrape(client: Client, **headers) -> tuple[int, str]:
    response = client.get("/metrics", **headers)
    return response.status_code, response.content.decode()


def test_metrics_do_not_exist_without_a_token_or_networks(world, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS = "", []
    assert scrape(Client())[0] == 404


def test_metrics_refuse_a_wrong_token_and_an_address_outside_the_networks(world, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert scrape(Client())[0] == 403
    assert scrape(Client(), HTTP_AUTHORIZATION="Bearer wrong")[0] == 403
    assert scrape(Client(REMOTE_ADDR="192.168.1.5"))[0] == 403


def test_metrics_answer_the_token_and_the_network(world, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert scrape(Client(), HTTP_AUTHORIZATION="Bearer s3cret-token")[0] == 200
    assert scrape(Client(REMOTE_ADDR="10.1.2.3"))[0] == 200


def test_the_families_an_operator_asks_for_first_are_there(world, settings, planner_a):
    settings.METRICS_TOKEN = "t"
    anonymous = Client()
    anonymous.get("/gmina-a/")
    anonymous.get("/gmina-a/ows?SERVICE=WMS&REQUEST=GetCapabilities")
    anonymous.get("/no-such-gmina/")
    status, body = scrape(Client(), HTTP_AUTHORIZATION="Bearer t")
    assert status == 200
    assert 'portal_http_requests_total{gmina="gmina-a",status="2xx",view="municipality"}' in body
    assert (
        'portal_ogc_requests_total{gmina="gmina-a",request="getcapabilities",service="WMS"' in body
    )
    assert 'gmina="no-such-gmina"' not in body  # unknown slugs are "other"
    for family in (
        "portal_http_request_duration_seconds_bucket",
        "portal_ogc_request_duration_seconds_bucket",
        "portal_wms_front_cache_total",
        "portal_wms_image_cache_total",
        "portal_jobs_oldest_todo_age_seconds",
        "portal_database_connections",
        "portal_database_up 1.0",
        "portal_extract_render_duration_seconds",
        "portal_plan_import_duration_seconds",
    ):
        assert family in body, family


def test_job_queue_depth_age_and_failures_come_from_one_query(world, settings):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, status, args)"
            " VALUES ('imports', 'plans.validate', 'todo', '{}'),"
            " ('imports', 'plans.apply', 'failed', '{}')"
        )
    settings.METRICS_TOKEN = "t"
    body = scrape(Client(), HTTP_AUTHORIZATION="Bearer t")[1]
    assert 'portal_jobs{queue="imports",status="todo"} 1.0' in body
    assert 'portal_jobs_failed_total{task="plans.apply"} 1.0' in body
    assert 'portal_jobs_oldest_todo_age_seconds{queue="imports"}' in body


def test_an_informational_pdf_is_counted_per_gmina_and_day(world):
    from extracts.service_counts import count_informational_pdf

    count_informational_pdf(municipality=world.gmina_a)
    count_informational_pdf(municipality=world.gmina_a)
    assert InformationalPdfDay.objects.get(municipality=world.gmina_a).count == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SERVICE=WMS&REQUEST=GetMap", ("WMS", "getmap")),
        ("service=wfs&request=GetFeature", ("WFS", "getfeature")),
        ("SERVICE=WMS&REQUEST=DropTables", ("WMS", "other")),
        ("SERVICE=xyz&REQUEST=GetMap", ("other", "getmap")),
    ],
)
def test_ogc_labels_come_from_fixed_lists(rf, query, expected):
    from django.urls import resolve

    request = rf.get(f"/ows?{query}")
    request.resolver_match = resolve("/ows")
    assert ogc_kind(request) == expected


def test_readyz_says_ready_when_the_database_answers_and_migrations_are_applied(world):
    response = Client().get("/readyz")
    assert response.status_code == 200 and response.content == b"ready\n"


def test_readyz_says_not_ready_with_a_migration_pending(world, monkeypatch):
    from monitoring import operations

    monkeypatch.setattr(operations, "_migrations_applied", operations.threading.Event())
    monkeypatch.setattr(
        operations.MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)]
    )
    assert Client().get("/readyz").status_code == 503


def test_the_alert_rules_and_the_dashboard_parse():
    rules = yaml.safe_load(repository_file("docs", "prometheus", "alerts.yml").read_text())
    names = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    assert {
        "PortalHighErrorRate",
        "PortalGetMapSlow",
        "PortalJobQueueStuck",
        "PortalDiskFilling",
    } <= names
    import json

    dashboard = json.loads(repository_file("docs", "grafana", "plan-portal.json").read_text())
    assert dashboard["panels"]
