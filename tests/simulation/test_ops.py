"""The ops the simulation draws: every variant of every module, each deliberately invalid one
rejected with a registered error, a different app hash per seed, and op logs that replay."""

from __future__ import annotations

import dataclasses
import random

import pytest

from chain.sdk.errors import lookup
from chain.tx import signers_of
from incentivesd.simulation import simulate
from incentivesd.simulation.draw import Simulation
from incentivesd.simulation.invalid_incentives import invalid_incentive_msgs
from incentivesd.simulation.oplog import Block, Op
from incentivesd.simulation.runner import Runner
from incentivesd.simulation.signing import TAMPERS


def _warmed_up(seed: int, blocks: int) -> tuple[Simulation, Runner]:
    """A simulation and its runner after ``blocks`` random blocks (pools, nodes, proposals)."""
    simulation = Simulation(seed, 25)
    runner = simulation.run(blocks)
    return simulation, runner


def _alone(simulation: Simulation, runner: Runner, op: Op) -> bool:
    """Run ``op`` alone in the next block; whether it succeeded (a failure must be registered)."""
    simulation.block += 1
    op = dataclasses.replace(op, block=simulation.block, expected_ok=None)
    outcome = runner.run_block(Block(simulation.block, simulation.time + 1, [op]))
    assert outcome is not None
    simulation.time += 1
    ((_, tx),) = outcome.results
    assert tx.ok or lookup(tx.codespace, tx.code) is not None, tx.log
    return tx.ok


def test_every_invalid_variant_is_rejected() -> None:
    simulation, runner = _warmed_up(12, 40)
    assert simulation.closed_pools
    assert simulation.nodes
    assert simulation.voting_period
    assert runner.report.violations == []
    rng = random.Random(0)
    builders = simulation.invalid_chain_builders()
    for name in sorted(builders):
        signer, msgs = builders[name]()
        if name.startswith("proposal-"):
            op = simulation.proposal(rng, msgs, name, None)
        else:
            op = simulation.op(signer, msgs, name, rng)
        assert not _alone(simulation, runner, op), name
    for tamper in TAMPERS:
        op = dataclasses.replace(simulation.bank_send(rng), tamper=tamper)
        assert not _alone(simulation, runner, op), tamper
    targets = simulation.invalid_targets()
    for name, build in sorted(invalid_incentive_msgs(targets).items()):
        msg = build()
        if getattr(msg, "authority", "") == targets.gov:
            continue  # runs through gov: see the runner's proposal check
        op = simulation.op(simulation.index_of[signers_of(msg)[0]], [msg], name, rng)
        assert not _alone(simulation, runner, op), name
    assert runner.report.violations == []


@pytest.mark.slow
def test_every_valid_variant_succeeds_in_a_longer_run() -> None:
    report, log = simulate(13, 80, 25)
    assert report.violations == []
    succeeded = {op.name for block in log.blocks for op in block.ops if op.ok}
    valid = {
        op.name for block in log.blocks for op in block.ops if not op.name.startswith("invalid")
    }
    assert valid - succeeded <= {"claim"}, sorted(valid - succeeded)
    assert {"proposal_passed", "proposal_rejected"} <= set(report.proposals)
    executed = report.proposal_msgs
    for name in ("incentives/MsgCreatePool", "distribution/MsgCommunityPoolSpend"):
        assert executed[name]["ok"] > 0, name


def test_reports_count_every_op_once() -> None:
    report, log = simulate(14, 10, 10)
    assert report.executed == log.op_count
    assert report.failed == sum(1 for block in log.blocks for op in block.ops if not op.ok)
