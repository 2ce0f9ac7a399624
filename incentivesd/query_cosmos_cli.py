"""``incentivesd query`` for the standard Cosmos modules: bank, auth, gov (v1), distribution and
staking. These work unchanged against any Cosmos-SDK 0.47/0.50 node (a real Akash node).

Fails when: see ``incentivesd.query_common`` (exit 1 with the reason).
"""

from __future__ import annotations

from typing import Any

import click
from cosmpy.protos.cosmos.auth.v1beta1.query_pb2 import QueryAccountRequest
from cosmpy.protos.cosmos.bank.v1beta1.query_pb2 import (
    QueryAllBalancesRequest,
    QueryBalanceRequest,
    QueryTotalSupplyRequest,
)
from cosmpy.protos.cosmos.distribution.v1beta1 import query_pb2 as distribution_query
from cosmpy.protos.cosmos.gov.v1 import gov_pb2
from cosmpy.protos.cosmos.gov.v1 import query_pb2 as gov_query
from cosmpy.protos.cosmos.staking.v1beta1 import query_pb2 as staking_query
from cosmpy.protos.cosmos.staking.v1beta1 import staking_pb2
from cosmpy.protos.cosmos.vesting.v1beta1 import vesting_pb2  # noqa: F401  (account types)

from incentivesd.client.client import Client
from incentivesd.query_common import (
    Cell,
    Table,
    all_pages,
    coins_text,
    node_option,
    output_option,
    page_size_option,
    run_query,
)

PROPOSAL_STATUSES = {
    "deposit-period": gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD,
    "voting-period": gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD,
    "passed": gov_pb2.PROPOSAL_STATUS_PASSED,
    "rejected": gov_pb2.PROPOSAL_STATUS_REJECTED,
    "failed": gov_pb2.PROPOSAL_STATUS_FAILED,
}
VALIDATOR_STATUSES = {
    "bonded": staking_pb2.BondStatus.Name(staking_pb2.BOND_STATUS_BONDED),
    "unbonding": staking_pb2.BondStatus.Name(staking_pb2.BOND_STATUS_UNBONDING),
    "unbonded": staking_pb2.BondStatus.Name(staking_pb2.BOND_STATUS_UNBONDED),
}


def _stripped(path: str, prefix: str) -> Any:
    def cell(row: dict[str, Any]) -> str:
        value: Any = row
        for part in path.split("."):
            value = value.get(part, "") if isinstance(value, dict) else ""
        return str(value).removeprefix(prefix)

    return cell


def _vote_options(row: dict[str, Any]) -> str:
    options = row.get("options") or []
    if len(options) == 1:
        return str(options[0].get("option", "")).removeprefix("VOTE_OPTION_")
    return ",".join(
        f"{str(item.get('option', '')).removeprefix('VOTE_OPTION_')}:{item.get('weight', '')}"
        for item in options
    )


def register(query_group: click.Group) -> None:
    """Add the bank, auth, gov, distribution and staking groups to ``query_group``."""
    for group in (bank_group, auth_group, gov_group, distribution_group, staking_group):
        query_group.add_command(group)


@click.group("bank")
def bank_group() -> None:
    """Balances and supply."""


@bank_group.command("balances")
@click.argument("address")
@page_size_option
@node_option
@output_option
def balances_command(address: str, page_size: int, node: str, output: str) -> None:
    """All balances of ADDRESS."""

    def call(client: Client) -> Any:
        request = QueryAllBalancesRequest(address=address)
        return all_pages(client, client.bank.AllBalances, request, "balances", page_size)

    run_query(node, output, call, Table("balances", {"denom": "denom", "amount": "amount"}))


@bank_group.command("balance")
@click.argument("address")
@click.argument("denom")
@node_option
@output_option
def balance_command(address: str, denom: str, node: str, output: str) -> None:
    """The balance of ADDRESS in DENOM."""
    request = QueryBalanceRequest(address=address, denom=denom)
    run_query(node, output, lambda client: client.call(client.bank.Balance, request))


