"""The rows of the README's security matrix that no module test proves end to end: each through
the devnet app with real signed txs (CheckTx, then FinalizeBlock where it matters), asserting
the registered error and what did or did not move."""

from __future__ import annotations

from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb

from chain.app import TxResult
from chain.sdk.errors import (
    ErrInsufficientFunds,
    ErrInvalidCoins,
    ErrInvalidPubKey,
    ErrOutOfGas,
    ErrTxDecode,
    ErrUnauthorized,
    ErrUnknownAddress,
    ErrWrongSequence,
    RegisteredError,
)
from incentives.pb import tx_pb2
from incentives.types import keys
from incentives.types.errors import ErrInvalidAuthority
from tests.app.chain import Chain
from tests.fuzz.txs import ACCOUNTS, TxSpec, build

MSG_FAILED = "failed to execute message"


def send(sender: int, amount: str = "10", recipient: int = 5) -> MsgSend:
    return MsgSend(
        from_address=ACCOUNTS[sender].address,
        to_address=ACCOUNTS[recipient].address,
        amount=[CoinPb(denom="uakt", amount=amount)],
    )


def refused(result: TxResult, kind: RegisteredError) -> None:
    assert (result.codespace, result.code) == (kind.codespace, kind.code), result.log


def test_a_replayed_tx_is_refused_and_charged_once() -> None:
    chain = Chain()
    tx = build(chain.app, TxSpec(1, (send(1),)))
    before = chain.balance(ACCOUNTS[1].address)
    assert chain.app.check_tx(tx).ok
    assert chain.block(tx).tx_results[0].ok
    refused(chain.app.check_tx(tx), ErrWrongSequence)
    refused(chain.block(tx).tx_results[0], ErrWrongSequence)
    assert chain.balance(ACCOUNTS[1].address) == before - 10 - 5_000


def test_claiming_another_providers_rewards_needs_the_providers_signature() -> None:
    """The provider named in the claim is its signer: another account's key or signature is
    refused before the module runs."""
    chain = Chain()
    assert chain.block(build(chain.app, TxSpec(1, (send(1),)))).tx_results[0].ok  # key on chain
    claim = (tx_pb2.MsgClaimRewards(provider=ACCOUNTS[1].address),)
    # Account 2 signs with its own key in the signer info: the key is not the provider's.
    foreign_key = build(chain.app, TxSpec(2, claim, sequence=1))
    refused(chain.app.check_tx(foreign_key), ErrInvalidPubKey)
    # Account 2 signs without a key: verified against the provider's key on chain, it fails.
    no_key = build(chain.app, TxSpec(2, claim, sequence=1, with_pub_key=False))
    refused(chain.app.check_tx(no_key), ErrUnauthorized)
    assert chain.block(foreign_key, no_key).tx_results[0].code != 0


def test_authority_msgs_need_the_gov_module() -> None:
    """A user naming itself as authority gets past the ante handler and is refused by the
    module (it pays its fee); naming the gov module, the module becomes signer and fee payer,
    and it has no account to pay or sign with."""
    chain = Chain()
    close = tx_pb2.MsgClosePool(authority=ACCOUNTS[1].address, pool_id=1)
    result = chain.block(build(chain.app, TxSpec(1, (close,)))).tx_results[0]
    refused(result, ErrInvalidAuthority)
    assert result.log.startswith(MSG_FAILED)
    as_gov = tx_pb2.MsgClosePool(authority=keys.GOV_AUTHORITY, pool_id=1)
    refused(chain.app.check_tx(build(chain.app, TxSpec(1, (as_gov,)))), ErrUnknownAddress)


def test_an_oversized_tx_runs_out_of_gas_on_its_bytes() -> None:
    """Every tx byte costs ``tx_size_cost_per_byte`` gas before any message runs."""
    chain = Chain()
    tx = build(chain.app, TxSpec(1, tuple(send(1) for _ in range(2_000))))
    assert len(tx) > 200_000
    result = chain.app.check_tx(tx)
    refused(result, ErrOutOfGas)
    assert "out of gas in location: txSize" in result.log


def test_amounts_at_2_pow_256() -> None:
    chain = Chain()
    for amount, kind in ((2**256, ErrTxDecode), (2**256 - 1, ErrInsufficientFunds)):
        fee = (("uakt", str(amount)),)
        refused(chain.app.check_tx(build(chain.app, TxSpec(1, (send(1),), fee=fee))), kind)
    for amount, kind in ((2**256, ErrInvalidCoins), (2**256 - 1, ErrInsufficientFunds)):
        result = chain.block(build(chain.app, TxSpec(1, (send(1, str(amount)),)))).tx_results[0]
        refused(result, kind)
        assert result.log.startswith(MSG_FAILED)
