"""A randomized, seeded simulation of the whole app, SDK-simulation style, done over real txs.

``simulate(seed, blocks, ops_per_block)`` draws a random genesis and random valid and invalid
txs over every Msg of every module (``draw``), runs them block by block through
``finalize_block`` and ``commit`` (``runner``) and checks every invariant after every block. The
op log (``oplog``) replays exactly (``replay``) and a failing one narrows to a minimal failing
sequence (``shrink``).

Fails when: never for a broken rule of the run (it is in the report); ``ValueError`` for a
malformed op log.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from incentivesd.simulation.draw import Simulation
from incentivesd.simulation.genesis import Genesis
from incentivesd.simulation.oplog import Block, Op, OpLog
from incentivesd.simulation.report import Report
from incentivesd.simulation.runner import ExtraInvariant, Runner

__all__ = [
    "Block",
    "ExtraInvariant",
    "Genesis",
    "Op",
    "OpLog",
    "Report",
    "replay",
    "simulate",
]


def simulate(
    seed: int,
    blocks: int,
    ops_per_block: int,
    on_block: Callable[[int], None] | None = None,
    invariants: Iterable[ExtraInvariant] = (),
    export_at: int | None = None,
) -> tuple[Report, OpLog]:
    """Run the seeded simulation; returns its report and op log."""
    simulation = Simulation(seed, ops_per_block, tuple(invariants), export_at)
    runner = simulation.run(blocks, on_block)
    return runner.report, OpLog(seed, simulation.genesis, simulation.log)


def replay(
    log: OpLog,
    invariants: Iterable[ExtraInvariant] = (),
    check_outcomes: bool = True,
    export_at: int | None = None,
) -> Report:
    """Re-run an op log: same genesis, block times and txs; invariants after every block.

    With ``check_outcomes`` a tx whose outcome differs from the recorded ``ok`` is a violation."""
    runner = Runner(log.genesis, Report(log.seed), invariants, export_at)
    for block in log.blocks:
        outcome = runner.run_block(block)
        if outcome is None or runner.stopped:
            break
        if check_outcomes:
            for op, tx in outcome.results:
                if op.ok is not None and op.ok != tx.ok:
                    runner.report.violate(
                        runner.blocks_run, f"{op.name} in block {block.number}: outcome differs"
                    )
                    break
            if runner.stopped:
                break
    return runner.report


def renumbered(blocks: list[Block]) -> list[Block]:
    return [block.renumbered(number) for number, block in enumerate(blocks, start=1)]


def without_outcomes(log: OpLog) -> OpLog:
    blocks = [
        Block(b.number, b.time, [dataclasses.replace(op, ok=None) for op in b.ops])
        for b in log.blocks
    ]
    return OpLog(log.seed, log.genesis, blocks)
