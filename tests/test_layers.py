"""The apps' import graph: `core` is a base layer, and the app-to-app cycles only shrink.

Every `from delaktig.… import` counts, at module level or inside a function (an import
inside a function hides a cycle from Python, not from the design). The method apps under
`participation/` count as `participation`. The demo builders (`demo.py`, `demo_context.py`,
the `load_demo` command) build a whole municipality across apps and are not imported by any
view or action, so they are left out.
"""

from __future__ import annotations

import ast
import itertools
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "delaktig"
DOMAIN_APPS = {
    "accounts",
    "api",
    "feedback",
    "followup",
    "governance",
    "organisation",
    "participation",
    "reports",
    "results",
}
DEMO_MODULES = {"demo.py", "demo_context.py", "load_demo.py"}

# Cycles still to break, each as (lower, higher) by name. A cycle not listed fails the test,
# and so does a listed one that no longer exists: remove it here when it is gone.
KNOWN_CYCLES = {
    ("accounts", "participation"),
    ("feedback", "participation"),
}


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "delaktig" and len(parts) > 1 else None


def import_graph() -> dict[str, dict[str, list[str]]]:
    """app → imported app → where (path:line)."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC)
        if "migrations" in relative.parts or path.name in DEMO_MODULES:
            continue
        source = relative.parts[0]
        if source == "config":
            continue  # settings and the URL conf put the apps together
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                target = _app(node.module)
                if target and target != source:
                    graph[source][target].append(f"{relative.as_posix()}:{node.lineno}")
    return graph


def test_core_depends_on_no_domain_app():
    used = {app: where for app, where in import_graph()["core"].items() if app in DOMAIN_APPS}
    assert used == {}


def test_no_new_import_cycle_between_apps():
    graph = import_graph()
    cycles = {
        (a, b)
        for a, b in itertools.combinations(sorted(graph), 2)
        if b in graph[a] and a in graph[b]
    }
    new = {
        pair: (graph[pair[0]][pair[1]], graph[pair[1]][pair[0]]) for pair in cycles - KNOWN_CYCLES
    }
    assert new == {}, "a new import cycle between apps"
    assert KNOWN_CYCLES - cycles == set(), "broken cycles: remove them from KNOWN_CYCLES"
