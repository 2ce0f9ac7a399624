"""Bank keeper: balances, supply, module accounts, events; every rejection leaves state as is."""

from __future__ import annotations

import pytest

from chain.modules.bank import INVARIANT_TOTAL_SUPPLY, BankKeeper
from chain.sdk.address import encode_address, module_address
from chain.sdk.context import BlockHeader, Context
from chain.sdk.errors import (
    ErrInsufficientFunds,
    ErrIntOverflow,
    ErrUnauthorized,
    RegisteredError,
    SdkError,
)
from chain.sdk.events import Event
from chain.sdk.kv import MemKV, store_hash
from chain.sdk.math import Coin, Coins, Int

ALICE = bytes([1]) * 20
BOB = bytes([2]) * 20
CAROL = bytes([3]) * 20
MINT = "mint"


def _ctx() -> Context:
    return Context(BlockHeader(1, 1_700_000_000 * 10**9, "akash-localnet-1"), MemKV())


def _fund(bank: BankKeeper, ctx: Context, addr: bytes, coins: str) -> None:
    amount = Coins.parse(coins)
    bank.mint_coins(ctx, MINT, amount)
    bank.send_coins_from_module_to_account(ctx, MINT, addr, amount)


def _rejects(ctx: Context, kind: RegisteredError, log: str | None, operation: object) -> None:
    """``operation`` raises ``kind`` (with raw log ``log``) and changes neither state nor events."""
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
    return BankKeeper(blocked_addrs=frozenset({module_address("distribution")}))


@pytest.fixture
def ctx(bank: BankKeeper) -> Context:
    ctx = _ctx()
    _fund(bank, ctx, ALICE, "100uakt,50uatom")
    ctx.events.clear()
    return ctx


def test_reads(bank: BankKeeper, ctx: Context) -> None:
    assert bank.get_balance(ctx, ALICE, "uakt") == 100
    assert isinstance(bank.get_balance(ctx, ALICE, "uakt"), Int)
    assert bank.get_balance(ctx, BOB, "uakt") == 0
    assert bank.get_all_balances(ctx, ALICE) == Coins.parse("100uakt,50uatom")
    assert bank.get_all_balances(ctx, BOB) == Coins()
    assert bank.get_supply(ctx, "uakt") == 100
    assert bank.get_supply(ctx, "uosmo") == 0
    assert bank.total_supply(ctx) == Coins.parse("100uakt,50uatom")


def test_send_coins_moves_and_emits_sdk_events(bank: BankKeeper, ctx: Context) -> None:
    bank.send_coins(ctx, ALICE, BOB, Coins.parse("10uakt,5uatom"))
    assert bank.get_all_balances(ctx, ALICE) == Coins.parse("90uakt,45uatom")
    assert bank.get_all_balances(ctx, BOB) == Coins.parse("10uakt,5uatom")
    alice, bob = encode_address(ALICE), encode_address(BOB)
    assert ctx.events == [
        Event("coin_spent", (("spender", alice), ("amount", "10uakt,5uatom"))),
        Event("coin_received", (("receiver", bob), ("amount", "10uakt,5uatom"))),
        Event(
            "transfer",
            (("recipient", bob), ("sender", alice), ("amount", "10uakt,5uatom")),
        ),
    ]
    assert bank.total_supply_invariant(ctx) is None


def test_send_whole_balance_deletes_the_entry(bank: BankKeeper, ctx: Context) -> None:
    bank.send_coins(ctx, ALICE, BOB, Coins.parse("100uakt"))
    assert bank.get_all_balances(ctx, ALICE) == Coins.parse("50uatom")
    assert [(addr, str(coin)) for addr, coin in bank.iterate_balances(ctx)] == [
        (ALICE, "50uatom"),
        (BOB, "100uakt"),
    ]


def test_send_to_self_keeps_balance(bank: BankKeeper, ctx: Context) -> None:
    bank.send_coins(ctx, ALICE, ALICE, Coins.parse("60uakt"))
    assert bank.get_balance(ctx, ALICE, "uakt") == 100


def test_zero_amount_send_is_a_noop(bank: BankKeeper, ctx: Context) -> None:
    before = store_hash(ctx.store)
    bank.send_coins(ctx, ALICE, BOB, Coins.parse("0uakt"))
    bank.send_coins(ctx, CAROL, BOB, Coins())
    bank.send_coins_from_module_to_account(ctx, MINT, BOB, Coins())
    bank.mint_coins(ctx, MINT, Coins())
    bank.burn_coins(ctx, MINT, Coins())
    assert store_hash(ctx.store) == before
    assert ctx.events == []


