"""The staking module as an app sees it: Msg and Query services, end block, genesis, invariants.

Msgs (``cosmos.staking.v1beta1``), each run in a branch written only on success:
- ``MsgDelegate``: bond tokens to a validator. Fails when: an address is malformed
  (``ErrInvalidAddress``); the amount is not a valid positive coin (``ErrInvalidRequest`` "invalid
  delegation amount"); the validator does not exist (``ErrNoValidatorFound``); the denom is not the
  bond denom (``ErrInvalidRequest`` "invalid coin denomination: got X, expected Y"); the exchange
  rate is invalid (``ErrDelegatorShareExRateInvalid``); the delegator lacks the tokens
  (``ErrInsufficientFunds``).
- ``MsgUndelegate``: unbond tokens; they return to the delegator when the unbonding time has
  passed (``end_block``). Fails when: an address is malformed; the amount is not a valid positive
  coin (``ErrInvalidRequest`` "invalid shares amount"); the validator (``ErrNoValidatorFound``) or
  the delegation (``ErrNoDelegation``) does not exist; the amount is more than the delegation is
  worth (``ErrInvalidRequest`` "invalid shares amount"); the denom is not the bond denom; the pair
  has ``max_entries`` unbonding entries (``ErrMaxUnbondingDelegationEntries``).

Queries: ``Validators`` (optional status filter, paginated), ``Validator``,
``ValidatorDelegations``, ``ValidatorUnbondingDelegations``, ``Delegation``,
``UnbondingDelegation``, ``DelegatorDelegations``, ``DelegatorUnbondingDelegations``,
``Redelegations`` (always none), ``DelegatorValidators``, ``DelegatorValidator``, ``Pool``,
``Params``. They run on a discarded branch. Missing addresses are ``ErrInvalidRequest``, unknown
records ``ErrNotFound``, with the SDK's gRPC wording.

Genesis is the SDK's ``GenesisState`` JSON (proto field names, ``LegacyDec`` with a point,
``last_total_power`` as integer text). Without ``exported`` the validators and delegations are
announced to the hooks (distribution initializes its records) and the powers are computed; with it
``last_validator_powers`` is taken as given. Redelegations are not supported. The pools must
already hold the tokens (bank genesis runs first), as the SDK checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from cosmpy.protos.cosmos.base.query.v1beta1.pagination_pb2 import PageRequest, PageResponse
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from cosmpy.protos.cosmos.staking.v1beta1 import genesis_pb2, query_pb2, tx_pb2
from cosmpy.protos.cosmos.staking.v1beta1.staking_pb2 import (
    BondStatus,
    DelegationResponse,
)
from cosmpy.protos.cosmos.staking.v1beta1.staking_pb2 import Delegation as DelegationPb
from cosmpy.protos.cosmos.staking.v1beta1.staking_pb2 import Pool as PoolPb
from google.protobuf.message import Message

from chain.modules.staking.errors import ErrNoValidatorFound
from chain.modules.staking.keeper import (
    BONDED_POOL,
    EVENT_TYPE_DELEGATE,
    EVENT_TYPE_UNBOND,
    MODULE_NAME,
    NOT_BONDED_POOL,
    VALOPER_PREFIX,
    Invariant,
    StakingKeeper,
    default_params,
    delegation_shares,
    is_bonded,
    rfc3339,
    timestamp_from_ns,
    tokens_from_shares,
    validator_tokens,
)
from chain.modules.staking.legacy_dec import from_sdk_json, to_sdk_json
from chain.sdk.address import decode_address, encode_address, module_address
from chain.sdk.collections import BytesKey
from chain.sdk.context import Context
from chain.sdk.errors import (
    ErrInvalidAddress,
    ErrInvalidRequest,
    ErrNotFound,
    SdkError,
)
from chain.sdk.events import Event
from chain.sdk.math import Coin, Int
from chain.sdk.module import MsgHandler, QueryHandler

T = TypeVar("T")
R = TypeVar("R", bound=Message)

_STATUS_NAMES = frozenset({"BOND_STATUS_UNBONDED", "BOND_STATUS_UNBONDING", "BOND_STATUS_BONDED"})


def decode_account(field: str, text: str) -> bytes:
    """An account address of a Msg or query; ``ErrInvalidAddress`` "invalid <field> address"."""
    try:
        account: bytes = decode_address(text)
    except SdkError as err:
        raise ErrInvalidAddress.wrap(f"invalid {field} address: {err.detail}") from None
    return account


def decode_operator(text: str, field: str = "validator") -> bytes:
    """A validator operator address (``akashvaloper``); ``ErrInvalidAddress`` when malformed."""
    try:
        operator: bytes = decode_address(text, VALOPER_PREFIX)
    except SdkError as err:
        raise ErrInvalidAddress.wrap(f"invalid {field} address: {err.detail}") from None
    return operator


def _coin_amount(coin: CoinPb) -> Int | None:
    """The amount of a Msg coin if it is a valid positive coin (``Coin.IsValid`` and positive)."""
    try:
        parsed = Coin(coin.denom, Int.from_str(coin.amount))
    except SdkError:
        return None
    return parsed.amount if parsed.amount > 0 else None


def page_list(items: list[tuple[bytes, T]], request: PageRequest) -> tuple[list[T], PageResponse]:
    """One page of an in-memory list sorted by encoded key, with ``Map.page``'s semantics."""
    if request.key and request.offset:
        raise ErrInvalidRequest.wrap("either offset or key is expected, got both")
    limit = request.limit or 100
    ordered = list(reversed(items)) if request.reverse else items
    if request.key:
        start = request.key
        ordered = [
            item for item in ordered if (item[0] <= start if request.reverse else item[0] >= start)
        ]
    else:
        ordered = ordered[request.offset :]
    page = ordered[:limit]
    next_key = ordered[limit][0] if len(ordered) > limit else b""
    total = len(items) if request.count_total and not request.key else 0
    return [item for _, item in page], PageResponse(next_key=next_key, total=total)


