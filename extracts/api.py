"""REST API for surveyors: POST /api/extracts/ → background job → status → zip of PDFs."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from extracts.engine import ParcelProblem, resolve_parcels
from extracts.models import ExtractBatch
from extracts.tasks import queue_batch, retry_batch
from layers.permissions import can


class BatchRequestSerializer(serializers.Serializer):
    parcels = serializers.ListField(
        child=serializers.CharField(max_length=48),
        min_length=1,
        help_text=f"Full parcel identifiers WWPPGG_R.OOOO.NR, at most {settings.EXTRACT_BATCH_MAX}.",
    )
    date = serializers.DateField(required=False, help_text="Plans as of this date (default today).")

    def validate_parcels(self, value: list[str]) -> list[str]:
        limit = settings.EXTRACT_BATCH_MAX
        if len(value) > limit:
            raise serializers.ValidationError(
                _("At most %(n)d parcels per batch; got %(m)d.") % {"n": limit, "m": len(value)}
            )
        try:
            by_gmina = resolve_parcels(identifiers=value)
        except ParcelProblem as exc:
            raise serializers.ValidationError(exc.problems) from exc
        return [p.identifier for parcels in by_gmina.values() for p in parcels]


class BatchSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    zip_url = serializers.SerializerMethodField()
    retry_url = serializers.SerializerMethodField()
    failure = serializers.SerializerMethodField(
        help_text="Why a failed batch failed; POST to retry_url to queue it again."
    )

    class Meta:
        model = ExtractBatch
        fields = ["id", "status", "parcel_ids", "as_of", "errors", "failure", "created_at",
                  "finished_at", "url", "zip_url", "retry_url"]  # fmt: skip

    def get_url(self, obj: ExtractBatch) -> str:
        return reverse("api-extract-batch", args=[obj.pk])

    def get_failure(self, obj: ExtractBatch) -> str:
        return _(obj.failure) if obj.failure else ""  # a known reason is stored as its msgid

    def get_retry_url(self, obj: ExtractBatch) -> str | None:
        if obj.status != ExtractBatch.Status.FAILED:
            return None
        return reverse("api-extract-batch-retry", args=[obj.pk])

    def get_zip_url(self, obj: ExtractBatch) -> str | None:
        if obj.status != ExtractBatch.Status.DONE:
            return None
        return reverse("api-extract-batch-zip", args=[obj.pk])


class MayRequestBatch(BasePermission):
    """Batches are for approved surveyors (layers.permissions: ``extract.request_batch``)."""

    # lazy: a class attribute, translated per request, not once at import time
    message = gettext_lazy("Batches of extracts are for surveyors whose licence has been approved.")

    def has_permission(self, request, view) -> bool:
        return can(request.user, "extract.request_batch")


class BatchCreateView(APIView):
    permission_classes = [IsAuthenticated, MayRequestBatch]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "extracts"

    @extend_schema(
        summary=f"Request informational extracts of up to {settings.EXTRACT_BATCH_MAX} parcels",
        request=BatchRequestSerializer,
        responses={202: BatchSerializer, 400: OpenApiResponse(description="bad parcel ids")},
    )
    def post(self, request: Request) -> Response:
        incoming = BatchRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        with transaction.atomic():
            batch = ExtractBatch.objects.create(
                owner=request.user,
                parcel_ids=incoming.validated_data["parcels"],
                as_of=incoming.validated_data.get("date") or timezone.localdate(),
            )
            queue_batch(batch=batch)
        return Response(BatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)


class BatchDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Status of a batch", responses={200: BatchSerializer})
    def get(self, request: Request, pk: int) -> Response:
        batch = get_object_or_404(ExtractBatch.objects.defer("zip_file"), pk=pk, owner=request.user)
        return Response(BatchSerializer(batch).data)


class BatchRetryView(APIView):
    permission_classes = [IsAuthenticated, MayRequestBatch]

    @extend_schema(
        summary="Queue a failed batch again",
        request=None,
        responses={
            202: BatchSerializer,
            409: OpenApiResponse(description="the batch is done: nothing to retry"),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        batch = get_object_or_404(ExtractBatch.objects.defer("zip_file"), pk=pk, owner=request.user)
        retry_batch(batch=batch)
        batch.refresh_from_db()
        if batch.status == ExtractBatch.Status.DONE:
            return Response(
                {"detail": _("The batch is done; there is nothing to retry.")},
                status=status.HTTP_409_CONFLICT,
            )
        # queued anew, or still queued/running from an earlier retry: one job either way
        return Response(BatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)


class BatchZipView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The zip of PDFs of a finished batch",
        responses={
            (200, "application/zip"): OpenApiResponse(description="zip of PDFs"),
            409: OpenApiResponse(description="not finished yet"),
        },
    )
    def get(self, request: Request, pk: int):
        batch = get_object_or_404(ExtractBatch, pk=pk, owner=request.user)
        if batch.status != ExtractBatch.Status.DONE:
            return Response(
                {"detail": _("The batch is %(s)s; try again later.") % {"s": batch.status}},
                status=status.HTTP_409_CONFLICT,
            )
        response = HttpResponse(bytes(batch.zip_file), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="wypisy-{batch.pk}.zip"'
        return response


def api_docs(request):
    """A plain, offline docs page generated from the OpenAPI schema (no CDN-hosted UI)."""
    from django.shortcuts import render
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [
        {"path": path, "method": method.upper(), **op}
        for path, item in sorted(schema.get("paths", {}).items())
        for method, op in item.items()
    ]
    context = {
        "schema": schema,
        "operations": operations,
        "batch_max": settings.EXTRACT_BATCH_MAX,
        "site": settings.SITE_URL,
    }
    return render(request, "extracts/api_docs.html", context)
