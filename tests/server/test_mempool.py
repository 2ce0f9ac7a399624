"""The mempool is bounded and says so when full."""

from __future__ import annotations

from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.app import App
from chain.server.node import Node
from tests.app.chain import GENESIS, Chain


def send_from(chain: Chain, index: int) -> bytes:
    msg = MsgSend(
        from_address=chain.account(index).address,
        to_address=chain.account(0).address,
        amount=[Coin(denom="uakt", amount="1")],
    )
    return chain.sign(index, [msg])


def test_a_full_mempool_refuses_with_the_sdk_error() -> None:
    signer = Chain()
    first, second = send_from(signer, 1), send_from(signer, 2)
    app = App()
    app.init_chain(GENESIS)
    node = Node(app, mempool_size=1)
    assert node.broadcast(first).ok
    refused = node.broadcast(second)
    assert (refused.codespace, refused.code) == ("sdk", 20)
    assert "mempool is full" in refused.log
    assert node.mempool == [first]
    node.produce_block()
    assert node.broadcast(second).ok
