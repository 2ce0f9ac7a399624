"""Persistence of a node: versioned state, blocks and the tx index in one SQLite database.

Owns ``HOME/data/state.db`` (and its lock ``HOME/data/LOCK``) and these rules:

- **One block is one SQLite transaction** (``BEGIN IMMEDIATE ... COMMIT``): the block's KV write
  set, the block record (time, txs, tx results with their events, block events, app hash), its
  rows of the tx index and the ``meta`` head (last height, time, app hash). A ``kill -9`` at any
  instant leaves the whole block or none of it.
- **State is versioned by height**: table ``kv`` holds rows ``(key, height, value)``, one per key
  a block changed, ``NULL`` marking a deletion. The state at height ``h`` is, for every key, its
  row with the greatest height <= ``h`` (``load_state``); the rows at the base height (the
  genesis, height 0) are the full initial state.
- **Snapshots are height markers**; reverting to height ``h`` deletes every row, block and tx
  above ``h`` in one transaction.
- **Durability**: WAL journal with ``synchronous=FULL``. WAL makes every commit atomic and durable
  across process crashes whatever the sync level (SQLite's documented guarantee); ``FULL`` also
  fsyncs the WAL at each commit, so a block the node reported as committed survives a power loss
  or a host crash too (``NORMAL`` could roll the last blocks back there). The price is one fsync
  per block, measured at about a millisecond, negligible next to a localnet's block cadence;
  ``synchronous="NORMAL"`` is available for bulk tests.
- **One writer per home**: ``fcntl.flock`` on ``HOME/data/LOCK``, held while the database is
  open; the OS drops it when the process dies, so a killed node never blocks its successor.

A full disk: SQLite reports ``SQLITE_FULL`` ("database or disk is full") during the block's
transaction, which is rolled back; ``commit_block`` raises ``PersistenceError`` and the file keeps
the previous block as its last (the node undoes the block in memory and retries later).

Fails when: the home or the database cannot be created, opened, locked, read or written (a
read-only file system, a full disk, a path that is not a directory, another node holding the
lock), or the database is of an unknown format: ``PersistenceError`` naming the path and the
cause. Nothing is ever half-written.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chain.app import TxResult
from chain.sdk.events import Event
from chain.sdk.kv import MemKV
from chain.server.faults import crash_point

FORMAT_VERSION = 1
DB_NAME = "state.db"
LOCK_NAME = "LOCK"
GENESIS_NAME = "genesis.json"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kv (
    key BLOB NOT NULL, height INTEGER NOT NULL, value BLOB, PRIMARY KEY (key, height)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blocks (
    height INTEGER PRIMARY KEY, time_ns INTEGER NOT NULL, app_hash BLOB NOT NULL,
    events TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS txs (
    height INTEGER NOT NULL, idx INTEGER NOT NULL, hash TEXT NOT NULL, raw BLOB NOT NULL,
    result TEXT NOT NULL, PRIMARY KEY (height, idx)
);
CREATE INDEX IF NOT EXISTS txs_by_hash ON txs (hash);
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT, height INTEGER NOT NULL
);
"""


class PersistenceError(Exception):
    """The node's home or database could not be used; ``path`` and ``cause`` say which and why."""

    def __init__(self, message: str, path: Path | str, cause: BaseException | None = None) -> None:
        detail = f"{message} ({path})"
        if cause is not None:
            detail += f": {cause}"
            if name := getattr(cause, "sqlite_errorname", None):  # e.g. SQLITE_IOERR_WRITE
                detail += f" ({name})"
        super().__init__(detail)
        self.path = Path(path)
        self.cause = cause


@dataclass(frozen=True, slots=True)
class BlockRecord:
    """A committed block: its txs, their results and the app hash after it."""

    height: int
    time_ns: int
    txs: tuple[bytes, ...]
    results: tuple[TxResult, ...]
    events: tuple[Event, ...]
    app_hash: bytes

    @property
    def hash(self) -> bytes:
        digest = hashlib.sha256(self.height.to_bytes(8, "big") + self.app_hash)
        for tx in self.txs:
            digest.update(hashlib.sha256(tx).digest())
        return digest.digest()


@dataclass(frozen=True, slots=True)
class Head:
    """What the database holds: its chain, base (genesis) height and last committed block."""

    chain_id: str
    genesis_hash: str
    base_height: int
    height: int
    time_ns: int
    app_hash: bytes
    time_offset_ns: int


