"""Epoch hooks (finalization, deferral, quorum, expiry, close) and the reward redirect hook."""

from __future__ import annotations

import dataclasses

from chain.sdk.math import Coin, Coins, Dec
from incentives.keeper.allocation import attested_nodes
from incentives.logic.fixed_point import SCALE
from incentives.pb import events_pb2, tx_pb2
from incentives.types import codec, keys
from incentives.types.errors import ErrEpochNotOpen, ErrNoRewards, ErrPoolClosed
from incentives.types.state import (
    Accrual,
    Allocation,
    AllocationStatus,
    EpochState,
    NodeAllocation,
    PoolStatus,
    RewardRedirect,
)
from tests.incentives.helpers import (
    attest_msg,
    community_pool,
    expect_failure,
    finalized_world,
    module_balance,
    pool_msg,
    typed_events,
)
from tests.incentives.world import (
    ACCOUNT_BALANCE,
    ATTESTER,
    COMMUNITY_POOL,
    DAY,
    DENOM,
    FEEDER,
    GOV,
    World,
    account,
    addr,
)


def set_params(world: World, **changes: object) -> None:
    params = world.app.incentives.keeper.get_params(world.app.context())
    new = dataclasses.replace(params, **changes)
    world.ok(tx_pb2.MsgUpdateParams(authority=GOV, params=codec.params_to_pb(new)))


def epoch_boundary(world: World, epoch: int) -> int:
    """The block time at which ``epoch`` starts."""
    return world.genesis_time + (epoch - 1) * DAY


def accruals(world: World) -> list[Accrual]:
    return list(keys.ACCRUALS.values(world.app.context()))


def allocation(world: World, pool_id: int, epoch: int) -> Allocation | None:
    return keys.ALLOCATIONS.get(world.app.context(), (pool_id, epoch))


def test_epoch_is_finalized_after_the_settlement_lag() -> None:
    world = World()
    world.create_pool("pro_rata")
    world.fund()
    world.register(1, "n1", gpu_count=2)
    world.register(2, "m1", gpu_count=1)
    world.join(1, "n1")
    world.join(2, "m1")
    assert world.attest([("n1", 3600, 0), ("m1", 3600, 0)]).ok
    world.next_epoch()  # the end of epoch 1: within the lag, nothing is finalized
    assert allocation(world, 1, 1) is None
    assert world.pool(1).last_finalized_epoch == 0
    assert accruals(world) == []
    assert world.attest([("m1", 7200, 0)], epoch=1).ok  # a late report still counts
    world.next_epoch()  # the end of epoch 2 finalizes epoch 1
    events = world.app.block_events
    assert allocation(world, 1, 1) == Allocation(
        pool_id=1,
        epoch=1,
        status=AllocationStatus.FINALIZED,
        emission=1_000_000,
        distributed=1_000_000,
        dust=0,
        nodes=(
            NodeAllocation(node_id="m1", provider=addr(2), weight=7200, amount=500_000),
            NodeAllocation(node_id="n1", provider=addr(1), weight=7200, amount=500_000),
        ),
    )
    assert accruals(world) == [
        Accrual(pool_id=1, epoch=1, provider=addr(1), amount=500_000, expires_epoch=32),
        Accrual(pool_id=1, epoch=1, provider=addr(2), amount=500_000, expires_epoch=32),
    ]
    pool = world.pool(1)
    assert (pool.balance, pool.accrued, pool.last_finalized_epoch) == (99_000_000, 1_000_000, 1)
    assert keys.ATTESTATIONS.keys(world.app.context(), (1, 1)) == []
    assert typed_events(events, events_pb2.EventRewardsAccrued) == [
        events_pb2.EventRewardsAccrued(pool_id=1, epoch=1, provider=addr(1), amount="500000"),
        events_pb2.EventRewardsAccrued(pool_id=1, epoch=1, provider=addr(2), amount="500000"),
    ]
    assert typed_events(events, events_pb2.EventEpochFinalized) == [
        events_pb2.EventEpochFinalized(
            pool_id=1, epoch=1, emission="1000000", distributed="1000000", dust="0", nodes=2
        )
    ]
    # An epoch nobody attested emits everything as dust, which stays in the balance.
    world.next_epoch()
    assert allocation(world, 1, 2) == Allocation(
        pool_id=1, epoch=2, status=AllocationStatus.FINALIZED, emission=1_000_000, dust=1_000_000
    )
    assert world.pool(1).balance == 99_000_000
    assert world.app.invariants() == []