def test_balances_are_stored_as_decimal_text(bank: BankKeeper, ctx: Context) -> None:
    key = b"bank/\x02" + bytes([20]) + ALICE + b"uakt\x00"
    assert ctx.store.get(key) == b"100"
    assert ctx.store.get(b"bank/\x00uakt\x00") == b"100"


def test_send_fails_when_balance_is_short(bank: BankKeeper, ctx: Context) -> None:
    _rejects(
        ctx,
        ErrInsufficientFunds,
        "spendable balance 100uakt is smaller than 101uakt: insufficient funds",
        lambda: bank.send_coins(ctx, ALICE, BOB, Coins.parse("101uakt")),
    )


def test_send_fails_with_zero_spendable(bank: BankKeeper, ctx: Context) -> None:
    _rejects(
        ctx,
        ErrInsufficientFunds,
        "spendable balance 0uakt is smaller than 10uakt: insufficient funds",
        lambda: bank.send_coins(ctx, BOB, ALICE, Coins.parse("10uakt")),
    )


def test_send_fails_when_a_later_denom_is_short(bank: BankKeeper, ctx: Context) -> None:
    # uakt alone would pass: it must not be debited when uatom fails.
    _rejects(
        ctx,
        ErrInsufficientFunds,
        "spendable balance 50uatom is smaller than 51uatom: insufficient funds",
        lambda: bank.send_coins(ctx, ALICE, BOB, Coins.parse("10uakt,51uatom")),
    )


def test_sdk_wording_example(bank: BankKeeper) -> None:
    ctx = _ctx()
    _fund(bank, ctx, ALICE, "5uakt")
    _rejects(
        ctx,
        ErrInsufficientFunds,
        "spendable balance 5uakt is smaller than 10uakt: insufficient funds",
        lambda: bank.send_coins(ctx, ALICE, BOB, Coins.parse("10uakt")),
    )


def test_account_to_module_and_module_to_account(bank: BankKeeper, ctx: Context) -> None:
    bank.send_coins_from_account_to_module(ctx, ALICE, "incentives", Coins.parse("30uakt"))
    incentives = module_address("incentives")
    assert bank.get_balance(ctx, incentives, "uakt") == 30
    bank.send_coins_from_module_to_account(ctx, "incentives", BOB, Coins.parse("20uakt"))
    assert bank.get_balance(ctx, incentives, "uakt") == 10
    assert bank.get_balance(ctx, BOB, "uakt") == 20
    assert ctx.events[-1] == Event(
        "transfer",
        (
            ("recipient", encode_address(BOB)),
            ("sender", encode_address(incentives)),
            ("amount", "20uakt"),
        ),
    )


def test_module_to_account_fails_when_module_is_short(bank: BankKeeper, ctx: Context) -> None:
    _rejects(
        ctx,
        ErrInsufficientFunds,
        "spendable balance 0uakt is smaller than 1uakt: insufficient funds",
        lambda: bank.send_coins_from_module_to_account(ctx, "gov", BOB, Coins.parse("1uakt")),
    )


def test_module_to_account_fails_for_blocked_recipient(bank: BankKeeper, ctx: Context) -> None:
    bank.send_coins_from_account_to_module(ctx, ALICE, "incentives", Coins.parse("30uakt"))
    blocked = module_address("distribution")
    _rejects(
        ctx,
        ErrUnauthorized,
        f"{encode_address(blocked)} is not allowed to receive funds: unauthorized",
        lambda: bank.send_coins_from_module_to_account(
            ctx, "incentives", blocked, Coins.parse("1uakt")
        ),
    )


def test_module_to_module_ignores_blocked_addresses(bank: BankKeeper, ctx: Context) -> None:
    bank.send_coins_from_account_to_module(ctx, ALICE, "incentives", Coins.parse("30uakt"))
    bank.send_coins_from_module_to_module(ctx, "incentives", "distribution", Coins.parse("30uakt"))
    assert bank.get_balance(ctx, module_address("distribution"), "uakt") == 30
    assert bank.get_balance(ctx, module_address("incentives"), "uakt") == 0


def test_module_to_module_fails_when_short(bank: BankKeeper, ctx: Context) -> None:
    _rejects(
        ctx,
        ErrInsufficientFunds,
        None,
        lambda: bank.send_coins_from_module_to_module(ctx, "a", "b", Coins.parse("1uakt")),
    )


