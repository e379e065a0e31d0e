"""The architecture's arrows (STYLE.md §1): each package imports only what it may."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
IN_REPO = {"records", "extractors", "classifiers", "checks", "storage", "flows", "evaluation", "samples", "review", "cli"}
ALLOWED = {
    "records": {"records"},
    "extractors": {"extractors", "records"},
    "classifiers": {"classifiers", "records"},
    "checks": {"checks", "records"},
    "storage": {"storage", "records"},
    "evaluation": {"evaluation", "records", "checks"},
    "samples": {"samples", "records"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & IN_REPO


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_its_arrow_allows(package: str) -> None:
    bad = {}
    for path in sorted((REPO / package).rglob("*.py")):
        extra = _imports(path) - ALLOWED[package]
        if extra:
            bad[str(path.relative_to(REPO))] = sorted(extra)
    assert bad == {}


def test_only_storage_s3_imports_minio() -> None:
    users = [str(p.relative_to(REPO)) for pkg in IN_REPO - {"cli"} for p in (REPO / pkg).rglob("*.py")
             if "minio" in {n.split(".")[0] for n in _all_modules(p)}]
    assert users == ["storage/s3.py"]


def _all_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out
