"""Staking: validators, delegations, exchange rate, unbonding, queries, genesis and invariants."""

from __future__ import annotations

from typing import Any

import pytest
from cosmpy.protos.cosmos.base.query.v1beta1.pagination_pb2 import PageRequest
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from cosmpy.protos.cosmos.staking.v1beta1 import genesis_pb2, query_pb2, staking_pb2, tx_pb2
from google.protobuf.message import Message

from chain.modules.bank import BankKeeper
from chain.modules.staking import (
    BONDED_POOL,
    INVARIANT_DELEGATOR_SHARES,
    INVARIANT_MODULE_ACCOUNTS,
    NOT_BONDED_POOL,
    StakingKeeper,
    StakingModule,
    tokens_from_shares,
)
from chain.modules.staking import errors as staking_errors
from chain.modules.staking.legacy_dec import dec_to_proto, from_sdk_json, to_sdk_json
from chain.modules.staking.module import genesis_from_dict, genesis_to_dict
from chain.sdk.address import encode_address, module_address
from chain.sdk.context import NANOS, BlockHeader, Context
from chain.sdk.errors import (
    ErrInsufficientFunds,
    ErrInvalidAddress,
    ErrInvalidRequest,
    ErrNotFound,
    RegisteredError,
    SdkError,
)
from chain.sdk.kv import MemKV, store_hash
from chain.sdk.math import Coins, Dec, Int
from tests.chain.rejection import rejects

DENOM = "uakt"
CHAIN_ID = "akash-localnet-1"
T0 = 1_735_689_600
UNBONDING = 21 * 86400
V1, V2, V3 = bytes([1]) * 20, bytes([2]) * 20, bytes([3]) * 20
ALICE, BOB = bytes([10]) * 20, bytes([11]) * 20
MODULE_ACCOUNTS = ("distribution", "fee_collector", BONDED_POOL, NOT_BONDED_POOL, "gov", "mint")


def valoper(account: bytes) -> str:
    return encode_address(account, "akashvaloper")


def addr(account: bytes) -> str:
    return encode_address(account)


def coin(amount: int | str, denom: str = DENOM) -> CoinPb:
    return CoinPb(denom=denom, amount=str(amount))


