"""The distribution keeper: fee and inflation allocation, F1 delegator rewards, validator
commission, withdraw addresses and the community pool (cosmos-sdk ``x/distribution``).

Owns these collections in store ``distribution`` (prefixes as ``x/distribution/types/keys.go``):
- ``fee_pool`` (0x00): ``FeePool``, whose ``community_pool`` is ``DecCoins``;
- ``outstanding_rewards`` (0x02): operator id -> ``ValidatorOutstandingRewards`` (everything
  allocated to the validator and not yet paid: delegator rewards, commission and the truncation
  dust of its reward ratios);
- ``withdraw_addresses`` (0x03): delegator id -> withdraw account id (absent: the delegator);
- ``starting_infos`` (0x04): (operator id, delegator id) -> ``DelegatorStartingInfo``;
- ``historical_rewards`` (0x05): (operator id, period) -> ``ValidatorHistoricalRewards``;
- ``current_rewards`` (0x06): operator id -> ``ValidatorCurrentRewards``;
- ``accumulated_commission`` (0x07): operator id -> ``ValidatorAccumulatedCommission``;
- ``params`` (0x09): ``Params`` (the defaults until genesis sets them).

As the SDK's gogoproto ``LegacyDec`` does, each stored ``DecCoin.amount`` (and every other
``LegacyDec``) is the integer text of the 18-decimal raw value without a point (1.5 is
``"1500000000000000000"``); entries are sorted by denom and only positive amounts are kept. In
Python ``DecCoins`` are ``dict[str, Dec]`` (see ``dec_coins``).

Allocation (``begin_block``, ``AllocateTokens``): from height 2 on, everything in the
``fee_collector`` module account (fees and minted coins) moves to the ``distribution`` module
account. With no bonded power it all goes to the community pool. Otherwise each validator with
power ``p`` of total ``P`` (the staking keeper's powers of the last end block, standing in for the
previous block's votes) gets ``trunc(trunc(fees * (1 - community_tax)) * trunc(p / P))``; of that
its commission is ``fees * rate`` (rounded half to even) and the rest accrues to its delegators;
whatever is not given to a validator (the community tax and every truncation) goes to the
community pool.

Rewards (F1): each validator has a current period accumulating rewards, and per ended period the
cumulative reward per token; ending a period adds ``trunc(current / tokens)`` to the ratio. A
delegation records its stake (tokens, truncated) and the period it started after; its rewards
are ``trunc(stake * (ratio(end) - ratio(start)))``. Withdrawing pays the whole coins to the
withdraw address and gives the fractional change to the community pool. Staking hooks
(``after_validator_created``, ``before_delegation_created``,
``before_delegation_shares_modified``, ``after_delegation_modified``, ``before_delegation_removed``)
keep the records in step, so a change of shares first withdraws the delegation's rewards.

Withdraw hooks (``set_withdraw_hooks``, the Venice redirect): after every payment of delegation
rewards (``MsgWithdrawDelegatorReward`` and the automatic withdrawal when shares change), each
hook is called as ``hook(ctx, delegator, delegator_text, paid)`` with exactly the coins paid. Each
runs in its own branch: a registered error (other than out of gas, which propagates) drops that
hook's writes with a ``withdraw_hook_error`` event and the withdrawal stands.

Every public method checks before it writes, or is meant to run inside a branch (the Msg
handlers in ``module.py`` run in one).

Fails when:
- a funder lacks the coins: ``ErrInsufficientFunds`` (from the bank);
- a distribution exceeds the pool in any denom: ``ErrBadDistribution`` (distribution/9)
  ``community pool does not have sufficient coins to distribute``;
- the recipient of ``distribute_from_community_pool`` is blocked: ``ErrUnauthorized`` (bank);
- a withdraw address is blocked (``ErrUnauthorized`` ``<addr> is not allowed to receive external
  funds``) or withdraw addresses are disabled (``ErrSetWithdrawAddrDisabled``);
- a reward withdrawal names an unknown validator (``ErrNoValidatorDistInfo``) or delegation
  (``ErrEmptyDelegationDistInfo``); a commission withdrawal finds none
  (``ErrNoValidatorCommission``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cosmpy.protos.cosmos.distribution.v1beta1.distribution_pb2 import (
    DelegatorStartingInfo,
    FeePool,
    Params,
    ValidatorAccumulatedCommission,
    ValidatorCurrentRewards,
    ValidatorHistoricalRewards,
    ValidatorOutstandingRewards,
)
from cosmpy.protos.cosmos.staking.v1beta1.staking_pb2 import Delegation, Validator

from chain.modules.bank import BankKeeper, Invariant
from chain.modules.distribution import dec_coins
from chain.modules.distribution.dec_coins import DecCoins
from chain.modules.distribution.errors import (
    ErrBadDistribution,
    ErrEmptyDelegationDistInfo,
    ErrNoValidatorCommission,
    ErrNoValidatorDistInfo,
    ErrSetWithdrawAddrDisabled,
)
from chain.modules.staking.keeper import (
    VALOPER_PREFIX,
    StakingKeeper,
    commission_rate,
    delegation_shares,
    operator_id,
    tokens_from_shares,
    tokens_from_shares_truncated,
    validator_tokens,
)
from chain.modules.staking.legacy_dec import dec_from_proto, dec_to_proto
from chain.sdk.address import decode_address, encode_address, module_address
from chain.sdk.collections import (
    BytesKey,
    CachedValue,
    Item,
    Map,
    MappedValue,
    ProtoValue,
    Schema,
    TupleKey,
    U64Key,
)
from chain.sdk.context import Context
from chain.sdk.errors import ErrLogic, ErrOutOfGas, ErrUnauthorized, SdkError
from chain.sdk.events import Event
from chain.sdk.kv import prefix_end
from chain.sdk.math import Coin, Coins, Dec, Int
from chain.sdk.memo import BoundedMemo

MODULE_NAME = "distribution"
FEE_COLLECTOR = "fee_collector"

DEFAULT_COMMUNITY_TAX = "0.02"

EVENT_TYPE_COMMISSION = "commission"
EVENT_TYPE_REWARDS = "rewards"
EVENT_TYPE_WITHDRAW_REWARDS = "withdraw_rewards"
EVENT_TYPE_WITHDRAW_COMMISSION = "withdraw_commission"
EVENT_TYPE_SET_WITHDRAW_ADDRESS = "set_withdraw_address"
EVENT_TYPE_WITHDRAW_HOOK_ERROR = "withdraw_hook_error"

INVARIANT_MODULE_ACCOUNT = "distribution/module-account"
INVARIANT_NONNEGATIVE_OUTSTANDING = "distribution/nonnegative-outstanding"
INVARIANT_REFERENCE_COUNT = "distribution/reference-count"
INVARIANT_CAN_WITHDRAW = "distribution/can-withdraw"

# The reference counts of stored historical rewards by their exact bytes, for the reference-count
# invariant: decoding is pure, so a remembered count is the one decoding would give.
_REFERENCE_COUNTS: dict[bytes, int] = {}
REFERENCE_COUNTS_LIMIT = 1 << 16
# Distinct coins (and bytes) each remembering codec holds before it starts over.
REMEMBERED_DEC_COINS = 4096

WithdrawHook = Callable[[Context, bytes, str, Coins], object]


def community_pool_to_pb(pool: Mapping[str, Dec]) -> FeePool:
    """The stored form of a community pool: sorted positive ``DecCoin`` with raw integer text."""
    return FeePool(community_pool=dec_coins.to_pb(pool))


def community_pool_from_pb(message: FeePool) -> dict[str, Dec]:
    """The community pool of a stored ``FeePool``."""
    return dec_coins.from_pb(message.community_pool)


def default_params() -> Params:
    """The SDK's defaults: community tax 2%, no proposer rewards, withdraw addresses enabled."""
    return Params(
        community_tax=dec_to_proto(Dec.from_str(DEFAULT_COMMUNITY_TAX)),
        base_proposer_reward=dec_to_proto(Dec.zero()),
        bonus_proposer_reward=dec_to_proto(Dec.zero()),
        withdraw_addr_enabled=True,
    )


