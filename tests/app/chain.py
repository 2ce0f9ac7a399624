"""A devnet app in process and real signed txs from the dev accounts, for the app's tests."""

from __future__ import annotations

from cosmpy.aerial.tx import SigningCfg, Transaction, TxFee
from cosmpy.crypto.keypairs import PrivateKey
from google.protobuf.message import Message

from chain.app import App, BlockResult, TxResult
from chain.devnet import DevAccount, dev_accounts, devnet_genesis
from chain.sdk.address import decode_address
from chain.sdk.context import NANOS

ACCOUNTS = dev_accounts()
GENESIS = devnet_genesis()


class Chain:
    """An app at the devnet genesis that signs and runs txs of the dev accounts."""

    def __init__(self) -> None:
        self.app = App()
        self.app.init_chain(GENESIS)
        self.time = self.app.last_time_ns // NANOS

    def account(self, index: int) -> DevAccount:
        return ACCOUNTS[index]

    def sign(
        self,
        index: int,
        msgs: list[Message],
        fee: str = "5000uakt",
        gas: int = 200_000,
        sequence: int | None = None,
        chain_id: str | None = None,
        memo: str = "",
    ) -> bytes:
        account = ACCOUNTS[index]
        key = PrivateKey(account.private_key)
        state = self.app.auth.get_account(self.app.query_context(), decode_address(account.address))
        assert state is not None
        tx = Transaction()
        for msg in msgs:
            tx.add_message(msg)
        tx.seal(
            SigningCfg.direct(key.public_key, state.sequence if sequence is None else sequence),
            fee=TxFee(amount=fee or None, gas_limit=gas),
            memo=memo,
        )
        tx.sign(key, chain_id or self.app.chain_id, state.account_number, deterministic=True)
        tx.complete()
        return bytes(tx.tx.SerializeToString())

    def block(self, *txs: bytes, seconds: int = 5) -> BlockResult:
        self.time += seconds
        result = self.app.finalize_block(self.time * NANOS, list(txs))
        self.app.commit()
        return result

    def run(self, index: int, msgs: list[Message], **options: object) -> TxResult:
        """Sign, admit and commit one tx in its own block; return its result."""
        tx = self.sign(index, msgs, **options)  # type: ignore[arg-type]
        admitted = self.app.check_tx(tx)
        if not admitted.ok:
            return admitted
        return self.block(tx).tx_results[0]

    def balance(self, address: str, denom: str = "uakt") -> int:
        ctx = self.app.query_context()
        return int(self.app.bank.get_balance(ctx, decode_address(address), denom))
