"""Distribution with staking and mint: allocation, F1 rewards, commission, withdraw addresses,
the community pool Msgs, the redirect hook, queries, genesis, invariants and conservation."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import DecCoin
from cosmpy.protos.cosmos.distribution.v1beta1 import distribution_pb2, query_pb2, tx_pb2
from cosmpy.protos.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from google.protobuf.message import Message
from hypothesis import given, settings
from hypothesis import strategies as st

from chain.modules.bank import BankKeeper
from chain.modules.distribution import (
    INVARIANT_MODULE_ACCOUNT,
    INVARIANT_REFERENCE_COUNT,
    DistributionKeeper,
    DistributionModule,
)
from chain.modules.distribution import errors as distr_errors
from chain.modules.mint import MintKeeper, MintModule
from chain.modules.staking import BONDED_POOL, NOT_BONDED_POOL, StakingKeeper, StakingModule
from chain.modules.staking.legacy_dec import dec_to_proto
from chain.sdk.address import encode_address, module_address
from chain.sdk.context import NANOS, BlockHeader, Context
from chain.sdk.errors import (
    ErrInsufficientFunds,
    ErrInvalidAddress,
    ErrInvalidCoins,
    ErrInvalidRequest,
    ErrUnauthorized,
    RegisteredError,
    SdkError,
)
from chain.sdk.kv import MemKV, store_hash
from chain.sdk.math import Coins, Dec, Int
from incentives.pb import tx_pb2 as incentives_tx
from tests.chain.rejection import rejects
from tests.incentives.world import World as IncentivesWorld
from tests.incentives.world import account as incentives_account

DENOM = "uakt"
CHAIN_ID = "akash-localnet-1"
T0 = 1_735_689_600
GOV = "akash10d07y265gmmuvt4z0w9aw880jnsr700jhe7z0f"
V1, V2 = bytes([1]) * 20, bytes([2]) * 20
ALICE, BOB, CAROL = bytes([10]) * 20, bytes([11]) * 20, bytes([12]) * 20
DISTRIBUTION = module_address("distribution")
FEE_COLLECTOR = module_address("fee_collector")
MODULE_ACCOUNTS = ("distribution", "fee_collector", BONDED_POOL, NOT_BONDED_POOL, "gov", "mint")
START_BALANCE = 10**10


def valoper(account: bytes) -> str:
    return encode_address(account, "akashvaloper")


def addr(account: bytes) -> str:
    return encode_address(account)


def coins_pb(text: str) -> list[CoinPb]:
    return [CoinPb(denom=c.denom, amount=str(int(c.amount))) for c in Coins.parse(text)]


class Chain:
    """Bank, staking, distribution and (optionally) mint over one store, driven block by block.

    Genesis: V1 self-bonds 10 AKT at 10% commission, V2 30 AKT at 5%; ALICE, BOB and CAROL hold
    ``START_BALANCE``. ``withdrawn`` counts every coin the distribution account paid out, ``fees``
    every coin put in the fee collector, ``minted`` every coin minted."""

    def __init__(self, mint: bool = False, stakes: tuple[int, int] = (10**7, 3 * 10**7)) -> None:
        self.store = MemKV()
        self.height = 0
        self.time_ns = T0 * NANOS
        self.bank = BankKeeper(
            blocked_addrs=frozenset(module_address(name) for name in MODULE_ACCOUNTS)
        )
        self.staking = StakingKeeper(self.bank)
        self.distribution = DistributionKeeper(self.bank, staking=self.staking)
        self.staking.set_hooks([self.distribution])
        self.hook_calls: list[tuple[bytes, str, Coins]] = []
        self.distribution.set_withdraw_hooks([self.record_hook])
        self.mint = MintKeeper(self.bank) if mint else None
        self.staking_module = StakingModule(self.staking)
        self.module = DistributionModule(self.distribution)
        self.handlers = {
            **self.staking_module.msg_handlers(),
            **self.module.msg_handlers(),
        }
        self.queries = self.module.query_handlers()
        self.fees = 0
        self.minted = 0
        self.withdrawn = 0
        ctx = self.ctx()
        self.module.init_genesis(ctx, self.module.default_genesis())
        self.staking_module.init_genesis(ctx, self.staking_module.default_genesis())
        for account in (V1, V2, ALICE, BOB, CAROL):
            self.bank.mint_coins(ctx, "faucet", Coins.of(DENOM, START_BALANCE))
            self.bank.send_coins(
                ctx, module_address("faucet"), account, Coins.of(DENOM, START_BALANCE)
            )
        self.staking.create_validator(ctx, V1, Int(stakes[0]), Dec.from_str("0.1"))
        self.staking.create_validator(ctx, V2, Int(stakes[1]), Dec.from_str("0.05"))
        if self.mint is not None:
            MintModule(self.mint).init_genesis(ctx, MintModule(self.mint).default_genesis())
        self.staking.end_block(ctx)

    def record_hook(self, ctx: Context, delegator: bytes, text: str, rewards: Coins) -> Int:
        self.hook_calls.append((delegator, text, rewards))
        return Int(0)

    def ctx(self) -> Context:
        return Context(BlockHeader(self.height, self.time_ns, CHAIN_ID), self.store)

    def collect(self, ctx: Context) -> None:
        """Count the distribution account's payouts in ``ctx``'s events, then drop them."""
        for event in ctx.events:
            if event.type == "transfer" and event.attribute("sender") == addr(DISTRIBUTION):
                self.withdrawn += int(Coins.parse(event.attribute("amount") or "").amount_of(DENOM))
        ctx.events.clear()

    def begin(self, seconds: int = 5, fees: int = 0) -> Context:
        """Start the next block: fees arrive, mint, then distribution allocates."""
        self.height += 1
        self.time_ns += seconds * NANOS
        ctx = self.ctx()
        if fees:
            self.bank.mint_coins(ctx, "faucet", Coins.of(DENOM, fees))
            self.bank.send_coins(
                ctx, module_address("faucet"), FEE_COLLECTOR, Coins.of(DENOM, fees)
            )
            self.fees += fees
        if self.mint is not None:
            self.minted += int(self.mint.begin_block(ctx).amount_of(DENOM))
        self.distribution.begin_block(ctx)
        self.collect(ctx)
        return ctx

    def end(self, ctx: Context) -> None:
        self.staking.end_block(ctx)
        self.collect(ctx)

    def blocks(self, count: int, fees: int = 0) -> Context:
        ctx = self.ctx()
        for _ in range(count):
            ctx = self.begin(fees=fees)
            self.end(ctx)
        return ctx

    def deliver(self, ctx: Context, msg: Message) -> Any:
        response = self.handlers[f"/{msg.DESCRIPTOR.full_name}"](ctx, msg)
        self.collect(ctx)
        return response

    def query(self, ctx: Context, method: str, request: Message) -> Any:
        return self.queries[f"/cosmos.distribution.v1beta1.Query/{method}"](ctx, request)

    def rewards(self, ctx: Context, delegator: bytes, validator: bytes) -> Dec:
        return self.distribution.delegation_rewards(ctx, delegator, validator).get(
            DENOM, Dec.zero()
        )

    def pool(self, ctx: Context) -> Dec:
        return self.distribution.get_community_pool(ctx).get(DENOM, Dec.zero())

    def outstanding(self, ctx: Context) -> Dec:
        total = Dec.zero()
        for _, rewards in self.distribution.outstanding_rewards.iterate(ctx):
            total += rewards.get(DENOM, Dec.zero())
        return total

    def balance(self, ctx: Context, account: bytes) -> int:
        return int(self.bank.get_balance(ctx, account, DENOM))

    def conservation_gap(self, ctx: Context) -> Dec:
        """minted + fees - (pool + outstanding + withdrawn + unallocated fees): always zero."""
        inflow = Dec.from_int(self.minted + self.fees)
        accounted = (
            self.pool(ctx)
            + self.outstanding(ctx)
            + Dec.from_int(self.withdrawn + self.balance(ctx, FEE_COLLECTOR))
        )
        return inflow - accounted

    def broken(self, ctx: Context) -> list[str]:
        checks = [
            *self.bank.invariants(),
            *self.staking.invariants(),
            *self.distribution.invariants(),
            ("distribution/can-withdraw", self.distribution.can_withdraw_invariant),
        ]
        return [f"{name}: {report}" for name, check in checks if (report := check(ctx))]


def delegate(delegator: bytes, validator: bytes, amount: int) -> Message:
    return staking_tx.MsgDelegate(
        delegator_address=addr(delegator),
        validator_address=valoper(validator),
        amount=CoinPb(denom=DENOM, amount=str(amount)),
    )


def undelegate(delegator: bytes, validator: bytes, amount: int) -> Message:
    return staking_tx.MsgUndelegate(
        delegator_address=addr(delegator),
        validator_address=valoper(validator),
        amount=CoinPb(denom=DENOM, amount=str(amount)),
    )


def withdraw(delegator: bytes, validator: bytes) -> Message:
    return tx_pb2.MsgWithdrawDelegatorReward(
        delegator_address=addr(delegator), validator_address=valoper(validator)
    )


@pytest.fixture
def chain() -> Chain:
    return Chain()


# Allocation


def test_fees_of_block_one_wait_for_block_two(chain: Chain) -> None:
    ctx = chain.begin(fees=1000)
    assert chain.balance(ctx, FEE_COLLECTOR) == 1000
    assert chain.pool(ctx) == Dec.zero()
    chain.end(ctx)
    ctx = chain.begin()
    assert chain.balance(ctx, FEE_COLLECTOR) == 0
    assert chain.pool(ctx) + chain.outstanding(ctx) == Dec.from_int(1000)


def test_allocation_follows_power_commission_and_community_tax() -> None:
    chain = Chain(stakes=(10**7, 2 * 10**7))
    chain.blocks(1)
    ctx = chain.begin(fees=1_000_001)
    fees = Dec.from_int(1_000_001)
    to_validators = fees.mul_truncate(Dec.from_str("0.98"))
    expected = {}
    for validator, power, rate in ((V1, 10, "0.1"), (V2, 20, "0.05")):
        reward = to_validators.mul_truncate(Dec.from_int(power).quo_truncate(Dec.from_int(30)))
        commission = reward.mul(Dec.from_str(rate))
        expected[validator] = reward
        assert chain.distribution.get_outstanding_rewards(ctx, validator) == {DENOM: reward}
        assert chain.distribution.get_accumulated_commission(ctx, validator) == {DENOM: commission}
        current = chain.distribution.get_current_rewards(ctx, validator)
        assert current is not None
        assert current.rewards == {DENOM: reward - commission}
    # The community pool gets the tax and every truncation remainder: nothing is lost.
    assert chain.pool(ctx) == fees - expected[V1] - expected[V2]
    assert chain.pool(ctx) >= fees.mul(Dec.from_str("0.02"))
    assert chain.balance(ctx, DISTRIBUTION) == 1_000_001
    assert chain.broken(ctx) == []


def test_without_bonded_power_everything_goes_to_the_pool() -> None:
    chain = Chain(stakes=(999_999, 500_000))  # below one unit of power each
    assert chain.staking.last_powers(chain.ctx()) == []
    chain.blocks(1)
    ctx = chain.begin(fees=777)
    assert chain.pool(ctx) == Dec.from_int(777)
    assert chain.outstanding(ctx) == Dec.zero()


def test_community_tax_param() -> None:
    chain = Chain()
    ctx = chain.ctx()
    chain.deliver(
        ctx,
        tx_pb2.MsgUpdateParams(
            authority=GOV,
            params=distribution_pb2.Params(
                community_tax=dec_to_proto(Dec.from_str("0.5")), withdraw_addr_enabled=True
            ),
        ),
    )
    chain.blocks(1)
    ctx = chain.begin(fees=1000)
    # Powers 10 and 30 split 500 exactly: 125 and 375.
    assert chain.pool(ctx) == Dec.from_int(500)
    assert chain.outstanding(ctx) == Dec.from_int(500)


# Rewards


def test_rewards_are_proportional_to_stake(chain: Chain) -> None:
    ctx = chain.ctx()
    chain.deliver(ctx, delegate(ALICE, V1, 1_000_000))
    chain.deliver(ctx, delegate(BOB, V1, 3_000_000))
    ctx = chain.blocks(20, fees=123_457)
    alice, bob = chain.rewards(ctx, ALICE, V1), chain.rewards(ctx, BOB, V1)
    operator = chain.rewards(ctx, V1, V1)
    assert alice.is_positive()
    # 1:3 up to the truncation of the reward ratios (one 10**-18 per token per period).
    assert abs((bob - alice.mul_int(3)).raw) <= 3 * 21
    assert abs((operator - alice.mul_int(10)).raw) <= 10 * 21
    # Equal stakes on validators of different commission earn in proportion to 1 - rate.
    chain.deliver(ctx, delegate(CAROL, V2, 1_000_000))
    chain.deliver(ctx, delegate(ALICE, V2, 1_000_000))
    assert chain.conservation_gap(ctx) == Dec.zero()
    assert chain.broken(ctx) == []


def test_a_later_delegation_earns_only_from_then_on(chain: Chain) -> None:
    ctx = chain.ctx()
    chain.deliver(ctx, delegate(ALICE, V1, 10**7))
    ctx = chain.blocks(5, fees=10**6)
    chain.deliver(ctx, delegate(BOB, V1, 10**7))
    assert chain.rewards(ctx, BOB, V1) == Dec.zero()
    before = chain.rewards(ctx, ALICE, V1)
    ctx = chain.blocks(5, fees=10**6)
    gained = chain.rewards(ctx, ALICE, V1) - before
    assert abs((chain.rewards(ctx, BOB, V1) - gained).raw) <= 10**7 * 6


def test_withdraw_pays_whole_coins_to_the_delegator_and_change_to_the_pool(chain: Chain) -> None:
    ctx = chain.ctx()
    chain.deliver(ctx, delegate(ALICE, V1, 2_000_000))
    ctx = chain.blocks(3, fees=1_000_003)
    ctx = chain.begin()
    owed = chain.rewards(ctx, ALICE, V1)
    pool, outstanding = chain.pool(ctx), chain.outstanding(ctx)
    balance = chain.balance(ctx, ALICE)
    response = chain.deliver(ctx, withdraw(ALICE, V1))
    paid = owed.truncate_int()
    assert list(response.amount) == coins_pb(f"{paid}{DENOM}")
    assert chain.balance(ctx, ALICE) == balance + paid
    assert chain.pool(ctx) == pool + (owed - Dec.from_int(paid))
    assert chain.outstanding(ctx) == outstanding - owed
    assert chain.hook_calls == [(ALICE, addr(ALICE), Coins.of(DENOM, paid))]
    assert chain.rewards(ctx, ALICE, V1) == Dec.zero()
    assert chain.conservation_gap(ctx) == Dec.zero()
    assert chain.broken(ctx) == []


def test_withdraw_emits_the_sdk_event(chain: Chain) -> None:
    ctx = chain.ctx()
    chain.deliver(ctx, delegate(ALICE, V1, 2_000_000))
    ctx = chain.blocks(2, fees=10**6)
    ctx = chain.begin()
    paid = chain.rewards(ctx, ALICE, V1).truncate_int()
    chain.handlers["/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward"](
        ctx, withdraw(ALICE, V1)
    )
    event = next(e for e in ctx.events if e.type == "withdraw_rewards")
    assert event.attributes == (
        ("amount", f"{paid}{DENOM}"),
        ("validator", valoper(V1)),
        ("delegator", addr(ALICE)),
    )


def test_withdrawing_nothing_answers_a_zero_coin_and_skips_the_hook(chain: Chain) -> None:
    ctx = chain.ctx()
    chain.deliver(ctx, delegate(ALICE, V1, 2_000_000))
    response = chain.deliver(ctx, withdraw(ALICE, V1))
    assert list(response.amount) == [CoinPb(denom=DENOM, amount="0")]
    assert chain.hook_calls == []


def test_shares_changes_withdraw_first_and_call_the_hook(chain: Chain) -> None:
    ctx = chain.ctx()
    chain.deliver(ctx, delegate(ALICE, V1, 2_000_000))
    ctx = chain.blocks(3, fees=10**6)
    ctx = chain.begin()
    owed = chain.rewards(ctx, ALICE, V1).truncate_int()
    balance = chain.balance(ctx, ALICE)
    chain.deliver(ctx, delegate(ALICE, V1, 1_000_000))
    assert chain.balance(ctx, ALICE) == balance + owed - 1_000_000
    assert chain.hook_calls == [(ALICE, addr(ALICE), Coins.of(DENOM, owed))]
    ctx = chain.blocks(2, fees=10**6)
    ctx = chain.begin()
    owed = chain.rewards(ctx, ALICE, V1).truncate_int()
    balance = chain.balance(ctx, ALICE)
    chain.deliver(ctx, undelegate(ALICE, V1, 3_000_000))
    assert chain.balance(ctx, ALICE) == balance + owed
    assert chain.distribution.starting_infos.get(ctx, (V1, ALICE)) is None
    assert chain.hook_calls[-1] == (ALICE, addr(ALICE), Coins.of(DENOM, owed))
    assert chain.conservation_gap(ctx) == Dec.zero()
    assert chain.broken(ctx) == []


def test_a_failing_hook_is_dropped_and_the_withdrawal_stands(chain: Chain) -> None:
    def failing(ctx: Context, delegator: bytes, text: str, rewards: Coins) -> Int:
        chain.bank.send_coins_from_account_to_module(ctx, delegator, "incentives", rewards)
        raise ErrInvalidRequest.wrap("no thanks")

    def moving(ctx: Context, delegator: bytes, text: str, rewards: Coins) -> Int:
        chain.bank.send_coins_from_account_to_module(
            ctx, delegator, "incentives", Coins.of(DENOM, 1)
        )
        return Int(1)

    chain.distribution.set_withdraw_hooks([failing, moving])
    ctx = chain.ctx()
    chain.deliver(ctx, delegate(ALICE, V1, 2_000_000))
    ctx = chain.blocks(2, fees=10**6)
    ctx = chain.begin()
    owed = chain.rewards(ctx, ALICE, V1).truncate_int()
    balance = chain.balance(ctx, ALICE)
    chain.handlers["/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward"](
        ctx, withdraw(ALICE, V1)
    )
    assert chain.balance(ctx, ALICE) == balance + owed - 1
    assert chain.balance(ctx, module_address("incentives")) == 1
    error = next(e for e in ctx.events if e.type == "withdraw_hook_error")
    assert error.attribute("error") == "no thanks: invalid request"
    assert error.attribute("amount") == f"{owed}{DENOM}"


@pytest.mark.parametrize(
    ("msg", "kind", "log"),
    [
        (withdraw(ALICE, bytes([9]) * 20), distr_errors.ErrNoValidatorDistInfo, None),
        (
            withdraw(CAROL, V1),
            distr_errors.ErrEmptyDelegationDistInfo,
            "no delegation distribution info",
        ),
        (
            tx_pb2.MsgWithdrawDelegatorReward(
                delegator_address=addr(ALICE), validator_address=addr(V1)
            ),
            ErrInvalidAddress,
            None,
        ),
        (
            tx_pb2.MsgWithdrawDelegatorReward(delegator_address="x", validator_address=valoper(V1)),
            ErrInvalidAddress,
            None,
        ),
    ],
)
def test_withdraw_failures_leave_state_unchanged(
    chain: Chain, msg: Message, kind: RegisteredError, log: str | None
) -> None:
    ctx = chain.ctx()
    chain.deliver(ctx, delegate(ALICE, V1, 2_000_000))
    ctx = chain.blocks(2, fees=10**6)
    rejects(ctx, kind, log, lambda: chain.deliver(ctx, msg))


# Withdraw address


def test_withdraw_address_receives_rewards(chain: Chain) -> None:
    ctx = chain.ctx()
    chain.deliver(ctx, delegate(ALICE, V1, 2_000_000))
    chain.handlers["/cosmos.distribution.v1beta1.MsgSetWithdrawAddress"](
        ctx,
        tx_pb2.MsgSetWithdrawAddress(delegator_address=addr(ALICE), withdraw_address=addr(CAROL)),
    )
    event = next(e for e in ctx.events if e.type == "set_withdraw_address")
    assert event.attributes == (("withdraw_address", addr(CAROL)),)
    answer = chain.query(
        ctx,
        "DelegatorWithdrawAddress",
        query_pb2.QueryDelegatorWithdrawAddressRequest(delegator_address=addr(ALICE)),
    )
    assert answer.withdraw_address == addr(CAROL)
    ctx = chain.blocks(2, fees=10**6)
    ctx = chain.begin()
    owed = chain.rewards(ctx, ALICE, V1).truncate_int()
    alice, carol = chain.balance(ctx, ALICE), chain.balance(ctx, CAROL)
    chain.deliver(ctx, withdraw(ALICE, V1))
    assert (chain.balance(ctx, ALICE), chain.balance(ctx, CAROL)) == (alice, carol + owed)
    # The hook still names the delegator, with exactly the coins paid.
    assert chain.hook_calls == [(ALICE, addr(ALICE), Coins.of(DENOM, owed))]


@pytest.mark.parametrize(
    ("withdraw_to", "kind", "log"),
    [
        (
            addr(DISTRIBUTION),
            ErrUnauthorized,
            f"{addr(DISTRIBUTION)} is not allowed to receive external funds: unauthorized",
        ),
        (
            addr(module_address("gov")),
            ErrUnauthorized,
            f"{GOV} is not allowed to receive external funds: unauthorized",
        ),
        ("cosmos1xyz", ErrInvalidAddress, None),
    ],
)
def test_set_withdraw_address_failures(
    chain: Chain, withdraw_to: str, kind: RegisteredError, log: str | None
) -> None:
    ctx = chain.ctx()
    msg = tx_pb2.MsgSetWithdrawAddress(delegator_address=addr(ALICE), withdraw_address=withdraw_to)
    rejects(ctx, kind, log, lambda: chain.deliver(ctx, msg))


def test_set_withdraw_address_can_be_disabled(chain: Chain) -> None:
    ctx = chain.ctx()
    params = chain.distribution.get_params(ctx)
    params.withdraw_addr_enabled = False
    chain.distribution.set_params(ctx, params)
    msg = tx_pb2.MsgSetWithdrawAddress(delegator_address=addr(ALICE), withdraw_address=addr(BOB))
    rejects(
        ctx,
        distr_errors.ErrSetWithdrawAddrDisabled,
        "set withdraw address disabled",
        lambda: chain.deliver(ctx, msg),
    )


# Commission


def test_withdraw_commission_pays_whole_coins_and_keeps_the_change(chain: Chain) -> None:
    ctx = chain.blocks(4, fees=1_000_003)
    accumulated = chain.distribution.get_accumulated_commission(ctx, V1)[DENOM]
    outstanding = chain.distribution.get_outstanding_rewards(ctx, V1)[DENOM]
    balance = chain.balance(ctx, V1)
    response = chain.deliver(
        ctx, tx_pb2.MsgWithdrawValidatorCommission(validator_address=valoper(V1))
    )
    paid = accumulated.truncate_int()
    assert list(response.amount) == coins_pb(f"{paid}{DENOM}")
    assert chain.balance(ctx, V1) == balance + paid
    change = accumulated - Dec.from_int(paid)
    assert chain.distribution.get_accumulated_commission(ctx, V1) == (
        {DENOM: change} if change.is_positive() else {}
    )
    assert chain.distribution.get_outstanding_rewards(ctx, V1) == {
        DENOM: outstanding - Dec.from_int(paid)
    }
    assert chain.hook_calls == []
    assert chain.conservation_gap(ctx) == Dec.zero()
    assert chain.broken(ctx) == []


def test_withdraw_commission_failures(chain: Chain) -> None:
    ctx = chain.ctx()
    rejects(
        ctx,
        distr_errors.ErrNoValidatorCommission,
        "no validator commission to withdraw",
        lambda: chain.deliver(
            ctx, tx_pb2.MsgWithdrawValidatorCommission(validator_address=valoper(V1))
        ),
    )
    rejects(
        ctx,
        ErrInvalidAddress,
        None,
        lambda: chain.deliver(
            ctx, tx_pb2.MsgWithdrawValidatorCommission(validator_address=addr(V1))
        ),
    )


# Community pool Msgs


def test_fund_community_pool(chain: Chain) -> None:
    ctx = chain.ctx()
    chain.deliver(
        ctx, tx_pb2.MsgFundCommunityPool(depositor=addr(ALICE), amount=coins_pb("150uakt"))
    )
    answer = chain.query(ctx, "CommunityPool", query_pb2.QueryCommunityPoolRequest())
    assert list(answer.pool) == [DecCoin(denom=DENOM, amount=str(150 * 10**18))]
    assert chain.broken(ctx) == []


@pytest.mark.parametrize(
    ("depositor", "amount", "kind", "log"),
    [
        (addr(ALICE), [], ErrInvalidCoins, "amount cannot be nil: invalid coins"),
        (addr(ALICE), [CoinPb(denom=DENOM, amount="0")], ErrInvalidCoins, "0uakt: invalid coins"),
        (
            addr(ALICE),
            [CoinPb(denom="uatom", amount="1"), CoinPb(denom="uakt", amount="1")],
            ErrInvalidCoins,
            "1uatom,1uakt: invalid coins",
        ),
        (
            addr(bytes([9]) * 20),
            coins_pb("5uakt"),
            ErrInsufficientFunds,
            "spendable balance 0uakt is smaller than 5uakt: insufficient funds",
        ),
        ("akash1nope", coins_pb("5uakt"), ErrInvalidAddress, None),
    ],
)
def test_fund_community_pool_failures(
    chain: Chain, depositor: str, amount: list[CoinPb], kind: RegisteredError, log: str | None
) -> None:
    ctx = chain.ctx()
    msg = tx_pb2.MsgFundCommunityPool(depositor=depositor, amount=amount)
    rejects(ctx, kind, log, lambda: chain.deliver(ctx, msg))


def test_community_pool_spend_by_gov(chain: Chain) -> None:
    ctx = chain.ctx()
    chain.deliver(
        ctx, tx_pb2.MsgFundCommunityPool(depositor=addr(ALICE), amount=coins_pb("150uakt"))
    )
    balance = chain.balance(ctx, BOB)
    chain.deliver(
        ctx,
        tx_pb2.MsgCommunityPoolSpend(
            authority=GOV, recipient=addr(BOB), amount=coins_pb("100uakt")
        ),
    )
    assert chain.balance(ctx, BOB) == balance + 100
    assert chain.pool(ctx) == Dec.from_int(50)
    assert chain.broken(ctx) == []


@pytest.mark.parametrize(
    ("authority", "recipient", "amount", "kind", "log"),
    [
        (
            addr(ALICE),
            addr(BOB),
            "1uakt",
            distr_errors.ErrInvalidSigner,
            f"invalid authority; expected {GOV}, got {addr(ALICE)}: expected authority account "
            "as only signer for proposal message",
        ),
        ("gov", addr(BOB), "1uakt", ErrInvalidAddress, None),
        (GOV, addr(BOB), "", ErrInvalidCoins, "amount cannot be nil: invalid coins"),
        (
            GOV,
            addr(FEE_COLLECTOR),
            "1uakt",
            ErrUnauthorized,
            f"{addr(FEE_COLLECTOR)} is not allowed to receive external funds: unauthorized",
        ),
        (GOV, "akash1q", "1uakt", ErrInvalidAddress, None),
        (
            GOV,
            addr(BOB),
            "151uakt",
            distr_errors.ErrBadDistribution,
            "community pool does not have sufficient coins to distribute",
        ),
    ],
)
def test_community_pool_spend_failures(
    chain: Chain,
    authority: str,
    recipient: str,
    amount: str,
    kind: RegisteredError,
    log: str | None,
) -> None:
    ctx = chain.ctx()
    chain.deliver(
        ctx, tx_pb2.MsgFundCommunityPool(depositor=addr(ALICE), amount=coins_pb("150uakt"))
    )
    msg = tx_pb2.MsgCommunityPoolSpend(
        authority=authority, recipient=recipient, amount=coins_pb(amount)
    )
    rejects(ctx, kind, log, lambda: chain.deliver(ctx, msg))


def test_update_params_failures(chain: Chain) -> None:
    ctx = chain.ctx()
    for params, kind, log in [
        (
            distribution_pb2.Params(community_tax=dec_to_proto(Dec.from_str("1.5"))),
            ErrInvalidRequest,
            "community tax too large: 1.500000000000000000: invalid request",
        ),
        (
            distribution_pb2.Params(community_tax=dec_to_proto(Dec.from_str("-0.5"))),
            ErrInvalidRequest,
            "community tax must be positive: -0.500000000000000000: invalid request",
        ),
        (
            distribution_pb2.Params(base_proposer_reward=dec_to_proto(Dec.from_str("0.1"))),
            ErrInvalidRequest,
            None,
        ),
    ]:
        msg = tx_pb2.MsgUpdateParams(authority=GOV, params=params)
        rejects(ctx, kind, log, lambda msg=msg: chain.deliver(ctx, msg))
    msg = tx_pb2.MsgUpdateParams(authority=addr(ALICE), params=distribution_pb2.Params())
    rejects(ctx, distr_errors.ErrInvalidSigner, None, lambda: chain.deliver(ctx, msg))


def test_deposit_validator_rewards_pool(chain: Chain) -> None:
    ctx = chain.ctx()
    chain.deliver(
        ctx,
        tx_pb2.MsgDepositValidatorRewardsPool(
            depositor=addr(ALICE), validator_address=valoper(V1), amount=coins_pb("1000uakt")
        ),
    )
    assert chain.distribution.get_outstanding_rewards(ctx, V1) == {DENOM: Dec.from_int(1000)}
    assert chain.distribution.get_accumulated_commission(ctx, V1) == {DENOM: Dec.from_int(100)}
    assert chain.broken(ctx) == []
    msg = tx_pb2.MsgDepositValidatorRewardsPool(
        depositor=addr(ALICE), validator_address=valoper(CAROL), amount=coins_pb("1uakt")
    )
    rejects(
        ctx,
        distr_errors.ErrNoValidatorExists,
        f"{valoper(CAROL)}: validator does not exist",
        lambda: chain.deliver(ctx, msg),
    )


def test_error_codes_match_the_sdk() -> None:
    assert distr_errors.CODESPACE == "distribution"
    codes = [
        (kind.code, kind.description)
        for kind in (
            distr_errors.ErrEmptyDelegationDistInfo,
            distr_errors.ErrNoValidatorDistInfo,
            distr_errors.ErrNoValidatorCommission,
            distr_errors.ErrSetWithdrawAddrDisabled,
            distr_errors.ErrBadDistribution,
            distr_errors.ErrNoValidatorExists,
            distr_errors.ErrNoDelegationExists,
            distr_errors.ErrInvalidSigner,
        )
    ]
    assert [code for code, _ in codes] == [5, 6, 7, 8, 9, 12, 13, 15]


# Queries


def test_reward_queries(chain: Chain) -> None:
    ctx = chain.ctx()
    chain.deliver(ctx, delegate(ALICE, V1, 2_000_000))
    chain.deliver(ctx, delegate(ALICE, V2, 3_000_000))
    ctx = chain.blocks(3, fees=10**6)
    before = store_hash(ctx.store)
    one = chain.query(
        ctx,
        "DelegationRewards",
        query_pb2.QueryDelegationRewardsRequest(
            delegator_address=addr(ALICE), validator_address=valoper(V1)
        ),
    )
    assert list(one.rewards) == [
        DecCoin(denom=DENOM, amount=str(chain.rewards(ctx, ALICE, V1).raw))
    ]
    total = chain.query(
        ctx,
        "DelegationTotalRewards",
        query_pb2.QueryDelegationTotalRewardsRequest(delegator_address=addr(ALICE)),
    )
    assert [r.validator_address for r in total.rewards] == [valoper(V1), valoper(V2)]
    both = chain.rewards(ctx, ALICE, V1) + chain.rewards(ctx, ALICE, V2)
    assert list(total.total) == [DecCoin(denom=DENOM, amount=str(both.raw))]
    outstanding = chain.query(
        ctx,
        "ValidatorOutstandingRewards",
        query_pb2.QueryValidatorOutstandingRewardsRequest(validator_address=valoper(V2)),
    )
    assert outstanding.rewards.rewards[0].amount == str(
        chain.distribution.get_outstanding_rewards(ctx, V2)[DENOM].raw
    )
    commission = chain.query(
        ctx,
        "ValidatorCommission",
        query_pb2.QueryValidatorCommissionRequest(validator_address=valoper(V1)),
    )
    assert commission.commission.commission[0].amount == str(
        chain.distribution.get_accumulated_commission(ctx, V1)[DENOM].raw
    )
    info = chain.query(
        ctx,
        "ValidatorDistributionInfo",
        query_pb2.QueryValidatorDistributionInfoRequest(validator_address=valoper(V1)),
    )
    assert info.operator_address == addr(V1)
    assert info.self_bond_rewards[0].amount == str(chain.rewards(ctx, V1, V1).raw)
    validators = chain.query(
        ctx,
        "DelegatorValidators",
        query_pb2.QueryDelegatorValidatorsRequest(delegator_address=addr(ALICE)),
    )
    assert list(validators.validators) == [valoper(V1), valoper(V2)]
    params = chain.query(ctx, "Params", query_pb2.QueryParamsRequest()).params
    assert params.community_tax == "20000000000000000"
    slashes = chain.query(
        ctx,
        "ValidatorSlashes",
        query_pb2.QueryValidatorSlashesRequest(validator_address=valoper(V1), ending_height=9),
    )
    assert list(slashes.slashes) == []
    assert store_hash(ctx.store) == before


def test_query_failures(chain: Chain) -> None:
    ctx = chain.ctx()
    unknown = valoper(CAROL)
    for method, request, kind, log in [
        (
            "DelegationRewards",
            query_pb2.QueryDelegationRewardsRequest(
                delegator_address=addr(ALICE), validator_address=unknown
            ),
            distr_errors.ErrNoValidatorExists,
            f"{unknown}: validator does not exist",
        ),
        (
            "DelegationRewards",
            query_pb2.QueryDelegationRewardsRequest(
                delegator_address=addr(ALICE), validator_address=valoper(V1)
            ),
            distr_errors.ErrNoDelegationExists,
            "delegation does not exist",
        ),
        (
            "DelegationRewards",
            query_pb2.QueryDelegationRewardsRequest(validator_address=valoper(V1)),
            ErrInvalidRequest,
            "empty delegator address: invalid request",
        ),
        (
            "ValidatorCommission",
            query_pb2.QueryValidatorCommissionRequest(),
            ErrInvalidRequest,
            "empty validator address: invalid request",
        ),
        (
            "DelegatorWithdrawAddress",
            query_pb2.QueryDelegatorWithdrawAddressRequest(),
            ErrInvalidRequest,
            "empty delegator address: invalid request",
        ),
    ]:
        rejects(
            ctx, kind, log, lambda method=method, request=request: chain.query(ctx, method, request)
        )


# Invariants


def test_invariants_catch_broken_accounting(chain: Chain) -> None:
    ctx = chain.blocks(3, fees=10**6)
    assert chain.broken(ctx) == []
    names = [name for name, _ in chain.distribution.invariants()]
    assert names == sorted(names)
    chain.bank.mint_coins(ctx, "faucet", Coins.of(DENOM, 1))
    chain.bank.send_coins(ctx, module_address("faucet"), DISTRIBUTION, Coins.of(DENOM, 1))
    report = dict(chain.distribution.invariants())[INVARIANT_MODULE_ACCOUNT](ctx)
    assert report is not None
    assert "distribution: ModuleAccount coins invariant" in report
    chain.distribution.historical_rewards.remove(ctx, (V1, 1))
    assert dict(chain.distribution.invariants())[INVARIANT_REFERENCE_COUNT](ctx) is not None


def test_reference_count_invariant_counts_what_is_stored_now(chain: Chain) -> None:
    """A record's count raised by one breaks the invariant by one; putting the record back (the
    same bytes as before) mends it."""
    ctx = chain.blocks(3, fees=10**6)
    check = dict(chain.distribution.invariants())[INVARIANT_REFERENCE_COUNT]
    assert check(ctx) is None
    historical = chain.distribution.historical_rewards
    key, record = next(historical.iterate(ctx))
    total = sum(item.reference_count for item in historical.values(ctx))
    historical.set(ctx, key, replace(record, reference_count=record.reference_count + 1))
    report = check(ctx)
    assert report is not None
    assert report.endswith(f"total validator historical reference count: {total + 1}\n")
    historical.set(ctx, key, record)
    assert check(ctx) is None


# Genesis


def test_default_genesis_has_the_sdk_shape(chain: Chain) -> None:
    genesis = chain.module.default_genesis()
    assert genesis["params"] == {
        "community_tax": "0.020000000000000000",
        "base_proposer_reward": "0.000000000000000000",
        "bonus_proposer_reward": "0.000000000000000000",
        "withdraw_addr_enabled": True,
    }
    assert genesis["fee_pool"] == {"community_pool": []}
    assert genesis["previous_proposer"] == ""


def test_genesis_round_trips_and_the_imported_chain_continues_identically(chain: Chain) -> None:
    ctx = chain.ctx()
    chain.deliver(ctx, delegate(ALICE, V1, 2_000_000))
    chain.deliver(
        ctx,
        tx_pb2.MsgSetWithdrawAddress(delegator_address=addr(BOB), withdraw_address=addr(CAROL)),
    )
    ctx = chain.blocks(3, fees=1_000_003)
    distribution_state = chain.module.export_genesis(ctx)
    staking_state = chain.staking_module.export_genesis(ctx)
    assert distribution_state["fee_pool"]["community_pool"][0]["amount"].count(".") == 1
    bank_only = {key: value for key, value in chain.store.items() if key.startswith(b"bank/")}
    other = Chain()
    other.store = MemKV(bank_only)
    other.height, other.time_ns = chain.height, chain.time_ns
    other_ctx = other.ctx()
    other.module.init_genesis(other_ctx, distribution_state)
    other.staking_module.init_genesis(other_ctx, staking_state)
    assert other.module.export_genesis(other_ctx) == distribution_state
    assert other.staking_module.export_genesis(other_ctx) == staking_state
    assert store_hash(other.store) == store_hash(chain.store)
    for world in (chain, other):
        ctx = world.blocks(2, fees=999)
        world.deliver(ctx, withdraw(ALICE, V1))
    assert store_hash(other.store) == store_hash(chain.store)


def test_genesis_checks_the_module_balance(chain: Chain) -> None:
    ctx = Context(BlockHeader(0, T0 * NANOS, CHAIN_ID), MemKV())
    state = chain.module.default_genesis()
    state["fee_pool"] = {"community_pool": [{"denom": DENOM, "amount": "10.5"}]}
    rejects(
        ctx,
        ErrInvalidRequest,
        "distribution module balance does not match the module holdings:  <-> 10uakt: "
        "invalid request",
        lambda: chain.module.init_genesis(ctx, state),
    )


# Conservation and the randomized property

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("block"),
            st.integers(0, 3_000_000),
            st.one_of(st.integers(1, 30), st.just(22 * 86400)),  # or past the unbonding time
        ),
        st.tuples(
            st.just("delegate"),
            st.sampled_from([ALICE, BOB, CAROL]),
            st.sampled_from([V1, V2]),
            st.integers(1, 5_000_000),
        ),
        st.tuples(
            st.just("undelegate"),
            st.sampled_from([ALICE, BOB, CAROL, V1]),
            st.sampled_from([V1, V2]),
            st.integers(1, 5_000_000),
        ),
        st.tuples(
            st.just("withdraw"), st.sampled_from([ALICE, BOB, CAROL, V1]), st.sampled_from([V1, V2])
        ),
        st.tuples(st.just("commission"), st.sampled_from([V1, V2])),
        st.tuples(
            st.just("withdraw_address"),
            st.sampled_from([ALICE, BOB]),
            st.sampled_from([CAROL, BOB]),
        ),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=200)
@given(operations)
def test_random_sequences_keep_every_invariant_and_conserve_exactly(ops: list[Any]) -> None:
    chain = Chain(mint=True)
    hooked = 0
    commission = 0
    ctx = chain.begin()
    for op in ops:
        kind = op[0]
        if kind == "block":
            chain.end(ctx)
            ctx = chain.begin(seconds=op[2], fees=op[1])
            continue
        msg: Message
        if kind == "delegate":
            msg = delegate(op[1], op[2], op[3])
        elif kind == "undelegate":
            msg = undelegate(op[1], op[2], op[3])
        elif kind == "withdraw":
            msg = withdraw(op[1], op[2])
        elif kind == "commission":
            msg = tx_pb2.MsgWithdrawValidatorCommission(validator_address=valoper(op[1]))
        else:
            msg = tx_pb2.MsgSetWithdrawAddress(
                delegator_address=addr(op[1]), withdraw_address=addr(op[2])
            )
        before = store_hash(ctx.store)
        calls = len(chain.hook_calls)
        try:
            response = chain.deliver(ctx, msg)
        except SdkError:
            assert store_hash(ctx.store) == before
            del chain.hook_calls[calls:]  # the hooks ran in the discarded branch
        else:
            if kind == "commission":
                commission += sum(int(c.amount) for c in response.amount)
        hooked = sum(int(c.amount_of(DENOM)) for _, _, c in chain.hook_calls)
        # Every payout is a commission or a delegation reward the hook saw, exactly.
        assert chain.withdrawn == commission + hooked
        assert chain.broken(ctx) == []
        assert chain.conservation_gap(ctx) == Dec.zero()
    chain.end(ctx)
    assert chain.broken(ctx) == []


def test_the_incentives_redirect_takes_its_share_of_exactly_the_paid_rewards() -> None:
    world = IncentivesWorld()
    pool_id = world.create_pool("pro_rata")
    app = world.app
    staking = StakingKeeper(app.bank)
    distribution = DistributionKeeper(app.bank, staking=staking)
    staking.set_hooks([distribution])
    distribution.set_withdraw_hooks([app.incentives.after_rewards_withdrawn])
    delegator, operator = incentives_account(4), incentives_account(5)
    ctx = app.context()
    validator = staking.create_validator(ctx, operator, Int(10**7), Dec.from_str("0.1"))
    staking.delegate(ctx, delegator, validator, Int(3 * 10**7))
    staking.end_block(ctx)
    world.ok(
        incentives_tx.MsgSetRewardRedirect(delegator=addr(delegator), pool_id=pool_id, bps=2500)
    )
    app.begin_block()
    ctx = app.context()
    app.bank.mint_coins(ctx, "fee_collector", Coins.of(DENOM, 10**6))
    distribution.allocate_tokens(ctx)
    keeper = app.incentives.keeper
    pool_before = keeper.get_pool(ctx, pool_id).balance
    balance = int(app.bank.get_balance(ctx, delegator, DENOM))
    paid = int(distribution.withdraw_delegation_rewards(ctx, delegator, operator).amount_of(DENOM))
    share = paid * 2500 // 10_000
    assert paid > 0
    assert share > 0
    assert keeper.get_pool(ctx, pool_id).balance == pool_before + share
    assert int(app.bank.get_balance(ctx, delegator, DENOM)) == balance + paid - share
    assert app.invariants() == []
    assert [check(ctx) for _, check in distribution.invariants()] == [None, None, None]
