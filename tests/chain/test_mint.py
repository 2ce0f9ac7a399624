"""Mint: fixed inflation by block time, the carried remainder, queries and genesis."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from cosmpy.protos.cosmos.mint.v1beta1 import mint_pb2, query_pb2
from google.protobuf.message import Message
from hypothesis import given
from hypothesis import strategies as st

from chain.modules.bank import BankKeeper
from chain.modules.mint import SECONDS_PER_YEAR, MintKeeper, MintModule, provision
from chain.modules.staking.legacy_dec import dec_to_proto
from chain.sdk.address import module_address
from chain.sdk.context import NANOS, BlockHeader, Context
from chain.sdk.errors import ErrInvalidRequest, ErrUnauthorized, SdkError
from chain.sdk.kv import MemKV, store_hash
from chain.sdk.math import Coins, Dec

DENOM = "uakt"
T0 = 1_735_689_600
HOLDER = bytes([7]) * 20
FEE_COLLECTOR = module_address("fee_collector")


class World:
    def __init__(self, supply: int = 10**12, permissions: dict[str, list[str]] | None = None):
        self.store = MemKV()
        self.height = 0
        self.time_ns = T0 * NANOS
        self.bank = BankKeeper(module_permissions=permissions)
        self.mint = MintKeeper(self.bank)
        self.module = MintModule(self.mint)
        ctx = self.ctx()
        if supply:
            self.bank.mint_coins(ctx, "genesis", Coins.of(DENOM, supply))
            self.bank.send_coins_from_module_to_account(
                ctx, "genesis", HOLDER, Coins.of(DENOM, supply)
            )
        self.module.init_genesis(ctx, self.module.default_genesis())

    def ctx(self) -> Context:
        return Context(BlockHeader(self.height, self.time_ns, "akash-localnet-1"), self.store)

    def block(self, seconds: int | Fraction = 5) -> Context:
        self.height += 1
        self.time_ns += int(seconds * NANOS)
        ctx = self.ctx()
        self.module.begin_block(ctx)
        return ctx

    def fees(self, ctx: Context) -> int:
        return int(self.bank.get_balance(ctx, FEE_COLLECTOR, DENOM))

    def query(self, ctx: Context, method: str, request: Message) -> Any:
        return self.module.query_handlers()[f"/cosmos.mint.v1beta1.Query/{method}"](ctx, request)


def test_default_genesis_has_the_sdk_shape() -> None:
    genesis = World().module.default_genesis()
    assert genesis == {
        "minter": {
            "inflation": "0.130000000000000000",
            "annual_provisions": "0.000000000000000000",
            "municipal_inflation": [],
        },
        "params": {
            "mint_denom": DENOM,
            "inflation_rate": "0.130000000000000000",
            "blocks_per_year": "6311520",
        },
    }


def test_genesis_round_trips() -> None:
    world = World()
    world.block()
    ctx = world.ctx()
    exported = world.module.export_genesis(ctx)
    assert exported["minter"]["annual_provisions"] == "130000000000.000000000000000000"
    other = World(supply=0)
    other_ctx = other.ctx()
    other.module.init_genesis(other_ctx, exported)
    assert other.module.export_genesis(other_ctx) == exported


def test_genesis_refuses_bad_params() -> None:
    world = World()
    ctx = world.ctx()
    for params, message in [
        ({"mint_denom": "uakt", "inflation_rate": "-0.1"}, "inflation rate cannot be negative"),
        ({"mint_denom": "uakt", "inflation_rate": "1.5"}, "inflation rate too large"),
        ({"mint_denom": "1x", "inflation_rate": "0.1"}, "mint denom"),
    ]:
        before = store_hash(ctx.store)
        with pytest.raises(SdkError) as raised:
            world.module.init_genesis(ctx, {"params": params})
        assert raised.value.is_(ErrInvalidRequest)
        assert message in raised.value.log
        assert store_hash(ctx.store) == before


def test_first_block_counts_from_genesis_and_mints_into_the_fee_collector() -> None:
    world = World()
    ctx = world.block(6)
    exact = Fraction(10**12 * 13, 100) * 6 / SECONDS_PER_YEAR
    assert world.fees(ctx) == int(exact)
    assert world.bank.get_supply(ctx, DENOM) == 10**12 + int(exact)
    assert world.bank.get_balance(ctx, module_address("mint"), DENOM) == 0
    event = next(e for e in ctx.events if e.type == "mint")
    assert event.attributes == (
        ("inflation", "0.130000000000000000"),
        ("annual_provisions", "130000000000.000000000000000000"),
        ("amount", str(int(exact))),
    )
    provided = provision(10**12, Dec.from_str("0.13"), 6 * NANOS)
    assert provided.truncate_int() == int(exact)
    assert world.mint.get_remainder(ctx) == provided - Dec.from_int(int(exact))


def test_remainder_carries_so_small_supplies_still_mint() -> None:
    # 100000 uakt at 13% make 0.00206 uakt per five seconds: only the carry ever mints a coin.
    world = World(supply=100_000)
    minted = 0
    blocks = 0
    while minted == 0:
        ctx = world.block()
        minted = world.fees(ctx)
        blocks += 1
    per_block = provision(100_000, Dec.from_str("0.13"), 5 * NANOS)
    assert blocks == -(-Dec.one().raw // per_block.raw)
    assert minted == 1
    assert world.mint.get_remainder(ctx) == per_block.mul_int(blocks) - Dec.one()


def test_same_time_blocks_mint_nothing() -> None:
    world = World()
    world.block()
    world.height += 1
    ctx = world.ctx()
    before = world.fees(ctx)
    world.module.begin_block(ctx)
    assert world.fees(ctx) == before


@given(st.lists(st.integers(min_value=1, max_value=600), min_size=1, max_size=40))
def test_minted_total_is_the_exact_integral_up_to_the_carry(intervals: list[int]) -> None:
    world = World(supply=10**9)
    inflation = Fraction(13, 100)
    exact = Fraction(0)
    truncated = Dec.zero()
    for seconds in intervals:
        ctx = world.ctx()
        supply = int(world.bank.get_supply(ctx, DENOM))
        exact += supply * inflation * seconds / SECONDS_PER_YEAR
        truncated += provision(supply, Dec.from_str("0.13"), seconds * NANOS)
        ctx = world.block(seconds)
    minted = world.fees(ctx)
    # Whole coins of the 18-decimal sum are minted; the fraction is carried.
    assert minted == truncated.truncate_int()
    assert world.mint.get_remainder(ctx) == truncated - Dec.from_int(minted)
    assert 0 <= exact - minted < 1 + Fraction(len(intervals), 10**18)


def test_supply_growth_compounds() -> None:
    world = World()
    first = world.fees(world.block(3600))
    ctx = world.block(3600)
    assert world.fees(ctx) - first > first


def test_queries() -> None:
    world = World()
    ctx = world.block()
    assert world.query(ctx, "Inflation", query_pb2.QueryInflationRequest()).inflation == (
        b"130000000000000000"
    )
    annual = world.query(ctx, "AnnualProvisions", query_pb2.QueryAnnualProvisionsRequest())
    assert annual.annual_provisions == str(13 * 10**10 * 10**18).encode()
    params = world.query(ctx, "Params", query_pb2.QueryParamsRequest()).params
    assert params == mint_pb2.Params(
        mint_denom=DENOM,
        inflation_rate=dec_to_proto(Dec.from_str("0.13")),
        blocks_per_year=6_311_520,
    )
    municipal = world.query(
        ctx, "MunicipalInflation", query_pb2.QueryMunicipalInflationRequest(denom=DENOM)
    )
    assert list(municipal.inflations) == []
    assert world.module.msg_handlers() == {}


def test_inflation_param_is_used() -> None:
    world = World()
    ctx = world.ctx()
    params = world.mint.get_params(ctx)
    params.inflation_rate = dec_to_proto(Dec.from_str("0.5"))
    world.mint.set_params(ctx, params)
    ctx = world.block(SECONDS_PER_YEAR // 200)  # exactly 1/200 of a year
    assert world.fees(ctx) == 10**12 // 2 // 200


def test_minting_needs_the_minter_permission() -> None:
    world = World(permissions={"genesis": ["minter"]})
    world.height += 1
    world.time_ns += 5 * NANOS
    ctx = world.ctx()
    with pytest.raises(SdkError) as raised:
        world.module.begin_block(ctx)
    assert raised.value.is_(ErrUnauthorized)
