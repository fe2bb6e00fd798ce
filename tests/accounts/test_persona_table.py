"""Every endpoint × every persona: the expected HTTP answer, in one table (issue: accounts and roles).

``ENDPOINTS`` has one entry per URL name (``namespace:name`` as ``reverse()`` takes it; unnamed
patterns by their route). ``test_every_url_pattern_has_an_entry`` walks the URL resolver and fails
for any pattern without one, so a new endpoint cannot ship without saying who may use it.

Adding an entry::

    "plan-detail": {
        "url": "/{gmina_a}/plany/{draft_b}/",        # placeholders: see ``objects`` below
        "method": "GET",                              # optional; POST entries may give "data"
        "expect": every(404, planner_b=200, platform_admin=200),
    },

More cases of one URL name get keys ``name#what`` (e.g. ``"ows#wfs-getfeature"``). An optional
``"reveals": (text, {personas})`` says that ``text`` (e.g. the title of gmina B's unpublished draft)
appears in the answer for exactly those personas: that is how every channel is checked for leaks;
``"hides": (text, {personas})`` only says that those personas never see it.
An entry with ``"pending": "why"`` states a rule that its view does not follow yet: it is checked by
a strict xfail test, which fails as soon as the view is fixed (then remove the key).

Expected answers are status codes, or ``LOGIN`` for a redirect to a sign-in page. Each persona's
request runs in its own savepoint that is rolled back, so a POST by one persona does not change
what the next one sees. Personas: those of tests/conftest.py; here the surveyor's licence is
approved (``extract.request``), and one more applicant waits for a decision in gmina A.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import SurveyorProfile
from layers.models import Membership
from tests.accounts.personas import (
    LOGIN,
    ask,
    bbox_around,
    draft_feature_id,
    extract_objects,
    import_job,
    plan_documents,
    url_patterns,
)
from tests.consultation.helpers import SECRET_NAME, persona_objects

PERSONAS = (
    "anonymous",
    "surveyor",
    "planner_a",
    "clerk_a",
    "admin_a",
    "planner_b",
    "platform_admin",
)


def every(default, **per_persona) -> dict[str, object]:
    """The same answer for every persona, except those named."""
    unknown = set(per_persona) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    return {p: per_persona.get(p, default) for p in PERSONAS}


SIGNED_IN = {p: 200 for p in PERSONAS if p != "anonymous"}
# gmina A's back office: admin_a and the platform admin; A's other staff 403; outsiders 404
GMINA_A_ADMIN = every(
    404, anonymous=LOGIN, planner_a=403, clerk_a=403, admin_a=200, platform_admin=200
)
GMINA_A_ADMIN_POST = every(
    404, anonymous=LOGIN, planner_a=403, clerk_a=403, admin_a=302, platform_admin=302
)
PLATFORM_ADMIN_ONLY = every(403, anonymous=LOGIN, platform_admin=200)
IMPORTERS_A = every(404, anonymous=LOGIN, planner_a=200, admin_a=200, platform_admin=200)
# gmina A's extract queue: its clerks and admins (and the platform admin); everybody else 404
QUEUE_A = every(404, anonymous=LOGIN, clerk_a=200, admin_a=200, platform_admin=200)
CLERKS_A_POST = every(404, anonymous=LOGIN, clerk_a=302, admin_a=403, platform_admin=302)
# gmina A's consultations: its planners and admins (and the platform admin); its clerks 403
PLANNERS_A = every(
    404, anonymous=LOGIN, planner_a=200, clerk_a=403, admin_a=200, platform_admin=200
)
REPORT_A = every(404, planner_a=200, admin_a=200, platform_admin=200)
PERSONAL_DATA_A = {"planner_a", "admin_a", "platform_admin"}
# gmina B's unpublished draft plan: its title must reach only B's staff and the platform admin
DRAFT_B = "tajny"
B_INSIDERS = {"planner_b", "platform_admin"}

ENDPOINTS: dict[str, dict] = {
    # --- the platform, public pages --------------------------------------------------------
    "home": {"url": "/", "expect": every(200)},
    "healthz": {"url": "/healthz", "expect": every(200)},
    "set_language": {
        "url": "/i18n/setlang/",
        "method": "POST",
        "data": {"language": "en", "next": "/"},
        "expect": every(302),
    },
    "platform-search": {"url": "/szukaj/?q=12/3", "expect": every(200)},
    "platform-search-json": {"url": "/szukaj.json?q=12/3", "expect": every(200)},
    # --- a gmina's public pages -------------------------------------------------------------
    "municipality": {"url": "/{gmina_a}/", "expect": every(200)},
    "municipality-features": {
        "url": "/{gmina_a}/mapa.geojson?bbox=14,49,24,55",
        "expect": every(200),
    },
    "map-legend": {
        # the zones in view of plans in force: gmina B's draft (9MW) is never in its legend
        "url": "/{gmina_b}/legenda.json?bbox=14,49,24,55",
        "expect": every(200),
        "hides": ('"MW"', set(PERSONAS)),
    },
    "search": {"url": "/{gmina_a}/szukaj/?q=12/3", "expect": every(200)},
    "search-json": {"url": "/{gmina_a}/szukaj.json?q=12/3", "expect": every(200)},
    "parcel-panel": {"url": "/{gmina_a}/panel/?dzialka={parcel_a}", "expect": every(200)},
    "parcel": {"url": "/{gmina_a}/dzialki/{parcel_a}/", "expect": every(200)},
    "plan-list": {
        "url": "/{gmina_b}/plany/",
        "expect": every(200),
        "reveals": (DRAFT_B, B_INSIDERS),
    },
    # B's unpublished draft: only B's staff and the platform admin
    "plan-detail": {
        "url": "/{gmina_b}/plany/{draft_b}/",
        "expect": every(404, planner_b=200, platform_admin=200),
    },
    # plan documents: a published plan's for anybody; B's draft's only B's staff; never through A
    "plan-document": {
        "url": "/{gmina_a}/plany/{plan_a}/dokumenty/{document_a}/",
        "expect": every(200),
    },
    "plan-document#draft": {
        "url": "/{gmina_b}/plany/{draft_b}/dokumenty/{document_draft_b}/",
        "expect": every(404, planner_b=200, platform_admin=200),
        "reveals": (DRAFT_B, B_INSIDERS),
    },
    "plan-document#through-another-gmina": {
        "url": "/{gmina_a}/plany/{draft_b}/dokumenty/{document_draft_b}/",
        "expect": every(404),
    },
    # APP 3.0 export for the register: the gmina's planners and admins, never another gmina's
    "plan-export-app": {"url": "/{gmina_a}/plany/{plan_a}/app.gml", "expect": IMPORTERS_A},
    "plan-export-app#through-another-gmina": {
        "url": "/{gmina_a}/plany/{draft_b}/app.gml",
        "expect": every(404, anonymous=LOGIN),
    },
    "plan-export-metadata": {
        "url": "/{gmina_a}/plany/{plan_a}/metadane.xml",
        "expect": IMPORTERS_A,
    },
    # --- plan and parcel import (planners and gmina admins of gmina A) ----------------------
    "import-upload": {"url": "/{gmina_a}/import/", "expect": IMPORTERS_A},
    "import-job": {"url": "/{gmina_a}/import/{import_job_a}/", "expect": IMPORTERS_A},
    "import-harvest#get": {  # POST only: a GET is refused to importers, 404 to the others
        "url": "/{gmina_a}/import/harvest",
        "expect": every(404, anonymous=LOGIN, planner_a=405, admin_a=405, platform_admin=405),
    },
    "import-harvest": {  # queues a harvest job (from the register; no worker runs here)
        "url": "/{gmina_a}/import/harvest",
        "method": "POST",
        "expect": every(404, anonymous=LOGIN, planner_a=302, admin_a=302, platform_admin=302),
    },
    "import-job#through-another-gmina": {
        "url": "/{gmina_b}/import/{import_job_a}/",
        "expect": every(404, anonymous=LOGIN),
    },
    "import-job-status": {
        "url": "/{gmina_a}/import/{import_job_a}/status.json",
        "expect": IMPORTERS_A,
    },
    "import-job-confirm": {
        "url": "/{gmina_a}/import/{import_job_a}/confirm",
        "method": "POST",
        "expect": every(404, anonymous=LOGIN, planner_a=409, admin_a=409, platform_admin=409),
    },
    "import-job-provisions": {  # the job is queued, not valid: nothing to correct yet
        "url": "/{gmina_a}/import/{import_job_a}/provisions",
        "method": "POST",
        "data": {"designation": "1MN", "paragraphs": "1"},
        "expect": every(404, anonymous=LOGIN, planner_a=409, admin_a=409, platform_admin=409),
    },
    "import-job-retry": {  # the job is queued, not failed: nothing is queued again
        "url": "/{gmina_a}/import/{import_job_a}/retry",
        "method": "POST",
        "expect": every(404, anonymous=LOGIN, planner_a=302, admin_a=302, platform_admin=302),
    },
    "extract-informational": {
        "url": "/{gmina_a}/dzialki/{parcel_a}/wypis.pdf",
        "expect": every(200),
    },
    # --- OGC services: WMS/WFS at /ows and /<gmina>/ows, OGC API Features at /ogcapi/ --------
    "ows": {"url": "/ows?SERVICE=WMS&REQUEST=GetCapabilities", "expect": every(200)},
    "ows#wfs-capabilities": {
        "url": "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetCapabilities",
        "expect": every(200),
    },
    "ows#wfs-getfeature-draft": {
        "url": "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=gmina-b:granice",
        "expect": every(200),
        "reveals": (DRAFT_B, B_INSIDERS),
    },
    "gmina-ows": {
        "url": "/{gmina_a}/ows?SERVICE=WMS&REQUEST=GetCapabilities",
        "expect": every(200),
    },
    "gmina-ows#wfs-getfeature-draft": {
        "url": "/{gmina_b}/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=granice",
        "expect": every(200),
        "reveals": (DRAFT_B, B_INSIDERS),
    },
    "gmina-ows#getfeatureinfo-draft": {
        "url": "/{gmina_b}/ows?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetFeatureInfo&LAYERS=granice"
        "&QUERY_LAYERS=granice&STYLES=&SRS=EPSG:2180&BBOX={draft_b_bbox}&WIDTH=101&HEIGHT=101"
        "&X=50&Y=50&FORMAT=image/png&INFO_FORMAT=text/html",
        "expect": every(200),
        "hides": (DRAFT_B, set(PERSONAS) - B_INSIDERS),
    },
    "ogcapi-landing": {"url": "/ogcapi/?f=json", "expect": every(200)},
    "ogcapi-conformance": {"url": "/ogcapi/conformance?f=json", "expect": every(200)},
    "ogcapi-collections": {"url": "/ogcapi/collections?f=json", "expect": every(200)},
    "ogcapi-collection": {
        "url": "/ogcapi/collections/gmina-b:granice?f=json",
        "expect": every(200),
    },
    "ogcapi-items": {
        "url": "/ogcapi/collections/gmina-b:granice/items?f=json",
        "expect": every(200),
        "reveals": (DRAFT_B, B_INSIDERS),
    },
    "ogcapi-item": {
        "url": "/ogcapi/collections/gmina-b:granice/items/{draft_b_feature}?f=json",
        "expect": every(404, planner_b=200, platform_admin=200),
    },
    # --- REST API -----------------------------------------------------------------------------
    "api-schema": {"url": "/api/schema/", "expect": every(200)},
    "api-docs": {"url": "/api/docs/", "expect": every(200)},
    "api-extract-batches": {
        "url": "/api/extracts/",
        "method": "POST",
        "json": {"parcels": ["{parcel_a}"]},
        "expect": every(403, anonymous=401, surveyor=202, platform_admin=202),
    },
    "api-extract-batch": {
        "url": "/api/extracts/{batch}/",
        "expect": every(404, anonymous=401, surveyor=200),  # 401: a Basic challenge
    },
    "api-extract-batch-retry": {  # only the owner; a queued batch stays queued (one job)
        "url": "/api/extracts/{batch}/retry",
        "method": "POST",
        "expect": every(403, anonymous=401, surveyor=202, platform_admin=404),
    },
    "api-extract-batch-zip": {
        "url": "/api/extracts/{batch}/zip",
        "expect": every(404, anonymous=401, surveyor=409),  # queued, not done yet
    },
    # --- extracts: requests, the clerk's queue, verification ---------------------------------
    "extract-request": {"url": "/wypisy/", "expect": every(200)},
    "extract-status": {"url": "/wypisy/wniosek/{issued_token}/", "expect": every(200)},
    "extract-download": {"url": "/wypisy/wniosek/{issued_token}/wypis.pdf", "expect": every(200)},
    "extract-queue": {"url": "/wypisy/{gmina_a}/kolejka/", "expect": QUEUE_A},
    "extract-queue-detail": {"url": "/wypisy/{gmina_a}/kolejka/{pending_a}/", "expect": QUEUE_A},
    "extract-queue-download": {
        "url": "/wypisy/{gmina_a}/kolejka/{issued_a}/wypis.pdf",
        "expect": QUEUE_A,
    },
    "extract-issue": {  # confirmed, but the fee of pending_a is not recorded: refused, 302
        "url": "/wypisy/{gmina_a}/kolejka/{pending_a}/wydaj/",
        "method": "POST",
        "data": {"confirmed": "yes"},
        "expect": CLERKS_A_POST,
    },
    "extract-issue#confirmation-page": {
        "url": "/wypisy/{gmina_a}/kolejka/{pending_a}/wydaj/",
        "expect": every(404, anonymous=LOGIN, clerk_a=200, admin_a=403, platform_admin=200),
    },
    "extract-payment": {
        "url": "/wypisy/{gmina_a}/kolejka/{pending_a}/oplata/",
        "method": "POST",
        "data": {"reference": "PRZ/1"},
        "expect": CLERKS_A_POST,
    },
    "extract-preview": {
        "url": "/wypisy/{gmina_a}/kolejka/{pending_a}/podglad.pdf",
        "expect": every(404, anonymous=LOGIN, clerk_a=200, admin_a=403, platform_admin=200),
    },
    "extract-mine": {"url": "/wypisy/moje/", "expect": {"anonymous": LOGIN, **SIGNED_IN}},
    "extract-reject": {
        "url": "/wypisy/{gmina_a}/kolejka/{pending_a}/odrzuc/",
        "method": "POST",
        "data": {"reason": "brak opłaty", "confirm": "1"},
        "expect": CLERKS_A_POST,
    },
    # without "confirm": the confirmation page, nothing rejected yet
    "extract-reject#unconfirmed": {
        "url": "/wypisy/{gmina_a}/kolejka/{pending_a}/odrzuc/",
        "method": "POST",
        "data": {"reason": "brak opłaty"},
        "expect": every(404, anonymous=LOGIN, clerk_a=200, admin_a=403, platform_admin=200),
    },
    "extract-verify-form": {"url": "/weryfikacja/", "expect": every(200)},
    "extract-verify": {"url": "/weryfikacja/{verification_code}", "expect": every(200)},
    "extract-verify#unknown": {"url": "/weryfikacja/ABCD-EFGH-IJKL", "expect": every(404)},
    "extract-verify#nul-byte": {
        "url": "/weryfikacja/AB%00CD",
        "expect": every(404),
    },
    # --- accounts (/konto/) -------------------------------------------------------------------
    "accounts:profile": {"url": "/konto/", "expect": {"anonymous": LOGIN, **SIGNED_IN}},
    "accounts:login": {"url": "/konto/logowanie/", "expect": every(200)},
    "accounts:login_otp": {"url": "/konto/logowanie/kod/", "expect": every(LOGIN)},
    "accounts:logout": {"url": "/konto/wylogowanie/", "method": "POST", "expect": every(302)},
    "accounts:password_reset": {"url": "/konto/haslo/reset/", "expect": every(200)},
    "accounts:password_reset_done": {"url": "/konto/haslo/reset/wyslano/", "expect": every(200)},
    "accounts:password_reset_confirm": {
        "url": "/konto/haslo/reset/MQ/zly-token/",
        "expect": every(200),  # the page says the link is not valid
    },
    "accounts:password_reset_complete": {"url": "/konto/haslo/reset/gotowe/", "expect": every(200)},
    "accounts:password_change": {
        "url": "/konto/haslo/zmiana/",
        "expect": {"anonymous": LOGIN, **SIGNED_IN},
    },
    "accounts:password_change_done": {
        "url": "/konto/haslo/zmiana/gotowe/",
        "expect": {"anonymous": LOGIN, **SIGNED_IN},
    },
    "accounts:otp_setup": {
        "url": "/konto/dwuetapowe/",
        "expect": every(200, anonymous=LOGIN, surveyor=403),
    },
    "accounts:otp_disable": {
        "url": "/konto/dwuetapowe/wylacz/",
        "method": "POST",
        "data": {"token": "000000"},
        "expect": every(400, anonymous=LOGIN),
    },
    "accounts:surveyor_register": {
        "url": "/konto/geodeta/rejestracja/",
        "expect": every(200, surveyor=302),  # the surveyor has applied already
    },
    "accounts:surveyor_list": {
        "url": "/konto/geodeci/",
        "expect": every(403, anonymous=LOGIN, admin_a=200, platform_admin=200),
    },
    "accounts:surveyor_decide": {
        "url": "/konto/geodeci/{application}/decyzja/",
        "method": "POST",
        "data": {"decision": "approved"},
        "expect": every(404, anonymous=LOGIN, admin_a=302, platform_admin=302),
    },
    "accounts:audit_all": {"url": "/konto/audyt/", "expect": PLATFORM_ADMIN_ONLY},
    "accounts:audit_all_csv": {"url": "/konto/audyt.csv", "expect": PLATFORM_ADMIN_ONLY},
    "accounts:team": {"url": "/konto/gminy/{gmina_a}/zespol/", "expect": GMINA_A_ADMIN},
    "accounts:staff_profile": {
        "url": "/konto/podpis/",
        "expect": {"anonymous": LOGIN, **SIGNED_IN},
    },
    "accounts:member_profile": {
        "url": "/konto/gminy/{gmina_a}/zespol/{membership_clerk_a}/podpis/",
        "expect": GMINA_A_ADMIN,
    },
    "accounts:payment_details": {
        "url": "/konto/gminy/{gmina_a}/oplaty/",
        "expect": GMINA_A_ADMIN,
    },
    "accounts:member_role": {
        "url": "/konto/gminy/{gmina_a}/zespol/{membership_planner_a}/rola/",
        "method": "POST",
        "data": {"role": "clerk"},
        "expect": GMINA_A_ADMIN_POST,
    },
    "accounts:member_remove": {
        "url": "/konto/gminy/{gmina_a}/zespol/{membership_clerk_a}/usun/",
        "method": "POST",
        "data": {"confirm": "1"},
        "expect": GMINA_A_ADMIN_POST,
    },
    "accounts:member_remove#unconfirmed": {
        "url": "/konto/gminy/{gmina_a}/zespol/{membership_clerk_a}/usun/",
        "method": "POST",
        "expect": GMINA_A_ADMIN,
    },
    "accounts:audit_gmina": {"url": "/konto/gminy/{gmina_a}/audyt/", "expect": GMINA_A_ADMIN},
    "accounts:audit_gmina_csv": {
        "url": "/konto/gminy/{gmina_a}/audyt.csv",
        "expect": GMINA_A_ADMIN,
    },
    # monitoring: /metrics exists only with METRICS_TOKEN or METRICS_ALLOWED_NETWORKS (404 here;
    # tests/monitoring/test_operations.py checks the token and the networks)
    "metrics": {"url": "/metrics", "expect": every(404)},
    "readyz": {"url": "/readyz", "expect": every(200)},
    # the support centre: gmina admins (their gminy only) and platform admins (all)
    "monitoring-dashboard": {
        "url": "/centrum-wsparcia/",
        "expect": every(403, anonymous=LOGIN, admin_a=200, platform_admin=200),
        # B's figures only for the platform admin (B's planner sees B's name in his own menu)
        "reveals": ("Gmina B", {"platform_admin", "planner_b"}),
    },
    "monitoring-dashboard-csv": {
        "url": "/centrum-wsparcia/dane.csv",
        "expect": every(403, anonymous=LOGIN, admin_a=200, platform_admin=200),
    },
    "monitoring-gmina-dashboard": {"url": "/{gmina_a}/centrum-wsparcia/", "expect": GMINA_A_ADMIN},
    "monitoring-gmina-dashboard-csv": {
        "url": "/{gmina_a}/centrum-wsparcia/dane.csv",
        "expect": GMINA_A_ADMIN,
    },
    "survey": {"url": "/ankieta/{survey_token}/", "expect": every(200)},
    "survey#post": {
        "url": "/ankieta/{survey_token}/",
        "method": "POST",
        "data": {"score": "4"},
        "expect": every(200),
    },
    # the same question after a consultation comment (one per comment, without an account)
    "survey#comment": {"url": "/ankieta/{comment_survey_token}/", "expect": every(200)},
    "survey#comment-post": {
        "url": "/ankieta/{comment_survey_token}/",
        "method": "POST",
        "data": {"score": "4"},
        "expect": every(200),
    },
    "accessibility": {"url": "/deklaracja-dostepnosci/", "expect": every(200)},
    # --- public consultations (consultation/): gmina A's draft under consultation ---------------
    "consultation:list": {"url": "/{gmina_a}/konsultacje/", "expect": every(200)},
    "consultation:manage": {"url": "/{gmina_a}/konsultacje/zarzadzanie/", "expect": PLANNERS_A},
    "consultation:detail": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/",
        "expect": every(200),
        "hides": (SECRET_NAME, set(PERSONAS)),
    },
    "consultation:draft-geojson": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/projekt.geojson",
        "expect": every(200),
    },
    "consultation:document": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/dokumenty/{draft_a_document}/",
        "expect": every(200),
    },
    "consultation:comment": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/uwaga/",
        "expect": every(200),
    },
    "consultation:comment#post-empty": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/uwaga/",
        "method": "POST",
        "expect": every(400),
    },
    # the submitter's own confirmation: a signed link is the key (no account needed)
    "consultation:confirmation": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/potwierdzenie/{comment_token}/",
        "expect": every(200),
    },
    "consultation:confirmation-pdf": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/potwierdzenie/{comment_token}/pdf",
        "expect": every(200),
    },
    "consultation:comments-geojson": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/uwagi.geojson",
        "expect": every(200),
        "hides": (SECRET_NAME, set(PERSONAS)),
    },
    # the report before it is published: the gmina's planners and admins only
    "consultation:report": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/raport/",
        "expect": REPORT_A,
        "hides": (SECRET_NAME, set(PERSONAS)),
    },
    "consultation:report-pdf": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/raport.pdf",
        "expect": REPORT_A,
    },
    "consultation:report-csv": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/raport.csv",
        "expect": REPORT_A,
        "hides": (SECRET_NAME, set(PERSONAS)),
    },
    "consultation:publish": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/raport/opublikuj/",
        "method": "POST",
        "expect": every(
            404, anonymous=LOGIN, planner_a=302, clerk_a=403, admin_a=302, platform_admin=302
        ),
    },
    "consultation:queue": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/kolejka/",
        "expect": PLANNERS_A,
    },
    "consultation:extend": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/przedluz/",
        "method": "POST",
        "expect": every(
            404, anonymous=LOGIN, planner_a=400, clerk_a=403, admin_a=400, platform_admin=400
        ),
    },
    "consultation:queue-geojson": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/kolejka.geojson",
        "expect": PLANNERS_A,
    },
    "consultation:register-csv": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/rejestr.csv",
        "expect": PLANNERS_A,
        "reveals": (SECRET_NAME, PERSONAL_DATA_A),
    },
    "consultation:comment-detail": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/uwagi/{comment_a}/",
        "expect": PLANNERS_A,
        "reveals": (SECRET_NAME, PERSONAL_DATA_A),
    },
    "consultation:attachment": {
        "url": "/{gmina_a}/konsultacje/{consultation_a}/uwagi/{comment_a}/zalaczniki/{attachment_a}/",
        "expect": PLANNERS_A,
    },
}

# The Django admin registers its own URLs for every model; they are covered together by
# ``test_the_admin_site_is_for_platform_admins_only`` (every registered model's pages).
ADMIN_PREFIX = "admin/"


@pytest.fixture
def objects(
    world,
    anonymous,
    surveyor,
    planner_a,
    clerk_a,
    admin_a,
    planner_b,
    platform_admin,
    settings,
    tmp_path,
):
    """The personas' clients and the values of the URL placeholders."""
    settings.MEDIA_ROOT = tmp_path
    SurveyorProfile.objects.create(
        user=surveyor,
        licence_number="12345",
        municipality=world.gmina_a,
        status=SurveyorProfile.Status.APPROVED,
    )
    applicant = get_user_model().objects.create_user("applicant", password="x-long-password-1")
    application = SurveyorProfile.objects.create(
        user=applicant, licence_number="GK-I-1/2020", municipality=world.gmina_a
    )
    users = {
        "surveyor": surveyor,
        "planner_a": planner_a,
        "clerk_a": clerk_a,
        "admin_a": admin_a,
        "planner_b": planner_b,
        "platform_admin": platform_admin,
    }
    clients = {"anonymous": anonymous}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    values = {
        "gmina_a": world.gmina_a.slug,
        "gmina_b": world.gmina_b.slug,
        "plan_a": world.plan_a.pk,
        "plan_b": world.plan_b.pk,
        "draft_b": world.draft_b.pk,
        "parcel_a": world.parcel_a.identifier,
        "parcel_b": world.parcel_b.identifier,
        "application": application.pk,
        "membership_planner_a": Membership.objects.get(user=planner_a).pk,
        "membership_clerk_a": Membership.objects.get(user=clerk_a).pk,
        **extract_objects(world, clerk_a, surveyor),
        "import_job_a": import_job(world, planner_a),
        **plan_documents(world, secret=DRAFT_B),
        "draft_b_feature": draft_feature_id(clients["platform_admin"], DRAFT_B),
        "draft_b_bbox": bbox_around(world.draft_b.boundary.centroid, 50),
        **persona_objects(world),
    }
    return {"clients": clients, "values": values}


