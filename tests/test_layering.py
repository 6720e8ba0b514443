"""The packages' layering: data flows one way, and no module imports one above its own layer.

Layers, low to high (a module may import its own layer and the layers below it):

0. **ground floor** (top-level modules that know nothing of scenarios): ``errors``,
   ``_version``, ``kpis`` (the KPI catalogue), ``metrics``, ``formatting``, ``stats``
   (intervals across replications), ``streams`` (random streams), ``palette`` (function
   colours), ``tabular`` (safe CSV), ``output`` (safe file writing), ``suggest``
   (``did_you_mean``), ``literal_text`` (matplotlib text shown as typed), ``functions``
   (the functions a unit does, and their groups), ``money`` (discounting and the default
   discount rate).
1. **scenario**: ``scenario/`` (the format) and ``resources`` (the memory a scenario will
   need: it reads the scenario's checks, so it stands on the scenario layer).
2. **org**: ``org/``, the reporting-line model.
3. **io** and **charting**, beside org: they read the org; org never imports them, and they
   do not import each other.
4. **sim**: ``sim/``, the engine, and ``results`` (what replications of a run produced, with
   their intervals: the engine's output, read by every layer above).
5. **experiment**: ``experiment/`` and ``simulate`` (replications of a run on an executor).
6. **assess** and **calibrate**: studies that run the engine (``assess`` uses its closed
   form, ``calibrate`` runs simulations); they do not import each other.
7. **report**: ``report/``, documents (it reads the readiness checklist of ``assess``).
8. **workflows**: ``workflows/``, what a command does from inputs to a written report
   (compare, business case, sweeps), shared by every front end.
9. **front ends**: ``cli/``, ``studio/`` (the local Shiny app), ``__main__`` and the package
   itself (``ccosim/__init__.py``, the public API, which gathers names from every layer).

Every import counts, at the top of a module, inside a function or under ``if TYPE_CHECKING:``.
Import cycles among modules are refused too: those of the imports that run at import time (a
module's top level, including the package ``__init__`` that importing a submodule runs), and
those that function-local or type-only imports would close (they hide a real dependency).
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass
from pathlib import Path

import ccosim

PACKAGE = Path(ccosim.__file__).parent
ROOT = PACKAGE.parent

#: (layer name, its members); a member is a top-level module or a package, by dotted name.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "ground floor",
        (
            "ccosim.errors",
            "ccosim._version",
            "ccosim.kpis",
            "ccosim.metrics",
            "ccosim.formatting",
            "ccosim.stats",
            "ccosim.streams",
            "ccosim.palette",
            "ccosim.tabular",
            "ccosim.output",
            "ccosim.suggest",
            "ccosim.literal_text",
            "ccosim.functions",
            "ccosim.money",
            "ccosim.yaml_text",
            "ccosim.bands",
        ),
    ),
    ("scenario", ("ccosim.scenario", "ccosim.resources")),
    ("org", ("ccosim.org",)),
    ("io and charting", ("ccosim.io", "ccosim.charting")),
    ("sim", ("ccosim.sim", "ccosim.results")),
    ("experiment", ("ccosim.experiment", "ccosim.simulate")),
    ("assess and calibrate", ("ccosim.assess", "ccosim.calibrate")),
    ("report", ("ccosim.report",)),
    ("workflows", ("ccosim.workflows",)),
    ("front ends", ("ccosim.cli", "ccosim.studio", "ccosim.__main__", "ccosim")),
)
#: Layers whose members stand side by side and may not import each other.
SIBLINGS = {"io and charting", "assess and calibrate"}


@dataclass(frozen=True)
class Import:
    """One import of a ccosim module by another."""

    source: str  # importing module
    target: str  # imported module
    path: Path
    line: int
    text: str  # the statement as written
    runs_at_import: bool  # at module level and not under ``if TYPE_CHECKING:``

    def where(self) -> str:
        """``ccosim/org/graph.py:12: from ccosim.sim import x``."""
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.text}"


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The ccosim module that ``name`` (a module, or a name inside one) lives in."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    return [
        f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
        for alias in node.names
    ]


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _imports() -> list[Import]:
    found: list[Import] = []
    for module, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        _visit(ast.parse(text, filename=str(path)), True, module, path, text, found)
    return found


def _visit(
    node: ast.AST,
    runs: bool,
    module: str,
    path: Path,
    text: str,
    found: list[Import],
) -> None:
    """Add the ccosim imports under ``node`` to ``found``; ``runs``: at import time."""
    is_package = path.name == "__init__.py"
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            statement = " ".join((ast.get_source_segment(text, child) or "").split())
            names = _targets(child, module, is_package)
            targets = {_resolve(n) for n in names if n.startswith("ccosim")} - {None, module}
            for target in sorted(targets):  # type: ignore[type-var]
                found.append(Import(module, target, path, child.lineno, statement, runs))
        nested = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        runs_child = runs and not nested and not _is_type_checking(child)
        _visit(child, runs_child, module, path, text, found)


IMPORTS = _imports()


def _layer_of(module: str) -> tuple[int, str, str] | None:
    """(rank, layer name, member) of ``module``: its longest matching member."""
    best = None
    for rank, (name, members) in enumerate(LAYERS):
        for member in members:
            inside = module == member or (member != "ccosim" and module.startswith(member + "."))
            if inside and (best is None or len(member) > len(best[2])):
                best = (rank, name, member)
    return best


def test_every_module_has_a_layer():
    missing = [m for m in MODULES if _layer_of(m) is None]
    assert not missing, (
        "modules in no layer (add each to LAYERS in tests/test_layering.py, and to "
        f"docs/ARCHITECTURE.md): {', '.join(missing)}"
    )


def test_no_module_imports_a_higher_layer():
    wrong = []
    for imp in IMPORTS:
        source, target = _layer_of(imp.source), _layer_of(imp.target)
        if source is None or target is None:
            continue  # reported by test_every_module_has_a_layer
        if target[0] > source[0]:
            wrong.append(
                f"{imp.where()}\n    {imp.source} ({source[1]}, layer {source[0]}) imports "
                f"{imp.target} ({target[1]}, layer {target[0]}): a lower layer may not "
                "import a higher one"
            )
        elif target[0] == source[0] and source[1] in SIBLINGS and source[2] != target[2]:
            wrong.append(
                f"{imp.where()}\n    {source[2]} and {target[2]} stand side by side "
                f"({source[1]}): neither may import the other"
            )
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def _import_graph(*, at_import_time: bool) -> dict[str, dict[str, Import]]:
    """Module -> modules it imports, each with the import that does it.

    With ``at_import_time``, only the imports that run when the module is imported; else
    every import (function-local and type-only ones too).
    """
    graph: dict[str, dict[str, Import]] = {m: {} for m in MODULES}
    for imp in IMPORTS:
        if at_import_time and not imp.runs_at_import:
            continue
        graph[imp.source].setdefault(imp.target, imp)
        # Importing ccosim.a.b first runs ccosim/a/__init__.py (the root package is left out:
        # every module runs it, and it imports nothing that imports it back by name).
        parent = imp.target.rpartition(".")[0]
        while parent and parent != "ccosim":
            if imp.source != parent and not imp.source.startswith(parent + "."):
                graph[imp.source].setdefault(parent, imp)
            parent = parent.rpartition(".")[0]
    return graph


def _cycles(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph[nxt])))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)
    return [_cycle_in(graph, set(group)) for group in groups]


def _cycle_in(graph: dict[str, dict[str, Import]], group: set[str]) -> list[str]:
    """A shortest cycle through the group's first module (breadth first)."""
    first = min(group)
    paths = {first: [first]}
    queue = [first]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node]):
            if nxt == first:
                return [*paths[node], first]
            if nxt in group and nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return sorted(group)


