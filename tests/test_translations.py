"""Polish first: the staff pages and the Django admin show no English to a Polish reader.

Three nets: every model and field name of the project's apps has a Polish form; every message the
templates and the Python code mark for translation has a Polish msgstr in locale/pl; the admin's
changelists and forms, rendered in Polish, hold none of a list of English UI words.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[1]
PROJECT_APPS = {"accounts", "extracts", "layers", "plans", "portal", "wms"}
# words that are the same in both languages
SAME_IN_POLISH = {"plan", "plany", "status", "symbol", "e-mail", "SHA-256", "PDF"}
SAME_IN_POLISH |= {"przestrzenNazw", "lokalnyId", "wersjaId"}
# English words of the admin's and the project's UI that must not reach a Polish reader
ENGLISH_WORDS = re.compile(
    r"\b(Change|Add|Select|Delete|Save|Search|Filter|Precinct|Parcel|Municipality|Plan zone|"
    r"Regulation|Extract|batchs|created at|updated at|zone|parcels|precinct|municipality|"
    r"requester|owner)\b"
)
# Polish admin titles that would decline a noun wrongly ("Zmień działka", "Dodaj działka")
WRONG_CASE = re.compile(r"(Zmień|Dodaj|Wybierz) (działka|gmina|warstwa|paczka)")


def project_models():
    return [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]


def test_every_model_and_field_of_the_project_has_a_polish_name():
    untranslated = []
    for model in project_models():
        names = [("", model._meta.verbose_name), ("(plural)", model._meta.verbose_name_plural)]
        names += [
            (field.name, field.verbose_name)
            for field in model._meta.get_fields()
            if field.concrete and not field.auto_created
        ]
        for where, name in names:
            with translation.override("en"):
                english = str(name)
            with translation.override("pl"):
                polish = str(name)
            if polish == english and polish not in SAME_IN_POLISH:
                untranslated.append(f"{model._meta.label} {where}: {english}")
    assert untranslated == []


def test_model_names_have_proper_polish_plurals():
    with translation.override("pl"):
        names = {
            m._meta.label: (str(m._meta.verbose_name), str(m._meta.verbose_name_plural))
            for m in project_models()
        }
    assert names["layers.Parcel"] == ("działka", "działki")
    assert names["extracts.ExtractBatch"] == ("paczka wypisów", "paczki wypisów")
    assert names["layers.Precinct"] == ("obręb", "obręby")


def msgids_in_templates() -> set[str]:
    """Plain (no-variable) ``{% translate "…" %}`` strings of the project's templates."""
    found = set()
    pattern = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
    for path in (ROOT / "templates").rglob("*.html"):
        found |= {m.group(2) for m in pattern.finditer(path.read_text(encoding="utf-8"))}
    return found


def msgids_in_python() -> set[str]:
    """Literal ``_("…")`` / ``gettext("…")`` strings of the project's Python code."""
    found = set()
    pattern = re.compile(
        r"""\b(?:_|gettext|gettext_lazy|pgettext)\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]"""
    )
    for app in PROJECT_APPS | {"gis_portal"}:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            found |= {ast.literal_eval(f'"{m.group(1)}"') for m in pattern.finditer(text)}
    return found


def polish_catalogue() -> dict[str, str]:
    """msgid -> msgstr of the compiled catalogue (msgfmt leaves out empty translations)."""
    with (ROOT / "locale" / "pl" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog
    return {(k[0] if isinstance(k, tuple) else k): v for k, v in catalogue.items()}


def test_every_template_and_python_message_has_a_polish_translation():
    catalogue = polish_catalogue()
    used = msgids_in_templates() | msgids_in_python()
    assert len(used) > 300
    missing = sorted(m for m in used if not catalogue.get(m))
    assert missing == []


def _admin_urls(obj_pk_by_model: dict) -> list[str]:
    urls = []
    for model in admin.site._registry:
        if model._meta.app_label not in PROJECT_APPS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if admin.site._registry[model].has_add_permission(_FakeRequest()):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        if model in obj_pk_by_model:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj_pk_by_model[model]]))
    return urls


class _FakeRequest:
    class user:  # a stand-in for a superuser
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(*_args) -> bool:
            return True


@pytest.mark.django_db
def test_the_admin_in_polish_shows_no_english_and_declines_names_correctly(platform_admin, world):
    client = client_for(platform_admin)
    objects = {type(o): o.pk for o in (world.parcel_a, world.gmina_a, world.plan_a)}
    urls = _admin_urls(objects)
    assert len(urls) > 10
    problems = []
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="pl")
        assert response.status_code == 200, url
        html = response.content.decode()
        text = re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S)
        text = re.sub(r"\s+", " ", text)
        problems += [f"{url}: {m.group(0)}" for m in ENGLISH_WORDS.finditer(text)]
        problems += [f"{url}: {m.group(0)}" for m in WRONG_CASE.finditer(text)]
    assert problems == []


@pytest.mark.django_db
def test_the_admin_titles_name_the_model_in_polish(platform_admin, world):
    client = client_for(platform_admin)
    html = client.get(
        reverse("admin:layers_parcel_change", args=[world.parcel_a.pk]), HTTP_ACCEPT_LANGUAGE="pl"
    ).content.decode()
    assert "Zmień: działka" in html
    html = client.get(reverse("admin:layers_parcel_changelist"), HTTP_ACCEPT_LANGUAGE="pl")
    assert "Dodaj: działka" in html.content.decode()
