"""``incentivesd query`` (alias ``q``): read-only queries of a node over gRPC.

Output: ``-o json`` prints the response message as JSON (proto field names, via
``MessageToDict(preserving_proto_field_name=True)``); ``-o text`` prints ``key: value`` lines,
nested fields joined with dots, and lists of coins as ``<amount><denom>``.

Fails when: the node cannot be reached, or the object is not found or the request is invalid
(exit code 1, the reason on stderr).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import click
import grpc
from cosmpy.protos.cosmos.bank.v1beta1.query_pb2 import QueryAllBalancesRequest
from cosmpy.protos.cosmos.distribution.v1beta1.query_pb2 import QueryCommunityPoolRequest
from cosmpy.protos.cosmos.gov.v1.query_pb2 import QueryProposalRequest
from google.protobuf.json_format import MessageToDict

from incentives.pb import query_pb2
from incentivesd.client.client import DEFAULT_NODE, Client, ClientError

node_option = click.option(
    "--node", default=DEFAULT_NODE, show_default=True, help="The node's gRPC endpoint."
)
output_option = click.option(
    "-o", "--output", type=click.Choice(["text", "json"]), default="text", show_default=True
)


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        if set(value) == {"denom", "amount"}:
            yield prefix, f"{value['amount']}{value['denom']}"
            return
        if not value and prefix:
            yield prefix, "{}"
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        if not value:
            yield prefix, "[]"
        elif all(isinstance(item, dict) and set(item) == {"denom", "amount"} for item in value):
            yield prefix, ",".join(f"{item['amount']}{item['denom']}" for item in value)
        else:
            for index, item in enumerate(value):
                yield from _flatten(item, f"{prefix}[{index}]")
    else:
        yield prefix, str(value)


def render(message: Any, output: str) -> str:
    """A response message as JSON or as ``key: value`` lines."""
    data = MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    if output == "json":
        return json.dumps(data, sort_keys=True)
    return "\n".join(f"{key}: {value}" for key, value in _flatten(data))


def run_query(node: str, output: str, call: Callable[[Client], Any]) -> None:
    """Run ``call`` on a client of ``node`` and print its answer; errors exit 1."""
    try:
        with Client(node) as client:
            response = call(client)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    except ClientError as error:
        raise click.ClickException(str(error)) from None
    except grpc.RpcError as error:
        code = error.code()
        if code == grpc.StatusCode.NOT_FOUND:
            raise click.ClickException(f"not found: {error.details()}") from None
        raise click.ClickException(f"{code.name.lower()}: {error.details()}") from None
    click.echo(render(response, output))


@click.group("query")
def query_group() -> None:
    """Query a node over gRPC."""


@query_group.group("bank")
def bank_group() -> None:
    """Bank balances."""


@bank_group.command("balances")
@click.argument("address")
@node_option
@output_option
def balances_command(address: str, node: str, output: str) -> None:
    """All balances of ADDRESS."""
    request = QueryAllBalancesRequest(address=address)
    run_query(node, output, lambda client: client.call(client.bank.AllBalances, request))


@query_group.group("incentives")
def incentives_group() -> None:
    """The incentives module."""


@incentives_group.command("params")
@node_option
@output_option
def incentives_params_command(node: str, output: str) -> None:
    """The module's parameters."""
    request = query_pb2.QueryParamsRequest()
    run_query(node, output, lambda client: client.call(client.incentives.Params, request))


@incentives_group.command("pools")
@node_option
@output_option
def pools_command(node: str, output: str) -> None:
    """All reward pools (first page)."""
    request = query_pb2.QueryPoolsRequest()
    run_query(node, output, lambda client: client.call(client.incentives.Pools, request))


@incentives_group.command("pool")
@click.argument("pool_id", type=click.IntRange(min=0))
@node_option
@output_option
def pool_command(pool_id: int, node: str, output: str) -> None:
    """Reward pool POOL_ID."""
    request = query_pb2.QueryPoolRequest(pool_id=pool_id)
    run_query(node, output, lambda client: client.call(client.incentives.Pool, request))


@incentives_group.command("accruals")
@click.argument("provider")
@click.option("--pool-id", type=click.IntRange(min=0), default=0, help="0: every pool.")
@node_option
@output_option
def accruals_command(provider: str, pool_id: int, node: str, output: str) -> None:
    """Unclaimed accruals of PROVIDER."""
    request = query_pb2.QueryAccrualsRequest(provider=provider, pool_id=pool_id)
    run_query(node, output, lambda client: client.call(client.incentives.Accruals, request))


@query_group.group("gov")
def gov_group() -> None:
    """Governance (gov v1)."""


@gov_group.command("proposal")
@click.argument("proposal_id", type=click.IntRange(min=1))
@node_option
@output_option
def proposal_command(proposal_id: int, node: str, output: str) -> None:
    """Proposal PROPOSAL_ID."""
    request = QueryProposalRequest(proposal_id=proposal_id)
    run_query(node, output, lambda client: client.call(client.gov.Proposal, request))


@query_group.group("distribution")
def distribution_group() -> None:
    """Distribution."""


@distribution_group.command("community-pool")
@node_option
@output_option
def community_pool_command(node: str, output: str) -> None:
    """The community pool."""
    request = QueryCommunityPoolRequest()
    run_query(node, output, lambda client: client.call(client.distribution.CommunityPool, request))
