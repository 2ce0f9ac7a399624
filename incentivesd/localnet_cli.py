"""``incentivesd localnet``: time travel and snapshots of a running localnet, over its RPC.

Each command calls the node's JSON-RPC control method of the same name (CometMock's names):
``advance_time``, ``advance_blocks``, ``snapshot``, ``revert``.

Fails when: the node cannot be reached, or answers with a JSON-RPC error (exit code 1, the
node's message on stderr).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import click

from incentivesd.node_cli import parse_duration


def rpc_call(url: str, method: str, params: dict[str, Any]) -> dict[str, Any]:
    """One JSON-RPC 2.0 call to ``url``; the ``result`` object."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=600) as response:
            answer = json.loads(response.read())
    except (urllib.error.URLError, OSError) as error:
        raise click.ClickException(f"cannot reach the node at {url}: {error}") from None
    if "error" in answer:
        failure = answer["error"]
        detail = failure.get("data") or failure.get("message")
        raise click.ClickException(f"{method}: {detail}")
    result: dict[str, Any] = answer.get("result", {})
    return result


def _show(result: dict[str, Any], output: str) -> None:
    if output == "json":
        click.echo(json.dumps(result, sort_keys=True))
    else:
        for key in sorted(result):
            click.echo(f"{key}: {result[key]}")


node_option = click.option(
    "--node",
    default="http://127.0.0.1:26657",
    show_default=True,
    help="The localnet's CometBFT RPC endpoint.",
)
output_option = click.option(
    "-o", "--output", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@click.group("localnet")
def localnet_group() -> None:
    """Time travel and snapshots of a running localnet."""


@localnet_group.command("advance-time")
@click.argument("duration")
@node_option
@output_option
def advance_time(duration: str, node: str, output: str) -> None:
    """Move the chain's clock forward by DURATION (e.g. 1h, 3600s, 2m); every block in which
    something is due (epoch ends, gov deadlines) runs."""
    seconds = parse_duration(duration)
    _show(rpc_call(node, "advance_time", {"duration_in_seconds": str(int(seconds))}), output)


@localnet_group.command("advance-blocks")
@click.argument("count", type=click.IntRange(1))
@node_option
@output_option
def advance_blocks(count: int, node: str, output: str) -> None:
    """Produce COUNT blocks."""
    _show(rpc_call(node, "advance_blocks", {"num_blocks": str(count)}), output)


@localnet_group.command("snapshot")
@node_option
@output_option
def snapshot(node: str, output: str) -> None:
    """Record the current state; prints the id to revert to."""
    _show(rpc_call(node, "snapshot", {}), output)


@localnet_group.command("revert")
@click.argument("snapshot_id", type=int)
@node_option
@output_option
def revert(snapshot_id: int, node: str, output: str) -> None:
    """Go back to a snapshot (it and later snapshots are used up)."""
    _show(rpc_call(node, "revert", {"id": str(snapshot_id)}), output)