def mismatches(name: str, entry: dict, objects: dict) -> list[str]:
    wrong = []
    text, insiders = entry.get("reveals", (None, set()))
    for persona in PERSONAS:
        got, body = ask(objects["clients"][persona], entry, objects["values"])
        where = f"{name} {entry.get('method', 'GET')} {entry['url']} as {persona}"
        if got != entry["expect"][persona]:
            wrong.append(f"{where}: expected {entry['expect'][persona]}, got {got}")
        if text and (text in body) != (persona in insiders):
            shown = "shows" if text in body else "does not show"
            wrong.append(f"{where}: {shown} {text!r}")
        hidden, outsiders = entry.get("hides", (None, set()))
        if hidden and persona in outsiders and hidden in body:
            wrong.append(f"{where}: shows {hidden!r}")
    return wrong


def test_each_persona_gets_the_expected_answer_at_every_endpoint(objects):
    """One test for the whole table (the world is built once); every mismatch is listed."""
    wrong = []
    for name, entry in sorted(ENDPOINTS.items()):
        if "pending" not in entry:
            wrong += mismatches(name, entry, objects)
    assert not wrong, "\n".join(wrong)


PENDING = sorted(name for name, entry in ENDPOINTS.items() if "pending" in entry)


@pytest.mark.parametrize("name", PENDING)  # none pending: reported as skipped, not passed
def test_pending_rules_are_not_followed_yet(name, objects):
    """An xfail per pending rule; it fails as soon as the view follows the rule."""
    wrong = mismatches(name, ENDPOINTS[name], objects)
    if wrong:
        pytest.xfail(ENDPOINTS[name]["pending"] + "\n" + "\n".join(wrong))
    pytest.fail(f"{name} follows the rule now: remove its 'pending' key")


