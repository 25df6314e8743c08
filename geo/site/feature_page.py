"""A page per feature: everything the map's popup says, as plain HTML that needs no script.

Names, kind, status, countries, where it is (with accuracy and how the geometry was derived,
and where each independent source puts it), a small static map, its projects, figures and
dated events, each fact marked with the numbers of its sources, the numbered sources, and a
link that opens the feature on every interactive map that shows it (`#open=<id>`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

import pyproj
from shapely.geometry import Point
from shapely.ops import nearest_points

from geo.site.minimap import minimap_svg
from geo.site.page import esc
from geo.site.words import figure_value, kind_label, lon_lat, metres, number, period, status_label
from geo.style import kind_style

if TYPE_CHECKING:
    from geo.catalog import Catalog
    from geo.layer_file import Feature
    from geo.models import MapSpec, Source

_GEOD = pyproj.Geod(ellps="WGS84")


def feature_href(feature_id: str) -> str:
    """A feature page's path from the site's top."""
    return f"features/{quote(feature_id)}.html"


def map_link(map_id: str, feature_id: str) -> str:
    """Opens the feature on an interactive map (the page reads #open=<id>)."""
    return f"{quote(map_id)}.html#open={quote(feature_id)}"


def source_link(source: Source) -> str:
    """The source's title, linked when it has a web address (only http and https become links)."""
    title = esc(source.title) + (" (title ours: the source has no headline)" if source.title_is_descriptive else "")
    if source.url and urlsplit(source.url).scheme in ("http", "https"):
        return f'<a href="{esc(source.url)}" rel="nofollow noopener">{title}</a>'
    return title


def source_line(source: Source) -> str:
    parts = [source_link(source)]
    if source.publisher:
        parts.append(esc(source.publisher))
    if source.published:
        parts.append(esc(source.published))
    if source.url and urlsplit(source.url).scheme not in ("http", "https"):
        parts.append(f"<code>{esc(source.url)}</code>")
    if source.file:
        parts.append(f"source text <code>{esc(source.file)}</code>")
    line = ", ".join(parts) + f' <span class="meta">[{esc(source.kind.value)} <code>{esc(source.id)}</code>]</span>'
    if source.note:
        line += f'<br/><span class="meta">{esc(source.note)}</span>'
    return line


@dataclass
class Refs:
    """The feature's numbered sources; `of(ids)` marks a fact with its sources' numbers."""

    sources: list[Source]

    def number(self, source_id: str) -> int | None:
        for index, source in enumerate(self.sources, 1):
            if source.id == source_id:
                return index
        return None

    def of(self, ids: list[str]) -> str:
        numbers = sorted({n for n in (self.number(i) for i in ids) if n is not None})
        if not numbers:
            return ""
        links = ", ".join(f'<a href="#source-{n}" aria-label="source {n}">{n}</a>' for n in numbers)
        return f' <sup class="ref">[{links}]</sup>'


def _where(feature: Feature) -> list[tuple[str, str]]:
    geometry = feature.geometry
    props = feature.properties
    rows: list[tuple[str, str]] = []
    if geometry.geom_type == "Point":
        rows.append(
            (
                "Position",
                f'{esc(lon_lat(geometry.x, geometry.y))} <span class="meta">(lon {geometry.x:g}, lat {geometry.y:g}, WGS 84)</span>',
            )
        )
    else:
        west, south, east, north = geometry.bounds
        centre = geometry.representative_point()
        rows.append(("Centre", esc(lon_lat(centre.x, centre.y))))
        rows.append(("Extent", esc(f"lon {west:g} to {east:g}, lat {south:g} to {north:g} (WGS 84)")))
        if "Polygon" in geometry.geom_type:
            area, _ = _GEOD.geometry_area_perimeter(geometry)
            rows.append(("Area as drawn", f"{number(round(abs(area) / 1e6, 1))} km² (geodesic)"))
        else:
            rows.append(
                ("Length as drawn", f"{number(round(_GEOD.geometry_length(geometry) / 1000, 1))} km (geodesic)")
            )
    schematic = " The geometry is schematic: a diagram, not the real alignment or outline." if props.schematic else ""
    rows.append(("Accuracy", f"within {esc(metres(props.accuracy_m))} of the real place.{schematic}"))
    rows.append(("How it was derived", esc(props.geometry_source)))
    return rows


def _positions(feature: Feature, catalog: Catalog, refs: Refs) -> str:
    positions = feature.properties.positions
    if not positions:
        return ""
    rows = []
    for position in positions:
        near, _ = nearest_points(feature.geometry, Point(position.lon, position.lat))
        _, _, off = _GEOD.inv(near.x, near.y, position.lon, position.lat)
        source = catalog.sources.get(position.source)
        rows.append(
            f"<tr><td>{esc(lon_lat(position.lon, position.lat))}</td><td>{esc(metres(off))}</td>"
            f"<td>{esc(position.ref)}{refs.of([position.source])}</td>"
            f"<td>{esc(source.title) if source else esc(position.source)}</td></tr>"
        )
    return (
        "<h3>Where the sources put it</h3>"
        '<table><caption class="meta">Each independent source\'s coordinate and its distance from the geometry drawn; '
        "the accuracy above covers them.</caption>"
        '<thead><tr><th scope="col">Coordinate</th><th scope="col">Off the drawn geometry</th>'
        '<th scope="col">Record</th><th scope="col">Source</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _projects(feature: Feature, catalog: Catalog, refs: Refs) -> str:
    if not feature.properties.projects:
        return ""
    items = []
    for project_id in feature.properties.projects:
        project = catalog.projects[project_id]
        russian = f' <span lang="ru">({esc(project.name_ru)})</span>' if project.name_ru else ""
        items.append(
            f"<li><strong>{esc(project.name)}</strong>{russian}{refs.of(project.sources)}<br/>"
            f'<span class="meta">{esc(project.kind.value.replace("_", " "))}; status: {esc(status_label(project.status.value))}; '
            f"countries: {esc(', '.join(_country_names(project.countries, catalog)))}</span><br/>"
            f"{esc(project.summary)}</li>"
        )
    return f'<h2 id="projects">Projects</h2><ul>{"".join(items)}</ul>'


def _figures(feature: Feature, catalog: Catalog, refs: Refs) -> str:
    figures = catalog.figures_of(feature)
    if not figures:
        return ""
    rows = []
    for figure in figures:
        values = f"{esc(figure_value(figure))}{refs.of(figure.sources)}"
        for other in figure.alternatives:
            note = f" ({esc(other.note)})" if other.note else ""
            values += f"<br/>another source: {esc(figure_value(other))}{note}{refs.of(other.sources)}"
        when = period(figure)
        as_of = f"as of {figure.as_of}" if figure.as_of else ""
        dated = "; ".join(part for part in (when, as_of) if part)
        note = f'<br/><span class="meta">{esc(figure.note)}</span>' if figure.note else ""
        rows.append(
            f"<tr><td>{esc(figure.label)}{note}</td><td>{values}</td>"
            f"<td>{esc(figure.kind.value)}</td><td>{esc(dated) or 'not stated'}</td></tr>"
        )
    return (
        '<h2 id="figures">Figures</h2><table><thead><tr><th scope="col">What</th><th scope="col">Value</th>'
        '<th scope="col">Kind</th><th scope="col">Period, as of</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _events(feature: Feature, catalog: Catalog, refs: Refs) -> str:
    events = catalog.events_of(feature)
    if not events:
        return ""
    items = []
    for event in events:
        when = f"<time>{esc(event.date)}</time>" if event.date else "date unknown"
        place = f", {esc(event.place)}" if event.place else ""
        note = f'<br/><span class="meta">{esc(event.note)}</span>' if event.note else ""
        items.append(f"<li>{when}{place}: {esc(event.title)}{refs.of(event.sources)}{note}</li>")
    return f'<h2 id="events">Dated events</h2><ol class="events">{"".join(items)}</ol>'


def _country_names(codes: list[str], catalog: Catalog) -> list[str]:
    return [f"{catalog.countries[c].name} ({c})" if c in catalog.countries else c for c in codes]


def feature_body(feature: Feature, catalog: Catalog, maps: list[MapSpec], layer_title: str) -> str:
    """The page's main content."""
    props = feature.properties
    refs = Refs(catalog.sources_of(feature))
    names = [("English", esc(props.name))]
    if props.name_ru:
        names.append(("Russian", f'<span lang="ru">{esc(props.name_ru)}</span>'))
    if props.name_local and props.local_lang:
        names.append(
            (f"Local ({esc(props.local_lang)})", f'<span lang="{esc(props.local_lang)}">{esc(props.name_local)}</span>')
        )
    facts = [
        *names,
        ("Kind", esc(kind_label(props.kind.value))),
        ("Status", esc(status_label(props.status.value if props.status else None))),
        ("Countries", esc(", ".join(_country_names(props.country, catalog)))),
        ("Layer", esc(layer_title)),
        ("Identifier", f"<code>{esc(props.id)}</code>"),
    ]
    open_links = "".join(f'<li><a href="../{map_link(spec.id, props.id)}">{esc(spec.title)}</a></li>' for spec in maps)
    opens = (
        f'<h2 id="on-the-maps">On the interactive maps</h2><ul class="open-on-map">{open_links}</ul>' if maps else ""
    )
    minimap = minimap_svg(
        feature.geometry, props.accuracy_m, kind_style(props.kind.value).colour, catalog.countries,
        f"Small map: {props.name} and the countries around it", f"minimap-{props.id}",
    )  # fmt: skip
    own = refs.of(props.sources)
    note = f"<p><strong>Note:</strong> {esc(props.note)}</p>" if props.note else ""
    sources = "".join(f'<li id="source-{n}">{source_line(s)}</li>' for n, s in enumerate(refs.sources, 1))
    return (
        f'<h1>{esc(props.name)}</h1>\n<p class="meta">{esc(kind_label(props.kind.value))} in '
        f"{esc(', '.join(_country_names(props.country, catalog)))}{own}</p>\n"
        f"{note}"
        f'<dl class="facts">{"".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)}</dl>\n'
        f"{opens}\n"
        '<h2 id="where">Where it is</h2>\n'
        f'<figure class="minimap">{minimap}<figcaption>Country outlines: Natural Earth (public domain). '
        f"{'Dashed circle: the stated accuracy. ' if feature.geometry.geom_type == 'Point' else ''}"
        "Plate carrée, not to scale across the frame.</figcaption></figure>\n"
        f'<dl class="facts">{"".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in _where(feature))}</dl>\n'
        f"{_positions(feature, catalog, refs)}\n{_projects(feature, catalog, refs)}\n"
        f"{_figures(feature, catalog, refs)}\n{_events(feature, catalog, refs)}\n"
        f'<h2 id="sources">Sources</h2><ol class="sources">{sources}</ol>'
    )
