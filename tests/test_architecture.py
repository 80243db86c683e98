"""The import contract: the layering rule of ARCHITECTURE.md, checked over the source (AST).

The *domain layer* of an app (models, policy, selectors, services, pure engines: everything
that is not the edge) imports only from its own app and from apps below it in APP_ORDER, never
upward, and never another app's `_private` names. The *edge layer* (views, API, urls, forms,
templates, tasks, commands, middleware, app wiring) may read any app's selectors and call any
app's services, but not another app's edge (the kernel's shared form and API helpers apart).
Cross-app effects go through declared registries filled from each app's AppConfig.ready()
(record rules for `access.policy.may`, `plans.contributions`, `core.scheduled`).

Alongside it: no first-party `except ImportError`; role names (`Role.…`) only in accounts,
access, demo and testing; date `input_formats` only in the one date field (core); and every
import written inside a function carries its reason in a comment.

Why a test of our own rather than import-linter: the rule has an edge layer that is exempt by
module *name* inside every app, and the other checks (roles, date formats, local imports) are
over the same AST walk; it is short and needs no dependency (docs/decisions/0121).
"""

from __future__ import annotations

import ast
import pathlib
import sys
from dataclasses import dataclass

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "everychild"

# Lowest first. Apps in one tier may not import each other's domain layer.
APP_ORDER: list[set[str]] = [
    {"statutory"},
    {"core"},
    {"areas"},
    {"accounts"},
    {"access"},
    {"notifications"},
    {"children"},
    {"casework"},
    {"support", "advice"},
    {"plans"},
    {"families", "schools"},
    {"dataprotection", "returns", "timelines", "staff"},
    {"performance"},
    {"improvement", "finance"},
    {"home"},
    {"demo", "testing"},
]
RANK = {app: rank for rank, tier in enumerate(APP_ORDER) for app in tier}

# Module names (any part below the app) that make a module part of the edge layer.
EDGE_PARTS = {
    "views",
    "api",
    "urls",
    "forms",
    "tasks",
    "templatetags",
    "management",
    "context_processors",
    "middleware",
    "apps",
}
# The kernel's edge helpers every app's edge uses: the GOV.UK form base and its error summary.
SHARED_EDGE = {"everychild.core.forms"}
# Project wiring (settings, urls, wsgi) sits above every app.
PROJECT_MODULES = {"settings", "urls", "api_urls", "wsgi", "__init__"}

ROLE_APPS = {"accounts", "access", "demo", "testing"}


@dataclass(frozen=True)
class Module:
    path: pathlib.Path
    name: str  # dotted
    app: str | None  # None for project wiring
    edge: bool
    tree: ast.Module
    lines: list[str]


def _modules() -> list[Module]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = rel.parts
        if "tests" in parts or "migrations" in parts:
            continue
        if len(parts) == 2:
            app, edge = None, True
        else:
            app = parts[1]
            edge = any(part in EDGE_PARTS for part in parts[2:])
        source = path.read_text(encoding="utf-8")
        found.append(
            Module(
                path=path,
                name=".".join(parts).removesuffix(".__init__"),
                app=app,
                edge=edge,
                tree=ast.parse(source, filename=str(path)),
                lines=source.splitlines(),
            )
        )
    return found


MODULES = _modules()


def _imports(module: Module):
    """(line, imported module, imported names, inside a function) for first-party imports."""
    local_nodes = {
        id(inner)
        for node in ast.walk(module.tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Import | ast.ImportFrom)
    }
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "everychild" or node.module.startswith("everychild."):
                names = [alias.name for alias in node.names]
                yield node, node.module, names, id(node) in local_nodes
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("everychild."):
                    yield node, alias.name, [], id(node) in local_nodes


def _where(module: Module, node: ast.AST) -> str:
    return f"{module.path.relative_to(ROOT)}:{node.lineno}"


def _target_app(dotted: str) -> str | None:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else None


def _is_edge(dotted: str) -> bool:
    return any(part in EDGE_PARTS for part in dotted.split(".")[2:])


def _layering_breaches() -> list[str]:
    breaches = []
    for module in MODULES:
        for node, target, names, _local in _imports(module):
            app = _target_app(target)
            if app is None or app == module.app:
                continue
            if app not in RANK:
                breaches.append(f"{_where(module, node)}: {target} is in no tier of APP_ORDER")
                continue
            private = [n for n in names if n.startswith("_")] + [
                p for p in target.split(".")[2:] if p.startswith("_") and p != "__init__"
            ]
            if private:
                breaches.append(
                    f"{_where(module, node)}: uses {app}'s private {', '.join(private)}"
                )
            if module.app is None:
                continue  # project wiring may import any app
            if module.app not in RANK:
                breaches.append(f"{_where(module, node)}: app {module.app} is in no tier")
                continue
            if module.edge:
                if _is_edge(target) and target not in SHARED_EDGE:
                    breaches.append(
                        f"{_where(module, node)}: edge module imports another app's edge {target}"
                    )
            elif _is_edge(target):
                breaches.append(f"{_where(module, node)}: domain layer imports edge {target}")
            elif RANK[app] >= RANK[module.app]:
                breaches.append(
                    f"{_where(module, node)}: domain layer of {module.app} imports {target} "
                    f"({app} is {'beside' if RANK[app] == RANK[module.app] else 'above'} it)"
                )
    return breaches


