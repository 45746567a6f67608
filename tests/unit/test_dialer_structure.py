"""The dialer package's own imports: no private names across modules, no import cycles.

Function-level imports count too: a cycle hidden in a function (``dnc`` importing ``loader``
inside a function while ``loader`` imports ``dnc``) is still two modules that need each other.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

DIALER = Path(__file__).resolve().parents[2] / "agentdesk" / "dialer"


def _imports(path: Path) -> list[ast.ImportFrom]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("agentdesk")
    ]


def test_no_dialer_module_imports_a_private_name() -> None:
    private = [
        f"{path.name}: from {node.module} import {alias.name}"
        for path in sorted(DIALER.glob("*.py"))
        for node in _imports(path)
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert private == []


def test_dialer_modules_do_not_import_each_other_in_a_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for path in DIALER.glob("*.py"):
        needs = graph.setdefault(path.stem, set())
        for node in _imports(path):
            module = node.module or ""
            if module.startswith("agentdesk.dialer."):
                needs.add(module.removeprefix("agentdesk.dialer.").split(".")[0])
            elif module == "agentdesk.dialer":
                needs.update(alias.name for alias in node.names)
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"import cycle: {' -> '.join(exc.args[1])}") from None
