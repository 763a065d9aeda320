"""The package's import graph has no circles: imports inside functions count too (they only hide one)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.sitebuild import PROJECT

PACKAGE = "medsite"


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted((PROJECT / PACKAGE).rglob("*.py"))}


def imports(path: Path, known: set[str], name: str | None = None) -> set[str]:
    """Every module of the package that `path` (module `name`) imports, wherever the statement stands."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from medsite import x`
    return {module for module in found if module in known and module != name}


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(path, set(found)) for name, path in found.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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
            visit(node)
    return found


def test_the_package_has_no_import_circles():
    found = circles(import_graph())
    assert found == [], "import circles: " + "; ".join(" <-> ".join(circle) for circle in found)


def test_the_circle_finder_finds_circles_through_function_level_imports(tmp_path):
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from medsite.core.problems import Problem\n", encoding="utf-8")
    assert imports(module, set(modules()), "medsite.m") == {"medsite.core.problems"}


def feature(module: str) -> str:
    """The feature package a module belongs to (`medsite.citations.syntax` -> `medsite.citations`)."""
    return ".".join(module.split(".")[:2])


def test_medsite_is_grouped_by_feature_and_the_features_have_no_circles():
    """Every module lives in a feature package (only `python -m medsite`'s __main__ stands beside them), and
    the packages import each other one way only: each can be read with what it stands on."""
    flat = sorted(path.name for path in (PROJECT / PACKAGE).glob("*.py")
                  if path.name not in ("__init__.py", "__main__.py"))
    assert flat == [], f"modules outside a feature package: {flat}"
    graph: dict[str, set[str]] = {}
    for module, imported in import_graph().items():
        graph.setdefault(feature(module), set()).update(
            feature(other) for other in imported if feature(other) != feature(module))
    found = circles(graph)
    assert found == [], "circles between packages: " + "; ".join(" <-> ".join(circle) for circle in found)


def test_the_readme_lists_every_package_below_what_it_imports():
    """README's layout is the map a newcomer reads: every package of medsite/, each listed after all the
    packages it imports."""
    rows = [line.split("|")[1] for line in (PROJECT / "README.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| `medsite/")]
    listed = [f"medsite.{name}" for row in rows for name in re.findall(r"`medsite/(\w+)/`", row)]
    packages = {f"medsite.{path.parent.name}" for path in (PROJECT / PACKAGE).glob("*/__init__.py")}
    assert sorted(listed) == sorted(packages)
    for module, imported in import_graph().items():
        for other in imported:
            if feature(other) != feature(module) and {feature(module), feature(other)} <= packages:
                below = listed.index(feature(other)) < listed.index(feature(module))
                assert below, f"{module} imports {other}"


ENGINES = ("mkdocs", "properdocs", "zensical", "material")  # the site generators and their theme


def test_the_domain_imports_no_site_generator():
    """medsite/ must outlive MkDocs: no module of it imports an engine, wherever the statement stands
    (the adapters that do are in hooks/)."""
    found = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                targets = [node.module or ""]
            else:
                continue
            found += [f"{name}: {target}" for target in targets if target.split(".")[0] in ENGINES]
    assert modules() and found == []
