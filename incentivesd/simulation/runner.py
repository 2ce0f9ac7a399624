"""Runs logged blocks on a real ``App``: signs each op, finalizes and commits the block, judges
every tx and checks every invariant.

Per block: each op is signed by its account at the sequence the runner tracks (a tampered tx
does not advance it; after the block the sequences of that block's signers are read back from
state); ``finalize_block`` + ``commit`` run them as a node would. Then, as rules of the run:

- a tx that fails must fail with a registered error (codespace and code), never a panic;
- an op with ``expected_ok`` False must fail, one with True must pass;
- every invariant of every module (and any registered with ``App.register_invariant``) holds;
- with ``export_at = K``: after block K the state is exported, imported into a fresh app and
  exported again (the two documents must be identical bytes, the imported app hash equal to the
  original's), and the imported app then runs every later block beside the original, with
  equal app hashes after each.

The first broken rule is recorded in the report and the run stops after that block.

Fails when: never raises for a broken rule; ``ValueError`` for a block time before the last.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass

from google.protobuf.message import Message

from chain.app import App, TxResult
from chain.sdk.context import NANOS
from chain.sdk.errors import lookup
from chain.sdk.events import Event
from chain.sdk.kv import MemKV
from chain.sdk.module import Invariant
from incentivesd.simulation.genesis import CHAIN_ID, Genesis
from incentivesd.simulation.oplog import Block, Op
from incentivesd.simulation.report import Report
from incentivesd.simulation.signing import sign_tx

ExtraInvariant = tuple[str, Invariant]


@dataclass
class BlockOutcome:
    """What a block did: each op with its tx result, and the block's own events."""

    results: list[tuple[Op, TxResult]]
    events: tuple[Event, ...]


@functools.lru_cache(maxsize=8)
def _genesis_snapshot(genesis: Genesis) -> tuple[tuple[tuple[bytes, bytes], ...], int, int, bytes]:
    app = App(chain_id=CHAIN_ID)
    app.init_chain(genesis.document())
    return tuple(app.store.items()), app.last_height, app.last_time_ns, app.app_hash


def export_bytes(app: App) -> bytes:
    return json.dumps(app.export_genesis(), sort_keys=True).encode()


