"""GetMap: a checked map request -> image bytes (cached), drawn by wms/maps/render.py."""

from __future__ import annotations

from dataclasses import dataclass

from layers.models import Layer, Municipality
from wms.maps import image_cache
from wms.maps.layer_catalog import CatalogLayer, get_layer, layer_source
from wms.maps.map_errors import WmsError
from wms.maps.map_request import MapRequest
from wms.maps.render import LayerSpec, render_map
from wms.maps.styles import get_style, style_xml


@dataclass(frozen=True)
class MapImage:
    body: bytes
    mime: str
    key: str
    cached: bool


def resolve_layers(
    *, municipality: Municipality | None, names: tuple[str, ...], styles: tuple[str, ...]
) -> list[tuple[CatalogLayer, str]]:
    """(layer, style name) pairs; LayerNotDefined / StyleNotDefined for what is not offered."""
    out = []
    for name, style in zip(names, styles, strict=True):
        cat = get_layer(municipality=municipality, name=name)
        if get_style(cat.kind, style) is None:
            raise WmsError(
                "StyleNotDefined", f"layer {name} has no style {style!r}", locator="STYLES"
            )
        out.append((cat, style or "default"))
    return out


def layer_specs(
    *, layers: list[tuple[CatalogLayer, str]], user, statuses: tuple[str, ...]
) -> list[LayerSpec]:
    specs = []
    for cat, style_name in layers:
        source = layer_source(cat, user=user, statuses=statuses)
        style = get_style(cat.kind, style_name)
        body, labels = style_xml(style)
        if cat.kind == Layer.Kind.RASTER:
            specs.extend(
                LayerSpec(
                    name=f"{cat.name}-{n}",
                    table_sql="",
                    style_xml="<Rule><RasterSymbolizer/></Rule>",
                    raster_file=path,
                    srs=f"epsg:{srid}",  # the drawing's own CRS; Mapnik warps it to the map's
                )
                for n, (path, srid) in enumerate(source.raster_files)
            )
            continue
        specs.append(
            LayerSpec(name=cat.name, table_sql=source.sql, style_xml=body, label_style_xml=labels)
        )
    return specs


def get_map(
    *,
    request: MapRequest,
    municipality: Municipality | None,
    user,
    mime: str,
    mapnik_format: str,
    transparent: bool,
    bgcolor: str,
) -> MapImage:
    layers = resolve_layers(municipality=municipality, names=request.layers, styles=request.styles)
    specs = layer_specs(layers=layers, user=user, statuses=request.status)
    background = None if transparent and mime != "image/jpeg" else bgcolor
    key = image_cache.image_key(
        [
            (s.name, s.table_sql, s.style_xml, s.label_style_xml, s.raster_file, s.srs)
            for s in specs
        ],
        [(cat.data_version, cat.epoch) for cat, _style in layers],
        tuple(round(v, 6) for v in request.bbox),
        request.width,
        request.height,
        request.crs.srid,
        mime,
        background,
    )
    body = image_cache.get_image(key)
    if body is not None:
        return MapImage(body=body, mime=mime, key=key, cached=True)
    body = render_map(
        layers=specs,
        bbox=request.bbox,
        width=request.width,
        height=request.height,
        srs=f"epsg:{request.crs.srid}",
        image_format=mapnik_format,
        background=background,
    )
    image_cache.put_image(key, body)
    return MapImage(body=body, mime=mime, key=key, cached=False)
