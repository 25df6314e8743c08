"""`geo render`: one sheet per map, saved as PNG, SVG and/or PDF from the same figure."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, compress
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import shapely

from geo import __version__, outdir
from geo.errors import OutputError
from geo.messages import N_, translate
from geo.outdir import output_dir
from geo.static import draw, fit, furniture
from geo.static.context import ContextDrawn, draw_context
from geo.static.labels import LabelRequest, Placer, place_labels
from geo.static.projection import Projection, fit_limits, map_extent
from geo.static.sheet import Sheet, check_formats, layout_for, margin_in
from geo.static.write import sheet_bytes, sheet_rc
from geo.status_age import is_stale, reference_date

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from geo.catalog import Catalog, Layer
    from geo.layer_file import Feature
    from geo.models import MapSpec


class RenderError(OutputError):
    """A map could not be drawn or written (exit 1); no partial file is left."""

    def __init__(self, message: str, written: list[tuple[Path, int]] | None = None):
        super().__init__(message)
        self.written = written or []  # what the other maps wrote before the error was raised


@dataclass(frozen=True)
class SheetInfo:
    """What one rendered sheet shows, for tests and the command's report."""

    map_id: str
    legend: list[str]
    credits: str
    projection: str
    labels: list[str]
    features: int
    crs: str  # the projection as a PROJ string, so a reader can georeference the sheet
    xlim: tuple[float, float]  # the map frame's extent in projected metres
    ylim: tuple[float, float]
    frame_px: tuple[float, float, float, float]  # the frame in PNG pixels: left, top, right, bottom
    source_pages: list[str]  # every source, for the PDF's source pages when the sheet names only some


def sheet_name(map_id: str, fmt: str, lang: str = "en") -> str:
    """MAP.png in English, MAP.ru.png in Russian: the languages' sheets sit side by side."""
    return f"{map_id}.{fmt}" if lang == "en" else f"{map_id}.{lang}.{fmt}"


# The render's ledger in --out: {file: sha256} of the images it wrote, for the output guard.
LEDGER_NAME = ".render-manifest.json"


def read_ledger(out_dir: Path) -> dict[str, str]:
    """The images an earlier `geo render` wrote into out_dir, with their sha256, ledger included."""
    return outdir.read_ledger(out_dir, LEDGER_NAME)


def render_maps(
    catalog: Catalog,
    out_dir: Path,
    sheet: Sheet,
    *,
    names: list[str] | None = None,
    formats: list[str] | None = None,
    force: bool = False,
    progress: Callable[[Path, int], None] = lambda path, size: None,
    note: Callable[[str], None] = lambda line: None,
    lang: str = "en",
) -> list[tuple[Path, int]]:
    """Render the named maps (default: all) in each format into out_dir; return (path, bytes) written.

    Written through the shared output guard (geo.outdir): one writer at a time, never over a file
    that no render wrote (unless `force`), all images of the run committed together. `geo build`
    then links the images present from index.html.
    """
    formats = check_formats(list(formats or []))
    specs = [catalog.maps[name] for name in names] if names else list(catalog.maps.values())
    written: list[tuple[Path, int]] = []
    failures: list[str] = []
    with output_dir(out_dir, data_dir=catalog.data_dir, command="render", force=force, owned=read_ledger) as od:
        for line in od.notes:
            note(line)
        targets = [sheet_name(spec.id, fmt, lang) for spec in specs for fmt in formats]
        od.check_targets([*targets, LEDGER_NAME])
        files = {name: sha for name, sha in od.owned.items() if name != LEDGER_NAME and od.owns(name)}
        for spec in specs:  # a map that fails is reported; the others are still rendered
            try:
                payloads = _render_one(catalog, spec, sheet, formats, lang)
            except RenderError as exc:
                failures.append(str(exc))
                continue
            for fmt, payload in payloads:
                name = sheet_name(spec.id, fmt, lang)
                try:
                    od.stage_bytes(name, payload)
                except OutputError as exc:  # a full disk: nothing of this run is committed
                    raise RenderError(f"map {spec.id}: {exc}", written) from exc
                files[name] = od.sha256(name)
                written.append((od.path / name, len(payload)))
                progress(od.path / name, len(payload))
        if written:
            ledger = {"files": dict(sorted(files.items())), "tool": f"geo-atlas {__version__} (geo render)"}
            od.stage_bytes(LEDGER_NAME, (json.dumps(ledger, indent=1, sort_keys=True) + "\n").encode())
            od.commit()
    if failures:
        raise RenderError("; ".join(failures), written)
    return written


