"""``incentivesd query incentives``: the module's queries (``akash.incentives.v1.Query``) and,
from ``incentivesd.query_ledger_cli``, the public ledger and its verification.

Fails when: see ``incentivesd.query_common`` (exit 1 with the reason).
"""

from __future__ import annotations

from typing import Any

import click
from cosmpy.protos.cosmos.epochs.v1beta1 import query_pb2 as epochs_query
from cosmpy.protos.cosmos.epochs.v1beta1 import query_pb2_grpc as epochs_grpc

from incentives.pb import query_pb2
from incentivesd.client.client import Client
from incentivesd.query_common import (
    Table,
    all_pages,
    node_option,
    output_option,
    page_size_option,
    run_query,
)
from incentivesd.query_ledger_cli import ledger_command, ledger_verify_command


def _stripped(name: str, prefix: str) -> Any:
    return lambda row: str(row.get(name, "")).removeprefix(prefix)


pool_option = click.option(
    "--pool",
    "--pool-id",
    "pool_id",
    type=click.IntRange(min=1),
    default=None,
    help="Only this pool (default: every pool).",
)


@click.group("incentives")
def incentives_group() -> None:
    """The incentives module: pools, nodes, accruals, payments and the public ledger."""


incentives_group.add_command(ledger_command)
incentives_group.add_command(ledger_verify_command)


@incentives_group.command("params")
@node_option
@output_option
def params_command(node: str, output: str) -> None:
    """The module's parameters."""
    request = query_pb2.QueryParamsRequest()
    run_query(node, output, lambda client: client.call(client.incentives.Params, request))


@incentives_group.command("pools")
@page_size_option
@node_option
@output_option
def pools_command(page_size: int, node: str, output: str) -> None:
    """Every reward pool, by id."""
    columns = {
        "id": "id",
        "name": "name",
        "rule": _stripped("rule", "ALLOCATION_RULE_"),
        "status": _stripped("status", "POOL_STATUS_"),
        "epochs": lambda row: f"{row.get('start_epoch')}-{row.get('end_epoch')}",
        "funded": "funded",
        "balance": "balance",
        "accrued": "accrued",
        "paid": "paid",
        "returned": "returned",
    }
    request = query_pb2.QueryPoolsRequest()
    run_query(
        node,
        output,
        lambda client: all_pages(client, client.incentives.Pools, request, "pools", page_size),
        Table("pools", columns),
    )


@incentives_group.command("pool")
@click.argument("pool_id", type=click.IntRange(min=1))
@node_option
@output_option
def pool_command(pool_id: int, node: str, output: str) -> None:
    """Reward pool POOL_ID."""
    request = query_pb2.QueryPoolRequest(pool_id=pool_id)
    run_query(node, output, lambda client: client.call(client.incentives.Pool, request))


@incentives_group.command("node")
@click.argument("node_id")
@node_option
@output_option
def node_command(node_id: str, node: str, output: str) -> None:
    """Registered node NODE_ID."""
    request = query_pb2.QueryNodeRequest(node_id=node_id)
    run_query(node, output, lambda client: client.call(client.incentives.Node, request))


@incentives_group.command("nodes")
@click.option("--provider", default="", help="Only the nodes of this owner.")
@page_size_option
@node_option
@output_option
def nodes_command(provider: str, page_size: int, node: str, output: str) -> None:
    """Registered nodes, by id."""
    columns = {
        "id": "id",
        "owner": "owner",
        "gpu": "gpu_model",
        "gpus": "gpu_count",
        "benchmark": "benchmark_score",
        "registered epoch": "registered_epoch",
    }
    request = query_pb2.QueryNodesRequest(owner=provider)
    run_query(
        node,
        output,
        lambda client: all_pages(client, client.incentives.Nodes, request, "nodes", page_size),
        Table("nodes", columns),
    )


