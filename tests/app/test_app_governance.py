"""Governance and distribution through signed txs: a budget proposal that creates and funds a
pool from the community pool, a proposal that fails on execution, and a delegator's reward
withdrawal with a redirect to a pool in place."""

from __future__ import annotations

from cosmpy.protos.cosmos.base.abci.v1beta1.abci_pb2 import TxMsgData
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from cosmpy.protos.cosmos.distribution.v1beta1.tx_pb2 import (
    MsgCommunityPoolSpend,
    MsgWithdrawDelegatorReward,
)
from cosmpy.protos.cosmos.gov.v1 import gov_pb2
from cosmpy.protos.cosmos.gov.v1.tx_pb2 import MsgSubmitProposal, MsgSubmitProposalResponse, MsgVote
from google.protobuf.any_pb2 import Any
from google.protobuf.message import Message

from incentives.pb import tx_pb2, types_pb2
from incentives.types.keys import GOV_AUTHORITY
from tests.app.chain import Chain

VALIDATOR = 0


def packed(message: Message) -> Any:
    result = Any()
    result.Pack(message, type_url_prefix="/")
    return result


def propose_and_pass(chain: Chain, messages: list[Message]) -> int:
    """Submit with the minimum deposit, vote yes as the validator, run past the voting end."""
    proposer = chain.account(VALIDATOR).address
    submit = MsgSubmitProposal(
        messages=[packed(message) for message in messages],
        initial_deposit=[Coin(denom="uakt", amount="10000000")],
        proposer=proposer,
        title="Provider incentives pilot",
        summary="Create and fund a pool",
    )
    result = chain.run(VALIDATOR, [submit], gas=2_000_000, fee="50000uakt")
    assert result.ok, result.log
    data = TxMsgData.FromString(result.data)
    response = MsgSubmitProposalResponse()
    data.msg_responses[0].Unpack(response)
    proposal_id = response.proposal_id
    vote = MsgVote(proposal_id=proposal_id, voter=proposer, option=gov_pb2.VOTE_OPTION_YES)
    voted = chain.run(VALIDATOR, [vote])
    assert voted.ok, voted.log
    chain.block(seconds=30)
    return proposal_id


def proposal_status(chain: Chain, proposal_id: int) -> int:
    proposal = chain.app.gov.keeper.get_proposal(chain.app.query_context(), proposal_id)
    assert proposal is not None
    return int(proposal.status)


def test_a_budget_proposal_creates_and_funds_a_pool_from_the_community_pool() -> None:
    chain = Chain()
    create = tx_pb2.MsgCreatePool(
        authority=GOV_AUTHORITY,
        name="liquidity mining",
        rule=types_pb2.ALLOCATION_RULE_PRO_RATA,
        admin=chain.account(1).address,
        attesters=[chain.account(2).address],
        attestation_quorum=1,
        start_epoch=1,
        end_epoch=120,
        pro_rata=types_pb2.ProRataConfig(emission_per_epoch="1000000000"),
        eligibility=types_pb2.Eligibility(vendors=[1], min_vram_gb=24),
    )
    fund = tx_pb2.MsgFundPoolFromCommunityPool(
        authority=GOV_AUTHORITY, pool_id=1, amount=[Coin(denom="uakt", amount="120000000000")]
    )
    proposal_id = propose_and_pass(chain, [create, fund])
    assert proposal_status(chain, proposal_id) == gov_pb2.PROPOSAL_STATUS_PASSED
    pool = chain.app.incentives.keeper.get_pool(chain.app.query_context(), 1)
    assert pool.funded == 120_000_000_000
    assert chain.app.invariants() == []


def test_a_proposal_failing_on_execution_changes_nothing() -> None:
    chain = Chain()
    too_much = MsgCommunityPoolSpend(
        authority=GOV_AUTHORITY,
        recipient=chain.account(4).address,
        amount=[Coin(denom="uakt", amount=str(10**18))],
    )
    before = chain.balance(chain.account(4).address)
    proposal_id = propose_and_pass(chain, [too_much])
    assert proposal_status(chain, proposal_id) == gov_pb2.PROPOSAL_STATUS_FAILED
    assert chain.balance(chain.account(4).address) == before
    assert chain.app.invariants() == []


def test_a_community_pool_spend_pays_the_recipient() -> None:
    chain = Chain()
    recipient = chain.account(5).address
    before = chain.balance(recipient)
    spend = MsgCommunityPoolSpend(
        authority=GOV_AUTHORITY, recipient=recipient, amount=[Coin(denom="uakt", amount="777")]
    )
    proposal_id = propose_and_pass(chain, [spend])
    assert proposal_status(chain, proposal_id) == gov_pb2.PROPOSAL_STATUS_PASSED
    assert chain.balance(recipient) == before + 777


def test_reward_withdrawal_sends_the_redirected_share_to_the_pool() -> None:
    chain = Chain()
    create = tx_pb2.MsgCreatePool(
        authority=GOV_AUTHORITY,
        name="expansion",
        rule=types_pb2.ALLOCATION_RULE_PRO_RATA,
        admin=chain.account(1).address,
        attesters=[chain.account(2).address],
        attestation_quorum=1,
        start_epoch=1,
        end_epoch=10,
        pro_rata=types_pb2.ProRataConfig(emission_per_epoch="1000"),
    )
    propose_and_pass(chain, [create])
    delegator = chain.account(VALIDATOR).address
    redirect = tx_pb2.MsgSetRewardRedirect(delegator=delegator, pool_id=1, bps=2_500)
    assert chain.run(VALIDATOR, [redirect]).ok
    for _ in range(3):
        chain.block(seconds=60)  # inflation accrues rewards to the validator's delegators
    validator = chain.app.staking.bonded_validators(chain.app.query_context())[0].operator_address
    withdraw = MsgWithdrawDelegatorReward(delegator_address=delegator, validator_address=validator)
    result = chain.run(VALIDATOR, [withdraw])
    assert result.ok, result.log
    redirected = [event for event in result.events if event.type.endswith("EventRewardsRedirected")]
    assert redirected, [event.type for event in result.events]
    pool = chain.app.incentives.keeper.get_pool(chain.app.query_context(), 1)
    assert pool.funded > 0
    assert chain.app.invariants() == []
