"""The layered architecture of synthlib, checked from the source (CONTRIBUTING.md, "Layout").

Layers: the **core** is ``synthlib/*.py``; each **Part** is a subpackage ``synthlib/<part>/``
(today ``rmt`` for Part II and ``imbalance`` for Part III; a new subpackage is a new Part
and is checked the same way). The rules:

(a) No import cycle among the modules of ``synthlib/**/*.py``. The graph is read from the
    AST: ``import x`` and ``from x import y`` at module level and inside functions, relative
    imports resolved; ``from pkg import name`` is an edge to ``pkg.name`` when that is a
    module and to ``pkg`` otherwise.
(b) The core holds nothing Part-specific:
    1. no core module imports a Part;
    2. every core module that is not infrastructure is used by at least two *consumers*,
       a consumer being a Part (any of its modules imports the core module, or imports one
       of its names from ``synthlib``) or the chapters of one Part of the book (a chapter of
       ``_toc.yml``'s "Part …" caption imports the module or one of its names from
       ``synthlib``). Infrastructure (``INFRASTRUCTURE`` below: validation, random streams,
       Monte-Carlo summaries, plotting, deprecation, BLAS threads, the shared ridge routine)
       is exempt from the two-consumer rule but must be used somewhere.
(c) Parts do not import each other, and a module other than an ``__init__.py`` never imports
    a package (``synthlib``, a Part, a subpackage): it imports the private module that defines
    the name, so a package's ``__init__`` can re-export anything without creating a cycle.
(d) pylint's duplicate-code check (settings in pyproject.toml: 6 similar lines, imports,
    docstrings, comments and signatures ignored) finds no repeated code in ``synthlib/``;
    a block made only of the names of an ``__all__`` list (a re-export) is not code.
(e) Every name in every ``__all__`` exists and is documented: a function, class or module
    has its own docstring; a constant has a ``#:`` comment above its assignment (the
    Sphinx convention) or is described in its module's docstring.
"""
from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import json
import re
import subprocess
import sys
import warnings
from collections import defaultdict
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "synthlib"

#: core modules exempt from the two-consumer rule (b)2, with the reason
INFRASTRUCTURE = {
    "synthlib._validation": "argument checks and ConvergenceError, used by every module",
    "synthlib._random": "check_random_state and spawn, the seed policy",
    "synthlib._stats": "MonteCarloSummary, the one Monte-Carlo result type",
    "synthlib._plotting": "the book's one figure style",
    "synthlib._deprecation": "aliases for renamed public names",
    "synthlib._threads": "BLAS thread control",
    "synthlib._ridge": "the one ridge-over-nested-prefixes routine",
}


# ----------------------------------------------------------------------------- the module graph

def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    """synthlib's modules by dotted name (a package ``x/__init__.py`` shadows a stray ``x.py``)."""
    found = {}
    for path in sorted(PKG.rglob("*.py"), key=lambda p: p.name == "__init__.py"):
        if "__pycache__" not in path.parts:
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(module: str, level: int, target: str | None) -> str:
    """The absolute name of a (possibly relative) import inside ``module``."""
    if level == 0:
        return target or ""
    base = module.split(".") if _is_package(module) else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def _deepest_module(name: str) -> str | None:
    parts = name.split(".")
    for k in range(len(parts), 0, -1):
        candidate = ".".join(parts[:k])
        if candidate in MODULES:
            return candidate
    return None


def _parse(source: str, filename: str = "<chapter>") -> ast.AST:
    with warnings.catch_warnings():  # invalid escapes are ruff's business (W605), not this test's
        warnings.simplefilter("ignore", (SyntaxWarning, DeprecationWarning))
        return ast.parse(source, filename=filename)


def _imports(module: str) -> list[tuple[str, str | None, int]]:
    """(imported synthlib module, imported name or None, line) for every import of ``module``."""
    tree = _parse(MODULES[module].read_text(), str(MODULES[module]))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _deepest_module(alias.name)
                if target:
                    out.append((target, None, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node.level, node.module)
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:
                    out.append((f"{base}.{alias.name}", None, node.lineno))
                elif base in MODULES:
                    out.append((base, alias.name, node.lineno))
    return out


GRAPH = {m: sorted({t for t, _, _ in _imports(m)}) for m in MODULES}


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """One cycle (as a path) per strongly connected component that has one (Tarjan)."""
    index, low, stack, on_stack, sccs = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, []):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1 or v in graph.get(v, []):
                sccs.append(set(scc))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    cycles = []
    for scc in sccs:  # walk inside the component back to its first node
        start = min(scc)
        path, seen = [start], {start}
        while True:
            nxt = next(w for w in graph[path[-1]] if w in scc and (w == start or w not in seen))
            if nxt == start:
                break
            path.append(nxt)
            seen.add(nxt)
        cycles.append(path + [start])
    return cycles