@dataclass(frozen=True, slots=True)
class HistoricalRewards:
    """Cumulative reward per token up to the end of a period, and how many records use it."""

    cumulative_reward_ratio: DecCoins
    reference_count: int


@dataclass(frozen=True, slots=True)
class CurrentRewards:
    """Rewards of the validator's current (open) period."""

    rewards: DecCoins
    period: int


@dataclass(frozen=True, slots=True)
class StartingInfo:
    """Where a delegation's rewards start: the period before it, its stake and height."""

    previous_period: int
    stake: Dec
    height: int


class _RememberedDecCoins:
    """A ``DecCoins`` value codec that remembers, bounded, the bytes of the coins it encoded
    and the coins of the bytes it encoded or decoded: every block rewrites each validator's
    outstanding rewards and commission and reads them back the next. Encoding and decoding are
    pure and ``Dec`` is immutable; decoded coins are handed out as a fresh dict each time."""

    __slots__ = ("_codec", "_decoded", "_encoded")

    def __init__(self, codec: MappedValue[DecCoins, Any]) -> None:
        self._codec = codec
        self._encoded: BoundedMemo[tuple[tuple[str, Dec], ...], bytes] = BoundedMemo(
            REMEMBERED_DEC_COINS
        )
        self._decoded: BoundedMemo[bytes, DecCoins] = BoundedMemo(REMEMBERED_DEC_COINS)

    def encode(self, value: DecCoins) -> bytes:
        items = tuple(value.items())
        data = self._encoded.get(items)
        if data is None:
            data = self._codec.encode(value)
            self._encoded.remember(items, data)
        if data not in self._decoded.values:
            # Decoding the bytes gives the coins sorted, without zeros (``Dec`` text round-trips).
            self._decoded.remember(data, dec_coins.normalize(value))
        return data

    def decode(self, data: bytes) -> DecCoins:
        coins = self._decoded.get(data)
        if coins is None:
            coins = self._codec.decode(data)
            self._decoded.remember(data, dict(coins))
            return coins
        return dict(coins)