class StakingModule:
    """``cosmos.staking.v1beta1`` wired for an app."""

    name = MODULE_NAME

    def __init__(self, keeper: StakingKeeper) -> None:
        self.keeper = keeper

    # AppModule

    def msg_handlers(self) -> dict[str, MsgHandler]:
        return {
            "/cosmos.staking.v1beta1.MsgDelegate": atomic(self.Delegate),
            "/cosmos.staking.v1beta1.MsgUndelegate": atomic(self.Undelegate),
        }

    def query_handlers(self) -> dict[str, QueryHandler]:
        service = query_pb2.DESCRIPTOR.services_by_name["Query"]
        return {
            f"/{service.full_name}/{method.name}": read_only(getattr(self, method.name))
            for method in service.methods
            if hasattr(self, method.name)
        }

    def begin_block(self, ctx: Context) -> None:
        """Nothing: staking acts at the end of blocks."""

    def end_block(self, ctx: Context) -> None:
        self.keeper.end_block(ctx)

    def default_genesis(self) -> dict[str, Any]:
        return genesis_to_dict(genesis_pb2.GenesisState(params=default_params()))

    def init_genesis(self, ctx: Context, state: dict[str, Any]) -> None:
        """Load ``state``; all or nothing."""
        branch = ctx.branch()
        init_genesis(self.keeper, branch.ctx, genesis_from_dict(state))
        branch.write()

    def export_genesis(self, ctx: Context) -> dict[str, Any]:
        return genesis_to_dict(export_genesis(self.keeper, ctx))

    def invariants(self) -> list[tuple[str, Invariant]]:
        return self.keeper.invariants()

    # Msg service

    def Delegate(  # noqa: N802
        self, ctx: Context, msg: tx_pb2.MsgDelegate
    ) -> tx_pb2.MsgDelegateResponse:
        keeper = self.keeper
        operator = decode_operator(msg.validator_address)
        delegator = decode_account("delegator", msg.delegator_address)
        amount = _coin_amount(msg.amount)
        if amount is None:
            raise ErrInvalidRequest.wrap("invalid delegation amount")
        validator = keeper.get_validator(ctx, operator)
        if validator is None:
            raise ErrNoValidatorFound.wrap()
        bond_denom = keeper.bond_denom(ctx)
        if msg.amount.denom != bond_denom:
            raise ErrInvalidRequest.wrap(
                f"invalid coin denomination: got {msg.amount.denom}, expected {bond_denom}"
            )
        shares = keeper.delegate(ctx, delegator, validator, amount)
        ctx.emit_event(
            Event(
                EVENT_TYPE_DELEGATE,
                (
                    ("validator", msg.validator_address),
                    ("delegator", msg.delegator_address),
                    ("amount", str(Coin(bond_denom, amount))),
                    ("new_shares", str(shares)),
                ),
            )
        )
        return tx_pb2.MsgDelegateResponse()

    def Undelegate(  # noqa: N802
        self, ctx: Context, msg: tx_pb2.MsgUndelegate
    ) -> tx_pb2.MsgUndelegateResponse:
        keeper = self.keeper
        operator = decode_operator(msg.validator_address)
        delegator = decode_account("delegator", msg.delegator_address)
        amount = _coin_amount(msg.amount)
        if amount is None:
            raise ErrInvalidRequest.wrap("invalid shares amount")
        shares = keeper.validate_unbond_amount(ctx, delegator, operator, amount)
        bond_denom = keeper.bond_denom(ctx)
        if msg.amount.denom != bond_denom:
            raise ErrInvalidRequest.wrap(
                f"invalid coin denomination: got {msg.amount.denom}, expected {bond_denom}"
            )
        completion, unbonded = keeper.undelegate(ctx, delegator, operator, shares)
        coin = Coin(bond_denom, unbonded)
        ctx.emit_event(
            Event(
                EVENT_TYPE_UNBOND,
                (
                    ("validator", msg.validator_address),
                    ("delegator", msg.delegator_address),
                    ("amount", str(coin)),
                    ("completion_time", rfc3339(completion)),
                ),
            )
        )
        return tx_pb2.MsgUndelegateResponse(
            completion_time=timestamp_from_ns(completion),
            amount=CoinPb(denom=bond_denom, amount=str(int(unbonded))),
        )

    # Query service

    def _delegation_response(self, ctx: Context, delegation: DelegationPb) -> DelegationResponse:
        validator = self.keeper.validator(ctx, delegation.validator_address)
        if validator is None:
            raise ErrNoValidatorFound.wrap()
        tokens = tokens_from_shares(validator, delegation_shares(delegation)).truncate_int()
        return DelegationResponse(
            delegation=delegation,
            balance=CoinPb(denom=self.keeper.bond_denom(ctx), amount=str(int(tokens))),
        )

    def Validators(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryValidatorsRequest
    ) -> query_pb2.QueryValidatorsResponse:
        if request.status and request.status not in _STATUS_NAMES:
            raise ErrInvalidRequest.wrap(f"invalid validator status {request.status}")
        items = [
            (BytesKey.encode(operator), validator)
            for operator, validator in self.keeper.validators.iterate(ctx)
            if not request.status or BondStatus.Name(validator.status) == request.status
        ]
        validators, page = page_list(items, request.pagination)
        return query_pb2.QueryValidatorsResponse(validators=validators, pagination=page)

    def Validator(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryValidatorRequest
    ) -> query_pb2.QueryValidatorResponse:
        if not request.validator_addr:
            raise ErrInvalidRequest.wrap("validator address cannot be empty")
        validator = self.keeper.get_validator(ctx, decode_operator(request.validator_addr))
        if validator is None:
            raise ErrNotFound.wrap(f"validator {request.validator_addr} not found")
        return query_pb2.QueryValidatorResponse(validator=validator)

    def ValidatorDelegations(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryValidatorDelegationsRequest
    ) -> query_pb2.QueryValidatorDelegationsResponse:
        if not request.validator_addr:
            raise ErrInvalidRequest.wrap("validator address cannot be empty")
        operator = decode_operator(request.validator_addr)
        keys, page = self.keeper.delegations_by_validator.page(ctx, request.pagination, (operator,))
        responses = []
        for _, delegator in keys:
            delegation = self.keeper.delegation(ctx, delegator, operator)
            if delegation is not None:
                responses.append(self._delegation_response(ctx, delegation))
        return query_pb2.QueryValidatorDelegationsResponse(
            delegation_responses=responses, pagination=page
        )

    def ValidatorUnbondingDelegations(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryValidatorUnbondingDelegationsRequest
    ) -> query_pb2.QueryValidatorUnbondingDelegationsResponse:
        if not request.validator_addr:
            raise ErrInvalidRequest.wrap("validator address cannot be empty")
        operator = decode_operator(request.validator_addr)
        keys, page = self.keeper.unbonding_by_validator.page(ctx, request.pagination, (operator,))
        unbondings = [
            unbonding
            for _, delegator in keys
            if (unbonding := self.keeper.unbonding_delegation(ctx, delegator, operator))
        ]
        return query_pb2.QueryValidatorUnbondingDelegationsResponse(
            unbonding_responses=unbondings, pagination=page
        )

    def Delegation(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryDelegationRequest
    ) -> query_pb2.QueryDelegationResponse:
        delegator, operator = self._pair(request.delegator_addr, request.validator_addr)
        delegation = self.keeper.delegation(ctx, delegator, operator)
        if delegation is None:
            raise ErrNotFound.wrap(
                f"delegation with delegator {request.delegator_addr} not found for validator "
                f"{request.validator_addr}"
            )
        return query_pb2.QueryDelegationResponse(
            delegation_response=self._delegation_response(ctx, delegation)
        )

    def UnbondingDelegation(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryUnbondingDelegationRequest
    ) -> query_pb2.QueryUnbondingDelegationResponse:
        delegator, operator = self._pair(request.delegator_addr, request.validator_addr)
        unbonding = self.keeper.unbonding_delegation(ctx, delegator, operator)
        if unbonding is None:
            raise ErrNotFound.wrap(
                f"unbonding delegation with delegator {request.delegator_addr} not found for "
                f"validator {request.validator_addr}"
            )
        return query_pb2.QueryUnbondingDelegationResponse(unbond=unbonding)

    def DelegatorDelegations(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryDelegatorDelegationsRequest
    ) -> query_pb2.QueryDelegatorDelegationsResponse:
        delegator = self._delegator(request.delegator_addr)
        items, page = self.keeper.delegations.page(ctx, request.pagination, (delegator,))
        return query_pb2.QueryDelegatorDelegationsResponse(
            delegation_responses=[self._delegation_response(ctx, d) for _, d in items],
            pagination=page,
        )

    def DelegatorUnbondingDelegations(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryDelegatorUnbondingDelegationsRequest
    ) -> query_pb2.QueryDelegatorUnbondingDelegationsResponse:
        delegator = self._delegator(request.delegator_addr)
        items, page = self.keeper.unbonding_delegations.page(ctx, request.pagination, (delegator,))
        return query_pb2.QueryDelegatorUnbondingDelegationsResponse(
            unbonding_responses=[unbonding for _, unbonding in items], pagination=page
        )

    def Redelegations(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryRedelegationsRequest
    ) -> query_pb2.QueryRedelegationsResponse:
        """Redelegations are not supported, so there are none."""
        return query_pb2.QueryRedelegationsResponse(pagination=PageResponse())

    def DelegatorValidators(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryDelegatorValidatorsRequest
    ) -> query_pb2.QueryDelegatorValidatorsResponse:
        delegator = self._delegator(request.delegator_addr)
        items, page = self.keeper.delegations.page(ctx, request.pagination, (delegator,))
        validators = []
        for (_, operator), _delegation in items:
            validator = self.keeper.get_validator(ctx, operator)
            if validator is None:
                raise ErrNoValidatorFound.wrap()
            validators.append(validator)
        return query_pb2.QueryDelegatorValidatorsResponse(validators=validators, pagination=page)

    def DelegatorValidator(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryDelegatorValidatorRequest
    ) -> query_pb2.QueryDelegatorValidatorResponse:
        delegator, operator = self._pair(request.delegator_addr, request.validator_addr)
        if self.keeper.delegation(ctx, delegator, operator) is None:
            raise ErrNotFound.wrap(
                f"delegation with delegator {request.delegator_addr} not found for validator "
                f"{request.validator_addr}"
            )
        validator = self.keeper.get_validator(ctx, operator)
        if validator is None:
            raise ErrNoValidatorFound.wrap()
        return query_pb2.QueryDelegatorValidatorResponse(validator=validator)

    def Pool(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryPoolRequest
    ) -> query_pb2.QueryPoolResponse:
        keeper = self.keeper
        denom = keeper.bond_denom(ctx)
        bonded = keeper.bank.get_balance(ctx, module_address(BONDED_POOL), denom)
        not_bonded = keeper.bank.get_balance(ctx, module_address(NOT_BONDED_POOL), denom)
        return query_pb2.QueryPoolResponse(
            pool=PoolPb(not_bonded_tokens=str(int(not_bonded)), bonded_tokens=str(int(bonded)))
        )

    def Params(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryParamsRequest
    ) -> query_pb2.QueryParamsResponse:
        return query_pb2.QueryParamsResponse(params=self.keeper.get_params(ctx))

    def _delegator(self, text: str) -> bytes:
        if not text:
            raise ErrInvalidRequest.wrap("delegator address cannot be empty")
        return decode_account("delegator", text)

    def _pair(self, delegator_text: str, validator_text: str) -> tuple[bytes, bytes]:
        delegator = self._delegator(delegator_text)
        if not validator_text:
            raise ErrInvalidRequest.wrap("validator address cannot be empty")
        return delegator, decode_operator(validator_text)


