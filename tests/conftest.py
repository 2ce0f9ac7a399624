"""Suite-wide test configuration: the Hypothesis profile "ci" (derandomized, no deadline) and the
in-process localnet fixture."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from hypothesis import settings

from chain.devnet import devnet_genesis
from chain.server.localnet import Localnet, start_localnet

settings.register_profile("ci", derandomize=True, deadline=None)
settings.load_profile("ci")


def fresh_localnet() -> Localnet:
    """A node at the devnet genesis, serving gRPC, the CometBFT RPC and REST on free loopback
    ports, checking every module's invariants after every block. The genesis time is now, so the
    epoch timers are not behind when a test starts."""
    return start_localnet(
        devnet_genesis(genesis_time=int(time.time())),
        grpc_address="127.0.0.1:0",
        rpc_address="127.0.0.1:0",
        api_address="127.0.0.1:0",
        check_invariants=True,
    )


@pytest.fixture
def localnet() -> Iterator[Localnet]:
    """``fresh_localnet``, stopped after the test, which fails if an invariant of any module broke
    after any block."""
    net = fresh_localnet()
    try:
        yield net
    finally:
        net.stop()
    assert net.node.broken_invariants == []
