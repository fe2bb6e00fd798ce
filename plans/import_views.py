"""Planners' web upload under /<gmina>/import/: upload -> background validation -> report ->
confirmation -> background import. Only the gmina's planners (and admins) get here; for everybody
else the pages do not exist (404), anonymous visitors are sent to log in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layers.models import Municipality
from layers.permissions import can
from layers.tenancy import get_for_municipality_or_404
from plans.import_findings import (
    features_for_page,
    findings_for_page,
    problem_map,
    stage_label,
)
from plans.ingest.harvest import source_url
from plans.ingest.provisions_review import correct_zone, review_rows
from plans.ingest.report import IngestError
from plans.models import HarvestSource, ImportJob, Plan
from plans.tasks import confirm_import, retry_import, submit_harvest, submit_upload

ACTION = {ImportJob.Kind.PLAN: "plan.import", ImportJob.Kind.PARCELS: "parcel.import"}
OPTION_FIELDS = (
    "title",
    "designation_field",
    "name_field",
    "identifier_field",
    "area_field",
    "area_unit",
    "layer",
)


def _municipality(request: HttpRequest, gmina: str) -> Municipality:
    municipality = get_object_or_404(Municipality, slug=gmina, is_active=True)
    if not any(can(request.user, action, municipality) for action in ACTION.values()):
        raise Http404
    return municipality


def _job(request: HttpRequest, municipality: Municipality, pk: int) -> ImportJob:
    job = get_for_municipality_or_404(ImportJob, municipality, pk=pk)
    if not can(request.user, ACTION[job.kind], municipality):
        raise Http404
    return job


@login_required
def upload(request: HttpRequest, gmina: str) -> HttpResponse:
    municipality = _municipality(request, gmina)
    error = None
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        files = request.FILES.getlist("files")
        if kind not in ACTION or not can(request.user, ACTION.get(kind, ""), municipality):
            error = _("Choose what to import.")
        elif not files:
            error = _("Choose at least one file.")
        else:
            options = {k: request.POST.get(k, "").strip() for k in OPTION_FIELDS}
            options["plan_kind"] = request.POST.get("plan_kind") or "MPZP"
            if options["plan_kind"] not in Plan.Kind.values:
                options["plan_kind"] = "MPZP"
            options["whole_municipality"] = request.POST.get("whole_municipality") == "on"
            try:
                job = submit_upload(
                    municipality=municipality,
                    kind=kind,
                    uploads=files,
                    provisions=request.FILES.get("provisions"),
                    options=options,
                    actor=request.user,
                )
            except IngestError as exc:
                error = f"{exc.file}: {exc.text.translated()}"
            else:
                return redirect("import-job", gmina=municipality.slug, pk=job.pk)
    jobs = ImportJob.objects.for_municipality(municipality)[:20]
    status = 400 if error else 200
    return render(
        request,
        "plans/import_upload.html",
        {
            "municipality": municipality,
            "jobs": jobs,
            "error": error,
            "plan_kinds": Plan.Kind.choices,
        },
        status=status,
    )


@login_required
def harvest(request: HttpRequest, gmina: str) -> HttpResponse:
    """ "Pobierz z Rejestru Urbanistycznego": download the gmina's acts and check them (a dry run).

    The WFS is the register's, or the source an administrator stored for the gmina
    (``harvest_plans``): never an address typed into the form.
    """
    municipality = _municipality(request, gmina)
    if not can(request.user, ACTION[ImportJob.Kind.PLAN], municipality):
        raise Http404
    if request.method != "POST":  # after the tenant check: outsiders see no page at all
        return HttpResponseNotAllowed(["POST"])
    kind = request.POST.get("harvest_kind", "pog")
    if kind not in HarvestSource.Kind.values:
        kind = "pog"
    stored = HarvestSource.objects.for_municipality(municipality).filter(kind=kind).first()
    job = submit_harvest(
        municipality=municipality,
        kind=kind,
        url=stored.url if stored else source_url(kind),
        actor=request.user,
    )
    return redirect("import-job", gmina=municipality.slug, pk=job.pk)


@login_required
def job_detail(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    municipality = _municipality(request, gmina)
    job = _job(request, municipality, pk)
    may_confirm = job.status == ImportJob.Status.VALID and can(
        request.user,
        "plan.publish" if job.kind == ImportJob.Kind.PLAN else "parcel.import",
        municipality,
    )
    return render(
        request, "plans/import_job.html", _job_page(job, municipality, may_confirm=may_confirm)
    )


def _job_page(job: ImportJob, municipality: Municipality, *, may_confirm: bool) -> dict:
    findings = findings_for_page(job)
    provisions = job.report.get("summary", {}).get("provisions") or {}
    return {
        "provisions": review_rows(provisions, job.options.get("provisions_fix") or {}),
        "paragraphs": provisions.get("paragraphs", []),
        "municipality": municipality,
        "job": job,
        "findings": findings,
        "features": features_for_page(job),
        "stage": stage_label(job.stage),
        "problem_map": problem_map(findings, municipality),
        "may_confirm": may_confirm,
    }


@login_required
def job_status(request: HttpRequest, gmina: str, pk: int) -> JsonResponse:
    municipality = _municipality(request, gmina)
    job = _job(request, municipality, pk)
    return JsonResponse(
        {
            "status": job.status,
            "stage": job.stage,
            "done": job.progress_done,
            "total": job.progress_total,
            "percent": job.percent,
            "errors": len([f for f in job.report.get("findings", []) if f["severity"] == "error"]),
        }
    )


@login_required
@require_POST
def job_confirm(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    municipality = _municipality(request, gmina)
    job = _job(request, municipality, pk)
    action = "plan.publish" if job.kind == ImportJob.Kind.PLAN else "parcel.import"
    if not can(request.user, action, municipality):
        raise Http404
    if job.status != ImportJob.Status.VALID:
        context = _job_page(job, municipality, may_confirm=False)
        context["error"] = _("Only a clean report can be confirmed.")
        return render(request, "plans/import_job.html", context, status=409)
    confirm_import(job=job, actor=request.user)
    return redirect("import-job", gmina=municipality.slug, pk=job.pk)


@login_required
@require_POST
def job_retry(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    """Run a failed import's step again (a repeated click queues nothing more)."""
    municipality = _municipality(request, gmina)
    job = _job(request, municipality, pk)
    retry_import(job=job)
    return redirect("import-job", gmina=municipality.slug, pk=job.pk)


@login_required
@require_POST
def job_provisions(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    """The planner's correction of one zone's provisions, before the import is confirmed."""
    municipality = _municipality(request, gmina)
    job = _job(request, municipality, pk)
    if not can(request.user, "plan.publish", municipality) or job.kind != ImportJob.Kind.PLAN:
        raise Http404
    error = None
    if job.status != ImportJob.Status.VALID:
        error = _("Provisions can be corrected only before the import is confirmed.")
    else:
        error = correct_zone(
            job=job,
            designation=request.POST.get("designation", ""),
            numbers=request.POST.get("paragraphs", ""),
            text=request.POST.get("text", ""),
        )
    if error:
        context = _job_page(job, municipality, may_confirm=False)
        context["error"] = error
        return render(
            request,
            "plans/import_job.html",
            context,
            status=409 if job.status != ImportJob.Status.VALID else 400,
        )
    return redirect(f"{reverse('import-job', args=[municipality.slug, job.pk])}#provisions")