def atomic(handler: Callable[[Context, Any], R]) -> Callable[[Context, Any], R]:
    """Run a Msg handler in a branch written only on success (state unchanged on failure)."""

    def run(ctx: Context, msg: Any) -> R:
        branch = ctx.branch()
        response = handler(branch.ctx, msg)
        branch.write()
        return response

    run.__name__ = getattr(handler, "__name__", "handler")
    return run


def read_only(handler: Callable[[Context, Any], R]) -> Callable[[Context, Any], R]:
    """Run a query handler on a branch that is always discarded."""

    def run(ctx: Context, request: Any) -> R:
        return handler(ctx.branch().ctx, request)

    run.__name__ = getattr(handler, "__name__", "handler")
    return run


# Genesis


def genesis_to_dict(state: genesis_pb2.GenesisState) -> dict[str, Any]:
    """SDK JSON of the staking genesis (``last_total_power`` as integer text, not base64)."""
    data = to_sdk_json(state)
    data["last_total_power"] = state.last_total_power.decode() or "0"
    return data


def genesis_from_dict(data: dict[str, Any]) -> genesis_pb2.GenesisState:
    """The staking genesis of SDK JSON."""
    data = dict(data)
    total = str(data.pop("last_total_power", "0") or "0")
    state = from_sdk_json(data, genesis_pb2.GenesisState)
    state.last_total_power = str(int(Int.from_str(total))).encode()
    return state


