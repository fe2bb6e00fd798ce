"""Background imports from the web upload: store the files, validate, and write after confirmation.

The planner's upload is saved under ``MEDIA_ROOT/imports/<uuid>/``; ``validate_job`` runs the
whole pipeline as a dry run and stores the report; ``apply_job`` (after the planner confirms a
clean report) runs it again for real and, for a plan, publishes it, in one transaction with the
job's ``done``. A job that raised or whose worker died is ``failed`` (``fail_job``) and keeps its
files, so that ``requeue_failed`` can run its step again. The jobs are queued by ``plans/tasks.py``.
"""

from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_noop as _

from layers.messages import problem
from layers.metrics import IMPORT_DURATION
from layers.models import Municipality
from plans.ingest.audit import record_rejected_import
from plans.ingest.harvest import act_folders, download, import_harvest
from plans.ingest.pipeline import PlanOptions, import_parcels, import_plan
from plans.ingest.report import IngestError, Report
from plans.ingest.safety import max_bytes
from plans.ingest.vector import ParcelMapping, ZoneMapping
from plans.models import ImportJob

MAX_REPORT_FEATURES = 2000


def _folder(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.folder


def _save(upload: UploadedFile, folder: Path) -> str:
    if upload.size > max_bytes():
        raise IngestError(
            problem(
                _("the file has %(size)s bytes, more than the limit of %(limit)s"),
                size=upload.size,
                limit=max_bytes(),
            ),
            file=upload.name,
            rule="file.too_large",
        )
    name = get_valid_filename(Path(upload.name).name) or "upload"
    with (folder / name).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return name


def create_job(
    *,
    municipality: Municipality,
    kind: str,
    uploads: list[UploadedFile],
    provisions: UploadedFile | None,
    options: dict,
    actor,
) -> ImportJob:
    """Save the uploaded files; the job waits for its validation (``plans.tasks.submit_upload``)."""
    folder = Path("imports") / uuid.uuid4().hex
    (Path(settings.MEDIA_ROOT) / folder).mkdir(parents=True, exist_ok=True)
    names = [_save(upload, Path(settings.MEDIA_ROOT) / folder) for upload in uploads]
    if provisions is not None:
        options = {**options, "provisions": _save(provisions, Path(settings.MEDIA_ROOT) / folder)}
    job = ImportJob.objects.create(
        municipality=municipality,
        kind=kind,
        created_by=actor,
        folder=str(folder),
        files=names,
        options=options,
    )
    return job


def create_harvest_job(*, municipality: Municipality, kind: str, url: str, actor) -> ImportJob:
    """A harvest from a WFS as an import: its validation downloads first (``_harvest_files``)."""
    folder = Path("imports") / uuid.uuid4().hex
    (Path(settings.MEDIA_ROOT) / folder).mkdir(parents=True, exist_ok=True)
    return ImportJob.objects.create(
        municipality=municipality,
        kind=ImportJob.Kind.PLAN,
        created_by=actor,
        folder=str(folder),
        files=[],
        options={"harvest_url": url, "harvest_kind": kind},
    )


def _harvest_files(job: ImportJob) -> None:
    """Download a harvest job's acts into its folder (a HarvestError fails the job, nothing kept)."""
    job.stage = "download"
    job.save(update_fields=["stage", "updated_at"])
    folder = _folder(job)
    acts = download(
        municipality=job.municipality,
        folder=folder,
        kind=job.options["harvest_kind"],
        url=job.options["harvest_url"],
    )
    job.files = [str(path.relative_to(folder)) for act in acts for path in act.files]
    job.save(update_fields=["files", "updated_at"])


class _Progress:
    """Writes progress to the job row, at most twice a second."""

    def __init__(self, job: ImportJob):
        self.job = job
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.last < 0.5:
            return
        self.last = now
        ImportJob.objects.filter(pk=self.job.pk).update(
            stage=stage[:80], progress_done=done, progress_total=total
        )


def _run(job: ImportJob, *, dry_run: bool, actor) -> tuple[Report, int | None]:
    folder = _folder(job)
    paths = [folder / name for name in job.files]
    opts = job.options
    progress = _Progress(job)
    if opts.get("harvest_url"):
        report = import_harvest(
            municipality=job.municipality,
            folders=act_folders(folder, job.files),
            dry_run=dry_run,
            actor=actor,
        )
        return report, next((a["plan_id"] for a in report.summary["acts"] if a["plan_id"]), None)
    if job.kind == ImportJob.Kind.PLAN:
        options = PlanOptions(
            title=opts.get("title", ""),
            kind=opts.get("plan_kind", "MPZP"),
            provisions=folder / opts["provisions"] if opts.get("provisions") else None,
            publish=True,
            provisions_fix=opts.get("provisions_fix") or {},
            mapping=ZoneMapping(
                designation=opts.get("designation_field") or "designation",
                name=opts.get("name_field") or "name",
                layer=opts.get("layer") or None,
            ),
        )
        report, plan = import_plan(
            municipality=job.municipality,
            paths=paths,
            options=options,
            dry_run=dry_run,
            actor=actor,
            progress=progress,
        )
        return report, plan.pk if plan else None
    mapping = ParcelMapping(
        identifier=opts.get("identifier_field") or "identifier",
        area=opts.get("area_field") or "registered_area_ha",
        area_unit=opts.get("area_unit") or "ha",
        layer=opts.get("layer") or None,
    )
    report = import_parcels(
        municipality=job.municipality,
        paths=paths,
        dry_run=dry_run,
        actor=actor,
        mapping=mapping,
        whole_municipality=bool(opts.get("whole_municipality")),
        progress=progress,
    )
    return report, None


def _cleanup(job: ImportJob) -> None:
    """Uploaded files are kept only while a confirmation may still need them."""
    if job.status in {ImportJob.Status.DONE, ImportJob.Status.REJECTED}:
        shutil.rmtree(_folder(job), ignore_errors=True)


def _stored(report: Report) -> dict:
    data = report.as_dict()
    data["features_total"] = len(data["features"])
    data["features"] = data["features"][:MAX_REPORT_FEATURES]
    return data


def _start_validation(job_id: int) -> ImportJob | None:
    """The job, now ``validating``; None when it is not queued (a duplicate or stale run)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("municipality").get(pk=job_id)
        if job.status != ImportJob.Status.QUEUED:
            return None
        job.status = ImportJob.Status.VALIDATING
        job.save(update_fields=["status", "updated_at"])
    return job


def validate_job(job_id: int) -> ImportJob:
    job = _start_validation(job_id)
    if job is None:
        return ImportJob.objects.get(pk=job_id)
    started = time.perf_counter()
    if job.options.get("harvest_url") and not job.files:
        _harvest_files(job)
    report, _plan = _run(job, dry_run=True, actor=job.created_by)
    job.report = _stored(report)
    job.status = ImportJob.Status.VALID if report.ok else ImportJob.Status.REJECTED
    IMPORT_DURATION.labels("validate", job.kind, job.status).observe(time.perf_counter() - started)
    record_rejected_import(report=report, municipality=job.municipality, actor=job.created_by)
    job.stage = ""
    job.save(update_fields=["report", "status", "stage", "updated_at"])
    _cleanup(job)
    return job


def confirm_job(*, job: ImportJob, actor) -> ImportJob:
    """The planner confirms a clean report: the job waits for the real import."""
    if job.status != ImportJob.Status.VALID:
        raise ValueError("only a valid import can be confirmed")
    job.status = ImportJob.Status.WRITING
    job.confirmed_by = actor
    job.save(update_fields=["status", "confirmed_by", "updated_at"])
    return job


def apply_job(job_id: int) -> ImportJob:
    """Write a confirmed import and mark it done, both in one transaction.

    So a worker that dies mid-way leaves neither data nor ``done`` behind, and one that dies
    after the commit leaves both (a retry then finds the job done and writes nothing again).
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("municipality").get(pk=job_id)
        if job.status != ImportJob.Status.WRITING:
            return job  # done already, or not confirmed
        started = time.perf_counter()
        report, plan_id = _run(job, dry_run=False, actor=job.confirmed_by)
        job.report = _stored(report)
        done = report.written or report.summary.get("harvest_unchanged")
        job.status = ImportJob.Status.DONE if done else ImportJob.Status.REJECTED
        seconds = time.perf_counter() - started
        IMPORT_DURATION.labels("apply", job.kind, job.status).observe(seconds)
        record_rejected_import(report=report, municipality=job.municipality, actor=job.confirmed_by)
        job.plan_id = plan_id
        job.stage = ""
        job.save(update_fields=["report", "status", "plan", "stage", "updated_at"])
    _cleanup(job)
    return job


def fail_job(*, job_id: int, reason: str) -> bool:
    """End an unfinished job ``failed`` with its reason; False when it had finished already."""
    running = [ImportJob.Status.QUEUED, ImportJob.Status.VALIDATING, ImportJob.Status.WRITING]
    return bool(
        ImportJob.objects.filter(pk=job_id, status__in=running).update(
            status=ImportJob.Status.FAILED, error=reason[:2000], stage="", updated_at=timezone.now()
        )
    )


def requeue_failed(*, job_id: int) -> str | None:
    """Put a failed job back to the step it failed in; that step (``validate`` or ``apply``).

    None (nothing done) for a job that is not failed. A confirmed job goes back to writing (its
    report was clean and its files are kept); any other to validation. Call inside the
    transaction that queues the step: a repeated retry then queues nothing more.
    """
    job = ImportJob.objects.select_for_update().get(pk=job_id)
    if job.status != ImportJob.Status.FAILED:
        return None
    confirmed = job.confirmed_by_id is not None
    job.status = ImportJob.Status.WRITING if confirmed else ImportJob.Status.QUEUED
    job.error = ""
    job.stage = ""
    job.progress_done, job.progress_total = 0, None
    job.save(
        update_fields=["status", "error", "stage", "progress_done", "progress_total", "updated_at"]
    )
    return "apply" if confirmed else "validate"
