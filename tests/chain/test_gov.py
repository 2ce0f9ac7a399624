"""Gov v1: Msg failures leave state unchanged, the proposal lifecycle, the tally, queries,
genesis and the module-account invariant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.query.v1beta1.pagination_pb2 import PageRequest
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from cosmpy.protos.cosmos.distribution.v1beta1.tx_pb2 import (
    MsgCommunityPoolSpend,
    MsgCommunityPoolSpendResponse,
)
from cosmpy.protos.cosmos.gov.v1 import gov_pb2, query_pb2, tx_pb2
from cosmpy.protos.cosmos.staking.v1beta1 import staking_pb2
from google.protobuf import any_pb2
from google.protobuf.duration_pb2 import Duration
from google.protobuf.message import Message

from chain.modules.bank import BankKeeper
from chain.modules.distribution import DistributionKeeper
from chain.modules.gov import (
    GOV_ADDRESS,
    INVARIANT_MODULE_ACCOUNT,
    VALOPER_PREFIX,
    ErrInactiveProposal,
    ErrInvalidDepositDenom,
    ErrInvalidGenesis,
    ErrInvalidProposal,
    ErrInvalidProposalContent,
    ErrInvalidProposer,
    ErrInvalidSigner,
    ErrInvalidVote,
    ErrMetadataTooLong,
    ErrMinDepositTooSmall,
    ErrNoProposalMsgs,
    ErrSummaryTooLong,
    ErrUnknownProposal,
    ErrUnroutableProposalMsg,
    ErrVotingPeriodEnded,
    GovModule,
    default_params,
    validate_params,
)
from chain.modules.gov.keeper import metadata_title_summary
from chain.sdk.address import decode_address, encode_address, module_address
from chain.sdk.context import NANOS, BlockHeader, Context
from chain.sdk.errors import (
    ErrInsufficientFunds,
    ErrInvalidAddress,
    ErrInvalidCoins,
    ErrInvalidRequest,
    ErrJSONUnmarshal,
    ErrNotFound,
    ErrTxDecode,
    ErrUnknownRequest,
    RegisteredError,
    SdkError,
)
from chain.sdk.kv import MemKV, store_hash
from chain.sdk.math import Coins, Dec, Int

CHAIN_ID = "akash-localnet-1"
START = 1_735_689_600
DAY = 86_400
VOTING = 2 * DAY

GOV = module_address("gov")
DISTRIBUTION = module_address("distribution")
VAL_A = bytes([0xA1]) * 20  # validator A's operator = its own account
VAL_B = bytes([0xB2]) * 20
DELEGATOR = bytes([0xD3]) * 20
ALICE = bytes([1]) * 20
BOB = bytes([2]) * 20
CAROL = bytes([3]) * 20

MIN = 10_000_000
EXPEDITED_MIN = 50_000_000


def addr(account: bytes) -> str:
    return encode_address(account)


def coins(text: str) -> list[CoinPb]:
    return [CoinPb(denom=c.denom, amount=str(c.amount)) for c in Coins.parse(text)]


def pack(message: Message) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message, type_url_prefix="/")
    return packed


def spend(amount: str, recipient: bytes = CAROL, authority: str = GOV_ADDRESS) -> any_pb2.Any:
    return pack(
        MsgCommunityPoolSpend(authority=authority, recipient=addr(recipient), amount=coins(amount))
    )


# A staking keeper over plain data: bonded validators and delegations (the unit-test edge).


@dataclass
class FakeStaking:
    validators: dict[str, tuple[int, Dec]] = field(default_factory=dict)
    delegations: dict[bytes, list[tuple[str, Dec]]] = field(default_factory=dict)

    def add_validator(self, operator: bytes, tokens: int, shares: int) -> str:
        text = encode_address(operator, VALOPER_PREFIX)
        self.validators[text] = (tokens, Dec.from_int(shares))
        return text

    def delegate(self, delegator: bytes, operator: bytes, shares: int) -> None:
        text = encode_address(operator, VALOPER_PREFIX)
        self.delegations.setdefault(delegator, []).append((text, Dec.from_int(shares)))

    def total_bonded_tokens(self, ctx: Context) -> Int:
        return Int(sum(tokens for tokens, _ in self.validators.values()))

    def bonded_validators(self, ctx: Context) -> list[Any]:
        return [
            staking_pb2.Validator(
                operator_address=operator,
                tokens=str(tokens),
                delegator_shares=str(shares.raw),
                status=staking_pb2.BOND_STATUS_BONDED,
            )
            for operator, (tokens, shares) in sorted(self.validators.items())
        ]

    def delegations_of(self, ctx: Context, delegator: bytes) -> list[tuple[str, Dec]]:
        return list(self.delegations.get(delegator, []))


@dataclass
class Env:
    """A store, bank, distribution, fake staking and the gov module, driven block by block."""

    staking: FakeStaking
    store: MemKV = field(default_factory=MemKV)
    height: int = 1
    time: int = START
    bank: BankKeeper = field(
        default_factory=lambda: BankKeeper(blocked_addrs=frozenset({GOV, DISTRIBUTION}))
    )
    gov: GovModule = field(init=False)
    distr: DistributionKeeper = field(init=False)
    routed: list[str] = field(default_factory=list)
    fail_with: Callable[[Context, Message], None] | None = None

    def __post_init__(self) -> None:
        self.distr = DistributionKeeper(self.bank)
        self.gov = GovModule(self.bank, self.staking, self.route)

    @property
    def keeper(self) -> Any:
        return self.gov.keeper

    def ctx(self) -> Context:
        return Context(BlockHeader(self.height, self.time * NANOS, CHAIN_ID), self.store)

    def advance(self, seconds: int) -> Context:
        self.height += 1
        self.time += seconds
        return self.ctx()

    def route(self, ctx: Context, msg: Message) -> Message:
        """The app's router: community-pool spends and gov's own messages."""
        url = f"/{msg.DESCRIPTOR.full_name}"
        self.routed.append(url)
        if self.fail_with is not None:
            self.fail_with(ctx, msg)
        if isinstance(msg, MsgCommunityPoolSpend):
            recipient = decode_address(msg.recipient)
            amount = Coins.parse(",".join(f"{c.amount}{c.denom}" for c in msg.amount))
            self.distr.distribute_from_community_pool(ctx, amount, recipient)
            return MsgCommunityPoolSpendResponse()
        handler = self.gov.msg_handlers().get(url)
        if handler is None:
            raise ErrUnknownRequest.wrap(f"unrecognized message type: {url}")
        return handler(ctx, msg)

    def deliver(self, msg: Message) -> Any:
        handler = self.gov.msg_handlers()[f"/{msg.DESCRIPTOR.full_name}"]
        return handler(self.ctx(), msg)

    def query(self, method: str, request: Message) -> Any:
        return self.gov.query_handlers()[f"/cosmos.gov.v1.Query/{method}"](self.ctx(), request)

    def end_block(self, seconds: int = 0) -> Context:
        ctx = self.advance(seconds)
        self.gov.end_block(ctx)
        assert self.gov.invariants()[0][1](ctx) is None
        return ctx

    def balance(self, account: bytes) -> int:
        return int(self.bank.get_balance(self.ctx(), account, "uakt"))

    def proposal(self, proposal_id: int) -> Any:
        return self.keeper.get_proposal(self.ctx(), proposal_id)

    def submit(
        self,
        messages: list[any_pb2.Any] | None = None,
        deposit: str = f"{MIN}uakt",
        proposer: bytes = ALICE,
        expedited: bool = False,
        **fields: Any,
    ) -> int:
        msg = submit_msg(messages, deposit, proposer, expedited, **fields)
        response = self.deliver(msg)
        return int(response.proposal_id)

    def vote(self, voter: bytes, option: int, proposal_id: int = 1) -> None:
        self.deliver(tx_pb2.MsgVote(proposal_id=proposal_id, voter=addr(voter), option=option))


def submit_msg(
    messages: list[any_pb2.Any] | None = None,
    deposit: str = f"{MIN}uakt",
    proposer: bytes | str = ALICE,
    expedited: bool = False,
    **fields: Any,
) -> tx_pb2.MsgSubmitProposal:
    values: dict[str, Any] = {
        "messages": [spend("100uakt")] if messages is None else messages,
        "initial_deposit": coins(deposit),
        "proposer": proposer if isinstance(proposer, str) else addr(proposer),
        "title": "Fund the pilot",
        "summary": "Spend from the community pool",
        "expedited": expedited,
    }
    values.update(fields)
    return tx_pb2.MsgSubmitProposal(**values)


YES = gov_pb2.VOTE_OPTION_YES
NO = gov_pb2.VOTE_OPTION_NO
ABSTAIN = gov_pb2.VOTE_OPTION_ABSTAIN
VETO = gov_pb2.VOTE_OPTION_NO_WITH_VETO


@pytest.fixture
def env() -> Env:
    """Validators A (600 tokens, 600 shares: A 500 + DELEGATOR 100) and B (400 tokens for 800
    shares, all B's own); ALICE, BOB and CAROL hold 100M uakt; the community pool 1M."""
    staking = FakeStaking()
    staking.add_validator(VAL_A, 600, 600)
    staking.add_validator(VAL_B, 400, 800)
    staking.delegate(VAL_A, VAL_A, 500)
    staking.delegate(DELEGATOR, VAL_A, 100)
    staking.delegate(VAL_B, VAL_B, 800)
    env = Env(staking)
    ctx = env.ctx()
    env.gov.init_genesis(ctx, env.gov.default_genesis())
    for account in (ALICE, BOB, CAROL, VAL_A):
        env.bank.mint_coins(ctx, "mint", Coins.parse("100000000uakt,1000uatom"))
        env.bank.send_coins_from_module_to_account(
            ctx, "mint", account, Coins.parse("100000000uakt,1000uatom")
        )
    env.distr.fund_community_pool(ctx, Coins.parse("1000000uakt"), ALICE)
    return env


def rejects(env: Env, kind: RegisteredError, log: str | None, msg: Message) -> SdkError:
    """``msg`` fails with ``kind`` (and ``log``), leaving the store and the events unchanged."""
    before = store_hash(env.store)
    ctx = env.ctx()
    handler = env.gov.msg_handlers()[f"/{msg.DESCRIPTOR.full_name}"]
    with pytest.raises(SdkError) as raised:
        handler(ctx, msg)
    assert raised.value.is_(kind), raised.value.log
    if log is not None:
        assert raised.value.log == log
    assert store_hash(env.store) == before
    assert ctx.events == []
    return raised.value


def events(ctx: Context, kind: str) -> list[dict[str, str]]:
    return [dict(event.attributes) for event in ctx.events if event.type == kind]


# Params and constants


def test_gov_address_is_akash_module_account() -> None:
    assert GOV_ADDRESS == "akash10d07y265gmmuvt4z0w9aw880jnsr700jhe7z0f"


def test_default_params_match_sdk_with_akash_deposits() -> None:
    params = validate_params(default_params())
    assert params.min_deposit == Coins.parse("10000000uakt")
    assert params.expedited_min_deposit == Coins.parse("50000000uakt")
    assert params.voting_period_ns == params.max_deposit_period_ns == 172_800 * NANOS
    assert params.expedited_voting_period_ns == DAY * NANOS
    assert (str(params.quorum), str(params.threshold)) == ("0.334000000000000000", "0.5" + "0" * 17)
    assert str(params.veto_threshold) == "0.334000000000000000"
    assert str(params.expedited_threshold) == "0.667000000000000000"
    assert params.min_initial_deposit_ratio.is_zero()
    assert params.burn_vote_veto
    assert not params.burn_vote_quorum
    assert not params.burn_proposal_deposit_prevote
    short = validate_params(default_params(voting_period=20, max_deposit_period=30))
    assert short.voting_period_ns == 20 * NANOS
    assert short.expedited_voting_period_ns == 10 * NANOS
    assert short.max_deposit_period_ns == 30 * NANOS


# MsgSubmitProposal


def test_submit_with_min_deposit_starts_voting(env: Env) -> None:
    ctx = env.ctx()
    handler = env.gov.msg_handlers()["/cosmos.gov.v1.MsgSubmitProposal"]
    response = handler(ctx, submit_msg())
    assert response.proposal_id == 1
    proposal = env.proposal(1)
    assert proposal.status == gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD
    assert proposal.proposer == addr(ALICE)
    assert proposal.voting_start_time.seconds == START
    assert proposal.voting_end_time.seconds == START + VOTING
    assert proposal.deposit_end_time.seconds == START + VOTING
    assert proposal.final_tally_result.yes_count == "0"
    assert env.balance(GOV) == MIN
    assert env.balance(ALICE) == 100_000_000 - MIN - 1_000_000
    submitted = events(ctx, "submit_proposal")
    assert submitted[0] == {
        "proposal_id": "1",
        "proposal_messages": ",/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
    }
    assert submitted[1] == {"voting_period_start": "1"}
    assert events(ctx, "proposal_deposit") == [
        {"depositor": addr(ALICE), "amount": f"{MIN}uakt", "proposal_id": "1"}
    ]
    assert env.keeper.module_account_invariant(ctx) is None


def test_deposits_complete_the_minimum_then_continue_in_voting(env: Env) -> None:
    proposal_id = env.submit(deposit="4000000uakt")
    assert env.proposal(proposal_id).status == gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD
    env.advance(60)
    env.deliver(tx_pb2.MsgDeposit(proposal_id=1, depositor=addr(BOB), amount=coins("6000000uakt")))
    proposal = env.proposal(1)
    assert proposal.status == gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD
    assert proposal.voting_start_time.seconds == START + 60
    env.deliver(tx_pb2.MsgDeposit(proposal_id=1, depositor=addr(BOB), amount=coins("1000000uakt")))
    assert [c.amount for c in env.proposal(1).total_deposit] == ["11000000"]
    deposit = env.keeper.get_deposit(env.ctx(), 1, BOB)
    assert [c.amount for c in deposit.amount] == ["7000000"]
    assert env.balance(GOV) == 11_000_000
    assert env.keeper.module_account_invariant(env.ctx()) is None


def test_zero_initial_deposit_is_recorded(env: Env) -> None:
    env.submit(deposit="")
    deposit = env.keeper.get_deposit(env.ctx(), 1, ALICE)
    assert deposit.depositor == addr(ALICE)
    assert list(deposit.amount) == []


def test_expedited_needs_expedited_min_deposit(env: Env) -> None:
    env.submit(expedited=True)
    assert env.proposal(1).status == gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD
    env.submit(expedited=True, deposit=f"{EXPEDITED_MIN}uakt")
    proposal = env.proposal(2)
    assert proposal.status == gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD
    assert proposal.voting_end_time.seconds == START + DAY


def _long(n: int) -> str:
    return "x" * n


SUBMIT_FAILURES = [
    (
        "empty title",
        {"title": ""},
        ErrInvalidRequest,
        "proposal title cannot be empty: invalid request",
    ),
    ("empty summary", {"summary": ""}, ErrInvalidRequest, None),
    ("bad proposer", {"proposer": "akash1xyz"}, ErrInvalidAddress, None),
    (
        "no messages, no metadata",
        {"messages": []},
        ErrNoProposalMsgs,
        "either metadata or Msgs length must be non-nil: no messages proposed",
    ),
    (
        "metadata title differs",
        {"metadata": '{"title": "Other", "summary": "Spend from the community pool"}'},
        ErrInvalidProposalContent,
        "metadata title 'Other' must equal proposal title 'Fund the pilot': "
        "invalid proposal content",
    ),
    (
        "metadata summary differs (case-insensitive key)",
        {"metadata": '{"title": "Fund the pilot", "SUMMARY": "x"}'},
        ErrInvalidProposalContent,
        None,
    ),
    (
        "unknown message type",
        {"messages": [any_pb2.Any(type_url="/unknown.v1.MsgNope", value=b"")]},
        ErrTxDecode,
        "unable to resolve type URL /unknown.v1.MsgNope: tx parse error",
    ),
    (
        "signer is not gov",
        {"messages": [spend("1uakt", authority=addr(ALICE))]},
        ErrInvalidSigner,
        f"{addr(ALICE)}: expected gov account as only signer for proposal message",
    ),
    (
        "signer is not an address",
        {"messages": [spend("1uakt", authority="nope")]},
        ErrInvalidAddress,
        None,
    ),
    ("metadata too long", {"metadata": _long(256)}, ErrMetadataTooLong, None),
    (
        "title too long",
        {"title": _long(256)},
        ErrMetadataTooLong,
        "got metadata with length 256: metadata too long",
    ),
    ("summary too long", {"summary": _long(2551)}, ErrSummaryTooLong, None),
]


@pytest.mark.parametrize(
    ("fields", "kind", "log"),
    [pytest.param(f, k, log, id=name) for name, f, k, log in SUBMIT_FAILURES],
)
def test_submit_failures(
    env: Env, fields: dict[str, Any], kind: RegisteredError, log: str | None
) -> None:
    rejects(env, kind, log, submit_msg(**fields))


def test_submit_deposit_failures(env: Env) -> None:
    bad = tx_pb2.MsgSubmitProposal()
    bad.CopyFrom(submit_msg())
    del bad.initial_deposit[:]
    bad.initial_deposit.extend([CoinPb(denom="uakt", amount="0")])
    rejects(env, ErrInvalidCoins, "0uakt: invalid coins", bad)
    unsorted = submit_msg()
    del unsorted.initial_deposit[:]
    unsorted.initial_deposit.extend(
        [CoinPb(denom="uatom", amount="1"), CoinPb(denom="uakt", amount="1")]
    )
    rejects(env, ErrInvalidCoins, "1uatom,1uakt: invalid coins", unsorted)
    rejects(
        env,
        ErrInvalidDepositDenom,
        "deposited 5uatom, but gov accepts only the following denom(s): [uakt]: "
        "invalid deposit denom",
        submit_msg(deposit="10000000uakt,5uatom"),
    )
    rejects(env, ErrInsufficientFunds, None, submit_msg(deposit="100000001uakt"))


def test_submit_min_initial_deposit_ratio(env: Env) -> None:
    params = default_params()
    params.min_initial_deposit_ratio = "0.4"
    env.keeper.set_params(env.ctx(), params)
    rejects(
        env,
        ErrMinDepositTooSmall,
        "was (3999999uakt), need (4000000uakt): minimum deposit is too small",
        submit_msg(deposit="3999999uakt"),
    )
    rejects(env, ErrMinDepositTooSmall, None, submit_msg(deposit="", expedited=True))
    env.submit(deposit="4000000uakt")


def test_submit_unroutable_message(env: Env) -> None:
    env.gov.set_router(env.route, lambda url: url != "/cosmos.bank.v1beta1.MsgSend")
    send = pack(MsgSend(from_address=GOV_ADDRESS, to_address=addr(BOB), amount=coins("1uakt")))
    rejects(
        env,
        ErrUnroutableProposalMsg,
        "/cosmos.bank.v1beta1.MsgSend: proposal message not recognized by router",
        submit_msg(messages=[send]),
    )


def test_metadata_json_is_read_like_go() -> None:
    assert metadata_title_summary('{"title": "a", "summary": "b"}') == ("a", "b")
    assert metadata_title_summary('{"Title": "a", "title": "c"}') == ("c", "")
    assert metadata_title_summary("null") == ("", "")
    assert metadata_title_summary('{"title": null, "summary": "b"}') == ("", "b")
    for invalid in ("ipfs://Qm", '"text"', "[1]", '{"title": 5}', '{"authors": "x"}', "NaN"):
        assert metadata_title_summary(invalid) is None
    # Not gov metadata JSON: nothing to compare, the submission is accepted.


def test_plain_metadata_is_accepted(env: Env) -> None:
    env.submit(metadata="ipfs://QmHash")
    env.submit(
        messages=[],
        metadata='{"title": "Fund the pilot", "summary": "Spend from the community pool"}',
    )
    assert env.proposal(2).metadata.startswith("{")


# MsgDeposit


def test_deposit_failures(env: Env) -> None:
    env.submit(deposit="1000000uakt")

    def deposit(amount: str, proposal_id: int = 1, who: str = addr(BOB)) -> tx_pb2.MsgDeposit:
        return tx_pb2.MsgDeposit(proposal_id=proposal_id, depositor=who, amount=coins(amount))

    rejects(env, ErrInvalidAddress, None, deposit("1uakt", who="bob"))
    rejects(env, ErrInvalidCoins, "invalid coins", deposit(""))
    rejects(env, ErrUnknownProposal, "7: unknown proposal", deposit("100000uakt", 7))
    rejects(env, ErrInvalidDepositDenom, None, deposit("100000uakt,5uatom"))
    rejects(
        env,
        ErrMinDepositTooSmall,
        "received 99999uakt but need at least one of the following: 100000uakt: "
        "minimum deposit is too small",
        deposit("99999uakt"),
    )
    rejects(env, ErrInsufficientFunds, None, deposit("200000000uakt"))
    env.end_block(VOTING)
    assert env.proposal(1) is None
    rejects(env, ErrUnknownProposal, None, deposit("100000uakt"))


def test_deposit_on_decided_proposal_is_inactive(env: Env) -> None:
    env.submit()
    env.end_block(VOTING)
    assert env.proposal(1).status == gov_pb2.PROPOSAL_STATUS_REJECTED
    rejects(
        env,
        ErrInactiveProposal,
        "1: inactive proposal",
        tx_pb2.MsgDeposit(proposal_id=1, depositor=addr(BOB), amount=coins("1000000uakt")),
    )


# MsgVote and MsgVoteWeighted


def test_vote_failures(env: Env) -> None:
    env.submit(deposit="1000000uakt")
    rejects(env, ErrInvalidAddress, None, tx_pb2.MsgVote(proposal_id=1, voter="x", option=YES))
    rejects(
        env,
        ErrInvalidVote,
        "VOTE_OPTION_UNSPECIFIED: invalid vote option",
        tx_pb2.MsgVote(proposal_id=1, voter=addr(BOB), option=0),
    )
    rejects(
        env,
        ErrInactiveProposal,
        "1: inactive proposal",
        tx_pb2.MsgVote(proposal_id=1, voter=addr(BOB), option=YES),
    )
    rejects(
        env,
        ErrInactiveProposal,
        "9: inactive proposal",
        tx_pb2.MsgVote(proposal_id=9, voter=addr(BOB), option=YES),
    )
    env.submit()
    rejects(
        env,
        ErrMetadataTooLong,
        None,
        tx_pb2.MsgVote(proposal_id=2, voter=addr(BOB), option=YES, metadata=_long(256)),
    )


def _weighted(*options: tuple[int, str]) -> tx_pb2.MsgVoteWeighted:
    return tx_pb2.MsgVoteWeighted(
        proposal_id=1,
        voter=addr(BOB),
        options=[gov_pb2.WeightedVoteOption(option=o, weight=w) for o, w in options],
    )


def test_vote_weighted_failures(env: Env) -> None:
    env.submit()
    rejects(env, ErrInvalidRequest, "invalid request", _weighted())
    rejects(
        env,
        ErrInvalidVote,
        'option:VOTE_OPTION_YES weight:"1.5" : invalid vote option',
        _weighted((YES, "1.5")),
    )
    rejects(env, ErrInvalidVote, None, _weighted((YES, "0")))
    rejects(env, ErrInvalidVote, None, _weighted((9, "1")))
    rejects(
        env,
        ErrInvalidVote,
        "duplicated vote option: invalid vote option",
        _weighted((YES, "0.5"), (YES, "0.5")),
    )
    rejects(
        env,
        ErrInvalidVote,
        "total weight overflow 1.00: invalid vote option",
        _weighted((YES, "0.6"), (NO, "0.5")),
    )
    rejects(
        env,
        ErrInvalidVote,
        "total weight lower than 1.00: invalid vote option",
        _weighted((YES, "0.5"), (NO, "0.4")),
    )


def test_vote_is_recorded_and_replaced(env: Env) -> None:
    env.submit()
    ctx = env.ctx()
    env.gov.msg_handlers()["/cosmos.gov.v1.MsgVote"](
        ctx, tx_pb2.MsgVote(proposal_id=1, voter=addr(BOB), option=YES)
    )
    assert events(ctx, "proposal_vote") == [
        {
            "voter": addr(BOB),
            "option": 'option:VOTE_OPTION_YES weight:"1.000000000000000000"',
            "proposal_id": "1",
        }
    ]
    env.deliver(_weighted((YES, "0.25"), (NO, "0.75")))
    vote = env.keeper.get_vote(env.ctx(), 1, BOB)
    assert [(o.option, o.weight) for o in vote.options] == [(YES, "0.25"), (NO, "0.75")]


# MsgUpdateParams


def test_update_params(env: Env) -> None:
    params = default_params(voting_period=20)
    rejects(
        env,
        ErrInvalidSigner,
        f"invalid authority; expected {GOV_ADDRESS}, got {addr(ALICE)}: "
        "expected gov account as only signer for proposal message",
        tx_pb2.MsgUpdateParams(authority=addr(ALICE), params=params),
    )
    env.deliver(tx_pb2.MsgUpdateParams(authority=GOV_ADDRESS, params=params))
    assert env.keeper.get_params(env.ctx()).voting_period_ns == 20 * NANOS


def _params(**changes: Any) -> gov_pb2.Params:
    params = default_params()
    for name, value in changes.items():
        if isinstance(value, Duration):
            getattr(params, name).CopyFrom(value)
        elif isinstance(value, list):
            del getattr(params, name)[:]
            getattr(params, name).extend(value)
        else:
            setattr(params, name, value)
    return params


@pytest.mark.parametrize(
    ("params", "log"),
    [
        pytest.param(
            _params(expedited_voting_period=Duration(seconds=VOTING)),
            "expedited voting period 48h0m0s must be strictly less that the regular voting "
            "period 48h0m0s: invalid request",
            id="expedited period not shorter",
        ),
        pytest.param(
            _params(threshold="1.2"), "vote threshold too large: 1.200000000000000000", id="thr"
        ),
        pytest.param(_params(quorum="-0.1"), None, id="negative quorum"),
        pytest.param(_params(quorum="abc"), None, id="quorum not a decimal"),
        pytest.param(_params(expedited_threshold="0.5"), None, id="expedited threshold low"),
        pytest.param(_params(veto_threshold="0"), None, id="veto threshold zero"),
        pytest.param(_params(min_deposit=[]), "invalid minimum deposit: ", id="no min deposit"),
        pytest.param(
            _params(expedited_min_deposit=coins("10000000uakt")), None, id="expedited min low"
        ),
        pytest.param(_params(voting_period=Duration(seconds=0)), None, id="zero voting period"),
        pytest.param(_params(min_initial_deposit_ratio="1.1"), None, id="ratio too large"),
        pytest.param(_params(proposal_cancel_dest="nope"), None, id="bad cancel dest"),
    ],
)
def test_update_params_invalid(env: Env, params: gov_pb2.Params, log: str | None) -> None:
    error = rejects(
        env, ErrInvalidRequest, None, tx_pb2.MsgUpdateParams(authority=GOV_ADDRESS, params=params)
    )
    if log is not None:
        assert error.log.startswith(log)


# MsgCancelProposal


def test_cancel_proposal_charges_and_refunds(env: Env) -> None:
    env.submit()
    env.deliver(tx_pb2.MsgDeposit(proposal_id=1, depositor=addr(BOB), amount=coins("1000001uakt")))
    env.vote(BOB, YES)
    supply = int(env.bank.get_supply(env.ctx(), "uakt"))
    alice, bob = env.balance(ALICE), env.balance(BOB)
    response = env.deliver(tx_pb2.MsgCancelProposal(proposal_id=1, proposer=addr(ALICE)))
    assert response.proposal_id == 1
    assert response.canceled_height == env.height
    assert env.proposal(1) is None
    assert env.keeper.get_vote(env.ctx(), 1, BOB) is None
    assert env.balance(ALICE) == alice + MIN // 2
    assert env.balance(BOB) == bob + 500_001  # 1000001 * 0.5 = 500000.5 burned, truncated
    assert int(env.bank.get_supply(env.ctx(), "uakt")) == supply - MIN // 2 - 500_000
    assert env.balance(GOV) == 0
    assert env.keeper.module_account_invariant(env.ctx()) is None


def test_cancel_failures(env: Env) -> None:
    env.submit()
    cancel = tx_pb2.MsgCancelProposal
    rejects(env, ErrInvalidAddress, None, cancel(proposal_id=1, proposer="x"))
    rejects(
        env,
        ErrUnknownProposal,
        "proposal 5 doesn't exist: unknown proposal",
        cancel(proposal_id=5, proposer=addr(ALICE)),
    )
    rejects(
        env,
        ErrInvalidProposer,
        f"invalid proposer {addr(BOB)}: invalid proposer",
        cancel(proposal_id=1, proposer=addr(BOB)),
    )
    env.advance(VOTING + 1)
    rejects(env, ErrVotingPeriodEnded, None, cancel(proposal_id=1, proposer=addr(ALICE)))
    env.end_block()
    rejects(env, ErrInvalidProposal, None, cancel(proposal_id=1, proposer=addr(ALICE)))


# Lifecycle


def test_passed_proposal_executes_and_refunds(env: Env) -> None:
    env.submit(messages=[spend("300uakt"), spend("200uakt", recipient=BOB)])
    env.vote(VAL_A, YES)
    env.vote(VAL_B, NO)
    carol, alice = env.balance(CAROL), env.balance(ALICE)
    bob = env.balance(BOB)
    ctx = env.end_block(VOTING - 1)
    assert env.proposal(1).status == gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD
    assert events(ctx, "active_proposal") == []
    ctx = env.end_block(1)
    proposal = env.proposal(1)
    assert proposal.status == gov_pb2.PROPOSAL_STATUS_PASSED
    assert proposal.failed_reason == ""
    assert (proposal.final_tally_result.yes_count, proposal.final_tally_result.no_count) == (
        "600",
        "400",
    )
    assert env.balance(CAROL) == carol + 300
    assert env.balance(BOB) == bob + 200
    assert env.balance(ALICE) == alice + MIN
    assert env.distr.get_community_pool(env.ctx())["uakt"] == Dec.from_int(999_500)
    assert env.keeper.get_vote(env.ctx(), 1, VAL_A) is None
    assert events(ctx, "active_proposal") == [
        {"proposal_id": "1", "proposal_result": "proposal_passed", "proposal_log": "passed"}
    ]
    transfers = [e for e in ctx.events if e.type == "transfer"]
    assert [e.attribute("recipient") for e in transfers] == [addr(ALICE), addr(CAROL), addr(BOB)]


def test_rejected_proposal_refunds(env: Env) -> None:
    env.submit()
    env.vote(VAL_A, NO)
    env.vote(VAL_B, YES)
    alice = env.balance(ALICE)
    ctx = env.end_block(VOTING)
    proposal = env.proposal(1)
    assert proposal.status == gov_pb2.PROPOSAL_STATUS_REJECTED
    assert proposal.failed_reason == "proposal did not get enough votes to pass"
    assert env.balance(ALICE) == alice + MIN
    assert env.routed == []
    assert events(ctx, "active_proposal")[0]["proposal_result"] == "proposal_rejected"


def test_veto_burns_deposits(env: Env) -> None:
    env.submit()
    env.vote(VAL_A, VETO)  # 600 of 1000 power: veto 0.6 > 0.334
    env.vote(VAL_B, YES)
    supply = int(env.bank.get_supply(env.ctx(), "uakt"))
    alice = env.balance(ALICE)
    env.end_block(VOTING)
    assert env.proposal(1).status == gov_pb2.PROPOSAL_STATUS_REJECTED
    assert env.balance(ALICE) == alice
    assert int(env.bank.get_supply(env.ctx(), "uakt")) == supply - MIN
    assert env.balance(GOV) == 0


@pytest.mark.parametrize("burn", [False, True])
def test_quorum_failure(env: Env, burn: bool) -> None:
    params = default_params()
    params.burn_vote_quorum = burn
    env.keeper.set_params(env.ctx(), params)
    env.submit()
    env.vote(DELEGATOR, YES)  # 100 of 1000 bonded: 0.1 < 0.334
    alice = env.balance(ALICE)
    env.end_block(VOTING)
    proposal = env.proposal(1)
    assert proposal.status == gov_pb2.PROPOSAL_STATUS_REJECTED
    assert proposal.final_tally_result.yes_count == "100"
    assert env.balance(ALICE) == (alice if burn else alice + MIN)


def test_all_abstain_is_rejected(env: Env) -> None:
    env.submit()
    env.vote(VAL_A, ABSTAIN)
    env.vote(VAL_B, ABSTAIN)
    env.end_block(VOTING)
    assert env.proposal(1).status == gov_pb2.PROPOSAL_STATUS_REJECTED


def test_no_bonded_tokens_rejects(env: Env) -> None:
    env.submit()
    env.vote(VAL_A, YES)
    env.staking.validators.clear()
    env.end_block(VOTING)
    assert env.proposal(1).status == gov_pb2.PROPOSAL_STATUS_REJECTED


def test_expedited_proposal_passes_early(env: Env) -> None:
    env.submit(expedited=True, deposit=f"{EXPEDITED_MIN}uakt")
    env.vote(VAL_A, YES)
    env.vote(VAL_B, YES)
    env.end_block(DAY)
    proposal = env.proposal(1)
    assert proposal.status == gov_pb2.PROPOSAL_STATUS_PASSED
    assert proposal.expedited


def test_failed_expedited_becomes_regular_and_keeps_votes(env: Env) -> None:
    env.submit(expedited=True, deposit=f"{EXPEDITED_MIN}uakt")
    env.vote(VAL_A, YES)  # 0.6 yes: above 0.5, below 0.667
    env.vote(VAL_B, NO)
    ctx = env.end_block(DAY)
    proposal = env.proposal(1)
    assert proposal.status == gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD
    assert not proposal.expedited
    assert proposal.voting_end_time.seconds == START + VOTING
    assert proposal.final_tally_result.yes_count == "600"
    assert env.balance(GOV) == EXPEDITED_MIN
    assert env.keeper.get_vote(env.ctx(), 1, VAL_A) is not None
    assert events(ctx, "active_proposal") == [
        {
            "proposal_id": "1",
            "proposal_result": "expedited_proposal_rejected",
            "proposal_log": "expedited proposal converted to regular",
        }
    ]
    assert env.routed == []
    env.end_block(DAY)
    assert env.proposal(1).status == gov_pb2.PROPOSAL_STATUS_PASSED
    assert env.routed == ["/cosmos.distribution.v1beta1.MsgCommunityPoolSpend"]
    assert env.balance(GOV) == 0


def test_execution_failure_leaves_no_partial_writes(env: Env) -> None:
    # The first spend succeeds, the second exceeds the pool: neither may be written.
    env.submit(messages=[spend("300uakt"), spend("5000000uakt")])
    env.vote(VAL_A, YES)
    carol = env.balance(CAROL)
    alice = env.balance(ALICE)
    ctx = env.end_block(VOTING)
    proposal = env.proposal(1)
    assert proposal.status == gov_pb2.PROPOSAL_STATUS_FAILED
    assert proposal.failed_reason == ("community pool does not have sufficient coins to distribute")
    assert env.balance(CAROL) == carol
    assert env.distr.get_community_pool(env.ctx())["uakt"] == Dec.from_int(1_000_000)
    assert env.balance(ALICE) == alice + MIN  # deposits were refunded before execution
    log = events(ctx, "active_proposal")[0]
    assert log["proposal_result"] == "proposal_failed"
    assert log["proposal_log"].startswith(
        "passed, but msg 1 (/cosmos.distribution.v1beta1.MsgCommunityPoolSpend) failed"
    )
    assert not [e for e in ctx.events if e.attribute("recipient") == addr(CAROL)]


def test_router_that_writes_then_raises(env: Env) -> None:
    def write_then_fail(ctx: Context, msg: Message) -> None:
        ctx.kv_store("scratch").set(b"touched", b"1")
        raise ErrUnknownRequest.wrap("boom")

    env.fail_with = write_then_fail
    env.submit()
    env.vote(VAL_A, YES)
    env.end_block(VOTING)
    proposal = env.proposal(1)
    assert proposal.status == gov_pb2.PROPOSAL_STATUS_FAILED
    assert proposal.failed_reason == "boom: unknown request"
    assert env.store.get(b"scratch/touched") is None


def test_proposal_executes_gov_message(env: Env) -> None:
    update = pack(
        tx_pb2.MsgUpdateParams(authority=GOV_ADDRESS, params=default_params(voting_period=20))
    )
    env.submit(messages=[update])
    env.vote(VAL_A, YES)
    env.end_block(VOTING)
    assert env.proposal(1).status == gov_pb2.PROPOSAL_STATUS_PASSED
    assert env.keeper.get_params(env.ctx()).voting_period_ns == 20 * NANOS


# Tally


def test_weighted_votes_tally(env: Env) -> None:
    env.submit()
    env.deliver(
        tx_pb2.MsgVoteWeighted(
            proposal_id=1,
            voter=addr(VAL_A),
            options=[
                gov_pb2.WeightedVoteOption(option=YES, weight="0.7"),
                gov_pb2.WeightedVoteOption(option=NO, weight="0.3"),
            ],
        )
    )
    env.deliver(
        tx_pb2.MsgVoteWeighted(
            proposal_id=1,
            voter=addr(VAL_B),
            options=[
                gov_pb2.WeightedVoteOption(option=ABSTAIN, weight="0.5"),
                gov_pb2.WeightedVoteOption(option=VETO, weight="0.5"),
            ],
        )
    )
    tally = env.query("TallyResult", query_pb2.QueryTallyResultRequest(proposal_id=1)).tally
    assert (tally.yes_count, tally.no_count, tally.abstain_count, tally.no_with_veto_count) == (
        "420",
        "180",
        "200",
        "200",
    )
    # veto 200/1000 = 0.2 <= 0.334; yes 420 / 800 = 0.525 > 0.5
    env.end_block(VOTING)
    assert env.proposal(1).status == gov_pb2.PROPOSAL_STATUS_PASSED


def test_delegator_overrides_validator_vote(env: Env) -> None:
    env.submit()
    env.vote(VAL_A, YES)
    env.vote(DELEGATOR, NO)
    tally = env.query("TallyResult", query_pb2.QueryTallyResultRequest(proposal_id=1)).tally
    assert (tally.yes_count, tally.no_count) == ("500", "100")
    env.vote(VAL_A, NO)
    env.vote(DELEGATOR, YES)
    env.vote(VAL_B, NO)
    tally = env.query("TallyResult", query_pb2.QueryTallyResultRequest(proposal_id=1)).tally
    assert (tally.yes_count, tally.no_count) == ("100", "900")


def test_slashed_validator_power_follows_tokens(env: Env) -> None:
    env.submit()
    env.vote(VAL_B, YES)  # 800 shares of 800 worth 400 tokens
    tally = env.query("TallyResult", query_pb2.QueryTallyResultRequest(proposal_id=1)).tally
    assert tally.yes_count == "400"


# Deposit period end


@pytest.mark.parametrize("burn", [False, True])
def test_inactive_proposal_is_dropped(env: Env, burn: bool) -> None:
    if burn:
        params = default_params()
        params.burn_proposal_deposit_prevote = True
        env.keeper.set_params(env.ctx(), params)
    env.submit(deposit="1000000uakt")
    env.deliver(tx_pb2.MsgDeposit(proposal_id=1, depositor=addr(BOB), amount=coins("2000000uakt")))
    alice, bob = env.balance(ALICE), env.balance(BOB)
    supply = int(env.bank.get_supply(env.ctx(), "uakt"))
    env.end_block(VOTING - 1)
    assert env.proposal(1) is not None
    ctx = env.end_block(1)
    assert env.proposal(1) is None
    assert events(ctx, "inactive_proposal") == [
        {"proposal_id": "1", "proposal_result": "proposal_dropped"}
    ]
    refunded = 0 if burn else 1
    assert env.balance(ALICE) == alice + refunded * 1_000_000
    assert env.balance(BOB) == bob + refunded * 2_000_000
    burned = 3_000_000 if burn else 0
    assert int(env.bank.get_supply(env.ctx(), "uakt")) == supply - burned
    assert env.keeper.get_deposit(env.ctx(), 1, BOB) is None


# Queries


def test_queries(env: Env) -> None:
    env.submit()
    env.submit(deposit="1000000uakt")
    env.deliver(tx_pb2.MsgDeposit(proposal_id=2, depositor=addr(BOB), amount=coins("100000uakt")))
    env.submit()
    env.vote(BOB, YES, 1)
    env.vote(CAROL, NO, 3)

    proposal = env.query("Proposal", query_pb2.QueryProposalRequest(proposal_id=2)).proposal
    assert proposal.id == 2
    everything = env.query("Proposals", query_pb2.QueryProposalsRequest())
    assert [p.id for p in everything.proposals] == [1, 2, 3]
    voting = env.query(
        "Proposals",
        query_pb2.QueryProposalsRequest(proposal_status=gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD),
    )
    assert [p.id for p in voting.proposals] == [1, 3]
    by_voter = env.query("Proposals", query_pb2.QueryProposalsRequest(voter=addr(CAROL)))
    assert [p.id for p in by_voter.proposals] == [3]
    by_depositor = env.query("Proposals", query_pb2.QueryProposalsRequest(depositor=addr(BOB)))
    assert [p.id for p in by_depositor.proposals] == [2]
    first = env.query("Proposals", query_pb2.QueryProposalsRequest(pagination=PageRequest(limit=2)))
    assert [p.id for p in first.proposals] == [1, 2]
    rest = env.query(
        "Proposals",
        query_pb2.QueryProposalsRequest(pagination=PageRequest(key=first.pagination.next_key)),
    )
    assert [p.id for p in rest.proposals] == [3]
    assert rest.pagination.next_key == b""
    counted = env.query(
        "Proposals",
        query_pb2.QueryProposalsRequest(
            pagination=PageRequest(offset=1, limit=1, count_total=True)
        ),
    )
    assert ([p.id for p in counted.proposals], counted.pagination.total) == ([2], 3)
    backwards = env.query(
        "Proposals", query_pb2.QueryProposalsRequest(pagination=PageRequest(reverse=True))
    )
    assert [p.id for p in backwards.proposals] == [3, 2, 1]

    vote = env.query("Vote", query_pb2.QueryVoteRequest(proposal_id=1, voter=addr(BOB))).vote
    assert vote.options[0].option == YES
    votes = env.query("Votes", query_pb2.QueryVotesRequest(proposal_id=3)).votes
    assert [v.voter for v in votes] == [addr(CAROL)]
    deposit = env.query(
        "Deposit", query_pb2.QueryDepositRequest(proposal_id=2, depositor=addr(BOB))
    ).deposit
    assert [c.amount for c in deposit.amount] == ["100000"]
    deposits = env.query("Deposits", query_pb2.QueryDepositsRequest(proposal_id=2)).deposits
    assert sorted(d.depositor for d in deposits) == sorted([addr(ALICE), addr(BOB)])
    deposit_period_tally = env.query(
        "TallyResult", query_pb2.QueryTallyResultRequest(proposal_id=2)
    ).tally
    assert deposit_period_tally.yes_count == "0"
    assert env.query("Constitution", query_pb2.QueryConstitutionRequest()).constitution == ""


def test_params_query(env: Env) -> None:
    response = env.query("Params", query_pb2.QueryParamsRequest())
    assert response.params.quorum == "0.334000000000000000"
    assert not response.HasField("tally_params")
    tallying = env.query("Params", query_pb2.QueryParamsRequest(params_type="tallying"))
    assert tallying.tally_params.veto_threshold == "0.334000000000000000"
    voting = env.query("Params", query_pb2.QueryParamsRequest(params_type="voting"))
    assert voting.voting_params.voting_period.seconds == VOTING
    deposit = env.query("Params", query_pb2.QueryParamsRequest(params_type="deposit"))
    assert deposit.deposit_params.min_deposit[0].amount == str(MIN)


@pytest.mark.parametrize(
    ("method", "request_", "kind", "log"),
    [
        (
            "Proposal",
            query_pb2.QueryProposalRequest(proposal_id=0),
            ErrInvalidRequest,
            "proposal id can not be 0: invalid request",
        ),
        (
            "Proposal",
            query_pb2.QueryProposalRequest(proposal_id=9),
            ErrNotFound,
            "proposal 9 doesn't exist: not found",
        ),
        (
            "Vote",
            query_pb2.QueryVoteRequest(proposal_id=1),
            ErrInvalidRequest,
            "empty voter address: invalid request",
        ),
        (
            "Vote",
            query_pb2.QueryVoteRequest(proposal_id=1, voter=addr(BOB)),
            ErrNotFound,
            f"voter: {addr(BOB)} not found for proposal: 1: not found",
        ),
        (
            "Deposit",
            query_pb2.QueryDepositRequest(proposal_id=1, depositor=addr(BOB)),
            ErrNotFound,
            f"depositer: {addr(BOB)} not found for proposal: 1: not found",
        ),
        ("Votes", query_pb2.QueryVotesRequest(), ErrInvalidRequest, None),
        ("Deposits", query_pb2.QueryDepositsRequest(), ErrInvalidRequest, None),
        ("TallyResult", query_pb2.QueryTallyResultRequest(proposal_id=4), ErrNotFound, None),
        (
            "Params",
            query_pb2.QueryParamsRequest(params_type="other"),
            ErrInvalidRequest,
            "other is not a valid parameter type: invalid request",
        ),
        ("Proposals", query_pb2.QueryProposalsRequest(voter="x"), ErrInvalidAddress, None),
    ],
)
def test_query_failures(
    env: Env, method: str, request_: Message, kind: RegisteredError, log: str | None
) -> None:
    env.submit()
    with pytest.raises(SdkError) as raised:
        env.query(method, request_)
    assert raised.value.is_(kind)
    if log is not None:
        assert raised.value.log == log


def test_final_tally_is_kept(env: Env) -> None:
    env.submit()
    env.vote(VAL_A, YES)
    env.end_block(VOTING)
    tally = env.query("TallyResult", query_pb2.QueryTallyResultRequest(proposal_id=1)).tally
    assert tally.yes_count == "600"


# Genesis and invariants


def test_default_genesis_round_trips(env: Env) -> None:
    genesis = env.gov.default_genesis()
    assert set(genesis) == {
        "starting_proposal_id",
        "deposits",
        "votes",
        "proposals",
        "params",
        "constitution",
        "deposit_params",
        "voting_params",
        "tally_params",
    }
    assert genesis["starting_proposal_id"] == "1"
    assert genesis["params"]["voting_period"] == "172800s"
    assert genesis["params"]["min_deposit"] == [{"denom": "uakt", "amount": "10000000"}]
    assert genesis["deposit_params"] is None
    assert env.gov.export_genesis(env.ctx()) == genesis


def _without_gov(store: MemKV) -> MemKV:
    return MemKV({key: value for key, value in store.items() if not key.startswith(b"gov/")})


def test_genesis_round_trips_live_state(env: Env) -> None:
    env.submit()
    env.submit(deposit="1000000uakt", metadata="ipfs://x")
    env.vote(VAL_A, YES)
    env.deliver(_weighted((YES, "0.5"), (NO, "0.5")))
    exported = env.gov.export_genesis(env.ctx())
    assert exported["starting_proposal_id"] == "3"
    assert len(exported["proposals"]) == 2
    assert exported["proposals"][0]["messages"][0]["@type"] == (
        "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend"
    )

    fresh = Env(env.staking, store=_without_gov(env.store), height=env.height, time=env.time)
    fresh.gov.init_genesis(fresh.ctx(), exported)
    assert fresh.gov.export_genesis(fresh.ctx()) == exported
    assert fresh.keeper.module_account_invariant(fresh.ctx()) is None
    # Queues are rebuilt: the voting proposal is decided, the other one dropped.
    fresh.end_block(VOTING)
    assert fresh.proposal(1).status == gov_pb2.PROPOSAL_STATUS_PASSED
    assert fresh.proposal(2) is None


def test_invalid_genesis(env: Env) -> None:
    genesis = env.gov.default_genesis()
    fresh = Env(env.staking)
    with pytest.raises(SdkError) as raised:
        fresh.gov.init_genesis(fresh.ctx(), {**genesis, "starting_proposal_id": "0"})
    assert raised.value.is_(ErrInvalidGenesis)
    with pytest.raises(SdkError) as raised:
        fresh.gov.init_genesis(fresh.ctx(), {**genesis, "unknown": 1})
    assert raised.value.is_(ErrJSONUnmarshal)
    env.submit()
    exported = env.gov.export_genesis(env.ctx())
    with pytest.raises(SdkError) as raised:  # deposits without coins in the module account
        fresh.gov.init_genesis(fresh.ctx(), exported)
    assert raised.value.is_(ErrInvalidGenesis)
    assert "expected module account was" in raised.value.log
    duplicate = {**exported, "proposals": exported["proposals"] * 2}
    with pytest.raises(SdkError) as raised:
        fresh.gov.init_genesis(fresh.ctx(), duplicate)
    assert raised.value.log == "duplicate proposal id: 1: invalid genesis state"
    params = {**exported["params"], "expedited_voting_period": "172800s"}
    with pytest.raises(SdkError) as raised:
        fresh.gov.init_genesis(fresh.ctx(), {**exported, "params": params})
    assert raised.value.is_(ErrInvalidGenesis)


def test_module_account_invariant_detects_drift(env: Env) -> None:
    env.submit()
    ((name, check),) = env.gov.invariants()
    assert name == INVARIANT_MODULE_ACCOUNT == "gov/module-account"
    ctx = env.ctx()
    assert check(ctx) is None
    env.bank.send_coins(ctx, BOB, GOV, Coins.parse("1uakt"))
    report = check(ctx)
    assert report is not None
    assert "gov ModuleAccount coins: 10000001uakt" in report
    assert "sum of deposit amounts:  10000000uakt" in report


def test_module_routes() -> None:
    module = GovModule(BankKeeper(), FakeStaking())
    assert module.name == "gov"
    assert sorted(module.msg_handlers()) == [
        "/cosmos.gov.v1.MsgCancelProposal",
        "/cosmos.gov.v1.MsgDeposit",
        "/cosmos.gov.v1.MsgSubmitProposal",
        "/cosmos.gov.v1.MsgUpdateParams",
        "/cosmos.gov.v1.MsgVote",
        "/cosmos.gov.v1.MsgVoteWeighted",
    ]
    assert sorted(module.query_handlers()) == [
        f"/cosmos.gov.v1.Query/{name}"
        for name in sorted(
            [
                "Constitution",
                "Deposit",
                "Deposits",
                "Params",
                "Proposal",
                "Proposals",
                "TallyResult",
                "Vote",
                "Votes",
            ]
        )
    ]
    module = GovModule(BankKeeper(), FakeStaking(), voting_period=20, max_deposit_period=20)
    genesis = module.default_genesis()
    assert genesis["params"]["voting_period"] == "20s"
    assert genesis["params"]["expedited_voting_period"] == "10s"


def test_submit_without_router_is_unroutable() -> None:
    env = Env(FakeStaking())
    env.gov = GovModule(env.bank, env.staking)
    ctx = env.ctx()
    env.gov.init_genesis(ctx, env.gov.default_genesis())
    env.bank.mint_coins(ctx, "mint", Coins.parse("100000000uakt"))
    env.bank.send_coins_from_module_to_account(ctx, "mint", ALICE, Coins.parse("100000000uakt"))
    rejects(env, ErrUnroutableProposalMsg, None, submit_msg())
    env.submit(messages=[], metadata="text proposal")
