"""maps/index.html: the list of maps with their titles and descriptions (no script needed)."""

from __future__ import annotations

from pathlib import Path

from geo.models import MapSpec
from geo.webmap.embed import escape_html

# Static renders (`geo render`) that the index links when they sit beside the maps.
IMAGE_FORMATS = (("png", "PNG"), ("svg", "SVG"), ("pdf", "PDF"))

_STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;max-width:52rem;"
    "margin:2rem auto;padding:0 1rem;color:#1d1d1d;line-height:1.5}"
    "h1{font-size:1.6rem}li{margin:0 0 1.2rem}a{font-weight:600;font-size:1.1rem}"
    ".meta{color:#5f5f5f;font-size:.9rem}.other{border-left:3px solid #d6d6d6;padding-left:.6rem}"
)


def rendered_images(out_dir: Path, specs: list[MapSpec]) -> dict[str, list[str]]:
    """The static renders present in out_dir, by map id, in a fixed format order: English first
    ("png"), then each other language's ("ru.png", `geo render --lang ru`)."""
    from geo.messages import languages

    suffixes = [fmt for fmt, _ in IMAGE_FORMATS] + [
        f"{lang}.{fmt}" for lang in languages()[1:] for fmt, _ in IMAGE_FORMATS
    ]
    return {spec.id: [s for s in suffixes if (out_dir / f"{spec.id}.{s}").is_file()] for spec in specs}


def _downloads(map_id: str, formats: list[str]) -> str:
    if not formats:
        return ""
    names = dict(IMAGE_FORMATS)

    def name(suffix: str) -> str:
        lang, _, fmt = suffix.rpartition(".")
        return f"{names[fmt]} ({lang})" if lang else names[fmt]

    links = " · ".join(
        f'<a class="download" href="{escape_html(map_id)}.{escape_html(fmt)}" download>{name(fmt)}</a>'
        for fmt in formats
    )
    return f'<p class="meta">Static map: {links}</p>'


def _in_language(spec: MapSpec, lang: str, name: str, texts: dict[str, dict[str, str]]) -> str:
    """A link to the map opened in another language (its hash says so), with its title and description there."""
    own = texts.get(spec.id, {})
    title, description = own.get("title", spec.title), own.get("description", spec.description)
    return (
        f'<p class="other" lang="{escape_html(lang)}">{escape_html(name)}: '
        f'<a href="{escape_html(spec.id)}.html#lang={escape_html(lang)}" hreflang="{escape_html(lang)}">{escape_html(title)}</a>'
        f"<br/>{escape_html(description)}</p>"
    )


def index_html(
    specs: list[MapSpec],
    layer_titles: dict[str, str],
    atlas_title: str,
    images: dict[str, list[str]] | None = None,
    other_languages: dict[str, tuple[str, dict[str, dict[str, str]]]] | None = None,
) -> str:
    """The list of maps, each linked in English and in every other language
    (other_languages: code -> (the language's own name, map id -> {title, description}))."""
    items = []
    images = images or {}
    for spec in specs:
        layers = ", ".join(layer_titles.get(layer_id, layer_id) for layer_id in spec.layers)
        others = "".join(
            _in_language(spec, lang, name, texts) for lang, (name, texts) in (other_languages or {}).items()
        )
        items.append(
            f'<li><a href="{escape_html(spec.id)}.html#lang=en" hreflang="en">{escape_html(spec.title)}</a>'
            f"<p>{escape_html(spec.description)}</p>"
            f'<p class="meta">Layers: {escape_html(layers)}</p>{_downloads(spec.id, images.get(spec.id, []))}{others}</li>'
        )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8"/>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
        f"<title>{escape_html(atlas_title)} — maps</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape_html(atlas_title)}</h1>\n"
        "<p>Interactive maps of the atlas. Each works offline; only the basemap tiles come from the internet. "
        "Every feature's popup shows its projects, figures, dated events and sources.</p>\n"
        f"<ul>\n{''.join(items)}\n</ul>\n</body>\n</html>\n"
    )
