"""Checks beyond the SDK's simulation: the same seed gives the same app-hash sequence in other
processes with other hash seeds; export, import and continue gives the uninterrupted app hash;
export -> import -> export is byte-identical; a replayed op log gives the same hashes."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import pytest

from chain.app import App
from incentivesd.simulation import OpLog, Report, replay, simulate
from incentivesd.simulation.genesis import CHAIN_ID
from incentivesd.simulation.runner import Runner, export_bytes


def _hashes_in_subprocess(seed: int, hash_seed: str) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    command = [
        sys.executable,
        "-c",
        "from incentivesd.cli import main; main()",
        *("sim", "run", "--seed", str(seed), "--blocks", "15", "--ops-per-block", "15"),
        "--hashes",
    ]
    result = subprocess.run(command, env=env, capture_output=True, check=True, timeout=60)
    hashes: list[str] = json.loads(result.stdout)["app_hashes"]
    return hashes


@pytest.mark.slow
def test_same_seed_gives_the_same_app_hash_sequence_across_processes_and_hash_seeds() -> None:
    first = _hashes_in_subprocess(5, "1")
    assert len(first) == 15
    assert _hashes_in_subprocess(5, "99") == first
    report, _ = simulate(5, 15, 15)
    assert report.app_hashes == first


@pytest.mark.parametrize("export_at", [1, 9])
def test_export_import_and_continue_gives_the_uninterrupted_app_hashes(export_at: int) -> None:
    uninterrupted, _ = simulate(8, 20, 15)
    checked, _ = simulate(8, 20, 15, export_at=export_at)
    assert checked.violations == []
    assert checked.export_check is not None
    assert checked.export_check["final_app_hash_match"] is True
    assert checked.export_check["blocks_after_import"] == 20 - export_at
    assert checked.app_hashes == uninterrupted.app_hashes


@pytest.mark.xfail(
    strict=True,
    reason="staking's unbonding id sequence (0x37) is not part of the SDK's staking genesis (the "
    "SDK's own import/export simulation skips that key); after every unbonding has matured, "
    "import restarts it, so the imported app hash differs and later unbondings get other ids",
)
def test_export_after_every_unbonding_matured_keeps_the_app_hash() -> None:
    report, _ = simulate(6, 30, 20, export_at=12)
    assert report.violations == []


def test_export_import_export_is_byte_identical() -> None:
    _, log = simulate(9, 12, 20)
    runner = Runner(log.genesis, Report(9))
    for block in log.blocks:
        runner.run_block(block)
    exported = export_bytes(runner.app)
    imported = App(chain_id=CHAIN_ID)
    imported.init_chain(json.loads(exported))
    assert export_bytes(imported) == exported
    assert imported.app_hash == runner.app.app_hash
    state = json.loads(exported)["app_state"]
    assert state["incentives"]["nodes"], "the export carries the simulated state"


def test_replaying_a_log_gives_the_same_hash_sequence() -> None:
    report, log = simulate(10, 15, 20)
    parsed = OpLog.parse(log.text().splitlines())
    assert parsed.text() == log.text()
    replayed = replay(parsed)
    assert replayed.violations == []
    assert replayed.app_hashes == report.app_hashes
    assert replayed.ops == report.ops


def test_a_changed_outcome_is_a_violation_of_the_replay() -> None:
    _, log = simulate(11, 5, 10)
    op = next(op for block in log.blocks for op in block.ops if op.ok)
    block = next(block for block in log.blocks if op in block.ops)
    block.ops[block.ops.index(op)] = dataclasses.replace(op, ok=False)
    report = replay(log)
    assert report.violations == [f"{op.name} in block {block.number}: outcome differs"]
