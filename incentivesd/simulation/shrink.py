"""Shrinking: narrow a failing op log to a small one that fails the same way.

Delta debugging in three passes, each repeated while it makes progress: drop chunks of blocks
(halves, then quarters, ... down to single blocks), then chunks of ops, then simplify what is
left (every coin amount to 1, then halved). A candidate is kept when its replay breaks a rule of
the same kind as the original failure (the text of the first violation up to its first colon,
``bank: total supply`` style, or the whole text). Replays are deterministic, so the result is
too. Recorded outcomes (``ok``) are ignored while shrinking: removing ops changes them.

Fails when: the given log does not fail (``ValueError``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from google.protobuf.message import Message

from incentivesd.simulation import renumbered, replay, without_outcomes
from incentivesd.simulation.oplog import Block, Op, OpLog
from incentivesd.simulation.runner import ExtraInvariant


def failure_kind(violation: str) -> str:
    return violation.split(":", 1)[0]


@dataclasses.dataclass
class ShrinkResult:
    log: OpLog
    violation: str
    replays: int
    original_blocks: int
    original_ops: int


class Shrinker:
    def __init__(self, log: OpLog, invariants: Iterable[ExtraInvariant] = ()) -> None:
        self.invariants = tuple(invariants)
        self.replays = 0
        base = without_outcomes(log)
        report = replay(base, self.invariants, check_outcomes=False)
        self.replays += 1
        if not report.violations:
            raise ValueError("the op log does not fail: nothing to shrink")
        self.kind = failure_kind(report.violations[0])
        self.violation = report.violations[0]
        failing = report.violation_block or len(base.blocks)
        self.seed, self.genesis = base.seed, base.genesis
        self.blocks = renumbered(base.blocks[:failing])

    def fails(self, blocks: list[Block]) -> bool:
        self.replays += 1
        log = OpLog(self.seed, self.genesis, renumbered(blocks))
        report = replay(log, self.invariants, check_outcomes=False)
        if report.violations and failure_kind(report.violations[0]) == self.kind:
            self.violation = report.violations[0]
            return True
        return False

    def shrink(self) -> list[Block]:
        changed = True
        while changed:
            changed = self._drop_blocks() | self._drop_ops() | self._simplify()
        return renumbered(self.blocks)

    def _drop_blocks(self) -> bool:
        def attempt(keep: list[bool]) -> bool:
            return self.fails([b for b, k in zip(self.blocks, keep, strict=True) if k])

        kept = _ddmin(len(self.blocks), attempt)
        if kept is None:
            return False
        self.blocks = [b for b, k in zip(self.blocks, kept, strict=True) if k]
        return True

    def _drop_ops(self) -> bool:
        where = [(i, j) for i, block in enumerate(self.blocks) for j in range(len(block.ops))]

        def build(keep: list[bool]) -> list[Block]:
            chosen = {pos for pos, k in zip(where, keep, strict=True) if k}
            return [
                Block(b.number, b.time, [op for j, op in enumerate(b.ops) if (i, j) in chosen])
                for i, b in enumerate(self.blocks)
            ]

        kept = _ddmin(len(where), lambda keep: self.fails(build(keep)))
        if kept is None:
            return False
        self.blocks = build(kept)
        return True

    def _simplify(self) -> bool:
        changed = False
        for i, block in enumerate(list(self.blocks)):
            for j, op in enumerate(block.ops):
                for simpler in (
                    simpler_amounts(op, lambda _: 1),
                    simpler_amounts(op, lambda a: a // 2),
                ):
                    if simpler is None:
                        continue
                    candidate = [Block(b.number, b.time, list(b.ops)) for b in self.blocks]
                    candidate[i].ops[j] = simpler
                    if self.fails(candidate):
                        self.blocks = candidate
                        changed = True
                        break
        return changed


def _ddmin(size: int, fails: Callable[[list[bool]], bool]) -> list[bool] | None:
    """Remove chunks (halves first, then ever smaller) while the rest still fails; the kept
    mask, or None when nothing could be removed."""
    keep = [True] * size
    removed = False
    chunk = max(size // 2, 1)
    while size and chunk >= 1:
        start = 0
        progress = False
        while start < size:
            live = [i for i in range(start, min(start + chunk, size)) if keep[i]]
            if live:
                trial = list(keep)
                for i in live:
                    trial[i] = False
                if fails(trial):
                    keep, removed, progress = trial, True, True
            start += chunk
        if not progress:
            if chunk == 1:
                break
            chunk //= 2
    return keep if removed else None


def simpler_amounts(op: Op, change: Callable[[int], int]) -> Op | None:
    """``op`` with every positive coin amount in its Msgs changed; None when nothing changes."""
    msgs = [type(msg)() for msg in op.msgs]
    changed = False
    for copy, msg in zip(msgs, op.msgs, strict=True):
        copy.CopyFrom(msg)
        changed |= _change_coins(copy, change)
    return dataclasses.replace(op, msgs=tuple(msgs)) if changed else None


def _change_coins(msg: Message, change: Callable[[int], int]) -> bool:
    changed = False
    if isinstance(msg, Coin):
        if msg.amount.isdigit():
            new = max(change(int(msg.amount)), 1)
            if str(new) != msg.amount:
                msg.amount = str(new)
                changed = True
        return changed
    for field, value in msg.ListFields():
        if field.message_type is None:
            continue
        items = value if field.label == field.LABEL_REPEATED else [value]
        for item in items:
            if isinstance(item, Message) and not hasattr(item, "type_url"):
                changed |= _change_coins(item, change)
    return changed


def shrink(log: OpLog, invariants: Iterable[ExtraInvariant] = ()) -> ShrinkResult:
    """The smallest failing log the passes reach, with the violation it ends on."""
    shrinker = Shrinker(log, invariants)
    blocks = shrinker.shrink()
    return ShrinkResult(
        OpLog(log.seed, log.genesis, blocks),
        shrinker.violation,
        shrinker.replays,
        len(log.blocks),
        log.op_count,
    )
