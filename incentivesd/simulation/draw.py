"""Draws the random ops of a run: weighted valid and invalid txs over every Msg of every module.

Everything comes from one ``random.Random(seed)``: the genesis, then per block a time gap (mostly
hours, sometimes across an epoch end, sometimes a multi-day halt) and ``ops_per_block`` ops. Each
op draws its values from a child RNG seeded by one draw of the block's RNG, so removing an op
does not shift later ones. About a fifth of the ops are deliberately invalid and must fail.

Ops are drawn from sim-side indexes (validators, delegations, pools, members, nodes, proposals
in their deposit or voting period, redirects), kept up to date from each block's tx results and
events, so drawing never scans state. The ops of a block are drawn from what the indexes knew
when the block started (less the proposals a cancel drawn in the block takes away), so an op may
be refused by state another op of the same block changed: only ops no other op can spoil are
marked ``expected_ok`` True.

Authority Msgs (incentives pools and params, community-pool spends) go through gov: a proposal
is submitted with them, deposited on, voted on by the validators and delegators, and executed
when its voting period ends a few blocks later. Invalid ops: the shared invalid incentives Msgs
(``invalid_incentives``; those with gov authority as proposals, which must not pass), invalid
bank, distribution, staking and gov Msgs, and txs the ante handler must refuse (``TAMPERS``).

Fails when: never; a builder returns None when the indexes offer nothing to aim at yet.
"""

from __future__ import annotations

import bisect
import dataclasses
import random
from collections.abc import Callable
from itertools import accumulate

from cosmpy.protos.cosmos.bank.v1beta1 import bank_pb2
from cosmpy.protos.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from cosmpy.protos.cosmos.distribution.v1beta1 import distribution_pb2
from cosmpy.protos.cosmos.distribution.v1beta1 import tx_pb2 as distribution_tx
from cosmpy.protos.cosmos.gov.v1 import gov_pb2
from cosmpy.protos.cosmos.gov.v1 import tx_pb2 as gov_tx
from cosmpy.protos.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.message import Message

from chain.modules.gov.keeper import default_params as gov_params
from chain.modules.staking import VALOPER_PREFIX
from chain.sdk.address import encode_address, module_address_text
from chain.sdk.events import parse_typed_event
from chain.sdk.math import Dec
from chain.tx import signers_of
from incentives.pb import events_pb2, params_pb2, tx_pb2, types_pb2
from incentives.types import codec, keys
from incentives.types.params import DEFAULT_GPU_MODELS, DEFAULT_PARAMS
from incentivesd.simulation.genesis import DENOM, GENESIS_TIME, Genesis
from incentivesd.simulation.invalid_incentives import InvalidTargets, invalid_incentive_msgs
from incentivesd.simulation.oplog import Block, Op
from incentivesd.simulation.report import Report
from incentivesd.simulation.runner import BlockOutcome, ExtraInvariant, Runner
from incentivesd.simulation.signing import TAMPERS

DAY = 86_400
GOV = keys.GOV_AUTHORITY
INVALID_SHARE_PERCENT = 20
MAX_LIVE_POOLS = 6
CATALOG = tuple(model.name for model in DEFAULT_GPU_MODELS)
PRICES = ("0.25", "1", "2.5", "3.141592653589793238")
YES, ABSTAIN, NO, VETO = 1, 2, 3, 4
POOL_CREATED = events_pb2.EventPoolCreated.DESCRIPTOR.full_name
POOL_CLOSED = events_pb2.EventPoolClosed.DESCRIPTOR.full_name

Builder = Callable[[random.Random], Op | None]


def coins(amount: int, denom: str = DENOM) -> list[Coin]:
    return [Coin(denom=denom, amount=str(amount))]


def amount(rng: random.Random, digits: int = 8) -> int:
    """A positive amount spread over orders of magnitude (1 .. 10**digits)."""
    return rng.randint(1, 10 ** rng.randint(1, digits))


def _rates() -> list[types_pb2.ModelRate]:
    return [
        types_pb2.ModelRate(gpu_model="h100", usd_micros_per_gpu_hour=2_490_000, max_gpus=83),
        types_pb2.ModelRate(gpu_model="a100-80gb", usd_micros_per_gpu_hour=1_690_000, max_gpus=54),
        types_pb2.ModelRate(gpu_model="rtx4090", usd_micros_per_gpu_hour=350_000, max_gpus=16),
    ]


