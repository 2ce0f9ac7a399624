"""Seed inputs for the harnesses: real txs signed by the devnet accounts and real JSON-RPC
requests, so the fuzzer starts from inputs that reach the deep checks."""

from __future__ import annotations

import base64
import json

from cosmpy.aerial.tx import SigningCfg, Transaction, TxFee
from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.app import DEFAULT_CHAIN_ID
from chain.devnet import dev_accounts
from incentives.pb import tx_pb2


def signed_txs() -> list[bytes]:
    """A bank send and an incentives claim, each signed by a dev account (sequence 0)."""
    accounts = dev_accounts()
    msgs = [
        MsgSend(
            from_address=accounts[0].address,
            to_address=accounts[1].address,
            amount=[Coin(denom="uakt", amount="10")],
        ),
        tx_pb2.MsgClaimRewards(provider=accounts[0].address, pool_id=1),
    ]
    txs = []
    key = PrivateKey(accounts[0].private_key)
    for msg in msgs:
        tx = Transaction()
        tx.add_message(msg)
        tx.seal(SigningCfg.direct(key.public_key, 0), fee=TxFee("5000uakt", 200_000), memo="seed")
        tx.sign(key, DEFAULT_CHAIN_ID, 0, deterministic=True)
        tx.complete()
        txs.append(bytes(tx.tx.SerializeToString()))
    return txs


def json_rpc_requests() -> list[bytes]:
    """A POST body per kind of param (none, an int, a query, hex data, a base64 tx), a batch,
    and two GET targets (URI style)."""
    tx = base64.b64encode(signed_txs()[0]).decode()
    requests = [
        {"method": "status", "params": {}},
        {"method": "block", "params": {"height": "1"}},
        {"method": "tx_search", "params": {"query": "tx.height >= 1 AND message.action = 'x'"}},
        {"method": "abci_query", "params": {"path": "/cosmos.bank.v1beta1.Query/Params"}},
        {"method": "broadcast_tx_sync", "params": {"tx": tx}},
        {"method": "validators", "params": [1, 1, 30]},
    ]
    bodies = [json.dumps({"jsonrpc": "2.0", "id": 1, **request}) for request in requests]
    bodies.append(json.dumps([{"jsonrpc": "2.0", "id": 2, "method": "health"}] * 2))
    targets = ["/block?height=1", "/tx_search?query=%22tx.height%3D1%22"]
    return [text.encode() for text in bodies + targets]