def test_epoch_is_finalized_after_a_longer_settlement_lag() -> None:
    world = World()
    set_params(world, settlement_lag_epochs=2)
    world.create_pool("pro_rata")
    world.fund()
    world.register(1, "n1", gpu_count=3)
    world.register(2, "m1", gpu_count=1)
    world.join(1, "n1")
    world.join(2, "m1")
    assert world.attest([("n1", 1000, 0), ("m1", 1000, 0)]).ok
    world.next_epoch(2)
    assert world.pool(1).last_finalized_epoch == 0
    world.next_epoch()  # the end of epoch 3 finalizes epoch 1
    assert [(a.provider, int(a.amount), a.expires_epoch) for a in accruals(world)] == [
        (addr(1), 750_000, 33),
        (addr(2), 250_000, 33),
    ]
    assert world.pool(1).last_finalized_epoch == 1
    assert world.app.invariants() == []


def test_before_epoch_start_records_the_running_epoch() -> None:
    world = World()
    state = world.app.incentives.keeper.epoch_state(world.app.context())
    assert state == EpochState(
        current_epoch=1, current_epoch_start_time=world.genesis_time, epoch_duration_seconds=DAY
    )
    world.app.begin_block(epoch_boundary(world, 3) + 7)  # late blocks tick one epoch each
    world.app.begin_block()
    state = world.app.incentives.keeper.epoch_state(world.app.context())
    assert state == EpochState(
        current_epoch=3,
        current_epoch_start_time=epoch_boundary(world, 3),
        epoch_duration_seconds=DAY,
    )
    assert world.app.incentives.keeper.epoch_end_time(world.app.context(), 4) == epoch_boundary(
        world, 5
    )
    assert world.app.invariants() == []


def test_epoch_hooks_ignore_other_epoch_identifiers() -> None:
    world = finalized_world()
    assert world.attest([("n1", 100, 0)]).ok
    before = world.state()
    ctx = world.app.context()
    hooks = world.app.incentives.epoch_hooks
    hooks.after_epoch_end(ctx, "hour", 10)
    hooks.before_epoch_start(ctx, "week", 11)
    assert ctx.events == []
    assert world.state() == before
    assert world.app.invariants() == []


