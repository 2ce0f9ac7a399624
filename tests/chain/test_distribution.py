"""Distribution keeper: the community pool, its funding and spending, its stored form."""

from __future__ import annotations

import pytest
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import DecCoin
from cosmpy.protos.cosmos.distribution.v1beta1.distribution_pb2 import FeePool
from hypothesis import given
from hypothesis import strategies as st

from chain.modules.bank import BankKeeper
from chain.modules.distribution import (
    INVARIANT_MODULE_ACCOUNT,
    DistributionKeeper,
    ErrBadDistribution,
    community_pool_from_pb,
    community_pool_to_pb,
)
from chain.sdk.address import encode_address, module_address
from chain.sdk.context import BlockHeader, Context
from chain.sdk.errors import ErrInsufficientFunds, ErrUnauthorized, RegisteredError, SdkError
from chain.sdk.kv import MemKV, store_hash
from chain.sdk.math import Coins, Dec

ALICE = bytes([1]) * 20
BOB = bytes([2]) * 20
DISTRIBUTION = module_address("distribution")


def _ctx() -> Context:
    return Context(BlockHeader(1, 1_700_000_000 * 10**9, "akash-localnet-1"), MemKV())


def _rejects(ctx: Context, kind: RegisteredError, log: str | None, operation: object) -> None:
    before = store_hash(ctx.store)
    events = list(ctx.events)
    with pytest.raises(SdkError) as raised:
        operation()  # type: ignore[operator]
    assert raised.value.is_(kind)
    if log is not None:
        assert raised.value.log == log
    assert store_hash(ctx.store) == before
    assert ctx.events == events


@pytest.fixture
def bank() -> BankKeeper:
    return BankKeeper(blocked_addrs=frozenset({DISTRIBUTION, module_address("gov")}))


@pytest.fixture
def distr(bank: BankKeeper) -> DistributionKeeper:
    return DistributionKeeper(bank)


@pytest.fixture
def ctx(bank: BankKeeper) -> Context:
    ctx = _ctx()
    bank.mint_coins(ctx, "mint", Coins.parse("1000uakt,500uatom"))
    bank.send_coins_from_module_to_account(ctx, "mint", ALICE, Coins.parse("1000uakt,500uatom"))
    ctx.events.clear()
    return ctx


def test_empty_pool(distr: DistributionKeeper, ctx: Context) -> None:
    assert distr.get_community_pool(ctx) == {}
    assert distr.module_account_invariant(ctx) is None


def test_fund_community_pool(distr: DistributionKeeper, bank: BankKeeper, ctx: Context) -> None:
    distr.fund_community_pool(ctx, Coins.parse("100uakt,10uatom"), ALICE)
    distr.fund_community_pool(ctx, Coins.parse("1uakt"), ALICE)
    assert distr.get_community_pool(ctx) == {
        "uakt": Dec.from_int(101),
        "uatom": Dec.from_int(10),
    }
    assert bank.get_all_balances(ctx, DISTRIBUTION) == Coins.parse("101uakt,10uatom")
    assert bank.get_balance(ctx, ALICE, "uakt") == 899
    assert ctx.events[-1].attribute("recipient") == encode_address(DISTRIBUTION)
    assert distr.module_account_invariant(ctx) is None


def test_pool_is_sorted_by_denom(distr: DistributionKeeper, ctx: Context) -> None:
    distr.fund_community_pool(ctx, Coins.parse("10uatom"), ALICE)
    distr.fund_community_pool(ctx, Coins.parse("10uakt"), ALICE)
    assert list(distr.get_community_pool(ctx)) == ["uakt", "uatom"]


def test_pool_is_stored_as_fee_pool_with_raw_dec_text(
    distr: DistributionKeeper, ctx: Context
) -> None:
    distr.fund_community_pool(ctx, Coins.parse("100uakt"), ALICE)
    stored = FeePool()
    stored.ParseFromString(ctx.store.get(b"distribution/\x00") or b"")
    assert list(stored.community_pool) == [DecCoin(denom="uakt", amount="100000000000000000000")]


def test_fund_fails_when_sender_is_short(distr: DistributionKeeper, ctx: Context) -> None:
    _rejects(
        ctx,
        ErrInsufficientFunds,
        "spendable balance 0uakt is smaller than 1uakt: insufficient funds",
        lambda: distr.fund_community_pool(ctx, Coins.parse("1uakt"), BOB),
    )


def test_fund_from_module(distr: DistributionKeeper, bank: BankKeeper, ctx: Context) -> None:
    bank.send_coins_from_account_to_module(ctx, ALICE, "incentives", Coins.parse("50uakt"))
    distr.fund_community_pool_from_module(ctx, Coins.parse("40uakt"), "incentives")
    assert distr.get_community_pool(ctx) == {"uakt": Dec.from_int(40)}
    assert bank.get_balance(ctx, module_address("incentives"), "uakt") == 10
    assert bank.get_balance(ctx, DISTRIBUTION, "uakt") == 40


def test_fund_from_module_fails_when_module_is_short(
    distr: DistributionKeeper, ctx: Context
) -> None:
    _rejects(
        ctx,
        ErrInsufficientFunds,
        None,
        lambda: distr.fund_community_pool_from_module(ctx, Coins.parse("1uakt"), "incentives"),
    )