def test_the_domain_layer_never_imports_upward_or_another_apps_private_names():
    breaches = _layering_breaches()
    assert not breaches, "The layering rule is broken:\n" + "\n".join(breaches)


def test_the_kernel_imports_nothing_of_the_domain():
    """`core` is the kernel every app stands on: none of its modules, pages included, imports
    another app (the home page and navigation, which know every app, live in `home`)."""
    found = [
        f"{_where(module, node)}: {target}"
        for module in MODULES
        if module.app == "core"
        for node, target, _names, _local in _imports(module)
        if _target_app(target) not in {"core", "statutory"}
    ]
    found += [
        f"{module.path.relative_to(ROOT)}: names {text!r}"
        for module in MODULES
        if module.app == "core"
        for text in _dotted_strings(module)
        if _target_app(text) not in {None, "core", "statutory"}
    ]
    assert not found, "the kernel reaches into the domain:\n" + "\n".join(found)


def _dotted_strings(module: Module) -> list[str]:
    """String constants naming first-party modules (an import by name is still an import)."""
    return [
        node.value
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("everychild.")
    ]


def test_every_app_has_a_place_in_the_order():
    apps = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} - {
        "static",
        "templates",
    }
    assert apps <= set(RANK), f"apps missing from APP_ORDER: {sorted(apps - set(RANK))}"


def _compiled(inner) -> bool:
    """An import of a module compiled from a .pyx beside it (the SEN2 screen, decision 0292):
    an accelerator that changes how fast, never what, so it may be missing."""
    names = (
        [f"{inner.module}.{alias.name}" for alias in inner.names]
        if getattr(inner, "module", None)
        else [alias.name for alias in inner.names]
    )
    return all((PACKAGE.parent / (name.replace(".", "/") + ".pyx")).exists() for name in names)


def test_no_first_party_import_is_optional():
    """An app is never optional: `try: import … except ImportError` hides a dependency."""
    found = []
    for module in MODULES:
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Try):
                continue
            catches_import_error = any(
                isinstance(handler.type, ast.Name)
                and handler.type.id in {"ImportError", "ModuleNotFoundError"}
                for handler in node.handlers
            )
            first_party = any(
                isinstance(inner, ast.Import | ast.ImportFrom)
                and any(
                    (getattr(inner, "module", None) or "").startswith("everychild")
                    or alias.name.startswith("everychild")
                    for alias in inner.names
                )
                and not _compiled(inner)
                for stmt in node.body
                for inner in ast.walk(stmt)
            )
            if catches_import_error and first_party:
                found.append(_where(module, node))
    assert not found, "first-party imports made optional:\n" + "\n".join(found)


def test_role_names_appear_only_in_accounts_access_demo_and_testing():
    """Everything else asks for a capability (everychild.access.policy.Capability)."""
    found = []
    for module in MODULES:
        if module.app in ROLE_APPS:
            continue
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "Role"
            ):
                found.append(f"{_where(module, node)}: Role.{node.attr}")
    assert not found, "role names outside accounts/access/demo/testing:\n" + "\n".join(found)


def test_date_input_formats_only_in_the_one_date_field():
    """Every form asks for a date through `everychild.core.dates.DateField`."""
    found = []
    for module in MODULES:
        if module.name == "everychild.core.dates":
            continue
        for node in ast.walk(module.tree):
            if (isinstance(node, ast.keyword) and node.arg == "input_formats") or (
                isinstance(node, ast.Assign)
                and any(
                    isinstance(t, ast.Name | ast.Attribute)
                    and getattr(t, "id", getattr(t, "attr", None)) == "input_formats"
                    for t in node.targets
                )
            ):
                found.append(_where(module, node))
            # A form's date question is the one field, never Django's own.
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "DateField"
                and isinstance(node.value, ast.Name)
                and node.value.id == "forms"
            ):
                found.append(f"{_where(module, node)}: forms.DateField")
    assert not found, "date input formats outside everychild.core.dates:\n" + "\n".join(found)


def _has_reason(module: Module, node: ast.AST) -> bool:
    line = module.lines[node.lineno - 1]
    above = module.lines[node.lineno - 2].strip() if node.lineno > 1 else ""
    return "#" in line or above.startswith("#")


def test_every_import_inside_a_function_says_why():
    """An import written inside a function hides a dependency from this test and from readers;
    where one is still needed (e.g. a heavy library only one document needs), it says why in
    a comment on the line or just above it."""
    found = []
    for module in MODULES:
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom) and not _has_reason(
                    module, inner
                ):
                    found.append(_where(module, inner))
    found = sorted(set(found))
    assert not found, "function-local imports without a reason:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source, breach",
    [
        ("from everychild.plans.models import EHCPlan\n", "above it"),
        ("from everychild.advice.models import X\n", "beside it"),
        ("from everychild.casework.views import x\n", "imports edge"),
        ("from everychild.children.policy import _secret\n", "private"),
    ],
)
def test_the_contract_catches_what_it_should(tmp_path, monkeypatch, source, breach):
    """A test that cannot fail proves nothing: a domain module of `support` with a bad import
    is reported."""
    module = Module(
        path=ROOT / "everychild" / "support" / "services.py",
        name="everychild.support.services",
        app="support",
        edge=False,
        tree=ast.parse(source),
        lines=source.splitlines(),
    )
    monkeypatch.setattr(sys.modules[__name__], "MODULES", [module])
    assert any(breach in line for line in _layering_breaches())
