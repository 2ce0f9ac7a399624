"""cosmpy, unmodified, against the localnet over gRPC: queries, sends with simulated gas, and
an incentives Msg in a signed tx."""

from __future__ import annotations

import grpc
from cosmpy.aerial.client import LedgerClient, NetworkConfig
from cosmpy.aerial.client.utils import prepare_and_broadcast_basic_transaction
from cosmpy.aerial.tx import Transaction
from cosmpy.aerial.wallet import LocalWallet
from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.protos.cosmos.bank.v1beta1 import query_pb2 as bank_query
from cosmpy.protos.cosmos.bank.v1beta1 import query_pb2_grpc as bank_grpc

from chain.devnet import ACCOUNT_BALANCE, dev_accounts
from chain.server.localnet import Localnet
from incentives.pb import query_pb2, query_pb2_grpc, tx_pb2

ACCOUNTS = dev_accounts()


def client_for(net: Localnet) -> LedgerClient:
    config = NetworkConfig(
        chain_id=net.app.chain_id,
        url=net.grpc_url,
        fee_minimum_gas_price=0.025,
        fee_denomination="uakt",
        staking_denomination="uakt",
    )
    return LedgerClient(config, query_interval_secs=0.05, query_timeout_secs=10)


def wallet(index: int) -> LocalWallet:
    return LocalWallet(PrivateKey(ACCOUNTS[index].private_key), prefix="akash")


def test_queries_answer_as_cosmpy_expects(localnet: Localnet) -> None:
    client = client_for(localnet)
    assert client.query_bank_balance(ACCOUNTS[1].address, "uakt") == ACCOUNT_BALANCE
    assert client.query_height() >= 1
    assert client.query_chain_id() == "akash-localnet-1"
    account = client.query_account(ACCOUNTS[1].address)
    assert account.sequence == 0


def test_send_tokens_with_simulated_gas(localnet: Localnet) -> None:
    client = client_for(localnet)
    sender, recipient = wallet(1), ACCOUNTS[2].address
    before = client.query_bank_balance(recipient, "uakt")
    tx = client.send_tokens(recipient, 12_345, "uakt", sender)
    tx.wait_to_complete()
    assert tx.response is not None
    assert tx.response.code == 0
    assert client.query_bank_balance(recipient, "uakt") == before + 12_345
    assert localnet.app.invariants() == []


def test_an_incentives_msg_in_a_cosmpy_tx(localnet: Localnet) -> None:
    client = client_for(localnet)
    owner = wallet(3)
    msg = tx_pb2.MsgRegisterNode(
        owner=str(owner.address()),
        node_id="h100-a",
        gpu_model="h100",
        gpu_count=8,
        benchmark_score=3000,
    )
    submitted = prepare_and_broadcast_basic_transaction(
        client, Transaction().add_message(msg), owner
    )
    submitted.wait_to_complete()
    assert submitted.response is not None
    assert "akash.incentives.v1.EventNodeRegistered" in submitted.response.events
    stub = query_pb2_grpc.QueryStub(grpc.insecure_channel(localnet.grpc_target))
    node = stub.Node(query_pb2.QueryNodeRequest(node_id="h100-a")).node
    assert node.owner == str(owner.address())


def test_a_query_at_a_past_height_over_grpc(localnet: Localnet) -> None:
    client = client_for(localnet)
    recipient = ACCOUNTS[4].address
    before_height = localnet.app.last_height
    before = client.query_bank_balance(recipient, "uakt")
    client.send_tokens(recipient, 5, "uakt", wallet(1)).wait_to_complete()
    assert client.query_bank_balance(recipient, "uakt") == before + 5
    stub = bank_grpc.QueryStub(grpc.insecure_channel(localnet.grpc_target))
    request = bank_query.QueryBalanceRequest(address=recipient, denom="uakt")
    past = stub.Balance(request, metadata=(("x-cosmos-block-height", str(before_height)),))
    assert int(past.balance.amount) == before