def test_fixed_rate_epoch_is_deferred_on_stale_price_and_finalized_at_fresh_price() -> None:
    world = World()
    world.create_pool("fixed_rate")
    world.fund(1, 100_000_000)
    world.create_pool("pro_rata")  # a pool of another rule is not held back
    world.fund(2, 100_000_000)
    world.register(1, "n1", gpu_model="h100", gpu_count=8)
    world.join(1, "n1", pool_id=1, until_epoch=5)
    world.join(1, "n1", pool_id=2)
    world.app.begin_block(world.genesis_time + 10)
    world.post_price("2.5")
    assert world.attest([("n1", 3600, 0)], pool_id=1).ok
    assert world.attest([("n1", 3600, 0)], pool_id=2).ok
    world.next_epoch()
    assert world.attest([("n1", 1800, 0)], pool_id=1).ok
    world.next_epoch()  # the end of epoch 2: epoch 1 is due, the price is a day old
    events = world.app.block_events
    deferred = typed_events(events, events_pb2.EventEpochDeferred)
    assert [(event.pool_id, event.epoch) for event in deferred] == [(1, 1)]
    assert f"is {2 * DAY - 10}s old, limit 3600s" in deferred[0].reason
    assert "no fresh price" in deferred[0].reason
    assert allocation(world, 1, 1) == Allocation(
        pool_id=1, epoch=1, status=AllocationStatus.DEFERRED
    )
    pool = world.pool(1)
    assert (pool.balance, pool.accrued, pool.last_finalized_epoch) == (100_000_000, 0, 0)
    assert world.pool(2).last_finalized_epoch == 1
    assert [(a.pool_id, a.epoch) for a in accruals(world)] == [(2, 1)]
    assert typed_events(events, events_pb2.EventEpochFinalized)[0].pool_id == 2
    # A deferred epoch is still open: its report can be corrected.
    assert world.attest([("n1", 7200, 0)], pool_id=1, epoch=1).ok
    # Still stale at the next epoch end: deferred again, nothing paid at the old price.
    world.next_epoch()
    assert [
        (event.pool_id, event.epoch)
        for event in typed_events(world.app.block_events, events_pb2.EventEpochDeferred)
    ] == [(1, 1)]
    assert world.pool(1).last_finalized_epoch == 0
    # A fresh price, posted 100 s before the end of epoch 4, releases epochs 1 to 3 in order.
    world.app.begin_block(epoch_boundary(world, 5) - 100)
    world.post_price("2")
    world.next_epoch()
    events = world.app.block_events
    assert typed_events(events, events_pb2.EventEpochDeferred) == []
    finalized = typed_events(events, events_pb2.EventEpochFinalized)
    assert [(event.pool_id, event.epoch) for event in finalized] == [(1, 1), (1, 2), (1, 3), (2, 3)]
    # What each epoch is owed: usd_micros x gpus x online hours, divided by the price.
    epoch_1 = 2_490_000 * 8 * 7200 // 3600 // 2
    epoch_2 = 2_490_000 * 8 * 1800 // 3600 // 2
    assert (epoch_1, epoch_2) == (19_920_000, 4_980_000)
    first = allocation(world, 1, 1)
    assert first is not None
    assert first.status == AllocationStatus.FINALIZED
    assert (first.emission, first.distributed, first.dust) == (epoch_1, epoch_1, 0)
    assert first.price == Dec.from_int(2)
    assert first.price_time == epoch_boundary(world, 5) - 100
    assert first.nodes == (
        NodeAllocation(node_id="n1", provider=addr(1), weight=2_490_000 * 8 * 7200, amount=epoch_1),
    )
    assert [
        (a.epoch, int(a.amount), a.expires_epoch) for a in accruals(world) if a.pool_id == 1
    ] == [(1, epoch_1, 34), (2, epoch_2, 34)]
    pool = world.pool(1)
    assert (pool.balance, pool.accrued, pool.last_finalized_epoch) == (
        100_000_000 - epoch_1 - epoch_2,
        epoch_1 + epoch_2,
        3,
    )
    assert world.app.invariants() == []


def test_fixed_rate_epoch_is_deferred_when_no_price_was_ever_posted() -> None:
    world = World()
    world.create_pool("fixed_rate")
    world.fund()
    world.register(1, "n1", gpu_model="a100-80gb", gpu_count=1)
    world.join(1, "n1", until_epoch=6)
    assert world.attest([("n1", 3600, 0)]).ok
    world.next_epoch(2)
    deferred = typed_events(world.app.block_events, events_pb2.EventEpochDeferred)
    assert len(deferred) == 1
    assert (deferred[0].pool_id, deferred[0].epoch) == (1, 1)
    assert "no AKT/USD price has been posted" in deferred[0].reason
    assert world.pool(1).last_finalized_epoch == 0
    assert accruals(world) == []
    assert world.app.invariants() == []


