"""The house rules of the package, checked by reading its source with ``ast``.

* Layers depend one way (docs/ARCHITECTURE.md): the kernel (errors, values, yamlio, jsonout,
  resources) → policy → domain → intake → store → app → report/cli. Nothing imports the CLI,
  the reports or the web (the CLI alone uses the reports).
* No import circles between modules, counting imports inside functions too.
* ``domain`` is pure: no database, no files, no network.
* SQL lives in ``store`` only: no other layer imports SQLAlchemy or SQLModel.
* Every public function has a docstring; a module over 400 lines says why at its top.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "parkeval"
KERNEL = {
    "errors",
    "values",
    "yamlio",
    "jsonout",
    "resources",
    "outputs",
    "limits",
    "__init__",
}
# layer → the layers (or single modules) it may import, besides itself
ALLOWED: dict[str, set[str]] = {
    "kernel": set(),
    "policy": {"kernel"},
    "domain": {"policy", "parkeval.errors"},
    "intake": {"domain", "policy", "kernel"},
    "store": {"intake", "domain", "policy", "kernel"},
    "app": {"store", "intake", "domain", "policy", "kernel"},
    "report": {"app", "domain", "policy", "kernel"},
    "web": {"app", "report", "domain", "policy", "kernel"},
    "cli": {"app", "report", "domain", "policy", "kernel"},
    "entry": {"cli"},
}
PURE_FORBIDDEN = {
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "os",
    "io",
    "pathlib",
    "shutil",
    "tempfile",
    "socket",
    "urllib",
    "http",
    "subprocess",
    "yaml",
    "openpyxl",
    "weasyprint",
    "pypdf",
    "requests",
}
SQL_LIBRARIES = {"sqlalchemy", "sqlmodel", "alembic", "psycopg", "sqlite3"}
LONG_MODULE = 400


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@cache
def tree(module: str) -> ast.Module:
    return ast.parse(modules()[module].read_text(encoding="utf-8"))


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in KERNEL:
        return "kernel" if module != "parkeval.__main__" else "entry"
    return "entry" if parts[1] == "__main__" else parts[1]


def imports(module: str) -> list[tuple[str, int]]:
    """(imported name, line) for every import in the module, functions and TYPE_CHECKING included."""
    out = []
    for node in ast.walk(tree(module)):
        if isinstance(node, ast.Import):
            out.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:  # relative: resolve against the importing package
                package = (
                    module if modules()[module].name == "__init__.py" else module.rpartition(".")[0]
                )
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}"
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                out.append((candidate if candidate in modules() else base, node.lineno))
    return out


def internal_edges() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in modules()}
    for module in modules():
        for name, _line in imports(module):
            if name.startswith("parkeval"):
                target = name
                while target not in modules() and "." in target:
                    target = target.rpartition(".")[0]
                if target != module:
                    graph[module].add(target)
    return graph


def test_every_import_points_down_the_layers():
    wrong = []
    for module in modules():
        mine = layer(module)
        for name, line in imports(module):
            if not name.startswith("parkeval"):
                continue
            theirs = layer(name)
            if theirs != mine and theirs not in ALLOWED[mine] and name not in ALLOWED[mine]:
                wrong.append(
                    f"{modules()[module].relative_to(PACKAGE.parent)}:{line} {mine} → {theirs} ({name})"
                )
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_there_are_no_import_circles():
    graph = internal_edges()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
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
                circles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert not circles, f"import circles: {circles}"


@pytest.mark.parametrize("module", [m for m in modules() if layer(m) == "domain"])
def test_domain_does_no_io_and_no_sql(module):
    bad = [(name, line) for name, line in imports(module) if name.split(".")[0] in PURE_FORBIDDEN]
    calls = [
        node.lineno
        for node in ast.walk(tree(module))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("open", "print")
    ]
    assert not bad and not calls, (bad, calls)


@pytest.mark.parametrize("module", [m for m in modules() if layer(m) not in ("store",)])
def test_sql_lives_in_store_only(module):
    bad = [(name, line) for name, line in imports(module) if name.split(".")[0] in SQL_LIBRARIES]
    assert not bad, bad


def _public_functions(module: str) -> list[tuple[str, int]]:
    out = []
    body = tree(module).body
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith(
            "_"
        ):
            out.append((node, node.name))
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if isinstance(
                    item, (ast.FunctionDef, ast.AsyncFunctionDef)
                ) and not item.name.startswith("_"):
                    decorators = {
                        getattr(d, "id", getattr(d, "attr", "")) for d in item.decorator_list
                    }
                    if not decorators & {"field_validator", "model_validator"}:
                        out.append((item, f"{node.name}.{item.name}"))
    return [(name, node.lineno) for node, name in out if ast.get_docstring(node) is None]


@pytest.mark.parametrize("module", [m for m in modules() if ".migrations.versions" not in m])
def test_public_functions_have_docstrings(module):
    assert not _public_functions(module), f"{module}: public functions without a docstring"


@pytest.mark.parametrize("module", list(modules()))
def test_long_modules_say_why(module):
    lines = modules()[module].read_text(encoding="utf-8").count("\n")
    if lines > LONG_MODULE:
        doc = ast.get_docstring(tree(module)) or ""
        assert "Why this module is long" in doc, (
            f"{module} has {lines} lines and does not say why at its top"
        )


def test_every_module_has_a_docstring():
    missing = [
        m for m in modules() if ".migrations.versions" not in m and not ast.get_docstring(tree(m))
    ]
    assert not missing, missing
