"""Real signed txs of the dev accounts against any app (a node's, resumed or not), for the
persistence tests and their subprocess nodes."""

from __future__ import annotations

from cosmpy.aerial.tx import SigningCfg, Transaction, TxFee
from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.app import App
from chain.devnet import dev_accounts
from chain.sdk.address import decode_address

ACCOUNTS = dev_accounts()


def send_tx(app: App, sender: int, recipient: int, amount: int) -> bytes:
    """``sender`` sends ``amount`` uakt to ``recipient`` (dev account indexes), signed at the
    sender's committed sequence."""
    account = ACCOUNTS[sender]
    key = PrivateKey(account.private_key)
    state = app.auth.get_account(app.query_context(), decode_address(account.address))
    assert state is not None
    msg = MsgSend(
        from_address=account.address,
        to_address=ACCOUNTS[recipient].address,
        amount=[Coin(denom="uakt", amount=str(amount))],
    )
    tx = Transaction()
    tx.add_message(msg)
    tx.seal(
        SigningCfg.direct(key.public_key, state.sequence),
        fee=TxFee(amount="5000uakt", gas_limit=200_000),
    )
    tx.sign(key, app.chain_id, state.account_number, deterministic=True)
    tx.complete()
    return bytes(tx.tx.SerializeToString())


def balance(app: App, index: int) -> int:
    ctx = app.query_context()
    return int(app.bank.get_balance(ctx, decode_address(ACCOUNTS[index].address), "uakt"))
