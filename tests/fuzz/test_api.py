"""The REST API fuzzed from its own OpenAPI schema with Schemathesis, against gunicorn (issue 20):
anonymous and as the approved surveyor (session, and HTTP Basic in the long budget); no 5xx, no
dead worker, an answer within the bound."""

from __future__ import annotations

import base64
import json
import os
import secrets

import pytest
import requests
import schemathesis
from hypothesis import settings
from schemathesis.config import SchemathesisConfig

from tests.fuzz.conftest import SURVEYOR_PASSWORD
from tests.fuzz.stack import TIMEOUT

pytestmark = pytest.mark.django_db


def _published_schema() -> dict:
    """The schema /api/schema/ serves (drf-spectacular), built here: parametrizing needs it at import."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


# from_dict, not from_fixture: the lazy loader of schemathesis 4.32.5 breaks on pytest 9 (_nodeid)
# Generated cases only (the "coverage" phase alone sends hundreds of fixed cases per operation).
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_dict(_published_schema(), config=CONFIG)


def credentials(stack, auth: str) -> dict:
    """Headers and cookies of ``auth``: anonymous, the surveyor's session (with a CSRF pair) or Basic."""
    if auth == "session":
        token = secrets.token_hex(16)
        return {
            "cookies": {"sessionid": stack.surveyor_session, "csrftoken": token},
            "headers": {"X-CSRFToken": token},
        }
    if auth == "basic":
        pair = base64.b64encode(f"surveyor:{SURVEYOR_PASSWORD}".encode()).decode()
        return {"headers": {"Authorization": f"Basic {pair}"}}
    return {}


def call(stack, case, auth: str) -> None:
    __tracebackhide__ = True
    given = credentials(stack, auth)
    request = f"{case.as_curl_command(headers=given.get('headers'))} ({auth})"
    try:
        response = case.call(base_url=stack.url, timeout=TIMEOUT, **given)
    except requests.Timeout:
        raise AssertionError(f"no answer within {TIMEOUT} s to\n{request}") from None
    except requests.ConnectionError as exc:
        stack.assert_alive(request)
        raise AssertionError(f"connection failed ({exc!r}) for\n{request}") from None
    stack.assert_alive(request)
    assert response.status_code < 500, (
        f"HTTP {response.status_code} for\n{request}\n{response.content[:1500]!r}\n"
        f"server log:\n{stack.log_tail(30)}"
    )


SHORT = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))


LONG = settings.get_profile("nightly")


@schema.parametrize()
@settings(SHORT)
def test_the_rest_api_fuzzed_from_its_schema_anonymously(stack, case):
    call(stack, case, "anonymous")


@schema.parametrize()
@settings(SHORT)
def test_the_rest_api_fuzzed_from_its_schema_as_the_surveyor(stack, case):
    call(stack, case, "session")


@pytest.mark.fuzz_long
@schema.parametrize()
@settings(LONG)
def test_the_rest_api_fuzzed_long_anonymously(stack, case):
    call(stack, case, "anonymous")


@pytest.mark.fuzz_long
@schema.parametrize()
@settings(LONG)
def test_the_rest_api_fuzzed_long_as_the_surveyor(stack, case):
    call(stack, case, "session")


@pytest.mark.fuzz_long
@schema.parametrize()
@settings(LONG)
def test_the_rest_api_fuzzed_long_with_basic_auth(stack, case):
    """Basic auth hashes the password on every request (PBKDF2): only in the long budget."""
    call(stack, case, "basic")


def test_the_schema_fuzzed_is_the_one_the_server_publishes(stack):
    from tests.fuzz.stack import Probe

    served = json.loads(stack.send(Probe("GET", "/api/schema/", [("format", "json")])).body)
    assert served["paths"] == _published_schema()["paths"]