def test_quorum_of_two_counts_nodes_at_the_lower_median() -> None:
    world = World()
    world.create_pool(
        "pro_rata", attesters=[addr(ATTESTER), addr(7), addr(6)], attestation_quorum=2
    )
    world.fund()
    for owner, node_id in ((1, "a"), (2, "b"), (3, "c")):
        world.register(owner, node_id)
        world.join(owner, node_id)
    # a: three reports, median 2000; b: two reports, lower median 1000; c: one report only.
    assert world.attest([("a", 1000, 900), ("b", 4000, 0), ("c", 5000, 0)]).ok
    assert world.attest([("a", 3000, 100), ("b", 1000, 0)], attester=7).ok
    assert world.attest([("a", 2000, 500)], attester=6).ok
    world.next_epoch(2)
    assert allocation(world, 1, 1) == Allocation(
        pool_id=1,
        epoch=1,
        status=AllocationStatus.FINALIZED,
        emission=1_000_000,
        distributed=999_999,
        dust=1,
        nodes=(
            NodeAllocation(node_id="a", provider=addr(1), weight=2000, amount=666_666),
            NodeAllocation(node_id="b", provider=addr(2), weight=1000, amount=333_333),
        ),
    )
    assert [(a.provider, int(a.amount)) for a in accruals(world)] == [
        (addr(1), 666_666),
        (addr(2), 333_333),
    ]
    assert typed_events(world.app.block_events, events_pb2.EventEpochFinalized) == [
        events_pb2.EventEpochFinalized(
            pool_id=1, epoch=1, emission="1000000", distributed="999999", dust="1", nodes=2
        )
    ]
    pool = world.pool(1)
    assert (pool.balance, pool.accrued) == (100_000_000 - 999_999, 999_999)
    assert world.app.invariants() == []


def test_quorum_uses_lower_median_of_each_measured_value() -> None:
    world = World()
    world.create_pool("availability", attesters=[addr(ATTESTER), addr(7)], attestation_quorum=2)
    world.fund()
    world.register(1, "a")
    world.join(1, "a")
    msg = attest_msg(world, [("a", 3000, 2000)])
    msg.reports[0].benchmark_score = 1700
    world.ok(msg)
    msg = attest_msg(world, [("a", 1000, 900)], attester=7)
    msg.reports[0].benchmark_score = 1200
    world.ok(msg)
    (node,) = attested_nodes(world.app.context(), world.pool(1), 1)
    assert (node.report.online_seconds, node.report.idle_seconds) == (1000, 900)
    assert node.report.benchmark_score == 1200
    assert world.app.invariants() == []


def test_expired_accrual_returns_to_the_open_pool() -> None:
    world = World()
    set_params(world, claim_window_epochs=2)
    world.create_pool("pro_rata")
    world.fund()
    world.register(1, "n1")
    world.join(1, "n1")
    assert world.attest([("n1", 3600, 0)]).ok
    world.next_epoch(2)  # the end of epoch 2 finalizes epoch 1; the accrual expires at 4
    assert accruals(world) == [
        Accrual(pool_id=1, epoch=1, provider=addr(1), amount=1_000_000, expires_epoch=4)
    ]
    world.next_epoch()  # the end of epoch 3: still claimable
    assert len(accruals(world)) == 1
    held = module_balance(world)
    world.next_epoch()  # the end of epoch 4: expired
    assert accruals(world) == []
    assert list(keys.ACCRUALS_BY_EXPIRY.iterate(world.app.context())) == []
    assert typed_events(world.app.block_events, events_pb2.EventAccrualExpired) == [
        events_pb2.EventAccrualExpired(pool_id=1, epoch=1, provider=addr(1), amount="1000000")
    ]
    pool = world.pool(1)
    assert pool.status == PoolStatus.ACTIVE
    assert (pool.funded, pool.balance, pool.accrued, pool.paid, pool.returned) == (
        100_000_000,
        100_000_000,
        0,
        0,
        0,
    )
    assert module_balance(world) == held
    assert community_pool(world) == Dec.from_int(COMMUNITY_POOL - 100_000_000)
    expect_failure(world, tx_pb2.MsgClaimRewards(provider=addr(1)), ErrNoRewards)
    assert world.app.invariants() == []


