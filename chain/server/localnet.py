"""A running localnet: the app at a genesis, its node and its servers, in this process.

Owns start-up and shut-down order: build the app from the genesis, commit block 1 (so clients
always find a latest block), start the producer, then the servers; stop in reverse. Used by
``incentivesd start`` and by the tests' in-process fixture.

Fails when: an address cannot be bound (``OSError``); the genesis is invalid (registered errors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import grpc

from chain.app import App
from chain.server.grpc_server import start_grpc_server
from chain.server.node import Node


@dataclass
class Localnet:
    """A started localnet; ``grpc_url`` is what cosmpy's ``NetworkConfig.url`` takes."""

    node: Node
    grpc_server: grpc.Server
    grpc_port: int
    host: str = "127.0.0.1"
    _stopped: bool = field(default=False, repr=False)

    @property
    def app(self) -> App:
        return self.node.app

    @property
    def grpc_url(self) -> str:
        return f"grpc+http://{self.host}:{self.grpc_port}"

    @property
    def grpc_target(self) -> str:
        return f"{self.host}:{self.grpc_port}"

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.grpc_server.stop(grace=None)
        self.node.stop()


def start_localnet(
    genesis: dict[str, Any],
    *,
    grpc_address: str = "127.0.0.1:9090",
    block_time: float = 0.0,
    minimum_gas_prices: str = "0.025uakt",
    voting_period: int = 20,
) -> Localnet:
    """Start a node at ``genesis`` serving gRPC on ``grpc_address`` (port 0: a free port)."""
    app = App(
        chain_id=genesis.get("chain_id", "akash-localnet-1"),
        min_gas_prices=minimum_gas_prices,
        voting_period=voting_period,
    )
    app.init_chain(genesis)
    node = Node(app, block_time=block_time)
    node.produce_block()
    node.start()
    host = grpc_address.rsplit(":", 1)[0]
    try:
        server, port = start_grpc_server(node.routes(), grpc_address)
    except Exception:
        node.stop()
        raise
    return Localnet(node=node, grpc_server=server, grpc_port=port, host=host)