def _outstanding_value() -> _RememberedDecCoins:
    return _RememberedDecCoins(
        MappedValue(
            ValidatorOutstandingRewards,
            lambda coins: ValidatorOutstandingRewards(rewards=dec_coins.to_pb(coins)),
            lambda message: dec_coins.from_pb(message.rewards),
        )
    )


def _commission_value() -> _RememberedDecCoins:
    return _RememberedDecCoins(
        MappedValue(
            ValidatorAccumulatedCommission,
            lambda coins: ValidatorAccumulatedCommission(commission=dec_coins.to_pb(coins)),
            lambda message: dec_coins.from_pb(message.commission),
        )
    )


def historical_to_pb(value: HistoricalRewards) -> ValidatorHistoricalRewards:
    return ValidatorHistoricalRewards(
        cumulative_reward_ratio=dec_coins.to_pb(value.cumulative_reward_ratio),
        reference_count=value.reference_count,
    )


def historical_from_pb(message: ValidatorHistoricalRewards) -> HistoricalRewards:
    return HistoricalRewards(
        dec_coins.from_pb(message.cumulative_reward_ratio), int(message.reference_count)
    )


def current_to_pb(value: CurrentRewards) -> ValidatorCurrentRewards:
    return ValidatorCurrentRewards(rewards=dec_coins.to_pb(value.rewards), period=value.period)


def current_from_pb(message: ValidatorCurrentRewards) -> CurrentRewards:
    return CurrentRewards(dec_coins.from_pb(message.rewards), int(message.period))


def starting_info_to_pb(value: StartingInfo) -> DelegatorStartingInfo:
    return DelegatorStartingInfo(
        previous_period=value.previous_period, stake=dec_to_proto(value.stake), height=value.height
    )


def starting_info_from_pb(message: DelegatorStartingInfo) -> StartingInfo:
    return StartingInfo(
        int(message.previous_period), dec_from_proto(message.stake), int(message.height)
    )


class _AccountValue:
    """An account id stored as its raw bytes (``sdk.AccAddress`` in the SDK's collections)."""

    def encode(self, value: bytes) -> bytes:
        return value

    def decode(self, data: bytes) -> bytes:
        return data


