"""``kill -9`` of a node under load, at named crash points and at random instants, many times on
one home: after every restart the node resumes the last commit, nothing a client saw committed is
missing, nothing uncommitted leaked, every invariant holds, and the same client reconnects.

The run is seeded and sized by ``INCENTIVESD_FAULTS_SEED`` (default 20261124) and
``INCENTIVESD_FAULTS_KILLS`` (default 50). A failure names the seed, the life and the kill plan.
At the end the whole chain is replayed from its genesis in this process: every block must
reproduce its stored app hash and tx results.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from chain.app import App
from chain.server.faults import CRASH_POINTS
from chain.server.persistence import ChainDB, home_db_path
from incentivesd.client import Client, NodeUnreachableError
from tests.faults.node_process import VOTING_PERIOD, NodeProcess, Ports, genesis_of, read_home
from tests.faults.workload import Workload

SEED = int(os.environ.get("INCENTIVESD_FAULTS_SEED", "20261124"))
KILLS = int(os.environ.get("INCENTIVESD_FAULTS_KILLS", "50"))
LIFE_SECONDS = 8.0  # a named crash point not reached by then fails the run


@dataclass(frozen=True)
class Plan:
    """How one life ends: at the ``hit``-th pass of crash point ``point``, or ``delay`` seconds
    after the checks, whatever the workload is doing."""

    point: str | None
    hit: int = 0
    delay: float = 0.0

    @property
    def crash_at(self) -> str | None:
        return f"{self.point}:{self.hit}" if self.point else None

    def __str__(self) -> str:
        return self.crash_at or f"SIGKILL after {self.delay:.3f} s"


def schedule(rng: random.Random, lives: int) -> list[Plan]:
    """About a third random instants, the rest named points: every point once (in a seeded
    order), then seeded picks; each hit count seeded."""
    randoms = max(1, lives * 35 // 100)
    points = rng.sample(CRASH_POINTS, len(CRASH_POINTS))
    points += [rng.choice(CRASH_POINTS) for _ in range(lives - randoms - len(points))]
    plans = [Plan(None, delay=rng.uniform(0.02, 0.4)) for _ in range(randoms)]
    for point in points:
        most = {"check_tx": 8, "gov.execute": 2, "epochs.hook": 40}.get(point, 4)
        plans.append(Plan(point, hit=rng.randint(1, most)))
    rng.shuffle(plans)
    return plans[:lives]


def flow_for(work: Workload, plan: Plan) -> Callable[[], None]:
    if plan.point == "gov.execute":
        return work.gov_flow
    if plan.point == "epochs.hook":
        return work.epoch_flow
    if plan.point is None:
        return work.mixed
    return work.send_burst


def replay(home: Path, included: dict[str, int]) -> int:
    """Re-execute every stored block from the genesis; returns the number of blocks."""
    db = ChainDB(home_db_path(home), read_only=True)
    try:
        head = db.head()
        assert head is not None
        genesis = genesis_of(home)
        app = App(chain_id=genesis["chain_id"], voting_period=VOTING_PERIOD)
        app.init_chain(genesis)
        assert app.app_hash == db.commit_at(head.base_height)[1]
        blocks = db.load_blocks()
        for height in sorted(blocks):
            block = blocks[height]
            result = app.finalize_block(block.time_ns, block.txs, height)
            assert app.commit() == block.app_hash, f"block {height} does not replay"
            assert [(r.hash, r.code, r.gas_used) for r in result.tx_results] == [
                (r.hash, r.code, r.gas_used) for r in block.results
            ], height
        assert app.last_height == head.height
        assert app.store.items() == db.load_state().items()
        assert app.invariants() == []
        index = db.load_tx_index()
        for txhash, height in included.items():
            assert index[txhash][0] == height, txhash
        return len(blocks)
    finally:
        db.close()


@pytest.mark.slow
def test_kill_9_at_named_points_and_random_instants_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    home, log = tmp_path / "home", tmp_path / "node.log"
    node = NodeProcess(home, Ports(), log)
    node.start()
    client = Client(node.grpc_url, query_interval_secs=0.005, timeout_secs=10)
    work = Workload(client, node, rng)
    ends: Counter[str] = Counter()
    slowest_reconnect = 0.0
    try:
        work.resync()
        work.see_latest_block()
        work.setup_incentives()
        assert node.kill() == -signal.SIGKILL  # the first kill point: an idle node
        ends["idle"] += 1
        for life, plan in enumerate(schedule(rng, KILLS - 1), start=1):
            where = f"seed {SEED}, life {life}, {plan}"
            node.crash_at = plan.crash_at
            node.start()
            head, app = read_home(home)
            assert node.started_height == head.height, where
            assert head.height >= max(work.ledger.blocks), where
            assert app.invariants() == [], where
            found = work.reconcile()  # the same client, reconnected
            slowest_reconnect = max(slowest_reconnect, found["reconnect_seconds"])
            ends["recovered in-flight txs"] += found["recovered"]
            ends["dropped uncommitted txs"] += found["dropped"]
            timer = threading.Timer(plan.delay, node.kill) if plan.point is None else None
            if timer is not None:
                timer.start()
            flow = flow_for(work, plan)
            deadline = time.monotonic() + LIFE_SECONDS
            try:
                while time.monotonic() < deadline and node.alive():
                    flow()
            except NodeUnreachableError:
                pass
            status = node.wait(timeout=5)
            if timer is not None:
                timer.join()
            assert status == -signal.SIGKILL, f"{where}: the node ended with {status}"
            ends[plan.point or "random instant"] += 1
        node.crash_at = None
        node.start()
        work.reconcile()
        assert node.stop() == 0
    finally:
        client.close()
        node.kill()  # reaps (and closes the pipe of) a node that already died, too
    assert sum(ends[point] for point in (*CRASH_POINTS, "random instant", "idle")) == KILLS
    if len(CRASH_POINTS) * 2 < KILLS:
        assert set(CRASH_POINTS) <= set(ends), f"seed {SEED}: points never hit: {ends}"
    blocks = replay(home, work.ledger.included)
    assert blocks > KILLS
    assert slowest_reconnect < 5.0
    assert len(work.ledger.included) > 2 * KILLS