def test_mint_and_burn(bank: BankKeeper) -> None:
    ctx = _ctx()
    bank.mint_coins(ctx, MINT, Coins.parse("1000uakt"))
    minter = encode_address(module_address(MINT))
    assert ctx.events == [
        Event("coin_received", (("receiver", minter), ("amount", "1000uakt"))),
        Event("coinbase", (("minter", minter), ("amount", "1000uakt"))),
    ]
    ctx.events.clear()
    bank.burn_coins(ctx, MINT, Coins.parse("400uakt"))
    assert ctx.events == [
        Event("coin_spent", (("spender", minter), ("amount", "400uakt"))),
        Event("burn", (("burner", minter), ("amount", "400uakt"))),
    ]
    assert bank.get_supply(ctx, "uakt") == 600
    assert bank.get_balance(ctx, module_address(MINT), "uakt") == 600
    bank.burn_coins(ctx, MINT, Coins.parse("600uakt"))
    assert bank.total_supply(ctx) == Coins()
    assert list(ctx.store.iterate()) == []
    assert bank.total_supply_invariant(ctx) is None


def test_burn_fails_when_module_is_short(bank: BankKeeper, ctx: Context) -> None:
    _rejects(
        ctx,
        ErrInsufficientFunds,
        "spendable balance 0uakt is smaller than 1uakt: insufficient funds",
        lambda: bank.burn_coins(ctx, MINT, Coins.parse("1uakt")),
    )


def test_mint_fails_on_supply_overflow(bank: BankKeeper) -> None:
    ctx = _ctx()
    bank.mint_coins(ctx, MINT, Coins.of("uakt", 2**256 - 1))
    ctx.events.clear()
    _rejects(ctx, ErrIntOverflow, None, lambda: bank.mint_coins(ctx, MINT, Coins.of("uakt", 1)))


def test_module_permissions() -> None:
    bank = BankKeeper(module_permissions={MINT: ["minter"], "gov": ["burner"]})
    ctx = _ctx()
    bank.mint_coins(ctx, MINT, Coins.parse("10uakt"))
    bank.send_coins_from_module_to_module(ctx, MINT, "gov", Coins.parse("10uakt"))
    bank.burn_coins(ctx, "gov", Coins.parse("1uakt"))
    ctx.events.clear()
    _rejects(
        ctx,
        ErrUnauthorized,
        "module account gov does not have permissions to mint tokens: unauthorized",
        lambda: bank.mint_coins(ctx, "gov", Coins.parse("1uakt")),
    )
    _rejects(
        ctx,
        ErrUnauthorized,
        "module account mint does not have permissions to burn tokens: unauthorized",
        lambda: bank.burn_coins(ctx, MINT, Coins.parse("1uakt")),
    )


def test_iterate_balances_in_store_order(bank: BankKeeper) -> None:
    ctx = _ctx()
    _fund(bank, ctx, CAROL, "3uakt")
    _fund(bank, ctx, ALICE, "1uatom,2uakt")
    assert list(bank.iterate_balances(ctx)) == [
        (ALICE, Coin("uakt", Int(2))),
        (ALICE, Coin("uatom", Int(1))),
        (CAROL, Coin("uakt", Int(3))),
    ]


def test_total_supply_invariant_reports_the_numbers(bank: BankKeeper, ctx: Context) -> None:
    assert bank.invariants()[0][0] == INVARIANT_TOTAL_SUPPLY == "bank/total-supply"
    bank.balances.set(ctx, (BOB, "uakt"), Int(7))
    report = bank.total_supply_invariant(ctx)
    assert report is not None
    assert "sum of accounts coins: 107uakt,50uatom" in report
    assert "supply.Total:          100uakt,50uatom" in report
    assert "uakt: balances 107 != supply 100" in report
    assert "uatom" not in report.split("\n", 3)[3]


def test_writes_in_a_dropped_branch_vanish(bank: BankKeeper, ctx: Context) -> None:
    before = store_hash(ctx.store)
    branch = ctx.branch()
    bank.send_coins(branch.ctx, ALICE, BOB, Coins.parse("10uakt"))
    assert bank.get_balance(branch.ctx, BOB, "uakt") == 10
    assert bank.get_balance(ctx, BOB, "uakt") == 0
    assert store_hash(ctx.store) == before
    branch.write()
    assert bank.get_balance(ctx, BOB, "uakt") == 10
    assert [event.type for event in ctx.events] == ["coin_spent", "coin_received", "transfer"]
