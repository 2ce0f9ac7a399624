"""The distribution module as an app sees it: Msg and Query services, allocation in begin block,
genesis and invariants.

Msgs (``cosmos.distribution.v1beta1``), each run in a branch written only on success:
- ``MsgSetWithdrawAddress``. Fails when: an address is malformed (``ErrInvalidAddress``); the
  withdraw address is blocked, e.g. a module account (``ErrUnauthorized`` "<addr> is not allowed
  to receive external funds"); withdraw addresses are disabled (``ErrSetWithdrawAddrDisabled``).
- ``MsgWithdrawDelegatorReward``: pays the rewards to the withdraw address, then runs the
  withdraw hooks (the incentives redirect) with exactly the coins paid; the response lists the
  coins (``0<bond denom>`` when none). Fails when: an address is malformed; the validator
  (``ErrNoValidatorDistInfo``) or the delegation (``ErrEmptyDelegationDistInfo``) does not exist.
- ``MsgWithdrawValidatorCommission``. Fails when: the address is malformed; there is no
  commission (``ErrNoValidatorCommission``).
- ``MsgFundCommunityPool`` (anyone). Fails when: the depositor address is malformed; the amount
  is empty (``ErrInvalidCoins`` "amount cannot be nil") or not valid coins (``ErrInvalidCoins``);
  the depositor lacks the coins (``ErrInsufficientFunds``).
- ``MsgCommunityPoolSpend`` (gov authority). Fails when: the authority is malformed
  (``ErrInvalidAddress``) or not the gov module (``ErrInvalidSigner`` "invalid authority; expected
  X, got Y"); the amount is empty or invalid (``ErrInvalidCoins``); the recipient is malformed or
  blocked (``ErrUnauthorized`` "<addr> is not allowed to receive external funds"); the pool is
  short (``ErrBadDistribution``).
- ``MsgUpdateParams`` (gov authority). Fails when: the authority is wrong; proposer rewards are
  set (``ErrInvalidRequest``); the community tax is negative or above one (``ErrInvalidRequest``).
- ``MsgDepositValidatorRewardsPool``: anyone adds coins to a validator's rewards. Fails when: an
  address is malformed; the depositor lacks the coins; the validator does not exist
  (``ErrNoValidatorExists``).

Queries (run on a discarded branch): ``Params``, ``ValidatorDistributionInfo``,
``ValidatorOutstandingRewards``, ``ValidatorCommission``, ``ValidatorSlashes`` (always none),
``DelegationRewards``, ``DelegationTotalRewards``, ``DelegatorValidators``,
``DelegatorWithdrawAddress``, ``CommunityPool``. ``DecCoin`` amounts are raw ``LegacyDec`` text,
as the SDK's gRPC answers carry them.

Genesis is the SDK's ``GenesisState`` JSON with decimals in point form. Slash events are not
supported. ``init_genesis`` checks, as the SDK does, that the module account holds exactly the
truncated sum of the outstanding rewards and the community pool (bank genesis runs first); run it
before staking's, whose non-exported genesis creates the reward records through the hooks.
"""

from __future__ import annotations

from typing import Any

from cosmpy.protos.cosmos.base.query.v1beta1.pagination_pb2 import PageResponse
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from cosmpy.protos.cosmos.distribution.v1beta1 import genesis_pb2, query_pb2, tx_pb2
from cosmpy.protos.cosmos.distribution.v1beta1.distribution_pb2 import (
    DelegationDelegatorReward,
    FeePool,
    ValidatorAccumulatedCommission,
    ValidatorOutstandingRewards,
)

from chain.modules.bank import Invariant
from chain.modules.distribution import dec_coins
from chain.modules.distribution.errors import (
    ErrInvalidSigner,
    ErrNoDelegationExists,
    ErrNoValidatorExists,
)
from chain.modules.distribution.keeper import (
    MODULE_NAME,
    CurrentRewards,
    DistributionKeeper,
    HistoricalRewards,
    StartingInfo,
    current_from_pb,
    current_to_pb,
    default_params,
    historical_from_pb,
    historical_to_pb,
    starting_info_from_pb,
    starting_info_to_pb,
)
from chain.modules.staking.keeper import VALOPER_PREFIX
from chain.modules.staking.legacy_dec import dec_from_proto, from_sdk_json, to_sdk_json
from chain.modules.staking.module import atomic, decode_account, decode_operator, read_only
from chain.sdk.address import encode_address, module_address_text
from chain.sdk.context import Context
from chain.sdk.errors import (
    ErrInvalidCoins,
    ErrInvalidRequest,
    ErrUnauthorized,
    SdkError,
)
from chain.sdk.math import Coin, Coins, Dec, Int
from chain.sdk.module import MsgHandler, QueryHandler