def _render_one(
    catalog: Catalog, spec: MapSpec, sheet: Sheet, formats: list[str], lang: str = "en"
) -> list[tuple[str, bytes]]:
    """All formats of one map rendered in memory: a failure never leaves part of a file."""
    with sheet_rc(), warnings.catch_warnings():
        # DejaVu Sans has Latin and Cyrillic but no CJK or Devanagari: such a name draws as boxes
        # (credits show those sources by id instead, see printable()); not a failure of the map.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        try:
            fig, info = build_sheet(catalog, spec, sheet, lang)
            title = _map_text(catalog, spec, "title", lang)
            pages = furniture.source_pages(sheet.width_in, sheet.height_in, sheet.dpi, title, info.source_pages, lang)
            return [(fmt, sheet_bytes(fig, fmt, sheet.dpi, *(pages if fmt == "pdf" else []))) for fmt in formats]
        except Exception as exc:
            raise RenderError(f"map {spec.id}: could not render it: {exc}") from exc


def _layer_arrays(layer: Layer) -> dict[str, np.ndarray]:
    """The fields the sheet styles by, one array each (maps over C getters: a layer may hold millions)."""
    props = list(map(attrgetter("properties"), layer.features))
    count = len(props)
    statuses = map(attrgetter("status"), props)
    return {
        # An enum's .value is a Python-level property; _value_ is the member's plain attribute.
        "kind": np.fromiter(map(attrgetter("kind._value_"), props), dtype=object, count=count),
        "status": np.fromiter((None if s is None else s._value_ for s in statuses), dtype=object, count=count),
        "schematic": np.fromiter(map(attrgetter("schematic"), props), dtype=bool, count=count),
        "accuracy_m": np.fromiter(map(attrgetter("accuracy_m"), props), dtype=float, count=count),
        "geometry": np.fromiter(map(attrgetter("geometry"), layer.features), dtype=object, count=count),
    }


def _map_text(catalog: Catalog, spec: MapSpec, field: str, lang: str) -> str:
    """The map's title or description in the sheet's language (data/i18n/<lang>.yaml)."""
    from geo.texts import localized

    return localized(catalog, lang, "maps", spec.id, field, getattr(spec, field))


def build_sheet(catalog: Catalog, spec: MapSpec, sheet: Sheet, lang: str = "en") -> tuple[Figure, SheetInfo]:
    """The whole sheet as a matplotlib Figure (Agg canvas; SVG and PDF are saved from the same figure),
    in `lang`: title, legend, scale, credits, and each place's name in that language first.

    Laid out from what its text measures: the header and credits take the height they need (the
    credits name as many sources as fit, the PDF lists them all on a page of their own), the legend
    the column (without the locator, then a wider column, when its words need the room).
    """
    room_px = 0.0
    for column_scale in (1.0, 1.35, 1.7, 2.1):  # the legend column widens as long words need
        built = _build_sheet(catalog, spec, sheet, column_scale, room_px, lang)
        if isinstance(built, float):  # the credits need more room than measured: once more with it
            room_px = built
            built = _build_sheet(catalog, spec, sheet, column_scale, room_px, lang)
        if isinstance(built, tuple):
            return built
    raise RenderError(
        f"map {spec.id}: the legend does not fit a {sheet.name} sheet at {sheet.dpi} dpi; choose a larger --size"
    )