def test_expired_accrual_of_a_closed_pool_goes_to_the_community_pool() -> None:
    world = World()
    set_params(world, claim_window_epochs=2)
    world.create_pool("pro_rata", start_epoch=1, end_epoch=1)
    world.fund()
    world.register(1, "n1")
    world.join(1, "n1")
    assert world.attest([("n1", 3600, 0)]).ok
    world.next_epoch(2)  # epoch 1 finalized at the end of epoch 2, then the pool closes
    pool = world.pool(1)
    assert pool.status == PoolStatus.CLOSED
    assert (pool.balance, pool.accrued, pool.returned) == (0, 1_000_000, 99_000_000)
    assert community_pool(world) == Dec.from_int(COMMUNITY_POOL - 1_000_000)
    world.next_epoch(2)  # the end of epoch 4: the accrual expires
    assert accruals(world) == []
    assert typed_events(world.app.block_events, events_pb2.EventAccrualExpired) == [
        events_pb2.EventAccrualExpired(pool_id=1, epoch=1, provider=addr(1), amount="1000000")
    ]
    pool = world.pool(1)
    assert (pool.funded, pool.balance, pool.accrued, pool.paid, pool.returned) == (
        100_000_000,
        0,
        0,
        0,
        100_000_000,
    )
    assert community_pool(world) == Dec.from_int(COMMUNITY_POOL)
    assert module_balance(world) == 0
    assert world.balance(1) == ACCOUNT_BALANCE
    assert world.app.invariants() == []


def test_pool_closes_at_term_end_returning_the_remainder() -> None:
    world = World()
    world.create_pool("pro_rata", start_epoch=1, end_epoch=2)
    world.fund(1, 1_500_000)  # less than two epochs' emission
    world.register(1, "n1")
    world.join(1, "n1")
    assert world.attest([("n1", 3600, 0)]).ok
    world.next_epoch()
    assert world.attest([("n1", 3600, 0)]).ok
    world.next_epoch()  # the end of epoch 2 finalizes epoch 1; epoch 2 is still in its lag
    assert world.pool(1).status == PoolStatus.ACTIVE
    assert world.pool(1).balance == 500_000
    world.next_epoch()  # the end of epoch 3 finalizes epoch 2 (capped at the balance) and closes
    events = world.app.block_events
    assert typed_events(events, events_pb2.EventEpochFinalized) == [
        events_pb2.EventEpochFinalized(
            pool_id=1, epoch=2, emission="500000", distributed="500000", dust="0", nodes=1
        )
    ]
    assert typed_events(events, events_pb2.EventPoolClosed) == [
        events_pb2.EventPoolClosed(pool_id=1, returned="0", reason="term ended")
    ]
    pool = world.pool(1)
    assert pool.status == PoolStatus.CLOSED
    assert (pool.funded, pool.balance, pool.accrued, pool.returned) == (1_500_000, 0, 1_500_000, 0)
    assert world.app.invariants() == []


