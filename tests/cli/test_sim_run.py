"""``incentivesd sim run`` / ``sim replay``: seeded randomized runs of the module over SimApp."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chain.simapp import SimApp
from incentivesd.cli import main
from incentivesd.simulation import OP_TYPES

BLOCKS = 30
OPS = 20


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["sim", "run", *args])
    return result.exit_code, result.stdout, result.stderr


def run_json(seed: int, *args: str) -> dict[str, Any]:
    code, out, err = run(
        "--seed", str(seed), "--blocks", str(BLOCKS), "--ops-per-block", str(OPS), *args
    )
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.mark.parametrize("seed", [1, 2])
def test_run_has_no_violation_and_every_op_type_succeeds(seed: int) -> None:
    data = run_json(seed)
    assert data["invariant_violations"] == 0
    assert data["seed"] == seed
    assert data["blocks"] == BLOCKS
    assert set(data["ops"]) == set(OP_TYPES)
    never_ok = sorted(name for name, counts in data["ops"].items() if counts["ok"] == 0)
    assert never_ok == []
    assert data["executed"] == sum(c["ok"] + c["failed"] for c in data["ops"].values())
    assert data["failed"] == sum(c["failed"] for c in data["ops"].values())
    assert 0 < data["failed"] < data["executed"]


def test_different_seeds_give_different_app_hashes() -> None:
    assert run_json(1)["app_hash"] != run_json(2)["app_hash"]


def _subprocess_run(seed: int, hash_seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    command = [
        sys.executable,
        "-c",
        "from incentivesd.cli import main; main()",
        "sim",
        "run",
        "--seed",
        str(seed),
        "--blocks",
        "20",
        "--ops-per-block",
        "15",
    ]
    result = subprocess.run(command, env=env, capture_output=True, check=True, timeout=60)
    return result.stdout


def test_same_seed_is_byte_identical_across_processes_and_hash_seeds() -> None:
    assert _subprocess_run(5, "1") == _subprocess_run(5, "99")


def test_replay_of_a_written_log_reproduces_the_app_hash(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    data = run_json(3, "--log", str(log))
    lines = log.read_text(encoding="utf-8").splitlines()
    assert "genesis" in json.loads(lines[0])
    ops = [json.loads(line) for line in lines[1:]]
    assert {"block", "op", "msg", "expected_ok"} <= set(ops[1])
    assert any(entry.get("expected_ok") is False for entry in ops)
    result = CliRunner().invoke(main, ["sim", "replay", str(log)])
    assert result.exit_code == 0, result.stderr
    replayed = json.loads(result.stdout)
    assert replayed["app_hash"] == data["app_hash"]
    assert replayed["ops"] == data["ops"]
    assert replayed["invariant_violations"] == 0


def test_text_output_prints_a_table() -> None:
    code, out, _ = run("--seed", "4", "--blocks", "3", "-o", "text")
    assert code == 0
    assert "MsgCreatePool" in out
    assert "invariant violations 0" in out


def test_a_violation_stops_the_run_and_writes_a_replayable_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = SimApp.invariants

    def broken_at_block_4(self: SimApp) -> list[str]:
        if self.header.height >= 5:  # genesis is height 1, block 4 is height 5
            return ["test/broken: injected"]
        return original(self)

    monkeypatch.setattr(SimApp, "invariants", broken_at_block_4)
    monkeypatch.chdir(tmp_path)
    code, out, err = run("--seed", "6", "--blocks", "10")
    assert code == 1
    data = json.loads(out)
    assert data["invariant_violations"] == 1
    assert data["violation"]["block"] == 4
    assert "seed 6, block 4" in err
    assert "last op:" in err
    log = tmp_path / "sim-failure-6.jsonl"
    assert log.exists()
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    assert max(entry["block"] for entry in entries) == 4
    result = CliRunner().invoke(main, ["sim", "replay", str(log)])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["app_hash"] == data["app_hash"]