@incentives_group.command("accruals")
@click.argument("provider")
@pool_option
@node_option
@output_option
def accruals_command(provider: str, pool_id: int | None, node: str, output: str) -> None:
    """PROVIDER's unclaimed rewards per pool and epoch, and their total: what
    'tx incentives claim-rewards' would pay now."""
    columns = {
        "pool": "pool_id",
        "epoch": "epoch",
        "amount": "amount",
        "expires after epoch": "expires_epoch",
    }
    request = query_pb2.QueryAccrualsRequest(provider=provider, pool_id=pool_id or 0)
    run_query(
        node,
        output,
        lambda client: client.call(client.incentives.Accruals, request),
        Table("accruals", columns),
    )


@incentives_group.command("allocation")
@click.argument("pool_id", type=click.IntRange(min=1))
@click.argument("epoch", type=click.IntRange(min=1))
@node_option
@output_option
def allocation_command(pool_id: int, epoch: int, node: str, output: str) -> None:
    """How epoch EPOCH of pool POOL_ID was split among its nodes."""
    columns = {"node": "node_id", "provider": "provider", "weight": "weight", "amount": "amount"}
    request = query_pb2.QueryAllocationRequest(pool_id=pool_id, epoch=epoch)
    run_query(
        node,
        output,
        lambda client: client.call(client.incentives.Allocation, request).allocation,
        Table("nodes", columns),
    )


@incentives_group.command("payments")
@pool_option
@page_size_option
@node_option
@output_option
def payments_command(pool_id: int | None, page_size: int, node: str, output: str) -> None:
    """The module's payment records, by id (the ledger command adds each one's claim tx)."""
    columns = {
        "id": "id",
        "pool": "pool_id",
        "epoch": "epoch",
        "provider": "provider",
        "amount": "amount",
        "height": "height",
    }
    request = query_pb2.QueryPaymentsRequest(pool_id=pool_id or 0)
    run_query(
        node,
        output,
        lambda client: all_pages(
            client, client.incentives.Payments, request, "payments", page_size
        ),
        Table("payments", columns),
    )


@incentives_group.command("redirects")
@click.argument("delegator")
@node_option
@output_option
def redirects_command(delegator: str, node: str, output: str) -> None:
    """The shares of DELEGATOR's staking rewards sent to pools."""
    columns = {"pool": "pool_id", "bps": "bps", "contributed": "contributed"}
    request = query_pb2.QueryRedirectsRequest(delegator=delegator)
    run_query(
        node,
        output,
        lambda client: client.call(client.incentives.Redirects, request),
        Table("redirects", columns),
    )


@incentives_group.command("price")
@node_option
@output_option
def price_command(node: str, output: str) -> None:
    """The latest AKT/USD price, its time and feeder."""
    request = query_pb2.QueryPriceRequest()
    run_query(node, output, lambda client: client.call(client.incentives.Price, request))


def _epoch_seconds(client: Client) -> int:
    """The duration of the module's epoch, from the epochs module."""
    identifier = client.call(client.incentives.Params, query_pb2.QueryParamsRequest()).params
    stub = epochs_grpc.QueryStub(client.channel)
    infos = client.call(stub.EpochInfos, epochs_query.QueryEpochInfosRequest()).epochs
    for info in infos:
        if info.identifier == identifier.epoch_identifier:
            return int(info.duration.seconds)
    raise ValueError(f"the chain has no epoch {identifier.epoch_identifier!r}")


@incentives_group.command("estimate-reward")
@click.argument("pool_id", type=click.IntRange(min=1))
@click.argument("node_id")
@click.option(
    "--online-seconds",
    type=click.IntRange(min=0),
    default=None,
    help="Seconds the node is online in the epoch [default: the whole epoch].",
)
@click.option(
    "--idle-seconds",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Of those, seconds it is available but not leased.",
)
@node_option
@output_option
def estimate_reward_command(
    pool_id: int,
    node_id: str,
    online_seconds: int | None,
    idle_seconds: int,
    node: str,
    output: str,
) -> None:
    """What NODE_ID would earn from POOL_ID for the next epoch to be settled."""

    def call(client: Client) -> Any:
        online = _epoch_seconds(client) if online_seconds is None else online_seconds
        request = query_pb2.QueryEstimateRewardRequest(
            pool_id=pool_id, node_id=node_id, online_seconds=online, idle_seconds=idle_seconds
        )
        return client.call(client.incentives.EstimateReward, request)

    run_query(node, output, call)
