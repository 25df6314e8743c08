"""Where the database is: --db, $DATABASE_URL or libpq's PG* variables; connect with readable errors.

A URL may carry a password; every message shows it masked (`mask`), never as given.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from geo.publish.errors import PublishError

if TYPE_CHECKING:
    from psycopg import Connection

DEFAULT_SCHEMA = "atlas"
URL_SCHEMES = ("postgresql://", "postgres://")
# libpq variables that say where to connect when no URL is given.
_LIBPQ_VARIABLES = ("PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE")
_PASSWORD_IN_URL = re.compile(r"(://[^:/@?#]*):[^@/?#]*@")
_PASSWORD_IN_QUERY = re.compile(r"(?i)(password=)[^&\s]*")
_PASSWORD_IN_DSN = re.compile(r"(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)")


def is_database_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(URL_SCHEMES)


def mask(text: str) -> str:
    """The text with any password in a URL or key=value connection string replaced by ***."""
    text = _PASSWORD_IN_URL.sub(r"\1:***@", text)
    text = _PASSWORD_IN_QUERY.sub(r"\1***", text)
    return _PASSWORD_IN_DSN.sub(r"\1***", text)


@dataclass(frozen=True)
class Target:
    """A connection string for libpq and the schema the atlas lives in."""

    conninfo: str
    schema: str

    @property
    def shown(self) -> str:
        return mask(self.conninfo) or "(libpq defaults: PG* variables)"


def resolve_db(db: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The connection string from --db, else $DATABASE_URL, else '' when PG* variables are set; None if nothing."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    if db:
        return db
    if env.get("DATABASE_URL"):
        return env["DATABASE_URL"]
    if any(env.get(name) for name in _LIBPQ_VARIABLES):
        return ""  # libpq reads PG* itself
    return None


def split_data_url(url: str) -> Target:
    """`postgresql://user@host/db/schema` as (URL of the database, schema); the schema defaults to atlas."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) > 2:
        raise PublishError(f"{mask(url)}: expected postgresql://HOST/DATABASE/SCHEMA, got {len(segments)} path parts")
    schema = segments[1] if len(segments) == 2 else DEFAULT_SCHEMA
    path = f"/{segments[0]}" if segments else ""
    return Target(urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment)), schema)


def connect(target: Target) -> Connection[Any]:
    """An open psycopg connection (autocommit off), or PublishError naming the cause."""
    import psycopg

    try:
        return psycopg.connect(target.conninfo, connect_timeout=10, application_name="geo-atlas")
    except psycopg.OperationalError as exc:
        reason = " ".join(mask(str(exc)).split())
        raise PublishError(f"cannot connect to {target.shown}: {reason}") from None
    except psycopg.ProgrammingError as exc:  # a malformed connection string
        raise PublishError(f"invalid connection string {target.shown}: {mask(str(exc))}") from None
