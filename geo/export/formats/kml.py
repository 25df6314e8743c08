"""KML and KMZ for Google Earth: one document, a sub-Document (a folder) per layer, a Style per kind.

Each Placemark is named, styled by its kind (icon colour and shape for points, line colour and
width for lines, outline and fill for areas), carries the flat columns as typed ExtendedData
and a description with the popup's metadata. Layers are sub-Documents rather than Folders
because KML allows a Schema only in a Document, and GDAL reads a layer's ExtendedData fields
(in KMZ too) only from a Schema in its own container. GDAL's LIBKML driver shows the
Placemark's own <name> and id as fields "Name" and "id", so it renames the data columns
"id"/"name" to "id2"/"name2"; other readers see the columns as written.

Safety: the document is produced by xml.sax's XMLGenerator, which escapes every text and
attribute, never by pasting strings. Google Earth renders a description as HTML, so the
description is an HTML fragment built with ElementTree (which escapes the data inside it) and
then written as XML text (escaped again): a name such as "<script>" shows as those characters,
it never runs. Characters XML 1.0 cannot hold are replaced by U+FFFD.
"""

from __future__ import annotations

import itertools
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

import numpy as np
import shapely

from geo.export.flatten import FIELDS
from geo.export.formats.base import Format, Job
from geo.export.geometry import COORDINATE_DECIMALS
from geo.export.ziputil import zip_info
from geo.fields import label
from geo.messages import N_
from geo.models import FeatureKind
from geo.style import KML_ICONS, STATUS_AS_OF
from geo.style import kind_style as style_of

if TYPE_CHECKING:
    from geo.catalog import Catalog
    from geo.export.context import ExportContext

KML_FILE = "atlas.kml"
KMZ_FILE = "atlas.kmz"
KMZ_MEMBER = "doc.kml"  # the name Google Earth looks for first inside a KMZ
KML_NS = "http://www.opengis.net/kml/2.2"
ICONS = KML_ICONS


IN_RUSSIAN = N_("In Russian")


def kind_style(kind: str) -> tuple[str, str | None, float, str]:
    """(icon or line colour, area fill or None, line width, icon) for a kind, from geo/style.py."""
    style = style_of(kind)
    return style.colour, style.fill, float(style.weight or 2), style.kml_icon


SCHEMA_TYPES = {"str": "string", "bool": "bool", "float": "double"}
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def kml_colour(hex_colour: str, alpha: float = 1.0) -> str:
    """'#rrggbb' -> KML's aabbggrr."""
    red, green, blue = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"{round(alpha * 255):02x}{blue}{green}{red}".lower()


def style_id(kind: str) -> str:
    return f"kind-{kind}"


def schema_id(layer_id: str) -> str:
    return f"schema-{layer_id}"


