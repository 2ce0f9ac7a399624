"""A node with a home: every block is one SQLite transaction, restarts resume, SIGKILL at any
instant loses nothing committed and leaks nothing uncommitted, the history answers past-height
queries and backs snapshots, and unusable homes fail clearly."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cosmpy.protos.cosmos.bank.v1beta1 import query_pb2 as bank_query

from chain.app import App
from chain.sdk.errors import SdkError
from chain.sdk.kv import CacheKV, MemKV, store_hash
from chain.server.localnet import Localnet, start_localnet
from chain.server.node import Node
from chain.server.persistence import ChainDB, PersistenceError, canonical_json
from tests.app.chain import GENESIS
from tests.server.signing import ACCOUNTS, balance, send_tx

ROOT = Path(__file__).resolve().parents[2]
BALANCE = "/cosmos.bank.v1beta1.Query/Balance"


def start(home: Path | None, **options: object) -> Localnet:
    # A long block interval: the tests make every block themselves.
    return start_localnet(
        GENESIS,
        grpc_address="127.0.0.1:0",
        home=home,
        block_time=3600,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Localnet]:
    started = start(tmp_path / "home")
    try:
        yield started
    finally:
        started.stop()


def send_block(node: Node, sender: int, recipient: int, amount: int) -> int:
    """Admit one signed send and commit it in its own block; the block's height."""
    admitted = node.broadcast(send_tx(node.app, sender, recipient, amount))
    assert admitted.ok, admitted.log
    record = node.produce_block()
    assert record.results[0].ok, record.results[0].log
    return record.height


def queried_balance(node: Node, index: int, height: int | None) -> int:
    request = bank_query.QueryBalanceRequest(address=ACCOUNTS[index].address, denom="uakt")
    response = node.query_at(BALANCE, request, height)
    assert isinstance(response, bank_query.QueryBalanceResponse)
    return int(response.balance.amount)


# The write set


def test_a_branch_reports_its_writes_in_key_order() -> None:
    parent = MemKV({b"a": b"1", b"b": b"2"})
    branch = CacheKV(parent)
    branch.set(b"c", b"3")
    branch.delete(b"a")
    branch.set(b"b", b"20")
    assert branch.changes() == [(b"a", None), (b"b", b"20"), (b"c", b"3")]
    branch.write()
    assert branch.changes() == []


# Restart


