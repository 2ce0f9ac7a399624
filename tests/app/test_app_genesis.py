"""App genesis in the SDK's shape: export -> import -> export gives the same bytes, and the
imported app keeps working."""

from __future__ import annotations

import json

from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.app import App
from incentives.pb import tx_pb2
from tests.app.chain import Chain


def canonical(genesis: dict[str, object]) -> str:
    return json.dumps(genesis, sort_keys=True, indent=2)


def busy_chain() -> Chain:
    chain = Chain()
    send = MsgSend(
        from_address=chain.account(1).address,
        to_address=chain.account(2).address,
        amount=[Coin(denom="uakt", amount="1000")],
    )
    assert chain.run(1, [send]).ok
    register = tx_pb2.MsgRegisterNode(
        owner=chain.account(3).address, node_id="n1", gpu_model="h100", gpu_count=8
    )
    assert chain.run(3, [register]).ok
    chain.block(seconds=3600)
    return chain


def test_export_import_export_is_byte_identical() -> None:
    exported = busy_chain().app.export_genesis()
    imported = App()
    imported.init_chain(exported)
    assert canonical(imported.export_genesis()) == canonical(exported)
    assert imported.invariants() == []


def test_the_imported_chain_keeps_producing_blocks() -> None:
    chain = busy_chain()
    imported = App()
    imported.init_chain(chain.app.export_genesis())
    result = imported.finalize_block(imported.last_time_ns + 5 * 10**9, [])
    imported.commit()
    assert result.height == int(chain.app.export_genesis()["initial_height"])
    assert imported.invariants() == []
    node = imported.incentives.keeper.get_node(imported.query_context(), "n1")
    assert node.gpu_count == 8


def test_the_devnet_genesis_loads_with_every_invariant_holding() -> None:
    chain = Chain()
    assert chain.app.invariants() == []
    ctx = chain.app.query_context()
    assert chain.app.staking.total_bonded_tokens(ctx) > 0
    assert chain.app.distribution.get_community_pool(ctx)["uakt"].truncate_int() == 10**13
