"""The in-process localnet fixture: a node at the devnet genesis on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chain.devnet import devnet_genesis
from chain.server.localnet import Localnet, start_localnet


@pytest.fixture
def localnet() -> Iterator[Localnet]:
    net = start_localnet(devnet_genesis(), grpc_address="127.0.0.1:0")
    try:
        yield net
    finally:
        net.stop()
