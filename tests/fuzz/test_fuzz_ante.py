"""The ante handler through the app, with random fees, gas, sequences, account numbers, chain
ids, memos, keys and signatures on real signed txs.

CheckTx: every answer is code 0 or a registered error; a refusal leaves the check state (and the
committed state) exactly as it was.

FinalizeBlock, with SDK semantics checked byte for byte against a twin app that ran the same
block without the tx:

- refused by the decoder or the ante handler: the committed state equals the twin's;
- accepted by the ante handler but a message failed: the committed state equals the twin's after
  moving the fee from the payer to the fee collector, setting the signer's key if it had none and
  bumping its sequence, and nothing else.
"""

from __future__ import annotations

from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from google.protobuf.message import Message
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from chain.modules.auth import FEE_COLLECTOR_NAME, PubKey
from chain.sdk.address import decode_address
from chain.sdk.context import Context
from chain.sdk.math import Coin, Coins, Int
from chain.tx import decode_tx
from incentives.pb import tx_pb2
from tests.app.chain import Chain
from tests.fuzz.registered import assert_registered, no_hang
from tests.fuzz.strategies import DENOM, INT_TEXT, UINT64, mostly
from tests.fuzz.txs import ACCOUNTS, TxSpec, build

MSG_FAILED = "failed to execute message"


def _send(sender: int, amount: str) -> MsgSend:
    return MsgSend(
        from_address=ACCOUNTS[sender].address,
        to_address=ACCOUNTS[5].address,
        amount=[CoinPb(denom="uakt", amount=amount)],
    )


def _msgs(signer: int) -> st.SearchStrategy[tuple[Message, ...]]:
    """A send that succeeds, one that cannot be paid, a claim with nothing to claim, a
    post-price by a non-feeder, or a send of another account (a second signer)."""
    return st.sampled_from(
        [
            (_send(signer, "10"),),
            (_send(signer, str(10**15)),),
            (tx_pb2.MsgClaimRewards(provider=ACCOUNTS[signer].address),),
            (tx_pb2.MsgPostPrice(feeder=ACCOUNTS[signer].address, akt_usd="2.5"),),
            (_send(signer, "10"), _send((signer + 1) % 4, "10")),
        ]
    )


FEES = st.lists(st.tuples(DENOM, INT_TEXT), max_size=2).map(tuple)
MEMOS = st.one_of(
    st.sampled_from(["a" * 256, "a" * 257, "ñ" * 128, "ñ" * 129, "💥" * 70, "x" * 10_000]),
    st.text(max_size=40),
)


@st.composite
def specs(draw: st.DrawFn) -> TxSpec:
    signer = draw(st.integers(0, 3))
    return TxSpec(
        signer=signer,
        msgs=draw(_msgs(signer)),
        fee=draw(mostly((("uakt", "5000"),), FEES, percent=60)),
        gas=draw(mostly(200_000, st.one_of(st.sampled_from([0, 1, 1_000, 60_000]), UINT64))),
        sequence=draw(mostly(None, st.one_of(st.integers(0, 3), UINT64))),
        account_number=draw(mostly(None, st.one_of(st.integers(0, 12), UINT64))),
        chain_id=draw(mostly(None, st.sampled_from(["", "akash-localnet-2", "x" * 1_000]))),
        memo=draw(mostly("", MEMOS)),
        signature=draw(
            mostly("valid", st.sampled_from(["flipped", "short", "empty", "zeros", "other_key"]))
        ),
        with_pub_key=draw(mostly(True, st.just(False), percent=90)),
    )


@settings(max_examples=100)
@given(spec=specs())
@example(spec=TxSpec(0, (_send(0, "10"),), fee=(("uakt", "9" * 5_000),)))
def test_check_tx_answers_a_registered_code_and_a_refusal_changes_nothing(spec: TxSpec) -> None:
    app = Chain().app
    tx = build(app, spec)
    committed = app.store.items()
    checking = app._check_store.changes()
    with no_hang():
        result = app.check_tx(tx)
    if not result.ok:
        assert_registered(result.codespace, result.code)
        assert app._check_store.changes() == checking
    assert app.store.items() == committed


def expected_after_failed_msgs(twin: Chain, tx: bytes) -> None:
    """Apply to ``twin`` what a tx whose messages failed keeps: the fee paid, the key set and
    the sequence bumped."""
    decoded = decode_tx(tx)
    app = twin.app
    ctx = Context(app.query_context().header, app.store)
    fee = Coins.validate(Coin(denom, Int(amount)) for denom, amount in decoded.fee if amount)
    assert decoded.fee_payer is not None
    if not fee.is_zero():
        app.bank.send_coins_from_account_to_module(ctx, decoded.fee_payer, FEE_COLLECTOR_NAME, fee)
    infos = decoded.auth_info.signer_infos
    for signer, info in zip(decoded.signers, infos, strict=True):
        account = app.auth.get_account(ctx, signer)
        assert account is not None
        if account.pub_key is None and info.HasField("public_key"):
            key = PubKey(info.public_key.type_url, info.public_key.value)
            account = account.with_pub_key(key)
        app.auth.set_account(ctx, account.with_sequence(account.sequence + 1))


@settings(max_examples=80)
@given(spec=specs())
@example(spec=TxSpec(1, (_send(1, str(10**15)),)))  # the ante passes, the send fails
@example(spec=TxSpec(1, (_send(1, "10"),), gas=60_000))  # out of gas in the message
@example(spec=TxSpec(2, (_send(2, "10"),), signature="flipped"))
# Passed CheckTx (the ante handler does not read messages), then FinalizeBlock raised a
# ValueError from int(): CPython refuses integer texts of over 4300 digits.
@example(spec=TxSpec(1, (_send(1, "9" * 5_000),)))
def test_finalize_block_keeps_only_fee_and_sequence_of_a_failed_tx(spec: TxSpec) -> None:
    chain, twin = Chain(), Chain()
    tx = build(chain.app, spec)
    with no_hang():
        result = chain.block(tx).tx_results[0]
    twin.block()
    event("accepted" if result.ok else f"{result.codespace}/{result.code}")
    if result.ok:
        return
    assert_registered(result.codespace, result.code)
    if result.log.startswith(MSG_FAILED):
        event("messages failed after the ante handler")
        expected_after_failed_msgs(twin, tx)
    assert chain.app.store.items() == twin.app.store.items(), result.log


def test_a_failed_send_costs_exactly_its_fee_and_one_sequence() -> None:
    """The branch above is reached: the ante passes, the message fails, fee and sequence stay."""
    chain, twin = Chain(), Chain()
    tx = build(chain.app, TxSpec(1, (_send(1, str(10**15)),)))
    result = chain.block(tx).tx_results[0]
    twin.block()
    assert result.log.startswith(MSG_FAILED), result.log
    address = ACCOUNTS[1].address
    assert chain.balance(address) == twin.balance(address) - 5_000
    sequence = chain.app.auth.get_account(chain.app.query_context(), decode_address(address))
    assert sequence is not None
    assert sequence.sequence == 1
