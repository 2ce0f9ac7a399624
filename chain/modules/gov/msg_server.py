"""The gov v1 Msg service (``cosmos.gov.v1.Msg``), as cosmos-sdk v0.50 ``keeper/msg_server.go``.

Each handler checks the message, then calls the keeper. Every handler runs in its own branch of
the context and writes it only on success, so a rejected message leaves the store and the events
unchanged even when the caller does not branch (the app branches too, as the SDK does).

``MsgExecLegacyContent`` (v1beta1 content) is not served: the app has no legacy proposal router.

Fails when: as each handler's docstring lists; every error is registered (codespace ``gov`` or
``sdk``) with the SDK's wording.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cosmpy.protos.cosmos.gov.v1 import gov_pb2, tx_pb2
from google.protobuf.message import Message

from chain.modules.gov.keeper import (
    ATTRIBUTE_KEY_VOTING_PERIOD_START,
    EVENT_TYPE_CANCEL_PROPOSAL,
    EVENT_TYPE_PROPOSAL_DEPOSIT,
    EVENT_TYPE_SUBMIT_PROPOSAL,
    SUBMIT_PROPOSAL_GAS_PER_BYTE,
    ErrInvalidProposalContent,
    ErrInvalidSigner,
    ErrInvalidVote,
    ErrMinDepositTooSmall,
    ErrNoProposalMsgs,
    GovKeeper,
    coins_from_pb,
    coins_text,
    metadata_title_summary,
    timestamp,
    valid_vote_option,
    valid_weighted_option,
    weighted_option_text,
    weighted_options_text,
)
from chain.sdk.address import decode_address
from chain.sdk.context import Context
from chain.sdk.errors import (
    ErrInvalidAddress,
    ErrInvalidCoins,
    ErrInvalidRequest,
    SdkError,
)
from chain.sdk.events import Event
from chain.sdk.math import SCALE, Coin, Coins, Dec, Int

MSG = "/cosmos.gov.v1"


def _address(role: str, text: str) -> bytes:
    try:
        return decode_address(text)
    except SdkError as err:
        raise ErrInvalidAddress.wrap(f"invalid {role} address: {err.log}") from None


def _round_int(value: Dec) -> Int:
    """``LegacyDec.RoundInt``: to the nearest integer, halves to even."""
    whole, rest = divmod(value.raw, SCALE)
    if 2 * rest > SCALE or (2 * rest == SCALE and whole % 2 == 1):
        whole += 1
    return Int(whole)


class MsgServer:
    """Handlers of ``cosmos.gov.v1.Msg``."""

    def __init__(self, keeper: GovKeeper) -> None:
        self.keeper = keeper

    def handlers(self) -> dict[str, Callable[[Context, Any], Message]]:
        """Type URL -> handler, for the app's message router."""
        routes: dict[str, Callable[[Context, Any], Message]] = {
            "MsgSubmitProposal": self.submit_proposal,
            "MsgDeposit": self.deposit,
            "MsgVote": self.vote,
            "MsgVoteWeighted": self.vote_weighted,
            "MsgUpdateParams": self.update_params,
            "MsgCancelProposal": self.cancel_proposal,
        }
        return {f"{MSG}.{name}": _atomic(handler) for name, handler in routes.items()}

    def submit_proposal(
        self, ctx: Context, msg: tx_pb2.MsgSubmitProposal
    ) -> tx_pb2.MsgSubmitProposalResponse:
        """Create a proposal and deposit ``initial_deposit`` on it; voting starts at once if the
        deposit reaches the (expedited) minimum deposit.

        Fails when:
        - the title or summary is empty: ``ErrInvalidRequest`` ``proposal title cannot be
          empty`` / ``proposal summary cannot be empty``;
        - the proposer is not an address: ``ErrInvalidAddress`` ``invalid proposer address``;
        - there are neither messages nor metadata: ``ErrNoProposalMsgs``;
        - the metadata is gov metadata JSON whose title or summary differ:
          ``ErrInvalidProposalContent`` ``metadata title '<t>' must equal proposal title '<t>'``;
        - a message does not decode (``ErrTxDecode``), is not signed by exactly the gov account
          (``ErrInvalidSigner``) or has no route (``ErrUnroutableProposalMsg``);
        - the initial deposit is invalid coins (``ErrInvalidCoins``), below
          ``min_initial_deposit_ratio`` of the minimum deposit (``ErrMinDepositTooSmall``
          ``was (<coins>), need (<coins>)``) or in another denom (``ErrInvalidDepositDenom``);
        - metadata/title longer than 255 bytes (``ErrMetadataTooLong``), summary longer than
          2550 (``ErrSummaryTooLong``);
        - the proposer lacks the initial deposit: ``ErrInsufficientFunds``.
        """
        if not msg.title:
            raise ErrInvalidRequest.wrap("proposal title cannot be empty")
        if not msg.summary:
            raise ErrInvalidRequest.wrap("proposal summary cannot be empty")
        proposer = _address("proposer", msg.proposer)
        if not msg.messages and not msg.metadata:
            raise ErrNoProposalMsgs.wrap("either metadata or Msgs length must be non-nil")
        if msg.metadata:
            parsed = metadata_title_summary(msg.metadata)
            if parsed is not None:
                title, summary = parsed
                if title != msg.title:
                    raise ErrInvalidProposalContent.wrap(
                        f"metadata title '{title}' must equal proposal title '{msg.title}'"
                    )
                if summary != msg.summary:
                    raise ErrInvalidProposalContent.wrap(
                        f"metadata summary '{summary}' must equal proposal summary '{msg.summary}'"
                    )
        keeper = self.keeper
        params = keeper.get_params(ctx)
        try:
            initial_deposit = coins_from_pb(msg.initial_deposit, allow_empty=True)
        except SdkError:
            raise ErrInvalidCoins.wrap(coins_text(msg.initial_deposit)) from None
        ratio = params.min_initial_deposit_ratio
        if not ratio.is_zero():
            needed = Coins(
                Coin(coin.denom, _round_int(Dec.from_int(coin.amount).mul(ratio)))
                for coin in params.min_deposit_for(msg.expedited)
            )
            if not initial_deposit.is_all_gte(needed):
                raise ErrMinDepositTooSmall.wrap(f"was ({initial_deposit}), need ({needed})")
        keeper.validate_deposit_denom(params, initial_deposit)
        proposal = keeper.submit_proposal(
            ctx,
            list(msg.messages),
            msg.metadata,
            msg.title,
            msg.summary,
            proposer,
            msg.expedited,
        )
        ctx.gas_meter.consume(SUBMIT_PROPOSAL_GAS_PER_BYTE * proposal.ByteSize(), "submit proposal")
        # For submissions the initial deposit is the threshold, so min_deposit_ratio is skipped.
        started = keeper.add_deposit(
            ctx, proposal.id, proposer, initial_deposit, check_min_deposit_ratio=False
        )
        if started:
            ctx.emit_event(
                Event(
                    EVENT_TYPE_SUBMIT_PROPOSAL,
                    ((ATTRIBUTE_KEY_VOTING_PERIOD_START, str(proposal.id)),),
                )
            )
        return tx_pb2.MsgSubmitProposalResponse(proposal_id=proposal.id)

    def deposit(self, ctx: Context, msg: tx_pb2.MsgDeposit) -> tx_pb2.MsgDepositResponse:
        """Add a deposit to a proposal in its deposit or voting period.

        Fails when:
        - the depositor is not an address: ``ErrInvalidAddress`` ``invalid depositor address``;
        - the amount is empty or not valid positive coins: ``ErrInvalidCoins``;
        - the proposal does not exist (``ErrUnknownProposal``) or is decided
          (``ErrInactiveProposal``);
        - a denom is not a min-deposit denom: ``ErrInvalidDepositDenom``;
        - the amount is below ``min_deposit_ratio`` of the minimum deposit:
          ``ErrMinDepositTooSmall`` ``received <c> but need at least one of the following: <c>``;
        - the depositor lacks the coins: ``ErrInsufficientFunds``.
        """
        depositor = _address("depositor", msg.depositor)
        amount = coins_from_pb(msg.amount, allow_empty=False)
        started = self.keeper.add_deposit(ctx, msg.proposal_id, depositor, amount)
        if started:
            ctx.emit_event(
                Event(
                    EVENT_TYPE_PROPOSAL_DEPOSIT,
                    ((ATTRIBUTE_KEY_VOTING_PERIOD_START, str(msg.proposal_id)),),
                )
            )
        return tx_pb2.MsgDepositResponse()

    def vote(self, ctx: Context, msg: tx_pb2.MsgVote) -> tx_pb2.MsgVoteResponse:
        """Vote one option with full weight on a proposal in its voting period.

        Fails when:
        - the voter is not an address: ``ErrInvalidAddress`` ``invalid voter address``;
        - the option is not yes, abstain, no or no-with-veto: ``ErrInvalidVote`` ``<option>``;
        - the proposal is not in its voting period: ``ErrInactiveProposal`` ``<id>``;
        - the metadata is longer than 255 bytes: ``ErrMetadataTooLong``.
        """
        voter = _address("voter", msg.voter)
        if not valid_vote_option(msg.option):
            name = (
                gov_pb2.VoteOption.Name(msg.option)
                if msg.option in gov_pb2.VoteOption.values()
                else str(msg.option)
            )
            raise ErrInvalidVote.wrap(name)
        option = gov_pb2.WeightedVoteOption(option=msg.option, weight=str(Dec.one()))
        self.keeper.add_vote(ctx, msg.proposal_id, voter, [option], msg.metadata)
        return tx_pb2.MsgVoteResponse()

    def vote_weighted(
        self, ctx: Context, msg: tx_pb2.MsgVoteWeighted
    ) -> tx_pb2.MsgVoteWeightedResponse:
        """Split a vote over several options whose weights sum to exactly 1.

        Fails when:
        - the voter is not an address: ``ErrInvalidAddress``;
        - there are no options: ``ErrInvalidRequest``;
        - an option is invalid or its weight not in (0, 1]: ``ErrInvalidVote`` ``<option>``;
        - an option appears twice: ``ErrInvalidVote`` ``duplicated vote option``;
        - the weights sum above or below 1: ``ErrInvalidVote`` ``total weight overflow 1.00`` /
          ``total weight lower than 1.00``;
        - the proposal is not in its voting period (``ErrInactiveProposal``) or the metadata is
          too long (``ErrMetadataTooLong``).
        """
        voter = _address("voter", msg.voter)
        if not msg.options:
            raise ErrInvalidRequest.wrap(weighted_options_text(msg.options))
        total = Dec.zero()
        used: set[int] = set()
        for option in msg.options:
            if not valid_weighted_option(option):
                raise ErrInvalidVote.wrap(weighted_option_text(option))
            total = total + Dec.from_str(option.weight)
            if option.option in used:
                raise ErrInvalidVote.wrap("duplicated vote option")
            used.add(option.option)
        if total > Dec.one():
            raise ErrInvalidVote.wrap("total weight overflow 1.00")
        if total < Dec.one():
            raise ErrInvalidVote.wrap("total weight lower than 1.00")
        self.keeper.add_vote(ctx, msg.proposal_id, voter, list(msg.options), msg.metadata)
        return tx_pb2.MsgVoteWeightedResponse()

    def update_params(
        self, ctx: Context, msg: tx_pb2.MsgUpdateParams
    ) -> tx_pb2.MsgUpdateParamsResponse:
        """Replace the params (gov authority only).

        Fails when:
        - the authority is not the gov account: ``ErrInvalidSigner`` ``invalid authority;
          expected <gov>, got <authority>``;
        - the params are invalid: ``ErrInvalidRequest`` with ``Params.ValidateBasic``'s message
          (e.g. ``expedited voting period ... must be strictly less that the regular voting
          period ...``).
        """
        authority = self.keeper.authority
        if msg.authority != authority:
            raise ErrInvalidSigner.wrap(
                f"invalid authority; expected {authority}, got {msg.authority}"
            )
        self.keeper.set_params(ctx, msg.params)
        return tx_pb2.MsgUpdateParamsResponse()

    def cancel_proposal(
        self, ctx: Context, msg: tx_pb2.MsgCancelProposal
    ) -> tx_pb2.MsgCancelProposalResponse:
        """Cancel one's own proposal before its voting ends; ``proposal_cancel_ratio`` of every
        deposit is burned (or sent to ``proposal_cancel_dest``), the rest refunded.

        Fails when:
        - the proposer is not an address: ``ErrInvalidAddress`` ``invalid proposer address``;
        - the proposal does not exist: ``ErrUnknownProposal`` ``proposal <id> doesn't exist``;
        - the signer did not submit it: ``ErrInvalidProposer`` ``invalid proposer <addr>``;
        - it is decided: ``ErrInvalidProposal``; its voting ended: ``ErrVotingPeriodEnded``.
        """
        _address("proposer", msg.proposer)
        self.keeper.cancel_proposal(ctx, msg.proposal_id, msg.proposer)
        ctx.emit_event(
            Event(
                EVENT_TYPE_CANCEL_PROPOSAL,
                (("sender", msg.proposer), ("proposal_id", str(msg.proposal_id))),
            )
        )
        return tx_pb2.MsgCancelProposalResponse(
            proposal_id=msg.proposal_id,
            canceled_time=timestamp(ctx.header.time_ns),
            canceled_height=ctx.height,
        )


def _atomic(handler: Callable[[Context, Any], Message]) -> Callable[[Context, Any], Message]:
    """``handler`` run in a branch of the context, written only if it returns."""

    def run(ctx: Context, msg: Any) -> Message:
        branch = ctx.branch()
        response = handler(branch.ctx, msg)
        branch.write()
        return response

    run.__name__ = getattr(handler, "__name__", "handler")
    run.__doc__ = handler.__doc__
    return run