def test_pool_closes_at_term_end_returning_its_balance_to_the_community_pool() -> None:
    world = World()
    world.create_pool("pro_rata", start_epoch=2, end_epoch=3)
    world.fund()
    world.register(1, "n1")
    world.join(1, "n1")
    world.next_epoch()
    assert world.attest([("n1", 3600, 0)]).ok
    world.next_epoch(2)
    assert world.pool(1).status == PoolStatus.ACTIVE
    world.next_epoch()  # the end of epoch 4 finalizes epoch 3, the last of the term
    events = world.app.block_events
    assert typed_events(events, events_pb2.EventPoolClosed) == [
        events_pb2.EventPoolClosed(pool_id=1, returned="99000000", reason="term ended")
    ]
    pool = world.pool(1)
    assert pool.status == PoolStatus.CLOSED
    assert pool.last_finalized_epoch == 3
    assert (pool.funded, pool.balance, pool.accrued, pool.returned) == (
        100_000_000,
        0,
        1_000_000,
        99_000_000,
    )
    # Epoch 3 had no reports: its emission was dust and went back with the balance.
    assert allocation(world, 1, 3) == Allocation(
        pool_id=1, epoch=3, status=AllocationStatus.FINALIZED, emission=1_000_000, dust=1_000_000
    )
    assert community_pool(world) == Dec.from_int(COMMUNITY_POOL - 1_000_000)
    # Closed: later epoch ends leave it alone; its accruals are still claimable.
    before = world.pool(1)
    world.next_epoch(2)
    assert world.pool(1) == before
    assert allocation(world, 1, 4) is None
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(1)))
    assert world.balance(1) == ACCOUNT_BALANCE + 1_000_000
    assert world.pool(1).paid == 1_000_000
    assert world.app.invariants() == []


def test_pool_closed_by_governance_is_no_longer_finalized() -> None:
    world = finalized_world()  # epoch 3; epoch 1 finalized, 1M accrued
    assert world.attest([("n1", 3600, 0)], epoch=2).ok
    result = world.ok(tx_pb2.MsgClosePool(authority=GOV, pool_id=1))
    assert typed_events(result.events, events_pb2.EventPoolClosed) == [
        events_pb2.EventPoolClosed(pool_id=1, returned="99000000", reason="closed by governance")
    ]
    assert community_pool(world) == Dec.from_int(COMMUNITY_POOL - 1_000_000)
    expect_failure(world, attest_msg(world, [("n1", 10, 0)]), ErrPoolClosed)
    world.next_epoch(2)
    pool = world.pool(1)
    assert pool.status == PoolStatus.CLOSED
    assert pool.last_finalized_epoch == 1
    assert allocation(world, 1, 2) is None
    assert typed_events(world.app.block_events, events_pb2.EventEpochFinalized) == []
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(1)))
    pool = world.pool(1)
    assert (pool.funded, pool.balance, pool.accrued, pool.paid, pool.returned) == (
        100_000_000,
        0,
        0,
        1_000_000,
        99_000_000,
    )
    assert world.app.invariants() == []


def test_epochs_catch_up_in_order_after_downtime() -> None:
    world = World()
    world.create_pool("pro_rata")
    world.fund()
    world.register(1, "n1")
    world.join(1, "n1")
    assert world.attest([("n1", 3600, 0)]).ok
    # No block for four days: each following block ticks one epoch.
    world.app.begin_block(world.genesis_time + 4 * DAY + 5)
    assert world.epoch == 2
    world.app.begin_block()
    assert world.epoch == 3
    assert world.pool(1).last_finalized_epoch == 1
    world.app.begin_block()
    world.app.begin_block()
    assert world.epoch == 5
    assert world.pool(1).last_finalized_epoch == 3
    expect_failure(world, attest_msg(world, [("n1", 1, 0)], epoch=3), ErrEpochNotOpen)
    assert world.app.invariants() == []


