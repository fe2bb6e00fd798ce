"""A clone of the repository is the whole project: no code or test reads beside the checkout.

The files are read as text (cheap). bench/ is left out: it may use the optional benchmark harness
kept outside the repository, and says what to do when it is absent (bench/README.md).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_FOLDERS = {
    ".git",
    ".venv",
    ".var",
    "node_modules",
    "bench",
    "docs",
    "locale",
    "schemas",
    "test-artifacts",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
}
CODE_SUFFIXES = {".py", ".sh", ".toml", ".yml", ".yaml", ".cfg", ".ini", ".json", ".js", ".html"}
CODE_NAMES = {"Makefile", "Dockerfile", ".dockerignore", ".gitignore", "nginx.conf"}
OUTSIDE_NAMES = re.compile(r"\.\./shared|/work/shared|shared/data|\"shared\"\s*/\s*\"data\"")
# Path(__file__)… .parent.parent… or .parents[n]: how far up a module climbs
PARENTS = re.compile(r"__file__\)?(?:\.resolve\(\))?((?:\.parent)+)(?!s)")
PARENTS_INDEXED = re.compile(r"__file__\)?(?:\.resolve\(\))?\.parents\[(\d+)\]")
ROOT_PARENT = re.compile(r"\b(?:ROOT|BASE_DIR)\s*\.parent\b|\b(?:ROOT|BASE_DIR)\s*/\s*\"\.\.\"")
SHELL_ROOT_UP = re.compile(r"\$\{?ROOT\}?/\.\.(?:/|\"|$)")
SHELL_SCRIPT_UP = re.compile(r"dirname \"\$\{BASH_SOURCE\[0\]\}\"\)((?:/\.\.)+)")


def project_files() -> list[Path]:
    files = []
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS)
        here = Path(folder)
        data_only = here.relative_to(ROOT).parts[:1] == ("fixtures",)
        for name in sorted(names):
            suffix = Path(name).suffix
            if data_only and suffix != ".py":
                continue  # the data files themselves; their generators are code
            if suffix in CODE_SUFFIXES or name in CODE_NAMES:
                files.append(here / name)
    return files


def reaches_outside(relative: Path, text: str) -> list[str]:
    """What in one file names the folder beside the checkout or climbs above the repository root."""
    depth = len(relative.parts)  # tests/conftest.py: two .parent reach the root, three leave it
    found = [m.group(0) for m in OUTSIDE_NAMES.finditer(text)]
    found += [m.group(0) for m in PARENTS.finditer(text) if m.group(1).count(".parent") > depth]
    found += [m.group(0) for m in PARENTS_INDEXED.finditer(text) if int(m.group(1)) + 1 > depth]
    found += [m.group(0) for m in ROOT_PARENT.finditer(text)]
    found += [m.group(0) for m in SHELL_ROOT_UP.finditer(text)]
    found += [m.group(0) for m in SHELL_SCRIPT_UP.finditer(text) if m.group(1).count("..") >= depth]
    return found


def test_the_scan_sees_the_code_and_the_tests():
    names = {path.relative_to(ROOT).as_posix() for path in project_files()}
    assert {"manage.py", "Makefile", "gis_portal/settings.py", "tests/conftest.py"} <= names
    assert {"scripts/env.sh", "docker-compose.yml", "pyproject.toml"} <= names
    assert not any(name.startswith(("bench/", ".venv/", "fixtures/app-samples/")) for name in names)


def test_the_scan_recognises_each_way_out_of_the_checkout():
    conftest = Path("tests/conftest.py")
    assert reaches_outside(conftest, 'Path(__file__).resolve().parent.parent.parent / "x"')
    assert reaches_outside(conftest, "Path(__file__).parents[2]")
    assert reaches_outside(conftest, 'SHARED = ROOT.parent / "shared"')
    # the sibling folder's name built from parts, so that this file itself names no path outside
    sibling = "/".join(["..", "shared"])
    assert reaches_outside(conftest, f'open("{sibling}/data/README.md")')
    assert reaches_outside(Path("scripts/x.sh"), 'cd "$(dirname "${BASH_SOURCE[0]}")/../.."')
    assert reaches_outside(Path("scripts/x.sh"), 'GPKG="$ROOT/../gmina.gpkg"')
    assert not reaches_outside(conftest, "ROOT = Path(__file__).resolve().parent.parent")
    assert not reaches_outside(conftest, "Path(__file__).parents[1]")
    assert not reaches_outside(Path("scripts/x.sh"), 'cd "$(dirname "${BASH_SOURCE[0]}")/.."')


def test_no_code_or_test_reads_beside_the_checkout():
    offenders = {}
    for path in project_files():
        relative = path.relative_to(ROOT)
        found = reaches_outside(relative, path.read_text(encoding="utf-8", errors="replace"))
        if relative == Path(__file__).relative_to(ROOT):
            continue  # this file names the patterns it looks for
        if found:
            offenders[relative.as_posix()] = found
    assert not offenders, f"files that read outside the repository: {offenders}"


def test_the_readme_examples_use_files_of_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    folder = re.search(r"^S=(\S+)$", readme, re.MULTILINE).group(1)
    named = re.findall(r"\bfixtures/[\w./-]*\w", readme)
    named += [f"{folder}/{name}" for name in re.findall(r"\$S/(\S+)", readme)]
    assert len(named) >= 6
    missing = [name for name in named if not (ROOT / name).exists()]
    assert not missing, missing
