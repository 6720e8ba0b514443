"""The code's shape stays easy to extend: small classes and kernels with named inputs.

ruff holds the per-function limits (C901 at most 15, at most 12 parameters; pyproject.toml).
This holds what ruff cannot: no class keeps more than 25 attributes (the engine at most 20;
each mechanism owns its state in a component), and no compiled kernel takes more than 12
positional arguments (inputs travel as named tuples). docs/ARCHITECTURE.md, "Rules".
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import ccosim
from ccosim.sim import kernels
from ccosim.sim.model import Engine

PACKAGE = Path(ccosim.__file__).parent
MAX_CLASS_ATTRIBUTES = 25
MAX_ENGINE_ATTRIBUTES = 20
MAX_KERNEL_ARGUMENTS = 12


def _attributes(node: ast.ClassDef) -> set[str]:
    """Names a class gives its instances.

    Class-level annotations (dataclass, pydantic and named tuple fields), ``__slots__`` and
    every ``self.X = ...`` in its methods.
    """
    names: set[str] = set()
    for item in node.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            if not item.target.id.isupper():  # constants are not instance state
                names.add(item.target.id)
        elif isinstance(item, ast.Assign):
            for target in item.targets:
                if isinstance(target, ast.Name) and target.id == "__slots__":
                    names.update(
                        elt.value
                        for elt in getattr(item.value, "elts", [])
                        if isinstance(elt, ast.Constant)
                    )
    for method in (n for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
        for sub in ast.walk(method):
            targets = (
                sub.targets
                if isinstance(sub, ast.Assign)
                else [sub.target]
                if isinstance(sub, ast.AnnAssign | ast.AugAssign)
                else []
            )
            for target in targets:
                for t in ast.walk(target):
                    if (
                        isinstance(t, ast.Attribute)
                        and isinstance(t.value, ast.Name)
                        and t.value.id == "self"
                    ):
                        names.add(t.attr)
    return names


def _classes() -> dict[str, set[str]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}"
                found[where] = _attributes(node)
    return found


def test_no_class_holds_more_than_25_attributes():
    classes = _classes()
    assert len(classes) > 50, "the scan found too few classes to mean anything"
    big = {k: len(v) for k, v in classes.items() if len(v) > MAX_CLASS_ATTRIBUTES}
    assert not big, f"classes above {MAX_CLASS_ATTRIBUTES} attributes: {big}"


def test_the_engine_wires_components_and_holds_at_most_20_attributes():
    source = inspect.getsource(Engine)
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.ClassDef)
    attributes = _attributes(node)
    assert len(attributes) <= MAX_ENGINE_ATTRIBUTES, sorted(attributes)


def test_the_attribute_count_sees_self_assignments():
    # The scan must count what a class sets, or the two tests above cannot fail.
    code = (
        "class A:\n    x: int\n    def __init__(self):\n        self.y = 1\n        self.z += 1\n"
    )
    node = ast.parse(code).body[0]
    assert isinstance(node, ast.ClassDef)
    assert _attributes(node) == {"x", "y", "z"}


def test_no_kernel_takes_more_than_12_positional_arguments():
    compiled = {
        name: obj
        for name, obj in vars(kernels).items()
        if hasattr(obj, "py_func") and callable(obj)  # numba dispatchers
    }
    assert len(compiled) >= 10, "expected the engine's compiled kernels"
    counts = {name: len(inspect.signature(k.py_func).parameters) for name, k in compiled.items()}
    too_many = {k: n for k, n in counts.items() if n > MAX_KERNEL_ARGUMENTS}
    assert not too_many, too_many