def _build_sheet(
    catalog: Catalog, spec: MapSpec, sheet: Sheet, column_scale: float, min_room_px: float, lang: str = "en"
) -> tuple[Figure, SheetInfo] | float | None:
    """The sheet; None when the legend does not fit its column; the credits' height when they need
    more room than was measured for them (the caller builds again with it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(sheet.width_in, sheet.height_in), dpi=sheet.dpi)
    FigureCanvasAgg(fig)
    renderer = cast("FigureCanvasAgg", fig.canvas).get_renderer()  # type: ignore[no-untyped-call]
    margin = margin_in(sheet)
    text_w_in = sheet.width_in - 2 * margin
    title, description = _map_text(catalog, spec, "title", lang), _map_text(catalog, spec, "description", lang)
    header_in = furniture.draw_header(fig, title, description, margin / sheet.width_in,
                                      1 - margin / sheet.height_in, text_w_in)  # fmt: skip
    layers = [catalog.layers[layer_id] for layer_id in spec.layers]
    # The credits' room is measured for every source of the map's layers (what the frame shows is
    # at most that), at most a fifth of the sheet; the map takes the rest.
    all_sources = set(chain.from_iterable(map(attrgetter("properties.sources"), chain.from_iterable(
        map(attrgetter("features"), layers)))))  # fmt: skip
    geometries = list(chain.from_iterable(map(attrgetter("geometry"), layer.features) for layer in layers))
    extent = map_extent(spec, geometries)
    projection = Projection.fitted(extent)
    upper = draw.Drawn(reference=reference_date(catalog), lang=lang)
    upper.sources.update(all_sources)
    room = fit.fit_credits(fig, renderer, *_credit_parts(catalog, upper, projection), text_w_in * sheet.dpi,
                           max(0.2 * sheet.height_in * sheet.dpi, min_room_px), lang)  # fmt: skip
    room_px = max(room.height_px, min_room_px)
    footer_in = room_px / sheet.dpi
    if header_in + footer_in > 0.7 * sheet.height_in:  # the map would have no room left
        raise RenderError(f"map {spec.id}: its title and credits do not fit a {sheet.name} sheet at {sheet.dpi} dpi; "
                          "choose a larger --size")  # fmt: skip

    layout = layout_for(sheet, header_in=header_in, footer_in=footer_in, column_scale=column_scale)
    ax = fig.add_axes(layout.map)
    frame_w, frame_h = layout.map[2] * sheet.width_in, layout.map[3] * sheet.height_in
    xlim, ylim = fit_limits(extent, projection, frame_w / frame_h)
    draw.frame_axes(ax, xlim, ylim)
    countries = draw.draw_base(ax, catalog.countries, projection, set(spec.countries))
    context = catalog.context()
    backdrop = (
        draw_context(ax, context, projection, (xlim, ylim), _atlas_points(layers, projection))
        if context
        else ContextDrawn()
    )

    drawn = draw.Drawn(reference=reference_date(catalog), lang=lang)
    small_points = True
    for layer in layers:
        if layer.features:
            small_points = _draw_layer(ax, layer, projection, (xlim, ylim), frame_w, drawn) and small_points

    fitted_legend = None
    for with_inset in (True, False):  # the locator gives way to the legend
        layout = layout_for(
            sheet, header_in=header_in, footer_in=footer_in, column_scale=column_scale, inset=with_inset
        )
        _, _, legend_w, legend_h = layout.legend
        fitted_legend = furniture.fit_legend(fig, drawn, backdrop.legend, legend_w * sheet.width_in * sheet.dpi,
                                             legend_h * sheet.height_in * sheet.dpi)  # fmt: skip
        if fitted_legend is not None:
            break
    if fitted_legend is None:
        return None

    ax.apply_aspect()  # fixes the frame's transforms before labels are measured in pixels (no full draw)
    countries = _country_names(catalog, countries)
    labels = _place_all(fig, ax, drawn, countries, sheet, backdrop.labels)

    legend_ax = fig.add_axes(layout.legend)
    legend = furniture.draw_legend(legend_ax, drawn, small_points, fitted_legend, backdrop.legend)
    if layout.inset is not None:
        inset_ax = fig.add_axes(layout.inset)
        furniture.draw_inset(inset_ax, [country.geometry for country in catalog.countries.values()], extent, lang)
    furniture.draw_scale_bar(ax, projection, extent, lang)
    furniture.draw_north_arrow(ax, projection, extent, lang)
    before, sources, after = _credit_parts(catalog, drawn, projection, backdrop)
    credits = fit.fit_credits(fig, renderer, before, sources, after, text_w_in * sheet.dpi, room_px, lang)
    if credits.height_px > room_px + 0.5:  # a credit the room's measure could not foresee (a stale status)
        return credits.height_px
    credit_text = furniture.draw_credits(fig, credits, layout.footer)
    left, bottom, right, top = ax.get_window_extent().extents
    height_px = fig.bbox.height
    info = SheetInfo(
        spec.id, legend, credit_text, projection.describe(), labels, drawn.features, projection.crs.srs,
        xlim, ylim, (float(left), float(height_px - top), float(right), float(height_px - bottom)),
        sources if credits.listed < len(sources) else [],
    )  # fmt: skip
    return fig, info


def _atlas_points(layers: list[Layer], projection: Projection) -> list[tuple[float, float]]:
    """The atlas's own points in sheet metres: a context town on one of them is not drawn twice."""
    points = [
        f.geometry
        for layer in layers
        if layer.spec.geometry_type.value == "Point" and len(layer.features) <= draw.SMALL_LAYER
        for f in layer.features
    ]
    if not points:
        return []
    lonlat = shapely.get_coordinates(np.asarray(points, dtype=object))
    x, y = projection.xy(lonlat[:, 0], lonlat[:, 1])
    return list(zip(x.tolist(), y.tolist()))


