"""The changelog page and its Atom feed (RFC 4287): one entry per release, linking what changed.

A release's changes come from `geo diff` between the release it names as `since` and this one
(computed by the caller, which reads old releases from git); the first release lists all it
brings. Removed features have no page any more and are named without a link.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geo.diff import Change, Diff, describe_field, kind_plural
from geo.site.feature_page import feature_href
from geo.site.page import esc

if TYPE_CHECKING:
    from geo.models import Release
    from geo.site.citation import Edition

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class ReleaseChanges:
    release: Release
    diff: Diff | None  # None: the changes could not be read (no git, or a revision gone)
    compared_to: str | None  # the revision compared with, as written in atlas.yaml


def anchor(version: str) -> str:
    return "v" + version.replace(".", "-")


def _change_html(change: Change, root: str) -> str:
    name = esc(change.name or change.id)
    if change.kind == "feature" and change.change != "removed":
        name = f'<a href="{root}{feature_href(change.id)}">{name}</a>'
    details = ""
    if change.change == "changed":
        details = "<ul>" + "".join(f"<li>{esc(describe_field(f, change))}</li>" for f in change.fields) + "</ul>"
    return f'<li><span class="change-{esc(change.change)}">{esc(change.change)}</span> {esc(change.kind)} {name} <code>{esc(change.id)}</code>{details}</li>'


def changes_html(entry: ReleaseChanges, root: str) -> str:
    """What one release changed, grouped by kind of record."""
    if entry.diff is None:
        return f"<p>The records this release changed could not be listed (revision {esc(entry.compared_to or '?')} is not readable here).</p>"
    if not entry.diff:
        return "<p>No record changed.</p>"
    counts = entry.diff.counts()
    since = f" since {esc(entry.compared_to)}" if entry.compared_to else ""
    parts = [f"<p>{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed{since}.</p>"]
    by_kind: dict[str, list[Change]] = {}
    for change in entry.diff.changes:
        by_kind.setdefault(change.kind, []).append(change)
    for kind, changes in by_kind.items():
        parts.append(
            f"<h3>{esc(kind_plural(kind).capitalize())}</h3><ul>{''.join(_change_html(c, root) for c in changes)}</ul>"
        )
    return "".join(parts)


def changelog_body(edition: Edition, releases: list[ReleaseChanges]) -> str:
    sections = []
    for entry in releases:
        release = entry.release
        sections.append(
            f'<section aria-labelledby="{anchor(release.version)}"><h2 id="{anchor(release.version)}">Version {esc(release.version)} '
            f'<span class="meta">(<time datetime="{esc(release.date)}">{esc(release.date)}</time>)</span></h2>'
            f"<p>{esc(release.notes)}</p>{changes_html(entry, '')}</section>"
        )
    if not sections:
        sections.append("<p>No release is recorded yet (data/atlas.yaml has no releases).</p>")
    return (
        f"<h1>Changes to {esc(edition.title)}</h1>"
        "<p>Every release with its notes and the records it added, removed and changed. "
        'Follow it in a feed reader: <a href="feed.atom">Atom feed</a>.</p>' + "".join(sections)
    )


def atom_feed(edition: Edition, releases: list[ReleaseChanges]) -> bytes:
    """The feed as bytes; ids are name-based UUIDs, so the same releases give the same feed."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    if edition.url:
        feed.set("{http://www.w3.org/XML/1998/namespace}base", edition.url)
    sub(feed, "id", edition.urn("feed"))
    sub(feed, "title", f"Changes to {edition.title}")
    newest = releases[0].release.date if releases else (edition.released or "1970-01-01")
    sub(feed, "updated", f"{newest}T00:00:00Z")
    author = sub(feed, "author")
    sub(author, "name", f"{edition.title} maintainers")
    sub(feed, "link", rel="self", type="application/atom+xml", href="feed.atom")
    sub(feed, "link", rel="alternate", type="text/html", href="changelog.html")
    sub(feed, "generator", "geo-atlas")
    for entry in releases:
        release = entry.release
        item = sub(feed, "entry")
        sub(item, "id", edition.urn("release", release.version))
        sub(item, "title", f"Version {release.version}")
        sub(item, "updated", f"{release.date}T00:00:00Z")
        sub(item, "link", rel="alternate", type="text/html", href=f"changelog.html#{anchor(release.version)}")
        for change in entry.diff.features() if entry.diff else []:
            if change.change != "removed":
                sub(
                    item,
                    "link",
                    rel="related",
                    type="text/html",
                    href=feature_href(change.id),
                    title=change.name or change.id,
                )
        sub(item, "summary", release.notes)
        sub(item, "content", f"<p>{esc(release.notes)}</p>{changes_html(entry, '')}", type="html")
    ET.indent(feed)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
