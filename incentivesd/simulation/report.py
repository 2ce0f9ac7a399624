"""The outcome of a run: txs executed and failed per ``module/Msg``, decided proposals per
result, the Msgs of passed proposals (``proposal_msgs``: executed, or failed and rolled back),
the app hash of every block, the export check and any violation.

Fails when: never (a record; the runner decides what is a violation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from incentivesd.simulation.oplog import Op


@dataclass
class Report:
    seed: int | None
    blocks: int = 0
    ops: dict[str, dict[str, int]] = field(default_factory=dict)
    proposals: dict[str, int] = field(default_factory=dict)
    proposal_msgs: dict[str, dict[str, int]] = field(default_factory=dict)
    app_hashes: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    violation_block: int | None = None
    last_op: Op | None = None
    export_check: dict[str, Any] | None = None

    @property
    def app_hash(self) -> str:
        return self.app_hashes[-1] if self.app_hashes else ""

    @property
    def executed(self) -> int:
        return sum(counts["ok"] + counts["failed"] for counts in self.ops.values())

    @property
    def failed(self) -> int:
        return sum(counts["failed"] for counts in self.ops.values())

    def count(self, op: str, ok: bool) -> None:
        self.ops.setdefault(op, {"ok": 0, "failed": 0})["ok" if ok else "failed"] += 1

    def count_proposal(self, result: str, msg_types: list[str]) -> None:
        """Count a decided proposal; its Msgs ran (``ok``) or failed when it passed the vote."""
        self.proposals[result] = self.proposals.get(result, 0) + 1
        if result not in ("proposal_passed", "proposal_failed"):
            return
        for name in msg_types:
            counts = self.proposal_msgs.setdefault(name, {"ok": 0, "failed": 0})
            counts["ok" if result == "proposal_passed" else "failed"] += 1

    def violate(self, block: int, message: str) -> None:
        self.violations.append(message)
        if self.violation_block is None:
            self.violation_block = block

    def to_json(self, hashes: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "seed": self.seed,
            "blocks": self.blocks,
            "ops": {name: dict(self.ops[name]) for name in sorted(self.ops)},
            "executed": self.executed,
            "failed": self.failed,
            "proposals": dict(sorted(self.proposals.items())),
            "proposal_msgs": {
                name: dict(self.proposal_msgs[name]) for name in sorted(self.proposal_msgs)
            },
            "app_hash": self.app_hash,
            "invariant_violations": len(self.violations),
        }
        if hashes:
            data["app_hashes"] = list(self.app_hashes)
        if self.export_check is not None:
            data["export_check"] = dict(self.export_check)
        if self.violations:
            data["violation"] = {
                "block": self.violation_block,
                "messages": list(self.violations),
                "last_op": None if self.last_op is None else self.last_op.to_json(),
            }
        return data
