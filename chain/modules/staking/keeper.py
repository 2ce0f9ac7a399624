"""The staking keeper: validators, delegations, unbonding and the bonded/not-bonded pools.

Owns these collections in store ``staking`` (prefixes as cosmos-sdk ``x/staking/types/keys.go``):
- ``last_validator_powers`` (0x11): operator id -> consensus power after the last end block;
- ``last_total_power`` (0x12): their sum, as ``math.Int`` text;
- ``validators`` (0x21): operator id -> ``cosmos.staking.v1beta1.Validator``;
- ``delegations`` (0x31): (delegator id, operator id) -> ``Delegation``;
- ``unbonding_delegations`` (0x32): (delegator id, operator id) -> ``UnbondingDelegation``;
- ``unbonding_by_validator`` (0x33): (operator id, delegator id), an index;
- ``unbonding_id`` (0x37): the last unbonding entry id;
- ``unbonding_queue`` (0x41): (completion unix ns, delegator id, operator id), the maturity queue;
- ``params`` (0x51): ``Params``;
- ``delegations_by_validator`` (0x71): (operator id, delegator id), an index.

Values are the SDK's protos as stored by the SDK: ``LegacyDec`` fields (``delegator_shares``,
``shares``, commission rates) hold raw integer text (see ``legacy_dec``); ``math.Int`` fields hold
decimal text. An operator id is the account id behind the ``akashvaloper`` address.

Exchange rate and rounding follow ``x/staking/types/validator.go``: the first delegation to a
validator without shares issues one share per token; later ones issue
``trunc(shares * amount / tokens)``; ``tokens_from_shares`` rounds half to even (``Quo``);
unbonding pays ``trunc(tokens_from_shares)`` and the last share takes every remaining token.

Tokens of bonded validators sit in the ``bonded_tokens_pool`` module account, tokens of unbonding
entries (and of validators that are not bonded) in ``not_bonded_tokens_pool``; both are plain bank
balances, checked by the ``staking/module-accounts`` invariant.

Hooks (``set_hooks``): the SDK's staking hooks that distribution needs, called in the same context
and in the SDK's order (``after_validator_created``, ``before_delegation_created``,
``before_delegation_shares_modified``, ``after_delegation_modified``,
``before_delegation_removed``); a hook error fails the operation.

Simplifications (no consensus engine, slashing or jailing here): validator statuses never change
(genesis validators are bonded and stay bonded, with any power); consensus power is
``tokens // 10**6``; ``end_block`` completes mature unbondings and records the bonded validators'
powers (``last_validator_powers``), which distribution uses as the previous block's votes; there
are no redelegations and no minimum-self-delegation jailing.

Fails when: see each method; every operation either raises before writing or, for the Msg
handlers in ``module.py``, runs in a branch written only on success.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from cosmpy.protos.cosmos.staking.v1beta1.staking_pb2 import (
    BOND_STATUS_BONDED,
    Commission,
    CommissionRates,
    Delegation,
    Description,
    Params,
    UnbondingDelegation,
    UnbondingDelegationEntry,
    Validator,
)
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from chain.modules.bank import INT_VALUE, BankKeeper
from chain.modules.staking.errors import (
    ErrCommissionChangeRateGTMaxRate,
    ErrCommissionChangeRateNegative,
    ErrCommissionGTMaxRate,
    ErrCommissionHuge,
    ErrCommissionLTMinRate,
    ErrCommissionNegative,
    ErrDelegatorShareExRateInvalid,
    ErrInsufficientShares,
    ErrMaxUnbondingDelegationEntries,
    ErrNoDelegation,
    ErrNoDelegatorForAddress,
    ErrNotEnoughDelegationShares,
    ErrNoValidatorFound,
    ErrValidatorOwnerExists,
)
from chain.modules.staking.legacy_dec import dec_from_proto, dec_to_proto
from chain.sdk.address import decode_address, encode_address, module_address
from chain.sdk.collections import (
    BytesKey,
    CachedValue,
    Item,
    KeySet,
    Map,
    ProtoValue,
    Schema,
    TupleKey,
    U64Key,
    U64Value,
)
from chain.sdk.context import NANOS, Context
from chain.sdk.errors import ErrInsufficientFunds, ErrInvalidRequest, SdkError
from chain.sdk.events import Event
from chain.sdk.kv import prefix_end
from chain.sdk.math import Coin, Coins, Dec, Int
from chain.sdk.memo import Memo
from chain.sdk.stored_reader import Reader

MODULE_NAME = "staking"
BONDED_POOL = "bonded_tokens_pool"
NOT_BONDED_POOL = "not_bonded_tokens_pool"
VALOPER_PREFIX = "akashvaloper"

DEFAULT_BOND_DENOM = "uakt"
DEFAULT_UNBONDING_TIME = 21 * 86400  # seconds, the SDK's 3 weeks
DEFAULT_MAX_VALIDATORS = 100
DEFAULT_MAX_ENTRIES = 7
DEFAULT_HISTORICAL_ENTRIES = 10000
POWER_REDUCTION = 10**6  # sdk.DefaultPowerReduction

EVENT_TYPE_DELEGATE = "delegate"
EVENT_TYPE_UNBOND = "unbond"
EVENT_TYPE_COMPLETE_UNBONDING = "complete_unbonding"
EVENT_TYPE_CREATE_VALIDATOR = "create_validator"

INVARIANT_MODULE_ACCOUNTS = "staking/module-accounts"
INVARIANT_NONNEGATIVE_POWER = "staking/nonnegative-power"
INVARIANT_POSITIVE_DELEGATION = "staking/positive-delegation"
INVARIANT_DELEGATOR_SHARES = "staking/delegator-shares"

Invariant = Callable[[Context], str | None]


class StakingHooks(Protocol):
    """What the staking keeper tells other modules (the SDK's ``StakingHooks`` subset)."""

    def after_validator_created(self, ctx: Context, validator: bytes) -> None: ...

    def before_delegation_created(
        self, ctx: Context, delegator: bytes, validator: bytes
    ) -> None: ...

    def before_delegation_shares_modified(
        self, ctx: Context, delegator: bytes, validator: bytes
    ) -> None: ...

    def after_delegation_modified(
        self, ctx: Context, delegator: bytes, validator: bytes
    ) -> None: ...

    def before_delegation_removed(
        self, ctx: Context, delegator: bytes, validator: bytes
    ) -> None: ...


def default_params() -> Params:
    """The SDK's default staking params, with the ``uakt`` bond denom."""
    return Params(
        unbonding_time=Duration(seconds=DEFAULT_UNBONDING_TIME),
        max_validators=DEFAULT_MAX_VALIDATORS,
        max_entries=DEFAULT_MAX_ENTRIES,
        historical_entries=DEFAULT_HISTORICAL_ENTRIES,
        bond_denom=DEFAULT_BOND_DENOM,
        min_commission_rate=dec_to_proto(Dec.zero()),
    )


# Validator arithmetic (x/staking/types/validator.go)


def operator_id(validator: Validator) -> bytes:
    """The account id behind a validator's ``akashvaloper`` address."""
    return decode_address(validator.operator_address, VALOPER_PREFIX)


def validator_tokens(validator: Validator) -> Int:
    return Int.from_str(validator.tokens) if validator.tokens else Int(0)


def validator_shares(validator: Validator) -> Dec:
    return dec_from_proto(validator.delegator_shares)


def commission_rate(validator: Validator) -> Dec:
    return dec_from_proto(validator.commission.commission_rates.rate)


def delegation_shares(delegation: Delegation) -> Dec:
    return dec_from_proto(delegation.shares)


def is_bonded(validator: Validator) -> bool:
    return bool(validator.status == BOND_STATUS_BONDED)


def consensus_power(validator: Validator) -> int:
    """``tokens // 10**6`` for a bonded validator, else zero."""
    return int(validator_tokens(validator)) // POWER_REDUCTION if is_bonded(validator) else 0


def tokens_from_shares(validator: Validator, shares: Dec) -> Dec:
    """``shares * tokens / delegator_shares``, rounded half to even (``TokensFromShares``)."""
    return shares.mul_int(validator_tokens(validator)).quo(validator_shares(validator))


def tokens_from_shares_truncated(validator: Validator, shares: Dec) -> Dec:
    """As ``tokens_from_shares``, rounded toward zero (``TokensFromSharesTruncated``)."""
    return shares.mul_int(validator_tokens(validator)).quo_truncate(validator_shares(validator))


def shares_from_tokens(validator: Validator, amount: Int) -> Dec:
    """``trunc(delegator_shares * amount / tokens)`` (``SharesFromTokens``).

    Fails when the validator has no tokens (``ErrInsufficientShares``).
    """
    tokens = validator_tokens(validator)
    if tokens == 0:
        raise ErrInsufficientShares.wrap()
    raw = validator_shares(validator).raw * int(amount)
    return Dec(raw // tokens if raw >= 0 else -((-raw) // tokens))


def invalid_ex_rate(validator: Validator) -> bool:
    """A validator with shares but no tokens (only after a full slash) takes no delegations."""
    return validator_tokens(validator) == 0 and validator_shares(validator).is_positive()


def timestamp_from_ns(time_ns: int) -> Timestamp:
    return Timestamp(seconds=time_ns // NANOS, nanos=time_ns % NANOS)


def timestamp_ns(timestamp: Timestamp) -> int:
    return timestamp.seconds * NANOS + timestamp.nanos


def rfc3339(time_ns: int) -> str:
    """Go's ``time.RFC3339`` text of a unix time (whole seconds, UTC)."""
    text: str = Timestamp(seconds=time_ns // NANOS).ToJsonString()
    return text


def validate_commission(rate: Dec, max_rate: Dec, max_change_rate: Dec) -> None:
    """``CommissionRates.Validate``; raises the SDK's commission errors."""
    one = Dec.one()
    if max_rate.is_negative():
        raise ErrCommissionNegative.wrap()
    if max_rate > one:
        raise ErrCommissionHuge.wrap()
    if rate.is_negative():
        raise ErrCommissionNegative.wrap()
    if rate > max_rate:
        raise ErrCommissionGTMaxRate.wrap()
    if max_change_rate.is_negative():
        raise ErrCommissionChangeRateNegative.wrap()
    if max_change_rate > max_rate:
        raise ErrCommissionChangeRateGTMaxRate.wrap()


_DELEGATION_KEY = TupleKey(BytesKey, BytesKey)


class StakingKeeper:
    """Validators, delegations and unbonding; see the module docstring."""

    def __init__(self, bank: BankKeeper, store_name: str = MODULE_NAME) -> None:
        self.bank = bank
        self.store_name = store_name
        self._hooks: tuple[StakingHooks, ...] = ()
        schema = Schema(store_name)
        self.schema = schema
        self.last_validator_powers: Map[bytes, int] = schema.map(
            b"\x11", "last_validator_powers", BytesKey, U64Value
        )
        self.last_total_power_item: Item[Int] = schema.item(b"\x12", "last_total_power", INT_VALUE)
        self.validators: Map[bytes, Validator] = schema.map(
            b"\x21", "validators", BytesKey, ProtoValue(Validator)
        )
        self.delegations: Map[tuple[bytes, bytes], Delegation] = schema.map(
            b"\x31", "delegations", _DELEGATION_KEY, ProtoValue(Delegation)
        )
        # The invariants read every delegation after every block: each distinct stored key,
        # value and value's shares is decoded once (the decoded messages are only read).
        self._delegation_reads = Reader(self.delegations)
        decode_delegation = self._delegation_reads.value

        def counted(raw: bytes) -> int:
            decode_delegation(raw)  # a value that does not decode fails as in a Map read
            return 1

        self._delegation_decodes: Memo[int] = Memo(counted)
        self._delegation_shares: Memo[Dec] = Memo(
            lambda raw: delegation_shares(decode_delegation(raw))
        )
        self._delegation_voting: Memo[tuple[str, Dec]] = Memo(
            lambda raw: (decode_delegation(raw).validator_address, self._delegation_shares(raw))
        )
        self.unbonding_delegations: Map[tuple[bytes, bytes], UnbondingDelegation] = schema.map(
            b"\x32",
            "unbonding_delegations",
            TupleKey(BytesKey, BytesKey),
            ProtoValue(UnbondingDelegation),
        )
        self.unbonding_by_validator: KeySet[tuple[bytes, bytes]] = schema.key_set(
            b"\x33", "unbonding_by_validator", TupleKey(BytesKey, BytesKey)
        )
        self.unbonding_id = schema.sequence(b"\x37", "unbonding_id", start=1)
        self.unbonding_queue: KeySet[tuple[int, bytes, bytes]] = schema.key_set(
            b"\x41", "unbonding_queue", TupleKey(U64Key, BytesKey, BytesKey)
        )
        self.params: Item[Params] = schema.item(b"\x51", "params", CachedValue(ProtoValue(Params)))
        self.delegations_by_validator: KeySet[tuple[bytes, bytes]] = schema.key_set(
            b"\x71", "delegations_by_validator", TupleKey(BytesKey, BytesKey)
        )

    def set_hooks(self, hooks: Sequence[StakingHooks]) -> None:
        """The modules told about validator and delegation changes, in call order."""
        self._hooks = tuple(hooks)

    @property
    def hooks(self) -> tuple[StakingHooks, ...]:
        return self._hooks

    # Params

    def get_params(self, ctx: Context) -> Params:
        """The params (the defaults until genesis sets them)."""
        params = self.params.get(ctx)
        return default_params() if params is None else params

    def set_params(self, ctx: Context, params: Params) -> None:
        self.params.set(ctx, params)

    def bond_denom(self, ctx: Context) -> str:
        return str(self.get_params(ctx).bond_denom)

    def unbonding_time_ns(self, ctx: Context) -> int:
        duration = self.get_params(ctx).unbonding_time
        return int(duration.seconds) * NANOS + int(duration.nanos)

    # Reads

    def get_validator(self, ctx: Context, operator: bytes) -> Validator | None:
        return self.validators.get(ctx, operator)

    def validator(self, ctx: Context, operator: str) -> Validator | None:
        """The validator with operator address text ``operator`` (None if none or malformed)."""
        try:
            account = decode_address(operator, VALOPER_PREFIX)
        except SdkError:
            return None
        return self.validators.get(ctx, account)

    def all_validators(self, ctx: Context) -> list[Validator]:
        """Every validator, in operator id order."""
        return list(self.validators.values(ctx))

    def bonded_validators(self, ctx: Context) -> list[Validator]:
        """Bonded validators by consensus power, highest first, then operator id."""
        bonded = [
            (operator, validator)
            for operator, validator in self.validators.iterate(ctx)
            if is_bonded(validator)
        ]
        bonded.sort(key=lambda item: (-consensus_power(item[1]), item[0]))
        return [validator for _, validator in bonded]

    def total_bonded_tokens(self, ctx: Context) -> Int:
        """The bonded pool's balance of the bond denom (``TotalBondedTokens``)."""
        return self.bank.get_balance(ctx, module_address(BONDED_POOL), self.bond_denom(ctx))

    def tokens_from_shares(self, validator: Validator, shares: Dec) -> Dec:
        """The tokens ``shares`` of ``validator`` are worth (rounded half to even)."""
        return tokens_from_shares(validator, shares)

    def delegation(self, ctx: Context, delegator: bytes, operator: bytes) -> Delegation | None:
        return self.delegations.get(ctx, (delegator, operator))

    def delegator_delegations(self, ctx: Context, delegator: bytes) -> list[Delegation]:
        """The delegator's delegations, in operator id order."""
        return list(self.delegations.values(ctx, (delegator,)))

    def delegations_of(self, ctx: Context, delegator: bytes) -> list[tuple[str, Dec]]:
        """(validator operator address, shares) of each of the delegator's delegations."""
        delegations = self.delegations
        low = delegations._prefix + _DELEGATION_KEY.encode_prefix((delegator,))
        key, voting = self._delegation_reads.key, self._delegation_voting
        result = []
        for raw_key, raw in ctx.kv_store(delegations.store_name).iterate(low, prefix_end(low)):
            key(raw_key)  # a key that does not decode fails as in ``Map.values``
            result.append(voting(raw))
        return result

    def validator_delegations(self, ctx: Context, operator: bytes) -> list[Delegation]:
        """The delegations to a validator, in delegator id order."""
        result = []
        for _, delegator in self.delegations_by_validator.iterate(ctx, (operator,)):
            delegation = self.delegations.get(ctx, (delegator, operator))
            if delegation is not None:
                result.append(delegation)
        return result

    def iterate_delegations(self, ctx: Context) -> Iterator[tuple[bytes, bytes, Delegation]]:
        """Every (delegator id, operator id, delegation), in store order."""
        for (delegator, operator), delegation in self.delegations.iterate(ctx):
            yield delegator, operator, delegation

    def delegation_count(self, ctx: Context) -> int:
        """How many delegations ``iterate_delegations`` gives (failing as it would on a stored
        key or value that does not decode)."""
        decodes = self._delegation_decodes
        return sum(decodes(raw) for _, raw in self._delegation_reads.stored(ctx))

    def unbonding_delegation(
        self, ctx: Context, delegator: bytes, operator: bytes
    ) -> UnbondingDelegation | None:
        return self.unbonding_delegations.get(ctx, (delegator, operator))

    def last_powers(self, ctx: Context) -> list[tuple[bytes, int]]:
        """(operator id, power) of the validators bonded at the last end block, by operator id."""
        return list(self.last_validator_powers.iterate(ctx))

    def last_total_power(self, ctx: Context) -> Int:
        value = self.last_total_power_item.get(ctx)
        return Int(0) if value is None else value

    # Validators

    def create_validator(
        self,
        ctx: Context,
        operator: bytes,
        self_bond: Int,
        rate: Dec,
        *,
        max_rate: Dec | None = None,
        max_change_rate: Dec | None = None,
        moniker: str = "",
        consensus_pubkey: AnyPb | None = None,
        min_self_delegation: int = 1,
    ) -> Validator:
        """Create a bonded validator and its self-delegation of ``self_bond`` (genesis and tests;
        the SDK would create it unbonded and bond it at the next end block).

        Fails when the operator already has a validator (``ErrValidatorOwnerExists``), the
        commission is invalid (the SDK's commission errors, ``ErrCommissionLTMinRate``), the
        self-bond is not positive (``ErrInvalidRequest``) or the operator lacks the tokens
        (``ErrInsufficientFunds``).
        """
        max_rate = Dec.one() if max_rate is None else max_rate
        max_change_rate = Dec.from_str("0.01") if max_change_rate is None else max_change_rate
        if self.validators.has(ctx, operator):
            raise ErrValidatorOwnerExists.wrap()
        validate_commission(rate, max_rate, max_change_rate)
        min_rate = dec_from_proto(self.get_params(ctx).min_commission_rate)
        if rate < min_rate:
            raise ErrCommissionLTMinRate.wrap(
                f"cannot set validator commission to less than minimum rate of {min_rate}"
            )
        if self_bond <= 0:
            raise ErrInvalidRequest.wrap("invalid delegation amount")
        validator = Validator(
            operator_address=encode_address(operator, VALOPER_PREFIX),
            status=BOND_STATUS_BONDED,
            tokens="0",
            delegator_shares=dec_to_proto(Dec.zero()),
            description=Description(moniker=moniker),
            unbonding_time=Timestamp(seconds=0),
            commission=Commission(
                commission_rates=CommissionRates(
                    rate=dec_to_proto(rate),
                    max_rate=dec_to_proto(max_rate),
                    max_change_rate=dec_to_proto(max_change_rate),
                ),
                update_time=timestamp_from_ns(ctx.header.time_ns),
            ),
            min_self_delegation=str(int(min_self_delegation)),
        )
        if consensus_pubkey is not None:
            validator.consensus_pubkey.CopyFrom(consensus_pubkey)
        denom = self.bond_denom(ctx)
        balance = self.bank.get_balance(ctx, operator, denom)
        if balance < self_bond:
            # Checked before any write, so a refusal leaves the store as it was.
            raise ErrInsufficientFunds.wrap(
                f"spendable balance {Coin(denom, balance)} is smaller than {Coin(denom, self_bond)}"
            )
        self.validators.set(ctx, operator, validator)
        for hook in self._hooks:
            hook.after_validator_created(ctx, operator)
        self.delegate(ctx, operator, validator, self_bond)
        ctx.emit_event(
            Event(
                EVENT_TYPE_CREATE_VALIDATOR,
                (
                    ("validator", validator.operator_address),
                    ("amount", str(Coin(denom, self_bond))),
                ),
            )
        )
        stored = self.validators.get(ctx, operator)
        assert stored is not None
        return stored

    # Delegation

    def delegate(self, ctx: Context, delegator: bytes, validator: Validator, amount: Int) -> Dec:
        """Bond ``amount`` of the delegator's bond-denom tokens to ``validator``
        (``Keeper.Delegate`` with unbonded source tokens); returns the new shares.

        Fails when the validator's exchange rate is invalid (``ErrDelegatorShareExRateInvalid``),
        a hook fails, or the delegator lacks the tokens (``ErrInsufficientFunds``).
        """
        if invalid_ex_rate(validator):
            raise ErrDelegatorShareExRateInvalid.wrap()
        operator = operator_id(validator)
        delegation = self.delegations.get(ctx, (delegator, operator))
        if delegation is None:
            delegation = Delegation(
                delegator_address=encode_address(delegator),
                validator_address=validator.operator_address,
                shares=dec_to_proto(Dec.zero()),
            )
            for hook in self._hooks:
                hook.before_delegation_created(ctx, delegator, operator)
        else:
            for hook in self._hooks:
                hook.before_delegation_shares_modified(ctx, delegator, operator)
        pool = BONDED_POOL if is_bonded(validator) else NOT_BONDED_POOL
        self.bank.send_coins_from_account_to_module(
            ctx, delegator, pool, Coins.of(self.bond_denom(ctx), amount)
        )
        validator, new_shares = self._add_tokens_from_delegation(ctx, operator, validator, amount)
        delegation.shares = dec_to_proto(delegation_shares(delegation) + new_shares)
        self.set_delegation(ctx, delegator, operator, delegation)
        for hook in self._hooks:
            hook.after_delegation_modified(ctx, delegator, operator)
        return new_shares

    def validate_unbond_amount(
        self, ctx: Context, delegator: bytes, operator: bytes, amount: Int
    ) -> Dec:
        """The shares to remove for unbonding ``amount`` tokens (``ValidateUnbondAmount``).

        Fails when there is no such validator (``ErrNoValidatorFound``) or delegation
        (``ErrNoDelegation``), the validator has no tokens (``ErrInsufficientShares``) or the
        amount needs more shares than the delegation holds (``ErrInvalidRequest``).
        """
        validator = self.validators.get(ctx, operator)
        if validator is None:
            raise ErrNoValidatorFound.wrap()
        delegation = self.delegations.get(ctx, (delegator, operator))
        if delegation is None:
            raise ErrNoDelegation.wrap()
        shares = shares_from_tokens(validator, amount)
        held = delegation_shares(delegation)
        # SharesFromTokensTruncated equals SharesFromTokens: both truncate.
        if shares > held:
            raise ErrInvalidRequest.wrap("invalid shares amount")
        return shares

    def undelegate(
        self, ctx: Context, delegator: bytes, operator: bytes, shares: Dec
    ) -> tuple[int, Int]:
        """Remove ``shares`` and start unbonding their tokens (``Keeper.Undelegate``); returns
        (completion unix ns, tokens unbonding).

        Fails when the validator does not exist (``ErrNoValidatorFound``), the pair already has
        ``max_entries`` unbonding entries (``ErrMaxUnbondingDelegationEntries``), there is no
        delegation (``ErrNoDelegatorForAddress``), it holds fewer shares
        (``ErrNotEnoughDelegationShares``) or a hook fails.
        """
        validator = self.validators.get(ctx, operator)
        if validator is None:
            raise ErrNoValidatorFound.wrap()
        existing = self.unbonding_delegations.get(ctx, (delegator, operator))
        if existing is not None and len(existing.entries) >= self.get_params(ctx).max_entries:
            raise ErrMaxUnbondingDelegationEntries.wrap()
        amount = self._unbond(ctx, delegator, operator, shares)
        if is_bonded(validator) and amount > 0:
            self.bank.send_coins_from_module_to_module(
                ctx, BONDED_POOL, NOT_BONDED_POOL, Coins.of(self.bond_denom(ctx), amount)
            )
        completion = ctx.header.time_ns + self.unbonding_time_ns(ctx)
        self._add_unbonding_entry(ctx, delegator, operator, completion, amount)
        return completion, amount

    def complete_unbonding(self, ctx: Context, delegator: bytes, operator: bytes) -> Coins:
        """Pay out every mature entry of the pair's unbonding delegation
        (``CompleteUnbonding``); returns what was paid (nothing if there is no entry)."""
        unbonding = self.unbonding_delegations.get(ctx, (delegator, operator))
        if unbonding is None:
            return Coins()
        denom = self.bond_denom(ctx)
        now = ctx.header.time_ns
        paid = Coins()
        remaining = []
        for entry in unbonding.entries:
            if timestamp_ns(entry.completion_time) > now:
                remaining.append(entry)
                continue
            balance = Int.from_str(entry.balance) if entry.balance else Int(0)
            if balance > 0:
                coins = Coins.of(denom, balance)
                # UndelegateCoinsFromModuleToAccount: no blocked-address check.
                self.bank.send_coins(ctx, module_address(NOT_BONDED_POOL), delegator, coins)
                paid = paid + coins
        del unbonding.entries[:]
        unbonding.entries.extend(remaining)
        if remaining:
            self.unbonding_delegations.set(ctx, (delegator, operator), unbonding)
        else:
            self.unbonding_delegations.remove(ctx, (delegator, operator))
            self.unbonding_by_validator.remove(ctx, (operator, delegator))
        return paid

    # Blocks

    def end_block(self, ctx: Context) -> None:
        """Record the bonded validators' powers, then complete mature unbondings."""
        self.apply_validator_set_updates(ctx)
        now = ctx.header.time_ns
        mature = []
        for key in self.unbonding_queue.iterate(ctx):
            if key[0] > now:
                break
            mature.append(key)
        for key in mature:
            self.unbonding_queue.remove(ctx, key)
        for _, delegator, operator in mature:
            paid = self.complete_unbonding(ctx, delegator, operator)
            if paid:
                ctx.emit_event(
                    Event(
                        EVENT_TYPE_COMPLETE_UNBONDING,
                        (
                            ("amount", str(paid)),
                            ("validator", encode_address(operator, VALOPER_PREFIX)),
                            ("delegator", encode_address(delegator)),
                        ),
                    )
                )

    def apply_validator_set_updates(self, ctx: Context) -> None:
        """Store the powers of the (at most ``max_validators``) bonded validators with power."""
        limit = self.get_params(ctx).max_validators
        powers: dict[bytes, int] = {}
        for validator in self.bonded_validators(ctx)[:limit]:
            power = consensus_power(validator)
            if power <= 0:
                break
            powers[operator_id(validator)] = power
        for operator, power in list(self.last_validator_powers.iterate(ctx)):
            if powers.get(operator) != power:
                self.last_validator_powers.remove(ctx, operator)
        for operator in sorted(powers):
            if self.last_validator_powers.get(ctx, operator) != powers[operator]:
                self.last_validator_powers.set(ctx, operator, powers[operator])
        total = Int(sum(powers.values()))
        if self.last_total_power_item.get(ctx) != total:
            self.last_total_power_item.set(ctx, total)

    # Invariants

    def module_accounts_invariant(self, ctx: Context) -> str | None:
        """``staking/module-accounts``: the pools hold exactly the bonded and not-bonded tokens."""
        denom = self.bond_denom(ctx)
        bonded = Int(0)
        not_bonded = Int(0)
        for validator in self.validators.values(ctx):
            if is_bonded(validator):
                bonded += validator_tokens(validator)
            else:
                not_bonded += validator_tokens(validator)
        for unbonding in self.unbonding_delegations.values(ctx):
            for entry in unbonding.entries:
                not_bonded += Int.from_str(entry.balance) if entry.balance else Int(0)
        pool_bonded = self.bank.get_balance(ctx, module_address(BONDED_POOL), denom)
        pool_not_bonded = self.bank.get_balance(ctx, module_address(NOT_BONDED_POOL), denom)
        if pool_bonded == bonded and pool_not_bonded == not_bonded:
            return None
        return (
            "staking: module accounts invariant\n"
            "bonded token invariance:\n"
            f"\tPool's bonded tokens: {pool_bonded}\n"
            f"\tsum of bonded tokens: {bonded}\n"
            "not bonded token invariance:\n"
            f"\tPool's not bonded tokens: {pool_not_bonded}\n"
            f"\tsum of not bonded tokens: {not_bonded}\n"
        )

    def nonnegative_power_invariant(self, ctx: Context) -> str | None:
        """``staking/nonnegative-power``: no validator has negative tokens or shares."""
        broken = [
            f"\tnegative tokens or shares for validator: {validator.operator_address}\n"
            for validator in self.validators.values(ctx)
            if validator_tokens(validator) < 0 or validator_shares(validator).is_negative()
        ]
        return "staking: nonnegative power invariant\n" + "".join(broken) if broken else None

    def positive_delegation_invariant(self, ctx: Context) -> str | None:
        """``staking/positive-delegation``: every stored delegation has positive shares."""
        reads, shares = self._delegation_reads, self._delegation_shares
        broken = [
            f"\tdelegation with non-positive shares: {reads.value(raw)}\n"
            for _, raw in reads.stored(ctx)
            if not shares(raw).is_positive()
        ]
        return "staking: positive delegations invariant\n" + "".join(broken) if broken else None

    def delegator_shares_invariant(self, ctx: Context) -> str | None:
        """``staking/delegator-shares``: a validator's shares are the sum of its delegations'."""
        sums: dict[bytes, Dec] = {}
        reads, shares = self._delegation_reads, self._delegation_shares
        key = reads.key
        for raw_key, raw in reads.stored(ctx):
            operator = key(raw_key)[1]
            sums[operator] = sums.get(operator, Dec.zero()) + shares(raw)
        broken = [
            "\tbroken delegator shares invariance:\n"
            f"\tvalidator.DelegatorShares: {validator_shares(validator)}\n"
            f"\tsum of Delegator.Shares: {sums.get(operator, Dec.zero())}\n"
            for operator, validator in self.validators.iterate(ctx)
            if validator_shares(validator) != sums.get(operator, Dec.zero())
        ]
        return "staking: delegator shares invariant\n" + "".join(broken) if broken else None

    def invariants(self) -> list[tuple[str, Invariant]]:
        """The module's named invariants, sorted by name."""
        return [
            (INVARIANT_DELEGATOR_SHARES, self.delegator_shares_invariant),
            (INVARIANT_MODULE_ACCOUNTS, self.module_accounts_invariant),
            (INVARIANT_NONNEGATIVE_POWER, self.nonnegative_power_invariant),
            (INVARIANT_POSITIVE_DELEGATION, self.positive_delegation_invariant),
        ]

    # Internals

    def set_delegation(
        self, ctx: Context, delegator: bytes, operator: bytes, delegation: Delegation
    ) -> None:
        self.delegations.set(ctx, (delegator, operator), delegation)
        self.delegations_by_validator.add(ctx, (operator, delegator))

    def _remove_delegation(self, ctx: Context, delegator: bytes, operator: bytes) -> None:
        for hook in self._hooks:
            hook.before_delegation_removed(ctx, delegator, operator)
        self.delegations.remove(ctx, (delegator, operator))
        self.delegations_by_validator.remove(ctx, (operator, delegator))

    def _add_tokens_from_delegation(
        self, ctx: Context, operator: bytes, validator: Validator, amount: Int
    ) -> tuple[Validator, Dec]:
        shares = validator_shares(validator)
        issued = Dec.from_int(amount) if shares.is_zero() else shares_from_tokens(validator, amount)
        validator.tokens = str(int(validator_tokens(validator) + amount))
        validator.delegator_shares = dec_to_proto(shares + issued)
        self.validators.set(ctx, operator, validator)
        return validator, issued

    def _unbond(self, ctx: Context, delegator: bytes, operator: bytes, shares: Dec) -> Int:
        """``Keeper.Unbond``: remove shares from the delegation and tokens from the validator."""
        delegation = self.delegations.get(ctx, (delegator, operator))
        if delegation is None:
            raise ErrNoDelegatorForAddress.wrap()
        for hook in self._hooks:
            hook.before_delegation_shares_modified(ctx, delegator, operator)
        held = delegation_shares(delegation)
        if held < shares:
            raise ErrNotEnoughDelegationShares.wrap(str(held))
        validator = self.validators.get(ctx, operator)
        if validator is None:
            raise ErrNoValidatorFound.wrap()
        left = held - shares
        if left.is_zero():
            self._remove_delegation(ctx, delegator, operator)
        else:
            delegation.shares = dec_to_proto(left)
            self.set_delegation(ctx, delegator, operator, delegation)
            for hook in self._hooks:
                hook.after_delegation_modified(ctx, delegator, operator)
        # RemoveDelShares: the last share takes every remaining token.
        remaining_shares = validator_shares(validator) - shares
        tokens = validator_tokens(validator)
        if remaining_shares.is_zero():
            issued = tokens
        else:
            issued = tokens_from_shares(validator, shares).truncate_int()
        validator.tokens = str(int(tokens - issued))
        validator.delegator_shares = dec_to_proto(remaining_shares)
        self.validators.set(ctx, operator, validator)
        return issued

    def _add_unbonding_entry(
        self, ctx: Context, delegator: bytes, operator: bytes, completion_ns: int, amount: Int
    ) -> None:
        """``SetUnbondingDelegationEntry`` + ``InsertUBDQueue``: an entry of the same height and
        completion time is merged into."""
        entry_id = self.unbonding_id.next(ctx)
        unbonding = self.unbonding_delegations.get(ctx, (delegator, operator))
        if unbonding is None:
            unbonding = UnbondingDelegation(
                delegator_address=encode_address(delegator),
                validator_address=encode_address(operator, VALOPER_PREFIX),
            )
        for entry in unbonding.entries:
            if entry.creation_height == ctx.height and (
                timestamp_ns(entry.completion_time) == completion_ns
            ):
                entry.balance = str(int(Int.from_str(entry.balance or "0") + amount))
                entry.initial_balance = str(
                    int(Int.from_str(entry.initial_balance or "0") + amount)
                )
                break
        else:
            unbonding.entries.append(
                UnbondingDelegationEntry(
                    creation_height=ctx.height,
                    completion_time=timestamp_from_ns(completion_ns),
                    initial_balance=str(int(amount)),
                    balance=str(int(amount)),
                    unbonding_id=entry_id,
                )
            )
        self.unbonding_delegations.set(ctx, (delegator, operator), unbonding)
        self.unbonding_by_validator.add(ctx, (operator, delegator))
        self.unbonding_queue.add(ctx, (completion_ns, delegator, operator))
