"""The ``<Layer>`` elements of a WMS capabilities document, written directly (issue 17).

A platform document lists every gmina's layers: at 2,477 gminy (the country) that is ~20,000
``<Layer>`` elements with ten bounding boxes each. Through Django's template engine (an include per
layer) the document took 17 s to render, past any worker timeout; the same text written here takes a
fraction of a second. The output is character for character what ``templates/wms/layer_130.xml`` and
``layer_111.xml`` gave (the golden tests in tests/wms/golden hold it): text escaped as Django's
autoescape does, numbers as ``str()`` gives them (``{% localize off %}``).
"""

from __future__ import annotations

from django.utils.html import escape


def layers_xml(layers: list[dict], *, version: str, statuses: str) -> str:
    out: list[str] = []
    write = _layer_130 if version == "1.3.0" else _layer_111
    boxes: dict[int, str] = {}  # the layers of a gmina share one list of boxes: written once
    for layer in layers:
        write(layer, escape(statuses), out, boxes)
    return "".join(out)


def _bboxes_xml(layer: dict, attr: str, boxes: dict[int, str]) -> str:
    key = id(layer["bboxes"])
    if key not in boxes:
        boxes[key] = "".join(_bbox("BoundingBox", attr, b) for b in layer["bboxes"])
    return boxes[key]


def _head(layer: dict, out: list[str]) -> None:
    out.append(f'    <Layer queryable="{"1" if layer.get("queryable") else "0"}">')
    if layer.get("name"):
        out.append(f"\n      <Name>{escape(layer['name'])}</Name>")
    out.append(f"\n      <Title>{escape(layer['title'])}</Title>")
    if layer.get("abstract"):
        out.append(f"\n      <Abstract>{escape(layer['abstract'])}</Abstract>")


def _bbox(tag: str, attr: str, b: dict) -> str:
    x0, y0, x1, y1 = b["box"]
    return f'\n      <{tag} {attr}="{escape(b["crs"])}" minx="{x0}" miny="{y0}" maxx="{x1}" maxy="{y1}"/>'


def _style(s: dict, xlink_ns: str) -> str:
    return (
        f"\n      <Style>\n        <Name>{escape(s['name'])}</Name>\n"
        f"        <Title>{escape(s['title'])}</Title>\n"
        f'        <LegendURL width="{s["width"]}" height="{s["height"]}">\n'
        "          <Format>image/png</Format>\n"
        f'          <OnlineResource{xlink_ns} xlink:type="simple" xlink:href="{escape(s["legend_url"])}"/>\n'
        "        </LegendURL>\n      </Style>"
    )


def _layer_130(layer: dict, statuses: str, out: list[str], boxes: dict[int, str]) -> None:
    _head(layer, out)
    w, s, e, n = layer["geo"]
    out.append(
        "\n      <EX_GeographicBoundingBox>"
        f"\n        <westBoundLongitude>{w}</westBoundLongitude>"
        f"\n        <eastBoundLongitude>{e}</eastBoundLongitude>"
        f"\n        <southBoundLatitude>{s}</southBoundLatitude>"
        f"\n        <northBoundLatitude>{n}</northBoundLatitude>"
        "\n      </EX_GeographicBoundingBox>"
    )
    out.append(_bboxes_xml(layer, "CRS", boxes))
    if layer.get("status_dimension"):
        out.append(
            '\n      <Dimension name="status" units="" default="legalForce" multipleValues="1" '
            f'nearestValue="0">{statuses}</Dimension>'
        )
    out.extend(_style(st, "") for st in layer["styles"])
    if layer.get("min_scale"):
        out.append(f"\n      <MinScaleDenominator>{layer['min_scale']}</MinScaleDenominator>")
    if layer.get("max_scale"):
        out.append(f"\n      <MaxScaleDenominator>{layer['max_scale']}</MaxScaleDenominator>")
    out.append("\n")
    for child in layer["children"]:
        _layer_130(child, statuses, out, boxes)
    out.append("    </Layer>\n")


def _layer_111(layer: dict, statuses: str, out: list[str], boxes: dict[int, str]) -> None:
    _head(layer, out)
    w, s, e, n = layer["geo"]
    out.append(f'\n      <LatLonBoundingBox minx="{w}" miny="{s}" maxx="{e}" maxy="{n}"/>')
    out.append(_bboxes_xml(layer, "SRS", boxes))
    if layer.get("status_dimension"):
        out.append(
            '\n      <Dimension name="status" units=""/>'
            f'\n      <Extent name="status" default="legalForce" nearestValue="0">{statuses}</Extent>'
        )
    out.extend(_style(st, ' xmlns:xlink="http://www.w3.org/1999/xlink"') for st in layer["styles"])
    if layer.get("scale_hint"):
        lo, hi = layer["scale_hint"]
        out.append(f'\n      <ScaleHint min="{lo}" max="{hi}"/>')
    out.append("\n")
    for child in layer["children"]:
        _layer_111(child, statuses, out, boxes)
    out.append("    </Layer>\n")
