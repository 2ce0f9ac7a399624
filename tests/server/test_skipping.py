"""Idle-block skipping (``Node.advance``): the state after skipping equals the state after
running every block at the same times; skipped heights answer as empty blocks, also after a
restart; advancing time ticks every epoch it passes."""

from __future__ import annotations

import time
from pathlib import Path

from cosmpy.protos.cosmos.base.tendermint.v1beta1 import query_pb2 as tendermint_query
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from cosmpy.protos.cosmos.gov.v1.tx_pb2 import MsgSubmitProposal, MsgVote

from chain.app import App
from chain.devnet import devnet_genesis
from chain.sdk.context import NANOS
from chain.server.node import Node
from chain.server.persistence import ChainDB
from tests.app.chain import ACCOUNTS, Chain

GENESIS = devnet_genesis()
GENESIS_NS = int(GENESIS["genesis_time_ns"])


def _app() -> App:
    app = App()
    app.init_chain(GENESIS)
    return app


def _proposal_txs() -> list[bytes]:
    """A text proposal with the minimum deposit and the validator's yes vote."""
    chain = Chain()
    proposer = ACCOUNTS[0].address
    submit = chain.sign(
        0,
        [
            MsgSubmitProposal(
                initial_deposit=[Coin(denom="uakt", amount="10000000")],
                proposer=proposer,
                metadata="ipfs://skip",
                title="Skip",
                summary="A proposal decided within skipped blocks",
            )
        ],
    )
    vote = chain.sign(0, [MsgVote(proposal_id=1, voter=proposer, option=1)], sequence=1)
    return [submit, vote]


def _clock(seconds: float) -> float:
    return GENESIS_NS / NANOS + seconds


def _state(app: App) -> dict[str, object]:
    ctx = app.query_context()
    return {
        "height": app.last_height,
        "time": app.last_time_ns,
        "epochs": [info.SerializeToString() for info in app.epochs.all_epoch_infos(ctx)],
        "proposals": [p.SerializeToString() for _, p in app.gov.keeper.proposals.iterate(ctx)],
        "balances": list(app.bank.iterate_balances(ctx)),
        "supply": app.bank.total_supply(ctx),
        "remainder": app.mint.get_remainder(ctx),
    }


def test_skipping_gives_the_state_of_running_every_block() -> None:
    blocks, span = 2_000, 20_000  # 10 s a block: five hour epochs and the 20 s voting period
    skipping = Node(_app(), clock=lambda: _clock(span))
    for tx in _proposal_txs():
        assert skipping.broadcast(tx).ok
    start = time.perf_counter()
    executed = skipping.advance(num_blocks=blocks)
    elapsed = time.perf_counter() - start
    assert skipping.app.last_height == blocks
    assert skipping.app.last_time_ns == GENESIS_NS + span * NANOS
    assert executed < 20
    print(f"\nadvance {blocks} blocks, {executed} executed: {elapsed * 1e3:.1f} ms")

    reference = _app()
    txs = _proposal_txs()
    for height in range(1, blocks + 1):
        record = skipping.blocks[height]
        assert record.height == height
        reference.finalize_block(record.time_ns, txs if height == 1 else [])
        reference.commit()
        txs = []
    skipped, every = _state(skipping.app), _state(reference)
    assert skipped == every
    hour = next(
        info
        for info in reference.epochs.all_epoch_infos(reference.query_context())
        if info.identifier == "hour"
    )
    assert hour.current_epoch == 6  # started at block 1, five ends passed
    proposals = list(reference.gov.keeper.proposals.iterate(reference.query_context()))
    assert [proposal.status for _, proposal in proposals] == [3]  # passed while skipping
    # One validator and round ratios: the distribution is exact too, so is the whole state.
    assert skipping.app.app_hash == reference.app_hash


def test_ten_thousand_idle_blocks_run_quickly_and_answer_as_empty_blocks(tmp_path: Path) -> None:
    now = [_clock(60)]
    home = tmp_path / "data"
    home.mkdir()
    node = Node(_app(), clock=lambda: now[0], db=ChainDB(home / "chain.db"))
    node.produce_block()
    start = time.perf_counter()
    node.advance(num_blocks=10_000)
    elapsed = time.perf_counter() - start
    print(f"\nadvance_blocks 10,000 idle blocks: {elapsed * 1e3:.1f} ms")
    assert node.app.last_height == 10_001
    times = [node.blocks[height].time_ns for height in range(1, 10_002)]
    assert times == sorted(set(times))
    middle = node.get_block_by_height(tendermint_query.GetBlockByHeightRequest(height=5_000))
    assert middle.block.header.height == 5_000
    assert list(middle.block.data.txs) == []
    assert 5_000 in node.blocks
    assert 10_002 not in node.blocks
    app_hash = node.app.app_hash
    node.stop()

    resumed = Node(App(), clock=lambda: now[0], db=ChainDB(home / "chain.db"))
    assert resumed.app.last_height == 10_001
    assert resumed.app.app_hash == app_hash
    assert [resumed.blocks[height].time_ns for height in range(1, 10_002)] == times
    again = resumed.get_block_by_height(tendermint_query.GetBlockByHeightRequest(height=5_000))
    assert again == middle
    resumed.stop()


def test_advance_time_of_three_days_ticks_the_day_and_hour_epochs() -> None:
    node = Node(_app(), clock=lambda: _clock(1))
    node.produce_block()

    def epochs() -> dict[str, int]:
        infos = node.app.epochs.all_epoch_infos(node.app.query_context())
        return {info.identifier: info.current_epoch for info in infos}

    before = epochs()
    produced = node.advance(seconds=3 * 86_400)
    after = epochs()
    assert after["day"] == before["day"] + 3
    assert after["hour"] == before["hour"] + 72
    assert after["week"] == before["week"]
    assert node.app.last_height == 1 + produced
    assert node.app.next_due_ns() > node.app.last_time_ns  # type: ignore[operator]
