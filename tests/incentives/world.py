"""A small world to drive the incentives module in tests: a ``SimApp`` with funded accounts,
a daily epoch, a price feeder and helpers that build real Msgs.

Accounts: ``world.addr(i)`` for i in 0..9 (bech32), each with 10^12 uakt; the community pool
holds 10^12 uakt. Account 8 is the attester, account 9 the price feeder.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.sdk.address import encode_address
from chain.sdk.math import Coins
from chain.simapp import DeliverResult, SimApp
from incentives.pb import tx_pb2, types_pb2
from incentives.types import keys
from incentives.types.params import DEFAULT_PARAMS

DAY = 86_400
DENOM = "uakt"
ACCOUNT_BALANCE = 10**12
COMMUNITY_POOL = 10**12
ATTESTER = 8
FEEDER = 9
GOV = keys.GOV_AUTHORITY


def account(index: int) -> bytes:
    return bytes([index + 1]) * 20


def addr(index: int) -> str:
    return encode_address(account(index))


def coins(amount: int) -> list[Coin]:
    return [Coin(denom=DENOM, amount=str(amount))]


class World:
    """A running app plus shortcuts for the common Msgs."""

    def __init__(self) -> None:
        self.app = SimApp()
        ctx = self.app.context()
        for index in range(10):
            self.app.bank.mint_coins(ctx, "distribution", Coins.of(DENOM, ACCOUNT_BALANCE))
            self.app.bank.send_coins_from_module_to_account(
                ctx, "distribution", account(index), Coins.of(DENOM, ACCOUNT_BALANCE)
            )
        # The community pool is funded the way anyone funds it, from an account.
        funder = bytes(20)
        self.app.bank.mint_coins(ctx, "distribution", Coins.of(DENOM, COMMUNITY_POOL))
        self.app.bank.send_coins_from_module_to_account(
            ctx, "distribution", funder, Coins.of(DENOM, COMMUNITY_POOL)
        )
        self.app.distribution.fund_community_pool(ctx, Coins.of(DENOM, COMMUNITY_POOL), funder)
        self.genesis_time = self.app.header.time
        self.app.epochs.add_epoch(ctx, "day", DAY, self.genesis_time)
        keys.PARAMS.set(ctx, dataclasses.replace(DEFAULT_PARAMS, price_feeders=(addr(FEEDER),)))
        self.app.begin_block(self.genesis_time)

    @property
    def epoch(self) -> int:
        return self.app.incentives.keeper.current_epoch(self.app.context())

    def addr(self, index: int) -> str:
        return addr(index)

    def deliver(self, msg: object) -> DeliverResult:
        return self.app.deliver(msg)  # type: ignore[arg-type]

    def ok(self, msg: object) -> DeliverResult:
        result = self.deliver(msg)
        assert result.error is None, result.error.log
        return result

    def next_epoch(self, count: int = 1) -> None:
        """Run blocks until ``count`` more epochs have started."""
        for _ in range(count):
            target = self.epoch + 1
            self.app.begin_block(self.genesis_time + (target - 1) * DAY)
            assert self.epoch == target

    def balance(self, index: int) -> int:
        return int(self.app.bank.get_balance(self.app.context(), account(index), DENOM))

    def pool(self, pool_id: int = 1) -> object:
        return self.app.incentives.keeper.get_pool(self.app.context(), pool_id)

    def pool_msg(self, rule: str = "availability", **overrides: object) -> tx_pb2.MsgCreatePool:
        """The MsgCreatePool of a 10-epoch pool of ``rule`` starting now, not delivered."""
        start = max(self.epoch, 1)
        fields: dict[str, object] = {
            "authority": GOV,
            "name": f"{rule} pool",
            "admin": addr(0),
            "attesters": [addr(ATTESTER)],
            "attestation_quorum": 1,
            "start_epoch": start,
            "end_epoch": start + 9,
        }
        if rule == "availability":
            fields["rule"] = 3
            fields["availability"] = types_pb2.AvailabilityConfig(
                emission_per_epoch="1000000",
                weight_benchmark=3,
                weight_vram=3,
                weight_age=1,
                penalty_free_nodes=3,
                penalty_decay="0.65",
                penalty_mode=1,
            )
        elif rule == "pro_rata":
            fields["rule"] = 2
            fields["pro_rata"] = types_pb2.ProRataConfig(emission_per_epoch="1000000")
        else:
            fields["rule"] = 1
            fields["fixed_rate"] = types_pb2.FixedRateConfig(
                rates=[
                    types_pb2.ModelRate(
                        gpu_model="h100", usd_micros_per_gpu_hour=2_490_000, max_gpus=83
                    ),
                    types_pb2.ModelRate(
                        gpu_model="a100-80gb", usd_micros_per_gpu_hour=1_690_000, max_gpus=54
                    ),
                ],
                min_commitment_epochs=5,
            )
        fields.update(overrides)
        return tx_pb2.MsgCreatePool(**fields)  # type: ignore[arg-type]

    def create_pool(self, rule: str = "availability", **overrides: object) -> int:
        response = self.ok(self.pool_msg(rule, **overrides)).response
        return int(response.pool_id)  # type: ignore[union-attr]

    def fund(self, pool_id: int = 1, amount: int = 100_000_000) -> None:
        self.ok(
            tx_pb2.MsgFundPoolFromCommunityPool(
                authority=GOV, pool_id=pool_id, amount=coins(amount)
            )
        )

    def register(
        self,
        owner: int,
        node_id: str,
        gpu_model: str = "rtx4090",
        gpu_count: int = 1,
        benchmark: int = 1000,
    ) -> None:
        self.ok(
            tx_pb2.MsgRegisterNode(
                owner=addr(owner),
                node_id=node_id,
                gpu_model=gpu_model,
                gpu_count=gpu_count,
                benchmark_score=benchmark,
            )
        )

    def join(self, owner: int, node_id: str, pool_id: int = 1, until_epoch: int = 0) -> None:
        msg = tx_pb2.MsgJoinPool(owner=addr(owner), pool_id=pool_id, node_id=node_id)
        if until_epoch:
            msg.commitment.until_epoch = until_epoch
        self.ok(msg)

    def attest(
        self,
        reports: Sequence[tuple[str, int, int]],
        pool_id: int = 1,
        epoch: int | None = None,
        attester: int = ATTESTER,
    ) -> DeliverResult:
        return self.deliver(
            tx_pb2.MsgSubmitAttestation(
                attester=addr(attester),
                pool_id=pool_id,
                epoch=self.epoch if epoch is None else epoch,
                reports=[
                    types_pb2.NodeReport(node_id=node_id, online_seconds=online, idle_seconds=idle)
                    for node_id, online, idle in reports
                ],
            )
        )

    def post_price(self, price: str = "2.5") -> None:
        self.ok(tx_pb2.MsgPostPrice(feeder=addr(FEEDER), akt_usd=price))

    def state(self) -> bytes:
        """The app hash: equal before and after a rejected Msg."""
        return self.app.app_hash()
