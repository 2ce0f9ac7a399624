"""A node process (the installed ``incentivesd start``) on a home it cannot fully use: a full disk
(the file-size limit, ``RLIMIT_FSIZE``, that the kernel enforces on every write; and a real
ENOSPC from a small tmpfs) and a read-only home (a read-only bind mount) give a clear error and
leave the database as it was; a second node on a home in use is refused by the lock. The mounts
live in the node's own private mount namespace (``unshare``), so they vanish with it; those tests
skip where mount namespaces are not permitted."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.tendermint.v1beta1.query_pb2 import GetLatestBlockRequest
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.devnet import DEV_MNEMONIC
from incentivesd.client import Client, wallet_from_mnemonic
from tests.faults.node_process import ROOT, NodeProcess, Ports, read_home

WALLETS = [wallet_from_mnemonic(DEV_MNEMONIC, index) for index in range(4)]


STARTED: list[NodeProcess] = []


@pytest.fixture(autouse=True)
def no_node_left() -> Iterator[None]:
    """Every node a test started is gone after it, even when the test failed midway."""
    yield
    while STARTED:
        node = STARTED.pop()
        if node.process is not None:
            node.kill()  # reaps (and closes the pipe of) a node that already died, too


def node_on(home: Path, log: Path, wrapper: tuple[str, ...] = ()) -> NodeProcess:
    node = NodeProcess(home, Ports(), log, wrapper=wrapper, console=True)
    STARTED.append(node)
    return node


class Sender:
    """Pipelined sends from account 1 (none waits for inclusion) at sequences tracked here, so
    txs still waiting in the mempool (blocks failing to persist) do not reuse a sequence."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.wallet = WALLETS[1]
        self.sequence = client.account(str(self.wallet.address()))[1]

    def send(self, count: int) -> list[str]:
        hashes = []
        for _ in range(count):
            msg = MsgSend(
                from_address=str(self.wallet.address()),
                to_address=str(WALLETS[2].address()),
                amount=[Coin(denom="uakt", amount="7")],
            )
            result = self.client.broadcast(
                msg, self.wallet, gas=200_000, sequence=self.sequence, wait=False
            )
            self.sequence += 1
            hashes.append(result.txhash)
        return hashes


def fill_until_a_block_fails(sender: Sender, log: Path) -> list[str]:
    """Send until the node logs a block it could not write (at most 20 s); the accepted hashes."""
    accepted: list[str] = []
    deadline = time.monotonic() + 20
    while "block not committed" not in log.read_text() and time.monotonic() < deadline:
        accepted += sender.send(3)
        time.sleep(0.05)
    return accepted


