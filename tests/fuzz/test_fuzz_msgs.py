"""Every incentives Msg, validation and handler, with hostile field values.

The world is ``finalized_world`` (pool 1 pro-rata, funded, node ``n1`` of provider 1 with a
finalized accrual) plus a fixed-rate pool 2 and a fresh price, so valid-looking values reach the
stateful branches. For every drawn Msg the outcome is one of two:

- a registered error, with the app hash, every balance and the community pool unchanged and no
  event kept;
- success, after which every invariant holds, also two epochs later (a Msg that is accepted must
  not leave state that breaks the next epoch's settlement).

Anything else (another exception, a hang) fails the test.
"""

from __future__ import annotations

import pytest
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from google.protobuf.message import Message
from hypothesis import example, given, settings
from hypothesis import strategies as st

from incentives.pb import params_pb2, tx_pb2, types_pb2
from incentives.types.msgs import VALIDATORS
from tests.fuzz.registered import assert_registered_error, no_hang
from tests.fuzz.strategies import (
    ADDRESS,
    COINS,
    DEC_TEXT,
    DENOM,
    ENUM,
    EPOCH,
    GPU_MODEL,
    INT_TEXT,
    MANY_ADDRESSES,
    NODE_ID,
    POOL_ID,
    TEXT,
    UINT32,
    UINT64,
    address_or,
    mostly,
)
from tests.incentives.helpers import balances, finalized_world
from tests.incentives.world import ATTESTER, DAY, FEEDER, GOV, World, addr

ATTESTERS = st.one_of(
    st.lists(address_or(addr(ATTESTER)), max_size=3),
    st.just(MANY_ADDRESSES[:33]),
    st.just([addr(ATTESTER), addr(ATTESTER)]),
)

ELIGIBILITY = st.builds(
    types_pb2.Eligibility,
    vendors=st.lists(ENUM, max_size=3),
    gpu_models=st.lists(GPU_MODEL, max_size=3),
    min_vram_gb=mostly(0, UINT32),
    min_launch_year=mostly(0, UINT32),
    max_nodes_per_provider=mostly(0, UINT32),
)
FIXED_RATE = st.builds(
    types_pb2.FixedRateConfig,
    rates=st.lists(
        st.builds(
            types_pb2.ModelRate,
            gpu_model=mostly("h100", GPU_MODEL),
            usd_micros_per_gpu_hour=mostly(2_490_000, UINT64),
            max_gpus=mostly(83, UINT32),
        ),
        max_size=3,
    ),
    min_commitment_epochs=mostly(5, UINT64),
)
PRO_RATA = st.builds(types_pb2.ProRataConfig, emission_per_epoch=mostly("1000000", INT_TEXT))
AVAILABILITY = st.builds(
    types_pb2.AvailabilityConfig,
    emission_per_epoch=mostly("1000000", INT_TEXT),
    weight_benchmark=mostly(3, UINT32),
    weight_vram=mostly(3, UINT32),
    weight_age=mostly(1, UINT32),
    penalty_free_nodes=mostly(3, UINT32),
    penalty_decay=mostly("0.65", DEC_TEXT),
    penalty_mode=mostly(1, ENUM),
)

CREATE_POOL = st.builds(
    tx_pb2.MsgCreatePool,
    authority=address_or(GOV),
    name=mostly("fuzz pool", TEXT),
    rule=st.one_of(st.sampled_from([1, 2, 3]), ENUM),
    admin=address_or(addr(0)),
    attesters=mostly([addr(ATTESTER)], ATTESTERS),
    attestation_quorum=mostly(1, UINT32),
    eligibility=mostly(None, ELIGIBILITY),
    fixed_rate=st.none() | FIXED_RATE,
    pro_rata=st.none() | PRO_RATA,
    availability=st.none() | AVAILABILITY,
    start_epoch=mostly(3, EPOCH),
    end_epoch=mostly(12, EPOCH),
)
PARAMS = st.builds(
    params_pb2.Params,
    epoch_identifier=mostly("day", TEXT),
    settlement_lag_epochs=mostly(1, UINT64),
    claim_window_epochs=mostly(30, UINT64),
    max_price_age_seconds=mostly(3_600, UINT64),
    price_feeders=mostly([addr(FEEDER)], st.lists(ADDRESS, max_size=3)),
    gpu_models=st.lists(
        st.builds(
            params_pb2.GpuModel,
            name=mostly("h100", GPU_MODEL),
            vendor=mostly(1, ENUM),
            vram_gb=mostly(80, UINT32),
            launch_year=mostly(2022, UINT32),
        ),
        max_size=3,
    ),
    reward_denom=mostly("uakt", DENOM),
    max_reports_per_attestation=mostly(100, UINT32),
)
REPORTS = st.lists(
    st.builds(
        types_pb2.NodeReport,
        node_id=mostly("n1", NODE_ID),
        online_seconds=st.one_of(st.integers(0, DAY + 1), UINT64),
        idle_seconds=st.one_of(st.integers(0, DAY + 1), UINT64),
        benchmark_score=UINT64,
    ),
    max_size=4,
)
COMMITMENT = st.builds(types_pb2.Commitment, until_epoch=EPOCH)

