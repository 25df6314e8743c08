"""Read the raw files of data/ (YAML here, GeoJSON in geo.geojson_reader), turning every way a file can be bad into Problems.

A data file is untrusted: it must be a regular file inside the data directory and at most
MAX_FILE_BYTES (a FIFO would hang the reader, /dev/zero fill the memory); YAML may not repeat a
key or use aliases that expand past a bound (an "alias bomb"), and dates are read as the text
written so an impossible one is a named problem of its record; JSON may not repeat a key in an
object or nest deeper than Python can walk.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from geo.errors import Problem

MAX_FILE_BYTES = int(os.environ.get("GEO_MAX_FILE_BYTES", 512 * 1024 * 1024))
MAX_YAML_ALIASES = 100  # hand-written metadata needs few, if any
MAX_YAML_VALUES = 1_000_000  # values after expanding aliases; the atlas's metadata has a few thousand


def display_path(path: Path, root: Path) -> str:
    """The path as a user sees it in reports: relative to the project when possible."""
    # Symlinks not resolved: a report names the file as the data names it, not where a link leads.
    # The usual case in strings (a catalog names some sixty files as it loads); the rest with Paths.
    absolute, base = os.path.abspath(path), os.path.dirname(os.path.abspath(root))
    if os.sep == "/" and base != "/" and absolute.startswith(base + "/"):
        return absolute[len(base) + 1 :]
    for shown, base_path in ((Path(absolute), Path(base)), (path.resolve(), root.resolve().parent)):
        try:
            return shown.relative_to(base_path).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def data_file_problem(relative: str) -> str | None:
    """Why a path named in the data (a layer's `file:`) may not be read, or None: it must stay in data/."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or relative.startswith("~") or "\\" in relative:
        return f"{relative!r} must be a path relative to the data directory"
    if ".." in pure.parts:
        return f"{relative!r} must not leave the data directory ('..')"
    return None


def _file_problem(path: Path, root: Path) -> str | None:
    """Why `path` may not be read as a data file, or None; never opens it (a FIFO would block)."""
    if not path.exists():
        return "file is missing" if not path.is_symlink() else "file is missing (a dangling symlink)"
    resolved, inside = path.resolve(), root.resolve()
    if resolved != inside and inside not in resolved.parents:
        return f"resolves to {resolved}, outside the data directory (a symlink out of data/ is not followed)"
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        return "cannot be read: Is a directory"
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or special file"
        return f"cannot be read: not a regular file ({kind})"
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"file is too large ({size} bytes; the limit is {MAX_FILE_BYTES}, GEO_MAX_FILE_BYTES)"
    return None


# The files read by the reading in progress, by their path in the data directory, with the sha256
# of the bytes read (see recording_reads).
_READS: ContextVar[dict[str, str] | None] = ContextVar("geo_atlas_reads", default=None)


@contextmanager
def recording_reads() -> Iterator[dict[str, str]]:
    """Within the block, every data file read is recorded with the sha256 of the bytes read.

    What a catalog was made from, hashed as it was read rather than found again on disk later:
    a file saved during a build must not give old maps the stamp of its new content.
    """
    reads: dict[str, str] = {}
    token = _READS.set(reads)
    try:
        yield reads
    finally:
        _READS.reset(token)


def read_data_bytes(path: Path, root: Path, shown: str, problems: list[Problem]) -> bytes | None:
    """The bytes of a data file, or None with the Problem that stopped it (see _file_problem)."""
    problem = _file_problem(path, root)
    if problem is None:
        try:
            with open(path, "rb") as handle:
                payload = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since the check
        except OSError as exc:
            problem = f"cannot be read: {exc.strerror or exc}"
        else:
            if len(payload) <= MAX_FILE_BYTES:
                reads = _READS.get()
                if reads is not None:
                    name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
                    reads[name] = hashlib.sha256(payload).hexdigest()
                return payload
            problem = f"file is too large (more than the limit of {MAX_FILE_BYTES} bytes)"
    problems.append(Problem(shown, "(file)", "-", problem))
    return None


# libyaml's parser where PyYAML was built with it (~10x faster than the pure-Python one); the
# constructor, where the checks below live, is Python in both.
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DataLoader(_BASE_LOADER):  # type: ignore[misc]
    """Safe loader that refuses repeated keys and alias bombs and keeps dates as the text written."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.aliases = 0

    def construct_document(self, node: Any) -> Any:
        # Plain data (strings, numbers, lists, mappings; few aliases) is built in one pass over the
        # nodes, without PyYAML's general machinery (a catalog's YAML reads in 10 ms instead of 15);
        # anything else (a merge key, a tag of another kind, a repeated key, too many aliases)
        # takes PyYAML's way, which builds the same values and names every problem as before.
        try:
            return _PlainBuilder(self).build(node)
        except _NotPlain:
            self.aliases = 0
            return super().construct_document(node)

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        # A node met again after it was built is an alias (*name) of an anchor (&name).
        if node in self.constructed_objects:
            self.aliases += 1
            if self.aliases > MAX_YAML_ALIASES:
                raise yaml.constructor.ConstructorError(
                    None, None, f"more than {MAX_YAML_ALIASES} aliases (*name); write the values out", node.start_mark
                )
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = (key_node.tag, key_node.value)  # 'a' and "a" are one key; 1 and '1' are two
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key_node.value[:40]!r} (a later value would replace the earlier)",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# An unquoted 2024-02-30 would raise from the date constructor; as text it meets the schema's check.
_DataLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)

_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
# Scalars whose value PyYAML's own constructors make (null, bool, int, float; dates as text).
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp"))


class _NotPlain(Exception):
    """The document needs PyYAML's general constructor (or one of the loader's refusals)."""


class _PlainBuilder:
    """The values of a document of plain data, as _DataLoader builds them (an alias is the same
    object as its anchor's value); raises _NotPlain at anything else."""

    def __init__(self, loader: _DataLoader) -> None:
        self.loader = loader
        self.built: dict[Any, Any] = {}  # by node (nodes hash by identity)
        self.aliases = 0

    def build(self, node: Any) -> Any:
        built = self.built.get(node, _MISSING)
        if built is not _MISSING:
            self.aliases += 1  # a node met again is an alias (*name) of an anchor (&name)
            if self.aliases > MAX_YAML_ALIASES:
                raise _NotPlain
            return built
        tag = node.tag
        if tag == _STR and isinstance(node, yaml.ScalarNode):
            value: Any = node.value
        elif tag in _SCALAR_TAGS and isinstance(node, yaml.ScalarNode):
            value = self.loader.yaml_constructors[tag](self.loader, node)
        elif tag == _SEQ and isinstance(node, yaml.SequenceNode):
            value = []
            self.built[node] = value
            value.extend(self.build(item) for item in node.value)
        elif tag == _MAP and isinstance(node, yaml.MappingNode):
            value = {}
            self.built[node] = value
            for key_node, value_node in node.value:
                if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag in (_STR, *_SCALAR_TAGS)):
                    raise _NotPlain  # a merge key, a collection as a key, another tag
                key = self.build(key_node)
                if key in value:  # a repeated key ('a' and "a" alike; 1 and '1' are two): refused
                    raise _NotPlain
                value[key] = self.build(value_node)
        else:
            raise _NotPlain
        self.built[node] = value
        return value