@bank_group.command("total")
@page_size_option
@node_option
@output_option
def total_command(page_size: int, node: str, output: str) -> None:
    """The total supply of every denom."""

    def call(client: Client) -> Any:
        request = QueryTotalSupplyRequest()
        return all_pages(client, client.bank.TotalSupply, request, "supply", page_size)

    run_query(node, output, call, Table("supply", {"denom": "denom", "amount": "amount"}))


@click.group("auth")
def auth_group() -> None:
    """Accounts."""


@auth_group.command("account")
@click.argument("address")
@node_option
@output_option
def account_command(address: str, node: str, output: str) -> None:
    """The account at ADDRESS (number, sequence, public key)."""
    request = QueryAccountRequest(address=address)
    run_query(node, output, lambda client: client.call(client.ledger.auth.Account, request))


@click.group("gov")
def gov_group() -> None:
    """Governance (gov v1)."""


@gov_group.command("proposal")
@click.argument("proposal_id", type=click.IntRange(min=1))
@node_option
@output_option
def proposal_command(proposal_id: int, node: str, output: str) -> None:
    """Proposal PROPOSAL_ID."""
    request = gov_query.QueryProposalRequest(proposal_id=proposal_id)
    run_query(node, output, lambda client: client.call(client.gov.Proposal, request))


@gov_group.command("proposals")
@click.option("--status", type=click.Choice(sorted(PROPOSAL_STATUSES)), help="Only these.")
@click.option("--voter", default="", help="Only proposals this address voted on.")
@click.option("--depositor", default="", help="Only proposals this address deposited on.")
@page_size_option
@node_option
@output_option
def proposals_command(
    status: str | None, voter: str, depositor: str, page_size: int, node: str, output: str
) -> None:
    """Every proposal, oldest first."""
    request = gov_query.QueryProposalsRequest(
        proposal_status=PROPOSAL_STATUSES[status] if status else 0,
        voter=voter,
        depositor=depositor,
    )
    columns = {
        "id": "id",
        "status": _stripped("status", "PROPOSAL_STATUS_"),
        "title": "title",
        "submitted": "submit_time",
        "voting ends": "voting_end_time",
    }
    run_query(
        node,
        output,
        lambda client: all_pages(client, client.gov.Proposals, request, "proposals", page_size),
        Table("proposals", columns),
    )


@gov_group.command("votes")
@click.argument("proposal_id", type=click.IntRange(min=1))
@page_size_option
@node_option
@output_option
def votes_command(proposal_id: int, page_size: int, node: str, output: str) -> None:
    """The votes on proposal PROPOSAL_ID (while it is in its voting period)."""
    request = gov_query.QueryVotesRequest(proposal_id=proposal_id)
    run_query(
        node,
        output,
        lambda client: all_pages(client, client.gov.Votes, request, "votes", page_size),
        Table("votes", {"voter": "voter", "option": _vote_options}),
    )


@gov_group.command("deposits")
@click.argument("proposal_id", type=click.IntRange(min=1))
@page_size_option
@node_option
@output_option
def deposits_command(proposal_id: int, page_size: int, node: str, output: str) -> None:
    """The deposits on proposal PROPOSAL_ID (until it is decided)."""
    request = gov_query.QueryDepositsRequest(proposal_id=proposal_id)
    run_query(
        node,
        output,
        lambda client: all_pages(client, client.gov.Deposits, request, "deposits", page_size),
        Table("deposits", {"depositor": "depositor", "amount": "amount"}),
    )


@gov_group.command("tally")
@click.argument("proposal_id", type=click.IntRange(min=1))
@node_option
@output_option
def tally_command(proposal_id: int, node: str, output: str) -> None:
    """The tally of proposal PROPOSAL_ID (live while voting, final after)."""
    request = gov_query.QueryTallyResultRequest(proposal_id=proposal_id)
    run_query(node, output, lambda client: client.call(client.gov.TallyResult, request))


@gov_group.command("params")
@node_option
@output_option
def gov_params_command(node: str, output: str) -> None:
    """The gov parameters (deposit, voting periods, quorum, thresholds)."""
    request = gov_query.QueryParamsRequest(params_type="tallying")
    run_query(node, output, lambda client: client.call(client.gov.Params, request).params)


