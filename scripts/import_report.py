#!/usr/bin/env python3
"""Count what ARCHITECTURE.md promises about imports, from the source alone (no Django needed).

    python scripts/import_report.py            # prints the three counts; exits 1 unless all are met

- imports that run up a layer (a module of a lower layer importing a higher one, tests included);
- circles between modules (strongly connected groups in the module import graph, lazy imports included,
  imports under `if TYPE_CHECKING:` left out: they never run);
- function-level imports in app code (outside tests) without a comment saying why, on the line or above.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["lpsaring", "portal", "billing", "quota", "accounts", "routers", "sites", "core"]  # top to bottom
PACKAGES = [*LAYERS, "routeros_sim"]


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports_of(tree: ast.AST, name: str, known: dict[str, Path]):
    """(imported module, line, is function-level) for each project import in the tree."""
    package = name if known[name].name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                ).strip(".")
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target, node.lineno, getattr(node, "_lps_nested", False)


def mark_nested(tree: ast.AST) -> None:
    """Flag imports inside functions, and drop those only type checkers read (no runtime edge)."""
    for block in ast.walk(tree):
        if (
            isinstance(block, ast.If)
            and getattr(block.test, "id", getattr(block.test, "attr", "")) == "TYPE_CHECKING"
        ):
            block.body = []
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    node._lps_nested = True


def commented(lines: list[str], lineno: int) -> bool:
    line = lines[lineno - 1]
    above = lines[lineno - 2].strip() if lineno > 1 else ""
    return "#" in line or above.startswith("#")


def layer_of(module: str) -> int | None:
    top = module.split(".")[0]
    return LAYERS.index(top) if top in LAYERS else None


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; only groups of two or more modules."""
    index, low, on_stack, stack, groups, counter = {}, {}, set(), [], [], [0]
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
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
                        groups.append(sorted(group))
    return groups


def report() -> dict[str, list]:
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    upward, uncommented = [], []
    for name, path in known.items():
        source = path.read_text()
        tree = ast.parse(source)
        mark_nested(tree)
        lines = source.splitlines()
        is_test = ".tests" in name or name.startswith("core.testing")
        for target, lineno, nested in imports_of(tree, name, known):
            graph[name].add(target)
            low, high = layer_of(name), layer_of(target)
            if low is not None and high is not None and high < low:
                upward.append(f"{path.relative_to(ROOT)}:{lineno} imports {target}")
            if nested and not is_test and not commented(lines, lineno):
                uncommented.append(f"{path.relative_to(ROOT)}:{lineno} imports {target} inside a function")
    return {
        "upward": upward,
        "circles": [" <-> ".join(group) for group in strongly_connected(graph)],
        "uncommented": uncommented,
    }


def main() -> int:
    found = report()
    labels = {
        "upward": "imports that run up a layer",
        "circles": "circles between modules",
        "uncommented": "function-level imports in app code without a comment",
    }
    for key, label in labels.items():
        print(f"{label}: {len(found[key])}")
        for item in found[key]:
            print(f"  {item}")
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
