"""``incentivesd start`` as a child process: started on a home, its printed ports read back,
killed with SIGKILL, restarted on the same home and ports, and its CometBFT JSON-RPC called.

Also reads the home's database from this process (``read_home``): read-only, with the node running
or dead, to check what is durable independently of the node's own answers.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from chain.app import App
from chain.sdk.kv import store_hash
from chain.server.faults import ENV_VAR
from chain.server.persistence import ChainDB, Head, home_db_path

ROOT = Path(__file__).resolve().parents[2]
INCENTIVESD = str(Path(sys.executable).with_name("incentivesd"))
# ``incentivesd start`` itself, without importing the other commands (a restart is ~0.2 s
# faster, which the crash suite pays 50 times); ``console=True`` runs the installed script.
START_ONLY = "from incentivesd.node_cli import start_command; start_command()"
VOTING_PERIOD = 2


@dataclass
class Ports:
    grpc: int = 0
    rpc: int = 0
    api: int = 0


def _read_banner(stdout: IO[str], lines: queue.SimpleQueue[str | None]) -> None:
    """Pass each line of ``stdout`` on until the REST line or the end (then ``None``)."""
    for line in stdout:
        lines.put(line)
        if line.startswith("REST"):
            break
    lines.put(None)


class NodeProcess:
    """One life of a node: ``start`` returns once it serves; ``kill`` ends it with SIGKILL."""

    def __init__(
        self,
        home: Path,
        ports: Ports,
        log: Path,
        crash_at: str | None = None,
        wrapper: tuple[str, ...] = (),
        extra: tuple[str, ...] = (),
        console: bool = False,
    ) -> None:
        self.home = home
        self.ports = ports
        self.log = log
        self.crash_at = crash_at
        self.wrapper = wrapper
        self.extra = extra
        self.console = console
        self.process: subprocess.Popen[str] | None = None
        self.started_height = -1

    def command(self) -> list[str]:
        """The node's command line (after ``wrapper``, e.g. ``prlimit ... --``, which execs it)."""
        program = [INCENTIVESD, "start"] if self.console else [sys.executable, "-c", START_ONLY]
        return [
            *self.wrapper,
            *program,
            "--home",
            str(self.home),
            "--grpc-address",
            f"127.0.0.1:{self.ports.grpc}",
            "--rpc-address",
            f"127.0.0.1:{self.ports.rpc}",
            "--api-address",
            f"127.0.0.1:{self.ports.api}",
            "--voting-period",
            f"{VOTING_PERIOD}s",
            *self.extra,
        ]

    def spawn(self, command: list[str] | None = None) -> subprocess.Popen[str]:
        env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
        env["PYTHONPATH"] = str(ROOT)
        env["PYTHONFAULTHANDLER"] = "1"
        if self.crash_at:
            env[ENV_VAR] = self.crash_at
        with self.log.open("a") as log:
            log.write(f"--- start {self.crash_at or 'no crash point'}\n")
        stderr: IO[str] = self.log.open("a")
        try:
            self.process = subprocess.Popen(
                command or self.command(),
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        finally:
            stderr.close()
        return self.process

    def start(self, timeout: float = 30.0) -> None:
        """Spawn the node and read its banner until the REST line; fail with its log if it
        exits first or prints no REST line within ``timeout`` (a hung node fails, not hangs)."""
        process = self.spawn()
        assert process.stdout is not None
        lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        reader = threading.Thread(target=_read_banner, args=(process.stdout, lines), daemon=True)
        reader.start()
        deadline = time.monotonic() + timeout
        banner: dict[str, str] = {}
        while "REST" not in banner:
            try:
                line = lines.get(timeout=max(deadline - time.monotonic(), 0.0))
            except queue.Empty:
                break
            if line is None:
                break
            key, _, value = line.partition(":")
            banner[key.strip()] = value.strip()
        if "REST" not in banner and process.poll() is None:
            process.send_signal(signal.SIGKILL)  # ends the pipe, and with it the reader
        reader.join(timeout=30)
        if "REST" not in banner:
            self.kill()
            raise AssertionError(f"the node did not start:\n{self.log.read_text()[-3000:]}")
        self.ports.grpc = int(banner["gRPC"].rsplit(":", 1)[1])
        self.ports.rpc = int(banner["RPC"].rsplit(":", 1)[1])
        self.ports.api = int(banner["REST"].rsplit(":", 1)[1])
        self.started_height = int(banner["Home"].rsplit("(height ", 1)[1].rstrip(")"))

    @property
    def grpc_url(self) -> str:
        return f"grpc+http://127.0.0.1:{self.ports.grpc}"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> int:
        """SIGKILL (if still running) and reap; the exit status. Also ends a life that already
        ended by itself (a crash point), so its pipe is closed on every path."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        return self._reap(30)

    def wait(self, timeout: float) -> int | None:
        """The exit status once the node has ended by itself (None: still running)."""
        try:
            return self._reap(timeout)
        except subprocess.TimeoutExpired:
            return None

    def _reap(self, timeout: float) -> int:
        assert self.process is not None
        status = self.process.wait(timeout=timeout)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return status

    def stop(self) -> int:
        """SIGTERM: a clean stop (the node closes its database and releases the lock). A node
        still running after 30 s is aborted, its threads' stacks dumped to the log."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self._reap(30)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)  # PYTHONFAULTHANDLER: every thread's stack
            self._reap(30)
            tail = self.log.read_text()[-6000:]
            raise AssertionError(f"SIGTERM did not stop the node:\n{tail}") from None

    def rpc(self, method: str, **params: Any) -> Any:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.ports.rpc}/",
            body.encode(),
            {"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            reply = json.load(response)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]


def genesis_of(home: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((home / "config" / "genesis.json").read_text())
    return document


def read_home(home: Path) -> tuple[Head, App]:
    """The durable head and an app holding the durable state of ``home`` (read-only), after
    checking that the state hashes to the stored app hash and that nothing above the head was
    written (rows of a block not committed)."""
    db = ChainDB(home_db_path(home), read_only=True)
    try:
        head = db.head()
        assert head is not None
        conn = db._conn
        for table in ("kv", "blocks", "txs"):
            (top,) = conn.execute(f"SELECT MAX(height) FROM {table}").fetchone()
            assert top is None or top <= head.height, f"{table} has rows above the head"
        store = db.load_state()
        assert store_hash(store) == head.app_hash, "the durable state does not hash to its head"
        genesis = genesis_of(home)
        app = App(chain_id=genesis["chain_id"], voting_period=VOTING_PERIOD)
        app.restore(store, head.height, head.time_ns, head.app_hash)
        return head, app
    finally:
        db.close()