def _draw_layer(
    ax: Axes,
    layer: Layer,
    projection: Projection,
    limits: tuple[tuple[float, float], tuple[float, float]],
    frame_w: float,
    drawn: draw.Drawn,
) -> bool:
    """Draw the part of one layer inside the frame; record legend, sources and labels. Returns
    whether its points (if any) are drawn with the web symbols (False: plain dots)."""
    from geo import style as vocab

    (x0, x1), (y0, y1) = limits
    arrays = _layer_arrays(layer)
    count = len(layer.features)
    rasterise, small = count > draw.LARGE_LAYER, count <= draw.SMALL_LAYER
    is_point = layer.spec.geometry_type.value == "Point"
    closed = "Polygon" in layer.spec.geometry_type.value
    if is_point:  # plain coordinate arrays: no projected shapely object per point (10^6 of them)
        lonlat = shapely.get_coordinates(arrays["geometry"])
        x, y = projection.xy(lonlat[:, 0], lonlat[:, 1])
        visible = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
    else:  # vertex arrays, projected once; no projected geometry per feature
        shapes = draw.project_shapes(projection, arrays["geometry"], closed)
        visible = shapes.visible(limits)
        if small:  # a few features: exact intersection, and projected geometries for the label anchors
            projected = draw.project_array(projection, list(arrays["geometry"]))
            visible &= shapely.intersects(projected, shapely.box(x0, y0, x1, y1))
    if not visible.any():
        return True
    if is_point and not visible.all():  # draw, count and credit only what the frame shows
        arrays = {key: values[visible] for key, values in arrays.items()}
        x, y = x[visible], y[visible]
    features = list(compress(layer.features, visible.tolist()))
    if rasterise:
        drawn.rasterised.append(layer.spec.title)
    drawn.features += len(features)
    drawn.sources.update(chain.from_iterable(map(attrgetter("properties.sources"), features)))
    for feature in features:
        props = feature.properties
        if props.status_as_of is not None and is_stale(props.status, props.status_as_of, drawn.reference):
            assert props.status is not None
            name = props.name_ru if drawn.lang == "ru" and props.name_ru else props.name
            drawn.stale.append((name, props.status.value, props.status_as_of))
    if is_point:
        draw.draw_points(ax, arrays["kind"], x, y, small, rasterise, drawn)
        if small:
            lonlat = arrays["geometry"]
            draw.draw_circles(ax, projection, shapely.get_x(lonlat), shapely.get_y(lonlat), arrays["accuracy_m"], drawn)
            _point_labels(features, x, y, drawn)
        return small
    dashes = np.array(
        [vocab.line_dash(k, s, sc) for k, s, sc in zip(arrays["kind"], arrays["status"], arrays["schematic"])],
        dtype=object,
    )
    draw.draw_shapes(ax, arrays["kind"], dashes, shapes, visible, closed, rasterise, drawn)
    if small:
        metres_per_in = (x1 - x0) / frame_w
        _shape_labels(features, projected[visible], closed, drawn, draw.MIN_AREA_LABEL_IN * metres_per_in)
    return True


