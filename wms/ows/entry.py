"""The OGC endpoints ``/ows`` and ``/<gmina>/ows``: one view that dispatches on SERVICE.

WFS (SERVICE=WFS, or a POSTed XML body in a WFS namespace) goes to ``wms.wfs.wfs_service``;
everything else to the WMS (``wms.maps.map_service``), which dispatches on REQUEST. A request whose
parameters cannot be read at all gets the report of the service it names (WMS by default).
"""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from layers.xmlparse import root_namespace
from wms.maps.layer_catalog import find_municipality
from wms.maps.map_errors import WmsError, exception_response
from wms.maps.map_request import Params
from wms.maps.map_service import wms_response
from wms.wfs.wfs_service import handle_wfs

WFS_NAMESPACES = {"http://www.opengis.net/wfs/2.0", "http://www.opengis.net/wfs"}


def _asks_for_wfs(request: HttpRequest) -> bool:
    try:
        form = request.POST if request.method == "POST" else request.GET
    except SuspiciousOperation:  # too many fields: the WMS report says so
        return False
    return any(k.upper() == "SERVICE" and v.strip().upper() == "WFS" for k, v in form.items())


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def ows(request: HttpRequest, gmina: str | None = None) -> HttpResponse:
    municipality = find_municipality(gmina)  # also refreshes the catalogue snapshot
    if gmina and municipality is None:
        # a GIS client asked an address that serves nothing: a short plain answer, not the site's
        # HTML page (no CSRF form, no cookie; the same from the front cache's handler)
        return HttpResponseNotFound(
            f"No OGC service at this address: there is no gmina {gmina!r} on this portal.\n",
            content_type="text/plain; charset=utf-8",
        )
    if request.method == "POST" and root_namespace(request.body) in WFS_NAMESPACES:
        return handle_wfs(request, municipality=municipality)
    try:
        params = Params.of_request(request)
    except WmsError as error:
        if _asks_for_wfs(request):  # the WFS reports the same fault in its own format
            return handle_wfs(request, municipality=municipality)
        return exception_response(error)
    if params.get("SERVICE").strip().upper() == "WFS":
        return handle_wfs(request, municipality=municipality)
    return wms_response(request, params=params, municipality=municipality)