def xml_text(value: Any) -> str:
    """Text XML 1.0 can hold: control characters other than tab/newline become U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value))


# -- coordinates, formatted for all features at once ------------------------------------------


def _numbers(values: np.ndarray) -> np.ndarray:
    """Fixed-point text with at most COORDINATE_DECIMALS decimals and no trailing zeros."""
    text = np.char.mod(f"%.{COORDINATE_DECIMALS}f", values + 0.0)  # + 0.0 turns -0.0 into 0.0
    return np.char.rstrip(np.char.rstrip(text, "0"), ".")


def _sequences(geometries: np.ndarray) -> list[str]:
    """KML coordinate text ('lon,lat lon,lat ...') of each point, line or ring."""
    coords, index = shapely.get_coordinates(geometries, return_index=True)
    pairs = np.char.add(np.char.add(_numbers(coords[:, 0]), ","), _numbers(coords[:, 1])).tolist()
    bounds = np.searchsorted(index, np.arange(len(geometries) + 1)).tolist()
    return [" ".join(pairs[start:stop]) for start, stop in itertools.pairwise(bounds)]


def _grouped(items: Sequence[Any], index: np.ndarray, count: int) -> list[list[Any]]:
    bounds = np.searchsorted(index, np.arange(count + 1)).tolist()
    return [list(items[start:stop]) for start, stop in itertools.pairwise(bounds)]


def coordinate_tree(geometries: np.ndarray, geometry_type: str) -> list[Any]:
    """Per feature: a coordinate text (Point, LineString), a list of them (MultiLineString:
    lines; Polygon: rings, outer first) or a list of ring lists (MultiPolygon)."""
    count = len(geometries)
    if geometry_type in ("Point", "LineString"):
        return _sequences(geometries)
    if geometry_type == "MultiLineString":
        parts, index = shapely.get_parts(geometries, return_index=True)
        return _grouped(_sequences(parts), index, count)
    if geometry_type == "Polygon":
        rings, index = shapely.get_rings(geometries, return_index=True)
        return _grouped(_sequences(rings), index, count)
    if geometry_type == "MultiPolygon":
        polygons, polygon_index = shapely.get_parts(geometries, return_index=True)
        rings, ring_index = shapely.get_rings(polygons, return_index=True)
        return _grouped(_grouped(_sequences(rings), ring_index, len(polygons)), polygon_index, count)
    raise ValueError(f"KML export does not handle {geometry_type} geometries")


# -- the popup: an HTML fragment built with ElementTree ---------------------------------------


def _figure_text(figure: Any) -> str:
    qualifier = "" if figure.qualifier.value == "exact" else f"{figure.qualifier.value.replace('_', ' ')} "
    value = f"{figure.value:,.0f}" if float(figure.value).is_integer() else f"{figure.value:,}"
    date = figure.as_of or figure.period_end or figure.period_start
    when = f" ({date})" if date else ""
    return f"{figure.label}: {qualifier}{value} {figure.unit.value}{when}"


def description_html(flat: dict[str, Any], joined: dict[str, Any], catalog: Catalog) -> str:
    """The popup's metadata as an HTML table; every value is escaped by ElementTree."""
    root = ET.Element("div")
    title = ET.SubElement(root, "b")
    title.text = xml_text(flat["name"])
    table = ET.SubElement(root, "table")

    def row(label: str, values: Sequence[str] | str | None, links: Sequence[str | None] = ()) -> None:
        if not values:
            return
        tr = ET.SubElement(table, "tr")
        ET.SubElement(tr, "th", {"align": "left", "valign": "top"}).text = label
        td = ET.SubElement(tr, "td")
        previous: ET.Element | None = None
        for position, text in enumerate([values] if isinstance(values, str) else values):
            if position:
                previous = ET.SubElement(td, "br")
            link = links[position] if position < len(links) else None
            # Only web links become anchors: a 'javascript:' URL in the data must stay inert text.
            if link and link.startswith(("https://", "http://")):
                previous = ET.SubElement(td, "a", {"href": link})
                previous.text = xml_text(text)
            elif previous is None:
                td.text = xml_text(text)
            else:
                previous.tail = xml_text(text)

    if flat["name_ru"]:
        row(label("name_ru"), flat["name_ru"])
    if flat["name_local"]:
        row(f"{label('name_local')} ({flat['local_lang']})", flat["name_local"])
    row(label("kind"), flat["kind"].replace("_", " "))
    status = flat["status"].replace("_", " ") if flat["status"] else None
    if status and flat["status_stale"]:
        status += " (" + STATUS_AS_OF.format(date=flat["status_as_of"]) + ")"
    row(label("status"), status)
    row(label("country"), flat["country"])
    row(label("projects"), [catalog.projects[i].name for i in joined["projects"]])
    events = [catalog.events[i] for i in joined["events"]]
    row(label("events"), [f"{e.date or 'undated'}: {e.title}" for e in events])
    row(label("figures"), [_figure_text(catalog.figures[i]) for i in joined["figures"]])
    sources = [catalog.sources[i] for i in joined["all_sources"]]
    row(
        label("all_sources"),
        [s.title + (f" ({s.published})" if s.published else "") for s in sources],
        [s.url for s in sources],
    )
    row(label("note"), flat["note"])
    accuracy = f"±{flat['accuracy_m']:g} m" + (", schematic" if flat["schematic"] else "")
    row(label("geometry_source"), [accuracy, flat["geometry_source"]])
    row(label("id"), f"{flat['layer']}/{flat['id']}")
    _russian_rows(root, flat, joined, catalog)
    return ET.tostring(root, encoding="unicode", method="html")


