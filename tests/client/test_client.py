"""The typed client against the localnet: a bank send with simulated gas, and the chain's
rejections as ``ChainError`` (insufficient funds at DeliverTx and at simulation, a wrong sequence
at CheckTx)."""

from __future__ import annotations

import pytest
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.devnet import ACCOUNT_BALANCE, DEV_MNEMONIC, dev_accounts
from chain.server.localnet import Localnet
from incentivesd.client import ChainError, Client, NodeUnreachableError, wallet_from_mnemonic

ACCOUNTS = dev_accounts(4)


def send(sender: str, recipient: str, amount: int) -> MsgSend:
    return MsgSend(
        from_address=sender, to_address=recipient, amount=[Coin(denom="uakt", amount=str(amount))]
    )


def test_a_bank_send_with_simulated_gas(localnet: Localnet) -> None:
    with Client(localnet.grpc_url, chain_id=localnet.app.chain_id) as client:
        wallet = wallet_from_mnemonic(DEV_MNEMONIC, 1)
        assert str(wallet.address()) == ACCOUNTS[1].address
        recipient = ACCOUNTS[2].address
        result = client.broadcast(send(ACCOUNTS[1].address, recipient, 1234), wallet, memo="hi")
        assert result.code == 0
        assert result.height >= 1
        assert result.gas_used <= result.gas_wanted
        assert result.events_of("transfer")
        assert client.bank_balance(recipient, "uakt") == ACCOUNT_BALANCE + 1234
        assert client.all_balances(recipient) == {"uakt": ACCOUNT_BALANCE + 1234}
        fee = -(-result.gas_wanted * 25 // 1000)
        assert client.bank_balance(ACCOUNTS[1].address) == ACCOUNT_BALANCE - 1234 - fee


def test_insufficient_funds_is_a_chain_error(localnet: Localnet) -> None:
    with Client(localnet.grpc_url) as client:
        wallet = wallet_from_mnemonic(DEV_MNEMONIC, 1)
        msg = send(ACCOUNTS[1].address, ACCOUNTS[2].address, 10 * ACCOUNT_BALANCE)
        with pytest.raises(ChainError) as delivered:
            client.broadcast(msg, wallet, gas=200_000)
        assert (delivered.value.codespace, delivered.value.code) == ("sdk", 5)
        assert "insufficient funds" in delivered.value.raw_log
        assert len(delivered.value.txhash) == 64
        with pytest.raises(ChainError) as simulated:
            client.broadcast(msg, wallet, gas="auto")
        assert (simulated.value.codespace, simulated.value.code) == ("sdk", 5)
        assert simulated.value.txhash == ""


def test_a_wrong_sequence_is_rejected_at_check_tx(localnet: Localnet) -> None:
    with Client(localnet.grpc_url) as client:
        wallet = wallet_from_mnemonic(DEV_MNEMONIC, 3)
        msg = send(ACCOUNTS[3].address, ACCOUNTS[2].address, 1)
        with pytest.raises(ChainError) as rejected:
            client.broadcast(msg, wallet, gas=200_000, fees="5000uakt", sequence=7)
        assert (rejected.value.codespace, rejected.value.code) == ("sdk", 32)
        assert client.bank_balance(ACCOUNTS[3].address) == ACCOUNT_BALANCE


def test_an_unreachable_node() -> None:
    client = Client("grpc+http://127.0.0.1:1", timeout_secs=2)
    with pytest.raises(NodeUnreachableError):
        client.bank_balance(ACCOUNTS[1].address)
    client.close()