def _expanded_size(value: Any, limit: int) -> int:
    """How many values `value` holds once shared (aliased) parts are counted every time; stops past limit."""
    sizes: dict[int, int] = {}

    def size(item: Any) -> int:
        if not isinstance(item, (list, dict)):
            return 1
        known = sizes.get(id(item))
        if known is not None:
            return known
        children = item.values() if isinstance(item, dict) else item
        total = 1
        for child in children:
            total += size(child)
            if total > limit:
                break
        sizes[id(item)] = total
        return total

    return size(value)


_MISSING = object()


def _load_yaml(path: Path, root: Path, shown: str, problems: list[Problem]) -> Any:
    """The parsed YAML document, or _MISSING (with a Problem) when it cannot be read or is refused."""
    payload = read_data_bytes(path, root, shown, problems)
    if payload is None:
        return _MISSING
    return _parse_yaml(payload, shown, problems)


def _parse_yaml(payload: bytes, shown: str, problems: list[Problem]) -> Any:
    try:
        loaded = yaml.load(payload.decode("utf-8"), Loader=_DataLoader)  # a safe loader subclass
        if _expanded_size(loaded, MAX_YAML_VALUES) > MAX_YAML_VALUES:
            problems.append(
                Problem(shown, "(file)", "-", f"aliases expand to more than {MAX_YAML_VALUES} values (an alias bomb?)")
            )
            return _MISSING
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, "(file)", "-", f"not UTF-8 text: {exc}"))
        return _MISSING
    except RecursionError:
        problems.append(Problem(shown, "(file)", "-", "malformed YAML: nested too deeply"))
        return _MISSING
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.append(Problem(shown, "(file)", "-", f"malformed YAML{where}: {getattr(exc, 'problem', exc)}"))
        return _MISSING
    return loaded


def read_yaml_list(path: Path, root: Path, problems: list[Problem]) -> list[dict[str, Any]]:
    """A YAML file holding a list of records; [] (with a Problem) when it cannot be read."""
    shown = display_path(path, root)
    loaded = _load_yaml(path, root, shown, problems)
    if loaded is _MISSING or loaded is None:
        return []
    if not isinstance(loaded, list) or not all(isinstance(item, dict) for item in loaded):
        problems.append(Problem(shown, "(file)", "-", "expected a list of records (mappings)"))
        return []
    return loaded


def read_yaml_mapping(path: Path, root: Path, problems: list[Problem]) -> dict[str, Any] | None:
    """A YAML file holding one mapping (a whole-file record); None (with a Problem) when it cannot be read."""
    shown = display_path(path, root)
    return _as_mapping(_load_yaml(path, root, shown, problems), shown, problems)


def parse_yaml_mapping(payload: bytes, shown: str, problems: list[Problem]) -> dict[str, Any] | None:
    """read_yaml_mapping for bytes kept elsewhere (a data file stored in a database), with the same checks."""
    return _as_mapping(_parse_yaml(payload, shown, problems), shown, problems)


def _as_mapping(loaded: Any, shown: str, problems: list[Problem]) -> dict[str, Any] | None:
    if loaded is _MISSING:
        return None
    if not isinstance(loaded, dict):
        problems.append(Problem(shown, "(file)", "-", "expected a mapping of fields"))
        return None
    return loaded
