"""Shared assertions and Msg builders for the incentives module tests."""

from __future__ import annotations

from typing import Any, TypeVar

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from google.protobuf.message import Message

from chain.sdk.address import encode_address
from chain.sdk.errors import RegisteredError
from chain.sdk.events import Event, parse_typed_event
from chain.sdk.math import Dec
from chain.simapp import DeliverResult
from incentives.pb import tx_pb2, types_pb2
from incentives.types import keys
from tests.incentives.world import ATTESTER, DENOM, GOV, World, addr

M = TypeVar("M", bound=Message)

MODULE = keys.MODULE_ADDRESS


def typed_events(events: list[Event], kind: type[M]) -> list[M]:
    """The events of type ``kind`` decoded back into their typed messages, in order."""
    name = kind.DESCRIPTOR.full_name
    return [parse_typed_event(event, kind()) for event in events if event.type == name]  # type: ignore[misc]


def incentive_event_types(events: list[Event]) -> list[str]:
    return [event.type for event in events if event.type.startswith("akash.incentives.v1.")]


def balances(world: World) -> tuple[list[tuple[bytes, str, int]], dict[str, Dec]]:
    """Every bank balance and the community pool: what a rejected Msg must not move."""
    ctx = world.app.context()
    bank = [
        (account, coin.denom, int(coin.amount))
        for account, coin in world.app.bank.iterate_balances(ctx)
    ]
    return bank, world.app.distribution.get_community_pool(ctx)


def community_pool(world: World) -> Dec:
    return world.app.distribution.get_community_pool(world.app.context()).get(DENOM, Dec.zero())


def module_balance(world: World) -> int:
    return int(world.app.bank.get_balance(world.app.context(), MODULE, DENOM))


def expect_failure(world: World, msg: Message, kind: RegisteredError) -> DeliverResult:
    """Deliver ``msg``, expect the registered error ``kind`` and no change to state or funds."""
    before = world.state()
    funds = balances(world)
    result = world.deliver(msg)
    assert result.error is not None, f"{type(msg).__name__} unexpectedly succeeded"
    assert result.error.is_(kind), result.error.log
    assert result.events == []
    assert world.state() == before
    assert balances(world) == funds
    assert world.app.invariants() == []
    return result


def coins(amount: int | str, denom: str = DENOM) -> list[Coin]:
    return [Coin(denom=denom, amount=str(amount))]


def address(index: int) -> str:
    """A valid address outside the world's funded accounts (index >= 10)."""
    return encode_address(bytes([index + 1]) * 20)


def pool_msg(world: World, rule: str = "availability", **overrides: Any) -> tx_pb2.MsgCreatePool:
    """The MsgCreatePool ``World.create_pool`` sends, not delivered."""
    return world.pool_msg(rule, **overrides)


def close_pool(world: World, pool_id: int = 1) -> None:
    world.ok(tx_pb2.MsgClosePool(authority=GOV, pool_id=pool_id))


def attest_msg(
    world: World,
    reports: list[tuple[str, int, int]],
    pool_id: int = 1,
    epoch: int | None = None,
    attester: int = ATTESTER,
) -> tx_pb2.MsgSubmitAttestation:
    return tx_pb2.MsgSubmitAttestation(
        attester=addr(attester),
        pool_id=pool_id,
        epoch=world.epoch if epoch is None else epoch,
        reports=[
            types_pb2.NodeReport(node_id=node_id, online_seconds=online, idle_seconds=idle)
            for node_id, online, idle in reports
        ],
    )


def finalized_world(rule: str = "pro_rata") -> World:
    """A world where provider 1's node ``n1`` accrued the whole emission of pool 1's epoch 1
    (1,000,000 uakt, finalized at the end of epoch 2; the world is in epoch 3)."""
    world = World()
    world.create_pool(rule)
    world.fund()
    world.register(1, "n1")
    world.join(1, "n1")
    assert world.attest([("n1", 3600, 3600)]).ok
    world.next_epoch(2)
    return world