def _describe(graph: dict[str, dict[str, Import]]) -> list[str]:
    messages = []
    for cycle in _cycles(graph):
        steps = [graph[a][b].where() for a, b in itertools.pairwise(cycle)]
        messages.append(" -> ".join(cycle) + "\n    " + "\n    ".join(steps))
    return messages


def test_no_import_cycles():
    messages = _describe(_import_graph(at_import_time=True))
    assert not messages, "import cycles:\n" + "\n".join(messages)


def test_no_cycles_hidden_in_function_local_or_type_only_imports():
    """An import inside a function or ``if TYPE_CHECKING:`` that closes a cycle hides one."""
    messages = _describe(_import_graph(at_import_time=False))
    assert not messages, "import cycles through function-local or type-only imports:\n" + (
        "\n".join(messages)
    )


def test_the_checks_see_imports_and_would_catch_a_wrong_one():
    """The test is not vacuous: it sees imports, inside functions too, and ranks them."""
    assert len(IMPORTS) > 300
    assert any(not imp.runs_at_import for imp in IMPORTS), "function-local imports are seen"
    assert _layer_of("ccosim.org.graph")[0] < _layer_of("ccosim.sim.model")[0]
    assert _layer_of("ccosim.charting.org_chart")[1] == _layer_of("ccosim.io.hris.rows")[1]
    assert _layer_of("ccosim")[1] == "front ends"
    assert _layer_of("ccosim.cli.base")[1] == "front ends"
    looped = {"a": {"b": None}, "b": {"c": None}, "c": {"a": None}, "d": {"a": None}}
    assert _cycles(looped) == [["a", "b", "c", "a"]]  # type: ignore[arg-type]


def test_the_architecture_document_names_every_layer_member():
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    members = [m for _, group in LAYERS for m in group if m != "ccosim"]
    missing = [
        m
        for m in members
        if f"`{m.removeprefix('ccosim.')}`" not in text
        and f"`{m.removeprefix('ccosim.')}/`" not in text
    ]
    assert not missing, f"docs/ARCHITECTURE.md does not name: {', '.join(missing)}"
