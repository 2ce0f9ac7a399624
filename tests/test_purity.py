"""The core does no I/O and uses no floats: checked on the source of every core module.

Core = ``incentives/`` (except generated ``pb/``), ``chain/sdk/``, ``chain/modules/`` and
``chain/simapp.py``. Forbidden there: imports that reach the clock, randomness, the environment,
files, processes or the network; float literals, ``float(...)`` and true division ``/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = sorted(
    path
    for pattern in (
        "incentives/**/*.py",
        "chain/sdk/**/*.py",
        "chain/modules/**/*.py",
        "chain/*.py",
    )
    for path in ROOT.glob(pattern)
    if "/pb/" not in path.as_posix()
)
# The high-precision reference of the availability rule divides ``decimal.Decimal`` values on
# purpose (it is what the exact path is checked against); it is never used by the state machine.
DECIMAL_REFERENCE = ROOT / "incentives" / "logic" / "reference.py"
FORBIDDEN_MODULES = {
    "time",
    "random",
    "os",
    "datetime",
    "socket",
    "subprocess",
    "threading",
    "asyncio",
    "grpc",
    "secrets",
    "uuid",
    "pathlib",
    "io",
}


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            names = []
        found += [
            f"line {node.lineno}: imports {name}"
            for name in names
            if name.split(".")[0] in FORBIDDEN_MODULES
        ]
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            found.append(f"line {node.lineno}: float literal {node.value!r}")
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "float":
            found.append(f"line {node.lineno}: float() call")
        division = isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.Div)
        if division and path != DECIMAL_REFERENCE:
            found.append(f"line {node.lineno}: true division")
    return found


def test_the_core_is_found() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in CORE}
    assert "incentives/logic/availability.py" in names
    assert "chain/sdk/kv.py" in names
    assert not any("/pb/" in name for name in names)


@pytest.mark.parametrize("path", CORE, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_core_module_does_no_io_and_uses_no_floats(path: Path) -> None:
    assert _violations(path) == []


def test_the_check_catches_what_it_forbids(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import time\nfrom random import random\nx = 1.5\ny = float(2)\nz = 3 / 4\n")
    assert len(_violations(sample)) == 5