def test_distribute_to_account(distr: DistributionKeeper, bank: BankKeeper, ctx: Context) -> None:
    distr.fund_community_pool(ctx, Coins.parse("100uakt,10uatom"), ALICE)
    distr.distribute_from_community_pool(ctx, Coins.parse("60uakt,10uatom"), BOB)
    assert distr.get_community_pool(ctx) == {"uakt": Dec.from_int(40)}  # zeros are dropped
    assert bank.get_all_balances(ctx, BOB) == Coins.parse("60uakt,10uatom")
    assert bank.get_all_balances(ctx, DISTRIBUTION) == Coins.parse("40uakt")
    assert distr.module_account_invariant(ctx) is None


def test_distribute_to_module(distr: DistributionKeeper, bank: BankKeeper, ctx: Context) -> None:
    distr.fund_community_pool(ctx, Coins.parse("100uakt"), ALICE)
    distr.distribute_from_community_pool_to_module(ctx, Coins.parse("70uakt"), "incentives")
    assert distr.get_community_pool(ctx) == {"uakt": Dec.from_int(30)}
    assert bank.get_balance(ctx, module_address("incentives"), "uakt") == 70


@pytest.mark.parametrize("amount", ["101uakt", "1uosmo", "50uakt,11uatom"])
def test_distribute_fails_when_pool_is_short(
    distr: DistributionKeeper, ctx: Context, amount: str
) -> None:
    distr.fund_community_pool(ctx, Coins.parse("100uakt,10uatom"), ALICE)
    for operation in (
        lambda: distr.distribute_from_community_pool(ctx, Coins.parse(amount), BOB),
        lambda: distr.distribute_from_community_pool_to_module(ctx, Coins.parse(amount), "x"),
    ):
        _rejects(
            ctx,
            ErrBadDistribution,
            "community pool does not have sufficient coins to distribute",
            operation,
        )
    assert (ErrBadDistribution.codespace, ErrBadDistribution.code) == ("distribution", 9)


def test_distribute_fails_for_blocked_recipient(distr: DistributionKeeper, ctx: Context) -> None:
    distr.fund_community_pool(ctx, Coins.parse("100uakt"), ALICE)
    gov = module_address("gov")
    _rejects(
        ctx,
        ErrUnauthorized,
        f"{encode_address(gov)} is not allowed to receive funds: unauthorized",
        lambda: distr.distribute_from_community_pool(ctx, Coins.parse("1uakt"), gov),
    )


def test_distribute_fails_when_module_account_is_short(
    distr: DistributionKeeper, ctx: Context
) -> None:
    # A pool not backed by coins (a broken invariant) still cannot pay out.
    distr.fee_pool.set(ctx, {"uakt": Dec.from_int(10)})
    _rejects(
        ctx,
        ErrInsufficientFunds,
        None,
        lambda: distr.distribute_from_community_pool(ctx, Coins.parse("5uakt"), BOB),
    )


def test_zero_amounts_are_noops(distr: DistributionKeeper, ctx: Context) -> None:
    before = store_hash(ctx.store)
    distr.fund_community_pool(ctx, Coins(), BOB)
    distr.fund_community_pool_from_module(ctx, Coins(), "incentives")
    distr.distribute_from_community_pool(ctx, Coins(), BOB)
    distr.distribute_from_community_pool_to_module(ctx, Coins(), "incentives")
    assert store_hash(ctx.store) == before
    assert ctx.events == []


def test_fractional_pool(distr: DistributionKeeper, bank: BankKeeper, ctx: Context) -> None:
    distr.fund_community_pool(ctx, Coins.parse("10uakt"), ALICE)
    distr.fee_pool.set(ctx, {"uakt": Dec.from_str("10.5")})
    distr.distribute_from_community_pool(ctx, Coins.parse("10uakt"), BOB)
    assert distr.get_community_pool(ctx) == {"uakt": Dec.from_str("0.5")}
    assert distr.module_account_invariant(ctx) is None
    _rejects(
        ctx,
        ErrBadDistribution,
        None,
        lambda: distr.distribute_from_community_pool(ctx, Coins.parse("1uakt"), BOB),
    )


def test_module_account_invariant_reports_the_numbers(
    distr: DistributionKeeper, ctx: Context
) -> None:
    assert distr.invariants()[0][0] == INVARIANT_MODULE_ACCOUNT == "distribution/module-account"
    distr.fund_community_pool(ctx, Coins.parse("10uakt"), ALICE)
    distr.fee_pool.set(ctx, {"uakt": Dec.from_str("11.9")})
    report = distr.module_account_invariant(ctx)
    assert report is not None
    assert "expected ModuleAccount coins:     11uakt" in report
    assert "distribution ModuleAccount coins: 10uakt" in report


pools = st.dictionaries(
    st.sampled_from(["uakt", "uatom", "ibc/27394FB0", "uusdc"]),
    st.integers(min_value=1, max_value=2**300).map(Dec),
)


@given(pools)
def test_stored_form_round_trips_exactly(pool: dict[str, Dec]) -> None:
    message = community_pool_to_pb(pool)
    assert [coin.denom for coin in message.community_pool] == sorted(pool)
    decoded = community_pool_from_pb(message)
    assert decoded == pool
    assert list(decoded) == sorted(pool)
    again = FeePool()
    again.ParseFromString(message.SerializeToString(deterministic=True))
    assert community_pool_from_pb(again) == pool


def test_stored_form_drops_zero_entries() -> None:
    assert community_pool_to_pb({"uakt": Dec.zero()}) == FeePool()


def test_stored_form_rejects_decimal_points() -> None:
    with pytest.raises(SdkError):
        community_pool_from_pb(FeePool(community_pool=[DecCoin(denom="uakt", amount="1.5")]))