def _russian_rows(root: ET.Element, flat: dict[str, Any], joined: dict[str, Any], catalog: Catalog) -> None:
    """The description's second half, in Russian: names, kind, status, countries, projects, events,
    figures, note and geometry as the Russian map shows them (the atlas's translations)."""
    from geo.formatting import format_partial_date, format_value
    from geo.messages import translate
    from geo.style import EVENT_LABELS, STATUS_LABELS, kind_style
    from geo.texts import localized

    ru = "ru"
    heading = ET.SubElement(root, "b", {"lang": ru})
    heading.text = translate(ru, IN_RUSSIAN)
    table = ET.SubElement(root, "table", {"lang": ru})

    def row(name: str, values: list[str] | str | None) -> None:
        if not values:
            return
        tr = ET.SubElement(table, "tr")
        ET.SubElement(tr, "th", {"align": "left", "valign": "top"}).text = translate(ru, label(name))
        td = ET.SubElement(tr, "td")
        previous: ET.Element | None = None
        for position, text in enumerate([values] if isinstance(values, str) else values):
            if position:
                previous = ET.SubElement(td, "br")
                previous.tail = xml_text(text)
            else:
                td.text = xml_text(text)

    row("name", flat["name_ru"] or flat["name"])
    row("kind", translate(ru, kind_style(flat["kind"]).label))
    status = translate(ru, STATUS_LABELS.get(flat["status"], flat["status"])) if flat["status"] else None
    if status and flat["status_stale"] and flat["status_as_of"]:  # «статус на 5 мая 2023 г.», as the page says
        status += " (" + translate(ru, STATUS_AS_OF).format(date=format_partial_date(flat["status_as_of"], ru)) + ")"
    row("status", status)
    countries = (flat["country"] or "").split("; ")
    row(
        "country",
        ", ".join(
            localized(catalog, ru, "countries", c, "name", catalog.countries[c].name) if c in catalog.countries else c
            for c in countries
            if c
        ),
    )
    row(
        "projects",
        [localized(catalog, ru, "projects", i, "name", catalog.projects[i].name) for i in joined["projects"]],
    )
    events = [catalog.events[i] for i in joined["events"]]
    row("events", [
        f"{format_partial_date(e.date, ru)} — {translate(ru, EVENT_LABELS.get(e.kind.value, e.kind.value))}: {localized(catalog, ru, 'events', e.id, 'title', e.title)}"
        for e in events
    ])  # fmt: skip
    figures = [catalog.figures[i] for i in joined["figures"]]
    row("figures", [
        f"{localized(catalog, ru, 'figures', g.id, 'label', g.label)}: {format_value(g.value, g.unit.value, g.qualifier.value, ru)}"
        for g in figures
    ])  # fmt: skip
    row("note", flat["note_ru"])
    row("geometry_source", flat["geometry_source_ru"])


# -- the document -----------------------------------------------------------------------------


class _Writer:
    """Thin layer over XMLGenerator, which escapes every text and attribute value it writes."""

    def __init__(self, out: IO[bytes]):
        self.gen = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)

    def open(self, tag: str, attrs: dict[str, str] | None = None, newline: bool = True) -> None:
        self.gen.startElement(tag, AttributesImpl({key: xml_text(value) for key, value in (attrs or {}).items()}))
        if newline:
            self.gen.ignorableWhitespace("\n")

    def end(self, tag: str, newline: bool = True) -> None:
        self.gen.endElement(tag)
        if newline:
            self.gen.ignorableWhitespace("\n")

    def leaf(self, tag: str, text: Any, attrs: dict[str, str] | None = None, newline: bool = True) -> None:
        self.open(tag, attrs, newline=False)
        self.gen.characters(xml_text(text))
        self.end(tag, newline)


def _simple_value(value: Any, kind: str) -> str:
    if kind == "bool":
        return "1" if value else "0"
    if kind == "float":
        return repr(float(value))
    return str(value)


def _write_geometry(w: _Writer, geometry_type: str, tree: Any) -> None:
    """One geometry on one line: <Point>, <LineString>, <Polygon> or a <MultiGeometry> of them."""

    def line(text: str) -> None:
        w.open("LineString", newline=False)
        w.leaf("tessellate", "1", newline=False)
        w.leaf("coordinates", text, newline=False)
        w.end("LineString", newline=False)

    def polygon(rings: list[str]) -> None:
        w.open("Polygon", newline=False)
        w.leaf("tessellate", "1", newline=False)
        for position, ring in enumerate(rings):
            boundary = "outerBoundaryIs" if position == 0 else "innerBoundaryIs"
            w.open(boundary, newline=False)
            w.open("LinearRing", newline=False)
            w.leaf("coordinates", ring, newline=False)
            w.end("LinearRing", newline=False)
            w.end(boundary, newline=False)
        w.end("Polygon", newline=False)

    if geometry_type == "Point":
        w.open("Point", newline=False)
        w.leaf("coordinates", tree, newline=False)
        w.end("Point", newline=False)
    elif geometry_type == "LineString":
        line(tree)
    elif geometry_type == "Polygon":
        polygon(tree)
    else:
        w.open("MultiGeometry", newline=False)
        for part in tree:
            if geometry_type == "MultiLineString":
                line(part)
            else:
                polygon(part)
        w.end("MultiGeometry", newline=False)
    w.gen.ignorableWhitespace("\n")


def _write_schema(w: _Writer, identifier: str) -> None:
    w.open("Schema", {"name": identifier, "id": identifier})
    for field in FIELDS:
        w.open("SimpleField", {"name": field.name, "type": SCHEMA_TYPES[field.type]}, newline=False)
        w.end("SimpleField")
    w.end("Schema")


