"""MsgCreatePool: every "Fails when" condition, and the pool it creates."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from chain.sdk.errors import ErrInvalidAddress, RegisteredError
from incentives.pb import events_pb2, tx_pb2, types_pb2
from incentives.types.errors import ErrInvalidAuthority, ErrInvalidPool, ErrUnknownGpuModel
from incentives.types.state import (
    AllocationRule,
    AvailabilityConfig,
    Eligibility,
    PenaltyMode,
    PoolStatus,
    Vendor,
)
from tests.incentives.helpers import address, expect_failure, pool_msg, typed_events
from tests.incentives.world import ATTESTER, World, addr

Mutation = Callable[[tx_pb2.MsgCreatePool], object]


def _set(field: str, value: object) -> Mutation:
    return lambda msg: setattr(msg, field, value)


def _clear(field: str) -> Mutation:
    return lambda msg: msg.ClearField(field)


def _extend(field: str, *values: object) -> Mutation:
    return lambda msg: getattr(msg, field).extend(values)


def _rates(*rates: types_pb2.ModelRate) -> Mutation:
    def mutate(msg: tx_pb2.MsgCreatePool) -> None:
        del msg.fixed_rate.rates[:]
        msg.fixed_rate.rates.extend(rates)

    return mutate


def _availability(**fields: object) -> Mutation:
    def mutate(msg: tx_pb2.MsgCreatePool) -> None:
        for name, value in fields.items():
            setattr(msg.availability, name, value)

    return mutate


def _weights_zero(msg: tx_pb2.MsgCreatePool) -> None:
    msg.availability.weight_benchmark = 0
    msg.availability.weight_vram = 0
    msg.availability.weight_age = 0


def _pro_rata_with_fixed_rate(msg: tx_pb2.MsgCreatePool) -> None:
    msg.fixed_rate.rates.add(gpu_model="h100", usd_micros_per_gpu_hour=1)


# (condition, rule of the base message, mutation, error) -- the validate_basic list of msgs.py
# and the module README, one condition each.
VALIDATE_BASIC: list[tuple[str, str, Mutation, RegisteredError]] = [
    ("authority_is_invalid", "pro_rata", _set("authority", "akash1bad"), ErrInvalidAddress),
    ("admin_is_invalid", "pro_rata", _set("admin", "cosmos1xyz"), ErrInvalidAddress),
    ("admin_is_empty", "pro_rata", _set("admin", ""), ErrInvalidAddress),
    ("name_is_empty", "pro_rata", _set("name", ""), ErrInvalidPool),
    ("name_is_blank", "pro_rata", _set("name", "   "), ErrInvalidPool),
    ("name_is_over_128_characters", "pro_rata", _set("name", "x" * 129), ErrInvalidPool),
    ("there_are_no_attesters", "pro_rata", _clear("attesters"), ErrInvalidPool),
    (
        "there_are_more_than_32_attesters",
        "pro_rata",
        _extend("attesters", *[address(10 + i) for i in range(32)]),
        ErrInvalidPool,
    ),
    ("an_attester_is_invalid", "pro_rata", _extend("attesters", "akash1nope"), ErrInvalidAddress),
    ("an_attester_is_repeated", "pro_rata", _extend("attesters", addr(ATTESTER)), ErrInvalidPool),
    ("quorum_is_zero", "pro_rata", _set("attestation_quorum", 0), ErrInvalidPool),
    ("quorum_is_above_attester_count", "pro_rata", _set("attestation_quorum", 2), ErrInvalidPool),
    ("start_epoch_is_zero", "pro_rata", _set("start_epoch", 0), ErrInvalidPool),
    ("start_epoch_is_after_end_epoch", "pro_rata", _set("end_epoch", 0), ErrInvalidPool),
    ("rule_is_unspecified", "pro_rata", _set("rule", 0), ErrInvalidPool),
    ("rule_is_unknown", "pro_rata", _set("rule", 9), ErrInvalidPool),
    ("rule_lacks_its_config", "pro_rata", _clear("pro_rata"), ErrInvalidPool),
    ("rule_has_another_rules_config", "pro_rata", _pro_rata_with_fixed_rate, ErrInvalidPool),
    ("fixed_rate_has_no_rates", "fixed_rate", _rates(), ErrInvalidPool),
    (
        "fixed_rate_rates_a_model_twice",
        "fixed_rate",
        _rates(
            types_pb2.ModelRate(gpu_model="h100", usd_micros_per_gpu_hour=1),
            types_pb2.ModelRate(gpu_model="h100", usd_micros_per_gpu_hour=2),
        ),
        ErrInvalidPool,
    ),
    (
        "fixed_rate_price_is_zero",
        "fixed_rate",
        _rates(types_pb2.ModelRate(gpu_model="h100", usd_micros_per_gpu_hour=0)),
        ErrInvalidPool,
    ),
    (
        "pro_rata_emission_is_zero",
        "pro_rata",
        lambda msg: setattr(msg.pro_rata, "emission_per_epoch", "0"),
        ErrInvalidPool,
    ),
    (
        "pro_rata_emission_is_not_an_integer",
        "pro_rata",
        lambda msg: setattr(msg.pro_rata, "emission_per_epoch", "1.5"),
        ErrInvalidPool,
    ),
    (
        "availability_emission_is_zero",
        "availability",
        _availability(emission_per_epoch="0"),
        ErrInvalidPool,
    ),
    ("availability_weights_are_all_zero", "availability", _weights_zero, ErrInvalidPool),
    (
        "availability_penalty_free_nodes_is_zero",
        "availability",
        _availability(penalty_free_nodes=0),
        ErrInvalidPool,
    ),
    (
        "availability_decay_is_negative",
        "availability",
        _availability(penalty_decay="-0.1"),
        ErrInvalidPool,
    ),
    (
        "availability_decay_is_above_20",
        "availability",
        _availability(penalty_decay="20.000000000000000001"),
        ErrInvalidPool,
    ),
    (
        "availability_decay_is_not_a_decimal",
        "availability",
        _availability(penalty_decay="0,65"),
        ErrInvalidPool,
    ),
    (
        "availability_penalty_mode_is_unknown",
        "availability",
        _availability(penalty_mode=7),
        ErrInvalidPool,
    ),
    (
        "eligibility_vendor_is_unknown",
        "pro_rata",
        lambda msg: msg.eligibility.vendors.append(5),
        ErrInvalidPool,
    ),
    (
        "eligibility_lists_a_model_twice",
        "pro_rata",
        lambda msg: msg.eligibility.gpu_models.extend(["h100", "h100"]),
        ErrInvalidPool,
    ),
]


@pytest.mark.parametrize(
    ("rule", "mutate", "kind"),
    [case[1:] for case in VALIDATE_BASIC],
    ids=[case[0] for case in VALIDATE_BASIC],
)
def test_msg_create_pool_fails_when_validate_basic_fails(
    rule: str, mutate: Mutation, kind: RegisteredError
) -> None:
    world = World()
    msg = pool_msg(world, rule)
    mutate(msg)
    expect_failure(world, msg, kind)


def test_msg_create_pool_fails_when_signer_is_not_gov_authority() -> None:
    world = World()
    expect_failure(world, pool_msg(world, authority=addr(0)), ErrInvalidAuthority)


def test_msg_create_pool_fails_when_eligibility_model_is_not_in_catalog() -> None:
    world = World()
    msg = pool_msg(world, "pro_rata", eligibility=types_pb2.Eligibility(gpu_models=["gtx1080"]))
    expect_failure(world, msg, ErrUnknownGpuModel)


def test_msg_create_pool_fails_when_rated_model_is_not_in_catalog() -> None:
    world = World()
    msg = pool_msg(world, "fixed_rate")
    msg.fixed_rate.rates.add(gpu_model="gtx1080", usd_micros_per_gpu_hour=1_000_000)
    expect_failure(world, msg, ErrUnknownGpuModel)


def test_msg_create_pool_fails_when_start_epoch_is_before_current_epoch() -> None:
    world = World()
    world.next_epoch(2)
    msg = pool_msg(world, "pro_rata", start_epoch=world.epoch - 1)
    expect_failure(world, msg, ErrInvalidPool)


def test_msg_create_pool_fails_when_attester_is_repeated_in_another_case() -> None:
    """The same account listed twice (lower- and upper-case bech32) would let one attester
    count twice towards the quorum."""
    world = World()
    msg = pool_msg(
        world,
        "pro_rata",
        attesters=[addr(ATTESTER), addr(ATTESTER).upper()],
        attestation_quorum=2,
    )
    before = world.state()
    result = world.deliver(msg)
    assert result.error is not None, "one account was accepted as two attesters"
    assert result.error.is_(ErrInvalidPool) or result.error.is_(ErrInvalidAddress)
    assert world.state() == before
    assert world.app.invariants() == []


def test_msg_create_pool_creates_the_pool() -> None:
    world = World()
    world.next_epoch()
    msg = pool_msg(
        world,
        "availability",
        name="next-gen R&D",
        attesters=[addr(ATTESTER), addr(7)],
        attestation_quorum=2,
        eligibility=types_pb2.Eligibility(
            vendors=[1, 2], min_launch_year=2024, min_vram_gb=80, max_nodes_per_provider=4
        ),
        start_epoch=3,
        end_epoch=12,
    )
    result = world.ok(msg)
    assert result.response == tx_pb2.MsgCreatePoolResponse(pool_id=1)
    pool = world.pool(1)
    assert pool.id == 1
    assert pool.name == "next-gen R&D"
    assert pool.rule == AllocationRule.AVAILABILITY
    assert pool.admin == addr(0)
    assert pool.attesters == (addr(ATTESTER), addr(7))
    assert pool.attestation_quorum == 2
    assert pool.eligibility == Eligibility(
        vendors=(Vendor.NVIDIA, Vendor.AMD),
        min_vram_gb=80,
        min_launch_year=2024,
        max_nodes_per_provider=4,
    )
    assert pool.availability == AvailabilityConfig(
        emission_per_epoch=1_000_000, penalty_mode=PenaltyMode.WALLET_COUNT
    )
    assert pool.fixed_rate is None
    assert pool.pro_rata is None
    assert (pool.start_epoch, pool.end_epoch) == (3, 12)
    assert pool.status == PoolStatus.ACTIVE
    assert (pool.funded, pool.balance, pool.accrued, pool.paid, pool.returned) == (0, 0, 0, 0, 0)
    assert pool.last_finalized_epoch == 0
    assert typed_events(result.events, events_pb2.EventPoolCreated) == [
        events_pb2.EventPoolCreated(
            pool_id=1,
            name="next-gen R&D",
            rule=types_pb2.ALLOCATION_RULE_AVAILABILITY,
            start_epoch=3,
            end_epoch=12,
        )
    ]
    # Ids are sequential; a fixed-rate pool keeps only its own config.
    second = world.ok(pool_msg(world, "fixed_rate"))
    assert second.response == tx_pb2.MsgCreatePoolResponse(pool_id=2)
    fixed = world.pool(2)
    assert fixed.rule == AllocationRule.FIXED_RATE
    assert fixed.fixed_rate is not None
    assert [rate.gpu_model for rate in fixed.fixed_rate.rates] == ["h100", "a100-80gb"]
    assert fixed.fixed_rate.min_commitment_epochs == 5
    assert fixed.availability is None
    assert world.app.invariants() == []


def test_msg_create_pool_accepts_start_at_current_epoch() -> None:
    world = World()
    world.next_epoch(2)
    world.ok(pool_msg(world, "pro_rata", start_epoch=world.epoch, end_epoch=world.epoch))
    assert world.pool(1).start_epoch == 3
    assert world.app.invariants() == []
