"""folium/branca elements the atlas adds: raw page text that bypasses Jinja, and stable ids."""

from __future__ import annotations

from typing import Any

from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from geo.webmap.assets import Asset
from geo.webmap.embed import escape_html, inline_script, inline_style


class RawHtml(Element):
    """Page text added as-is: rendering it never compiles it as a template.

    branca turns every MacroElement's rendered output into a new Template (a second Jinja pass);
    text added through this element is returned verbatim instead, so data inside it can't be
    evaluated as `{{ }}` or `{% %}`.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawHtml"
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


def asset_html(asset: Asset, *, cdn: bool) -> str:
    if cdn and asset.cdn_url:
        url = escape_html(asset.cdn_url)
        return f'<link rel="stylesheet" href="{url}"/>' if asset.kind == "css" else f'<script src="{url}"></script>'
    return inline_style(asset.text) if asset.kind == "css" else inline_script(asset.text)


class AtlasFigure(Figure):
    """A Figure whose page has a language, a charset and a title, and a landmark for the map."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang }}">\n'
        "<head>\n"
        '<meta charset="utf-8"/>\n'
        "<title>{{ this.title|e }}</title>\n"
        '{% if this.description %}<meta name="description" content="{{ this.description|e }}"/>\n{% endif %}'
        "{{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "{{ this.html.render(**kwargs) }}\n"
        "<script>\n"
        "{{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self, *, title: str, lang: str = "en", description: str | None = None):
        super().__init__(title=title)
        self.lang = lang
        self.description = description


class AtlasLayers(MacroElement):
    """Draws the atlas data on its map: layers, popups, the panel's tools, labels, URL state.

    Shaped like a folium plugin. Its script is fixed code that names only element ids and the
    tile layers it switches between (names are the page's own constants, not data); the data it
    draws is read at run time from the JSON block `data_id` (see geo/webmap/embed.py).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            AtlasMap.start({{ this._parent.get_name() }}, {
                bases: [{% for id, name, layer in this.bases %}[{{ id|tojson }}, {{ name|tojson }}, {{ layer.get_name() }}]{{ "," if not loop.last }}{% endfor %}],
                overlays: [{% for id, name, layer in this.overlays %}[{{ id|tojson }}, {{ name|tojson }}, {{ layer.get_name() }}]{{ "," if not loop.last }}{% endfor %}]
            }, {{ this.data_id|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self, data_id: str, *, bases: list[tuple[str, str, Element]], overlays: list[tuple[str, str, Element]]
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement.__init__ is unannotated
        self._name = "AtlasLayers"
        self.data_id = data_id
        self.bases = bases
        self.overlays = overlays


def assign_stable_ids(root: Element) -> None:
    """Replace branca's random ids (os.urandom) with ids from the element's place in the tree."""
    counter = 0

    def visit(element: Element) -> None:
        nonlocal counter
        counter += 1
        element._id = f"{counter:03d}"
        for child in element._children.values():
            visit(child)

    visit(root)
