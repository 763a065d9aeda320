"""One build context per build (medsite.pipeline.context): every hook reaches the build's state through it, no
module keeps per-build state, each source is read once per build, and the caches meant to outlive a build
(`mkdocs serve` rebuilds) do."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.review_samples import TODAY, article
from tests.sitebuild import PROJECT

MUTABLE_CALLS = {"dict", "list", "set", "Counter", "defaultdict", "OrderedDict", "BuildCaches", "deque"}


def _module_state(path: Path) -> list[str]:
    """Names a module binds at its top level to a mutable container (a literal or a constructor call)."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets, value = ([node.target], node.value) if isinstance(node, ast.AnnAssign) else (
            (node.targets, node.value) if isinstance(node, ast.Assign) else ([], None))
        literal = ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp | ast.SetComp
        mutable = isinstance(value, literal) or (
            isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", None))
            in MUTABLE_CALLS) or (isinstance(value, ast.Tuple) and any(
                isinstance(item, ast.Dict | ast.List | ast.Call) for item in value.elts))
        if mutable:
            found += [target.id for target in targets if isinstance(target, ast.Name)]
    return found


def test_no_module_keeps_per_build_state():
    """A module-level container is a constant (UPPER_CASE, never changed) or one of the few caches meant
    to outlive builds, also upper case: medsite_mkdocs.adapter._CACHES (the context factory's),
    medsite.extensions.citations._WITHOUT_HOOKS (the same where no hooks run), FORMATTED (a counter)."""
    found = [f"{path.relative_to(PROJECT).as_posix()}:{name}"
             for folder in ("medsite", "hooks")  # hooks/ holds the adapter packages too
             for path in sorted((PROJECT / folder).rglob("*.py"))
             for name in _module_state(path) if not name.lstrip("_").isupper()]
    assert found == [], "module-level state outside the build context: " + ", ".join(found)


def test_no_hook_finds_the_build_state_another_way():
    """The catalog, the bibliography, the citation extension and the settings come from the context."""
    for path in sorted((PROJECT / "hooks").glob("*.py")):
        code = path.read_text(encoding="utf-8")
        for other_way in ("CitationsExtension.of(", "isinstance(e, CitationsExtension)", "site_catalog(",
                          "settings(config)", "build_state(", ".content_string", ".content_bytes"):
            assert other_way not in code, f"{path.name} uses {other_way}"


def _opened_during(build, folder: Path) -> list[str]:
    """The files under `folder` opened while `build()` runs (seen by an audit hook: nothing is replaced)."""
    opened: list[str] = []
    watching = [True]

    def audit(event: str, args: tuple) -> None:
        if watching and event == "open" and isinstance(args[0], str | Path) and str(args[0]).startswith(
                str(folder)):
            opened.append(Path(args[0]).relative_to(folder).as_posix())

    sys.addaudithook(audit)  # audit hooks cannot be removed: this one stops recording after the build
    try:
        build()
    finally:
        watching.clear()
    return opened


def test_each_source_is_read_once_per_build(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nSee the [answer](articles/a.md).\n")
    tiny_site.write("docs/articles/a.md", article("Cited text [@debono2010tropic].\n\n## Safety\n\nMore.\n"))
    tiny_site.write("docs/articles/b.md", article("Another answer.\n\nSee [the missing one](gone.md).\n"))
    built = []
    opened = _opened_during(lambda: built.append(tiny_site.build(strict=False)), tiny_site.docs)
    pages = [name for name in opened if name.endswith(".md")]
    assert sorted(pages) == ["articles/a.md", "articles/b.md", "index.md"], opened
    # the broken link's message found its line in the text the build had read (hooks/link_messages.py)
    warnings = built[0].warnings
    assert any("docs/articles/b.md:" in line and "gone.md" in line for line in warnings), built[0].log


def test_each_build_has_its_own_context_and_shares_the_caches(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/articles/a.md", article("First answer.\n"))
    tiny_site.write("docs/articles/b.md", article("Second answer.\n"))
    tiny_site.build()
    adapter = importlib.import_module("medsite_mkdocs.adapter")  # the one the hooks import, once per process
    readings = adapter._CACHES.articles.readings
    first_b = readings["docs/articles/b.md"][1]
    first_catalog = adapter._CACHES.articles.latest[2]
    tiny_site.write("docs/articles/a.md", article("First answer, edited.\n"))
    html = tiny_site.build().html("articles/a.md")
    assert "First answer, edited." in html
    assert readings["docs/articles/b.md"][1] is first_b  # unchanged: not parsed again
    assert adapter._CACHES.articles.latest[2] is not first_catalog  # a new catalog for the changed site


def test_how_a_build_flows_names_every_hook_and_every_event_it_handles():
    """The table in CONTRIBUTING.md is how a newcomer finds where a page's parts come from: never stale."""
    config = yaml.load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    section = (PROJECT / "CONTRIBUTING.md").read_text(encoding="utf-8").split("## How a build flows", 1)[1]
    rows = [line.split("|")[1:4] for line in section.splitlines() if line.startswith("| ")][1:]
    named = {(hook, event.strip().split(" (")[0])
             for event, hooks, _ in rows for hook in re.findall(r"`([a-z_]+\.py)`", hooks)
             for event in event.split(",")}
    for path in config["hooks"]:
        code = (PROJECT / path).read_text(encoding="utf-8")
        for event in re.findall(r"^def on_([a-z_]+)\(", code, flags=re.MULTILINE):
            assert (Path(path).name, event) in named, f"{path} on_{event} is missing from How a build flows"
    assert {hook for hook, _ in named} <= {Path(path).name for path in config["hooks"]}


def test_the_hooks_adapter_is_a_module_of_the_project():
    """hooks/*.py import their shared adapter as `medsite_mkdocs.adapter`, a package the project installs
    from hooks/ (medsite/ imports no MkDocs): importable from anywhere, not only because MkDocs puts the
    hooks' folder on sys.path while it loads them; and no module of that name hides in hooks/."""
    assert not (PROJECT / "hooks" / "medsite_mkdocs.py").exists()
    found = subprocess.run([sys.executable, "-c", "import medsite_mkdocs.adapter as a; print(a.__file__)"],
                           cwd=PROJECT.parent, capture_output=True, text=True, check=False)
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()) == PROJECT / "hooks" / "medsite_mkdocs" / "adapter.py"
    for path in sorted((PROJECT / "hooks").glob("*.py")):
        code = path.read_text(encoding="utf-8")
        assert "sys.path" not in code, path.name
        if "medsite_mkdocs" in code:
            assert "from medsite_mkdocs.adapter import " in code, path.name