@click.group("distribution")
def distribution_group() -> None:
    """Distribution: the community pool and staking rewards."""


@distribution_group.command("community-pool")
@node_option
@output_option
def community_pool_command(node: str, output: str) -> None:
    """The community pool."""
    request = distribution_query.QueryCommunityPoolRequest()
    run_query(node, output, lambda client: client.call(client.distribution.CommunityPool, request))


@distribution_group.command("rewards")
@click.argument("delegator")
@click.argument("validator", required=False)
@node_option
@output_option
def rewards_command(delegator: str, validator: str | None, node: str, output: str) -> None:
    """DELEGATOR's unclaimed staking rewards: from every validator, or from VALIDATOR."""
    if validator:
        one = distribution_query.QueryDelegationRewardsRequest(
            delegator_address=delegator, validator_address=validator
        )
        run_query(
            node, output, lambda client: client.call(client.distribution.DelegationRewards, one)
        )
        return
    every = distribution_query.QueryDelegationTotalRewardsRequest(delegator_address=delegator)
    run_query(
        node,
        output,
        lambda client: client.call(client.distribution.DelegationTotalRewards, every),
        Table("rewards", {"validator": "validator_address", "reward": "reward"}),
    )


@distribution_group.command("params")
@node_option
@output_option
def distribution_params_command(node: str, output: str) -> None:
    """The distribution parameters (community tax, ...)."""
    request = distribution_query.QueryParamsRequest()
    run_query(node, output, lambda client: client.call(client.distribution.Params, request))


@distribution_group.command("withdraw-addr")
@click.argument("delegator")
@node_option
@output_option
def withdraw_addr_command(delegator: str, node: str, output: str) -> None:
    """Where DELEGATOR's rewards are withdrawn to."""
    request = distribution_query.QueryDelegatorWithdrawAddressRequest(delegator_address=delegator)
    run_query(
        node,
        output,
        lambda client: client.call(client.distribution.DelegatorWithdrawAddress, request),
    )


@click.group("staking")
def staking_group() -> None:
    """Validators and delegations."""


@staking_group.command("validators")
@click.option("--status", type=click.Choice(sorted(VALIDATOR_STATUSES)), help="Only these.")
@page_size_option
@node_option
@output_option
def validators_command(status: str | None, page_size: int, node: str, output: str) -> None:
    """Every validator."""
    request = staking_query.QueryValidatorsRequest(
        status=VALIDATOR_STATUSES[status] if status else ""
    )
    columns = {
        "operator": "operator_address",
        "moniker": "description.moniker",
        "status": _stripped("status", "BOND_STATUS_"),
        "tokens": "tokens",
        "commission": "commission.commission_rates.rate",
        "jailed": lambda row: "yes" if row.get("jailed") else "no",
    }
    run_query(
        node,
        output,
        lambda client: all_pages(
            client, client.ledger.staking.Validators, request, "validators", page_size
        ),
        Table("validators", columns),
    )


@staking_group.command("validator")
@click.argument("validator")
@node_option
@output_option
def validator_command(validator: str, node: str, output: str) -> None:
    """Validator VALIDATOR (its akashvaloper address)."""
    request = staking_query.QueryValidatorRequest(validator_addr=validator)
    run_query(node, output, lambda client: client.call(client.ledger.staking.Validator, request))


@staking_group.command("delegations")
@click.argument("delegator")
@page_size_option
@node_option
@output_option
def delegations_command(delegator: str, page_size: int, node: str, output: str) -> None:
    """DELEGATOR's delegations."""
    request = staking_query.QueryDelegatorDelegationsRequest(delegator_addr=delegator)
    columns: dict[str, Cell] = {
        "validator": "delegation.validator_address",
        "shares": "delegation.shares",
        "balance": lambda row: coins_text(row.get("balance")),
    }
    run_query(
        node,
        output,
        lambda client: all_pages(
            client,
            client.ledger.staking.DelegatorDelegations,
            request,
            "delegation_responses",
            page_size,
        ),
        Table("delegation_responses", columns),
    )