def init_genesis(keeper: StakingKeeper, ctx: Context, state: genesis_pb2.GenesisState) -> None:
    """Load a staking genesis (``InitGenesis``); see the module docstring.

    Fails when redelegations are given, an address is malformed (``ErrInvalidAddress``), or the
    pools' balances differ from the bonded and not-bonded tokens (``ErrInvalidRequest``).
    """
    if state.redelegations:
        raise ErrInvalidRequest.wrap("redelegations are not supported")
    params = state.params if state.HasField("params") else default_params()
    keeper.set_params(ctx, params)
    keeper.last_total_power_item.set(ctx, Int.from_str(state.last_total_power.decode() or "0"))
    denom = params.bond_denom
    bonded = Int(0)
    not_bonded = Int(0)
    for validator in state.validators:
        operator = decode_operator(validator.operator_address)
        keeper.validators.set(ctx, operator, validator)
        if not state.exported:
            for hook in keeper.hooks:
                hook.after_validator_created(ctx, operator)
        if is_bonded(validator):
            bonded += validator_tokens(validator)
        else:
            not_bonded += validator_tokens(validator)
    for delegation in state.delegations:
        delegator = decode_account("delegator", delegation.delegator_address)
        operator = decode_operator(delegation.validator_address)
        if not state.exported:
            for hook in keeper.hooks:
                hook.before_delegation_created(ctx, delegator, operator)
        keeper.set_delegation(ctx, delegator, operator, delegation)
        if not state.exported:
            for hook in keeper.hooks:
                hook.after_delegation_modified(ctx, delegator, operator)
    last_id = 0
    for unbonding in state.unbonding_delegations:
        delegator = decode_account("delegator", unbonding.delegator_address)
        operator = decode_operator(unbonding.validator_address)
        keeper.unbonding_delegations.set(ctx, (delegator, operator), unbonding)
        keeper.unbonding_by_validator.add(ctx, (operator, delegator))
        for entry in unbonding.entries:
            completion = entry.completion_time.seconds * 10**9 + entry.completion_time.nanos
            keeper.unbonding_queue.add(ctx, (completion, delegator, operator))
            not_bonded += Int.from_str(entry.balance or "0")
            last_id = max(last_id, entry.unbonding_id)
    if last_id:
        keeper.unbonding_id.set(ctx, last_id + 1)
    bank = keeper.bank
    bonded_balance = bank.get_balance(ctx, module_address(BONDED_POOL), denom)
    if bonded_balance != bonded:
        raise ErrInvalidRequest.wrap(
            "bonded pool balance is different from bonded coins: "
            f"{Coin(denom, bonded)} <-> {Coin(denom, bonded_balance)}"
        )
    not_bonded_balance = bank.get_balance(ctx, module_address(NOT_BONDED_POOL), denom)
    if not_bonded_balance != not_bonded:
        raise ErrInvalidRequest.wrap(
            "not bonded pool balance is different from not bonded coins: "
            f"{Coin(denom, not_bonded_balance)} <-> {Coin(denom, not_bonded)}"
        )
    if state.exported:
        for power in state.last_validator_powers:
            keeper.last_validator_powers.set(ctx, decode_operator(power.address), power.power)
    else:
        keeper.apply_validator_set_updates(ctx)


def export_genesis(keeper: StakingKeeper, ctx: Context) -> genesis_pb2.GenesisState:
    """The staking state as an exported genesis (``exported`` is true)."""
    return genesis_pb2.GenesisState(
        params=keeper.get_params(ctx),
        last_total_power=str(int(keeper.last_total_power(ctx))).encode(),
        last_validator_powers=[
            genesis_pb2.LastValidatorPower(
                address=encode_address(operator, VALOPER_PREFIX), power=power
            )
            for operator, power in keeper.last_powers(ctx)
        ],
        validators=keeper.all_validators(ctx),
        delegations=list(keeper.delegations.values(ctx)),
        unbonding_delegations=list(keeper.unbonding_delegations.values(ctx)),
        exported=True,
    )
