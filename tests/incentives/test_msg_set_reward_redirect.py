"""MsgSetRewardRedirect: every "Fails when" condition, and the redirects it stores."""

from __future__ import annotations

import pytest

from chain.sdk.errors import ErrInvalidAddress, ErrInvalidRequest, RegisteredError
from chain.sdk.math import Coins
from incentives.pb import events_pb2, tx_pb2
from incentives.types import keys
from incentives.types.errors import ErrInvalidRedirect, ErrPoolClosed, ErrPoolNotFound
from incentives.types.state import RewardRedirect
from tests.incentives.helpers import close_pool, expect_failure, typed_events
from tests.incentives.world import DENOM, World, account, addr


def redirect_msg(pool_id: int = 1, bps: int = 2500, delegator: str | None = None):
    return tx_pb2.MsgSetRewardRedirect(
        delegator=addr(4) if delegator is None else delegator, pool_id=pool_id, bps=bps
    )


def pools_world(count: int = 2) -> World:
    world = World()
    for _ in range(count):
        world.create_pool("pro_rata")
    return world


VALIDATE_BASIC: list[tuple[str, tx_pb2.MsgSetRewardRedirect, RegisteredError]] = [
    ("delegator_is_invalid", redirect_msg(delegator="akash1"), ErrInvalidAddress),
    ("pool_id_is_zero", redirect_msg(pool_id=0), ErrInvalidRequest),
    ("bps_exceed_10000", redirect_msg(bps=10_001), ErrInvalidRedirect),
]


@pytest.mark.parametrize(
    ("msg", "kind"), [case[1:] for case in VALIDATE_BASIC], ids=[case[0] for case in VALIDATE_BASIC]
)
def test_msg_set_reward_redirect_fails_when_validate_basic_fails(
    msg: tx_pb2.MsgSetRewardRedirect, kind: RegisteredError
) -> None:
    expect_failure(pools_world(), msg, kind)


def test_msg_set_reward_redirect_fails_when_opting_in_to_pool_that_does_not_exist() -> None:
    expect_failure(pools_world(), redirect_msg(pool_id=3), ErrPoolNotFound)


def test_msg_set_reward_redirect_fails_when_opting_in_to_closed_pool() -> None:
    world = pools_world()
    close_pool(world, 2)
    expect_failure(world, redirect_msg(pool_id=2), ErrPoolClosed)


def test_msg_set_reward_redirect_fails_when_shares_over_all_pools_exceed_10000_bps() -> None:
    world = pools_world()
    world.ok(redirect_msg(pool_id=1, bps=6000))
    world.ok(redirect_msg(pool_id=2, bps=4000))
    expect_failure(world, redirect_msg(pool_id=2, bps=4001), ErrInvalidRedirect)


def test_msg_set_reward_redirect_fails_when_shares_exceed_10000_bps_under_another_case() -> None:
    """The same account must not redirect 10000 bps twice by writing its address in upper case
    (bech32 accepts both): the cap is per delegator account."""
    world = pools_world()
    world.ok(redirect_msg(pool_id=1, bps=10_000))
    before = world.state()
    result = world.deliver(redirect_msg(pool_id=2, bps=10_000, delegator=addr(4).upper()))
    assert result.error is not None, "one delegator redirected 20000 bps"
    assert result.error.is_(ErrInvalidRedirect) or result.error.is_(ErrInvalidAddress)
    assert world.state() == before
    assert world.app.invariants() == []


def test_msg_set_reward_redirect_fails_when_opting_out_without_redirect() -> None:
    world = pools_world()
    world.ok(redirect_msg(pool_id=1))
    expect_failure(world, redirect_msg(pool_id=2, bps=0), ErrInvalidRedirect)


def test_msg_set_reward_redirect_fails_when_opting_out_twice() -> None:
    world = pools_world()
    world.ok(redirect_msg(pool_id=1))
    world.ok(redirect_msg(pool_id=1, bps=0))
    expect_failure(world, redirect_msg(pool_id=1, bps=0), ErrInvalidRedirect)


def test_msg_set_reward_redirect_sets_updates_and_removes_redirects() -> None:
    world = pools_world()
    result = world.ok(redirect_msg(pool_id=1, bps=2500))
    assert result.response == tx_pb2.MsgSetRewardRedirectResponse()
    assert typed_events(result.events, events_pb2.EventRewardRedirectSet) == [
        events_pb2.EventRewardRedirectSet(delegator=addr(4), pool_id=1, bps=2500)
    ]
    world.ok(redirect_msg(pool_id=2, bps=7500))  # exactly 10000 in all
    ctx = world.app.context()
    world.app.incentives.after_rewards_withdrawn(ctx, account(4), addr(4), Coins.of(DENOM, 1000))
    ctx = world.app.context()
    assert list(keys.REDIRECTS.values(ctx)) == [
        RewardRedirect(delegator=addr(4), pool_id=1, bps=2500, contributed=250),
        RewardRedirect(delegator=addr(4), pool_id=2, bps=7500, contributed=750),
    ]
    # Changing a share keeps what was contributed; the pool's own share is not counted twice.
    world.ok(redirect_msg(pool_id=2, bps=7000))
    world.ok(redirect_msg(pool_id=2, bps=7500))
    assert keys.REDIRECTS.get(world.app.context(), (addr(4), 2)) == RewardRedirect(
        delegator=addr(4), pool_id=2, bps=7500, contributed=750
    )
    # Opting out removes the redirect.
    result = world.ok(redirect_msg(pool_id=1, bps=0))
    assert typed_events(result.events, events_pb2.EventRewardRedirectSet) == [
        events_pb2.EventRewardRedirectSet(delegator=addr(4), pool_id=1, bps=0)
    ]
    assert keys.REDIRECTS.keys(world.app.context()) == [(addr(4), 2)]
    assert world.app.invariants() == []


def test_msg_set_reward_redirect_opts_out_of_a_closed_pool() -> None:
    world = pools_world()
    world.ok(redirect_msg(pool_id=2))
    close_pool(world, 2)
    world.ok(redirect_msg(pool_id=2, bps=0))
    assert keys.REDIRECTS.keys(world.app.context()) == []
    assert world.app.invariants() == []
