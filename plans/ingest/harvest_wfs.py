"""Read a gmina's APP features from a WFS 2.0: the Rejestr Urbanistyczny's, or another portal's /ows.

The capabilities are read with OWSLib (after the hardened parser has seen them); the GetFeature
requests are built here (KVP with FILTER, COUNT, STARTINDEX: OWSLib 0.35 sends a 2.0 filter in a
``query`` parameter) and every answer goes through ``layers.xmlparse``. A feature type named like an
APP element (the register's ``app-pog:StrefaPlanistyczna``) is asked for the gmina's features with a
FES 2.0 ``PropertyIsLike`` on ``przestrzenNazw``; a feature type offering an APP output format (a
Plan Portal's ``granice``, ``wektor-str``, ``wektor-pow``, one gmina per service) is asked for APP 3.0.
Any failure (network, timeout, HTTP error, ows:ExceptionReport, a page cut off or not whole) raises
:class:`HarvestError` naming the URL; nothing is kept from a harvest that failed.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from lxml import etree
from owslib.wfs import WebFeatureService

from layers.xmlparse import XMLRefused, local, parse_bytes

REGISTER = "https://rejestr-urbanistyczny.gov.pl/uslugi-sieciowe/"
REGISTER_URLS = {"pog": REGISTER + "app-pog/wfs", "mpzp": REGISTER + "app-mpzp/wfs"}
APP_TYPES = (
    "AktPlanowaniaPrzestrzennego",
    "StrefaPlanistyczna",
    "ObszarUzupelnieniaZabudowy",
    "ObszarZabudowySrodmiejskiej",
    "ObszarStandardowDostepnosciInfrastrukturySpolecznej",
    "DokumentFormalny",
)
APP_OUTPUT = "application/gml+xml; version=3.2; profile=app-3.0"
WFS = "http://www.opengis.net/wfs/2.0"
FES = "http://www.opengis.net/fes/2.0"
OWS_NAMESPACES = ("http://www.opengis.net/ows/1.1", "http://www.opengis.net/ows/2.0")
MAX_PAGES = 1000
AGENT = "PlanPortal-harvest/1.0"


class HarvestError(Exception):
    """The remote service failed us; ``url``: the request that did."""

    def __init__(self, message: str, *, url: str):
        super().__init__(f"{url}: {message}")
        self.message = message
        self.url = url


@dataclass(frozen=True)
class Source:
    """One feature type to read, and how to ask for it."""

    typename: str
    prefix: str
    namespace: str
    app_output: bool  # a Plan Portal layer: ask for APP 3.0, no filter


@dataclass
class Page:
    members: list[etree._Element]
    matched: int | None
    next_url: str | None
    timestamp: str


def fetch(url: str, *, timeout: float) -> bytes:
    """The body of a GET; HarvestError on network failure, timeout, HTTP error or a cut answer."""
    request = urllib.request.Request(url, headers={"User-Agent": AGENT})  # noqa: S310 (http/https only)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as exc:
        detail = exception_text(exc.read()) or exc.reason
        raise HarvestError(f"HTTP {exc.code} ({detail})", url=url) from exc
    except TimeoutError as exc:
        raise HarvestError(f"no answer within {timeout:g} s", url=url) from exc
    except http.client.IncompleteRead as exc:
        raise HarvestError("the answer was cut off (incomplete read)", url=url) from exc
    except (OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise HarvestError(f"no answer within {timeout:g} s", url=url) from exc
        raise HarvestError(f"the service cannot be reached ({reason})", url=url) from exc


def exception_text(body: bytes) -> str:
    """The code and text of an ows:ExceptionReport body ('' when it is none)."""
    try:
        root = parse_bytes(body)
    except (etree.XMLSyntaxError, XMLRefused):
        return ""
    if local(root.tag) != "ExceptionReport":
        return ""
    parts = []
    for exception in root.iter("{*}Exception"):
        texts = " ".join(t.strip() for t in exception.itertext() if t.strip())
        parts.append(f"{exception.get('exceptionCode', '')}: {texts}".strip(": "))
    return "; ".join(parts) or "ExceptionReport"


def parse_answer(body: bytes, *, url: str) -> etree._Element:
    """A remote XML answer through the hardened parser; an ExceptionReport is an error."""
    try:
        root = parse_bytes(body)
    except XMLRefused as exc:
        raise HarvestError(f"the answer was refused ({exc})", url=url) from exc
    except etree.XMLSyntaxError as exc:
        raise HarvestError(f"the answer is not whole XML (cut off?): {exc}", url=url) from exc
    if local(root.tag) == "ExceptionReport":
        raise HarvestError(f"the service reported an exception: {exception_text(body)}", url=url)
    return root


def with_query(base: str, params: dict[str, str]) -> str:
    base = base.rstrip("?&")
    return base + ("&" if "?" in base else "?") + urlencode(params)


def read_capabilities(url: str, *, timeout: float) -> tuple[str, list[Source]]:
    """The GetFeature URL and the feature types worth reading, from WFS 2.0.0 capabilities."""
    caps_url = with_query(url, {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetCapabilities"})
    body = fetch(caps_url, timeout=timeout)
    root = parse_answer(body, url=caps_url)
    if local(root.tag) != "WFS_Capabilities":
        raise HarvestError(f"no WFS 2.0 capabilities but {local(root.tag)}", url=caps_url)
    try:
        wfs = WebFeatureService(url, version="2.0.0", xml=body, timeout=timeout)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise HarvestError(f"the capabilities cannot be read ({exc})", url=caps_url) from exc
    declared = {
        (el.findtext(f"{{{WFS}}}Name") or "").strip(): el
        for el in root.iter(f"{{{WFS}}}FeatureType")
    }
    sources = []
    for typename in wfs.contents:
        prefix = typename.split(":", 1)[0] if ":" in typename else ""
        element = declared.get(typename)
        namespace = element.nsmap.get(prefix or None, "") if element is not None else ""
        formats = [
            (f.text or "").replace(" ", "").lower()
            for f in (element.iter(f"{{{WFS}}}Format") if element is not None else [])
        ]
        if typename.rsplit(":", 1)[-1] in APP_TYPES:
            sources.append(Source(typename, prefix, namespace, app_output=False))
        elif APP_OUTPUT.replace(" ", "") in formats:
            sources.append(Source(typename, prefix, namespace, app_output=True))
    if not sources:
        raise HarvestError("the service offers no APP feature types", url=caps_url)
    sources.sort(key=_source_order)
    return _get_feature_url(wfs, url), sources


def _source_order(source: Source) -> int:
    name = source.typename.rsplit(":", 1)[-1]
    return APP_TYPES.index(name) if name in APP_TYPES else len(APP_TYPES)


def _get_feature_url(wfs: WebFeatureService, url: str) -> str:
    try:
        methods = wfs.getOperationByName("GetFeature").methods
    except KeyError:
        return url
    get = next((m.get("url") for m in methods if m.get("type", "").lower() == "get"), None)
    return get or url


def gmina_filter(source: Source, *, teryt: str, kind: str) -> str:
    """FES 2.0: the source's features whose przestrzenNazw is ``…/<TERYT>-<KIND>``."""
    p = source.prefix or "app"
    return (
        f'<fes:Filter xmlns:fes="{FES}" xmlns:{p}="{source.namespace}">'
        '<fes:PropertyIsLike wildCard="*" singleChar="#" escapeChar="!">'
        f"<fes:ValueReference>{p}:idIIP/{p}:Identyfikator/{p}:przestrzenNazw</fes:ValueReference>"
        f"<fes:Literal>*/{teryt}-{kind.upper()}</fes:Literal></fes:PropertyIsLike></fes:Filter>"
    )