def _point_labels(features: list[Feature], x: np.ndarray, y: np.ndarray, drawn: draw.Drawn) -> None:
    from geo import style as vocab

    for index, feature in enumerate(features[: draw.LABEL_LIMIT]):
        props = feature.properties
        symbol = vocab.kind_style(props.kind.value).symbol
        drawn.labels.append(LabelRequest(
            draw.label_text(props.name, props.name_ru), float(x[index]), float(y[index]),
            priority=-vocab.label_priority(props.kind.value, bool(props.projects)), radius_pt=draw.MARKERS.get(symbol, draw.MARKERS["dot"])[1] / 2,
            weight="bold" if symbol == "capital" else "normal",
        ))  # fmt: skip


def _shape_labels(
    features: list[Feature], projected: np.ndarray, closed: bool, drawn: draw.Drawn, min_size_m: float
) -> None:
    import shapely

    from geo import style as vocab

    for index, feature in enumerate(features[: draw.LABEL_LIMIT]):
        props = feature.properties
        geometry = projected[index]
        if closed:
            west, south, east, north = geometry.bounds
            if max(east - west, north - south) < min_size_m:
                continue  # too small on this sheet for its name
        anchor = geometry.representative_point() if closed else shapely.line_interpolate_point(
            shapely.line_merge(geometry) if geometry.geom_type == "MultiLineString" else geometry, 0.5, normalized=True
        )  # fmt: skip
        if anchor.is_empty:
            continue
        colour = vocab.kind_style(props.kind.value).colour
        drawn.labels.append(LabelRequest(
            draw.label_text(props.name, props.name_ru), anchor.x, anchor.y, priority=-vocab.label_priority(props.kind.value, bool(props.projects)),
            radius_pt=2.5, fontsize=6.0, colour=colour, style="italic", centred=closed,
        ))  # fmt: skip