def test_every_url_pattern_has_an_entry():
    covered = {key.split("#")[0] for key in ENDPOINTS}
    missing = sorted(
        f"{route}  (name {name!r})"
        for route, name in url_patterns()
        if not route.startswith(ADMIN_PREFIX) and (name or route) not in covered
    )
    assert not missing, (
        "URL patterns without an entry in tests/accounts/test_persona_table.py ENDPOINTS "
        "(say what each persona gets):\n" + "\n".join(missing)
    )


def test_the_table_names_only_patterns_that_exist():
    known = {name or route for route, name in url_patterns()}
    stale = sorted(key for key in ENDPOINTS if key.split("#")[0] not in known)
    assert not stale, f"entries for URL patterns that no longer exist: {stale}"


def admin_pages() -> list[str]:
    pages = ["/admin/"]
    for model in admin.site._registry:
        meta = model._meta
        pages.append(f"/admin/{meta.app_label}/{meta.model_name}/")
    return pages


def test_the_admin_site_is_for_platform_admins_only(objects):
    expect = every(LOGIN, platform_admin=200)
    wrong = []
    for url in admin_pages():
        for persona in PERSONAS:
            got, _ = ask(objects["clients"][persona], {"url": url}, {})
            if got != expect[persona]:
                wrong.append(f"{url} {persona}: expected {expect[persona]}, got {got}")
    assert not wrong, "\n".join(wrong)
