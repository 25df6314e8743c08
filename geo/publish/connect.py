"""Where the database is: --db, $DATABASE_URL or libpq's PG* variables; connect with readable errors.

A URL may carry a password; every message shows it masked (`mask`), never as given.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from geo.errors import UsageError
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
_MASKED_TWICE = re.compile(r"@(?:\*\*\*@)+")  # "u:***@***@host" once the parts of a password with '@' are masked


def is_database_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(URL_SCHEMES)


def _libpq_parse(conninfo: str) -> dict[str, str] | None:
    """The connection parameters as libpq itself reads them (psycopg's conninfo), or None if it cannot."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    try:
        return {key: str(value) for key, value in conninfo_to_dict(conninfo).items() if value is not None}
    except ProgrammingError:
        return None


def _secrets(conninfo: str) -> list[tuple[str, str]]:
    """What of a connection string must never be shown, each with what shows instead: the password
    as libpq reads it, and what an unencoded '@' in a URL's password leaves in the host
    ('p@ss@host' is to libpq the password 'p' and the host 'ss@host')."""
    params = _libpq_parse(conninfo) if conninfo else {}
    if params is None:  # not even libpq can read it: every word of it is suspect
        words = {word for word in re.split(r"[\s'\"=]+", conninfo) if len(word) >= 3}
        return [(word, "***") for word in sorted(words, key=len, reverse=True)]
    found: set[tuple[str, str]] = set()
    password = params.get("password", "")
    # A password shorter than 3 characters would mask every letter it shares with the message;
    # the patterns of mask() still catch it where a connection string is quoted.
    if len(password) >= 3:
        found |= {(password, "***"), (quote(password, safe=""), "***")}
    for host in params.get("host", "").split(","):
        if "@" in host:
            found.add((host.rsplit("@", 1)[0] + "@", "***@"))
    return sorted(found, key=lambda pair: len(pair[0]), reverse=True)


def mask(text: str, conninfo: str = "") -> str:
    """The text with the password of `conninfo` (found by libpq's own parsing) replaced by ***, and,
    as a second net, anything that looks like a password in a URL or key=value string."""
    for secret, shown in _secrets(conninfo):
        text = text.replace(secret, shown)
    text = _PASSWORD_IN_URL.sub(r"\1:***@", text)
    text = _PASSWORD_IN_QUERY.sub(r"\1***", text)
    text = _PASSWORD_IN_DSN.sub(r"\1***", text)
    return _MASKED_TWICE.sub("@", text)


def shown_conninfo(conninfo: str) -> str:
    """A connection string as reports show it: rebuilt from libpq's parse of it, the password as ***."""
    from psycopg.conninfo import make_conninfo

    if not conninfo:
        return ""
    params = _libpq_parse(conninfo)
    if params is None:
        return "(a connection string libpq cannot read; not shown, as it may hold a password)"
    if params.get("host"):
        params["host"] = ",".join(host.rsplit("@", 1)[-1] for host in params["host"].split(","))
    if not conninfo.startswith(URL_SCHEMES):
        return make_conninfo(**{key: "***" if key == "password" else value for key, value in params.items()})
    user, password = quote(params.pop("user", ""), safe=""), params.pop("password", None)
    auth = f"{user}{':***' if password is not None else ''}@" if user or password is not None else ""
    host, port = params.pop("host", ""), params.pop("port", "")
    path = "/" + quote(params.pop("dbname", ""), safe="/") if "dbname" in params else ""
    query = urlencode(params)
    return (
        f"{conninfo.split('://', 1)[0]}://{auth}{host}{':' + port if port else ''}{path}{'?' + query if query else ''}"
    )


@dataclass(frozen=True)
class Target:
    """A connection string for libpq and the schema the atlas lives in."""

    conninfo: str
    schema: str

    @property
    def shown(self) -> str:
        return shown_conninfo(self.conninfo) or "(libpq defaults: PG* variables)"

    def masked(self, text: str) -> str:
        """A message (a server's or libpq's error) with this target's password masked, on one line."""
        return " ".join(mask(text, self.conninfo).split())


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


# A schema the atlas may live in: a plain lower-case identifier (no quoting needed anywhere), and
# not one of PostgreSQL's own (pg_*: pg_catalog, pg_toast, ...; information_schema).
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def schema_problem(schema: str) -> str | None:
    """Why `schema` cannot hold the atlas (a usage error for --schema and --data URLs alike), or None."""
    if not _SCHEMA_NAME.match(schema):
        return f"{schema[:80]!r} is not a plain schema name (lowercase letters, digits, _; at most 63)"
    if schema.startswith("pg_") or schema == "information_schema":
        return f"'{schema}' is one of PostgreSQL's own schemas; choose another"
    return None


def split_data_url(url: str) -> Target:
    """`postgresql://user@host/db/schema` as (URL of the database, schema); the schema defaults to atlas.

    UsageError (exit 2) for a path of more than two parts or a schema that is not a plain name.
    """
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) > 2:
        raise UsageError(
            f"{shown_conninfo(url)}: expected postgresql://HOST/DATABASE/SCHEMA, got {len(segments)} path parts"
        )
    schema = segments[1] if len(segments) == 2 else DEFAULT_SCHEMA
    problem = schema_problem(schema)
    if problem:
        raise UsageError(f"{shown_conninfo(url)}: {problem}")
    path = f"/{segments[0]}" if segments else ""
    return Target(urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment)), schema)


def connect(target: Target) -> Connection[Any]:
    """An open psycopg connection (autocommit off), or PublishError naming the cause."""
    import psycopg

    try:
        return psycopg.connect(target.conninfo, connect_timeout=10, application_name="geo-atlas")
    except psycopg.OperationalError as exc:
        raise PublishError(f"cannot connect to {target.shown}: {target.masked(str(exc))}") from None
    except psycopg.ProgrammingError as exc:  # a malformed connection string
        raise PublishError(f"invalid connection string {target.shown}: {target.masked(str(exc))}") from None
