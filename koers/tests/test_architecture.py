"""The shape of the code, checked over the import graph (docs/architecture.md, "Apps and
what they may import"): the page shell imports no domain app's internals."""

from __future__ import annotations

import ast
from pathlib import Path

KOERS = Path(__file__).resolve().parents[1]
# What a domain app offers the rest of Koers; everything else in it is its own business.
PUBLIC = {"models", "choices", "queries", "actions"}
# Modules of the project itself rather than of an app: anyone may use them.
PROJECT = {path.stem for path in KOERS.glob("*.py")}


def imported(path: Path) -> list[tuple[int, str]]:
    """Every `koers.…` module a file imports, with its line (also imports inside functions)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            found += [(node.lineno, name) for name in names if name.startswith("koers.")]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("koers.")]
    return sorted(found)


def internals_used(app: str) -> list[str]:
    """Imports from `app` (its tests and migrations aside) of another app's internals."""
    wrong = []
    for path in sorted((KOERS / app).rglob("*.py")):
        if {"tests", "migrations"} & set(path.relative_to(KOERS).parts):
            continue
        for line, name in imported(path):
            parts = name.split(".")
            other = parts[1]
            if other in (app, *PROJECT) or len(parts) < 3:
                continue
            module = KOERS / other / parts[2]
            if parts[2] not in PUBLIC and (module.with_suffix(".py").exists() or module.is_dir()):
                wrong.append(f"{path.relative_to(KOERS)}:{line} imports {name}")
    return wrong


def test_the_page_shell_imports_only_the_public_modules_of_the_domain_apps() -> None:
    assert internals_used("web") == []


def test_an_internal_import_is_found_inside_a_function_too(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from koers.groups.models import Group\n"
        "def f():\n    from koers.groups.wording import rule_in_words\n"
        "from koers.relations import activity\n"
    )

    assert imported(module) == [
        (1, "koers.groups.models"),
        (1, "koers.groups.models.Group"),
        (3, "koers.groups.wording"),
        (3, "koers.groups.wording.rule_in_words"),
        (4, "koers.relations"),
        (4, "koers.relations.activity"),
    ]