def _place_all(
    fig: Figure,
    ax: Axes,
    drawn: draw.Drawn,
    countries: list[tuple[str, str | None, Any]],
    sheet: Sheet,
    context_labels: list[LabelRequest] | None = None,
) -> list[str]:
    """Feature labels first, then country names, then the context's rivers and towns where room is
    left; nothing overlaps."""
    import shapely
    from shapely.geometry import box

    # build_sheet gives every sheet an Agg canvas; matplotlib leaves FigureCanvasAgg.get_renderer unannotated.
    renderer = cast("FigureCanvasAgg", fig.canvas).get_renderer()  # type: ignore[no-untyped-call]
    to_px = ax.transData.transform
    requests = []
    for request in drawn.labels:
        px, py = to_px((request.x, request.y))
        requests.append(
            LabelRequest(
                **{**request.__dict__, "x": float(px), "y": float(py), "text": _first(request.text, drawn.lang)}
            )
        )
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    left, bottom, right, top = ax.get_window_extent(renderer).extents
    frame_px = (left, bottom, right, top)
    symbol_boxes = []
    for request in requests:
        if request.centred:
            continue
        half = request.radius_pt * sheet.dpi / 72
        symbol_boxes.append((request.x - half, request.y - half, request.x + half, request.y + half))
    inside = [r for r in requests if frame_px[0] <= r.x <= frame_px[2] and frame_px[1] <= r.y <= frame_px[3]]
    # The scale bar (lower left) and north arrow (upper right) keep their room, measured at this size.
    reserved = furniture.furniture_boxes(frame_px, sheet.dpi)
    placer = Placer(frame_px, symbol_boxes + reserved, gap_px=LABEL_GAP_PT * sheet.dpi / 72)
    texts = place_labels(ax, inside, placer, renderer, sheet.dpi)
    frame = box(x0, y0, x1, y1)
    country_requests = []
    for name, name_ru, shape in countries:
        visible = shape.intersection(frame) if shape is not None else None
        if visible is None or visible.is_empty or visible.area < frame.area * 0.01:
            continue
        largest = max(shapely.get_parts(visible), key=lambda part: part.area)
        point = largest.representative_point()
        px, py = to_px((point.x, point.y))
        country_requests.append(LabelRequest(
            _country_label(name, name_ru, drawn.lang), float(px), float(py), priority=10, fontsize=8.0,
            colour="#8c8070", centred=True, fixed=True, halo=False,
        ))  # fmt: skip
    texts += place_labels(ax, country_requests, placer, renderer, sheet.dpi)
    backdrop = []
    for request in context_labels or []:
        px, py = to_px((request.x, request.y))
        if frame_px[0] <= px <= frame_px[2] and frame_px[1] <= py <= frame_px[3]:
            backdrop.append(
                LabelRequest(
                    **{**request.__dict__, "x": float(px), "y": float(py), "text": _first(request.text, drawn.lang)}
                )
            )
    texts += place_labels(ax, backdrop, placer, renderer, sheet.dpi)
    return [text.get_text() for text in texts]


def _first(label: str, lang: str) -> str:
    """A two-line label (Latin name over Cyrillic) with the sheet's language's line first: the
    Russian name leads on a Russian sheet, the other stays under it for the reader of the other."""
    lines = label.split("\n")
    if lang == "ru" and len(lines) == 2 and any("\u0400" <= ch <= "\u04ff" for ch in lines[1]):
        return f"{lines[1]}\n{lines[0]}"
    return label


def _country_label(name: str, name_ru: str | None, lang: str) -> str:
    """The country's name in the sheet's language in capitals, the other language's under it."""
    if lang == "ru" and name_ru:
        return draw.label_text(name_ru.upper(), name)
    return draw.label_text(name.upper(), name_ru)


def _country_names(catalog: Catalog, drawn: list[tuple[str, str | None, Any]]) -> list[tuple[str, str | None, Any]]:
    """Country labels with the Russian short name the atlas cites (data/i18n/ru.yaml: Кыргызстан,
    not Natural Earth's colloquial Киргизия), else the base layer's."""
    from geo.texts import localized

    by_name = {country.name: iso for iso, country in catalog.countries.items() if country.name}
    named = []
    for name, name_ru, shape in drawn:
        iso = by_name.get(name)
        russian = localized(catalog, "ru", "countries", iso, "name", name) if iso else None
        named.append((name, russian if russian and russian != name else name_ru, shape))
    return named


