"""The rules permissions are how views and actions authorise, and each one is asked.

A permission that nobody asks is a matrix test that proves nothing: the view beside it asks
something else. So every permission registered with `rules.add_perm` must be asked by name
somewhere in `src/` outside the `rules.py` modules — in a call that asks (`has_perm`,
`require`, a view's `_require`, `eligibility.refusal(..., permission=...)`), as a module
constant `…PERMISSION`, or in a template (`perms.app.name`, `{% has_perm %}`). The
lifecycle's transitions are asked through `Transition.permission`. A name asked but never
registered is refused silently by django-rules, so that fails too. And the predicates stay
inside the rules: no other module imports one to call it directly.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import rules
from rules.permissions import permissions

from delaktig.governance import lifecycle

SRC = Path(__file__).resolve().parents[1] / "src" / "delaktig"
PERM_NAME = re.compile(r"^[a-z_]+\.[a-z_]+$")
TEMPLATE_PERMS = re.compile(r"perms\.([a-z_]+)\.([a-z_]+)|has_perm\s+['\"]([a-z_]+\.[a-z_]+)['\"]")

# The calls that ask a permission: Django's and django-rules' own, `core.permissions.require`
# (actions) and the views' small wrappers around `has_perm` that raise PermissionDenied.
ASKERS = {"has_perm", "has_perms", "permission_required", "require", "_require", "_official"}

# Names from a rules module that other modules may import. Each is an answer a yes/no
# permission cannot give; the yes/no itself is the permission named beside it.
ALLOWED_RULES_IMPORTS = {
    # Which of a dialogue's bodies a secretary records decisions for (a set, narrowing the
    # decision form); whether they may record at all is `governance.record_decision`.
    "secretary_bodies",
    # Why `meetings.register` says no, in Swedish, for the meeting page and the action.
    "registration_refusal",
}


def _modules() -> list[Path]:
    return [
        path
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.relative_to(SRC).parts and path.name != "rules.py"
    ]


def _is_rules_module(module: str) -> bool:
    return module == "rules" or module.endswith(".rules")


def registered() -> set[str]:
    return set(permissions.keys()) - {name for name in permissions if name.startswith("auth.")}


def _callee(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _perm_strings(values: list[ast.expr]) -> set[str]:
    return {
        v.value
        for v in values
        if isinstance(v, ast.Constant) and isinstance(v.value, str) and PERM_NAME.match(v.value)
    }


def _strings_asked(tree: ast.AST) -> set[str]:
    """Names passed to a call that asks a permission, as `permission=`, or kept in a
    module constant named `…PERMISSION`."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if _callee(node) in ASKERS:
                found |= _perm_strings([*node.args, *(k.value for k in node.keywords)])
            found |= _perm_strings([k.value for k in node.keywords if k.arg == "permission"])
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id.endswith("PERMISSION") for t in node.targets
        ):
            found |= _perm_strings([node.value])
    return found


def _asks_transition_permission(tree: ast.AST) -> bool:
    """A call passed some transition's `.permission` (lifecycle and the transition action)."""
    return any(
        isinstance(node, ast.Call)
        and any(isinstance(a, ast.Attribute) and a.attr == "permission" for a in node.args)
        for node in ast.walk(tree)
    )


def asked() -> set[str]:
    names: set[str] = set()
    transitions_asked = False
    for path in _modules():
        tree = ast.parse(path.read_text())
        names |= _strings_asked(tree)
        transitions_asked |= _asks_transition_permission(tree)
    for path in SRC.rglob("*.html"):
        for app, name, tag in TEMPLATE_PERMS.findall(path.read_text()):
            names.add(tag or f"{app}.{name}")
    if transitions_asked:
        names |= {t.permission for t in lifecycle.TRANSITIONS.values()}
    return names


def test_every_registered_permission_is_asked() -> None:
    unasked = registered() - asked()
    assert unasked == set(), "registered but asked by no view, action or template"


def test_every_permission_asked_is_registered() -> None:
    labels = {name.split(".")[0] for name in registered()}
    unknown = {name for name in asked() if name.split(".")[0] in labels} - registered()
    assert unknown == set(), "asked but never registered: django-rules answers no"


def test_every_transition_has_its_holders() -> None:
    from delaktig.governance.rules import TRANSITION_HOLDERS

    assert set(TRANSITION_HOLDERS) == set(lifecycle.TRANSITIONS)


def _predicates() -> set[str]:
    """Every predicate defined in a rules module (and the eligibility gate's)."""
    names: set[str] = set()
    for path in sorted(SRC.rglob("rules.py")):
        module = "delaktig." + ".".join(path.relative_to(SRC).with_suffix("").parts)
        names |= {
            name
            for name, value in vars(importlib.import_module(module)).items()
            if isinstance(value, rules.Predicate)
        }
    eligibility = importlib.import_module("delaktig.participation.eligibility")
    names |= {n for n, v in vars(eligibility).items() if isinstance(v, rules.Predicate)}
    return names


def test_no_module_calls_a_predicate_directly() -> None:
    predicates = _predicates()
    assert {"is_official", "can_manage_dialogue", "may_take_part"} <= predicates
    offenders: list[str] = []
    for path in _modules():
        if path.name == "eligibility.py":
            continue  # defines may_take_part
        where = path.relative_to(SRC).as_posix()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    from_rules = _is_rules_module(node.module) and node.module != "rules"
                    if alias.name in predicates or (
                        from_rules and alias.name not in ALLOWED_RULES_IMPORTS
                    ):
                        offenders.append(f"{where}:{node.lineno} imports {alias.name}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("delaktig.") and _is_rules_module(alias.name):
                        offenders.append(f"{where}:{node.lineno} imports {alias.name}")
    assert offenders == [], "ask the permission (user.has_perm) instead"
