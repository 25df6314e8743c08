"""Every text of the data a reader sees, by section, record and field, and its version in a language.

One list, so that the page, the sheets, the exports and `geo validate` agree on what must be
translated: map titles and descriptions, layer titles and descriptions, country names, feature
names, notes and geometry descriptions, project names and summaries, event titles and notes,
figure labels and notes (an alternative value's note as `alternatives.<n>.note`). Source titles
are never translated: a source is cited as it titles itself. Names of features and projects in
Russian live in the records themselves (`name_ru`); every other translation in data/i18n/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from geo.messages import SOURCE_LANGUAGE

if TYPE_CHECKING:
    from geo.catalog import Catalog
    from geo.translations import Translation

Text = tuple[str, str, str, str]  # section, record id, field, English text

# Fields whose translation a record may carry itself, as `<field>_<lang>` (feature and project names).
IN_RECORD = {("features", "name"), ("projects", "name")}


def reader_texts(catalog: Catalog) -> Iterator[Text]:
    """(section, record id, field, English) of every text a reader sees, in data order."""
    if catalog.atlas is not None:
        yield ("atlas", "atlas", "title", catalog.atlas.title)
    for spec in catalog.maps.values():
        yield ("maps", spec.id, "title", spec.title)
        yield ("maps", spec.id, "description", spec.description)
    for layer in catalog.layers.values():
        yield ("layers", layer.id, "title", layer.spec.title)
        if layer.spec.description:
            yield ("layers", layer.id, "description", layer.spec.description)
    for iso, country in sorted(catalog.countries.items()):
        if country.name:
            yield ("countries", iso, "name", country.name)
    for layer in catalog.layers.values():
        for feature in layer.features:
            props = feature.properties
            yield ("features", props.id, "name", props.name)
            for name in ("note", "geometry_source"):
                value = getattr(props, name)
                if value:
                    yield ("features", props.id, name, value)
    for project in catalog.projects.values():
        yield ("projects", project.id, "name", project.name)
        yield ("projects", project.id, "summary", project.summary)
    for event in catalog.events.values():
        yield ("events", event.id, "title", event.title)
        if event.note:
            yield ("events", event.id, "note", event.note)
    for figure in catalog.figures.values():
        yield ("figures", figure.id, "label", figure.label)
        if figure.note:
            yield ("figures", figure.id, "note", figure.note)
        for n, alternative in enumerate(figure.alternatives):
            if alternative.note:
                yield ("figures", figure.id, f"alternatives.{n}.note", alternative.note)
    for source in catalog.sources.values():  # a licence's credit line, never the source's own title
        attribution = getattr(source, "attribution", None)
        if attribution:
            yield ("sources", source.id, "attribution", attribution)


def in_record(
    catalog: Catalog, lang: str, section: str, record_id: str, field: str, record: object = None
) -> str | None:
    """A translation the record carries itself (`name_ru` of a feature or project), if any.

    `record` saves looking the record up (a feature by id is a search through the layers)."""
    if (section, field) not in IN_RECORD:
        return None
    if record is None:
        if section == "features":
            try:
                record = catalog.feature(record_id).properties
            except KeyError:
                return None
        else:
            record = catalog.projects.get(record_id)
    value = getattr(record, f"{field}_{lang}", None)
    return value if isinstance(value, str) and value.strip() else None


def translation(catalog: Catalog, lang: str, section: str, record_id: str, field: str) -> Translation | None:
    texts = catalog.translations.get(lang)
    return texts.entries.get((section, record_id, field)) if texts else None


def translated_keys(catalog: Catalog, lang: str) -> set[tuple[str, str, str]]:
    """(section, record id, field) of every text the translation file for `lang` holds."""
    texts = catalog.translations.get(lang)
    return set(texts.entries) if texts else set()


def localized(
    catalog: Catalog, lang: str, section: str, record_id: str, field: str, english: str, record: object = None
) -> str:
    """The text in `lang`: the record's own name in it, else data/i18n/<lang>.yaml's translation of
    this very English text, else the English (geo validate reports the gap)."""
    if lang == SOURCE_LANGUAGE:
        return english
    own = in_record(catalog, lang, section, record_id, field, record)
    if own:
        return own
    found = translation(catalog, lang, section, record_id, field)
    return found.text if found is not None and found.text and found.english == english else english


def localized_texts(catalog: Catalog, lang: str) -> dict[tuple[str, str, str], str]:
    """Every reader text in `lang`, by (section, record id, field): one pass for an output that needs many."""
    features = {f.id: f.properties for f in catalog.features()}
    out = {}
    for s, r, f, en in reader_texts(catalog):
        record = features.get(r) if s == "features" else None
        out[(s, r, f)] = localized(catalog, lang, s, r, f, en, record)
    return out
