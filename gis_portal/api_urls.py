"""REST API under /api/: the OpenAPI schema at /api/schema/, a docs page at /api/docs/."""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView

from extracts import api as extracts_api

# the schema describes the API, not itself (no "schema_retrieve" operation in the docs)
SchemaView = extend_schema_view(get=extend_schema(exclude=True))(SpectacularAPIView)

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", extracts_api.api_docs, name="api-docs"),
    path("extracts/", extracts_api.BatchCreateView.as_view(), name="api-extract-batches"),
    path("extracts/<int:pk>/", extracts_api.BatchDetailView.as_view(), name="api-extract-batch"),
    path(
        "extracts/<int:pk>/retry",
        extracts_api.BatchRetryView.as_view(),
        name="api-extract-batch-retry",
    ),
    path(
        "extracts/<int:pk>/zip", extracts_api.BatchZipView.as_view(), name="api-extract-batch-zip"
    ),
]
