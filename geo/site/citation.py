"""How to cite the atlas: plain text, BibTeX and CSL-JSON, each with version, date and data hash."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    """What identifies the data a page shows: version, its release day, data date and data hash."""

    title: str
    version: str | None
    released: str | None  # YYYY-MM-DD
    data_date: str | None
    data_hash: str
    url: str | None  # the site's base URL, when known

    @property
    def key(self) -> str:
        return "atlas-" + re.sub(r"[^A-Za-z0-9]+", "-", self.version or "unversioned").strip("-")

    def urn(self, *parts: str) -> str:
        """A stable id for feed entries: a name-based UUID (RFC 4122 v5) of the title and `parts`."""
        return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "geo-atlas:" + "\x00".join([self.title, *parts])))


def plain(edition: Edition) -> str:
    version = f", version {edition.version}" if edition.version else ""
    released = f" (released {edition.released})" if edition.released else ""
    as_of = f"Data as of {edition.data_date}" if edition.data_date else "Data date unknown"
    where = f" {edition.url}" if edition.url else ""
    return f"{edition.title}{version}{released} [data set]. {as_of}; data hash {edition.data_hash}.{where}"


_BIBTEX_SPECIAL = re.compile(r"([{}\\%&$#_^~])")


def _bibtex_text(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(
        lambda m: (
            "\\" + m.group(1)
            if m.group(1) not in "\\^~"
            else {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}[m.group(1)]
        ),
        text,
    )


def bibtex(edition: Edition) -> str:
    fields = [("title", "{" + _bibtex_text(edition.title) + "}")]
    if edition.version:
        fields.append(("version", _bibtex_text(edition.version)))
    if edition.released:
        fields += [("year", edition.released[:4]), ("month", str(int(edition.released[5:7])))]
    as_of = f"Data as of {edition.data_date}; " if edition.data_date else ""
    fields.append(("note", _bibtex_text(f"{as_of}data hash {edition.data_hash}")))
    if edition.url:
        fields.append(("url", edition.url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{edition.key},\n{body}\n}}\n"


def csl_json(edition: Edition) -> str:
    item: dict[str, object] = {"id": edition.key, "type": "dataset", "title": edition.title}
    if edition.version:
        item["version"] = edition.version
    if edition.released:
        item["issued"] = {"date-parts": [[int(part) for part in edition.released.split("-")]]}
    as_of = f"Data as of {edition.data_date}; " if edition.data_date else ""
    item["note"] = f"{as_of}data hash {edition.data_hash}"
    if edition.url:
        item["URL"] = edition.url
    return json.dumps([item], ensure_ascii=False, indent=2, sort_keys=True) + "\n"