def _eligibility(choice: int) -> types_pb2.Eligibility:
    if choice == 1:
        return types_pb2.Eligibility(vendors=[params_pb2.VENDOR_NVIDIA], min_vram_gb=24)
    if choice == 2:
        return types_pb2.Eligibility(
            vendors=[params_pb2.VENDOR_NVIDIA, params_pb2.VENDOR_AMD], min_launch_year=2024
        )
    if choice == 3:
        return types_pb2.Eligibility(max_nodes_per_provider=2)
    return types_pb2.Eligibility()


def _pack(msgs: list[Message]) -> list[AnyPb]:
    packed = []
    for msg in msgs:
        item = AnyPb()
        item.Pack(msg, type_url_prefix="/")
        packed.append(item)
    return packed


@dataclasses.dataclass
class PoolView:
    """What the sim knows of a pool: enough to draw joins and attestations."""

    id: int
    start_epoch: int
    min_commitment: int  # 0 unless the pool pays fixed rates
    attesters: tuple[int, ...]
    members: list[tuple[str, int]] = dataclasses.field(default_factory=list)  # (node, joined)


class Simulation:
    """The indexes of a run and the op builders that draw from them."""

    def __init__(
        self,
        seed: int,
        ops_per_block: int,
        invariants: tuple[ExtraInvariant, ...] = (),
        export_at: int | None = None,
        mix: dict[str, int] | None = None,
        invalid_percent: int = INVALID_SHARE_PERCENT,
    ) -> None:
        """``mix`` replaces the weights of the valid ops (builder name -> weight; only those
        named are drawn); ``invalid_percent`` is the share of deliberately invalid ops."""
        self.seed = seed
        self.rng = random.Random(seed)
        self.ops_per_block = ops_per_block
        self.genesis = Genesis.random(random.Random(self.rng.getrandbits(64)))
        self.runner_args = (invariants, export_at)
        g = self.genesis
        self.count = g.count
        self.addresses = [account.address for account in g.accounts()]
        self.valopers = [
            encode_address(account.address_bytes, VALOPER_PREFIX) for account in g.accounts()
        ]
        self.index_of = {address: index for index, address in enumerate(self.addresses)}
        self.validators = [index for index, _, _ in g.validators]
        self.delegations: list[tuple[int, int]] = sorted(
            {(index, index) for index in self.validators}
            | {(delegator, validator) for delegator, validator, _ in g.delegations}
        )
        self.delegation_set = set(self.delegations)
        self.pools: dict[int, PoolView] = {}
        self.live_pools: list[int] = []
        self.closed_pools: list[int] = []
        self.nodes: list[tuple[str, int]] = []
        self.next_node = 0
        self.deposit_period: list[int] = []
        self.voting_period: list[int] = []
        self.redirects: list[tuple[int, int]] = []
        self.redirect_set: set[tuple[int, int]] = set()
        self.log: list[Block] = []
        self.block = 0
        self.op_count = 0
        self.submitted_by: dict[int, int] = {}  # proposal id -> id of the op that submitted it
        self.proposers: dict[int, int] = {}  # proposal id -> proposer account
        self.voted: dict[int, set[int]] = {}  # proposal id -> accounts that voted on it
        self.epoch = 0
        self.time = GENESIS_TIME
        self.next_pool_id = 1
        self.outsider = g.outsider
        valid: list[tuple[int, Builder]] = [
            (8, self.bank_send),
            (2, self.bank_multi_send),
            (4, self.withdraw_rewards),
            (1, self.set_withdraw_address),
            (2, self.fund_community_pool),
            (1, self.withdraw_commission),
            (1, self.deposit_validator_rewards),
            (3, self.delegate),
            (1, self.undelegate),
            (2, self.submit_proposal),
            (2, self.deposit),
            (14, self.vote),
            (3, self.vote_weighted),
            (1, self.cancel_proposal),
            (3, self.fund_pool),
            (5, self.register_node),
            (6, self.join_pool),
            (10, self.attest),
            (4, self.post_price),
            (4, self.claim),
            (2, self.set_redirect),
            (1, self.unset_redirect),
        ]
        if mix is not None:
            valid = [(mix[b.__name__], b) for _, b in valid if mix.get(b.__name__)]
        self.invalid_percent = invalid_percent
        self.builders = [builder for _, builder in valid]
        self.cumulative = list(accumulate(weight for weight, _ in valid))

    # Running

    def run(self, blocks: int, on_block: Callable[[int], None] | None = None) -> Runner:
        runner = Runner(self.genesis, Report(self.seed), *self.runner_args)
        self.log.clear()
        for number in range(1, blocks + 1):
            self.block = number
            block_rng = random.Random(self.rng.getrandbits(64))
            self.time = self.next_time(block_rng)
            if self.time >= GENESIS_TIME + self.epoch * DAY:
                self.epoch += 1  # the block's begin-block starts the next epoch (one at most)
            block = Block(number, self.time)
            for _ in range(self.ops_per_block):
                op = self.draw(random.Random(block_rng.getrandbits(64)))
                if op is not None:
                    block.ops.append(op)
            outcome = runner.run_block(block)
            self.log.append(self._recorded(block, outcome))
            if on_block is not None:
                on_block(number)
            if outcome is None or runner.stopped:
                break
            self.observe(runner, outcome)
        return runner

    @staticmethod
    def _recorded(block: Block, outcome: BlockOutcome | None) -> Block:
        if outcome is None:
            return block
        ops = [dataclasses.replace(op, ok=tx.ok) for op, tx in outcome.results]
        return Block(block.number, block.time, ops)

    def next_time(self, rng: random.Random) -> int:
        """A block time: mostly hours apart, sometimes just past an epoch end or after a halt."""
        now = self.time
        kind = rng.randrange(10)
        if kind < 6:
            return now + rng.randint(1, DAY // 4)
        if kind < 9:
            boundary = GENESIS_TIME + self.epoch * DAY
            if rng.random() < 0.5 and boundary - 60 > now:
                return boundary - 60
            return max(now + 1, boundary + rng.randint(0, 600))
        return now + rng.randint(DAY, 3 * DAY)

    def draw(self, rng: random.Random) -> Op | None:
        if rng.randrange(100) < self.invalid_percent:
            return self.invalid(rng)
        pick = bisect.bisect_right(self.cumulative, rng.randrange(self.cumulative[-1]))
        return self.builders[pick](rng)

    def op(
        self,
        signer: int,
        msgs: list[Message],
        name: str,
        rng: random.Random,
        expected: bool | None = None,
    ) -> Op:
        fee = rng.choice((0, 0, 200, rng.randint(1, 20_000)))
        self.op_count += 1
        return Op(self.block, signer, tuple(msgs), name, fee, None, expected, id=self.op_count)

    # Index upkeep

    def observe(self, runner: Runner, outcome: BlockOutcome) -> None:
        """Update the indexes from the block's tx results and events."""
        ctx = runner.app.query_context()
        self.epoch = runner.app.incentives.keeper.current_epoch(ctx)
        new_pools: list[int] = []
        for op, tx in outcome.results:
            if not tx.ok:
                continue
            msg = op.msgs[0]
            if isinstance(msg, tx_pb2.MsgRegisterNode):
                self.nodes.append((msg.node_id, self.index_of[msg.owner]))
            elif isinstance(msg, tx_pb2.MsgJoinPool):
                pool = self.pools.get(msg.pool_id)
                if pool is not None:
                    pool.members.append((msg.node_id, self.epoch))
            elif isinstance(msg, tx_pb2.MsgSetRewardRedirect):
                key = (self.index_of[msg.delegator], msg.pool_id)
                if msg.bps and key not in self.redirect_set:
                    self.redirect_set.add(key)
                    bisect.insort(self.redirects, key)
                elif not msg.bps and key in self.redirect_set:
                    self.redirect_set.discard(key)
                    self.redirects.remove(key)
            elif isinstance(msg, gov_tx.MsgCancelProposal):
                self._forget_proposal(msg.proposal_id)
            elif isinstance(msg, staking_tx.MsgDelegate):
                key = (self.index_of[msg.delegator_address], self._validator_index(msg))
                if key not in self.delegation_set:
                    self.delegation_set.add(key)
                    bisect.insort(self.delegations, key)
            for event in tx.events:
                if event.type == "submit_proposal" and event.attribute("proposal_id"):
                    proposal_id = int(event.attribute("proposal_id") or 0)
                    self.deposit_period.append(proposal_id)
                    self.submitted_by[proposal_id] = op.id
                    self.proposers[proposal_id] = op.signer
                started = event.attribute("voting_period_start")
                if started and event.type in ("submit_proposal", "proposal_deposit"):
                    self._start_voting(int(started))
        for event in outcome.events:
            if event.type in ("active_proposal", "inactive_proposal"):
                proposal_id = int(event.attribute("proposal_id") or 0)
                if event.attribute("proposal_result") != "expedited_proposal_rejected":
                    self._forget_proposal(proposal_id)
            elif event.type == POOL_CREATED:
                created = events_pb2.EventPoolCreated()
                parse_typed_event(event, created)
                new_pools.append(created.pool_id)
            elif event.type == POOL_CLOSED:
                closed = events_pb2.EventPoolClosed()
                parse_typed_event(event, closed)
                if closed.pool_id in self.live_pools:
                    self.live_pools.remove(closed.pool_id)
                    self.closed_pools.append(closed.pool_id)
        keeper = runner.app.incentives.keeper
        for pool_id in new_pools:
            state = keeper.get_pool(ctx, pool_id)
            commitment = state.fixed_rate.min_commitment_epochs if state.fixed_rate else 0
            attesters = tuple(self.index_of[a] for a in state.attesters if a in self.index_of)
            self.pools[pool_id] = PoolView(pool_id, state.start_epoch, commitment, attesters)
            self.live_pools.append(pool_id)
            self.next_pool_id = max(self.next_pool_id, pool_id + 1)

    def _start_voting(self, proposal_id: int) -> None:
        if proposal_id in self.deposit_period:
            self.deposit_period.remove(proposal_id)
            self.voting_period.append(proposal_id)

    def _forget_proposal(self, proposal_id: int) -> None:
        for queue in (self.deposit_period, self.voting_period):
            if proposal_id in queue:
                queue.remove(proposal_id)
        self.submitted_by.pop(proposal_id, None)
        self.proposers.pop(proposal_id, None)
        self.voted.pop(proposal_id, None)

    def aimed(self, op: Op) -> Op:
        """``op`` (a deposit or vote) tied to the op that submitted its proposal."""
        proposal_id: int = op.msgs[0].proposal_id  # type: ignore[attr-defined]
        return dataclasses.replace(op, proposal_of=self.submitted_by.get(proposal_id))

    def _validator_index(self, msg: staking_tx.MsgDelegate) -> int:
        return self.valopers.index(msg.validator_address)

    # Helpers

    def account(self, rng: random.Random) -> int:
        return rng.randrange(self.count)

    def delegator(self, rng: random.Random) -> int:
        return rng.randrange(self.genesis.delegators)

    def pool_id(self, rng: random.Random) -> int | None:
        if self.live_pools and (not self.closed_pools or rng.random() < 0.9):
            return rng.choice(self.live_pools)
        return rng.choice(self.closed_pools) if self.closed_pools else None

    # bank

    def bank_send(self, rng: random.Random) -> Op:
        sender, receiver = self.account(rng), self.account(rng)
        msg = bank_tx.MsgSend(
            from_address=self.addresses[sender],
            to_address=self.addresses[receiver],
            amount=coins(amount(rng)),
        )
        return self.op(sender, [msg], "bank-send", rng)

    def bank_multi_send(self, rng: random.Random) -> Op:
        sender = self.account(rng)
        outputs = [
            bank_pb2.Output(address=self.addresses[self.account(rng)], coins=coins(amount(rng, 6)))
            for _ in range(rng.randint(1, 3))
        ]
        total = sum(int(output.coins[0].amount) for output in outputs)
        msg = bank_tx.MsgMultiSend(
            inputs=[bank_pb2.Input(address=self.addresses[sender], coins=coins(total))],
            outputs=outputs,
        )
        return self.op(sender, [msg], "bank-multi-send", rng)

    # distribution

    def withdraw_rewards(self, rng: random.Random) -> Op:
        delegator, validator = rng.choice(self.delegations)
        msg = distribution_tx.MsgWithdrawDelegatorReward(
            delegator_address=self.addresses[delegator],
            validator_address=self.valopers[validator],
        )
        return self.op(delegator, [msg], "withdraw-rewards", rng)

    def set_withdraw_address(self, rng: random.Random) -> Op:
        delegator = self.delegator(rng)
        target = delegator if rng.random() < 0.3 else self.account(rng)
        msg = distribution_tx.MsgSetWithdrawAddress(
            delegator_address=self.addresses[delegator], withdraw_address=self.addresses[target]
        )
        return self.op(delegator, [msg], "set-withdraw-address", rng, True)

    def fund_community_pool(self, rng: random.Random) -> Op:
        depositor = self.account(rng)
        msg = distribution_tx.MsgFundCommunityPool(
            depositor=self.addresses[depositor], amount=coins(amount(rng))
        )
        return self.op(depositor, [msg], "fund-community-pool", rng)

    def withdraw_commission(self, rng: random.Random) -> Op:
        validator = rng.choice(self.validators)
        msg = distribution_tx.MsgWithdrawValidatorCommission(
            validator_address=self.valopers[validator]
        )
        return self.op(validator, [msg], "withdraw-commission", rng)

    def deposit_validator_rewards(self, rng: random.Random) -> Op:
        depositor = self.account(rng)
        msg = distribution_tx.MsgDepositValidatorRewardsPool(
            depositor=self.addresses[depositor],
            validator_address=self.valopers[rng.choice(self.validators)],
            amount=coins(amount(rng, 7)),
        )
        return self.op(depositor, [msg], "deposit-validator-rewards", rng)

    # staking

    def delegate(self, rng: random.Random) -> Op:
        delegator, validator = self.delegator(rng), rng.choice(self.validators)
        msg = staking_tx.MsgDelegate(
            delegator_address=self.addresses[delegator],
            validator_address=self.valopers[validator],
            amount=Coin(denom=DENOM, amount=str(amount(rng, 9))),
        )
        return self.op(delegator, [msg], "delegate", rng)

    def undelegate(self, rng: random.Random) -> Op:
        delegator, validator = rng.choice(self.delegations)
        msg = staking_tx.MsgUndelegate(
            delegator_address=self.addresses[delegator],
            validator_address=self.valopers[validator],
            amount=Coin(denom=DENOM, amount=str(amount(rng, 7))),
        )
        return self.op(delegator, [msg], "undelegate", rng)

    # gov

    def proposal(
        self, rng: random.Random, msgs: list[Message], name: str, expected: bool | None = True
    ) -> Op:
        proposer = self.account(rng)
        deposit = self.genesis.min_deposit
        if rng.random() < 0.3:
            deposit = rng.randint(1, deposit - 1)
        msg = gov_tx.MsgSubmitProposal(
            messages=_pack(msgs),
            initial_deposit=coins(deposit),
            proposer=self.addresses[proposer],
            title=name,
            summary=f"simulated {name}",
            metadata="" if msgs else "ipfs://sim-text-proposal",
        )
        return self.op(proposer, [msg], name, rng, expected)

    def submit_proposal(self, rng: random.Random) -> Op:
        kind = rng.randrange(10)
        if kind < 3 and len(self.live_pools) < MAX_LIVE_POOLS:
            return self.proposal(rng, [self.create_pool_msg(rng)], "proposal-create-pool")
        pool = self.pool_id(rng)
        if kind < 5 and pool is not None:
            msg: Message = tx_pb2.MsgFundPoolFromCommunityPool(
                authority=GOV, pool_id=pool, amount=coins(amount(rng, 9))
            )
            return self.proposal(rng, [msg], "proposal-fund-pool")
        if kind == 5 and len(self.live_pools) > 1:
            msg = tx_pb2.MsgClosePool(authority=GOV, pool_id=rng.choice(self.live_pools))
            return self.proposal(rng, [msg], "proposal-close-pool")
        if kind == 6:
            return self.proposal(rng, [self.update_params_msg(rng)], "proposal-update-params")
        if kind == 7 and rng.random() < 0.5:
            return self.proposal(rng, [self.chain_params_msg(rng)], "proposal-chain-params")
        if kind < 9:
            msg = distribution_tx.MsgCommunityPoolSpend(
                authority=GOV,
                recipient=self.addresses[self.account(rng)],
                amount=coins(amount(rng, 8)),
            )
            return self.proposal(rng, [msg], "proposal-community-pool-spend")
        return self.proposal(rng, [], "proposal-text")

    def create_pool_msg(self, rng: random.Random) -> tx_pb2.MsgCreatePool:
        rule = rng.choice(("fixed", "pro_rata", "availability"))
        start = self.epoch + rng.randint(2, 4)
        attesters = [self.addresses[index] for index in self.genesis.attesters[: rng.randint(1, 2)]]
        msg = tx_pb2.MsgCreatePool(
            authority=GOV,
            name=f"{rule} {self.block}",
            admin=self.addresses[0],
            attesters=attesters,
            attestation_quorum=rng.randint(1, len(attesters)),
            start_epoch=start,
            end_epoch=start + rng.randint(2, 20),
        )
        if rule == "fixed":
            msg.rule = types_pb2.ALLOCATION_RULE_FIXED_RATE
            msg.fixed_rate.CopyFrom(
                types_pb2.FixedRateConfig(rates=_rates(), min_commitment_epochs=rng.randint(1, 4))
            )
        else:
            msg.eligibility.CopyFrom(_eligibility(rng.randrange(4)))
            emission = str(rng.randint(1, 10**8))
            if rule == "pro_rata":
                msg.rule = types_pb2.ALLOCATION_RULE_PRO_RATA
                msg.pro_rata.emission_per_epoch = emission
            else:
                msg.rule = types_pb2.ALLOCATION_RULE_AVAILABILITY
                msg.availability.CopyFrom(
                    types_pb2.AvailabilityConfig(
                        emission_per_epoch=emission,
                        weight_benchmark=3,
                        weight_vram=3,
                        weight_age=1,
                        penalty_free_nodes=3,
                        penalty_decay="0.65",
                        penalty_mode=rng.choice((1, 2)),  # type: ignore[arg-type]
                    )
                )
        return msg

    def update_params_msg(self, rng: random.Random) -> tx_pb2.MsgUpdateParams:
        g = self.genesis
        params = dataclasses.replace(
            DEFAULT_PARAMS,
            price_feeders=(self.addresses[g.feeder],),
            claim_window_epochs=rng.randint(1, 5),
            settlement_lag_epochs=rng.randint(0, 2),
            max_price_age_seconds=rng.choice((3600, DAY, 2 * DAY)),
        )
        return tx_pb2.MsgUpdateParams(authority=GOV, params=codec.params_to_pb(params))

    def chain_params_msg(self, rng: random.Random) -> Message:
        """New gov params (another voting period; same deposits) or distribution params
        (another community tax)."""
        if rng.random() < 0.5:
            deposit = self.genesis.min_deposit
            params = gov_params(
                voting_period=rng.choice((6 * 3600, 12 * 3600, DAY)),
                max_deposit_period=rng.choice((6 * 3600, 12 * 3600, DAY)),
                min_deposit=deposit,
                expedited_min_deposit=deposit * 5,
            )
            gov_msg: Message = gov_tx.MsgUpdateParams(authority=GOV, params=params)
            return gov_msg
        tax = Dec.from_str(f"{rng.randint(0, 1000) / 10_000:.4f}")
        zero = str(Dec.zero())
        distribution_msg: Message = distribution_tx.MsgUpdateParams(
            authority=GOV,
            params=distribution_pb2.Params(
                community_tax=str(tax),
                base_proposer_reward=zero,
                bonus_proposer_reward=zero,
                withdraw_addr_enabled=True,
            ),
        )
        return distribution_msg

    def cancel_proposal(self, rng: random.Random) -> Op | None:
        if not self.proposers or rng.random() < 0.5:
            return None  # rarer than its weight: most proposals should reach their end
        proposal_id = rng.choice(sorted(self.proposers))
        proposer = self.proposers[proposal_id]
        msg = gov_tx.MsgCancelProposal(proposal_id=proposal_id, proposer=self.addresses[proposer])
        op = self.aimed(self.op(proposer, [msg], "cancel-proposal", rng))
        self._forget_proposal(proposal_id)  # later ops of this block must not aim at it
        return op

    def deposit(self, rng: random.Random) -> Op | None:
        queue = self.deposit_period if self.deposit_period and rng.random() < 0.8 else None
        queue = queue or self.voting_period
        if not queue:
            return None
        depositor = self.account(rng)
        msg = gov_tx.MsgDeposit(
            proposal_id=rng.choice(queue),
            depositor=self.addresses[depositor],
            amount=coins(rng.randint(self.genesis.min_deposit // 20, self.genesis.min_deposit)),
        )
        return self.aimed(self.op(depositor, [msg], "deposit", rng, True))

    def voter(self, rng: random.Random, proposal_id: int) -> int:
        """Mostly a validator that has not voted on the proposal yet (validators carry the
        voting power of their delegators), otherwise any account."""
        voted = self.voted.setdefault(proposal_id, set())
        fresh = [index for index in self.validators if index not in voted]
        voter = rng.choice(fresh) if fresh and rng.random() < 0.85 else self.account(rng)
        voted.add(voter)
        return voter

    def vote_option(self, rng: random.Random) -> int:
        return rng.choices((YES, ABSTAIN, NO, VETO), weights=(88, 5, 5, 2))[0]

    def proposal_to_vote_on(self, rng: random.Random) -> int:
        return rng.choice(self.voting_period)

    def vote(self, rng: random.Random) -> Op | None:
        if not self.voting_period:
            return None
        proposal_id = self.proposal_to_vote_on(rng)
        voter = self.voter(rng, proposal_id)
        msg = gov_tx.MsgVote(
            proposal_id=proposal_id,
            voter=self.addresses[voter],
            option=self.vote_option(rng),
        )
        return self.aimed(self.op(voter, [msg], "vote", rng, True))

    def vote_weighted(self, rng: random.Random) -> Op | None:
        if not self.voting_period:
            return None
        proposal_id = self.proposal_to_vote_on(rng)
        voter = self.voter(rng, proposal_id)
        first = rng.randint(1, 99)
        options = rng.sample((YES, ABSTAIN, NO, VETO), 2)
        msg = gov_tx.MsgVoteWeighted(
            proposal_id=proposal_id,
            voter=self.addresses[voter],
            options=[
                gov_pb2.WeightedVoteOption(option=options[0], weight=f"0.{first:02d}"),
                gov_pb2.WeightedVoteOption(option=options[1], weight=f"0.{100 - first:02d}"),
            ],
        )
        return self.aimed(self.op(voter, [msg], "vote-weighted", rng, True))

    # incentives

    def fund_pool(self, rng: random.Random) -> Op | None:
        pool = self.pool_id(rng)
        if pool is None:
            return None
        funder = self.account(rng)
        msg = tx_pb2.MsgFundPool(
            depositor=self.addresses[funder], pool_id=pool, amount=coins(amount(rng))
        )
        return self.op(funder, [msg], "fund-pool", rng)

    def register_node(self, rng: random.Random) -> Op:
        node_id = f"node-{self.block}-{self.next_node}"
        self.next_node += 1
        owner = rng.choice(self.genesis.providers)
        msg = tx_pb2.MsgRegisterNode(
            owner=self.addresses[owner],
            node_id=node_id,
            gpu_model=rng.choice(CATALOG),
            gpu_count=rng.randint(1, 16),
            benchmark_score=rng.randint(0, 6000),
        )
        return self.op(owner, [msg], "register-node", rng, True)

    def join_pool(self, rng: random.Random) -> Op | None:
        if not self.live_pools or not self.nodes:
            return None
        node_id, owner = rng.choice(self.nodes)
        pool = self.pools[rng.choice(self.live_pools)]
        msg = tx_pb2.MsgJoinPool(owner=self.addresses[owner], pool_id=pool.id, node_id=node_id)
        if pool.min_commitment:
            start = max(self.epoch, pool.start_epoch)
            until = start + pool.min_commitment - 1 + rng.randint(0, 3)
            msg.commitment.until_epoch = until
        return self.op(owner, [msg], "join-pool", rng)

    def attest(self, rng: random.Random) -> Op | None:
        if not self.live_pools:
            return None
        pool = self.pools[rng.choice(self.live_pools)]
        epoch = max(self.epoch - rng.choice((0, 0, 0, 1)), 1)
        members = [node for node, joined in pool.members if joined <= epoch]
        if not members or not pool.attesters:
            return None
        chosen = sorted(set(rng.sample(members, rng.randint(1, min(len(members), 8)))))
        reports = []
        for node_id in chosen:
            online = rng.choice((0, DAY // 2, DAY, rng.randint(0, DAY)))
            reports.append(
                types_pb2.NodeReport(
                    node_id=node_id,
                    online_seconds=online,
                    idle_seconds=rng.randint(0, online),
                    benchmark_score=rng.choice((0, 0, 850, 4200)),
                )
            )
        attester = rng.choice(pool.attesters)
        msg = tx_pb2.MsgSubmitAttestation(
            attester=self.addresses[attester], pool_id=pool.id, epoch=epoch, reports=reports
        )
        return self.op(attester, [msg], "attest", rng)

    def post_price(self, rng: random.Random) -> Op:
        feeder = self.genesis.feeder
        msg = tx_pb2.MsgPostPrice(feeder=self.addresses[feeder], akt_usd=rng.choice(PRICES))
        return self.op(feeder, [msg], "post-price", rng, True)

    def claim(self, rng: random.Random) -> Op:
        if self.nodes and rng.random() < 0.8:
            provider = rng.choice(self.nodes)[1]
        else:
            provider = rng.choice(self.genesis.providers)
        pool_id = rng.choice(self.live_pools) if self.live_pools and rng.random() < 0.3 else 0
        msg = tx_pb2.MsgClaimRewards(provider=self.addresses[provider], pool_id=pool_id)
        return self.op(provider, [msg], "claim", rng)

    def set_redirect(self, rng: random.Random) -> Op | None:
        pool = self.pool_id(rng)
        if pool is None:
            return None
        delegator = self.delegator(rng)
        msg = tx_pb2.MsgSetRewardRedirect(
            delegator=self.addresses[delegator], pool_id=pool, bps=rng.randint(1, 10_000)
        )
        return self.op(delegator, [msg], "set-redirect", rng)

    def unset_redirect(self, rng: random.Random) -> Op | None:
        if not self.redirects:
            return None
        delegator, pool = rng.choice(self.redirects)
        msg = tx_pb2.MsgSetRewardRedirect(delegator=self.addresses[delegator], pool_id=pool, bps=0)
        return self.op(delegator, [msg], "unset-redirect", rng)

    # Invalid ops (must fail)

    def invalid(self, rng: random.Random) -> Op | None:
        kind = rng.randrange(10)
        if kind < 5:
            return self.invalid_incentives(rng)
        if kind < 6:
            tamper = rng.choice(TAMPERS)
            op = self.bank_send(rng)
            return dataclasses.replace(
                op, name=f"invalid/ante-{tamper}", tamper=tamper, expected_ok=False
            )
        builders = self.invalid_chain_builders()
        name = rng.choice(sorted(builders))
        signer, msgs = builders[name]()
        if name.startswith("proposal-"):
            return self.proposal(rng, msgs, f"invalid/{name}", False)
        return self.op(signer, msgs, f"invalid/{name}", rng, False)

    def invalid_targets(self) -> InvalidTargets:
        g = self.genesis
        unknown = self.next_pool_id + 7
        node_id, owner = self.nodes[-1] if self.nodes else ("node-x", g.providers[0])
        return InvalidTargets(
            gov=GOV,
            admin=self.addresses[0],
            outsider=self.addresses[self.outsider],
            funder=self.addresses[1],
            feeder=self.addresses[g.feeder],
            attester=self.addresses[g.attesters[0]],
            epoch=self.epoch,
            pool_id=self.live_pools[-1] if self.live_pools else unknown,
            unknown_pool=unknown,
            node_id=node_id,
            owner=self.addresses[owner],
            has_node=bool(self.nodes),
            closed_pool=self.closed_pools[0] if self.closed_pools else None,
        )

    def invalid_incentives(self, rng: random.Random) -> Op:
        builders = invalid_incentive_msgs(self.invalid_targets())
        name = rng.choice(sorted(builders))
        msg = builders[name]()
        signer = signers_of(msg)[0]
        if signer == GOV:
            return self.proposal(rng, [msg], f"invalid/{name}", True)
        return self.op(self.index_of[signer], [msg], f"invalid/{name}", rng, False)

    def invalid_chain_builders(self) -> dict[str, Callable[[], tuple[int, list[Message]]]]:
        addresses, valopers = self.addresses, self.valopers
        outsider = self.outsider
        distribution = module_address_text("distribution")

        def send(to: str, value: list[Coin]) -> tuple[int, list[Message]]:
            msg = bank_tx.MsgSend(from_address=addresses[1], to_address=to, amount=value)
            return 1, [msg]

        def multi_send_unbalanced() -> tuple[int, list[Message]]:
            msg = bank_tx.MsgMultiSend(
                inputs=[bank_pb2.Input(address=addresses[1], coins=coins(5))],
                outputs=[bank_pb2.Output(address=addresses[2], coins=coins(4))],
            )
            return 1, [msg]

        def vote(proposal_id: int, option: int = YES) -> tuple[int, list[Message]]:
            msg = gov_tx.MsgVote(proposal_id=proposal_id, voter=addresses[0], option=option)
            return 0, [msg]

        return {
            "bank-send-beyond-balance": lambda: send(addresses[2], coins(10**18)),
            "bank-send-to-module": lambda: send(distribution, coins(1)),
            "bank-send-zero": lambda: send(addresses[2], coins(0)),
            "bank-multi-send-unbalanced": multi_send_unbalanced,
            "withdraw-without-delegation": lambda: (
                outsider,
                [
                    distribution_tx.MsgWithdrawDelegatorReward(
                        delegator_address=addresses[outsider], validator_address=valopers[0]
                    )
                ],
            ),
            "fund-community-pool-beyond-balance": lambda: (
                1,
                [
                    distribution_tx.MsgFundCommunityPool(
                        depositor=addresses[1], amount=coins(10**18)
                    )
                ],
            ),
            "delegate-to-non-validator": lambda: (
                1,
                [
                    staking_tx.MsgDelegate(
                        delegator_address=addresses[1],
                        validator_address=valopers[outsider],
                        amount=Coin(denom=DENOM, amount="1"),
                    )
                ],
            ),
            "undelegate-beyond-delegation": lambda: (
                outsider,
                [
                    staking_tx.MsgUndelegate(
                        delegator_address=addresses[outsider],
                        validator_address=valopers[0],
                        amount=Coin(denom=DENOM, amount=str(10**18)),
                    )
                ],
            ),
            "deposit-unknown-proposal": lambda: (
                1,
                [gov_tx.MsgDeposit(proposal_id=10**9, depositor=addresses[1], amount=coins(1))],
            ),
            "vote-unknown-proposal": lambda: vote(10**9),
            "vote-invalid-option": lambda: vote(
                self.voting_period[0] if self.voting_period else 10**9, 9
            ),
            "proposal-signer-not-gov": lambda: (
                1,
                [
                    bank_tx.MsgSend(
                        from_address=addresses[1], to_address=addresses[2], amount=coins(1)
                    )
                ],
            ),
        }
