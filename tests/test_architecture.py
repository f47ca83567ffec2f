"""The layers of the project, read from the source: every import of every module of the
project's packages, those inside functions included, parsed with ``ast``.

Bottom to top (docs/architecture.md says what each layer is for):

    serving
    accounts, courses
    certificates, classrooms
    reports, training, lti
    cms

A package may import from its own layer's packages only where listed in SAME_LAYER, and from
the layers below it; never from a layer above. No two packages import each other, directly
or round a longer circle.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS = [
    {"serving"},
    {"accounts", "courses"},
    {"certificates", "classrooms"},
    {"reports", "training", "lti"},
    {"cms"},
]
LAYER_OF = {package: level for level, layer in enumerate(LAYERS) for package in layer}

# Imports between packages of one layer that are part of the design; any other fails.
SAME_LAYER = {
    # A course's learner is an account: enrolments, progress and attempts point at the user
    # model, and courses answers accounts' signals (data export, deletion, audiences).
    ("courses", "accounts"),
    # Every download of personal data is streamed and logged by reports' export log, the
    # training manager's staff and ledger exports included: one log for the audit.
    ("training", "reports"),
}


def project_modules():
    for package in LAYER_OF:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield package, path


def imported_packages(path):
    """The top-level names ``path`` imports, wherever the import statement stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def import_edges():
    """{(importer, imported): first 'path:line'} between different project packages."""
    edges = {}
    for package, path in project_modules():
        for name, line in imported_packages(path):
            if name in LAYER_OF and name != package:
                edges.setdefault((package, name), f"{path.relative_to(ROOT)}:{line}")
    return edges


def test_every_layered_package_exists():
    for package in LAYER_OF:
        assert (ROOT / package / "__init__.py").exists(), package


def test_no_package_imports_from_a_layer_above_it():
    upward = [
        f"{where}: {importer} imports {imported}"
        for (importer, imported), where in sorted(import_edges().items())
        if LAYER_OF[imported] > LAYER_OF[importer]
    ]
    assert upward == []


def test_same_layer_imports_are_only_the_listed_ones():
    sideways = [
        f"{where}: {importer} imports {imported}"
        for (importer, imported), where in sorted(import_edges().items())
        if LAYER_OF[imported] == LAYER_OF[importer] and (importer, imported) not in SAME_LAYER
    ]
    assert sideways == []


def test_no_import_circle_between_packages():
    graph = {}
    for importer, imported in import_edges():
        graph.setdefault(importer, set()).add(imported)
    circles = []

    def visit(node, trail):
        for nxt in sorted(graph.get(node, ())):
            if nxt == trail[0]:
                circles.append(" -> ".join([*trail, nxt]))
            elif nxt not in trail and nxt > trail[0]:
                visit(nxt, [*trail, nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert circles == []


def test_serving_imports_no_app():
    edges = import_edges()
    assert [where for (importer, _), where in edges.items() if importer == "serving"] == []


def is_view_module(dotted):
    last = dotted.rsplit(".", 1)[-1]
    return last == "views" or last.endswith("_views")


def test_no_view_module_imports_another():
    """Views are pages, not libraries: what two views share lives in a non-view module."""
    found = []
    for _package, path in project_modules():
        here = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if not is_view_module(here):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            if any(n.split(".")[0] in LAYER_OF and is_view_module(n) for n in names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
