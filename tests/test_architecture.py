"""The import rules lint-imports cannot see: module cycles of any shape, GeoDjango's file readers.

The app layers and the heavy-library rules are import-linter contracts in pyproject.toml
(`lint-imports`); this module reads the same contracts for the apps and for the allowed cycles.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LINTER = PYPROJECT["tool"]["importlinter"]
APPS = LINTER["root_packages"]
# GDAL/OGR readers of GeoDjango (import-linter sees only top-level external packages, so `django`)
GEODJANGO_READERS = {"DataSource", "GDALRaster"}
READERS_MODULE = "layers/readers.py"


def allowed_cycle_edges() -> list[tuple[str, str]]:
    contract = next(c for c in LINTER["contracts"] if c["id"] == "no-module-cycles")
    return [tuple(edge.split(" -> ")) for edge in contract.get("ignore_imports", [])]


def import_cycles(graph: grimp.ImportGraph) -> set[tuple[str, ...]]:
    """Every module that can reach itself, as its shortest cycle (first module the smallest)."""
    cycles = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(importer=imported, imported=module):
                chain = (module, *graph.find_shortest_chain(importer=imported, imported=module))
                cycle = chain[:-1]
                start = cycle.index(min(cycle))
                cycles.add(cycle[start:] + cycle[:start])
    return cycles


def test_no_module_imports_itself_through_others():
    graph = grimp.build_graph(*APPS, cache_dir=None)
    for importer, imported in allowed_cycle_edges():
        graph.remove_import(importer=importer, imported=imported)
    cycles = sorted(" -> ".join((*cycle, cycle[0])) for cycle in import_cycles(graph))
    assert not cycles, "import cycles between modules:\n" + "\n".join(cycles)


def test_the_cycle_check_finds_a_cycle():
    graph = grimp.ImportGraph()
    for importer, imported in [("a.x", "a.y"), ("a.y", "a.z"), ("a.z", "a.x"), ("a.z", "a.w")]:
        graph.add_import(importer=importer, imported=imported)
    assert import_cycles(graph) == {("a.x", "a.y", "a.z")}


def geodjango_readers_imported(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "django.contrib.gis"
        ):
            names = {alias.name for alias in node.names}
            if node.module == "django.contrib.gis":
                found |= names & {"gdal"}
            elif node.module.startswith("django.contrib.gis.gdal"):
                found |= names & GEODJANGO_READERS
    return found


def test_geodjango_file_readers_only_in_the_readers_module():
    offenders = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            names = geodjango_readers_imported(path.read_text(encoding="utf-8"))
            if names and relative != READERS_MODULE:
                offenders.append(f"{relative}: {', '.join(sorted(names))}")
    assert not offenders, f"GDAL readers outside {READERS_MODULE}:\n" + "\n".join(offenders)


def test_the_readers_check_sees_a_datasource_import():
    assert geodjango_readers_imported("from django.contrib.gis.gdal import DataSource") == {
        "DataSource"
    }
    assert geodjango_readers_imported("from django.contrib.gis import gdal") == {"gdal"}
    assert not geodjango_readers_imported("from django.contrib.gis.gdal import SpatialReference")
