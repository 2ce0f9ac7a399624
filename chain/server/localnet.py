"""A running localnet: the app at a genesis, its node and its servers, in this process.

Owns start-up and shut-down order: build the app from the genesis, commit block 1 (so clients
always find a latest block), start the producer, then the servers; stop in reverse. Used by
``incentivesd start`` and by the tests' in-process fixture.

With a ``home``, the node lives on disk (``chain.server.persistence``): ``home/data/state.db``
holding a chain is resumed (last height, time, app hash, blocks, tx index), after checking that
it was made from the same genesis and that its state hashes to its app hash; otherwise the
genesis is loaded, written to ``home/config/genesis.json`` and committed as height 0, then block
1. Without a home everything stays in memory.

Fails when: an address cannot be bound (``OSError``); the genesis is invalid (registered errors);
the home cannot be used, is locked by another node, holds another chain or a corrupt database
(``PersistenceError``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import grpc

from chain.app import App
from chain.server import verify_ahead
from chain.server.grpc_server import start_grpc_server
from chain.server.http_server import stop_server
from chain.server.node import Node
from chain.server.persistence import (
    ChainDB,
    PersistenceError,
    genesis_hash,
    home_genesis_path,
    open_home,
    write_genesis_file,
)
from chain.server.rest import start_rest_server
from chain.server.rpc import start_rpc_server


@dataclass
class Localnet:
    """A started localnet; ``grpc_url`` is what cosmpy's ``NetworkConfig.url`` takes."""

    node: Node
    grpc_server: grpc.Server
    grpc_port: int
    host: str = "127.0.0.1"
    home: Path | None = None
    http_servers: list[tuple[str, ThreadingHTTPServer, int]] = field(default_factory=list)
    _stopped: bool = field(default=False, repr=False)

    def port_of(self, name: str) -> int:
        """The port of the ``"rpc"`` or ``"api"`` server."""
        for server_name, _, port in self.http_servers:
            if server_name == name:
                return port
        raise KeyError(f"no {name} server is running")

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
        for _, server, _ in self.http_servers:
            stop_server(server)
        self.grpc_server.stop(grace=None)
        self.node.stop()


def start_localnet(
    genesis: dict[str, Any],
    *,
    grpc_address: str = "127.0.0.1:9090",
    block_time: float = 0.0,
    minimum_gas_prices: str = "0.025uakt",
    voting_period: int = 20,
    home: Path | None = None,
    rpc_address: str | None = None,
    api_address: str | None = None,
    check_invariants: bool = False,
) -> Localnet:
    """Start a node at ``genesis`` serving gRPC on ``grpc_address`` (port 0: a free port), and
    the CometBFT JSON-RPC and REST gateway on ``rpc_address`` / ``api_address`` when given;
    with ``home``, on disk there (resumed if it holds a chain). ``check_invariants`` checks
    every module's invariants after every block (``Node.broken_invariants``)."""
    verify_ahead.install()
    app = App(
        chain_id=genesis.get("chain_id", "akash-localnet-1"),
        min_gas_prices=minimum_gas_prices,
        voting_period=voting_period,
    )
    node = _start_node(app, genesis, home, block_time)
    node.check_invariants = check_invariants
    host = grpc_address.rsplit(":", 1)[0]
    try:
        server, port = start_grpc_server(node.routes(), grpc_address)
    except Exception:
        node.stop()
        raise
    net = Localnet(node=node, grpc_server=server, grpc_port=port, host=host, home=home)
    try:
        if rpc_address is not None:
            rpc, rpc_port = start_rpc_server(node, rpc_address)
            net.http_servers.append(("rpc", rpc, rpc_port))
        if api_address is not None:
            api, api_port = start_rest_server(node, api_address)
            net.http_servers.append(("api", api, api_port))
    except Exception:
        net.stop()
        raise
    return net


def _start_node(app: App, genesis: dict[str, Any], home: Path | None, block_time: float) -> Node:
    """The node, resumed from ``home`` or fresh at ``genesis`` with block 1 committed; its
    producer is running."""
    db = ChainDB() if home is None else open_home(home)
    try:
        head = db.head()
        digest = genesis_hash(genesis)
        if head is None:
            app.init_chain(genesis)
            if home is not None:
                write_genesis_file(home_genesis_path(home), genesis)
            db.init_state(
                chain_id=app.chain_id,
                height=app.last_height,
                time_ns=app.last_time_ns,
                app_hash=app.app_hash,
                items=app.store.items(),
                genesis_digest=digest,
            )
        elif head.genesis_hash != digest:
            raise PersistenceError(
                f"the home holds a chain from another genesis (sha256 {head.genesis_hash}, "
                f"this one is {digest}); use another home or the genesis it was made from",
                home or ":memory:",
            )
        node = Node(app, block_time=block_time, db=db)
        if app.last_height == 0:
            node.produce_block()
    except BaseException:
        db.close()
        raise
    node.start()
    return node