def digests(home: Path) -> dict[str, str]:
    return {
        str(path.relative_to(home)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(home.rglob("*"))
        if path.is_file()
    }


def made_home(tmp_path: Path) -> Path:
    """A home holding a chain with a few blocks, its node stopped cleanly."""
    home = tmp_path / "home"
    node = node_on(home, tmp_path / "setup.log")
    node.start()
    with Client(node.grpc_url, query_interval_secs=0.005) as client:
        for txhash in Sender(client).send(3):
            client.wait_for_tx(txhash)
    assert node.stop() == 0
    return home


def test_a_second_node_on_the_same_home_is_refused(tmp_path: Path) -> None:
    home = made_home(tmp_path)
    first = node_on(home, tmp_path / "first.log")
    first.start()
    try:
        second = node_on(home, tmp_path / "second.log")
        refused = subprocess.run(
            second.command(), cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert refused.returncode == 1
        assert first.process is not None
        assert (
            f"cannot start: the home is in use by another node (pid {first.process.pid}); "
            "stop it or use another home" in refused.stderr
        )
        assert "Traceback" not in refused.stderr
        with Client(first.grpc_url, query_interval_secs=0.005) as client:
            (txhash,) = Sender(client).send(1)
            assert client.wait_for_tx(txhash).code == 0  # the first node is unaffected
    finally:
        assert first.stop() == 0
    again = node_on(home, tmp_path / "again.log")  # the lock went with the first node
    again.start()
    assert again.stop() == 0


def file_size_limit(size: int) -> tuple[str, ...]:
    """A wrapper command: ``prlimit`` sets the soft ``RLIMIT_FSIZE`` (the hard limit stays
    unlimited, so the limit can be lifted later) and execs the node."""
    prlimit = shutil.which("prlimit")
    if prlimit is None:
        pytest.skip("no prlimit command to limit the node's file sizes")
    return (prlimit, f"--fsize={size}:unlimited", "--")


def test_a_full_disk_fails_blocks_clearly_keeps_the_database_and_recovers(tmp_path: Path) -> None:
    home = made_home(tmp_path)
    log = tmp_path / "full.log"
    # The WAL (emptied by the clean stop) may not grow past 64 KiB: the next block's writes fail.
    node = node_on(home, log, wrapper=file_size_limit(64 * 1024))
    node.start()
    assert node.process is not None
    try:
        with Client(node.grpc_url, query_interval_secs=0.005) as client:
            accepted = fill_until_a_block_fails(Sender(client), log)
            error = log.read_text()
            assert "block not committed, retrying in 1.0s: cannot write block" in error
            assert str(home / "data" / "state.db") in error
            assert "disk I/O error (SQLITE_IOERR_WRITE)" in error  # EFBIG, as ENOSPC is FULL
            assert "Traceback" not in error
            # The node serves the last block it could write, and that is what the file holds.
            latest = client.ledger.tendermint.GetLatestBlock(GetLatestBlockRequest()).block
            head, app = read_home(home)
            assert (head.height, head.app_hash) == (latest.header.height, latest.header.app_hash)
            assert app.invariants() == []
            assert node.alive()
            # Space again: the node retries the same block and every accepted tx commits.
            resource.prlimit(
                node.process.pid,
                resource.RLIMIT_FSIZE,
                (resource.RLIM_INFINITY, resource.RLIM_INFINITY),  # the soft limit, to the hard
            )
            heights = {client.wait_for_tx(txhash, timeout=10).height for txhash in accepted}
            assert max(heights) == head.height + 1
    finally:
        assert node.stop() == 0
    head, app = read_home(home)
    assert head.height >= max(heights)
    assert app.invariants() == []


def test_a_fresh_home_on_a_full_disk_fails_to_start_clearly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    node = node_on(home, tmp_path / "node.log", wrapper=file_size_limit(0))
    failed = subprocess.run(node.command(), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert failed.returncode == 1
    assert "cannot start: cannot write the node's lock file" in failed.stderr
    assert "File too large" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert not (home / "data" / "state.db").exists()


def private_mounts() -> str:
    """The ``unshare`` command, if this process may make private mount namespaces (root with
    CAP_SYS_ADMIN); skips the test otherwise."""
    unshare = shutil.which("unshare")
    probe = subprocess.run(
        [unshare or "unshare", "--mount", "--propagation", "private", "true"],
        capture_output=True,
        check=False,
    )
    if unshare is None or probe.returncode != 0:
        pytest.skip("no private mount namespaces here")
    return unshare


READ_HOME = """
import json, sys
from pathlib import Path
from tests.faults.node_process import read_home
head, app = read_home(Path(sys.argv[1]))
found = {"height": head.height, "app_hash": head.app_hash.hex(), "broken": app.invariants()}
print(json.dumps(found))
"""


def read_home_inside(nsenter: str, pid: int, home: Path) -> dict[str, object]:
    """``read_home`` in the mount namespace of process ``pid``: the durable height, app hash and
    broken invariants."""
    checked = subprocess.run(
        [nsenter, "-t", str(pid), "-m", sys.executable, "-c", READ_HOME, str(home)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, object] = json.loads(checked.stdout)
    return result


def test_a_small_file_system_filling_up_fails_blocks_clearly_and_recovers(tmp_path: Path) -> None:
    """A real ENOSPC: the data directory on a tmpfs a little larger than the database, in the
    node's own mount namespace (checked from inside it with ``nsenter``), grown later with
    ``mount -o remount,size=``."""
    unshare, nsenter = private_mounts(), shutil.which("nsenter")
    if nsenter is None:
        pytest.skip("no nsenter command")
    home = made_home(tmp_path)
    seed = tmp_path / "seed-data"
    (home / "data").rename(seed)
    (home / "data").mkdir()
    size = sum(path.stat().st_size for path in seed.iterdir()) + 96 * 1024
    log = tmp_path / "tmpfs.log"
    script = 'mount -t tmpfs -o size="$1" tmpfs "$0" && cp -a "$2"/. "$0"/ && shift 2 && exec "$@"'
    node = node_on(
        home,
        log,
        wrapper=(
            unshare,
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            script,
            str(home / "data"),
            str(size),
            str(seed),
        ),
    )
    node.start()
    assert node.process is not None
    pid = node.process.pid
    try:
        with Client(node.grpc_url, query_interval_secs=0.005) as client:
            accepted = fill_until_a_block_fails(Sender(client), log)
            error = log.read_text()
            assert "database or disk is full (SQLITE_FULL)" in error
            assert "Traceback" not in error
            latest = client.ledger.tendermint.GetLatestBlock(GetLatestBlockRequest()).block
            head = read_home_inside(nsenter, pid, home)
            assert head == {
                "height": latest.header.height,
                "app_hash": latest.header.app_hash.hex(),
                "broken": [],
            }
            grow = [nsenter, "-t", str(pid), "-m", "mount", "-o", "remount,size=64m"]
            subprocess.run([*grow, str(home / "data")], check=True, timeout=30)
            heights = {client.wait_for_tx(txhash, timeout=10).height for txhash in accepted}
            assert max(heights) > head["height"]
            after = read_home_inside(nsenter, pid, home)
            assert after["height"] >= max(heights)
            assert after["broken"] == []
    finally:
        assert node.stop() == 0


def test_a_read_only_home_fails_to_start_clearly_and_changes_nothing(tmp_path: Path) -> None:
    unshare = private_mounts()
    home = made_home(tmp_path)
    before = digests(home)
    node = node_on(home, tmp_path / "ro.log")
    read_only = [
        unshare,
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"',
        str(home),
        *node.command(),
    ]
    failed = subprocess.run(read_only, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert failed.returncode == 1, failed.stderr
    assert "cannot start: cannot create the node's lock file" in failed.stderr
    assert "Read-only file system" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert digests(home) == before
    resumed = node_on(home, tmp_path / "rw.log")
    resumed.start()
    assert resumed.stop() == 0
    assert resumed.started_height == read_home(home)[0].height