def genesis_hash(genesis: dict[str, Any]) -> str:
    """SHA-256 (hex) of the genesis document's canonical JSON (sorted keys, no spaces)."""
    return hashlib.sha256(canonical_json(genesis).encode()).hexdigest()


def canonical_json(document: Any) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def write_genesis_file(path: Path, genesis: dict[str, Any]) -> None:
    """Write the genesis document (sorted keys) atomically: a temp file, fsync, rename."""
    temp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temp.open("w", encoding="utf-8") as handle:
            json.dump(genesis, handle, sort_keys=True, indent=2, ensure_ascii=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(path)
    except OSError as error:
        raise PersistenceError("cannot write the genesis file", path, error) from error


class HomeLock:
    """An exclusive ``flock`` on ``path``: one node per home. Released by ``release`` or by the
    OS when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise PersistenceError("cannot create the node's lock file", path, error) from error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise PersistenceError(
                f"the home is in use by another node (pid {holder}); stop it or use another home",
                path.parent.parent,
            ) from error
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError as error:
            os.close(fd)
            raise PersistenceError("cannot write the node's lock file", path, error) from error
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _result_json(result: TxResult) -> str:
    return canonical_json(
        {
            "code": result.code,
            "codespace": result.codespace,
            "log": result.log,
            "gas_wanted": result.gas_wanted,
            "gas_used": result.gas_used,
            "events": _events_json(result.events),
            "data": result.data.hex(),
            "hash": result.hash,
        }
    )


def _result_of(text: str) -> TxResult:
    fields = json.loads(text)
    return TxResult(
        code=fields["code"],
        codespace=fields["codespace"],
        log=fields["log"],
        gas_wanted=fields["gas_wanted"],
        gas_used=fields["gas_used"],
        events=_events_of(fields["events"]),
        data=bytes.fromhex(fields["data"]),
        hash=fields["hash"],
    )


def _events_json(events: Iterable[Event]) -> list[Any]:
    return [[event.type, [list(pair) for pair in event.attributes]] for event in events]


def _events_of(data: list[Any]) -> tuple[Event, ...]:
    return tuple(Event(kind, tuple((key, value) for key, value in pairs)) for kind, pairs in data)


class ChainDB:
    """The versioned store of one node. ``path=None``: an in-memory database (same features, no
    durability), for a node without a home.

    Every method runs on the caller's thread; the node serializes calls under its lock.
    """

    def __init__(
        self, path: Path | None = None, *, synchronous: str = "FULL", read_only: bool = False
    ) -> None:
        if synchronous.upper() not in ("FULL", "NORMAL", "EXTRA"):
            raise ValueError(f"synchronous must be FULL, NORMAL or EXTRA, not {synchronous!r}")
        self.path = path
        self.read_only = read_only
        self._where: Path | str = path if path is not None else ":memory:"
        self._lock: HomeLock | None = None
        if path is not None and not read_only:
            self._lock = HomeLock(path.parent / LOCK_NAME)
        try:
            self._conn = self._connect(path, read_only)
            if not read_only:
                mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                if path is not None and str(mode).lower() != "wal":
                    raise sqlite3.OperationalError(f"cannot enable WAL (journal mode {mode})")
                self._conn.execute(f"PRAGMA synchronous={synchronous.upper()}")
                self._conn.executescript(_SCHEMA)
            self._check_format()
        except sqlite3.Error as error:
            self._release()
            raise PersistenceError("cannot open the state database", self._where, error) from error
        except PersistenceError:
            self._release()
            raise

    @staticmethod
    def _connect(path: Path | None, read_only: bool) -> sqlite3.Connection:
        if path is None:
            target, uri = ":memory:", False
        elif read_only:
            target, uri = f"{path.resolve().as_uri()}?mode=ro", True
        else:
            target, uri = f"{path.resolve().as_uri()}?mode=rwc", True
        conn = sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout=5000")
        return conn

    def _check_format(self) -> None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'format_version'").fetchone()
        if row is not None and row[0] != FORMAT_VERSION:
            raise PersistenceError(
                f"state database format {row[0]} is not supported (this node reads format "
                f"{FORMAT_VERSION}); use a fresh home",
                self._where,
            )

    def _release(self) -> None:
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def close(self) -> None:
        """Close the database (checkpointing its WAL) and release the home's lock."""
        try:
            self._release()
        except sqlite3.Error as error:
            raise PersistenceError("cannot close the state database", self._where, error) from error

    # Transactions

    @contextmanager
    def _transaction(self, action: str) -> Iterator[sqlite3.Connection]:
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except (sqlite3.Error, OSError) as error:
            if conn.in_transaction:
                # SQLite may have rolled back already (e.g. on SQLITE_FULL): the file is intact.
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise PersistenceError(f"cannot {action}", self._where, error) from error

    def _read(self, action: str, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._conn.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise PersistenceError(f"cannot {action}", self._where, error) from error

    # The head

    def head(self) -> Head | None:
        """The last committed block, or None for a database never initialized."""
        rows = dict(self._read("read the head", "SELECT key, value FROM meta"))
        if "last_height" not in rows:
            return None
        return Head(
            chain_id=rows["chain_id"],
            genesis_hash=rows["genesis_hash"],
            base_height=rows["base_height"],
            height=rows["last_height"],
            time_ns=rows["last_time_ns"],
            app_hash=bytes(rows["last_app_hash"]),
            time_offset_ns=rows.get("time_offset_ns", 0),
        )

    def init_state(
        self,
        *,
        chain_id: str,
        height: int,
        time_ns: int,
        app_hash: bytes,
        items: Iterable[tuple[bytes, bytes]],
        genesis_digest: str = "",
    ) -> None:
        """Write the base state (every key at ``height``, usually the genesis at 0), in one
        transaction. Fails on a database already initialized."""
        with self._transaction("write the genesis state") as conn:
            if conn.execute("SELECT 1 FROM meta WHERE key = 'last_height'").fetchone():
                raise sqlite3.IntegrityError("the database already holds a chain")
            conn.executemany(
                "INSERT INTO kv (key, height, value) VALUES (?, ?, ?)",
                ((key, height, value) for key, value in items),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [
                    ("format_version", FORMAT_VERSION),
                    ("chain_id", chain_id),
                    ("genesis_hash", genesis_digest),
                    ("base_height", height),
                    ("base_time_ns", time_ns),
                    ("base_app_hash", app_hash),
                    ("last_height", height),
                    ("last_time_ns", time_ns),
                    ("last_app_hash", app_hash),
                    ("time_offset_ns", 0),
                ],
            )

    # Blocks

    def commit_block(
        self,
        record: BlockRecord,
        changes: Iterable[tuple[bytes, bytes | None]],
        time_offset_ns: int = 0,
    ) -> None:
        """Write block ``record`` and its state ``changes`` (``None``: deleted) atomically."""
        height = record.height
        events = canonical_json(_events_json(record.events))
        txs = zip(record.txs, record.results, strict=True)
        crash_point("commit.before_db")
        with self._transaction(f"write block {height}") as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO kv (key, height, value) VALUES (?, ?, ?)",
                ((key, height, value) for key, value in changes),
            )
            conn.execute(
                "INSERT INTO blocks (height, time_ns, app_hash, events) VALUES (?, ?, ?, ?)",
                (height, record.time_ns, record.app_hash, events),
            )
            conn.executemany(
                "INSERT INTO txs (height, idx, hash, raw, result) VALUES (?, ?, ?, ?, ?)",
                (
                    (height, index, result.hash, raw, _result_json(result))
                    for index, (raw, result) in enumerate(txs)
                ),
            )
            conn.executemany(
                "UPDATE meta SET value = ? WHERE key = ?",
                [
                    (height, "last_height"),
                    (record.time_ns, "last_time_ns"),
                    (record.app_hash, "last_app_hash"),
                    (time_offset_ns, "time_offset_ns"),
                ],
            )
            crash_point("commit.before_sql_commit")
        crash_point("commit.after_sql_commit")

    def load_blocks(self) -> dict[int, BlockRecord]:
        """Every stored block by height."""
        txs: dict[int, list[tuple[bytes, TxResult]]] = {}
        for height, raw, result in self._read(
            "read the txs", "SELECT height, raw, result FROM txs ORDER BY height, idx"
        ):
            txs.setdefault(height, []).append((bytes(raw), _result_of(result)))
        blocks = {}
        for height, time_ns, app_hash, events in self._read(
            "read the blocks",
            "SELECT height, time_ns, app_hash, events FROM blocks ORDER BY height",
        ):
            entries = txs.get(height, [])
            blocks[height] = BlockRecord(
                height=height,
                time_ns=time_ns,
                txs=tuple(raw for raw, _ in entries),
                results=tuple(result for _, result in entries),
                events=_events_of(json.loads(events)),
                app_hash=bytes(app_hash),
            )
        return blocks

    def load_tx_index(self) -> dict[str, tuple[int, int]]:
        """Tx hash -> (height, index in the block); a hash seen twice points at its last block."""
        return {
            tx_hash: (height, index)
            for tx_hash, height, index in self._read(
                "read the tx index", "SELECT hash, height, idx FROM txs ORDER BY height, idx"
            )
        }

    def commit_at(self, height: int) -> tuple[int, bytes]:
        """(time_ns, app_hash) of the commit at ``height`` (a block or the base)."""
        rows = self._read(
            f"read block {height}",
            "SELECT time_ns, app_hash FROM blocks WHERE height = ?",
            (height,),
        )
        if rows:
            return rows[0][0], bytes(rows[0][1])
        meta = dict(
            self._read(
                "read the head",
                "SELECT key, value FROM meta WHERE key IN "
                "('base_height', 'base_time_ns', 'base_app_hash')",
            )
        )
        if meta.get("base_height") != height:
            raise KeyError(f"no commit at height {height}")
        return meta["base_time_ns"], bytes(meta["base_app_hash"])

    # State

    def load_state(self, height: int | None = None) -> MemKV:
        """The state committed at ``height`` (default: the last block)."""
        head = self.head()
        if head is None:
            raise PersistenceError("the state database holds no chain", self._where)
        at = head.height if height is None else height
        if not head.base_height <= at <= head.height:
            raise ValueError(
                f"no state at height {at}: the database holds {head.base_height}..{head.height}"
            )
        # SQLite takes a bare column of an aggregate query from the row holding the MAX.
        rows = self._read(
            f"read the state at height {at}",
            "SELECT key, value, MAX(height) FROM kv WHERE height <= ? GROUP BY key",
            (at,),
        )
        return MemKV({bytes(key): bytes(value) for key, value, _ in rows if value is not None})

    # Snapshots

    def add_snapshot(self, height: int) -> int:
        """Mark ``height``; returns the snapshot's id (ids are never reused)."""
        with self._transaction("take a snapshot") as conn:
            cursor = conn.execute("INSERT INTO snapshots (height) VALUES (?)", (height,))
            snapshot_id = cursor.lastrowid
        assert snapshot_id is not None
        return snapshot_id

    def snapshot_height(self, snapshot_id: int) -> int | None:
        rows = self._read(
            "read the snapshots", "SELECT height FROM snapshots WHERE id = ?", (snapshot_id,)
        )
        return int(rows[0][0]) if rows else None

    def revert(self, height: int, snapshot_id: int | None = None) -> None:
        """Drop every block and state row above ``height`` in one transaction, and the snapshots
        taken above it (with ``snapshot_id`` and every later one, which a revert consumes)."""
        time_ns, app_hash = self.commit_at(height)
        with self._transaction(f"revert to height {height}") as conn:
            conn.execute("DELETE FROM kv WHERE height > ?", (height,))
            conn.execute("DELETE FROM blocks WHERE height > ?", (height,))
            conn.execute("DELETE FROM txs WHERE height > ?", (height,))
            conn.execute(
                "DELETE FROM snapshots WHERE height > ? OR id >= ?",
                (height, snapshot_id if snapshot_id is not None else 1 << 62),
            )
            conn.executemany(
                "UPDATE meta SET value = ? WHERE key = ?",
                [(height, "last_height"), (time_ns, "last_time_ns"), (app_hash, "last_app_hash")],
            )


def home_db_path(home: Path) -> Path:
    return home / "data" / DB_NAME


def home_genesis_path(home: Path) -> Path:
    return home / "config" / GENESIS_NAME


def open_home(home: Path, *, synchronous: str = "FULL") -> ChainDB:
    """Create ``home/config`` and ``home/data`` if needed, take the lock, open the database."""
    for directory in (home / "config", home / "data"):
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PersistenceError("cannot create the node's home", directory, error) from error
    return ChainDB(home_db_path(home), synchronous=synchronous)
