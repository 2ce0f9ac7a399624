"""The tx path's observable behaviour, pinned: one block of ~300 mixed real txs.

The block mixes valid sends, multi-sends, sends beyond the balance, wrong sequences, bad
signatures, gas limits that run out in the ante handler and in the messages, an incentives Msg
(a node registration, then its duplicate) and undecodable bytes. The app hash, every tx's code,
codespace, log, gas wanted/used, events and data, the block's events and the CheckTx results are
pinned by digests taken from the reference implementation: any change to them is a change of
behaviour. The same block is run from a cold start (nothing decoded or verified beforehand) and
after CheckTx of every tx, which must not change a byte.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from cosmpy.protos.cosmos.bank.v1beta1.bank_pb2 import Input, Output
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgMultiSend, MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from google.protobuf.message import Message

from chain import signatures
from chain.app import App, BlockResult, TxResult, clear_tx_caches
from chain.devnet import dev_accounts, devnet_genesis
from chain.sdk.address import decode_address
from chain.sdk.context import NANOS
from chain.server.verify_ahead import ChildVerifier
from chain.signing import sign_direct
from incentives.pb import tx_pb2

ACCOUNTS = dev_accounts()
FEE = [Coin(denom="uakt", amount="5000")]

EXPECTED_APP_HASH = "58b8903ee2a47b496cbcfdb53c473f9acd29cac256309dc34397e7bcaeeb0767"
EXPECTED_DELIVER_DIGEST = "825d34c786f99bec9f9e86559d83b99c7476b08f4fb48f9681d0c17316f03b58"
EXPECTED_CHECK_DIGEST = "18af697db5ebd82ff62f95b273828e9daa567fe304311db9f3ab7dad41801537"
EXPECTED_CODES = {0: 110, 2: 9, 4: 27, 5: 55, 6: 18, 11: 54, 32: 27}
EXPECTED_GAS_USED_TOTAL = 10_372_252


def _coins(amount: int) -> list[Coin]:
    return [Coin(denom="uakt", amount=str(amount))]


def _block_txs(app: App) -> list[bytes]:
    """The block: for tx ``n`` a sender among dev accounts 1..9 and a kind among eleven."""
    ctx = app.query_context()
    numbers: dict[int, int] = {}
    for account in ACCOUNTS:
        state = app.auth.get_account(ctx, decode_address(account.address))
        assert state is not None
        numbers[account.index] = state.account_number
    sequences = dict.fromkeys(numbers, 0)
    txs: list[bytes] = []
    for n in range(300):
        sender = ACCOUNTS[1 + n % 9]
        receiver = ACCOUNTS[(n * 7) % 10].address
        kind = n % 11
        gas = 200_000
        bumps = True
        sequence = sequences[sender.index]
        msgs: list[Message] = [
            MsgSend(from_address=sender.address, to_address=receiver, amount=_coins(1 + n))
        ]
        if kind == 1:
            msgs = [
                MsgMultiSend(
                    inputs=[Input(address=sender.address, coins=_coins(30))],
                    outputs=[
                        Output(address=ACCOUNTS[0].address, coins=_coins(10)),
                        Output(address=ACCOUNTS[(n + 3) % 10].address, coins=_coins(20)),
                    ],
                )
            ]
        elif kind == 2:  # more than the balance: the message fails, fee and sequence stay
            msgs = [
                MsgSend(from_address=sender.address, to_address=receiver, amount=_coins(10**13))
            ]
        elif kind == 3:  # a sequence from the future: the ante handler refuses it
            sequence += 5
            bumps = False
        elif kind == 5:  # gas runs out in the ante handler
            gas = 3_000
            bumps = False
        elif kind == 6:  # gas runs out in the message, after the fee is charged
            gas = 45_000 if sequence == 0 else 38_000
        elif kind == 7:  # a node registration (then its duplicate, which fails)
            msgs = [
                tx_pb2.MsgRegisterNode(
                    owner=sender.address,
                    node_id=f"node-{sender.index}",
                    gpu_model="rtx4090",
                    gpu_count=1 + n % 4,
                    benchmark_score=1000 + n,
                )
            ]
        elif kind == 8:  # two sends in one tx, the second beyond the balance
            msgs.append(
                MsgSend(from_address=sender.address, to_address=receiver, amount=_coins(10**13))
            )
        elif kind == 9:  # a memo and a second send
            msgs.append(
                MsgSend(
                    from_address=sender.address, to_address=ACCOUNTS[0].address, amount=_coins(2)
                )
            )
        tx = sign_direct(
            sender.private_key,
            msgs,
            chain_id=app.chain_id,
            account_number=numbers[sender.index],
            sequence=sequence,
            gas_limit=gas,
            fee=FEE,
            memo=f"golden {n}" if kind == 9 else "",
        )
        if kind == 4:  # a corrupted signature: unauthorized
            tx = tx[:-1] + bytes([tx[-1] ^ 1])
            bumps = False
        if kind == 10 and n % 3 == 0:  # bytes that are no tx
            tx = b"\x0a\x03abc\x12"
            bumps = False
        if bumps:
            sequences[sender.index] += 1
        txs.append(tx)
    return txs


def _result_record(result: TxResult) -> bytes:
    return repr(
        (
            result.code,
            result.codespace,
            result.log,
            result.gas_wanted,
            result.gas_used,
            [(event.type, event.attributes) for event in result.events],
            result.data.hex(),
            result.hash,
        )
    ).encode()


def _digest(results: list[TxResult]) -> str:
    digest = hashlib.sha256()
    for result in results:
        digest.update(_result_record(result))
    return digest.hexdigest()


def _block_digest(block: BlockResult) -> str:
    digest = hashlib.sha256(_digest(list(block.tx_results)).encode())
    digest.update(repr([(event.type, event.attributes) for event in block.events]).encode())
    return digest.hexdigest()


def _fresh() -> tuple[App, list[bytes]]:
    app = App()
    app.init_chain(devnet_genesis())
    return app, _block_txs(app)


def _run(app: App, txs: list[bytes]) -> tuple[BlockResult, str]:
    block = app.finalize_block(app.last_time_ns + 5 * NANOS, txs)
    return block, app.commit().hex()


def test_a_mixed_block_from_a_cold_start_gives_the_pinned_results() -> None:
    app, txs = _fresh()
    clear_tx_caches()
    block, app_hash = _run(app, txs)
    codes = Counter(result.code for result in block.tx_results)
    assert dict(sorted(codes.items())) == EXPECTED_CODES
    assert sum(result.gas_used for result in block.tx_results) == EXPECTED_GAS_USED_TOTAL
    assert _block_digest(block) == EXPECTED_DELIVER_DIGEST
    assert app_hash == EXPECTED_APP_HASH


def test_check_tx_first_changes_nothing_in_the_block() -> None:
    app, txs = _fresh()
    clear_tx_caches()
    checks = [app.check_tx(tx) for tx in txs]
    assert _digest(checks) == EXPECTED_CHECK_DIGEST
    block, app_hash = _run(app, txs)
    assert _block_digest(block) == EXPECTED_DELIVER_DIGEST
    assert app_hash == EXPECTED_APP_HASH


def test_signatures_verified_ahead_in_a_child_process_change_nothing() -> None:
    app, txs = _fresh()
    clear_tx_caches()
    helper = ChildVerifier()
    signatures.use_helper(helper)
    try:
        block, app_hash = _run(app, txs)
        submitted = helper.submitted
    finally:
        signatures.use_helper(None)
        helper.close()
    assert submitted > 200  # the block's well-formed signatures went to the child
    assert _block_digest(block) == EXPECTED_DELIVER_DIGEST
    assert app_hash == EXPECTED_APP_HASH
