"""Shrinking a failing op log: a test-only invariant, registered through
``App.register_invariant``, breaks in random runs; the shrunk log is much smaller, still breaks
it, and shrinking is deterministic."""

from __future__ import annotations

import pytest
from cosmpy.protos.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.sdk.context import Context
from incentives.types import keys
from incentivesd.simulation import Op, replay, simulate
from incentivesd.simulation.shrink import shrink, simpler_amounts


def no_pool_members(ctx: Context) -> str | None:
    count = sum(1 for _ in keys.MEMBERSHIPS.iterate(ctx))
    return f"{count} pool memberships" if count else None


def at_most_two_nodes(ctx: Context) -> str | None:
    count = sum(1 for _ in keys.NODES.iterate(ctx))
    return f"{count} nodes registered" if count > 2 else None


NO_MEMBERS = (("test/no-pool-members", no_pool_members),)
TWO_NODES = (("test/at-most-two-nodes", at_most_two_nodes),)


def test_shrinking_keeps_three_registrations_and_is_deterministic() -> None:
    report, log = simulate(7, 20, 15, invariants=TWO_NODES)
    assert report.violations == ["test/at-most-two-nodes: 4 nodes registered"]
    result = shrink(log, TWO_NODES)
    assert [op.type for block in result.log.blocks for op in block.ops] == [
        "incentives/MsgRegisterNode"
    ] * 3
    assert result.original_ops >= 10 * result.log.op_count
    assert result.violation == "test/at-most-two-nodes: 3 nodes registered"
    assert replay(result.log, TWO_NODES).violations == [result.violation]
    assert shrink(log, TWO_NODES).log.text() == result.log.text()


@pytest.mark.slow
def test_a_pool_membership_shrinks_to_the_proposal_the_vote_and_the_join() -> None:
    """The membership needs a pool, which needs a passed gov proposal: the shrunk log keeps the
    registration, the proposal, the votes that pass it and the join, out of hundreds of ops."""
    report, log = simulate(1, 40, 15, invariants=NO_MEMBERS)
    assert report.violations[0].startswith("test/no-pool-members: ")
    result = shrink(log, NO_MEMBERS)
    names = [op.name for block in result.log.blocks for op in block.ops]
    assert names[:2] == ["register-node", "proposal-create-pool"]
    assert names[-1] == "join-pool"
    assert set(names[2:-1]) <= {"vote", "vote-weighted"}
    assert 1 <= len(names[2:-1]) <= 2
    assert result.original_ops > 300
    assert replay(result.log, NO_MEMBERS).violations == ["test/no-pool-members: 1 pool memberships"]


def test_amounts_simplify_to_one_then_halve() -> None:
    send = bank_tx.MsgSend(
        from_address="a", to_address="b", amount=[Coin(denom="uakt", amount="12345")]
    )
    op = Op(1, 0, (send,), "bank-send")
    to_one = simpler_amounts(op, lambda _: 1)
    assert to_one is not None
    assert to_one.msgs[0].amount[0].amount == "1"  # type: ignore[attr-defined]
    halved = simpler_amounts(op, lambda amount: amount // 2)
    assert halved is not None
    assert halved.msgs[0].amount[0].amount == "6172"  # type: ignore[attr-defined]
    assert op.msgs[0].amount[0].amount == "12345"  # type: ignore[attr-defined]
    assert simpler_amounts(to_one, lambda _: 1) is None