def test_reward_redirect_moves_the_share_into_open_pools() -> None:
    world = World()
    for _ in range(3):
        world.create_pool("pro_rata")
    for pool_id, bps in ((1, 2500), (2, 3333), (3, 1000)):
        world.ok(tx_pb2.MsgSetRewardRedirect(delegator=addr(4), pool_id=pool_id, bps=bps))
    world.ok(tx_pb2.MsgClosePool(authority=GOV, pool_id=3))
    ctx = world.app.context()
    rewards = Coins([Coin(DENOM, 10_001), Coin("uatom", 5_000)])
    moved = world.app.incentives.after_rewards_withdrawn(ctx, account(4), addr(4), rewards)
    # floor(10001 * 2500 / 10000) = 2500, floor(10001 * 3333 / 10000) = 3333; pool 3 is closed.
    assert moved == 2500 + 3333
    assert world.balance(4) == ACCOUNT_BALANCE - 5833
    assert module_balance(world) == 5833
    one, two, three = world.pool(1), world.pool(2), world.pool(3)
    assert (one.funded, one.balance) == (2500, 2500)
    assert (two.funded, two.balance) == (3333, 3333)
    assert (three.funded, three.balance) == (0, 0)
    assert list(keys.REDIRECTS.values(world.app.context())) == [
        RewardRedirect(delegator=addr(4), pool_id=1, bps=2500, contributed=2500),
        RewardRedirect(delegator=addr(4), pool_id=2, bps=3333, contributed=3333),
        RewardRedirect(delegator=addr(4), pool_id=3, bps=1000, contributed=0),
    ]
    assert typed_events(ctx.events, events_pb2.EventRewardsRedirected) == [
        events_pb2.EventRewardsRedirected(delegator=addr(4), pool_id=1, amount="2500"),
        events_pb2.EventRewardsRedirected(delegator=addr(4), pool_id=2, amount="3333"),
    ]
    assert typed_events(ctx.events, events_pb2.EventPoolFunded) == [
        events_pb2.EventPoolFunded(
            pool_id=1, funder=addr(4), amount="2500", from_community_pool=False
        ),
        events_pb2.EventPoolFunded(
            pool_id=2, funder=addr(4), amount="3333", from_community_pool=False
        ),
    ]
    # A second withdrawal adds to the contributions.
    ctx = world.app.context()
    moved = world.app.incentives.after_rewards_withdrawn(
        ctx, account(4), addr(4), Coins.of(DENOM, 4)
    )
    assert moved == 2  # floor(4 * 0.25) = 1, floor(4 * 0.3333) = 1, nothing for pool 3
    assert [r.contributed for r in keys.REDIRECTS.values(world.app.context())] == [2501, 3334, 0]
    assert world.app.invariants() == []


def test_reward_redirect_moves_nothing_below_one_unit_or_without_redirects() -> None:
    world = World()
    world.create_pool("pro_rata")
    world.ok(tx_pb2.MsgSetRewardRedirect(delegator=addr(4), pool_id=1, bps=2500))
    before = world.state()
    ctx = world.app.context()
    incentives = world.app.incentives
    assert incentives.after_rewards_withdrawn(ctx, account(4), addr(4), Coins.of(DENOM, 3)) == 0
    assert incentives.after_rewards_withdrawn(ctx, account(4), addr(4), Coins()) == 0
    assert incentives.after_rewards_withdrawn(ctx, account(4), addr(4), Coins.of("uatom", 99)) == 0
    assert incentives.after_rewards_withdrawn(ctx, account(5), addr(5), Coins.of(DENOM, 99)) == 0
    assert ctx.events == []
    assert world.state() == before
    assert world.app.invariants() == []


def test_fixed_rate_owed_amount_matches_the_readme_formula() -> None:
    """2.49 USD/GPU-hour x 8 GPUs x 1 h at 2.5 USD/AKT = 7.968 AKT."""
    world = World()
    world.ok(pool_msg(world, "fixed_rate"))
    world.fund()
    world.register(1, "n1", gpu_model="h100", gpu_count=8)
    world.join(1, "n1", until_epoch=5)
    assert world.attest([("n1", 3600, 0)]).ok
    world.next_epoch()
    world.app.begin_block(epoch_boundary(world, 3) - 1)
    world.ok(tx_pb2.MsgPostPrice(feeder=addr(FEEDER), akt_usd="2.5"))
    world.next_epoch()
    first = allocation(world, 1, 1)
    assert first is not None
    assert first.status == AllocationStatus.FINALIZED
    assert first.emission == 7_968_000
    assert first.price is not None
    assert first.price.raw == 25 * SCALE // 10
    assert world.app.invariants() == []
