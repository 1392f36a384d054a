"""The inner layers stay free of the edges: no module of clopos.core or clopos.store imports
the CLI, the web framework, the server, the console, or runs subprocesses. Read from the
source (every import statement, those under TYPE_CHECKING and inside functions included), so
an import that would only happen on some path is caught too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import clopos

SRC = Path(clopos.__file__).parent
INNER = ("core", "store")
FORBIDDEN = (
    "click",
    "fastapi",
    "starlette",
    "subprocess",
    "clopos.server",
    "clopos.cli",
    "clopos.console",
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module name an import statement of `source` (the text of `module`) may load:
    `import a.b` gives a.b; `from a import b` gives a and a.b (b may be a module); relative
    imports are resolved against `module`."""
    names: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            names.add(origin)
            names.update(f"{origin}.{alias.name}" for alias in node.names)
    return names


def forbidden(names: set[str]) -> set[str]:
    return {n for n in names if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)}


def inner_modules() -> list[Path]:
    return sorted(p for layer in INNER for p in (SRC / layer).rglob("*.py"))


def test_the_inner_layers_are_found() -> None:
    paths = inner_modules()
    names = {_module_name(p) for p in paths}
    # A wrong root would make the test below pass on nothing.
    assert {"clopos.core.errors", "clopos.store.db", "clopos.store.schema"} <= names
    assert len(paths) > 50


@pytest.mark.parametrize("path", inner_modules(), ids=lambda p: _module_name(p))
def test_no_inner_module_imports_an_edge(path: Path) -> None:
    found = imported(path.read_text(), _module_name(path), path.name == "__init__.py")
    assert not forbidden(found), f"{_module_name(path)} imports {sorted(forbidden(found))}"


@pytest.mark.parametrize(
    "source",
    [
        "import click",
        "import subprocess as sp",
        "import starlette.responses",
        "from fastapi import Request",
        "from clopos.server.settings import Settings",
        "from clopos import cli",
        "from ..console import web",
        "from .. import server",
        "if TYPE_CHECKING:\n    from clopos.server.settings import Settings",
        "def f():\n    import click",
    ],
)
def test_every_form_of_import_is_seen(source: str) -> None:
    assert forbidden(imported(source, "clopos.store.schema"))


@pytest.mark.parametrize(
    "source",
    ["import clickhouse", "from clopos.core import errors", "from . import db", "import os"],
)
def test_a_lookalike_is_not_an_edge(source: str) -> None:
    assert not forbidden(imported(source, "clopos.store.schema"))