class Hooks:
    """Records every staking hook call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    def after_validator_created(self, ctx: Context, validator: bytes) -> None:
        self.calls.append(("after_validator_created", valoper(validator)))

    def before_delegation_created(self, ctx: Context, delegator: bytes, validator: bytes) -> None:
        self.calls.append(("before_delegation_created", addr(delegator), valoper(validator)))

    def before_delegation_shares_modified(
        self, ctx: Context, delegator: bytes, validator: bytes
    ) -> None:
        self.calls.append(("before_shares_modified", addr(delegator), valoper(validator)))

    def after_delegation_modified(self, ctx: Context, delegator: bytes, validator: bytes) -> None:
        self.calls.append(("after_delegation_modified", addr(delegator), valoper(validator)))

    def before_delegation_removed(self, ctx: Context, delegator: bytes, validator: bytes) -> None:
        self.calls.append(("before_delegation_removed", addr(delegator), valoper(validator)))


class World:
    """Bank and staking over one store, two validators (10 and 30 AKT self-bonded)."""

    def __init__(self) -> None:
        self.store = MemKV()
        self.height = 0
        self.time_ns = T0 * NANOS
        self.bank = BankKeeper(
            blocked_addrs=frozenset(module_address(name) for name in MODULE_ACCOUNTS)
        )
        self.staking = StakingKeeper(self.bank)
        self.hooks = Hooks()
        self.staking.set_hooks([self.hooks])
        self.module = StakingModule(self.staking)
        self.msgs = self.module.msg_handlers()
        self.queries = self.module.query_handlers()
        ctx = self.ctx()
        for account in (V1, V2, V3, ALICE, BOB):
            self.fund(ctx, account, 10**9)
        self.staking.create_validator(ctx, V1, Int(10**7), Dec.from_str("0.1"), moniker="one")
        self.staking.create_validator(ctx, V2, Int(3 * 10**7), Dec.from_str("0.05"))
        self.staking.end_block(ctx)
        self.hooks.calls.clear()

    def ctx(self) -> Context:
        return Context(BlockHeader(self.height, self.time_ns, CHAIN_ID), self.store)

    def fund(self, ctx: Context, account: bytes, amount: int) -> None:
        self.bank.mint_coins(ctx, "mint", Coins.of(DENOM, amount))
        self.bank.send_coins_from_module_to_account(ctx, "mint", account, Coins.of(DENOM, amount))

    def next_block(self, seconds: int = 5) -> Context:
        self.height += 1
        self.time_ns += seconds * NANOS
        return self.ctx()

    def deliver(self, ctx: Context, msg: Message) -> Any:
        return self.msgs[f"/{msg.DESCRIPTOR.full_name}"](ctx, msg)

    def query(self, ctx: Context, method: str, request: Message) -> Any:
        return self.queries[f"/cosmos.staking.v1beta1.Query/{method}"](ctx, request)

    def balance(self, ctx: Context, account: bytes) -> int:
        return int(self.bank.get_balance(ctx, account, DENOM))

    def broken(self, ctx: Context) -> list[str]:
        checks = [*self.staking.invariants(), *self.bank.invariants()]
        return [f"{name}: {report}" for name, check in checks if (report := check(ctx))]


def delegate(delegator: bytes, validator: bytes, amount: int | str, denom: str = DENOM) -> Message:
    return tx_pb2.MsgDelegate(
        delegator_address=addr(delegator),
        validator_address=valoper(validator),
        amount=coin(amount, denom),
    )


def undelegate(
    delegator: bytes, validator: bytes, amount: int | str, denom: str = DENOM
) -> Message:
    return tx_pb2.MsgUndelegate(
        delegator_address=addr(delegator),
        validator_address=valoper(validator),
        amount=coin(amount, denom),
    )


@pytest.fixture
def world() -> World:
    return World()


# Validators and the gov-facing API


def test_genesis_validators_are_bonded_with_their_self_delegation(world: World) -> None:
    ctx = world.ctx()
    validator = world.staking.validator(ctx, valoper(V1))
    assert validator is not None
    assert validator.status == staking_pb2.BOND_STATUS_BONDED
    assert validator.tokens == "10000000"
    assert validator.delegator_shares == dec_to_proto(Dec.from_int(10**7))
    assert validator.commission.commission_rates.rate == "100000000000000000"
    assert validator.description.moniker == "one"
    assert world.balance(ctx, module_address(BONDED_POOL)) == 4 * 10**7
    assert world.balance(ctx, V1) == 10**9 - 10**7
    assert world.staking.delegations_of(ctx, V1) == [(valoper(V1), Dec.from_int(10**7))]
    assert world.staking.last_powers(ctx) == [(V1, 10), (V2, 30)]
    assert world.staking.last_total_power(ctx) == 40
    assert world.broken(ctx) == []


def test_gov_facing_reads(world: World) -> None:
    ctx = world.ctx()
    world.deliver(ctx, delegate(ALICE, V1, 4 * 10**7))
    assert world.staking.total_bonded_tokens(ctx) == 8 * 10**7
    assert [v.operator_address for v in world.staking.bonded_validators(ctx)] == [
        valoper(V1),
        valoper(V2),
    ]
    assert world.staking.delegations_of(ctx, ALICE) == [(valoper(V1), Dec.from_int(4 * 10**7))]
    validator = world.staking.validator(ctx, valoper(V1))
    assert validator is not None
    assert world.staking.tokens_from_shares(validator, Dec.from_int(7)) == Dec.from_int(7)
    assert world.staking.validator(ctx, valoper(V3)) is None
    assert world.staking.validator(ctx, "not-an-address") is None


def test_bonded_validators_ties_are_ordered_by_operator(world: World) -> None:
    ctx = world.ctx()
    world.staking.create_validator(ctx, V3, Int(3 * 10**7), Dec.zero())
    # V2 and V3 have equal power; V2 has the smaller operator id.
    assert [v.operator_address for v in world.staking.bonded_validators(ctx)] == [
        valoper(V2),
        valoper(V3),
        valoper(V1),
    ]


def test_create_validator_calls_hooks_in_sdk_order(world: World) -> None:
    ctx = world.ctx()
    world.staking.create_validator(ctx, V3, Int(5), Dec.zero())
    assert world.hooks.calls == [
        ("after_validator_created", valoper(V3)),
        ("before_delegation_created", addr(V3), valoper(V3)),
        ("after_delegation_modified", addr(V3), valoper(V3)),
    ]


@pytest.mark.parametrize(
    ("rate", "max_rate", "max_change", "kind"),
    [
        ("0.1", "-0.1", "0.01", staking_errors.ErrCommissionNegative),
        ("0.1", "1.1", "0.01", staking_errors.ErrCommissionHuge),
        ("-0.1", "1", "0.01", staking_errors.ErrCommissionNegative),
        ("0.6", "0.5", "0.01", staking_errors.ErrCommissionGTMaxRate),
        ("0.1", "0.5", "-0.01", staking_errors.ErrCommissionChangeRateNegative),
        ("0.1", "0.5", "0.6", staking_errors.ErrCommissionChangeRateGTMaxRate),
    ],
)
def test_create_validator_refuses_bad_commission(
    world: World, rate: str, max_rate: str, max_change: str, kind: RegisteredError
) -> None:
    ctx = world.ctx()
    rejects(
        ctx,
        kind,
        None,
        lambda: world.staking.create_validator(
            ctx,
            V3,
            Int(5),
            Dec.from_str(rate),
            max_rate=Dec.from_str(max_rate),
            max_change_rate=Dec.from_str(max_change),
        ),
    )


def test_create_validator_refusals(world: World) -> None:
    ctx = world.ctx()
    rejects(
        ctx,
        staking_errors.ErrValidatorOwnerExists,
        "validator already exist for this operator address; must use new validator operator "
        "address",
        lambda: world.staking.create_validator(ctx, V1, Int(5), Dec.zero()),
    )
    rejects(
        ctx,
        ErrInsufficientFunds,
        f"spendable balance 0{DENOM} is smaller than 5{DENOM}: insufficient funds",
        lambda: world.staking.create_validator(ctx, bytes([9]) * 20, Int(5), Dec.zero()),
    )
    rejects(
        ctx,
        ErrInvalidRequest,
        "invalid delegation amount: invalid request",
        lambda: world.staking.create_validator(ctx, V3, Int(0), Dec.zero()),
    )
    params = world.staking.get_params(ctx)
    params.min_commission_rate = dec_to_proto(Dec.from_str("0.05"))
    world.staking.set_params(ctx, params)
    rejects(
        ctx,
        staking_errors.ErrCommissionLTMinRate,
        "cannot set validator commission to less than minimum rate of 0.050000000000000000: "
        "commission cannot be less than min rate",
        lambda: world.staking.create_validator(ctx, V3, Int(5), Dec.from_str("0.01")),
    )


# MsgDelegate


def test_delegate_moves_tokens_and_issues_shares(world: World) -> None:
    ctx = world.ctx()
    response = world.deliver(ctx, delegate(ALICE, V1, 2_500_000))
    assert response == tx_pb2.MsgDelegateResponse()
    assert world.balance(ctx, ALICE) == 10**9 - 2_500_000
    assert world.balance(ctx, module_address(BONDED_POOL)) == 4 * 10**7 + 2_500_000
    delegation = world.staking.delegation(ctx, ALICE, V1)
    assert delegation is not None
    assert delegation.shares == dec_to_proto(Dec.from_int(2_500_000))
    assert delegation.delegator_address == addr(ALICE)
    event = next(e for e in ctx.events if e.type == "delegate")
    assert event.attributes == (
        ("validator", valoper(V1)),
        ("delegator", addr(ALICE)),
        ("amount", f"2500000{DENOM}"),
        ("new_shares", "2500000.000000000000000000"),
    )
    world.deliver(ctx, delegate(ALICE, V1, 500_000))
    assert world.staking.delegations_of(ctx, ALICE) == [(valoper(V1), Dec.from_int(3_000_000))]
    assert world.hooks.calls == [
        ("before_delegation_created", addr(ALICE), valoper(V1)),
        ("after_delegation_modified", addr(ALICE), valoper(V1)),
        ("before_shares_modified", addr(ALICE), valoper(V1)),
        ("after_delegation_modified", addr(ALICE), valoper(V1)),
    ]
    assert world.broken(ctx) == []


def _odd_rate_world() -> tuple[World, Context]:
    """A world whose validator V3 has 10 tokens for 15 shares (as after a slash)."""
    world = World()
    ctx = world.ctx()
    validator = staking_pb2.Validator(
        operator_address=valoper(V3),
        status=staking_pb2.BOND_STATUS_BONDED,
        tokens="10",
        delegator_shares=dec_to_proto(Dec.from_int(15)),
        commission=staking_pb2.Commission(
            commission_rates=staking_pb2.CommissionRates(
                rate="0", max_rate="0", max_change_rate="0"
            )
        ),
    )
    world.staking.validators.set(ctx, V3, validator)
    world.staking.set_delegation(
        ctx,
        V3,
        V3,
        staking_pb2.Delegation(
            delegator_address=addr(V3),
            validator_address=valoper(V3),
            shares=dec_to_proto(Dec.from_int(15)),
        ),
    )
    world.bank.send_coins_from_account_to_module(ctx, V3, BONDED_POOL, Coins.of(DENOM, 10))
    return world, ctx


def test_exchange_rate_follows_sdk_rounding() -> None:
    world, ctx = _odd_rate_world()
    # shares = trunc(15 * 3 / 10) = 4.5 exactly; then trunc(19.5 * 7 / 13) = 10.5
    world.deliver(ctx, delegate(ALICE, V3, 3))
    assert world.staking.delegations_of(ctx, ALICE) == [(valoper(V3), Dec.from_str("4.5"))]
    world.deliver(ctx, delegate(BOB, V3, 7))
    assert world.staking.delegations_of(ctx, BOB) == [(valoper(V3), Dec.from_str("10.5"))]
    validator = world.staking.get_validator(ctx, V3)
    assert validator is not None
    assert validator.tokens == "20"
    assert world.staking.tokens_from_shares(validator, Dec.from_str("4.5")) == Dec.from_int(3)
    # Unbonding 1 token takes trunc(30 * 1 / 20) = 1.5 shares and pays trunc(1.5 * 20 / 30) = 1.
    world.deliver(ctx, undelegate(ALICE, V3, 1))
    assert world.staking.delegations_of(ctx, ALICE) == [(valoper(V3), Dec.from_int(3))]
    assert world.broken(ctx) == []


def test_tokens_from_shares_rounds_half_to_even() -> None:
    validator = staking_pb2.Validator(tokens="3", delegator_shares=dec_to_proto(Dec.from_int(2)))
    # 1 share of 3 tokens / 2 shares = 1.5 exactly; a hair more shares rounds differently.
    assert tokens_from_shares(validator, Dec.from_int(1)) == Dec.from_str("1.5")
    assert tokens_from_shares(validator, Dec(1)) == Dec(2)  # 1.5e-18 rounds to 2e-18
    assert tokens_from_shares(validator, Dec(3)) == Dec(4)  # 4.5e-18 rounds to 4e-18


BAD_AMOUNT = "invalid delegation amount: invalid request"


@pytest.mark.parametrize(
    ("msg", "kind", "log"),
    [
        (
            tx_pb2.MsgDelegate(
                delegator_address="akash1bad", validator_address=valoper(V1), amount=coin(1)
            ),
            ErrInvalidAddress,
            None,
        ),
        (
            tx_pb2.MsgDelegate(
                delegator_address=addr(ALICE), validator_address=addr(V1), amount=coin(1)
            ),
            ErrInvalidAddress,
            "invalid validator address: invalid Bech32 prefix; expected akashvaloper, got akash: "
            "invalid address",
        ),
        (delegate(ALICE, V1, 0), ErrInvalidRequest, "invalid delegation amount: invalid request"),
        (
            delegate(ALICE, V1, "-5"),
            ErrInvalidRequest,
            "invalid delegation amount: invalid request",
        ),
        (delegate(ALICE, V1, "1.5"), ErrInvalidRequest, None),
        (
            delegate(ALICE, V1, 5, "x"),
            ErrInvalidRequest,
            "invalid delegation amount: invalid request",
        ),
        (delegate(ALICE, V3, 5), staking_errors.ErrNoValidatorFound, "validator does not exist"),
        (
            delegate(ALICE, V1, 5, "uatom"),
            ErrInvalidRequest,
            "invalid coin denomination: got uatom, expected uakt: invalid request",
        ),
        (
            delegate(bytes([9]) * 20, V1, 5),
            ErrInsufficientFunds,
            f"spendable balance 0{DENOM} is smaller than 5{DENOM}: insufficient funds",
        ),
    ],
)
def test_delegate_failures_leave_state_unchanged(
    world: World, msg: Message, kind: RegisteredError, log: str | None
) -> None:
    ctx = world.ctx()
    world.deliver(ctx, delegate(ALICE, V1, 10))  # so a failing delegation has hooks to undo
    rejects(ctx, kind, log, lambda: world.deliver(ctx, msg))


def test_delegate_refuses_a_validator_without_tokens_but_with_shares() -> None:
    world, ctx = _odd_rate_world()
    validator = world.staking.get_validator(ctx, V3)
    assert validator is not None
    validator.tokens = "0"
    world.staking.validators.set(ctx, V3, validator)
    rejects(
        ctx,
        staking_errors.ErrDelegatorShareExRateInvalid,
        "cannot delegate to validators with invalid (zero) ex-rate",
        lambda: world.deliver(ctx, delegate(ALICE, V3, 5)),
    )


# MsgUndelegate and unbonding


def test_undelegate_starts_unbonding_and_completes_after_unbonding_time(world: World) -> None:
    ctx = world.ctx()
    world.deliver(ctx, delegate(ALICE, V1, 5_000_000))
    ctx = world.next_block()
    response = world.deliver(ctx, undelegate(ALICE, V1, 2_000_000))
    completion = world.time_ns + UNBONDING * NANOS
    assert response.amount == coin(2_000_000)
    assert response.completion_time.seconds == completion // NANOS
    assert world.balance(ctx, module_address(NOT_BONDED_POOL)) == 2_000_000
    assert world.balance(ctx, module_address(BONDED_POOL)) == 4 * 10**7 + 3_000_000
    unbond = next(e for e in ctx.events if e.type == "unbond")
    assert unbond.attribute("completion_time") == "2025-01-22T00:00:05Z"
    ubd = world.staking.unbonding_delegation(ctx, ALICE, V1)
    assert ubd is not None
    assert [(e.creation_height, e.balance, e.initial_balance) for e in ubd.entries] == [
        (1, "2000000", "2000000")
    ]
    # A second undelegation in the same block merges into the same entry.
    world.deliver(ctx, undelegate(ALICE, V1, 1_000_000))
    ubd = world.staking.unbonding_delegation(ctx, ALICE, V1)
    assert ubd is not None
    assert [e.balance for e in ubd.entries] == ["3000000"]
    world.staking.end_block(ctx)
    assert world.broken(ctx) == []
    balance = world.balance(ctx, ALICE)
    world.time_ns = completion - 1
    ctx = world.ctx()
    world.staking.end_block(ctx)
    assert world.balance(ctx, ALICE) == balance
    world.time_ns = completion
    ctx = world.ctx()
    world.staking.end_block(ctx)
    assert world.balance(ctx, ALICE) == balance + 3_000_000
    assert world.staking.unbonding_delegation(ctx, ALICE, V1) is None
    assert list(world.staking.unbonding_queue.iterate(ctx)) == []
    done = next(e for e in ctx.events if e.type == "complete_unbonding")
    assert done.attributes == (
        ("amount", f"3000000{DENOM}"),
        ("validator", valoper(V1)),
        ("delegator", addr(ALICE)),
    )
    assert world.broken(ctx) == []


def test_entries_of_different_blocks_mature_separately(world: World) -> None:
    ctx = world.ctx()
    world.deliver(ctx, delegate(ALICE, V1, 10))
    ctx = world.next_block()
    world.deliver(ctx, undelegate(ALICE, V1, 3))
    ctx = world.next_block(100)
    world.deliver(ctx, undelegate(ALICE, V1, 4))
    ubd = world.staking.unbonding_delegation(ctx, ALICE, V1)
    assert ubd is not None
    assert [e.balance for e in ubd.entries] == ["3", "4"]
    assert [e.unbonding_id for e in ubd.entries] == [1, 2]
    balance = world.balance(ctx, ALICE)
    world.time_ns += (UNBONDING - 100) * NANOS
    ctx = world.ctx()
    world.staking.end_block(ctx)
    assert world.balance(ctx, ALICE) == balance + 3
    world.time_ns += 100 * NANOS
    ctx = world.ctx()
    world.staking.end_block(ctx)
    assert world.balance(ctx, ALICE) == balance + 7
    assert world.broken(ctx) == []


def test_undelegating_everything_removes_the_delegation(world: World) -> None:
    ctx = world.ctx()
    world.deliver(ctx, delegate(ALICE, V1, 10))
    world.hooks.calls.clear()
    world.deliver(ctx, undelegate(ALICE, V1, 10))
    assert world.staking.delegation(ctx, ALICE, V1) is None
    assert world.staking.delegations_of(ctx, ALICE) == []
    assert world.hooks.calls == [
        ("before_shares_modified", addr(ALICE), valoper(V1)),
        ("before_delegation_removed", addr(ALICE), valoper(V1)),
    ]
    assert world.broken(ctx) == []


def test_last_share_takes_every_remaining_token() -> None:
    world, ctx = _odd_rate_world()
    # V3 holds the only 15 shares of 10 tokens: undelegating 10 tokens takes all 15 shares.
    response = world.deliver(ctx, undelegate(V3, V3, 10))
    assert response.amount == coin(10)
    validator = world.staking.get_validator(ctx, V3)
    assert validator is not None
    assert (validator.tokens, validator.delegator_shares) == ("0", "0")
    assert world.broken(ctx) == []


@pytest.mark.parametrize(
    ("msg", "kind", "log"),
    [
        (
            tx_pb2.MsgUndelegate(
                delegator_address=addr(ALICE), validator_address="x", amount=coin(1)
            ),
            ErrInvalidAddress,
            None,
        ),
        (
            tx_pb2.MsgUndelegate(
                delegator_address="", validator_address=valoper(V1), amount=coin(1)
            ),
            ErrInvalidAddress,
            "invalid delegator address: empty address string is not allowed: invalid address",
        ),
        (undelegate(ALICE, V1, 0), ErrInvalidRequest, "invalid shares amount: invalid request"),
        (undelegate(ALICE, V3, 1), staking_errors.ErrNoValidatorFound, "validator does not exist"),
        (
            undelegate(BOB, V1, 1),
            staking_errors.ErrNoDelegation,
            "no delegation for (address, validator) tuple",
        ),
        (undelegate(ALICE, V1, 11), ErrInvalidRequest, "invalid shares amount: invalid request"),
        (
            undelegate(ALICE, V1, 1, "uatom"),
            ErrInvalidRequest,
            "invalid coin denomination: got uatom, expected uakt: invalid request",
        ),
    ],
)
def test_undelegate_failures_leave_state_unchanged(
    world: World, msg: Message, kind: RegisteredError, log: str | None
) -> None:
    ctx = world.ctx()
    world.deliver(ctx, delegate(ALICE, V1, 10))
    rejects(ctx, kind, log, lambda: world.deliver(ctx, msg))


def test_undelegate_refuses_more_than_max_entries(world: World) -> None:
    ctx = world.ctx()
    world.deliver(ctx, delegate(ALICE, V1, 100))
    for _ in range(7):
        ctx = world.next_block()
        world.deliver(ctx, undelegate(ALICE, V1, 1))
    ctx = world.next_block()
    rejects(
        ctx,
        staking_errors.ErrMaxUnbondingDelegationEntries,
        "too many unbonding delegation entries for (delegator, validator) tuple",
        lambda: world.deliver(ctx, undelegate(ALICE, V1, 1)),
    )


def test_error_codes_match_the_sdk() -> None:
    assert staking_errors.CODESPACE == "staking"
    assert (staking_errors.ErrNoValidatorFound.code, staking_errors.ErrNoDelegation.code) == (3, 19)
    assert staking_errors.ErrMaxUnbondingDelegationEntries.code == 27
    assert staking_errors.ErrDelegatorShareExRateInvalid.code == 34
    assert staking_errors.ErrCommissionLTMinRate.code == 40


# Power


def test_end_block_records_powers_of_validators_with_power(world: World) -> None:
    ctx = world.ctx()
    world.deliver(ctx, delegate(ALICE, V1, 5_500_000))
    world.staking.create_validator(ctx, V3, Int(999_999), Dec.zero())
    world.staking.end_block(ctx)
    # V3 has no consensus power (tokens // 10**6 == 0); V1 has 15 (15.5 AKT).
    assert world.staking.last_powers(ctx) == [(V1, 15), (V2, 30)]
    assert world.staking.last_total_power(ctx) == 45


# Queries


def test_validator_queries(world: World) -> None:
    ctx = world.ctx()
    world.staking.create_validator(ctx, V3, Int(5), Dec.zero())
    everything = world.query(ctx, "Validators", query_pb2.QueryValidatorsRequest())
    assert [v.operator_address for v in everything.validators] == [
        valoper(V1),
        valoper(V2),
        valoper(V3),
    ]
    bonded = world.query(
        ctx, "Validators", query_pb2.QueryValidatorsRequest(status="BOND_STATUS_BONDED")
    )
    assert len(bonded.validators) == 3
    unbonded = world.query(
        ctx, "Validators", query_pb2.QueryValidatorsRequest(status="BOND_STATUS_UNBONDED")
    )
    assert list(unbonded.validators) == []
    first = world.query(
        ctx,
        "Validators",
        query_pb2.QueryValidatorsRequest(pagination=PageRequest(limit=2, count_total=True)),
    )
    assert len(first.validators) == 2
    assert first.pagination.total == 3
    rest = world.query(
        ctx,
        "Validators",
        query_pb2.QueryValidatorsRequest(pagination=PageRequest(key=first.pagination.next_key)),
    )
    assert [v.operator_address for v in rest.validators] == [valoper(V3)]
    assert rest.pagination.next_key == b""
    one = world.query(ctx, "Validator", query_pb2.QueryValidatorRequest(validator_addr=valoper(V1)))
    assert one.validator.tokens == "10000000"
    rejects(
        ctx,
        ErrInvalidRequest,
        "invalid validator status BONDED: invalid request",
        lambda: world.query(ctx, "Validators", query_pb2.QueryValidatorsRequest(status="BONDED")),
    )
    unknown = valoper(bytes([9]) * 20)
    rejects(
        ctx,
        ErrNotFound,
        f"validator {unknown} not found: not found",
        lambda: world.query(
            ctx, "Validator", query_pb2.QueryValidatorRequest(validator_addr=unknown)
        ),
    )
    rejects(
        ctx,
        ErrInvalidRequest,
        "validator address cannot be empty: invalid request",
        lambda: world.query(ctx, "Validator", query_pb2.QueryValidatorRequest()),
    )


def test_delegation_queries(world: World) -> None:
    ctx = world.ctx()
    world.deliver(ctx, delegate(ALICE, V1, 100))
    world.deliver(ctx, delegate(ALICE, V2, 200))
    world.deliver(ctx, delegate(BOB, V1, 300))
    world.deliver(ctx, undelegate(ALICE, V2, 50))
    mine = world.query(
        ctx,
        "DelegatorDelegations",
        query_pb2.QueryDelegatorDelegationsRequest(
            delegator_addr=addr(ALICE), pagination=PageRequest(limit=1)
        ),
    )
    assert [r.delegation.validator_address for r in mine.delegation_responses] == [valoper(V1)]
    assert mine.delegation_responses[0].balance == coin(100)
    rest = world.query(
        ctx,
        "DelegatorDelegations",
        query_pb2.QueryDelegatorDelegationsRequest(
            delegator_addr=addr(ALICE), pagination=PageRequest(key=mine.pagination.next_key)
        ),
    )
    assert [r.balance.amount for r in rest.delegation_responses] == ["150"]
    assert rest.pagination.next_key == b""
    one = world.query(
        ctx,
        "Delegation",
        query_pb2.QueryDelegationRequest(delegator_addr=addr(BOB), validator_addr=valoper(V1)),
    )
    assert one.delegation_response.delegation.shares == dec_to_proto(Dec.from_int(300))
    to_v1 = world.query(
        ctx,
        "ValidatorDelegations",
        query_pb2.QueryValidatorDelegationsRequest(validator_addr=valoper(V1)),
    )
    assert [r.delegation.delegator_address for r in to_v1.delegation_responses] == [
        addr(V1),
        addr(ALICE),
        addr(BOB),
    ]
    unbonding = world.query(
        ctx,
        "DelegatorUnbondingDelegations",
        query_pb2.QueryDelegatorUnbondingDelegationsRequest(delegator_addr=addr(ALICE)),
    )
    assert [
        (u.validator_address, [e.balance for e in u.entries]) for u in unbonding.unbonding_responses
    ] == [(valoper(V2), ["50"])]
    by_validator = world.query(
        ctx,
        "ValidatorUnbondingDelegations",
        query_pb2.QueryValidatorUnbondingDelegationsRequest(validator_addr=valoper(V2)),
    )
    assert [u.delegator_address for u in by_validator.unbonding_responses] == [addr(ALICE)]
    validators = world.query(
        ctx,
        "DelegatorValidators",
        query_pb2.QueryDelegatorValidatorsRequest(delegator_addr=addr(ALICE)),
    )
    assert [v.operator_address for v in validators.validators] == [valoper(V1), valoper(V2)]
    rejects(
        ctx,
        ErrNotFound,
        f"delegation with delegator {addr(BOB)} not found for validator {valoper(V2)}: not found",
        lambda: world.query(
            ctx,
            "Delegation",
            query_pb2.QueryDelegationRequest(delegator_addr=addr(BOB), validator_addr=valoper(V2)),
        ),
    )
    rejects(
        ctx,
        ErrInvalidRequest,
        "delegator address cannot be empty: invalid request",
        lambda: world.query(
            ctx, "DelegatorDelegations", query_pb2.QueryDelegatorDelegationsRequest()
        ),
    )


def test_pool_and_params_queries(world: World) -> None:
    ctx = world.ctx()
    world.deliver(ctx, delegate(ALICE, V1, 100))
    world.deliver(ctx, undelegate(ALICE, V1, 40))
    pool = world.query(ctx, "Pool", query_pb2.QueryPoolRequest()).pool
    assert (pool.bonded_tokens, pool.not_bonded_tokens) == (str(4 * 10**7 + 60), "40")
    params = world.query(ctx, "Params", query_pb2.QueryParamsRequest()).params
    assert params.unbonding_time.seconds == UNBONDING
    assert (params.bond_denom, params.max_validators, params.max_entries) == (DENOM, 100, 7)


def test_queries_do_not_write(world: World) -> None:
    ctx = world.ctx()
    before = store_hash(ctx.store)
    for method, request in [
        ("Validators", query_pb2.QueryValidatorsRequest()),
        ("Pool", query_pb2.QueryPoolRequest()),
        ("Params", query_pb2.QueryParamsRequest()),
        ("Redelegations", query_pb2.QueryRedelegationsRequest(delegator_addr=addr(ALICE))),
    ]:
        world.query(ctx, method, request)
    assert store_hash(ctx.store) == before


# Genesis


def test_default_genesis_has_the_sdk_shape() -> None:
    world = World()
    genesis = world.module.default_genesis()
    assert set(genesis) == {
        "params",
        "last_total_power",
        "last_validator_powers",
        "validators",
        "delegations",
        "unbonding_delegations",
        "redelegations",
        "exported",
    }
    assert genesis["params"]["unbonding_time"] == "1814400s"
    assert genesis["params"]["min_commission_rate"] == "0.000000000000000000"
    assert genesis["last_total_power"] == "0"
    assert genesis["exported"] is False


def test_genesis_round_trips_exactly(world: World) -> None:
    ctx = world.ctx()
    world.deliver(ctx, delegate(ALICE, V1, 1_234_567))
    world.deliver(ctx, undelegate(ALICE, V1, 1))
    world.staking.end_block(ctx)
    exported = world.module.export_genesis(ctx)
    assert exported["validators"][0]["delegator_shares"] == "11234566.000000000000000000"
    assert exported["last_total_power"] == "41"
    assert exported["exported"] is True
    # A new chain whose bank holds the same balances (bank genesis runs first).
    store = MemKV({key: value for key, value in world.store.items() if key.startswith(b"bank/")})
    staking = StakingKeeper(world.bank)
    module = StakingModule(staking)
    new_ctx = Context(ctx.header, store)
    module.init_genesis(new_ctx, exported)
    assert module.export_genesis(new_ctx) == exported
    assert staking.last_powers(new_ctx) == world.staking.last_powers(ctx)
    assert genesis_to_dict(genesis_from_dict(exported)) == exported


def test_genesis_import_announces_delegations_and_checks_pools() -> None:
    world = World()
    ctx = Context(BlockHeader(0, T0 * NANOS, CHAIN_ID), MemKV())
    bank, staking, hooks = world.bank, StakingKeeper(world.bank), Hooks()
    staking.set_hooks([hooks])
    module = StakingModule(staking)
    state = genesis_pb2.GenesisState(
        params=staking.get_params(ctx),
        validators=[
            staking_pb2.Validator(
                operator_address=valoper(V1),
                status=staking_pb2.BOND_STATUS_BONDED,
                tokens="2000000",
                delegator_shares=dec_to_proto(Dec.from_int(2_000_000)),
            )
        ],
        delegations=[
            staking_pb2.Delegation(
                delegator_address=addr(ALICE),
                validator_address=valoper(V1),
                shares=dec_to_proto(Dec.from_int(2_000_000)),
            )
        ],
    )
    data = genesis_to_dict(state)
    rejects(
        ctx,
        ErrInvalidRequest,
        f"bonded pool balance is different from bonded coins: 2000000{DENOM} <-> 0{DENOM}: "
        "invalid request",
        lambda: module.init_genesis(ctx, data),
    )
    bank.mint_coins(ctx, BONDED_POOL, Coins.of(DENOM, 2_000_000))
    hooks.calls.clear()
    module.init_genesis(ctx, data)
    assert hooks.calls == [
        ("after_validator_created", valoper(V1)),
        ("before_delegation_created", addr(ALICE), valoper(V1)),
        ("after_delegation_modified", addr(ALICE), valoper(V1)),
    ]
    assert staking.last_powers(ctx) == [(V1, 2)]
    assert staking.delegations_of(ctx, ALICE) == [(valoper(V1), Dec.from_int(2_000_000))]
    with_redelegation = dict(data, redelegations=[{"delegator_address": addr(ALICE)}])
    with pytest.raises(SdkError, match="redelegations are not supported"):
        module.init_genesis(Context(ctx.header, MemKV()), with_redelegation)


def test_legacy_dec_json_and_wire_forms() -> None:
    validator = staking_pb2.Validator(
        delegator_shares=dec_to_proto(Dec.from_str("1.5")),
        commission=staking_pb2.Commission(
            commission_rates=staking_pb2.CommissionRates(rate=dec_to_proto(Dec.from_str("0.1")))
        ),
    )
    data = to_sdk_json(validator)
    assert data["delegator_shares"] == "1.500000000000000000"
    assert data["commission"]["commission_rates"]["rate"] == "0.100000000000000000"
    assert data["commission"]["commission_rates"]["max_rate"] == "0.000000000000000000"
    back = from_sdk_json(data, staking_pb2.Validator)
    assert back.delegator_shares == "1500000000000000000"
    assert back.commission.commission_rates.max_rate == "0"
    assert from_sdk_json({"delegator_shares": "2"}, staking_pb2.Validator).delegator_shares == (
        str(2 * 10**18)
    )
    with pytest.raises(SdkError):
        from_sdk_json({"unknown": 1}, staking_pb2.Validator)


# Invariants


def test_invariants_catch_broken_pools_and_shares(world: World) -> None:
    ctx = world.ctx()
    assert world.broken(ctx) == []
    world.bank.mint_coins(ctx, BONDED_POOL, Coins.of(DENOM, 1))
    report = dict(world.staking.invariants())[INVARIANT_MODULE_ACCOUNTS](ctx)
    assert report is not None
    assert "Pool's bonded tokens: 40000001" in report
    validator = world.staking.get_validator(ctx, V1)
    assert validator is not None
    validator.delegator_shares = dec_to_proto(Dec.from_int(1))
    world.staking.validators.set(ctx, V1, validator)
    assert dict(world.staking.invariants())[INVARIANT_DELEGATOR_SHARES](ctx) is not None