def test_a_restart_resumes_height_app_hash_blocks_and_balances(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = start(home)
    height = send_block(first.node, 1, 2, 12_345)
    tx_hash = first.node.blocks[height].results[0].hash
    expected = (first.app.last_height, first.app.last_time_ns, first.app.app_hash)
    balances = [balance(first.app, index) for index in (1, 2)]
    first.stop()

    genesis_file = home / "config" / "genesis.json"
    assert json.loads(genesis_file.read_text()) == json.loads(canonical_json(GENESIS))
    second = start(home)
    try:
        app = second.app
        assert (app.last_height, app.last_time_ns, app.app_hash) == expected
        assert [balance(app, index) for index in (1, 2)] == balances
        assert balances[1] == 10**12 + 12_345
        found = second.node.find_tx(tx_hash)
        assert found is not None
        assert found[0].height == height
        assert found[0].results[0].events == first.node.blocks[height].results[0].events
        assert sorted(second.node.blocks) == list(range(1, height + 1))
        assert app.invariants() == []
        # The resumed chain goes on: the next sequence is accepted.
        assert send_block(second.node, 1, 2, 1) == height + 1
    finally:
        second.stop()


def test_a_home_from_another_genesis_is_refused(net: Localnet, tmp_path: Path) -> None:
    net.stop()
    other = {**GENESIS, "genesis_time_ns": str(int(GENESIS["genesis_time_ns"]) + 1)}
    with pytest.raises(PersistenceError, match="another genesis"):
        start_localnet(other, grpc_address="127.0.0.1:0", home=net.home)


def test_a_database_whose_state_does_not_match_its_app_hash_is_refused(
    net: Localnet, tmp_path: Path
) -> None:
    send_block(net.node, 1, 2, 5)
    net.stop()
    db_path = tmp_path / "home" / "data" / "state.db"
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE kv SET value = x'00' WHERE height = (SELECT MAX(height) FROM kv)")
    with pytest.raises(PersistenceError, match=r"hashes to .* but the stored app hash is"):
        start(tmp_path / "home")


# History


def test_past_heights_answer_with_their_own_state(net: Localnet) -> None:
    node = net.node
    before = node.app.last_height
    first = send_block(node, 1, 2, 1_000)
    second = send_block(node, 1, 2, 2_000)
    start_balance = 10**12
    assert queried_balance(node, 2, before) == start_balance
    assert queried_balance(node, 2, first) == start_balance + 1_000
    assert queried_balance(node, 2, second) == start_balance + 3_000
    assert queried_balance(node, 2, None) == start_balance + 3_000
    assert queried_balance(node, 2, 0) == start_balance + 3_000  # 0: the latest, as the SDK
    assert queried_balance(node, 2, first) == start_balance + 1_000  # from the cached view
    with pytest.raises(SdkError, match="height in the future"):
        queried_balance(node, 2, second + 1)
    db = node.db
    genesis = App()
    genesis.init_chain(GENESIS)
    assert db.load_state(0).items() == genesis.store.items()
    assert store_hash(db.load_state(first)) == node.blocks[first].app_hash
    assert store_hash(db.load_state()) == node.app.app_hash


def test_a_node_without_a_home_keeps_its_history_in_memory() -> None:
    app = App()
    app.init_chain(GENESIS)
    node = Node(app)
    assert node.db.path is None
    node.produce_block()
    height = send_block(node, 3, 4, 77)
    assert queried_balance(node, 4, height - 1) == 10**12
    assert queried_balance(node, 4, height) == 10**12 + 77
    assert node.snapshot() == 1
    node.stop()


# Snapshots


def test_revert_restores_state_blocks_and_tx_index_in_memory_and_on_disk(
    net: Localnet, tmp_path: Path
) -> None:
    node = net.node
    height, app_hash = node.app.last_height, node.app.app_hash
    snapshot = node.snapshot()
    later = node.snapshot()
    reverted_height = send_block(node, 1, 2, 999)
    tx_hash = node.blocks[reverted_height].results[0].hash
    node.broadcast(send_tx(node.app, 3, 4, 1))  # waiting in the mempool

    assert node.revert(snapshot) is True
    assert (node.app.last_height, node.app.app_hash) == (height, app_hash)
    assert balance(node.app, 2) == 10**12
    assert max(node.blocks) == height
    assert node.find_tx(tx_hash) is None
    assert node.mempool == []
    assert node.revert(snapshot) is False  # consumed
    assert node.revert(later) is False  # taken after it: consumed too
    assert node.revert(12_345) is False
    head = node.db.head()
    assert head is not None
    assert (head.height, head.app_hash) == (height, app_hash)

    # The chain goes on from the snapshot, with the same sequence, and survives a restart.
    assert send_block(node, 1, 2, 5) == height + 1
    expected = node.app.app_hash
    net.stop()
    resumed = start(tmp_path / "home")
    try:
        assert resumed.app.last_height == height + 1
        assert resumed.app.app_hash == expected
        assert resumed.node.find_tx(tx_hash) is None
        assert balance(resumed.app, 2) == 10**12 + 5
        assert resumed.app.invariants() == []
    finally:
        resumed.stop()


# The lock


def test_a_second_node_on_the_same_home_is_refused(net: Localnet, tmp_path: Path) -> None:
    with pytest.raises(PersistenceError, match="in use by another node"):
        start(tmp_path / "home")
    net.stop()
    again = start(tmp_path / "home")  # released on stop
    again.stop()


# Unusable homes


def test_a_read_only_database_fails_clearly_and_changes_nothing(
    net: Localnet, tmp_path: Path
) -> None:
    db_path = tmp_path / "home" / "data" / "state.db"
    send_block(net.node, 1, 2, 10)
    net.stop()
    app = App()
    node = Node(app, db=ChainDB(db_path, read_only=True))  # resumes: reading works
    height, app_hash = app.last_height, app.app_hash
    tx = send_tx(app, 1, 2, 20)
    assert node.broadcast(tx).ok
    with pytest.raises(PersistenceError, match="readonly database") as raised:
        node.produce_block()
    assert raised.value.path == db_path
    assert str(db_path) in str(raised.value)
    assert (app.last_height, app.app_hash) == (height, app_hash)
    assert store_hash(app.store) == app_hash
    assert node.mempool == [tx]  # the undone block's txs wait for the next one
    node.stop()
    resumed = start(tmp_path / "home")
    try:
        assert (resumed.app.last_height, resumed.app.app_hash) == (height, app_hash)
    finally:
        resumed.stop()


def test_a_home_that_cannot_hold_a_data_directory_fails_clearly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "data").write_text("not a directory")
    with pytest.raises(PersistenceError, match="cannot create the node's home") as raised:
        start(home)
    assert raised.value.path == home / "data"