class Runner:
    """An app at a genesis, the accounts' signing state, and the report of the run."""

    def __init__(
        self,
        genesis: Genesis,
        report: Report,
        invariants: Iterable[ExtraInvariant] = (),
        export_at: int | None = None,
    ) -> None:
        self.genesis = genesis
        self.report = report
        self.invariants = tuple(invariants)
        self.app = self._genesis_app(genesis)
        self.accounts = genesis.accounts()
        ctx = self.app.query_context()
        states = [self.app.auth.get_account(ctx, a.address_bytes) for a in self.accounts]
        self.numbers = [state.account_number if state else 0 for state in states]
        self.sequences = [state.sequence if state else 0 for state in states]
        self.export_at = export_at
        self.shadow: App | None = None
        self.proposal_types: dict[int, list[str]] = {}
        self.proposal_ops: dict[int, str] = {}
        self.proposal_of_op: dict[int, int] = {}  # submitting op id -> proposal id
        self.blocks_run = 0

    def _genesis_app(self, genesis: Genesis) -> App:
        """An app at ``genesis``: its committed store restored from a snapshot of the first
        import (replays and shrinking start many runs from one genesis)."""
        items, height, time_ns, app_hash = _genesis_snapshot(genesis)
        app = App(chain_id=CHAIN_ID)
        for route, check in self.invariants:
            app.register_invariant(route, check)
        app.restore(MemKV(dict(items)), height, time_ns, app_hash)
        return app

    def _new_app(self, document: dict[str, object]) -> App:
        app = App(chain_id=CHAIN_ID)
        for route, check in self.invariants:
            app.register_invariant(route, check)
        app.init_chain(document)
        return app

    @property
    def stopped(self) -> bool:
        return bool(self.report.violations)

    def run_block(self, block: Block) -> BlockOutcome | None:
        """Run one block; None when the app raised (the report says why)."""
        txs = self._sign(block.ops)
        number = self.blocks_run + 1
        try:
            result = self.app.finalize_block(block.time * NANOS, txs)
            app_hash = self.app.commit()
        except Exception as error:  # a panic: the block could not be executed
            self.report.violate(number, f"block {number} raised {type(error).__name__}: {error}")
            self.report.last_op = block.ops[-1] if block.ops else None
            return None
        self.blocks_run = number
        self.report.blocks = number
        self.report.app_hashes.append(app_hash.hex())
        ctx = self.app.query_context()
        for index in {op.signer for op in block.ops}:
            state = self.app.auth.get_account(ctx, self.accounts[index].address_bytes)
            self.sequences[index] = state.sequence if state is not None else 0
        outcome = BlockOutcome(list(zip(block.ops, result.tx_results, strict=True)), result.events)
        for op, tx in outcome.results:
            self._judge(number, op, tx)
        self._count_proposals(number, outcome)
        for broken in self.app.invariants():
            self.report.violate(number, broken)
        self._shadow(number, block, txs, app_hash)
        return outcome

    def _sign(self, ops: list[Op]) -> list[bytes]:
        txs = []
        for op in ops:
            index = op.signer
            txs.append(
                sign_tx(
                    self.accounts[index],
                    self.numbers[index],
                    self.sequences[index],
                    self._aimed(op),
                    op.fee,
                    CHAIN_ID,
                    op.tamper,
                )
            )
            if op.tamper is None:
                self.sequences[index] += 1
        return txs

    def _aimed(self, op: Op) -> tuple[Message, ...]:
        """The Msgs of ``op``; a deposit or vote aimed at the proposal its ``proposal_of`` op
        submitted (id 0, unknown, when that op is gone or failed)."""
        if op.proposal_of is None:
            return op.msgs
        first = type(op.msgs[0])()
        first.CopyFrom(op.msgs[0])
        first.proposal_id = self.proposal_of_op.get(op.proposal_of, 0)  # type: ignore[attr-defined]
        return (first, *op.msgs[1:])

    def _judge(self, number: int, op: Op, tx: TxResult) -> None:
        self.report.count(op.type, tx.ok)
        self.report.last_op = op
        problem = None
        if not tx.ok and lookup(tx.codespace, tx.code) is None:
            problem = f"{op.name} failed with an unregistered error {tx.codespace}/{tx.code}"
        elif op.expected_ok is False and tx.ok:
            problem = f"{op.name} ({op.type}) was accepted"
        elif op.expected_ok is True and not tx.ok:
            problem = f"{op.name} ({op.type}) was rejected: {tx.log}"
        if problem is not None:
            self.report.violate(number, problem)
        if tx.ok and op.msgs and op.type == "gov/MsgSubmitProposal":
            for event in tx.events:
                if event.type == "submit_proposal" and event.attribute("proposal_id"):
                    proposal_id = int(event.attribute("proposal_id") or 0)
                    self.proposal_ops[proposal_id] = op.name
                    self.proposal_of_op[op.id] = proposal_id
                    self.proposal_types[proposal_id] = [
                        _any_type(item.type_url) for item in getattr(op.msgs[0], "messages", [])
                    ]

    def _count_proposals(self, number: int, outcome: BlockOutcome) -> None:
        """Count decided proposals; one carrying a deliberately invalid Msg must not pass."""
        for event in outcome.events:
            if event.type in ("active_proposal", "inactive_proposal"):
                proposal_id = int(event.attribute("proposal_id") or 0)
                result = event.attribute("proposal_result") or ""
                types = self.proposal_types.pop(proposal_id, [])
                name = self.proposal_ops.pop(proposal_id, "")
                self.report.count_proposal(result, types)
                if result == "proposal_passed" and name.startswith("invalid/"):
                    self.report.violate(number, f"proposal {proposal_id} ({name}) passed")

    def _shadow(self, number: int, block: Block, txs: list[bytes], app_hash: bytes) -> None:
        if self.shadow is not None:
            self.shadow.finalize_block(block.time * NANOS, txs)
            shadow_hash = self.shadow.commit()
            if shadow_hash != app_hash:
                self.report.violate(number, f"export/import: app hash differs at block {number}")
            assert self.report.export_check is not None
            self.report.export_check["blocks_after_import"] = (
                number - self.report.export_check["at"]
            )
            self.report.export_check["final_app_hash_match"] = shadow_hash == app_hash
        if number == self.export_at:
            self._export_import(number)

    def _export_import(self, number: int) -> None:
        exported = export_bytes(self.app)
        self.shadow = self._new_app(json.loads(exported))
        again = export_bytes(self.shadow)
        check: dict[str, object] = {
            "at": number,
            "roundtrip_identical": again == exported,
            "imported_app_hash_match": self.shadow.app_hash == self.app.app_hash,
            "blocks_after_import": 0,
            "final_app_hash_match": self.shadow.app_hash == self.app.app_hash,
        }
        self.report.export_check = check
        if again != exported:
            self.report.violate(number, "export/import: re-export differs from the export")
        if self.shadow.app_hash != self.app.app_hash:
            self.report.violate(number, "export/import: imported app hash differs")


def _any_type(type_url: str) -> str:
    parts = type_url.lstrip("/").split(".")
    return f"{parts[-3]}/{parts[-1]}"