def _write_styles(w: _Writer) -> None:
    for kind in [k.value for k in FeatureKind]:
        colour, fill, width, icon = kind_style(kind)
        w.open("Style", {"id": style_id(kind)})
        w.open("IconStyle")
        w.leaf("color", kml_colour(colour))
        w.leaf("scale", f"{style_of(kind).kml_icon_scale:g}")
        w.open("Icon")
        w.leaf("href", ICONS + icon)
        w.end("Icon")
        w.end("IconStyle")
        w.open("LineStyle")
        w.leaf("color", kml_colour(colour, style_of(kind).opacity or 1.0))
        w.leaf("width", f"{width:g}")
        w.end("LineStyle")
        w.open("PolyStyle")
        w.leaf("color", kml_colour(fill or colour, 0.5))
        w.leaf("outline", "1")
        w.end("PolyStyle")
        w.end("Style")


def write_kml(ctx: ExportContext, out: IO[bytes]) -> None:
    """Stream the whole KML document to a binary handle."""
    w = _Writer(out)
    w.gen.startDocument()
    w.gen.ignorableWhitespace("\n")
    w.open("kml", {"xmlns": KML_NS})
    w.open("Document")
    prov = ctx.provenance
    w.leaf("name", prov.title)
    w.leaf(
        "description",
        f"Data date {prov.data_date or 'unknown'}; data hash {prov.data_hash}; coordinates WGS84 lon/lat. "
        f"Licence: {prov.base_licence}. Facts from the sources named in each placemark.",
    )
    w.open("ExtendedData")
    for key, value in (("data_hash", prov.data_hash), ("data_date", prov.data_date or ""), ("crs", "EPSG:4326")):
        w.open("Data", {"name": key})
        w.leaf("value", value)
        w.end("Data")
    w.end("ExtendedData")
    _write_styles(w)
    for layer_id in ctx.layer_ids:
        spec = ctx.catalog.layers[layer_id].spec
        flat = ctx.flat[layer_id]
        geometry_type = ctx.geometry_type(layer_id)
        trees = coordinate_tree(flat.geometry.to_numpy(), geometry_type)
        rows = flat.drop(columns=flat.geometry.name).to_dict("records")
        joined = ctx.joined[layer_id][["projects", "events", "figures", "all_sources"]].to_dict("records")
        w.open("Document", {"id": f"layer-{layer_id}"})
        w.leaf("name", spec.title)
        w.leaf("description", spec.description)
        _write_schema(w, schema_id(layer_id))
        for row, links, tree in zip(rows, joined, trees):
            w.open("Placemark")
            w.leaf("name", row["name"])
            w.leaf("description", description_html(row, links, ctx.catalog))
            w.leaf("styleUrl", f"#{style_id(row['kind'])}")
            w.open("ExtendedData")
            w.open("SchemaData", {"schemaUrl": f"#{schema_id(layer_id)}"}, newline=False)
            for field in FIELDS:
                value = row[field.name]
                if value is not None and value == value:
                    w.leaf("SimpleData", _simple_value(value, field.type), {"name": field.name}, newline=False)
            w.end("SchemaData")
            w.end("ExtendedData")
            _write_geometry(w, geometry_type, tree)
            w.end("Placemark")
        w.end("Document")
    w.end("Document")
    w.end("kml")
    w.gen.endDocument()


def _write_kml_file(ctx: ExportContext, path: Path) -> None:
    with path.open("wb") as out:
        write_kml(ctx, out)


def _write_kmz_file(ctx: ExportContext, path: Path) -> None:
    """The same document as doc.kml in a zip with a fixed timestamp.

    When this run has just written atlas.kml, its bytes are copied rather than generated again
    (generating is the slow part for large layers); otherwise the document is streamed straight
    into the archive. Either way the member holds the same bytes.
    """
    written = ctx.written.get(KML_FILE)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(zip_info(KMZ_MEMBER), "w") as member:
            if written is not None:
                with written.open("rb") as source:
                    shutil.copyfileobj(source, member, 1 << 20)
            else:
                write_kml(ctx, member)


KML = Format(
    "kml",
    "KML for Google Earth, all layers in one file (a folder per layer)",
    lambda ctx: [Job("kml", None, (KML_FILE,), lambda temps: _write_kml_file(ctx, temps[0]))],
)
KMZ = Format(
    "kmz",
    "KMZ (zipped KML) for Google Earth",
    lambda ctx: [Job("kmz", None, (KMZ_FILE,), lambda temps: _write_kmz_file(ctx, temps[0]))],
)
