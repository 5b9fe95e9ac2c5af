"""The package's plan, kept true: each module imports only from its own layer or those below it,
the engine from nothing but the standard library, and no blueprint from another blueprint."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import selector

PACKAGE = Path(selector.__file__).parent

#: Lowest first. A module belongs to the layer of its folder, or of its own name at the top.
LAYERS: list[set[str]] = [
    {"engine"},
    {"settings", "extensions", "language", "shared_cache", "models"},
    {"decisions"},
    {"schemas", "forms"},
    {"content"},
    {"search"},
    {"edge"},
    {"web"},
    {"__init__", "cli"},
]


def _rank(module: str) -> int:
    """The layer of a dotted module name under selector ('selector' itself is the factory)."""
    part = module.split(".")[1] if "." in module else "__init__"
    return next(rank for rank, names in enumerate(LAYERS) if part in names)


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[:2] == ("content", "files"):
            continue  # the guide's code samples run in their own environments
        parts = ["selector", *relative.with_suffix("").parts]
        if parts[-1] == "__init__" and len(parts) > 2:
            parts.pop()
        found[".".join(parts).removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _imports(module: str) -> set[str]:
    """Every module this one imports, at the top or inside a function, resolved to a name."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if f"{node.module}.{alias.name}" in MODULES
            )
    return names


def _own(names: set[str]) -> set[str]:
    return {name for name in names if name in MODULES and name != "selector"}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_from_a_layer_above_its_own(module: str) -> None:
    above = {name for name in _own(_imports(module)) if _rank(name) > _rank(module)}
    assert not above, f"{module} (layer {_rank(module)}) imports {sorted(above)}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _rank(m) == 0))
def test_the_engine_imports_only_the_standard_library_and_itself(module: str) -> None:
    outside = {
        name
        for name in _imports(module)
        if name.split(".")[0] not in sys.stdlib_module_names
        and not name.startswith("selector.engine")
    }
    assert not outside, f"{module} imports {sorted(outside)}"


def _blueprints() -> set[str]:
    return {
        module
        for module, path in MODULES.items()
        if any(
            isinstance(node, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id == "bp" for target in node.targets)
            for node in ast.parse(path.read_text()).body
        )
    }


BLUEPRINTS = _blueprints()


@pytest.mark.parametrize("module", sorted(BLUEPRINTS))
def test_no_blueprint_imports_another(module: str) -> None:
    others = (_own(_imports(module)) & BLUEPRINTS) - {module}
    assert not others, f"{module} imports the blueprints {sorted(others)}"


def test_the_plan_sees_every_module_and_every_blueprint() -> None:
    # A folder added without a layer, or blueprints that moved, would make the tests above vacuous.
    assert all(_rank(module) >= 0 for module in MODULES)
    # Each folder of the plan holds modules the rules are checked on: the search layer, for one,
    # reads the content layer's snapshot, and the content layer must never import it.
    folders = {module.split(".")[1] for module in MODULES if module.count(".") > 1}
    assert folders >= {"engine", "decisions", "content", "search", "edge", "web"}
    assert {m.rsplit(".", 1)[1] for m in BLUEPRINTS} >= {"article", "decide", "api", "search"}
    assert all(m.startswith("selector.web.") for m in BLUEPRINTS)


def test_a_violation_is_seen(tmp_path: Path) -> None:
    # The import reader must find an upward import written inside a function, as the factory does.
    MODULES["selector.engine.probe"] = tmp_path / "probe.py"
    try:
        MODULES["selector.engine.probe"].write_text(
            "def f():\n    from selector.web import decide\n"
        )
        assert "selector.web.decide" in _own(_imports("selector.engine.probe"))
        assert _rank("selector.web.decide") > _rank("selector.engine.probe")
    finally:
        del MODULES["selector.engine.probe"]
