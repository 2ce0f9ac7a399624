"""The gov v1 Query service (``/cosmos.gov.v1.Query/...``), as cosmos-sdk v0.50
``keeper/grpc_query.go``: read-only answers over the store.

Pagination follows the SDK's ``PageRequest`` (key or offset, limit 100 by default,
``count_total``, ``reverse``); ``Proposals`` filters by status, voter and depositor as it pages,
so ``next_key`` is the key of the first proposal after the page whether or not it matches.

Fails when: a proposal id is 0 or a required address is empty (``ErrInvalidRequest`` ``proposal
id can not be 0`` / ``empty voter address`` / ``empty depositor address``); a proposal, vote or
deposit does not exist (``ErrNotFound`` ``proposal <id> doesn't exist`` / ``voter: <addr> not
found for proposal: <id>`` / ``depositer: <addr> not found for proposal: <id>``); an address is
malformed (``ErrInvalidAddress``); ``params_type`` is not ``deposit``, ``voting``, ``tallying`` or
empty (``ErrInvalidRequest`` ``<type> is not a valid parameter type``); a page request gives both
key and offset (``ErrInvalidRequest``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cosmpy.protos.cosmos.base.query.v1beta1.pagination_pb2 import PageRequest, PageResponse
from cosmpy.protos.cosmos.gov.v1 import gov_pb2, query_pb2
from google.protobuf.message import Message

from chain.modules.gov.keeper import (
    STATUS_DEPOSIT_PERIOD,
    STATUS_FAILED,
    STATUS_PASSED,
    STATUS_REJECTED,
    STATUS_VOTING_PERIOD,
    GovKeeper,
)
from chain.modules.gov.tally import empty_tally_result
from chain.sdk.address import decode_address
from chain.sdk.collections import DEFAULT_PAGE_LIMIT
from chain.sdk.context import Context
from chain.sdk.errors import ErrInvalidRequest, ErrNotFound

QUERY = "/cosmos.gov.v1.Query"
PARAMS_TYPES = ("deposit", "voting", "tallying")
_STATUSES = (
    STATUS_DEPOSIT_PERIOD,
    STATUS_VOTING_PERIOD,
    STATUS_PASSED,
    STATUS_REJECTED,
    STATUS_FAILED,
)


def _proposal_id(proposal_id: int) -> int:
    if proposal_id == 0:
        raise ErrInvalidRequest.wrap("proposal id can not be 0")
    return proposal_id


class QueryServer:
    """Handlers of ``cosmos.gov.v1.Query``."""

    def __init__(self, keeper: GovKeeper) -> None:
        self.keeper = keeper

    def handlers(self) -> dict[str, Callable[[Context, Any], Message]]:
        """gRPC method path -> handler, for the app's query router."""
        return {
            f"{QUERY}/Constitution": self.constitution,
            f"{QUERY}/Proposal": self.proposal,
            f"{QUERY}/Proposals": self.proposals,
            f"{QUERY}/Vote": self.vote,
            f"{QUERY}/Votes": self.votes,
            f"{QUERY}/Params": self.params,
            f"{QUERY}/Deposit": self.deposit,
            f"{QUERY}/Deposits": self.deposits,
            f"{QUERY}/TallyResult": self.tally_result,
        }

    def constitution(
        self, ctx: Context, request: query_pb2.QueryConstitutionRequest
    ) -> query_pb2.QueryConstitutionResponse:
        return query_pb2.QueryConstitutionResponse(constitution=self.keeper.get_constitution(ctx))

    def _get_proposal(self, ctx: Context, proposal_id: int) -> Any:
        proposal = self.keeper.get_proposal(ctx, _proposal_id(proposal_id))
        if proposal is None:
            raise ErrNotFound.wrap(f"proposal {proposal_id} doesn't exist")
        return proposal

    def proposal(
        self, ctx: Context, request: query_pb2.QueryProposalRequest
    ) -> query_pb2.QueryProposalResponse:
        return query_pb2.QueryProposalResponse(
            proposal=self._get_proposal(ctx, request.proposal_id)
        )

    def proposals(
        self, ctx: Context, request: query_pb2.QueryProposalsRequest
    ) -> query_pb2.QueryProposalsResponse:
        """Proposals by id, filtered by ``proposal_status`` (unless unspecified), ``voter`` (has
        voted) and ``depositor`` (has deposited)."""
        keeper = self.keeper
        voter = decode_address(request.voter) if request.voter else None
        depositor = decode_address(request.depositor) if request.depositor else None
        status = request.proposal_status if request.proposal_status in _STATUSES else None

        def include(proposal: gov_pb2.Proposal) -> bool:
            if status is not None and proposal.status != status:
                return False
            if voter is not None and keeper.get_vote(ctx, proposal.id, voter) is None:
                return False
            return depositor is None or keeper.get_deposit(ctx, proposal.id, depositor) is not None

        items = [
            (proposal_id.to_bytes(8, "big"), proposal)
            for proposal_id, proposal in keeper.proposals.iterate(ctx)
        ]
        proposals, page = _filtered_page(items, request.pagination, include)
        return query_pb2.QueryProposalsResponse(proposals=proposals, pagination=page)

    def vote(
        self, ctx: Context, request: query_pb2.QueryVoteRequest
    ) -> query_pb2.QueryVoteResponse:
        proposal_id = _proposal_id(request.proposal_id)
        if not request.voter:
            raise ErrInvalidRequest.wrap("empty voter address")
        vote = self.keeper.get_vote(ctx, proposal_id, decode_address(request.voter))
        if vote is None:
            raise ErrNotFound.wrap(f"voter: {request.voter} not found for proposal: {proposal_id}")
        return query_pb2.QueryVoteResponse(vote=vote)

    def votes(
        self, ctx: Context, request: query_pb2.QueryVotesRequest
    ) -> query_pb2.QueryVotesResponse:
        proposal_id = _proposal_id(request.proposal_id)
        items, page = self.keeper.votes.page(ctx, request.pagination, (proposal_id,))
        return query_pb2.QueryVotesResponse(votes=[vote for _, vote in items], pagination=page)

    def params(
        self, ctx: Context, request: query_pb2.QueryParamsRequest
    ) -> query_pb2.QueryParamsResponse:
        """The v1 ``params``, plus the legacy ``deposit_params``, ``voting_params`` or
        ``tally_params`` named by ``params_type``."""
        params = self.keeper.get_params(ctx).to_pb()
        response = query_pb2.QueryParamsResponse(params=params)
        kind = request.params_type
        if kind == "deposit":
            response.deposit_params.CopyFrom(
                gov_pb2.DepositParams(
                    min_deposit=params.min_deposit, max_deposit_period=params.max_deposit_period
                )
            )
        elif kind == "voting":
            response.voting_params.CopyFrom(
                gov_pb2.VotingParams(voting_period=params.voting_period)
            )
        elif kind == "tallying":
            response.tally_params.CopyFrom(
                gov_pb2.TallyParams(
                    quorum=params.quorum,
                    threshold=params.threshold,
                    veto_threshold=params.veto_threshold,
                )
            )
        elif kind:
            raise ErrInvalidRequest.wrap(f"{kind} is not a valid parameter type")
        return response

    def deposit(
        self, ctx: Context, request: query_pb2.QueryDepositRequest
    ) -> query_pb2.QueryDepositResponse:
        proposal_id = _proposal_id(request.proposal_id)
        if not request.depositor:
            raise ErrInvalidRequest.wrap("empty depositor address")
        deposit = self.keeper.get_deposit(ctx, proposal_id, decode_address(request.depositor))
        if deposit is None:
            raise ErrNotFound.wrap(
                f"depositer: {request.depositor} not found for proposal: {proposal_id}"
            )
        return query_pb2.QueryDepositResponse(deposit=deposit)

    def deposits(
        self, ctx: Context, request: query_pb2.QueryDepositsRequest
    ) -> query_pb2.QueryDepositsResponse:
        proposal_id = _proposal_id(request.proposal_id)
        items, page = self.keeper.deposits.page(ctx, request.pagination, (proposal_id,))
        return query_pb2.QueryDepositsResponse(
            deposits=[deposit for _, deposit in items], pagination=page
        )

    def tally_result(
        self, ctx: Context, request: query_pb2.QueryTallyResultRequest
    ) -> query_pb2.QueryTallyResultResponse:
        """Zero in the deposit period, the live tally in the voting period, the final tally
        once decided."""
        proposal = self._get_proposal(ctx, request.proposal_id)
        if proposal.status == STATUS_DEPOSIT_PERIOD:
            tally = empty_tally_result()
        elif proposal.status == STATUS_VOTING_PERIOD:
            tally = self.keeper.tally(ctx, proposal).to_pb()
        else:
            tally = proposal.final_tally_result
        return query_pb2.QueryTallyResultResponse(tally=tally)


def _filtered_page(
    items: list[tuple[bytes, Any]],
    request: PageRequest,
    include: Callable[[Any], bool],
) -> tuple[list[Any], PageResponse]:
    """One page of the ``items`` (key-ordered (key, value) pairs) that ``include`` accepts,
    as the SDK's ``CollectionFilteredPaginate``."""
    if request.key and request.offset:
        raise ErrInvalidRequest.wrap("either offset or key is expected, got both")
    limit = request.limit or DEFAULT_PAGE_LIMIT
    ordered = list(reversed(items)) if request.reverse else items
    results: list[Any] = []
    next_key = b""
    if request.key:
        start = bytes(request.key)
        for key, value in ordered:
            if (key > start) if request.reverse else (key < start):
                continue
            if len(results) == limit:
                next_key = key
                break
            if include(value):
                results.append(value)
        return results, PageResponse(next_key=next_key)
    end = request.offset + limit
    count = 0
    for key, value in ordered:
        if count == end and not next_key:
            next_key = key
            if not request.count_total:
                break
        if not include(value):
            continue
        if request.offset <= count < end:
            results.append(value)
        count += 1
    return results, PageResponse(next_key=next_key, total=count if request.count_total else 0)
