"""``incentivesd sim run`` / ``sim replay`` / ``sim shrink``: seeded randomized runs of every
module through real signed txs, their op logs, and shrinking a failing log."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chain.sdk.context import Context
from incentives.types import keys
from incentivesd import sim_run
from incentivesd.cli import main
from incentivesd.simulation import replay, simulate
from incentivesd.simulation.shrink import shrink

BLOCKS = 30
OPS = 20
MODULES = {"bank", "distribution", "staking", "gov", "incentives"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["sim", *args])
    return result.exit_code, result.stdout, result.stderr


def run_json(seed: int, *args: str) -> dict[str, Any]:
    code, out, err = run(
        "run", "--seed", str(seed), "--blocks", str(BLOCKS), "--ops-per-block", str(OPS), *args
    )
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.mark.parametrize("seed", [1, 2])
def test_run_covers_every_module_without_a_violation(seed: int) -> None:
    data = run_json(seed)
    assert data["invariant_violations"] == 0
    assert (data["seed"], data["blocks"]) == (seed, BLOCKS)
    succeeded = {name.split("/")[0] for name, counts in data["ops"].items() if counts["ok"]}
    assert succeeded == MODULES
    for name in ("bank/MsgSend", "gov/MsgVote", "incentives/MsgRegisterNode"):
        assert data["ops"][name]["ok"] > 0, name
    assert data["executed"] == sum(c["ok"] + c["failed"] for c in data["ops"].values())
    assert data["failed"] == sum(c["failed"] for c in data["ops"].values())
    assert 0 < data["failed"] < data["executed"]
    assert data["proposals"].get("proposal_passed", 0) > 0
    assert len(data["app_hash"]) == 64


def test_different_seeds_give_different_app_hashes() -> None:
    assert run_json(1)["app_hash"] != run_json(2)["app_hash"]


def test_replay_of_a_written_log_reproduces_every_app_hash(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    data = run_json(3, "--log", str(log), "--hashes")
    lines = log.read_text(encoding="utf-8").splitlines()
    assert "genesis" in json.loads(lines[0])
    ops = [json.loads(line) for line in lines[1:] if json.loads(line)["op"] != "BeginBlock"]
    assert {"block", "op", "name", "signer", "msgs", "expected_ok", "ok"} <= set(ops[0])
    assert any(entry["expected_ok"] is False for entry in ops)
    code, out, err = run("replay", str(log), "--hashes")
    assert code == 0, err
    replayed = json.loads(out)
    assert replayed["app_hashes"] == data["app_hashes"]
    assert replayed["ops"] == data["ops"]
    assert replayed["invariant_violations"] == 0


def test_text_output_prints_a_table_and_a_progress_bar() -> None:
    code, out, err = run("run", "--seed", "4", "--blocks", "3", "-o", "text")
    assert code == 0
    assert "bank/MsgSend" in out
    assert "invariant violations 0" in out
    assert "blocks" in err


@pytest.mark.slow
def test_export_at_runs_the_imported_app_beside_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where a failing run would write its op log
    data = run_json(7, "--export-at", "12")
    assert data["export_check"] == {
        "at": 12,
        "roundtrip_identical": True,
        "imported_app_hash_match": True,
        "blocks_after_import": BLOCKS - 12,
        "final_app_hash_match": True,
    }
    assert data["app_hash"] == run_json(7)["app_hash"]


def at_most_two_nodes(ctx: Context) -> str | None:
    count = sum(1 for _ in keys.NODES.iterate(ctx))
    return f"{count} nodes registered" if count > 2 else None


BROKEN = (("test/at-most-two-nodes", at_most_two_nodes),)


@pytest.fixture
def broken_invariant(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every command of this run also checks a test-only invariant that random runs break."""
    monkeypatch.setattr(sim_run, "simulate", functools.partial(simulate, invariants=BROKEN))
    monkeypatch.setattr(sim_run, "replay", functools.partial(replay, invariants=BROKEN))
    monkeypatch.setattr(sim_run, "shrink", functools.partial(shrink, invariants=BROKEN))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_violation_stops_the_run_and_writes_a_replayable_log(broken_invariant: Path) -> None:
    code, out, err = run("run", "--seed", "6", "--blocks", "20")
    assert code == 1
    data = json.loads(out)
    assert data["invariant_violations"] == 1
    block = data["violation"]["block"]
    assert data["blocks"] == block < 20
    assert data["violation"]["messages"][0].startswith("test/at-most-two-nodes: ")
    assert f"seed 6, block {block}" in err
    assert "last op:" in err
    log = broken_invariant / "sim-failure-6.jsonl"
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    assert max(entry["block"] for entry in entries) == block
    code, out, _ = run("replay", str(log))
    assert code == 1
    assert json.loads(out)["app_hash"] == data["app_hash"]


@pytest.mark.slow
def test_shrink_narrows_a_failing_log(broken_invariant: Path) -> None:
    code, _, err = run("run", "--seed", "6", "--blocks", "20", "--ops-per-block", "20", "--shrink")
    assert code == 1
    assert "shrunk op log" in err
    original = broken_invariant / "sim-failure-6.jsonl"
    minimal = broken_invariant / "minimal.jsonl"
    code, out, err = run("shrink", str(original), "--out", str(minimal))
    assert code == 0, err
    summary = json.loads(out)
    assert summary["ops"] == 3  # exactly the three registrations
    assert summary["original_ops"] >= 10 * summary["ops"]
    assert minimal.read_text() == (broken_invariant / "sim-failure-6.min.jsonl").read_text()
    ops = [json.loads(line) for line in minimal.read_text().splitlines()[1:]]
    assert [op["op"] for op in ops if op["op"] != "BeginBlock"] == [
        "incentives/MsgRegisterNode"
    ] * 3
    code, out, _ = run("replay", str(minimal))
    assert code == 1
    assert "test/at-most-two-nodes" in json.loads(out)["violation"]["messages"][0]


def test_shrinking_a_passing_log_is_an_error(tmp_path: Path) -> None:
    log = tmp_path / "ok.jsonl"
    assert run("run", "--seed", "1", "--blocks", "2", "--log", str(log))[0] == 0
    code, _, err = run("shrink", str(log))
    assert code == 1
    assert "does not fail" in err


def test_export_at_must_leave_blocks_to_run() -> None:
    code, _, err = run("run", "--seed", "1", "--blocks", "5", "--export-at", "5")
    assert code == 2
    assert "--export-at" in err
    assert "Traceback" not in err


def test_a_file_that_is_not_an_op_log_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"seed": 1}\n', encoding="utf-8")
    code, _, err = run("replay", str(bad))
    assert code == 2
    assert "is not an op log" in err
    assert "Traceback" not in err
