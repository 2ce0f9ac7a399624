"""``incentivesd localnet``: time travel and snapshots over a running node's RPC."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from chain.server.localnet import Localnet
from incentivesd.cli import main


@pytest.fixture
def net(localnet: Localnet) -> Localnet:
    return localnet


def run(net: Localnet, *args: str) -> dict[str, object]:
    node = f"http://127.0.0.1:{net.port_of('rpc')}"
    result = CliRunner().invoke(main, ["localnet", *args, "--node", node, "-o", "json"])
    assert result.exit_code == 0, result.output
    answer: dict[str, object] = json.loads(result.output)
    return answer


def day_epoch(net: Localnet) -> int:
    info = net.app.epochs.get_epoch_info(net.app.query_context(), "day")
    assert info is not None
    return int(info.current_epoch)


def test_advance_time_ticks_the_day_epoch(net: Localnet) -> None:
    before = day_epoch(net)
    run(net, "advance-time", "2d")
    assert day_epoch(net) == before + 2


def test_advance_blocks_moves_the_height(net: Localnet) -> None:
    height = net.app.last_height
    run(net, "advance-blocks", "5")
    assert net.app.last_height == height + 5


def test_snapshot_and_revert(net: Localnet) -> None:
    snapshot = run(net, "snapshot")
    height = net.app.last_height
    run(net, "advance-blocks", "3")
    run(net, "revert", str(snapshot["id"]))
    assert net.app.last_height == height


def test_an_unreachable_node_is_a_clear_error() -> None:
    result = CliRunner().invoke(main, ["localnet", "snapshot", "--node", "http://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "cannot reach the node" in result.output