MSGS: dict[str, st.SearchStrategy[Message]] = {
    "MsgCreatePool": CREATE_POOL,
    "MsgUpdateParams": st.builds(
        tx_pb2.MsgUpdateParams, authority=address_or(GOV), params=st.none() | PARAMS
    ),
    "MsgFundPoolFromCommunityPool": st.builds(
        tx_pb2.MsgFundPoolFromCommunityPool,
        authority=address_or(GOV),
        pool_id=mostly(1, POOL_ID),
        amount=mostly([CoinPb(denom="uakt", amount="1000")], COINS),
    ),
    "MsgFundPool": st.builds(
        tx_pb2.MsgFundPool,
        depositor=address_or(addr(2)),
        pool_id=mostly(1, POOL_ID),
        amount=mostly([CoinPb(denom="uakt", amount="1000")], COINS),
    ),
    "MsgRegisterNode": st.builds(
        tx_pb2.MsgRegisterNode,
        owner=address_or(addr(2)),
        node_id=mostly("n2", NODE_ID),
        gpu_model=mostly("h100", GPU_MODEL),
        gpu_count=mostly(8, UINT32),
        benchmark_score=UINT64,
    ),
    "MsgJoinPool": st.builds(
        tx_pb2.MsgJoinPool,
        owner=address_or(addr(1)),
        pool_id=mostly(2, POOL_ID),
        node_id=mostly("n1", NODE_ID),
        commitment=mostly(types_pb2.Commitment(until_epoch=8), st.none() | COMMITMENT),
    ),
    "MsgSubmitAttestation": st.builds(
        tx_pb2.MsgSubmitAttestation,
        attester=address_or(addr(ATTESTER)),
        pool_id=mostly(1, POOL_ID),
        epoch=mostly(3, EPOCH),
        reports=REPORTS,
    ),
    "MsgPostPrice": st.builds(
        tx_pb2.MsgPostPrice, feeder=address_or(addr(FEEDER)), akt_usd=DEC_TEXT
    ),
    "MsgClaimRewards": st.builds(
        tx_pb2.MsgClaimRewards, provider=address_or(addr(1)), pool_id=POOL_ID
    ),
    "MsgSetRewardRedirect": st.builds(
        tx_pb2.MsgSetRewardRedirect,
        delegator=address_or(addr(3)),
        pool_id=mostly(1, POOL_ID),
        bps=st.one_of(st.integers(0, 10_001), UINT32),
    ),
    "MsgClosePool": st.builds(
        tx_pb2.MsgClosePool, authority=address_or(GOV), pool_id=mostly(1, POOL_ID)
    ),
}


def rich_world() -> World:
    """``finalized_world`` plus a fixed-rate pool 2 and a price posted now."""
    world = finalized_world("pro_rata")
    world.create_pool("fixed_rate")
    world.post_price()
    return world


def check(msg: Message) -> None:
    """Deliver ``msg`` to a fresh rich world: a registered error and no change, or success
    with every invariant holding now and after two more epochs."""
    world = rich_world()
    before = world.state()
    funds = balances(world)
    with no_hang():
        result = world.deliver(msg)
        if result.error is not None:
            assert_registered_error(result.error)
            assert result.events == []
            assert world.state() == before
            assert balances(world) == funds
        assert world.app.invariants() == []
        if result.error is None:
            world.app.begin_block(world.app.header.time + 2 * DAY)
            assert world.app.invariants() == []


def test_every_msg_has_a_fuzz_strategy() -> None:
    assert sorted(MSGS) == sorted(VALIDATORS)


@pytest.mark.parametrize("name", sorted(MSGS))
@settings(max_examples=40)
@given(data=st.data())
def test_any_field_values_give_success_or_a_registered_error(
    name: str, data: st.DataObject
) -> None:
    check(data.draw(MSGS[name], label=name))


@settings(max_examples=30)
@given(amount=INT_TEXT)
@example(amount="9" * 5_000)  # was a ValueError: int() refuses texts of over 4300 digits
@example(amount=str(2**256))
def test_any_fund_amount_is_paid_in_or_refused(amount: str) -> None:
    check(
        tx_pb2.MsgFundPool(
            depositor=addr(2), pool_id=1, amount=[CoinPb(denom="uakt", amount=amount)]
        )
    )


@settings(max_examples=30)
@given(price=DEC_TEXT)
@example(price="9" * 5_000 + ".1")  # was a ValueError: int() refuses texts of over 4300 digits
def test_any_price_text_is_posted_or_refused(price: str) -> None:
    check(tx_pb2.MsgPostPrice(feeder=addr(FEEDER), akt_usd=price))


@settings(max_examples=30)
@given(emission=INT_TEXT, rule=st.sampled_from(["pro_rata", "availability"]))
@example(emission="1" + "0" * 4_400, rule="pro_rata")
@example(emission=str(2**256 - 1), rule="availability")
def test_any_emission_creates_a_pool_or_is_refused(emission: str, rule: str) -> None:
    world = World()
    if rule == "pro_rata":
        msg = world.pool_msg(rule, pro_rata=types_pb2.ProRataConfig(emission_per_epoch=emission))
    else:
        msg = world.pool_msg(rule)
        msg.availability.emission_per_epoch = emission
    check(msg)
