"""The journeys and the calendar plan contacts through the outbox and know nothing of each
other: no module of either imports the other (docs/architecture.md). Only the clock above
them (koers.clock) runs both."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KOERS = Path(__file__).resolve().parent.parent


def imported(path: Path, package: str | None = None) -> set[str]:
    """Every module `path` (in `package`, by default the one it is in) imports, at the top
    or inside a function, with its full name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    if package is None:
        package = ".".join(path.relative_to(KOERS.parent).parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package upwards
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def crossings(app: str, other: str) -> list[str]:
    return sorted(
        f"{path.relative_to(KOERS.parent)} imports {name}"
        for path in (KOERS / app).rglob("*.py")
        for name in imported(path)
        if name == f"koers.{other}" or name.startswith(f"koers.{other}.")
    )


@pytest.mark.parametrize(("app", "other"), [("calendar", "journeys"), ("journeys", "calendar")])
def test_no_module_of_one_planner_imports_the_other(app: str, other: str) -> None:
    assert crossings(app, other) == []


def test_the_walk_sees_the_standard_library_apart_from_the_apps() -> None:
    names = imported(KOERS / "calendar" / "engine.py")
    assert "koers.touchpoints.planning" in names
    assert "calendar" in names  # the standard library's: from calendar import isleap


def test_a_crossing_inside_a_function_or_relative_is_found(tmp_path: Path) -> None:
    source = tmp_path / "late.py"
    source.write_text(
        "def f():\n    from koers.journeys.engine import tick\nfrom ..journeys import actions\n"
    )
    names = imported(source, package="koers.calendar")
    assert {"koers.journeys.engine", "koers.journeys.engine.tick"} <= names
    assert {"koers.journeys", "koers.journeys.actions"} <= names
