"""The module's Msg service: one handler per Msg, each of the same shape.

validate_basic (stateless, ``incentives.types.msgs``) -> authorize (signer or gov authority) ->
load -> compute -> write -> emit -> respond. A handler that raises has written nothing that
survives: the caller runs it in a store branch and drops the branch on error (SDK semantics).
The "Fails when" list of each handler is the module README's, and each bullet has a test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from google.protobuf.message import Message

from chain.sdk.context import Context
from chain.sdk.errors import SdkError
from chain.sdk.math import Coins, Dec, Int
from incentives.keeper.keeper import Keeper
from incentives.pb import events_pb2, tx_pb2
from incentives.types import codec, keys, msgs
from incentives.types.codec import pb_enum
from incentives.types.errors import (
    ErrAlreadyMember,
    ErrCapacityExceeded,
    ErrEpochNotOpen,
    ErrInvalidAuthority,
    ErrInvalidCommitment,
    ErrInvalidDenom,
    ErrInvalidParams,
    ErrInvalidPool,
    ErrInvalidRedirect,
    ErrInvalidReport,
    ErrNodeExists,
    ErrNoRewards,
    ErrNotAttester,
    ErrNotEligible,
    ErrNotMember,
    ErrNotNodeOwner,
    ErrNotPriceFeeder,
    ErrPoolClosed,
    ErrPoolEnded,
    ErrUnknownGpuModel,
)
from incentives.types.params import validate_params
from incentives.types.state import (
    AllocationRule,
    Membership,
    Node,
    NodeReport,
    Payment,
    Pool,
    PoolStatus,
    Price,
    RewardRedirect,
)


class MsgServer:
    """Handlers of ``akash.incentives.v1.Msg``."""

    def __init__(self, keeper: Keeper) -> None:
        self.keeper = keeper

    def handlers(self) -> dict[str, Callable[[Context, Any], Message]]:
        """Type URL -> handler, for the app's message router."""
        return {
            f"/{tx_pb2.DESCRIPTOR.message_types_by_name[name].full_name}": getattr(self, name)
            for name in msgs.VALIDATORS
        }

    def _authority(self, authority: str) -> None:
        if authority != self.keeper.authority:
            raise ErrInvalidAuthority.wrap(f"expected {self.keeper.authority}, got {authority}")

    def _active_pool(self, ctx: Context, pool_id: int) -> Pool:
        pool = self.keeper.get_pool(ctx, pool_id)
        if pool.status != PoolStatus.ACTIVE:
            raise ErrPoolClosed.wrap(f"pool {pool_id}")
        return pool

    def _reward_amount(self, ctx: Context, coins: Coins) -> Int:
        denom = self.keeper.get_params(ctx).reward_denom
        if coins.denoms() != (denom,):
            raise ErrInvalidDenom.wrap(f"pools hold only {denom}, got {coins}")
        return coins.amount_of(denom)

    def MsgCreatePool(
        self, ctx: Context, msg: tx_pb2.MsgCreatePool
    ) -> tx_pb2.MsgCreatePoolResponse:
        """Create a pool (gov authority).

        Fails when: validate_basic fails; the signer is not the gov authority; a GPU model in the
        eligibility or rates is not in the catalog; ``start_epoch`` is before the current epoch.
        """
        msgs.validate_create_pool(msg)
        self._authority(msg.authority)
        params = self.keeper.get_params(ctx)
        models = list(msg.eligibility.gpu_models) + [
            rate.gpu_model for rate in msg.fixed_rate.rates
        ]
        for model in models:
            if params.gpu_model(model) is None:
                raise ErrUnknownGpuModel.wrap(model)
        if msg.start_epoch < self.keeper.current_epoch(ctx):
            raise ErrInvalidPool.wrap(
                f"start_epoch {msg.start_epoch} is before the current epoch "
                f"{self.keeper.current_epoch(ctx)}"
            )
        pool_id = keys.NEXT_POOL_ID.next(ctx)
        rule = AllocationRule(msg.rule)
        pool = Pool(
            id=pool_id,
            name=msg.name,
            rule=rule,
            admin=msg.admin,
            attesters=tuple(msg.attesters),
            attestation_quorum=msg.attestation_quorum,
            eligibility=codec.eligibility_from_pb(msg.eligibility),
            fixed_rate=(
                codec.fixed_rate_from_pb(msg.fixed_rate)
                if rule == AllocationRule.FIXED_RATE
                else None
            ),
            pro_rata=codec.pro_rata_from_pb(msg.pro_rata)
            if rule == AllocationRule.PRO_RATA
            else None,
            availability=(
                codec.availability_from_pb(msg.availability)
                if rule == AllocationRule.AVAILABILITY
                else None
            ),
            start_epoch=msg.start_epoch,
            end_epoch=msg.end_epoch,
        )
        self.keeper.set_pool(ctx, pool)
        ctx.emit(
            events_pb2.EventPoolCreated(
                pool_id=pool_id,
                name=pool.name,
                rule=pb_enum(rule),
                start_epoch=pool.start_epoch,
                end_epoch=pool.end_epoch,
            )
        )
        return tx_pb2.MsgCreatePoolResponse(pool_id=pool_id)

    def MsgUpdateParams(
        self, ctx: Context, msg: tx_pb2.MsgUpdateParams
    ) -> tx_pb2.MsgUpdateParamsResponse:
        """Replace the params (gov authority).

        Fails when: validate_basic fails; the signer is not the gov authority; no params are
        given; the params are invalid (``validate_params``, or an enum value the module does not
        know); the reward denom changes while a pool holds a balance or unclaimed accruals.
        """
        msgs.validate_update_params(msg)
        self._authority(msg.authority)
        if not msg.HasField("params"):
            raise ErrInvalidParams.wrap("params must be given")
        try:
            params = codec.params_from_pb(msg.params)
        except SdkError as err:
            raise ErrInvalidParams.wrap(err.log) from None
        validate_params(params)
        current = self.keeper.get_params(ctx)
        if params.reward_denom != current.reward_denom:
            holding = [pool.id for pool in self.keeper.pools(ctx) if pool.balance + pool.accrued]
            if holding:
                raise ErrInvalidParams.wrap(
                    f"reward_denom cannot change while pools {holding} hold {current.reward_denom}"
                )
        self.keeper.set_params(ctx, params)
        ctx.emit(events_pb2.EventParamsUpdated(authority=msg.authority))
        return tx_pb2.MsgUpdateParamsResponse()

    def MsgFundPoolFromCommunityPool(
        self, ctx: Context, msg: tx_pb2.MsgFundPoolFromCommunityPool
    ) -> tx_pb2.MsgFundPoolFromCommunityPoolResponse:
        """Move community-pool funds into a pool (gov authority).

        Fails when: validate_basic fails; the signer is not the gov authority; the pool does not
        exist or is closed; the amount is not in the reward denom; the community pool holds less.
        """
        msgs.validate_fund_pool_from_community_pool(msg)
        self._authority(msg.authority)
        pool = self._active_pool(ctx, msg.pool_id)
        amount = self._reward_amount(ctx, msgs.coins_from_pb("amount", msg.amount))
        self.keeper.fund_pool_from_community_pool(ctx, pool, amount)
        return tx_pb2.MsgFundPoolFromCommunityPoolResponse()

    def MsgFundPool(self, ctx: Context, msg: tx_pb2.MsgFundPool) -> tx_pb2.MsgFundPoolResponse:
        """Fund a pool from the signer's account (anyone).

        Fails when: validate_basic fails; the pool does not exist or is closed; the amount is not
        in the reward denom; the depositor's balance is too low.
        """
        msgs.validate_fund_pool(msg)
        depositor = msgs.check_address("depositor", msg.depositor)
        pool = self._active_pool(ctx, msg.pool_id)
        amount = self._reward_amount(ctx, msgs.coins_from_pb("amount", msg.amount))
        self.keeper.fund_pool_from_account(ctx, pool, depositor, msg.depositor, amount)
        return tx_pb2.MsgFundPoolResponse()

    def MsgRegisterNode(
        self, ctx: Context, msg: tx_pb2.MsgRegisterNode
    ) -> tx_pb2.MsgRegisterNodeResponse:
        """Register a node of the signer.

        Fails when: validate_basic fails; the GPU model is not in the catalog; the node id is taken.
        """
        msgs.validate_register_node(msg)
        if self.keeper.get_params(ctx).gpu_model(msg.gpu_model) is None:
            raise ErrUnknownGpuModel.wrap(msg.gpu_model)
        if keys.NODES.has(ctx, msg.node_id):
            raise ErrNodeExists.wrap(msg.node_id)
        node = Node(
            id=msg.node_id,
            owner=msg.owner,
            gpu_model=msg.gpu_model,
            gpu_count=msg.gpu_count,
            benchmark_score=msg.benchmark_score,
            registered_time=ctx.block_time,
            registered_epoch=self.keeper.current_epoch(ctx),
        )
        keys.NODES.set(ctx, node.id, node)
        keys.NODES_BY_OWNER.add(ctx, (node.owner, node.id))
        ctx.emit(
            events_pb2.EventNodeRegistered(
                node_id=node.id,
                owner=node.owner,
                gpu_model=node.gpu_model,
                gpu_count=node.gpu_count,
            )
        )
        return tx_pb2.MsgRegisterNodeResponse()

    def MsgJoinPool(self, ctx: Context, msg: tx_pb2.MsgJoinPool) -> tx_pb2.MsgJoinPoolResponse:
        """Join a node to a pool.

        Fails when: validate_basic fails; the node does not exist or the signer does not own it;
        the pool does not exist, is closed or its term has ended; the node already joined; the
        node fails the pool's eligibility (vendor, model, memory, launch year, nodes per
        provider); a FIXED_RATE pool without a commitment, with one shorter than the minimum
        term, or with a model it has no rate for or whose GPU cap would be exceeded; a
        commitment given to a pool of another rule.
        """
        msgs.validate_join_pool(msg)
        node = self.keeper.get_node(ctx, msg.node_id)
        if node.owner != msg.owner:
            raise ErrNotNodeOwner.wrap(f"node {node.id} belongs to {node.owner}")
        pool = self._active_pool(ctx, msg.pool_id)
        current = self.keeper.current_epoch(ctx)
        if current > pool.end_epoch:
            raise ErrPoolEnded.wrap(f"pool {pool.id} ended at epoch {pool.end_epoch}")
        if keys.MEMBERSHIPS.has(ctx, (pool.id, node.id)):
            raise ErrAlreadyMember.wrap(f"node {node.id} in pool {pool.id}")
        self._check_eligibility(ctx, pool, node)
        until_epoch = self._check_commitment(ctx, pool, node, msg, current)
        membership = Membership(
            pool_id=pool.id,
            node_id=node.id,
            owner=node.owner,
            joined_epoch=current,
            until_epoch=until_epoch,
        )
        keys.MEMBERSHIPS.set(ctx, (pool.id, node.id), membership)
        keys.MEMBERSHIPS_BY_NODE.add(ctx, (node.id, pool.id))
        count = keys.PROVIDER_NODES.get(ctx, (pool.id, node.owner)) or 0
        keys.PROVIDER_NODES.set(ctx, (pool.id, node.owner), count + 1)
        if pool.rule == AllocationRule.FIXED_RATE:
            committed = keys.COMMITTED_GPUS.get(ctx, (pool.id, node.gpu_model)) or 0
            keys.COMMITTED_GPUS.set(ctx, (pool.id, node.gpu_model), committed + node.gpu_count)
        ctx.emit(
            events_pb2.EventPoolJoined(
                pool_id=pool.id, node_id=node.id, owner=node.owner, until_epoch=until_epoch
            )
        )
        return tx_pb2.MsgJoinPoolResponse()

    def _check_eligibility(self, ctx: Context, pool: Pool, node: Node) -> None:
        rules = pool.eligibility
        model = self.keeper.get_params(ctx).gpu_model(node.gpu_model)
        if model is None:
            raise ErrUnknownGpuModel.wrap(node.gpu_model)
        reasons = []
        if rules.vendors and model.vendor not in rules.vendors:
            reasons.append(f"vendor {model.vendor.name} not allowed")
        if rules.gpu_models and model.name not in rules.gpu_models:
            reasons.append(f"gpu model {model.name} not allowed")
        if model.vram_gb < rules.min_vram_gb:
            reasons.append(f"{model.vram_gb} GB VRAM is below {rules.min_vram_gb} GB")
        if model.launch_year < rules.min_launch_year:
            reasons.append(f"launched {model.launch_year}, before {rules.min_launch_year}")
        if rules.max_nodes_per_provider:
            count = keys.PROVIDER_NODES.get(ctx, (pool.id, node.owner)) or 0
            if count >= rules.max_nodes_per_provider:
                reasons.append(f"provider already has {count} nodes in the pool")
        if reasons:
            raise ErrNotEligible.wrap(f"node {node.id}: {'; '.join(reasons)}")

    def _check_commitment(
        self, ctx: Context, pool: Pool, node: Node, msg: tx_pb2.MsgJoinPool, current: int
    ) -> int:
        if pool.rule != AllocationRule.FIXED_RATE or pool.fixed_rate is None:
            if msg.HasField("commitment"):
                raise ErrInvalidCommitment.wrap("only fixed-rate pools take a commitment")
            return 0
        if not msg.HasField("commitment"):
            raise ErrInvalidCommitment.wrap("a fixed-rate pool needs a commitment")
        # A commitment covers at least the first epoch the node can be paid for.
        term = max(pool.fixed_rate.min_commitment_epochs, 1)
        minimum = max(current, pool.start_epoch) + term - 1
        if msg.commitment.until_epoch < minimum:
            raise ErrInvalidCommitment.wrap(
                f"commitment until epoch {msg.commitment.until_epoch} is shorter than the "
                f"minimum term of {pool.fixed_rate.min_commitment_epochs} epochs (until {minimum})"
            )
        rate = pool.fixed_rate.rate_of(node.gpu_model)
        if rate is None:
            raise ErrNotEligible.wrap(f"pool {pool.id} has no rate for {node.gpu_model}")
        committed = keys.COMMITTED_GPUS.get(ctx, (pool.id, node.gpu_model)) or 0
        if rate.max_gpus and committed + node.gpu_count > rate.max_gpus:
            raise ErrCapacityExceeded.wrap(
                f"{node.gpu_model}: {committed} of {rate.max_gpus} GPUs committed, "
                f"{node.gpu_count} more requested"
            )
        return msg.commitment.until_epoch

    def MsgSubmitAttestation(
        self, ctx: Context, msg: tx_pb2.MsgSubmitAttestation
    ) -> tx_pb2.MsgSubmitAttestationResponse:
        """Record an attester's per-node uptime for one epoch of a pool (replaces the attester's
        earlier report of the same node and epoch).

        Fails when: validate_basic fails; more reports than ``max_reports_per_attestation``; the
        pool does not exist or is closed; the signer is not one of its attesters; the epoch is
        outside the pool's term, not started yet, or already finalized; a reported node has not
        joined the pool, or joined after the epoch; a report claims more seconds than an epoch has.
        """
        msgs.validate_submit_attestation(msg)
        params = self.keeper.get_params(ctx)
        if len(msg.reports) > params.max_reports_per_attestation:
            raise ErrInvalidReport.wrap(
                f"{len(msg.reports)} reports, limit {params.max_reports_per_attestation}"
            )
        pool = self._active_pool(ctx, msg.pool_id)
        if msg.attester not in pool.attesters:
            raise ErrNotAttester.wrap(f"{msg.attester} for pool {pool.id}")
        current = self.keeper.current_epoch(ctx)
        if not pool.start_epoch <= msg.epoch <= min(pool.end_epoch, current):
            raise ErrEpochNotOpen.wrap(
                f"epoch {msg.epoch}: pool term {pool.start_epoch}-{pool.end_epoch}, "
                f"current epoch {current}"
            )
        if msg.epoch <= pool.last_finalized_epoch:
            raise ErrEpochNotOpen.wrap(f"epoch {msg.epoch} is already finalized")
        epoch_seconds = self.keeper.epoch_state(ctx).epoch_duration_seconds
        for report in msg.reports:
            membership = keys.MEMBERSHIPS.get(ctx, (pool.id, report.node_id))
            if membership is None:
                raise ErrNotMember.wrap(f"node {report.node_id} in pool {pool.id}")
            if membership.joined_epoch > msg.epoch:
                raise ErrNotMember.wrap(
                    f"node {report.node_id} joined at epoch {membership.joined_epoch}"
                )
            if report.online_seconds > epoch_seconds:
                raise ErrInvalidReport.wrap(
                    f"node {report.node_id}: {report.online_seconds}s online in a "
                    f"{epoch_seconds}s epoch"
                )
        for report in msg.reports:
            keys.ATTESTATIONS.set(
                ctx,
                (pool.id, msg.epoch, report.node_id, msg.attester),
                NodeReport(
                    node_id=report.node_id,
                    online_seconds=report.online_seconds,
                    idle_seconds=report.idle_seconds,
                    benchmark_score=report.benchmark_score,
                ),
            )
        ctx.emit(
            events_pb2.EventAttestationSubmitted(
                pool_id=pool.id, epoch=msg.epoch, attester=msg.attester, reports=len(msg.reports)
            )
        )
        return tx_pb2.MsgSubmitAttestationResponse()

    def MsgPostPrice(self, ctx: Context, msg: tx_pb2.MsgPostPrice) -> tx_pb2.MsgPostPriceResponse:
        """Post the AKT/USD price (appointed price feeders).

        Fails when: validate_basic fails; the signer is not in ``params.price_feeders``.
        """
        msgs.validate_post_price(msg)
        if msg.feeder not in self.keeper.get_params(ctx).price_feeders:
            raise ErrNotPriceFeeder.wrap(msg.feeder)
        price = Price(akt_usd=Dec.from_str(msg.akt_usd), time=ctx.block_time, feeder=msg.feeder)
        keys.PRICE.set(ctx, price)
        ctx.emit(
            events_pb2.EventPricePosted(
                akt_usd=str(price.akt_usd), feeder=price.feeder, time=price.time
            )
        )
        return tx_pb2.MsgPostPriceResponse()

    def MsgClaimRewards(
        self, ctx: Context, msg: tx_pb2.MsgClaimRewards
    ) -> tx_pb2.MsgClaimRewardsResponse:
        """Pay the signer every accrual it has (in one pool, or in all with ``pool_id`` 0).

        Fails when: validate_basic fails; a given pool does not exist; nothing has accrued.
        """
        msgs.validate_claim_rewards(msg)
        provider = msgs.check_address("provider", msg.provider)
        prefix: tuple[Any, ...] = (msg.provider,)
        if msg.pool_id:
            self.keeper.get_pool(ctx, msg.pool_id)
            prefix = (msg.provider, msg.pool_id)
        accruals = list(keys.ACCRUALS.values(ctx, prefix=prefix))
        if not accruals:
            raise ErrNoRewards.wrap(f"{msg.provider} has no accrued rewards")
        total = Int(0)
        for accrual in accruals:
            pool = self.keeper.get_pool(ctx, accrual.pool_id)
            self.keeper.set_pool(
                ctx,
                replace(
                    pool, accrued=pool.accrued - accrual.amount, paid=pool.paid + accrual.amount
                ),
            )
            self.keeper.remove_accrual(ctx, accrual)
            payment = Payment(
                id=keys.NEXT_PAYMENT_ID.next(ctx),
                pool_id=accrual.pool_id,
                epoch=accrual.epoch,
                provider=msg.provider,
                amount=accrual.amount,
                height=ctx.height,
                time=ctx.block_time,
            )
            keys.PAYMENTS.set(ctx, payment.id, payment)
            keys.PAYMENTS_BY_POOL.add(ctx, (payment.pool_id, payment.id))
            total += accrual.amount
            ctx.emit(
                events_pb2.EventRewardsClaimed(
                    provider=msg.provider,
                    pool_id=payment.pool_id,
                    amount=str(payment.amount),
                    payment_id=payment.id,
                    epoch=payment.epoch,
                )
            )
        coins = self.keeper.reward_coins(ctx, total)
        self.keeper.bank.send_coins_from_module_to_account(ctx, keys.MODULE_NAME, provider, coins)
        return tx_pb2.MsgClaimRewardsResponse(
            amount=[CoinPb(denom=coin.denom, amount=str(coin.amount)) for coin in coins]
        )

    def MsgSetRewardRedirect(
        self, ctx: Context, msg: tx_pb2.MsgSetRewardRedirect
    ) -> tx_pb2.MsgSetRewardRedirectResponse:
        """Send a share of the signer's staking rewards to a pool; 0 bps opts out.

        Fails when: validate_basic fails; opting in to a pool that does not exist or is closed;
        the delegator's shares over all pools would exceed 10000 bps; opting out of a pool
        without a redirect.
        """
        msgs.validate_set_reward_redirect(msg)
        existing = keys.REDIRECTS.get(ctx, (msg.delegator, msg.pool_id))
        if msg.bps == 0:
            if existing is None:
                raise ErrInvalidRedirect.wrap(f"no redirect to pool {msg.pool_id} to remove")
            keys.REDIRECTS.remove(ctx, (msg.delegator, msg.pool_id))
        else:
            self._active_pool(ctx, msg.pool_id)
            others = sum(
                redirect.bps
                for redirect in keys.REDIRECTS.values(ctx, prefix=(msg.delegator,))
                if redirect.pool_id != msg.pool_id
            )
            if others + msg.bps > keys.BPS_DENOMINATOR:
                raise ErrInvalidRedirect.wrap(
                    f"{others} bps already redirected; {msg.bps} more exceeds "
                    f"{keys.BPS_DENOMINATOR}"
                )
            keys.REDIRECTS.set(
                ctx,
                (msg.delegator, msg.pool_id),
                RewardRedirect(
                    delegator=msg.delegator,
                    pool_id=msg.pool_id,
                    bps=msg.bps,
                    contributed=existing.contributed if existing else Int(0),
                ),
            )
        ctx.emit(
            events_pb2.EventRewardRedirectSet(
                delegator=msg.delegator, pool_id=msg.pool_id, bps=msg.bps
            )
        )
        return tx_pb2.MsgSetRewardRedirectResponse()

    def MsgClosePool(self, ctx: Context, msg: tx_pb2.MsgClosePool) -> tx_pb2.MsgClosePoolResponse:
        """Close a pool now and return its balance to the community pool (gov authority).

        Fails when: validate_basic fails; the signer is not the gov authority; the pool does not
        exist or is already closed.
        """
        msgs.validate_close_pool(msg)
        self._authority(msg.authority)
        pool = self._active_pool(ctx, msg.pool_id)
        returned = pool.balance
        self.keeper.close_pool(ctx, pool, reason="closed by governance")
        coins = self.keeper.reward_coins(ctx, returned)
        return tx_pb2.MsgClosePoolResponse(
            returned=[CoinPb(denom=coin.denom, amount=str(coin.amount)) for coin in coins]
        )