def test_a_database_path_that_is_a_directory_fails_clearly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "data" / "state.db").mkdir(parents=True)
    for _ in range(2):  # the failed start released the lock: the same error again
        with pytest.raises(PersistenceError, match="cannot open the state database"):
            start(home)


def test_a_full_disk_fails_the_block_clearly_and_the_node_recovers(net: Localnet) -> None:
    # SQLite's page limit raises the same SQLITE_FULL a full file system does.
    node = net.node
    height, app_hash = node.app.last_height, node.app.app_hash
    conn = node.db._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    for sender in range(1, 10):
        assert node.broadcast(send_tx(node.app, sender, 0, 1)).ok
    with pytest.raises(PersistenceError, match="database or disk is full"):
        node.produce_block()
    assert (node.app.last_height, node.app.app_hash) == (height, app_hash)
    head = node.db.head()
    assert head is not None
    assert head.height == height
    assert len(node.mempool) == 9
    conn.execute("PRAGMA max_page_count = 1073741823")
    record = node.produce_block()
    assert record.height == height + 1
    assert all(result.ok for result in record.results)
    assert node.app.invariants() == []


# Crash safety

CHILD = """
import json, random, sys
from pathlib import Path
from chain.server.localnet import start_localnet
from tests.server.signing import send_tx

home, genesis, seed = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text()), int(sys.argv[3])
net = start_localnet(genesis, grpc_address="127.0.0.1:0", home=home, block_time=3600)
node, rng = net.node, random.Random(seed)
sys.stdout.write(f"ready {node.app.last_height} {node.app.app_hash.hex()}\\n")
sys.stdout.flush()
while True:
    for sender in rng.sample(range(1, 10), rng.randint(1, 3)):
        assert node.broadcast(send_tx(node.app, sender, rng.randrange(10), rng.randint(1, 999))).ok
    # One write per line: under PYTHONUNBUFFERED each argument of print() is its own write,
    # and the kill may land between them.
    sys.stdout.write(f"committed {node.produce_block().height}\\n")
    sys.stdout.flush()
"""


def test_sigkill_at_random_instants_loses_nothing_committed(tmp_path: Path) -> None:
    rng = random.Random(20260101)
    home = tmp_path / "home"
    genesis_file = tmp_path / "genesis.json"
    genesis_file.write_text(json.dumps(GENESIS))
    db_path = home / "data" / "state.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    reported = 0
    for round_ in range(10):
        # Leaving the block closes both pipes and reaps the child, which the finally has killed
        # on every path (a failed check must not leave it committing blocks in a loop).
        with subprocess.Popen(
            [sys.executable, "-c", CHILD, str(home), str(genesis_file), str(round_)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as child:
            try:
                assert child.stdout is not None
                assert child.stderr is not None
                ready = child.stdout.readline().split()
                if not ready:
                    pytest.fail(child.stderr.read())
                assert ready[0] == "ready"
                assert int(ready[1]) >= max(reported, 1)
                time.sleep(rng.uniform(0.0, 0.25))
            finally:
                child.send_signal(signal.SIGKILL)
                child.wait()
            # A line the kill cut short (no newline yet) was never reported.
            committed = [
                int(line.split()[1])
                for line in child.stdout
                if line.startswith("committed ") and line.endswith("\n")
            ]
        reported = committed[-1] if committed else int(ready[1])

        # Everything reported committed is there; at most the block in flight besides.
        db = ChainDB(db_path, read_only=True)
        try:
            head = db.head()
            assert head is not None
            assert reported <= head.height <= reported + 1
            assert max(db.load_blocks()) == head.height
            conn = db._conn
            for table in ("kv", "blocks", "txs"):
                (top,) = conn.execute(f"SELECT MAX(height) FROM {table}").fetchone()
                # An empty table (no tx committed yet) has no row above the head either.
                assert top is None or top <= head.height, table
            assert store_hash(db.load_state()) == head.app_hash
        finally:
            db.close()
        resumed = start(home)
        try:
            assert resumed.app.last_height == head.height
            assert resumed.app.app_hash == head.app_hash
            assert resumed.app.invariants() == []
            assert len(resumed.node.tx_index) == sum(
                len(block.txs) for block in resumed.node.blocks.values()
            )
        finally:
            resumed.stop()
        reported = head.height
    assert reported > 10