GOV_AUTHORITY = module_address_text("gov")


def parse_coins(coins: Any) -> Coins:
    """Msg coins as ``validateAmount`` accepts them: non-empty, sorted, unique, positive.

    Fails with ``ErrInvalidCoins`` ("amount cannot be nil", or the coins' text)."""
    listed = list(coins)
    if not listed:
        raise ErrInvalidCoins.wrap("amount cannot be nil")
    text = ",".join(f"{coin.amount}{coin.denom}" for coin in listed)
    try:
        return Coins.validate(Coin(coin.denom, Int.from_str(coin.amount)) for coin in listed)
    except SdkError:
        raise ErrInvalidCoins.wrap(text) from None


def coins_to_pb(coins: Coins) -> list[CoinPb]:
    return [CoinPb(denom=coin.denom, amount=str(int(coin.amount))) for coin in coins]


class DistributionModule:
    """``cosmos.distribution.v1beta1`` wired for an app."""

    name = MODULE_NAME

    def __init__(self, keeper: DistributionKeeper, authority: str = GOV_AUTHORITY) -> None:
        self.keeper = keeper
        self.authority = authority

    # AppModule

    def msg_handlers(self) -> dict[str, MsgHandler]:
        service = tx_pb2.DESCRIPTOR.services_by_name["Msg"]
        return {
            f"/{method.input_type.full_name}": atomic(getattr(self, method.name))
            for method in service.methods
            if hasattr(self, method.name)
        }

    def query_handlers(self) -> dict[str, QueryHandler]:
        service = query_pb2.DESCRIPTOR.services_by_name["Query"]
        return {
            f"/{service.full_name}/{method.name}": read_only(getattr(self, method.name))
            for method in service.methods
            if hasattr(self, method.name)
        }

    def begin_block(self, ctx: Context) -> None:
        """Allocate the collected fees and minted coins (after mint's begin block)."""
        self.keeper.begin_block(ctx)

    def end_block(self, ctx: Context) -> None:
        """Nothing: distribution acts at the beginning of blocks."""

    def default_genesis(self) -> dict[str, Any]:
        return to_sdk_json(genesis_pb2.GenesisState(params=default_params(), fee_pool=FeePool()))

    def init_genesis(self, ctx: Context, state: dict[str, Any]) -> None:
        """Load ``state``; all or nothing."""
        branch = ctx.branch()
        init_genesis(self.keeper, branch.ctx, from_sdk_json(state, genesis_pb2.GenesisState))
        branch.write()

    def export_genesis(self, ctx: Context) -> dict[str, Any]:
        return to_sdk_json(export_genesis(self.keeper, ctx))

    def invariants(self) -> list[tuple[str, Invariant]]:
        return self.keeper.invariants()

    # Msg service

    def SetWithdrawAddress(  # noqa: N802
        self, ctx: Context, msg: tx_pb2.MsgSetWithdrawAddress
    ) -> tx_pb2.MsgSetWithdrawAddressResponse:
        delegator = decode_account("delegator", msg.delegator_address)
        withdraw = decode_account("withdraw", msg.withdraw_address)
        self.keeper.set_withdraw_address(ctx, delegator, withdraw)
        return tx_pb2.MsgSetWithdrawAddressResponse()

    def WithdrawDelegatorReward(  # noqa: N802
        self, ctx: Context, msg: tx_pb2.MsgWithdrawDelegatorReward
    ) -> tx_pb2.MsgWithdrawDelegatorRewardResponse:
        operator = decode_operator(msg.validator_address)
        delegator = decode_account("delegator", msg.delegator_address)
        paid = self.keeper.withdraw_delegation_rewards(ctx, delegator, operator)
        amount = coins_to_pb(paid) or [
            CoinPb(denom=self.keeper.staking.bond_denom(ctx), amount="0")
        ]
        return tx_pb2.MsgWithdrawDelegatorRewardResponse(amount=amount)

    def WithdrawValidatorCommission(  # noqa: N802
        self, ctx: Context, msg: tx_pb2.MsgWithdrawValidatorCommission
    ) -> tx_pb2.MsgWithdrawValidatorCommissionResponse:
        operator = decode_operator(msg.validator_address)
        paid = self.keeper.withdraw_validator_commission(ctx, operator)
        return tx_pb2.MsgWithdrawValidatorCommissionResponse(amount=coins_to_pb(paid))

    def FundCommunityPool(  # noqa: N802
        self, ctx: Context, msg: tx_pb2.MsgFundCommunityPool
    ) -> tx_pb2.MsgFundCommunityPoolResponse:
        depositor = decode_account("depositor", msg.depositor)
        amount = parse_coins(msg.amount)
        self.keeper.fund_community_pool(ctx, amount, depositor)
        return tx_pb2.MsgFundCommunityPoolResponse()

    def CommunityPoolSpend(  # noqa: N802
        self, ctx: Context, msg: tx_pb2.MsgCommunityPoolSpend
    ) -> tx_pb2.MsgCommunityPoolSpendResponse:
        self._check_authority(msg.authority)
        amount = parse_coins(msg.amount)
        recipient = decode_account("recipient", msg.recipient)
        if self.keeper.bank.is_blocked(recipient):
            raise ErrUnauthorized.wrap(f"{msg.recipient} is not allowed to receive external funds")
        self.keeper.distribute_from_community_pool(ctx, amount, recipient)
        return tx_pb2.MsgCommunityPoolSpendResponse()

    def UpdateParams(  # noqa: N802
        self, ctx: Context, msg: tx_pb2.MsgUpdateParams
    ) -> tx_pb2.MsgUpdateParamsResponse:
        self._check_authority(msg.authority)
        params = msg.params
        if (
            not dec_from_proto(params.base_proposer_reward).is_zero()
            or not dec_from_proto(params.bonus_proposer_reward).is_zero()
        ):
            raise ErrInvalidRequest.wrap(
                "cannot update base or bonus proposer reward because these are deprecated fields"
            )
        validate_params(params)
        self.keeper.set_params(ctx, params)
        return tx_pb2.MsgUpdateParamsResponse()

    def DepositValidatorRewardsPool(  # noqa: N802
        self, ctx: Context, msg: tx_pb2.MsgDepositValidatorRewardsPool
    ) -> tx_pb2.MsgDepositValidatorRewardsPoolResponse:
        depositor = decode_account("depositor", msg.depositor)
        amount = parse_coins(msg.amount)
        self.keeper.bank.send_coins_from_account_to_module(ctx, depositor, MODULE_NAME, amount)
        operator = decode_operator(msg.validator_address)
        validator = self.keeper.staking.get_validator(ctx, operator)
        if validator is None:
            raise ErrNoValidatorExists.wrap(msg.validator_address)
        self.keeper.allocate_tokens_to_validator(ctx, validator, dec_coins.from_coins(amount))
        return tx_pb2.MsgDepositValidatorRewardsPoolResponse()

    def _check_authority(self, authority: str) -> None:
        decode_account("authority", authority)
        if authority != self.authority:
            raise ErrInvalidSigner.wrap(
                f"invalid authority; expected {self.authority}, got {authority}"
            )

    # Query service

    def Params(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryParamsRequest
    ) -> query_pb2.QueryParamsResponse:
        return query_pb2.QueryParamsResponse(params=self.keeper.get_params(ctx))

    def ValidatorDistributionInfo(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryValidatorDistributionInfoRequest
    ) -> query_pb2.QueryValidatorDistributionInfoResponse:
        operator = self._validator(ctx, request.validator_address)
        keeper = self.keeper
        delegation = keeper.staking.delegation(ctx, operator, operator)
        if delegation is None:
            raise ErrNoDelegationExists.wrap()
        rewards = keeper.delegation_rewards(ctx, operator, operator)
        return query_pb2.QueryValidatorDistributionInfoResponse(
            operator_address=encode_address(operator),
            self_bond_rewards=dec_coins.to_pb(rewards),
            commission=dec_coins.to_pb(keeper.get_accumulated_commission(ctx, operator)),
        )

    def ValidatorOutstandingRewards(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryValidatorOutstandingRewardsRequest
    ) -> query_pb2.QueryValidatorOutstandingRewardsResponse:
        operator = self._validator(ctx, request.validator_address)
        rewards = self.keeper.get_outstanding_rewards(ctx, operator)
        return query_pb2.QueryValidatorOutstandingRewardsResponse(
            rewards=ValidatorOutstandingRewards(rewards=dec_coins.to_pb(rewards))
        )

    def ValidatorCommission(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryValidatorCommissionRequest
    ) -> query_pb2.QueryValidatorCommissionResponse:
        operator = self._validator(ctx, request.validator_address)
        commission = self.keeper.get_accumulated_commission(ctx, operator)
        return query_pb2.QueryValidatorCommissionResponse(
            commission=ValidatorAccumulatedCommission(commission=dec_coins.to_pb(commission))
        )

    def ValidatorSlashes(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryValidatorSlashesRequest
    ) -> query_pb2.QueryValidatorSlashesResponse:
        """There is no slashing, so there are no slash events."""
        if not request.validator_address:
            raise ErrInvalidRequest.wrap("empty validator address")
        if request.ending_height < request.starting_height:
            raise ErrInvalidRequest.wrap(
                "starting height greater than ending height "
                f"({request.starting_height} > {request.ending_height})"
            )
        decode_operator(request.validator_address)
        return query_pb2.QueryValidatorSlashesResponse(pagination=PageResponse())

    def DelegationRewards(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryDelegationRewardsRequest
    ) -> query_pb2.QueryDelegationRewardsResponse:
        if not request.delegator_address:
            raise ErrInvalidRequest.wrap("empty delegator address")
        operator = self._validator(ctx, request.validator_address)
        delegator = decode_account("delegator", request.delegator_address)
        if self.keeper.staking.delegation(ctx, delegator, operator) is None:
            raise ErrNoDelegationExists.wrap()
        rewards = self.keeper.delegation_rewards(ctx, delegator, operator)
        return query_pb2.QueryDelegationRewardsResponse(rewards=dec_coins.to_pb(rewards))

    def DelegationTotalRewards(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryDelegationTotalRewardsRequest
    ) -> query_pb2.QueryDelegationTotalRewardsResponse:
        delegator = self._delegator(request.delegator_address)
        rewards = []
        total: dict[str, Dec] = {}
        for delegation in self.keeper.staking.delegator_delegations(ctx, delegator):
            operator = decode_operator(delegation.validator_address)
            reward = self.keeper.delegation_rewards(ctx, delegator, operator)
            rewards.append(
                DelegationDelegatorReward(
                    validator_address=delegation.validator_address,
                    reward=dec_coins.to_pb(reward),
                )
            )
            total = dec_coins.add(total, reward)
        return query_pb2.QueryDelegationTotalRewardsResponse(
            rewards=rewards, total=dec_coins.to_pb(total)
        )

    def DelegatorValidators(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryDelegatorValidatorsRequest
    ) -> query_pb2.QueryDelegatorValidatorsResponse:
        delegator = self._delegator(request.delegator_address)
        return query_pb2.QueryDelegatorValidatorsResponse(
            validators=[
                delegation.validator_address
                for delegation in self.keeper.staking.delegator_delegations(ctx, delegator)
            ]
        )

    def DelegatorWithdrawAddress(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryDelegatorWithdrawAddressRequest
    ) -> query_pb2.QueryDelegatorWithdrawAddressResponse:
        delegator = self._delegator(request.delegator_address)
        withdraw = self.keeper.get_withdraw_address(ctx, delegator)
        return query_pb2.QueryDelegatorWithdrawAddressResponse(
            withdraw_address=encode_address(withdraw)
        )

    def CommunityPool(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryCommunityPoolRequest
    ) -> query_pb2.QueryCommunityPoolResponse:
        return query_pb2.QueryCommunityPoolResponse(
            pool=dec_coins.to_pb(self.keeper.get_community_pool(ctx))
        )

    def _delegator(self, text: str) -> bytes:
        if not text:
            raise ErrInvalidRequest.wrap("empty delegator address")
        return decode_account("delegator", text)

    def _validator(self, ctx: Context, text: str) -> bytes:
        if not text:
            raise ErrInvalidRequest.wrap("empty validator address")
        operator = decode_operator(text)
        if self.keeper.staking.get_validator(ctx, operator) is None:
            raise ErrNoValidatorExists.wrap(text)
        return operator