def printable(text: str) -> str | None:
    """The text if the sheet's font has a glyph for every character, else None (no tofu boxes)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    global _COVERED
    if _COVERED is None:
        _COVERED = frozenset(FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap())
    return text if all(ord(ch) in _COVERED or ch.isspace() for ch in text) else None


_COVERED: frozenset[int] | None = None


LABEL_GAP_PT = 2.0  # the least room between two labels' boxes (their halos): apart, never touching


def _unprintable_title(url: str | None, file: str | None, lang: str = "en") -> str:
    """Where a source's own title is in a script the sheet's font cannot draw (it is never
    transliterated or translated): the site or file it is found at, so the reader can still find it."""
    import contextlib
    from urllib.parse import urlsplit

    if url:
        host = urlsplit(url).hostname or ""
        with contextlib.suppress(UnicodeError):  # an internationalised host: its ASCII form
            host = host.encode("idna").decode("ascii")
        if host and printable(host):
            return translate(lang, N_("A page of {host} (its title's script is not in the sheet's font)")).format(
                host=host
            )
    where = printable(file or "") or translate(lang, N_("its file"))
    return translate(lang, N_("A source at {where} (its title's script is not in the sheet's font)")).format(
        where=where
    )


PROJECTION_CREDIT = N_("Projection: {projection}.")
MORE_FEATURES = N_("and {n} more features")
RASTERISED_CREDIT = N_("Drawn as an image inside vector files (over {n} features): {layers}.")
DATA_AS_OF_CREDIT = N_("Data as of {date}. Made with geo-atlas from data/ (geo render).")
STALE_NAMED = 12  # features named in the stale-status credit; the count of the others follows


def _credit_parts(
    catalog: Catalog, drawn: draw.Drawn, projection: Projection, backdrop: ContextDrawn | None = None
) -> tuple[list[str], list[str], list[str]]:
    """The credits: what comes before the sources (projection, base, stale statuses, licences),
    each source described, and what comes after (large layers drawn as images, the data date)."""
    from geo.credits import attributions, base_attribution
    from geo.data_version import data_date
    from geo.formatting import format_number, format_partial_date
    from geo.messages import translate as tr

    lang = drawn.lang
    sources = [catalog.sources[i] for i in sorted(drawn.sources) if i in catalog.sources]
    base = base_attribution(catalog, lang)
    before = [tr(lang, PROJECTION_CREDIT).format(projection=projection.describe(lang)) + (f" {base}." if base else "")]
    if drawn.stale:  # first after the projection: a reader must see it even when the credits run long
        from geo.style import STALE_STATUSES_CREDIT, STATUS_AS_OF, STATUS_LABELS

        stale = [
            f"{printable(name) or name.encode('ascii', 'replace').decode()}: {tr(lang, STATUS_LABELS[status]).lower()}, "
            f"{tr(lang, STATUS_AS_OF).format(date=format_partial_date(as_of, lang) if as_of else as_of)}"
            for name, status, as_of in drawn.stale[:STALE_NAMED]
        ]
        if len(drawn.stale) > STALE_NAMED:  # a large layer: the first ones, and how many more (geo list names each)
            stale.append(tr(lang, MORE_FEATURES).format(n=format_number(len(drawn.stale) - STALE_NAMED, lang)))
        reference = format_partial_date(drawn.reference, lang) if drawn.reference else drawn.reference
        line = tr(lang, STALE_STATUSES_CREDIT).format(date=reference, statuses="; ".join(stale))
        before.append(line[:-1] if line.endswith("г..") else line)  # a Russian date's own «г.» ends it
    context_ids = backdrop.sources if backdrop is not None and backdrop.legend else set()
    before += attributions(
        catalog, set(drawn.sources) | context_ids, lang
    )  # the licences' duties, from the source records
    named = [f"{printable(s.title) or _unprintable_title(s.url, s.file, lang)}" + (f" ({s.publisher}, {s.published})" if s.publisher and s.published else
             f" ({s.publisher or s.published})" if s.publisher or s.published else "") for s in sources]  # fmt: skip
    after = []
    if drawn.rasterised:
        after.append(
            tr(lang, RASTERISED_CREDIT).format(
                n=format_number(draw.LARGE_LAYER, lang), layers=", ".join(drawn.rasterised)
            )
        )
    as_of = data_date(catalog)
    after.append(
        tr(lang, DATA_AS_OF_CREDIT).format(date=format_partial_date(as_of, lang) if as_of else tr(lang, N_("unknown")))
    )
    return before, named, after