def _part_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and (PKG / parts[1] / "__init__.py").exists() else None


CORE = sorted(m for m in MODULES if m != "synthlib" and _part_of(m) is None)
PARTS = sorted({_part_of(m) for m in MODULES} - {None})


def test_the_graph_is_read():
    """Guard against a parser that finds nothing: known edges must be there."""
    assert {"rmt", "imbalance"} <= set(PARTS)
    assert "synthlib._random" in GRAPH["synthlib"]
    assert any(t.startswith("synthlib.rmt.") for t in GRAPH["synthlib.rmt"])
    assert "synthlib._validation" in CORE
    assert _cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c", "a"]]
    assert _cycles({"a": ["b"], "b": []}) == []


def test_no_import_cycle():
    cycles = _cycles(GRAPH)
    assert not cycles, "import cycles:\n" + "\n".join("  " + " -> ".join(c) for c in cycles)


# ----------------------------------------------------------------------------- core vs Parts

def _core_name_owner() -> dict[str, str]:
    """Public name of ``synthlib`` -> the core module that defines it."""
    import synthlib

    owner = {}
    for module in CORE:
        for name in getattr(importlib.import_module(module), "__all__", []):
            owner.setdefault(name, module)
    for name in synthlib.__all__:
        defined_in = getattr(getattr(synthlib, name), "__module__", None)
        if defined_in in CORE:
            owner[name] = defined_in
    return owner


def _chapter_code(path: Path) -> str:
    cells = [c.source for c in jupytext.read(path).cells if c.cell_type == "code"]
    lines = [ln for src in cells for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    return "\n".join(lines)


def _chapters_by_part() -> dict[str, list[Path]]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return {part["caption"]: [ROOT / f"{c['file']}.md" for c in part.get("chapters", [])]
            for part in toc["parts"] if part["caption"].startswith("Part ")}


def _core_modules_used_by_code(tree: ast.AST, owner: dict[str, str]) -> set[str]:
    """Core modules a chapter uses: imported directly, or through names of ``synthlib``."""
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "synthlib":
                used |= {owner[a.name] for a in node.names if a.name in owner}
            elif _deepest_module(node.module) in CORE:
                used.add(_deepest_module(node.module))
        elif isinstance(node, ast.Import):
            used |= {_deepest_module(a.name) for a in node.names} & set(CORE)
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.value.id == "synthlib" and node.attr in owner):
            used.add(owner[node.attr])
    return used


def _consumers() -> dict[str, set[str]]:
    owner = _core_name_owner()
    consumers = defaultdict(set)
    for module in MODULES:
        part = _part_of(module)
        if part is None:
            continue
        for target, name, _ in _imports(module):
            if target in CORE:
                consumers[target].add(f"synthlib.{part}")
            elif target == "synthlib" and name in owner:
                consumers[owner[name]].add(f"synthlib.{part}")
    for caption, chapters in _chapters_by_part().items():
        for chapter in chapters:
            for core in _core_modules_used_by_code(_parse(_chapter_code(chapter), str(chapter)), owner):
                consumers[core].add(f"chapters of {caption}")
    return consumers


def test_core_imports_no_part():
    bad = [f"{m}:{line} imports {t}" for m in CORE + ["synthlib"] for t, _, line in _imports(m)
           if _part_of(t) is not None]
    assert not bad, "the core imports a Part:\n  " + "\n  ".join(bad)


def test_every_core_module_serves_two_consumers_or_is_infrastructure():
    consumers = _consumers()
    importers = {t for m in MODULES for t in GRAPH[m]}
    problems = []
    for module in CORE:
        who = sorted(consumers.get(module, ()))
        if module in INFRASTRUCTURE:
            if module not in importers and not who:
                problems.append(f"{module}: infrastructure that nothing uses")
        elif len(who) < 2:
            problems.append(f"{module}: used by {who or 'nothing'}; a core module needs two consumers "
                            f"(Parts, or chapters of two Parts) — move it into its Part")
    assert not problems, "\n".join(problems)


