"""The layers of the project, read from the source: every import of every module of the
project's packages, those inside functions included, parsed with ``ast``.

Bottom to top (docs/architecture.md says what each layer is for):

    serving
    accounts, courses
    certificates, classrooms, courseware
    reports, training, xapi, lti
    api
    cms

A package may import from its own layer's packages only where listed in SAME_LAYER, and from
the layers below it; never from a layer above. No two packages import each other, directly
or round a longer circle.

Inside courses, the question core (``courses/questions``) sits below the models: it imports
the standard library and itself only, so it runs without Django or a database.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS = [
    {"serving"},
    {"accounts", "courses"},
    {"certificates", "classrooms", "courseware"},
    {"reports", "training", "xapi", "lti"},
    {"api"},
    {"cms"},
]
QUESTION_CORE = "courses.questions"
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


# Where views are wired to URLs: the only modules that import a view module.
URL_MODULES = {"urls", "wagtail_hooks"}


def test_no_view_module_imports_another():
    """Views are pages, not libraries: what two views share lives in a non-view module.
    Only the URL configuration (urls.py, and wagtail_hooks.py for the admin's URLs) imports
    views; a view module, a receiver or a service never does."""
    modules, graph = module_graph()
    found = [
        f"{modules[importer].relative_to(ROOT)}:{line} imports {imported}"
        for importer, imports in sorted(graph.items())
        for imported, line in sorted(imports.items())
        if is_view_module(imported) and importer.rsplit(".", 1)[-1] not in URL_MODULES
    ]
    assert found == []


def test_the_view_check_sees_a_view_imported_by_a_view(tmp_path):
    source = tmp_path / "teacher_views.py"
    source.write_text("from . import admin_views\nfrom classrooms.views import home\n")
    modules = {
        "classrooms.teacher_views": source,
        "classrooms.admin_views": source,
        "classrooms.views": source,
        "classrooms": source,
    }
    found = {name for name, _line in imported_modules("classrooms.teacher_views", source, modules)}
    assert {name for name in found if is_view_module(name)} == {
        "classrooms.admin_views",
        "classrooms.views",
    }


# Folders of scripts run by path (``python bench/load.py``): their modules import each other
# by bare name, the script's own folder being first on the path.
SCRIPT_FOLDERS = ("bench", "scripts")

LINE_LIMIT = 500


def module_files():
    """{dotted module name: path} for every module of the project's packages and script
    folders, migrations left out (Django writes them; they import nothing of ours)."""
    found = {}
    for package in [*LAYER_OF, *SCRIPT_FOLDERS]:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            if package in SCRIPT_FOLDERS:
                parts = (package, *parts[1:])
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _importing_package(dotted, path):
    """The package a relative import in ``path`` (module ``dotted``) starts from."""
    return dotted if path.name == "__init__.py" else dotted.rpartition(".")[0]


def imported_modules(dotted, path, modules):
    """The project modules ``path`` imports, at module level or inside a function.

    An import names the module it names: ``from courses.models.learning import Enrolment``
    is an arrow to courses/models/learning.py, ``from courses import services`` one to
    courses/services.py. The package's ``__init__`` counts only when it is named itself.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    script_folder = dotted.split(".")[0] if dotted.split(".")[0] in SCRIPT_FOLDERS else None

    def known(name):
        if name in modules:
            return name
        if script_folder and f"{script_folder}.{name}" in modules:
            return f"{script_folder}.{name}"
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _importing_package(dotted, path)
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            targets = []
            for alias in node.names:
                submodule = known(f"{base}.{alias.name}")
                targets.append(submodule or base)
        else:
            continue
        for target in targets:
            name = known(target)
            if name and name != dotted:
                yield name, node.lineno


def module_graph():
    modules = module_files()
    graph = {}
    for dotted, path in modules.items():
        for imported, line in imported_modules(dotted, path, modules):
            graph.setdefault(dotted, {}).setdefault(imported, line)
    return modules, graph


def circles_in(graph):
    """Every circle of the graph, once each, as the list of its nodes (Tarjan's strongly
    connected components: a component of two or more nodes is a circle)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_no_import_circle_between_modules():
    """No module imports another that imports it back, directly or round a longer circle,
    whether the imports stand at the top of the file or inside a function."""
    modules, graph = module_graph()
    described = []
    for circle in circles_in(graph):
        members = set(circle)
        arrows = [
            f"{modules[a].relative_to(ROOT)}:{line} -> {b}"
            for a in circle
            for b, line in sorted(graph.get(a, {}).items())
            if b in members
        ]
        described.append(arrows)
    assert described == []


def test_the_circle_check_sees_circles():
    """The check above finds a circle of two, one of three, and none in a chain."""
    assert circles_in({"a": {"b": 1}, "b": {"a": 1}}) == [["a", "b"]]
    assert circles_in({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}) == [
        ["a", "b", "c"]
    ]
    assert circles_in({"a": {"b": 1}, "b": {"c": 1}}) == []


def test_imports_inside_functions_and_relative_imports_are_read(tmp_path):
    source = tmp_path / "pages.py"
    source.write_text(
        "from .learning import Enrolment\n"
        "def view():\n"
        "    from courses import services\n"
        "    import courses.forms\n",
        encoding="utf-8",
    )
    modules = {
        "courses.models.pages": source,
        "courses.models.learning": source,
        "courses.services": source,
        "courses.forms": source,
        "courses": source,
    }
    found = {name for name, _line in imported_modules("courses.models.pages", source, modules)}
    assert found == {"courses.models.learning", "courses.services", "courses.forms"}


def python_files_outside_tests():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        top = relative.parts[0]
        if top in {"tests", ".venv", "node_modules"} or top.startswith("."):
            continue
        if "migrations" in relative.parts or "site-packages" in relative.parts:
            continue
        yield relative


def test_no_python_file_outside_tests_and_migrations_is_over_the_line_limit():
    too_long = []
    for relative in python_files_outside_tests():
        lines = len((ROOT / relative).read_text(encoding="utf-8").splitlines())
        if lines > LINE_LIMIT:
            too_long.append(f"{relative}: {lines} lines")
    assert too_long == []


def absolute_imports(path):
    """``(dotted name, line)`` of every import in ``path``, relative ones resolved."""
    here = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = here.split(".")[: -node.level] if node.level else []
            yield ".".join([*base, *([node.module] if node.module else [])]), node.lineno


def test_question_core_imports_only_the_standard_library_and_itself():
    """No courses model, no Django ORM, no Django at all: the core is plain Python that the
    models, services and views build on, never the other way round."""
    core = ROOT.joinpath(*QUESTION_CORE.split("."))
    outside = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path in sorted(core.rglob("*.py"))
        for name, line in absolute_imports(path)
        if not (
            name == QUESTION_CORE
            or name.startswith(QUESTION_CORE + ".")
            or name.split(".")[0] in sys.stdlib_module_names
        )
    ]
    assert list(core.rglob("*.py")), "the question core has moved: update QUESTION_CORE"
    assert outside == []