def validate_params(params: Any) -> None:
    """``Params.ValidateBasic``: the community tax is within [0, 1].

    Fails with ``ErrInvalidRequest`` (the SDK returns a plain error)."""
    tax = dec_from_proto(params.community_tax)
    if tax.is_negative():
        raise ErrInvalidRequest.wrap(f"community tax must be positive: {tax}")
    if tax > Dec.one():
        raise ErrInvalidRequest.wrap(f"community tax too large: {tax}")


# Genesis


def init_genesis(keeper: DistributionKeeper, ctx: Context, state: genesis_pb2.GenesisState) -> None:
    """Load a distribution genesis (``InitGenesis``).

    Fails when slash events are given or the params are invalid (``ErrInvalidRequest``), an
    address is malformed (``ErrInvalidAddress``), or the module account's balance differs from
    the truncated holdings (``ErrInvalidRequest``).
    """
    if state.validator_slash_events:
        raise ErrInvalidRequest.wrap("validator slash events are not supported")
    params = state.params if state.HasField("params") else default_params()
    validate_params(params)
    keeper.set_params(ctx, params)
    pool = dec_coins.from_pb(state.fee_pool.community_pool)
    if pool:
        keeper.fee_pool.set(ctx, pool)
    holdings = dict(pool)
    for info in state.delegator_withdraw_infos:
        keeper.withdraw_addresses.set(
            ctx,
            decode_account("delegator", info.delegator_address),
            decode_account("withdraw", info.withdraw_address),
        )
    for record in state.outstanding_rewards:
        rewards = dec_coins.from_pb(record.outstanding_rewards)
        keeper.outstanding_rewards.set(ctx, decode_operator(record.validator_address), rewards)
        holdings = dec_coins.add(holdings, rewards)
    for commission in state.validator_accumulated_commissions:
        keeper.accumulated_commission.set(
            ctx,
            decode_operator(commission.validator_address),
            dec_coins.from_pb(commission.accumulated.commission),
        )
    for historical in state.validator_historical_rewards:
        keeper.historical_rewards.set(
            ctx,
            (decode_operator(historical.validator_address), historical.period),
            historical_from_pb(historical.rewards),
        )
    for current in state.validator_current_rewards:
        keeper.current_rewards.set(
            ctx, decode_operator(current.validator_address), current_from_pb(current.rewards)
        )
    for starting in state.delegator_starting_infos:
        keeper.starting_infos.set(
            ctx,
            (
                decode_operator(starting.validator_address),
                decode_account("delegator", starting.delegator_address),
            ),
            starting_info_from_pb(starting.starting_info),
        )
    expected, _ = dec_coins.truncate_decimal(holdings)
    balances = keeper.bank.get_all_balances(ctx, keeper.module_address)
    if balances != expected:
        raise ErrInvalidRequest.wrap(
            "distribution module balance does not match the module holdings: "
            f"{balances} <-> {expected}"
        )