class DistributionKeeper:
    """Allocation, rewards, commission and the community pool; see the module docstring."""

    def __init__(
        self,
        bank: BankKeeper,
        store_name: str = MODULE_NAME,
        staking: StakingKeeper | None = None,
        fee_collector: str = FEE_COLLECTOR,
    ) -> None:
        self.bank = bank
        self.store_name = store_name
        self._staking = staking
        self.fee_collector = fee_collector
        self._withdraw_hooks: tuple[WithdrawHook, ...] = ()
        schema = Schema(store_name)
        self.schema = schema
        self.fee_pool: Item[dict[str, Dec]] = schema.item(
            b"\x00",
            "fee_pool",
            MappedValue(FeePool, community_pool_to_pb, community_pool_from_pb),
        )
        self.outstanding_rewards: Map[bytes, DecCoins] = schema.map(
            b"\x02", "outstanding_rewards", BytesKey, _outstanding_value()
        )
        self.withdraw_addresses: Map[bytes, bytes] = schema.map(
            b"\x03", "withdraw_addresses", BytesKey, _AccountValue()
        )
        self.starting_infos: Map[tuple[bytes, bytes], StartingInfo] = schema.map(
            b"\x04",
            "starting_infos",
            TupleKey(BytesKey, BytesKey),
            MappedValue(DelegatorStartingInfo, starting_info_to_pb, starting_info_from_pb),
        )
        self.historical_rewards: Map[tuple[bytes, int], HistoricalRewards] = schema.map(
            b"\x05",
            "historical_rewards",
            TupleKey(BytesKey, U64Key),
            MappedValue(ValidatorHistoricalRewards, historical_to_pb, historical_from_pb),
        )
        self.current_rewards: Map[bytes, CurrentRewards] = schema.map(
            b"\x06",
            "current_rewards",
            BytesKey,
            MappedValue(ValidatorCurrentRewards, current_to_pb, current_from_pb),
        )
        self.accumulated_commission: Map[bytes, DecCoins] = schema.map(
            b"\x07", "accumulated_commission", BytesKey, _commission_value()
        )
        self.params: Item[Params] = schema.item(b"\x09", "params", CachedValue(ProtoValue(Params)))

    # Wiring

    @property
    def staking(self) -> StakingKeeper:
        if self._staking is None:
            raise ErrLogic.wrap("the distribution keeper has no staking keeper")
        return self._staking

    def set_withdraw_hooks(self, hooks: Sequence[WithdrawHook]) -> None:
        """Callbacks run after each payment of delegation rewards (see the module docstring)."""
        self._withdraw_hooks = tuple(hooks)

    @property
    def module_address(self) -> bytes:
        """The account id of the distribution module account, which holds the pool's coins."""
        return module_address(MODULE_NAME)

    # Params

    def get_params(self, ctx: Context) -> Params:
        params = self.params.get(ctx)
        return default_params() if params is None else params

    def set_params(self, ctx: Context, params: Params) -> None:
        self.params.set(ctx, params)

    def community_tax(self, ctx: Context) -> Dec:
        return dec_from_proto(self.get_params(ctx).community_tax)

    # Community pool

    def get_community_pool(self, ctx: Context) -> dict[str, Dec]:
        """The community pool, per denom, sorted by denom (empty if never funded)."""
        pool = self.fee_pool.get(ctx)
        return {} if pool is None else pool

    def fund_community_pool(self, ctx: Context, amount: Coins, sender: bytes) -> None:
        """Move ``amount`` from ``sender`` to the distribution module account; pool += amount.

        Fails when ``sender`` lacks the coins (``ErrInsufficientFunds``).
        """
        self.bank.send_coins_from_account_to_module(ctx, sender, MODULE_NAME, amount)
        self._add_to_pool(ctx, dec_coins.from_coins(amount))

    def fund_community_pool_from_module(
        self, ctx: Context, amount: Coins, module_name: str
    ) -> None:
        """Move ``amount`` from module ``module_name`` into the pool.

        Fails when the module lacks the coins (``ErrInsufficientFunds``).
        """
        self.bank.send_coins_from_module_to_module(ctx, module_name, MODULE_NAME, amount)
        self._add_to_pool(ctx, dec_coins.from_coins(amount))

    def distribute_from_community_pool(self, ctx: Context, amount: Coins, recipient: bytes) -> None:
        """Pay ``amount`` from the pool to an account (``DistributeFromFeePool``).

        Fails when the pool is short in any denom (``ErrBadDistribution``), the recipient is
        blocked (``ErrUnauthorized``) or the module account lacks the coins (a broken invariant,
        ``ErrInsufficientFunds``).
        """
        if amount.is_zero():
            return
        pool = self._pool_minus(ctx, amount)
        self.bank.send_coins_from_module_to_account(ctx, MODULE_NAME, recipient, amount)
        self.fee_pool.set(ctx, pool)

    def distribute_from_community_pool_to_module(
        self, ctx: Context, amount: Coins, module_name: str
    ) -> None:
        """Pay ``amount`` from the pool to module ``module_name``'s account.

        Fails when the pool is short in any denom (``ErrBadDistribution``) or the module account
        lacks the coins (a broken invariant, ``ErrInsufficientFunds``).
        """
        if amount.is_zero():
            return
        pool = self._pool_minus(ctx, amount)
        self.bank.send_coins_from_module_to_module(ctx, MODULE_NAME, module_name, amount)
        self.fee_pool.set(ctx, pool)

    # Withdraw addresses

    def get_withdraw_address(self, ctx: Context, delegator: bytes) -> bytes:
        """Where the delegator's rewards go (the delegator unless set)."""
        address = self.withdraw_addresses.get(ctx, delegator)
        return delegator if address is None else address

    def set_withdraw_address(self, ctx: Context, delegator: bytes, withdraw: bytes) -> None:
        """Set the delegator's withdraw address (``SetWithdrawAddr``).

        Fails when the address is blocked, e.g. a module account (``ErrUnauthorized``), or
        withdraw addresses are disabled (``ErrSetWithdrawAddrDisabled``).
        """
        if self.bank.is_blocked(withdraw):
            raise ErrUnauthorized.wrap(
                f"{encode_address(withdraw)} is not allowed to receive external funds"
            )
        if not self.get_params(ctx).withdraw_addr_enabled:
            raise ErrSetWithdrawAddrDisabled.wrap()
        ctx.emit_event(
            Event(
                EVENT_TYPE_SET_WITHDRAW_ADDRESS, (("withdraw_address", encode_address(withdraw)),)
            )
        )
        self.withdraw_addresses.set(ctx, delegator, withdraw)

    # Allocation

    def begin_block(self, ctx: Context) -> None:
        """Allocate the fee collector's coins (from height 2, as the SDK's ``BeginBlocker``)."""
        if ctx.height > 1:
            self.allocate_tokens(ctx)

    def allocate_tokens(self, ctx: Context) -> None:
        """Move the fee collector's balance here and split it (``AllocateTokens``)."""
        collected = self.bank.get_all_balances(ctx, module_address(self.fee_collector))
        if collected.is_zero():
            return
        self.bank.send_coins_from_module_to_module(ctx, self.fee_collector, MODULE_NAME, collected)
        fees = dec_coins.from_coins(collected)
        powers = self.staking.last_powers(ctx)
        total_power = sum(power for _, power in powers)
        if total_power == 0:
            self._add_to_pool(ctx, fees)
            return
        remaining = fees
        fee_multiplier = dec_coins.mul_dec_truncate(fees, Dec.one() - self.community_tax(ctx))
        total = Dec.from_int(total_power)
        for operator, power in powers:
            validator = self.staking.get_validator(ctx, operator)
            if validator is None:
                raise ErrLogic.wrap(f"bonded validator {operator.hex()} does not exist")
            fraction = Dec.from_int(power).quo_truncate(total)
            reward = dec_coins.mul_dec_truncate(fee_multiplier, fraction)
            self.allocate_tokens_to_validator(ctx, validator, reward)
            remaining = dec_coins.sub(remaining, reward)
        self._add_to_pool(ctx, remaining)

    def allocate_tokens_to_validator(
        self, ctx: Context, validator: Validator, tokens: Mapping[str, Dec]
    ) -> None:
        """Split ``tokens`` into commission and delegator rewards
        (``AllocateTokensToValidator``)."""
        operator = operator_id(validator)
        commission = dec_coins.mul_dec(tokens, commission_rate(validator))
        shared = dec_coins.sub(tokens, commission)
        ctx.emit_event(
            Event(
                EVENT_TYPE_COMMISSION,
                (
                    ("amount", dec_coins.to_text(commission)),
                    ("validator", validator.operator_address),
                ),
            )
        )
        self.accumulated_commission.set(
            ctx, operator, dec_coins.add(self.get_accumulated_commission(ctx, operator), commission)
        )
        current = self._current(ctx, operator)
        self.current_rewards.set(
            ctx, operator, CurrentRewards(dec_coins.add(current.rewards, shared), current.period)
        )
        ctx.emit_event(
            Event(
                EVENT_TYPE_REWARDS,
                (("amount", dec_coins.to_text(tokens)), ("validator", validator.operator_address)),
            )
        )
        self.outstanding_rewards.set(
            ctx, operator, dec_coins.add(self.get_outstanding_rewards(ctx, operator), tokens)
        )

    # Rewards

    def get_outstanding_rewards(self, ctx: Context, operator: bytes) -> DecCoins:
        value = self.outstanding_rewards.get(ctx, operator)
        return {} if value is None else value

    def get_accumulated_commission(self, ctx: Context, operator: bytes) -> DecCoins:
        value = self.accumulated_commission.get(ctx, operator)
        return {} if value is None else value

    def get_current_rewards(self, ctx: Context, operator: bytes) -> CurrentRewards | None:
        return self.current_rewards.get(ctx, operator)

    def increment_validator_period(self, ctx: Context, validator: Validator) -> int:
        """End the validator's current period and return it (``IncrementValidatorPeriod``)."""
        operator = operator_id(validator)
        current = self._current(ctx, operator)
        tokens = validator_tokens(validator)
        if tokens == 0:
            # No ratio for a validator without tokens: its current rewards go to the pool.
            self._add_to_pool(ctx, current.rewards)
            self.outstanding_rewards.set(
                ctx,
                operator,
                dec_coins.sub(self.get_outstanding_rewards(ctx, operator), current.rewards),
            )
            ratio: DecCoins = {}
        else:
            ratio = dec_coins.quo_dec_truncate(current.rewards, Dec.from_int(tokens))
        previous = self._historical(ctx, operator, current.period - 1)
        self._decrement_reference_count(ctx, operator, current.period - 1)
        self.historical_rewards.set(
            ctx,
            (operator, current.period),
            HistoricalRewards(dec_coins.add(previous.cumulative_reward_ratio, ratio), 1),
        )
        self.current_rewards.set(ctx, operator, CurrentRewards({}, current.period + 1))
        return current.period

    def calculate_delegation_rewards(
        self, ctx: Context, validator: Validator, delegation: Delegation, ending_period: int
    ) -> DecCoins:
        """The delegation's rewards up to ``ending_period`` (``CalculateDelegationRewards``)."""
        operator = operator_id(validator)
        delegator = _delegator_id(delegation)
        info = self.starting_infos.get(ctx, (operator, delegator))
        if info is None:
            raise ErrEmptyDelegationDistInfo.wrap()
        if info.height == ctx.height:
            return {}
        stake = info.stake
        current_stake = tokens_from_shares(validator, delegation_shares(delegation))
        if stake > current_stake:
            # Rounding of the two ways of computing the stake may differ in the last digits.
            if stake <= current_stake + Dec(3):
                stake = current_stake
            else:
                raise ErrLogic.wrap(
                    f"calculated final stake for delegator {delegation.delegator_address} "
                    f"greater than current stake\n\tfinal stake:\t{stake}\n"
                    f"\tcurrent stake:\t{current_stake}"
                )
        return self._rewards_between(ctx, operator, info.previous_period, ending_period, stake)

    def delegation_rewards(self, ctx: Context, delegator: bytes, operator: bytes) -> DecCoins:
        """What the delegation could withdraw now (read-only: computed on a discarded branch).

        Fails when the validator (``ErrNoValidatorDistInfo``) or delegation
        (``ErrEmptyDelegationDistInfo``) does not exist.
        """
        validator = self.staking.get_validator(ctx, operator)
        if validator is None:
            raise ErrNoValidatorDistInfo.wrap()
        delegation = self.staking.delegation(ctx, delegator, operator)
        if delegation is None:
            raise ErrEmptyDelegationDistInfo.wrap()
        branch = ctx.branch().ctx
        ending = self.increment_validator_period(branch, validator)
        return self.calculate_delegation_rewards(branch, validator, delegation, ending)

    def withdraw_delegation_rewards(self, ctx: Context, delegator: bytes, operator: bytes) -> Coins:
        """Pay the delegation's rewards to the withdraw address and restart its accounting
        (``WithdrawDelegationRewards``); returns the coins paid (possibly none).

        Fails when the validator (``ErrNoValidatorDistInfo``) or delegation
        (``ErrEmptyDelegationDistInfo``) does not exist.
        """
        validator = self.staking.get_validator(ctx, operator)
        if validator is None:
            raise ErrNoValidatorDistInfo.wrap()
        delegation = self.staking.delegation(ctx, delegator, operator)
        if delegation is None:
            raise ErrEmptyDelegationDistInfo.wrap()
        paid = self._withdraw_delegation_rewards(ctx, validator, delegation)
        self._initialize_delegation(ctx, operator, delegator)
        return paid

    def withdraw_validator_commission(self, ctx: Context, operator: bytes) -> Coins:
        """Pay the validator's whole accumulated commission to the operator's withdraw address,
        keeping the fractional change (``WithdrawValidatorCommission``).

        Fails when there is no commission (``ErrNoValidatorCommission``).
        """
        accumulated = self.get_accumulated_commission(ctx, operator)
        if not accumulated:
            raise ErrNoValidatorCommission.wrap()
        commission, change = dec_coins.truncate_decimal(accumulated)
        self.accumulated_commission.set(ctx, operator, change)
        self.outstanding_rewards.set(
            ctx,
            operator,
            dec_coins.sub(
                self.get_outstanding_rewards(ctx, operator), dec_coins.from_coins(commission)
            ),
        )
        if commission:
            recipient = self.get_withdraw_address(ctx, operator)
            self.bank.send_coins_from_module_to_account(ctx, MODULE_NAME, recipient, commission)
        ctx.emit_event(Event(EVENT_TYPE_WITHDRAW_COMMISSION, (("amount", str(commission)),)))
        return commission

    # Staking hooks

    def after_validator_created(self, ctx: Context, validator: bytes) -> None:
        """Start the validator's records at period 1 (``initializeValidator``)."""
        self.historical_rewards.set(ctx, (validator, 0), HistoricalRewards({}, 1))
        self.current_rewards.set(ctx, validator, CurrentRewards({}, 1))
        self.accumulated_commission.set(ctx, validator, {})
        self.outstanding_rewards.set(ctx, validator, {})

    def before_delegation_created(self, ctx: Context, delegator: bytes, validator: bytes) -> None:
        found = self.staking.get_validator(ctx, validator)
        if found is None:
            raise ErrNoValidatorDistInfo.wrap()
        self.increment_validator_period(ctx, found)

    def before_delegation_shares_modified(
        self, ctx: Context, delegator: bytes, validator: bytes
    ) -> None:
        found = self.staking.get_validator(ctx, validator)
        delegation = self.staking.delegation(ctx, delegator, validator)
        if found is None or delegation is None:
            raise ErrEmptyDelegationDistInfo.wrap()
        self._withdraw_delegation_rewards(ctx, found, delegation)

    def after_delegation_modified(self, ctx: Context, delegator: bytes, validator: bytes) -> None:
        self._initialize_delegation(ctx, validator, delegator)

    def before_delegation_removed(self, ctx: Context, delegator: bytes, validator: bytes) -> None:
        """Nothing: the rewards were withdrawn when the shares changed."""

    # Invariants

    def module_account_invariant(self, ctx: Context) -> str | None:
        """``distribution/module-account``: the module balance is exactly the truncated sum of
        every validator's outstanding rewards and the community pool.

        Returns a diagnostic with both amounts, or None if it holds.
        """
        holdings = self.get_community_pool(ctx)
        for _, outstanding in self.outstanding_rewards.iterate(ctx):
            holdings = dec_coins.add(holdings, outstanding)
        expected, _ = dec_coins.truncate_decimal(holdings)
        balances = self.bank.get_all_balances(ctx, self.module_address)
        if balances == expected:
            return None
        return (
            "distribution: ModuleAccount coins invariant\n"
            f"\texpected ModuleAccount coins:     {expected}\n"
            f"\tdistribution ModuleAccount coins: {balances}\n"
        )

    def nonnegative_outstanding_invariant(self, ctx: Context) -> str | None:
        """``distribution/nonnegative-outstanding``: no outstanding reward is negative."""
        broken = [
            f"\t{encode_address(operator, VALOPER_PREFIX)} has negative outstanding coins: "
            f"{dec_coins.to_text(outstanding)}\n"
            for operator, outstanding in self.outstanding_rewards.iterate(ctx)
            if dec_coins.is_any_negative(outstanding)
        ]
        if not broken:
            return None
        return "distribution: nonnegative outstanding invariant\n" + "".join(broken)

    def reference_count_invariant(self, ctx: Context) -> str | None:
        """``distribution/reference-count``: historical records are referenced once per validator
        (its last period) and once per delegation (its starting period). Without a staking
        keeper there is nothing to count against, and it holds."""
        if self._staking is None:
            return None
        validators = len(self._staking.all_validators(ctx))
        delegations = self._staking.delegation_count(ctx)
        historical = self.historical_rewards
        low = historical._prefix
        decode_key, decode_value = historical._key_codec.decode, historical._value_codec.decode
        counts = _REFERENCE_COUNTS
        count = 0
        for raw_key, raw in ctx.kv_store(historical.store_name).iterate(low, prefix_end(low)):
            decode_key(raw_key, len(low))  # a key that does not decode fails as in Map.values
            references = counts.get(raw)
            if references is None:
                references = decode_value(raw).reference_count
                if len(counts) >= REFERENCE_COUNTS_LIMIT:
                    counts.clear()
                counts[raw] = references
            count += references
        expected = validators + delegations
        if count == expected:
            return None
        return (
            "distribution: reference count invariant\n"
            f"\texpected historical reference count: {expected} = {validators} validators + "
            f"{delegations} delegations + 0 slashes\n"
            f"\ttotal validator historical reference count: {count}\n"
        )

    def can_withdraw_invariant(self, ctx: Context) -> str | None:
        """``distribution/can-withdraw``: withdrawing every commission and every delegation's
        rewards (on a discarded branch, without withdraw hooks) leaves no validator's outstanding
        rewards negative. Not in ``invariants()``: it costs a withdrawal per delegation."""
        branch = ctx.branch().ctx
        hooks = self._withdraw_hooks
        self._withdraw_hooks = ()
        try:
            for validator in self.staking.all_validators(branch):
                operator = operator_id(validator)
                if self.get_accumulated_commission(branch, operator):
                    self.withdraw_validator_commission(branch, operator)
                for delegation in self.staking.validator_delegations(branch, operator):
                    self.withdraw_delegation_rewards(branch, _delegator_id(delegation), operator)
        except SdkError as err:
            return f"distribution: can withdraw invariant\n\t{err.log}\n"
        finally:
            self._withdraw_hooks = hooks
        return None

    def invariants(self) -> list[tuple[str, Invariant]]:
        """The module's named invariants, sorted by name (``can-withdraw`` is separate)."""
        return [
            (INVARIANT_MODULE_ACCOUNT, self.module_account_invariant),
            (INVARIANT_NONNEGATIVE_OUTSTANDING, self.nonnegative_outstanding_invariant),
            (INVARIANT_REFERENCE_COUNT, self.reference_count_invariant),
        ]

    # Internals

    def _add_to_pool(self, ctx: Context, amount: Mapping[str, Dec]) -> None:
        if not dec_coins.normalize(amount):
            return
        self.fee_pool.set(ctx, dec_coins.add(self.get_community_pool(ctx), amount))

    def _pool_minus(self, ctx: Context, amount: Coins) -> dict[str, Dec]:
        """The pool after paying ``amount``; raises before any write if a denom goes short."""
        pool = self.get_community_pool(ctx)
        for coin in amount:
            left = pool.get(coin.denom, Dec.zero()) - Dec.from_int(coin.amount)
            if left.is_negative():
                raise ErrBadDistribution.wrap()
            pool[coin.denom] = left
        return dec_coins.normalize(pool)

    def _current(self, ctx: Context, operator: bytes) -> CurrentRewards:
        current = self.current_rewards.get(ctx, operator)
        if current is None:
            raise ErrLogic.wrap(
                f"no current rewards for validator {encode_address(operator, VALOPER_PREFIX)}"
            )
        return current

    def _historical(self, ctx: Context, operator: bytes, period: int) -> HistoricalRewards:
        value = self.historical_rewards.get(ctx, (operator, period))
        if value is None:
            raise ErrLogic.wrap(
                f"no historical rewards for validator "
                f"{encode_address(operator, VALOPER_PREFIX)} period {period}"
            )
        return value

    def _increment_reference_count(self, ctx: Context, operator: bytes, period: int) -> None:
        value = self._historical(ctx, operator, period)
        if value.reference_count > 2:
            raise ErrLogic.wrap("reference count should never exceed 2")
        self.historical_rewards.set(
            ctx,
            (operator, period),
            HistoricalRewards(value.cumulative_reward_ratio, value.reference_count + 1),
        )

    def _decrement_reference_count(self, ctx: Context, operator: bytes, period: int) -> None:
        value = self._historical(ctx, operator, period)
        if value.reference_count == 0:
            raise ErrLogic.wrap("cannot set negative reference count")
        if value.reference_count == 1:
            self.historical_rewards.remove(ctx, (operator, period))
        else:
            self.historical_rewards.set(
                ctx,
                (operator, period),
                HistoricalRewards(value.cumulative_reward_ratio, value.reference_count - 1),
            )

    def _rewards_between(
        self, ctx: Context, operator: bytes, start: int, end: int, stake: Dec
    ) -> DecCoins:
        if start > end:
            raise ErrLogic.wrap("startingPeriod cannot be greater than endingPeriod")
        if stake.is_negative():
            raise ErrLogic.wrap("stake should not be negative")
        starting = self._historical(ctx, operator, start).cumulative_reward_ratio
        ending = self._historical(ctx, operator, end).cumulative_reward_ratio
        difference = dec_coins.sub(ending, starting)
        return dec_coins.mul_dec_truncate(difference, stake)

    def _initialize_delegation(self, ctx: Context, operator: bytes, delegator: bytes) -> None:
        """Record where a (new or changed) delegation's rewards start (``initializeDelegation``)."""
        previous = self._current(ctx, operator).period - 1
        self._increment_reference_count(ctx, operator, previous)
        validator = self.staking.get_validator(ctx, operator)
        delegation = self.staking.delegation(ctx, delegator, operator)
        if validator is None or delegation is None:
            raise ErrEmptyDelegationDistInfo.wrap()
        stake = tokens_from_shares_truncated(validator, delegation_shares(delegation))
        self.starting_infos.set(
            ctx, (operator, delegator), StartingInfo(previous, stake, ctx.height)
        )

    def _withdraw_delegation_rewards(
        self, ctx: Context, validator: Validator, delegation: Delegation
    ) -> Coins:
        """``withdrawDelegationRewards``: pay, give the change to the pool, drop the starting
        info, then run the withdraw hooks."""
        operator = operator_id(validator)
        delegator = _delegator_id(delegation)
        info = self.starting_infos.get(ctx, (operator, delegator))
        if info is None:
            raise ErrEmptyDelegationDistInfo.wrap()
        ending = self.increment_validator_period(ctx, validator)
        raw = self.calculate_delegation_rewards(ctx, validator, delegation, ending)
        outstanding = self.get_outstanding_rewards(ctx, operator)
        # Operation order may leave the last digits of the rewards above what is outstanding.
        rewards = dec_coins.intersect(raw, outstanding)
        paid, change = dec_coins.truncate_decimal(rewards)
        if paid:
            recipient = self.get_withdraw_address(ctx, delegator)
            self.bank.send_coins_from_module_to_account(ctx, MODULE_NAME, recipient, paid)
        self.outstanding_rewards.set(ctx, operator, dec_coins.sub(outstanding, rewards))
        self._add_to_pool(ctx, change)
        self._decrement_reference_count(ctx, operator, info.previous_period)
        self.starting_infos.remove(ctx, (operator, delegator))
        shown = str(paid) if paid else str(Coin(self.staking.bond_denom(ctx), Int(0)))
        ctx.emit_event(
            Event(
                EVENT_TYPE_WITHDRAW_REWARDS,
                (
                    ("amount", shown),
                    ("validator", validator.operator_address),
                    ("delegator", delegation.delegator_address),
                ),
            )
        )
        if paid:
            self._run_withdraw_hooks(ctx, delegator, paid)
        return paid

    def _run_withdraw_hooks(self, ctx: Context, delegator: bytes, paid: Coins) -> None:
        text = encode_address(delegator)
        for hook in self._withdraw_hooks:
            branch = ctx.branch()
            try:
                hook(branch.ctx, delegator, text, paid)
            except SdkError as err:
                if err.is_(ErrOutOfGas):
                    raise
                ctx.emit_event(
                    Event(
                        EVENT_TYPE_WITHDRAW_HOOK_ERROR,
                        (("delegator", text), ("amount", str(paid)), ("error", err.log)),
                    )
                )
                continue
            branch.write()


def _delegator_id(delegation: Delegation) -> bytes:
    return decode_address(delegation.delegator_address)