def test_parts_do_not_import_each_other():
    bad = [f"{m}:{line} imports {t}" for m in MODULES if _part_of(m)
           for t, _, line in _imports(m) if _part_of(t) not in (None, _part_of(m))]
    assert not bad, "a Part imports another Part:\n  " + "\n  ".join(bad)


def test_modules_import_private_modules_not_packages():
    bad = [f"{m}:{line} imports the package {t}" for m in MODULES if not _is_package(m)
           for t, _, line in _imports(m) if _is_package(t)]
    assert not bad, "import the defining private module instead:\n  " + "\n  ".join(bad)


# ----------------------------------------------------------------------------- repeated code

_NAME_LIST_LINE = re.compile(r'^\s*(__all__\s*[+]?=\s*\[|["\'][A-Za-z_][A-Za-z0-9_]*["\'],?|\]|#.*|)\s*$')


def _is_name_list(block: list[str]) -> bool:
    return all(_NAME_LIST_LINE.match(line) for line in block)


def test_no_repeated_code():
    proc = subprocess.run([sys.executable, "-m", "pylint", "--rcfile", str(ROOT / "pyproject.toml"),
                           "--disable=all", "--enable=duplicate-code", "--output-format=json", "synthlib"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 8), f"pylint failed to run:\n{proc.stderr}"  # 8 = refactor messages
    repeats = []
    for message in json.loads(proc.stdout or "[]"):
        text = message["message"]
        head, _, body = text.partition("\n==")
        block = [ln for ln in body.splitlines() if not ln.startswith("==")][1:]
        if not _is_name_list(block):
            repeats.append("==" + body)
    assert not repeats, f"{len(repeats)} repeated blocks (pylint duplicate-code):\n\n" + "\n\n".join(repeats)


def test_name_list_filter():
    assert _is_name_list(['__all__ = [', '    "theory",', '    "simulate",'])
    assert not _is_name_list(['    rng = check_random_state(random_state)', '    "theory",'])


# ----------------------------------------------------------------------------- __all__

def _own_docstring(obj) -> str:
    doc = obj.__doc__ if isinstance(obj.__doc__, str) else ""
    if inspect.isclass(obj) and dataclasses.is_dataclass(obj) and doc.startswith(f"{obj.__name__}("):
        return ""  # the signature dataclasses write when a class has no docstring
    return doc.strip()


def _constant_documented(module, name: str) -> bool:
    if name in (module.__doc__ or ""):
        return True
    source = inspect.getsource(module).splitlines()
    for node in _parse("\n".join(source)).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return node.lineno >= 2 and source[node.lineno - 2].lstrip().startswith("#:")
    return False


def test_the_public_packages_have_an_all():
    for name in ["synthlib"] + [f"synthlib.{p}" for p in PARTS]:
        assert importlib.import_module(name).__all__, name


@pytest.mark.parametrize("module_name", [m for m in MODULES if "__all__" in MODULES[m].read_text()])
def test_every_name_in_all_exists_and_is_documented(module_name):
    module = importlib.import_module(module_name)
    problems = []
    assert len(set(module.__all__)) == len(module.__all__), f"{module_name}.__all__ repeats a name"
    for name in module.__all__:
        if not hasattr(module, name):
            problems.append(f"{name}: listed in __all__ but missing")
            continue
        obj = getattr(module, name)
        if inspect.isroutine(obj) or inspect.isclass(obj) or inspect.ismodule(obj):
            if not _own_docstring(obj):
                problems.append(f"{name}: no docstring")
        else:
            home = importlib.import_module(next((m for m in MODULES if _constant_home(m, name)), module_name))
            if not _constant_documented(home, name):
                problems.append(f"{name}: constant without a '#:' comment or a mention in the module docstring")
    assert not problems, f"{module_name}:\n  " + "\n  ".join(problems)


def _constant_home(module_name: str, name: str) -> bool:
    """Whether ``module_name`` assigns ``name`` itself (rather than importing it)."""
    tree = _parse(MODULES[module_name].read_text())
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return True
    return False
