"""The imports of geo/ run one way: data -> models -> catalog -> validate | render | export | ... -> cli.

Read from the source with ast (imports under `if TYPE_CHECKING:` are for types only and do not
count). A module may import from its own layer or below, never above; the output packages sit
side by side and do not import each other.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parents[1] / "geo"

# Lower layers first. A module not listed belongs to the layer of its package.
LAYERS: list[set[str]] = [
    {
        "geo",
        "geo.errors",
        "geo.messages",
        "geo.formatting",
        "geo.countries",
        "geo.sizes",
        "geo.jsontext",
        "geo.atomic",
        "geo.fields",
        "geo.outdir",
        "geo.format_names",
        "geo.links",
        "geo.git_data",
        "geo.cycles",
    },
    {"geo.models", "geo.readers", "geo.geojson_reader", "geo.geojson_lines", "geo.records", "geo.geojson_geometry"},
    {"geo.base_layer", "geo.context_layers", "geo.layer_file", "geo.translations"},
    {"geo.catalog", "geo.references", "geo.texts", "geo.data_version"},
    {
        "geo.validate",
        "geo.style",
        "geo.credits",
        "geo.translation_checks",
        "geo.diff",
        "geo.measures",
        "geo.status_age",
    },
    {"geo.webmap", "geo.export", "geo.static", "geo.publish", "geo.site"},
    {"geo.cli", "geo.__main__", "geo.site_build"},
]
# The output packages of the fifth layer: each stands on the catalog alone.
OUTPUTS = {"geo.webmap", "geo.export", "geo.static", "geo.publish", "geo.site"}


def _layer_of(module: str) -> int:
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        for rank, members in enumerate(LAYERS):
            if prefix in members:
                return rank
    raise AssertionError(f"{module} is in no layer of tests/test_architecture.py: add it")


def _output_package(module: str) -> str | None:
    return next((p for p in OUTPUTS if module == p or module.startswith(p + ".")), None)


def _runtime_imports(path: Path) -> set[str]:
    return _imports(path, type_only=False)


def _type_only_imports(path: Path) -> set[str]:
    """The imports under `if TYPE_CHECKING:`: for annotations only, never run."""
    return _imports(path, type_only=True)


def _imports(path: Path, *, type_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    under_type_checking: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            under_type_checking.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    found: set[str] = set()
    for node in ast.walk(tree):
        if (id(node) in under_type_checking) != type_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from geo.static import draw` imports the module geo.static.draw, not (only) the package.
            package_dir = GEO.parent.joinpath(*node.module.split("."))
            for alias in node.names:
                submodule = package_dir / f"{alias.name}.py"
                found.add(f"{node.module}.{alias.name}" if submodule.is_file() else node.module)
    return {name for name in found if name == "geo" or name.startswith("geo.")}


def _module_name(path: Path) -> str:
    relative = path.relative_to(GEO.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = sorted(GEO.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[_module_name(p) for p in MODULES])
def test_imports_run_one_way(path: Path) -> None:
    module = _module_name(path)
    rank = _layer_of(module)
    own_output = _output_package(module)
    for imported in sorted(_runtime_imports(path)):
        assert _layer_of(imported) <= rank, f"{module} (layer {rank}) imports {imported} (layer {_layer_of(imported)})"
        other = _output_package(imported)
        if own_output and other and other != own_output:
            pytest.fail(f"{module} imports {imported}: the output packages stand side by side")


@pytest.mark.parametrize("path", MODULES, ids=[_module_name(p) for p in MODULES])
def test_type_only_imports_run_one_way_too(path: Path) -> None:
    """A type named from a higher layer ties a module to it all the same: the types a layer uses
    are its own or from below (a function a higher layer calls takes what it needs, not the caller's type)."""
    module = _module_name(path)
    rank = _layer_of(module)
    own_output = _output_package(module)
    for imported in sorted(_type_only_imports(path)):
        assert _layer_of(imported) <= rank, (
            f"{module} (layer {rank}) names types of {imported} (layer {_layer_of(imported)})"
        )
        other = _output_package(imported)
        if own_output and other and other != own_output:
            pytest.fail(f"{module} names types of {imported}: the output packages stand side by side")


def test_the_layers_have_no_cycle_at_module_level() -> None:
    """No two modules import each other (at any depth) outside TYPE_CHECKING."""
    graph = {_module_name(p): _runtime_imports(p) for p in MODULES}
    graph = {m: {i for i in imports if i in graph} for m, imports in graph.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])


PAGE_SCRIPT = GEO / "webmap" / "assets" / "parts"
# Leaflet's drawing internals: they change between Leaflet versions and describe what was last
# drawn (clipped, simplified), not the feature. The page script uses Leaflet's public API and its
# own coordinates instead.
LEAFLET_INTERNALS = (
    "_pxBounds",
    "_parts",
    "_containsPoint",
    "_icon",
    "_path",
    "_latlngs",
    "_rings",
    "_point",
    "_radius",
)


def test_the_page_script_reads_no_leaflet_internals() -> None:
    for path in sorted(PAGE_SCRIPT.glob("*.js")):
        text = path.read_text(encoding="utf-8")
        for name in LEAFLET_INTERNALS:
            assert not re.search(rf"\.{name}\b", text), f"{path.name} reads Leaflet's {name}"


def test_the_panel_controls_see_the_state_and_the_map_api_only() -> None:
    """A control that reached the page object could not stand, or be tested, on its own."""
    for path in sorted(PAGE_SCRIPT.glob("*_control.js")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\batlas\.", text), f"{path.name} reaches the page object"
        assert "_listeners" not in text, f"{path.name} edits the state's listeners directly"


# The readers of the data: the only modules that may know where a catalog was read from.
READERS = {"geo.catalog", "geo.publish.read"}
# What may be handed the catalog's data directory: the output guard, to refuse writing into it
# (write_site hands it on to output_dir).
_GUARDS = {"refuse_data_dir", "output_dir", "write_site"}


def _parents(tree: ast.AST) -> dict[int, ast.AST]:
    return {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


@pytest.mark.parametrize("path", MODULES, ids=[_module_name(p) for p in MODULES])
def test_nothing_reads_the_data_directory_after_loading(path: Path) -> None:
    """The catalog is a value: outside the readers no module reads `.root` (the data directory the
    catalog once carried) and `.data_dir` only reaches the output guard, never a file read."""
    module = _module_name(path)
    if module in READERS:
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = _parents(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        where = f"{module}:{node.lineno}"
        assert node.attr != "root", f"{where} reads .root: read the catalog's records and stored files instead"
        if node.attr != "data_dir" or (module == "geo.outdir" and ast.unparse(node.value) == "self"):
            continue
        parent = parents.get(id(node))
        if isinstance(parent, ast.keyword) and parent.arg == "data_dir":
            parent = parents.get(id(parent))
        called = ast.unparse(parent.func) if isinstance(parent, ast.Call) else None
        assert called in _GUARDS, f"{where} reads .data_dir outside the output guard ({', '.join(sorted(_GUARDS))})"
