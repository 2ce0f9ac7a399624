"""An in-process app of bank, distribution, epochs and incentives, without transactions.

Owns the wiring of the modules over one root store and the block-level rules the module relies
on: ``begin_block`` advances height and time and runs the epochs module; ``deliver`` runs one Msg
with SDK semantics (in a branch, written only on success, its events kept only on success).
Signers are taken from the Msg as given: signature and fee checks belong to the transaction
layer, not here. Used by the module's tests, golden vectors and simulations.

Fails when: a Msg type has no handler (``ErrUnknownRequest``); otherwise as the handlers do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from google.protobuf.message import Message

from chain.modules.bank.keeper import BankKeeper
from chain.modules.distribution.keeper import DistributionKeeper
from chain.modules.epochs.keeper import EpochsKeeper
from chain.sdk.address import module_address
from chain.sdk.context import NANOS, BlockHeader, Context
from chain.sdk.errors import ErrUnknownRequest, SdkError
from chain.sdk.events import Event
from chain.sdk.gas import GasMeter
from chain.sdk.kv import MemKV, store_hash
from incentives.module import IncentivesModule

DEFAULT_CHAIN_ID = "akash-localnet-1"
DEFAULT_GENESIS_TIME = 1_735_689_600  # 2025-01-01T00:00:00Z
MODULE_ACCOUNTS = ("distribution", "incentives", "gov", "fee_collector", "bonded_tokens_pool")


@dataclass
class DeliverResult:
    """What one Msg did: its response or error, and the events it emitted."""

    response: Message | None
    error: SdkError | None
    events: list[Event] = field(default_factory=list)
    gas_used: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None


class SimApp:
    """Modules over a ``MemKV``, driven block by block."""

    def __init__(
        self,
        chain_id: str = DEFAULT_CHAIN_ID,
        genesis_time: int = DEFAULT_GENESIS_TIME,
        store: MemKV | None = None,
    ) -> None:
        self.store = store if store is not None else MemKV()
        self.header = BlockHeader(height=0, time_ns=genesis_time * NANOS, chain_id=chain_id)
        self.bank = BankKeeper(
            blocked_addrs=frozenset(module_address(name) for name in MODULE_ACCOUNTS)
        )
        self.distribution = DistributionKeeper(self.bank)
        self.epochs = EpochsKeeper()
        self.incentives = IncentivesModule(self.bank, self.distribution, self.epochs)
        self.epochs.set_hooks([self.incentives.epoch_hooks])
        self._handlers = self.incentives.msg_handlers()
        self.block_events: list[Event] = []

    def context(self, gas_limit: int | None = None) -> Context:
        """A context over the committed store at the current header."""
        return Context(self.header, self.store, GasMeter(gas_limit))

    def begin_block(self, time: int | None = None) -> list[Event]:
        """Start the next block at ``time`` (default: one second later); runs the epochs."""
        time_ns = self.header.time_ns + NANOS if time is None else time * NANOS
        if time_ns < self.header.time_ns:
            raise ValueError("block time must not go back")
        self.header = BlockHeader(self.header.height + 1, time_ns, self.header.chain_id)
        ctx = self.context()
        self.epochs.begin_block(ctx)
        self.block_events = list(ctx.events)
        return self.block_events

    def deliver(self, msg: Message, gas_limit: int | None = None) -> DeliverResult:
        """Run one Msg in a branch of the current block's state."""
        handler = self._handlers.get(f"/{msg.DESCRIPTOR.full_name}")
        ctx = self.context(gas_limit)
        if handler is None:
            error = ErrUnknownRequest.wrap(
                f"unrecognized message type: /{msg.DESCRIPTOR.full_name}"
            )
            return DeliverResult(None, error)
        branch = ctx.branch()
        try:
            response = handler(branch.ctx, msg)
        except SdkError as error:
            return DeliverResult(None, error, gas_used=ctx.gas_meter.used)
        branch.write()
        return DeliverResult(response, None, list(ctx.events), ctx.gas_meter.used)

    def invariants(self) -> list[str]:
        """Diagnoses of every broken invariant of every module (empty when all hold)."""
        ctx = self.context()
        checks = [
            *self.bank.invariants(),
            *self.distribution.invariants(),
            *self.incentives.invariants(),
        ]
        return [f"{name}: {message}" for name, check in checks if (message := check(ctx))]

    def app_hash(self) -> bytes:
        return store_hash(self.store)
