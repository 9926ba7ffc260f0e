"""The apps' import graph: `core` is a base layer, and the apps form layers with no cycle.

Every `from delaktig.… import` counts, at module level or inside a function (an import
inside a function hides a cycle from Python, not from the design). The method apps under
`participation/` count as `participation`. The demo builders (`demo.py`, `demo_context.py`,
the `load_demo` command) build a whole municipality across apps and are not imported by any
view or action, so they are left out.

A lower app learns of a higher one's needs only by registration from the higher app's
`AppConfig.ready` (a gate check, an arrival, a feedback-address store, what to do before a
person's rows are erased), and a lower app's page shows a higher app's part through that
app's template tags (the resident's "Mina uppgifter" lists their contributions).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
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


def test_the_apps_form_layers_with_no_cycle():
    graph = import_graph()
    try:
        order = list(
            TopologicalSorter({app: set(used) for app, used in graph.items()}).static_order()
        )
    except CycleError as error:
        cycle = error.args[1]
        where = {f"{a} -> {b}": graph[a][b] for a, b in zip(cycle, cycle[1:], strict=False)}
        raise AssertionError(f"an import cycle between apps: {where}") from None
    # The layers as they stand, lowest first: each app imports only apps before it.
    assert order.index("core") == 0
    for lower, higher in [
        ("organisation", "governance"),
        ("governance", "accounts"),
        ("accounts", "participation"),
        ("participation", "results"),
        ("results", "feedback"),
        ("feedback", "followup"),
    ]:
        assert order.index(lower) < order.index(higher), (lower, higher)