def page_url(base: str, source: Source, *, teryt: str, kind: str, start: int, count: int) -> str:
    params = {
        "SERVICE": "WFS",
        "VERSION": "2.0.0",
        "REQUEST": "GetFeature",
        "TYPENAMES": source.typename,
        "COUNT": str(count),
        "STARTINDEX": str(start),
        "SRSNAME": "urn:ogc:def:crs:EPSG::2180",
    }
    if source.app_output:
        params["OUTPUTFORMAT"] = APP_OUTPUT
    else:
        if source.prefix:
            params["NAMESPACES"] = f"xmlns({source.prefix},{source.namespace})"
        params["FILTER"] = gmina_filter(source, teryt=teryt, kind=kind)
    return with_query(base, params)


def read_page(url: str, *, timeout: float) -> Page:
    root = parse_answer(fetch(url, timeout=timeout), url=url)
    if root.tag != f"{{{WFS}}}FeatureCollection":
        raise HarvestError(f"no wfs:FeatureCollection but {local(root.tag)}", url=url)
    members = [child for child in root if child.tag == f"{{{WFS}}}member"]
    returned = root.get("numberReturned", "")
    if not returned.isdigit() or int(returned) != len(members):
        raise HarvestError(
            f"half-delivered page: numberReturned={returned or '?'} but {len(members)} members",
            url=url,
        )
    matched = root.get("numberMatched", "")
    return Page(
        members=members,
        matched=int(matched) if matched.isdigit() else None,
        next_url=root.get("next") or None,
        timestamp=root.get("timeStamp", ""),
    )


def _same_service(url: str, other: str) -> bool:
    a, b = urlsplit(url), urlsplit(other)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def read_source(
    base: str, source: Source, *, teryt: str, kind: str, count: int, timeout: float
) -> list[etree._Element]:
    """Every wfs:member of the source for the gmina, page by page (``next`` links or STARTINDEX)."""
    members: list[etree._Element] = []
    url = page_url(base, source, teryt=teryt, kind=kind, start=0, count=count)
    for _ in range(MAX_PAGES):
        page = read_page(url, timeout=timeout)
        members += page.members
        if page.next_url:
            if not _same_service(base, page.next_url):
                raise HarvestError(f"the next page is on another host: {page.next_url}", url=url)
            url = page.next_url
            continue
        done = not page.members or (
            len(members) >= page.matched if page.matched is not None else len(page.members) < count
        )
        if done:
            return members
        url = page_url(base, source, teryt=teryt, kind=kind, start=len(members), count=count)
    raise HarvestError(f"more than {MAX_PAGES} pages", url=url)
