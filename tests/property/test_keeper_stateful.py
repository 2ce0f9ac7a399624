"""Randomized sequences of every incentives Msg over a ``World``, with the invariants after each.

The machine drives pools of all three rules, nodes of random catalog models, memberships (with
commitments for fixed-rate pools), attestations, prices, claims, redirects and their hook, closes
and epoch ends; and deliberately invalid Msgs. After every step all invariants of every module
hold. Any rejected Msg (invalid or merely refused by state) must be a registered error, emit no
events and leave the app state (hash of the whole store) unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from chain.sdk.context import Context
from chain.sdk.errors import SdkError, registered_errors
from chain.sdk.events import parse_typed_event
from chain.sdk.math import Coins
from chain.simapp import DeliverResult
from incentives.pb import events_pb2, params_pb2, tx_pb2, types_pb2
from incentives.types import codec, keys
from incentives.types.params import DEFAULT_GPU_MODELS
from incentives.types.state import PoolStatus
from incentivesd.simulation.invalid_incentives import InvalidTargets, invalid_incentive_msgs
from tests.incentives.world import ATTESTER, DAY, DENOM, FEEDER, GOV, World, account, addr, coins

SECOND_ATTESTER = 7
PROVIDERS = (1, 2, 3, 4, 5)
CATALOG = tuple(model.name for model in DEFAULT_GPU_MODELS)
PRICES = ("0.25", "1", "2.5", "3.141592653589793238")
RATED = ("h100", "a100-80gb", "rtx4090")
DROPPABLE = tuple(name for name in CATALOG if name not in RATED)
REGISTERED = frozenset(registered_errors())
BAD_CHECKSUM_ADDRESS = addr(6)[:-1] + ("q" if addr(6)[-1] != "q" else "p")  # a broken checksum


def _rates() -> list[types_pb2.ModelRate]:
    return [
        types_pb2.ModelRate(gpu_model=RATED[0], usd_micros_per_gpu_hour=2_490_000, max_gpus=83),
        types_pb2.ModelRate(gpu_model=RATED[1], usd_micros_per_gpu_hour=1_690_000, max_gpus=54),
        types_pb2.ModelRate(gpu_model=RATED[2], usd_micros_per_gpu_hour=350_000, max_gpus=16),
    ]


ELIGIBILITIES = (
    types_pb2.Eligibility(),
    types_pb2.Eligibility(vendors=[params_pb2.VENDOR_NVIDIA], min_vram_gb=24),
    types_pb2.Eligibility(
        vendors=[params_pb2.VENDOR_NVIDIA, params_pb2.VENDOR_AMD], min_launch_year=2024
    ),
    types_pb2.Eligibility(max_nodes_per_provider=2),
)


class KeeperMachine(RuleBasedStateMachine):
    """A World plus the pools and nodes created in it."""

    def __init__(self) -> None:
        super().__init__()
        self.world = World()
        self.pools: list[int] = []
        self.nodes: list[tuple[str, int]] = []  # (node id, owner index)
        self.next_node = 0

    # Helpers

    @property
    def ctx(self) -> Context:
        return self.world.app.context()

    def pool_id(self, index: int) -> int:
        return self.pools[index % len(self.pools)]

    def deliver(self, msg: object, *, must_pass: bool = False) -> DeliverResult:
        """Deliver ``msg``; a rejection must be registered, silent and leave no trace."""
        before = self.world.state()
        result = self.world.deliver(msg)
        if result.error is None:
            return result
        assert not must_pass, f"{type(msg).__name__} rejected: {result.error.log}"
        self.check_rejection(result, before)
        return result

    def check_rejection(self, result: DeliverResult, before: bytes) -> None:
        assert isinstance(result.error, SdkError)
        assert result.error.kind in REGISTERED, result.error.log
        assert result.events == []
        assert self.world.state() == before, f"rejected Msg changed state: {result.error.log}"

    def invalid(self, msg: object) -> None:
        before = self.world.state()
        result = self.world.deliver(msg)
        assert result.error is not None, f"invalid {type(msg).__name__} was accepted: {msg}"
        self.check_rejection(result, before)

    def block_at(self, time: int) -> None:
        self.world.app.begin_block(max(time, self.world.app.header.time))

    def next_boundary(self) -> int:
        return self.world.genesis_time + self.world.epoch * DAY

    @initialize(
        lengths=st.lists(st.integers(1, 6), min_size=3, max_size=3),
        models=st.lists(
            st.sampled_from(("h100", "a100-80gb", "rtx4090", "b200")), min_size=3, max_size=6
        ),
        penalty_mode=st.sampled_from([1, 2]),
        claim_window=st.integers(1, 4),
        settlement_lag=st.integers(0, 2),
    )
    def start(
        self,
        lengths: list[int],
        models: list[str],
        penalty_mode: int,
        claim_window: int,
        settlement_lag: int,
    ) -> None:
        """Short claim windows, one funded pool of each rule and a few nodes in every pool they
        are eligible for, so that short runs reach allocations, claims and expiries."""
        params = replace(
            self.world.app.incentives.keeper.get_params(self.ctx),
            claim_window_epochs=claim_window,
            settlement_lag_epochs=settlement_lag,
        )
        self.deliver(
            tx_pb2.MsgUpdateParams(authority=GOV, params=codec.params_to_pb(params)),
            must_pass=True,
        )
        for rule_name, length in zip(("fixed", "pro_rata", "availability"), lengths, strict=True):
            self.create_pool(
                rule_name, 0, length, False, 1, ELIGIBILITIES[0], penalty_mode, 10**7, 2
            )
            self.fund_from_community_pool(len(self.pools) - 1, 10**10)
        for position, model in enumerate(models):
            self.register_node(PROVIDERS[position % 3], model, 1 + position, 1000 + position)
            for index in range(len(self.pools)):
                self.join_pool(len(self.nodes) - 1, index, 0)

    # Pools

    @rule(
        rule_name=st.sampled_from(["fixed", "pro_rata", "availability"]),
        start_offset=st.integers(0, 2),
        length=st.integers(0, 5),
        two_attesters=st.booleans(),
        quorum=st.integers(1, 2),
        eligibility=st.sampled_from(ELIGIBILITIES),
        penalty_mode=st.sampled_from([1, 2]),
        emission=st.integers(1, 10**8),
        min_commitment=st.integers(1, 4),
    )
    def create_pool(
        self,
        rule_name: str,
        start_offset: int,
        length: int,
        two_attesters: bool,
        quorum: int,
        eligibility: types_pb2.Eligibility,
        penalty_mode: int,
        emission: int,
        min_commitment: int,
    ) -> None:
        start = self.world.epoch + start_offset
        attesters = [addr(ATTESTER), addr(SECOND_ATTESTER)] if two_attesters else [addr(ATTESTER)]
        msg = tx_pb2.MsgCreatePool(
            authority=GOV,
            name=f"{rule_name} {len(self.pools) + 1}",
            admin=addr(0),
            attesters=attesters,
            attestation_quorum=min(quorum, len(attesters)),
            start_epoch=start,
            end_epoch=start + length,
        )
        if rule_name == "fixed":
            msg.rule = types_pb2.ALLOCATION_RULE_FIXED_RATE
            msg.fixed_rate.CopyFrom(
                types_pb2.FixedRateConfig(rates=_rates(), min_commitment_epochs=min_commitment)
            )
        else:
            msg.eligibility.CopyFrom(eligibility)
            if rule_name == "pro_rata":
                msg.rule = types_pb2.ALLOCATION_RULE_PRO_RATA
                msg.pro_rata.emission_per_epoch = str(emission)
            else:
                msg.rule = types_pb2.ALLOCATION_RULE_AVAILABILITY
                msg.availability.CopyFrom(
                    types_pb2.AvailabilityConfig(
                        emission_per_epoch=str(emission),
                        weight_benchmark=3,
                        weight_vram=3,
                        weight_age=1,
                        penalty_free_nodes=3,
                        penalty_decay="0.65",
                        penalty_mode=penalty_mode,  # type: ignore[arg-type]
                    )
                )
        result = self.deliver(msg, must_pass=True)
        self.pools.append(int(result.response.pool_id))  # type: ignore[union-attr]

    def pool_is_active(self, pool_id: int) -> bool:
        return self.world.app.incentives.keeper.get_pool(self.ctx, pool_id).status == (
            PoolStatus.ACTIVE
        )

    @precondition(lambda self: self.pools)
    @rule(index=st.integers(0, 20), amount=st.integers(1, 10**9))
    def fund_from_community_pool(self, index: int, amount: int) -> None:
        pool_id = self.pool_id(index)
        msg = tx_pb2.MsgFundPoolFromCommunityPool(
            authority=GOV, pool_id=pool_id, amount=coins(amount)
        )
        self.deliver(msg, must_pass=self.pool_is_active(pool_id))

    @precondition(lambda self: self.pools)
    @rule(index=st.integers(0, 20), funder=st.integers(0, 7), amount=st.integers(1, 10**9))
    def fund_from_account(self, index: int, funder: int, amount: int) -> None:
        pool_id = self.pool_id(index)
        msg = tx_pb2.MsgFundPool(depositor=addr(funder), pool_id=pool_id, amount=coins(amount))
        self.deliver(msg, must_pass=self.pool_is_active(pool_id))

    @precondition(lambda self: self.pools)
    @rule(index=st.integers(0, 20))
    def close_pool(self, index: int) -> None:
        pool_id = self.pool_id(index)
        active = self.pool_is_active(pool_id)
        self.deliver(tx_pb2.MsgClosePool(authority=GOV, pool_id=pool_id), must_pass=active)

    @rule(
        claim_window=st.integers(1, 5),
        settlement_lag=st.integers(0, 2),
        max_price_age=st.sampled_from([60, 3600, DAY]),
        drop_model=st.none() | st.sampled_from(DROPPABLE),
    )
    def update_params(
        self, claim_window: int, settlement_lag: int, max_price_age: int, drop_model: str | None
    ) -> None:
        """Governance retunes the params, possibly dropping a model (not one the fixed-rate
        pools price) from the catalog that registered nodes still have."""
        params = self.world.app.incentives.keeper.get_params(self.ctx)
        params = replace(
            params,
            claim_window_epochs=claim_window,
            settlement_lag_epochs=settlement_lag,
            max_price_age_seconds=max_price_age,
            gpu_models=tuple(model for model in params.gpu_models if model.name != drop_model),
        )
        msg = tx_pb2.MsgUpdateParams(authority=GOV, params=codec.params_to_pb(params))
        self.deliver(msg, must_pass=True)

    # Nodes and memberships

    @rule(
        owner=st.sampled_from(PROVIDERS),
        model=st.sampled_from(CATALOG),
        gpu_count=st.integers(1, 16),
        benchmark=st.integers(0, 6000),
    )
    def register_node(self, owner: int, model: str, gpu_count: int, benchmark: int) -> None:
        node_id = f"node-{self.next_node}"
        self.next_node += 1
        msg = tx_pb2.MsgRegisterNode(
            owner=addr(owner),
            node_id=node_id,
            gpu_model=model,
            gpu_count=gpu_count,
            benchmark_score=benchmark,
        )
        known = self.world.app.incentives.keeper.get_params(self.ctx).gpu_model(model) is not None
        if self.deliver(msg, must_pass=known).error is None:
            self.nodes.append((node_id, owner))

    @precondition(lambda self: self.pools and self.nodes)
    @rule(node=st.integers(0, 50), index=st.integers(0, 20), extra=st.integers(0, 3))
    def join_pool(self, node: int, index: int, extra: int) -> None:
        node_id, owner = self.nodes[node % len(self.nodes)]
        pool = self.world.app.incentives.keeper.get_pool(self.ctx, self.pool_id(index))
        msg = tx_pb2.MsgJoinPool(owner=addr(owner), pool_id=pool.id, node_id=node_id)
        if pool.fixed_rate is not None:
            start = max(self.world.epoch, pool.start_epoch)
            msg.commitment.until_epoch = start + pool.fixed_rate.min_commitment_epochs - 1 + extra
        self.deliver(msg)

    # Attestations and prices

    @precondition(lambda self: self.pools)
    @rule(
        index=st.integers(0, 20),
        back=st.sampled_from([0, 0, 0, 1]),
        second=st.booleans(),
        data=st.data(),
    )
    def attest(self, index: int, back: int, second: bool, data: st.DataObject) -> None:
        pool = self.world.app.incentives.keeper.get_pool(self.ctx, self.pool_id(index))
        epoch = max(self.world.epoch - back, 1)
        members = self.members(pool.id, epoch)
        if members:
            chosen = data.draw(st.lists(st.sampled_from(members), min_size=1, unique=True))
            attester = SECOND_ATTESTER if second and len(pool.attesters) > 1 else ATTESTER
            self.submit(pool.id, epoch, attester, chosen, data)

    def members(self, pool_id: int, epoch: int) -> list[str]:
        return sorted(
            item.node_id
            for item in keys.MEMBERSHIPS.values(self.ctx, prefix=(pool_id,))
            if item.joined_epoch <= epoch
        )

    def submit(
        self, pool_id: int, epoch: int, attester: int, nodes: list[str], data: st.DataObject
    ) -> None:
        """Attest random uptime of ``nodes``."""
        reports = []
        for node_id in nodes:
            online = data.draw(st.sampled_from([0, DAY // 2, DAY]) | st.integers(0, DAY))
            reports.append(
                types_pb2.NodeReport(
                    node_id=node_id,
                    online_seconds=online,
                    idle_seconds=data.draw(st.integers(0, online)),
                    benchmark_score=data.draw(st.sampled_from([0, 0, 850, 4200])),
                )
            )
        msg = tx_pb2.MsgSubmitAttestation(
            attester=addr(attester), pool_id=pool_id, epoch=epoch, reports=reports
        )
        self.deliver(msg)

    @rule(price=st.sampled_from(PRICES))
    def post_price(self, price: str) -> None:
        self.deliver(tx_pb2.MsgPostPrice(feeder=addr(FEEDER), akt_usd=price), must_pass=True)

    # Claims and redirects

    @rule(provider=st.sampled_from(PROVIDERS), index=st.integers(-1, 20))
    def claim_rewards(self, provider: int, index: int) -> None:
        pool_id = 0 if index < 0 or not self.pools else self.pool_id(index)
        owed = list(
            keys.ACCRUALS.values(
                self.ctx, prefix=(addr(provider), pool_id) if pool_id else (addr(provider),)
            )
        )
        before = self.world.balance(provider)
        result = self.deliver(
            tx_pb2.MsgClaimRewards(provider=addr(provider), pool_id=pool_id), must_pass=bool(owed)
        )
        if result.error is None:
            assert self.world.balance(provider) - before == sum(item.amount for item in owed)

    @precondition(lambda self: self.pools)
    @rule(delegator=st.integers(0, 6), index=st.integers(0, 20), bps=st.integers(1, 10_000))
    def set_redirect(self, delegator: int, index: int, bps: int) -> None:
        msg = tx_pb2.MsgSetRewardRedirect(
            delegator=addr(delegator), pool_id=self.pool_id(index), bps=bps
        )
        self.deliver(msg)

    @precondition(lambda self: self.pools)
    @rule(delegator=st.integers(0, 6), index=st.integers(0, 20))
    def unset_redirect(self, delegator: int, index: int) -> None:
        pool_id = self.pool_id(index)
        existing = keys.REDIRECTS.has(self.ctx, (addr(delegator), pool_id))
        msg = tx_pb2.MsgSetRewardRedirect(delegator=addr(delegator), pool_id=pool_id, bps=0)
        self.deliver(msg, must_pass=existing)

    @rule(delegator=st.integers(0, 6), amount=st.integers(0, 10**7))
    def withdraw_staking_rewards(self, delegator: int, amount: int) -> None:
        """What distribution does on a reward withdrawal: pay, then call the redirect hook."""
        app = self.world.app
        ctx = app.context()
        branch = ctx.branch()
        rewards = Coins.of(DENOM, amount)
        app.bank.mint_coins(branch.ctx, "distribution", rewards)
        app.bank.send_coins_from_module_to_account(
            branch.ctx, "distribution", account(delegator), rewards
        )
        expected = [
            (item.pool_id, amount * item.bps // keys.BPS_DENOMINATOR)
            for item in keys.REDIRECTS.values(branch.ctx, prefix=(addr(delegator),))
            if self.pool_is_active(item.pool_id) and amount * item.bps >= keys.BPS_DENOMINATOR
        ]
        moved = app.incentives.after_rewards_withdrawn(
            branch.ctx, account(delegator), addr(delegator), rewards
        )
        branch.write()
        assert moved == sum(share for _, share in expected)
        redirected = []
        for event in ctx.events:
            if event.type == "akash.incentives.v1.EventRewardsRedirected":
                message = events_pb2.EventRewardsRedirected()
                parse_typed_event(event, message)
                redirected.append((message.pool_id, int(message.amount)))
        assert redirected == expected

    # Time

    @rule(
        count=st.integers(1, 3),
        fresh_price=st.booleans(),
        price=st.sampled_from(PRICES),
        attest=st.booleans(),
        data=st.data(),
    )
    def advance_epochs(
        self, count: int, fresh_price: bool, price: str, attest: bool, data: st.DataObject
    ) -> None:
        """End ``count`` epochs; optionally attest every member of every running pool first
        (by as many attesters as the quorum needs) and post a price just before each end."""
        for _ in range(count):
            boundary = self.next_boundary()
            epoch = self.world.epoch
            for pool in list(self.world.app.incentives.keeper.pools(self.ctx)):
                running = pool.status == PoolStatus.ACTIVE and pool.start_epoch <= epoch
                members = self.members(pool.id, epoch)
                if attest and running and epoch <= pool.end_epoch and members:
                    for attester in pool.attesters[: pool.attestation_quorum]:
                        index = ATTESTER if attester == addr(ATTESTER) else SECOND_ATTESTER
                        self.submit(pool.id, epoch, index, members, data)
            if fresh_price:
                self.block_at(boundary - 60)
                self.post_price(price)
            self.block_at(boundary)

    @rule(seconds=st.integers(DAY, 4 * DAY))
    def downtime(self, seconds: int) -> None:
        """A block after a long halt: the epochs catch up one per block from here on."""
        self.block_at(self.world.app.header.time + seconds)

    @rule(seconds=st.integers(1, DAY - 1))
    def advance_within_epoch(self, seconds: int) -> None:
        self.block_at(min(self.world.app.header.time + seconds, self.next_boundary() - 1))

    # Invalid Msgs

    @rule(data=st.data())
    def invalid_msg(self, data: st.DataObject) -> None:
        builders = self.invalid_builders()
        name = data.draw(st.sampled_from(sorted(builders)), label="invalid")
        self.invalid(builders[name]())

    def invalid_builders(self) -> dict[str, Callable[[], object]]:
        """The shared invalid variants (the randomized simulation draws the same ones)."""
        unknown_pool = keys.NEXT_POOL_ID.peek(self.ctx) + 7
        node_id, owner = self.nodes[-1] if self.nodes else ("node-x", 1)
        closed = [
            pool.id
            for pool in self.world.app.incentives.keeper.pools(self.ctx)
            if pool.status == PoolStatus.CLOSED
        ]
        targets = InvalidTargets(
            gov=GOV,
            admin=addr(0),
            outsider=addr(FEEDER),  # owns no node, attests no pool, never redirects
            funder=addr(1),
            feeder=addr(FEEDER),
            attester=addr(ATTESTER),
            epoch=self.world.epoch,
            pool_id=self.pools[-1] if self.pools else unknown_pool,
            unknown_pool=unknown_pool,
            node_id=node_id,
            owner=addr(owner),
            has_node=bool(self.nodes),
            closed_pool=closed[0] if closed else None,
            bad_address=BAD_CHECKSUM_ADDRESS,
        )
        return dict(invalid_incentive_msgs(targets))

    # Invariants

    @invariant()
    def invariants_hold(self) -> None:
        assert self.world.app.invariants() == []


KeeperMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestKeeperMachine = KeeperMachine.TestCase


def test_update_params_cannot_strand_pool_funds_in_the_old_denom() -> None:
    """Product bug: MsgUpdateParams may change ``reward_denom`` while pools hold uakt; it is
    accepted and ``incentives/module-balance`` breaks (the module now "owes" the new denom, and
    claims would pay in it). Either the update is rejected, or the invariants still hold."""
    world = World()
    pool_id = world.create_pool("pro_rata")
    world.fund(pool_id, 10**9)
    params = replace(
        world.app.incentives.keeper.get_params(world.app.context()), reward_denom="uusdc"
    )
    before = world.state()
    result = world.deliver(tx_pb2.MsgUpdateParams(authority=GOV, params=codec.params_to_pb(params)))
    if result.error is not None:
        assert result.error.kind in REGISTERED
        assert world.state() == before
    assert world.app.invariants() == []


def test_every_invalid_variant_is_rejected_without_a_trace() -> None:
    """Each invalid Msg the machine can draw, once, on a state that has all of them available
    (the machine draws only some per run)."""
    machine = KeeperMachine()
    machine.start([3, 3, 3], ["h100", "rtx4090", "b200"], 1, 2, 1)
    machine.close_pool(2)
    builders = machine.invalid_builders()
    assert {"fund-closed-pool", "close-closed-pool", "redirect-to-closed-pool"} <= set(builders)
    for name in sorted(builders):
        machine.invalid(builders[name]())
    machine.invariants_hold()
    machine.teardown()