def export_genesis(keeper: DistributionKeeper, ctx: Context) -> genesis_pb2.GenesisState:
    """The distribution state as a genesis, records in store order."""

    def valoper(operator: bytes) -> str:
        return encode_address(operator, VALOPER_PREFIX)

    historical: list[tuple[bytes, int, HistoricalRewards]] = [
        (operator, period, value)
        for (operator, period), value in keeper.historical_rewards.iterate(ctx)
    ]
    current: list[tuple[bytes, CurrentRewards]] = list(keeper.current_rewards.iterate(ctx))
    starting: list[tuple[tuple[bytes, bytes], StartingInfo]] = list(
        keeper.starting_infos.iterate(ctx)
    )
    return genesis_pb2.GenesisState(
        params=keeper.get_params(ctx),
        fee_pool=FeePool(community_pool=dec_coins.to_pb(keeper.get_community_pool(ctx))),
        delegator_withdraw_infos=[
            genesis_pb2.DelegatorWithdrawInfo(
                delegator_address=encode_address(delegator),
                withdraw_address=encode_address(withdraw),
            )
            for delegator, withdraw in keeper.withdraw_addresses.iterate(ctx)
        ],
        previous_proposer="",
        outstanding_rewards=[
            genesis_pb2.ValidatorOutstandingRewardsRecord(
                validator_address=valoper(operator), outstanding_rewards=dec_coins.to_pb(rewards)
            )
            for operator, rewards in keeper.outstanding_rewards.iterate(ctx)
        ],
        validator_accumulated_commissions=[
            genesis_pb2.ValidatorAccumulatedCommissionRecord(
                validator_address=valoper(operator),
                accumulated=ValidatorAccumulatedCommission(commission=dec_coins.to_pb(commission)),
            )
            for operator, commission in keeper.accumulated_commission.iterate(ctx)
        ],
        validator_historical_rewards=[
            genesis_pb2.ValidatorHistoricalRewardsRecord(
                validator_address=valoper(operator),
                period=period,
                rewards=historical_to_pb(value),
            )
            for operator, period, value in historical
        ],
        validator_current_rewards=[
            genesis_pb2.ValidatorCurrentRewardsRecord(
                validator_address=valoper(operator), rewards=current_to_pb(value)
            )
            for operator, value in current
        ],
        delegator_starting_infos=[
            genesis_pb2.DelegatorStartingInfoRecord(
                delegator_address=encode_address(delegator),
                validator_address=valoper(operator),
                starting_info=starting_info_to_pb(value),
            )
            for (operator, delegator), value in starting
        ],
    )
