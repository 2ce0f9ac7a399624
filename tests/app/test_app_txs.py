"""Real signed txs through the app: SDK semantics of fees, sequences and failing messages."""

from __future__ import annotations

from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from incentives.pb import tx_pb2
from tests.app.chain import Chain


def send(chain: Chain, sender: int, recipient: int, amount: int) -> MsgSend:
    return MsgSend(
        from_address=chain.account(sender).address,
        to_address=chain.account(recipient).address,
        amount=[Coin(denom="uakt", amount=str(amount))],
    )


def test_a_signed_send_moves_funds_and_charges_the_fee() -> None:
    chain = Chain()
    before = chain.balance(chain.account(1).address), chain.balance(chain.account(2).address)
    result = chain.run(1, [send(chain, 1, 2, 1_000)])
    assert result.ok, result.log
    assert chain.balance(chain.account(1).address) == before[0] - 1_000 - 5_000
    assert chain.balance(chain.account(2).address) == before[1] + 1_000
    assert chain.app.invariants() == []


def test_a_failing_message_keeps_fee_and_sequence_but_nothing_else() -> None:
    chain = Chain()
    sender = chain.account(1).address
    before = chain.balance(sender)
    result = chain.run(1, [send(chain, 1, 2, 10**15)])
    assert (result.codespace, result.code) == ("sdk", 5)
    assert "failed to execute message; message index: 0" in result.log
    assert chain.balance(sender) == before - 5_000
    again = chain.run(1, [send(chain, 1, 2, 1)])
    assert again.ok, again.log  # the sequence advanced with the failed tx
    assert chain.app.invariants() == []


def test_an_incentives_message_runs_inside_a_signed_tx() -> None:
    chain = Chain()
    owner = chain.account(3).address
    msg = tx_pb2.MsgRegisterNode(
        owner=owner, node_id="gpu-1", gpu_model="h100", gpu_count=8, benchmark_score=3000
    )
    result = chain.run(3, [msg])
    assert result.ok, result.log
    assert any(event.type == "akash.incentives.v1.EventNodeRegistered" for event in result.events)
    node = chain.app.incentives.keeper.get_node(chain.app.query_context(), "gpu-1")
    assert node.owner == owner


def test_a_message_signed_by_someone_else_is_rejected() -> None:
    chain = Chain()
    result = chain.run(1, [send(chain, 2, 1, 1)])
    assert not result.ok
    assert result.codespace == "sdk"


def test_wrong_chain_id_fails_signature_verification() -> None:
    chain = Chain()
    result = chain.run(1, [send(chain, 1, 2, 1)], chain_id="other-chain")
    assert (result.codespace, result.code) == ("sdk", 4)
    assert "signature verification failed" in result.log


def test_a_replayed_tx_is_refused() -> None:
    chain = Chain()
    tx = chain.sign(1, [send(chain, 1, 2, 1)])
    assert chain.app.check_tx(tx).ok
    assert chain.block(tx).tx_results[0].ok
    replay = chain.app.check_tx(tx)
    assert (replay.codespace, replay.code) == ("sdk", 32)


def test_the_fee_below_the_minimum_gas_price_is_refused_at_admission() -> None:
    chain = Chain()
    result = chain.run(1, [send(chain, 1, 2, 1)], fee="10uakt")
    assert (result.codespace, result.code) == ("sdk", 13)
    assert "required: 5000uakt" in result.log


def test_simulate_reports_gas_without_writing() -> None:
    chain = Chain()
    tx = chain.sign(1, [send(chain, 1, 2, 1)], fee="", gas=0)
    before = chain.app.app_hash
    result = chain.app.simulate(tx)
    assert result.ok, result.log
    assert result.gas_used > 0
    assert chain.app.app_hash == before
