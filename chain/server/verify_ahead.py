"""A helper process that verifies a block's signatures ahead of their turn, on another core.

``install()`` gives ``chain.signatures`` a ``ChildVerifier``: a child process
(``python -m chain.server.verify_ahead``) that answers frames of (key, signature, digest)
records with ``chain.signatures.check_digest``, one byte per record. The parent writes frames
from a daemon thread (a full pipe blocks that thread, never the block) and reads answers without
waiting, whenever the app asks for a triple it does not know yet; whatever has not arrived is
verified inline, so the child changes how long a block takes and nothing else.

Owns: the child (started on the first submission, one per process; it exits when its stdin
closes, so it never outlives us; a forked process starts its own), the frames in flight.

Fails when: never to the caller. A child that cannot start, ends or answers out of step is
dropped, and every later triple is verified inline.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import hashlib
import itertools
import os
import queue
import struct
import subprocess
import sys
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from chain import signatures
from chain.signatures import KEY_SIZE, SIGNATURE_SIZE, Triple, check_digest

DIGEST_SIZE = 32
_RECORD = KEY_SIZE + SIGNATURE_SIZE + DIGEST_SIZE
_HEADER = struct.Struct(">II")  # (frame number, records)
# The first frame is small so the child starts answering early; later ones amortize the pipe.
_FIRST_FRAME = 16
_FRAME = 256
_ROOT = Path(__file__).resolve().parents[2]


def usable_cores() -> int:
    """The cores this process may run on (all of the machine's where affinity is unknown)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def install() -> bool:
    """Verify ahead in a child process if this machine has a core to spare; whether it does."""
    if usable_cores() < 2:
        return False
    if not isinstance(signatures._helper, ChildVerifier):
        signatures.use_helper(ChildVerifier())
    return True


class ChildVerifier:
    """The parent's side of the child (a ``chain.signatures.Helper``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None
        self._broken = False
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()  # the child's
        # Frames sent and not answered, in order, by number (None: answers to drop).
        self._frames: collections.deque[tuple[int, list[Triple] | None]] = collections.deque()
        self._numbers = itertools.count()
        self._buffer = bytearray()
        self.submitted = 0  # triples handed to the child, ever
        _LIVE.add(self)

    def pending(self) -> bool:
        return bool(self._frames)

    def submit(self, triples: list[Triple]) -> None:
        with self._lock:
            if self._started() is None:
                return
            start, size = 0, _FIRST_FRAME
            while start < len(triples):
                frame = triples[start : start + size]
                start, size = start + size, _FRAME
                number = next(self._numbers) & 0xFFFFFFFF
                data = bytearray(_HEADER.pack(number, len(frame)))
                for key, signature, message in frame:
                    data += key
                    data += signature
                    data += hashlib.sha256(message).digest()
                self._frames.append((number, frame))
                self._outbox.put(bytes(data))
            self.submitted += len(triples)

    def answers(self) -> Iterator[tuple[Triple, bool]]:
        with self._lock:
            received = self._receive()
        for frame, flags in received:
            yield from zip(frame, (flag == 1 for flag in flags), strict=True)

    def discard_pending(self) -> None:
        with self._lock:
            self._frames = collections.deque((number, None) for number, _ in self._frames)

    def close(self) -> None:
        """End the child; later submissions start a new one."""
        with self._lock:
            self._frames.clear()
            self._buffer.clear()
            self._stop()

    def _receive(self) -> list[tuple[list[Triple], bytes]]:
        """The answered frames that have arrived (never waits)."""
        child = self._child
        if child is None or child.stdout is None or not self._frames:
            return []
        try:
            chunk = os.read(child.stdout.fileno(), 1 << 16)
        except BlockingIOError:
            return []
        except OSError:
            chunk = b""
        if not chunk:
            self._drop_child()
            return []
        buffer = self._buffer
        buffer += chunk
        received = []
        while len(buffer) >= _HEADER.size:
            number, count = _HEADER.unpack_from(buffer)
            if len(buffer) < _HEADER.size + count:
                break
            expected, frame = self._frames.popleft() if self._frames else (-1, None)
            if number != expected or (frame is not None and count != len(frame)):
                self._drop_child()  # out of step: no answer of it can be trusted
                return []
            flags = bytes(buffer[_HEADER.size : _HEADER.size + count])
            del buffer[: _HEADER.size + count]
            if frame is not None:
                received.append((frame, flags))
        return received

    def _started(self) -> subprocess.Popen[bytes] | None:
        if self._broken:
            return None
        if self._child is None:
            try:
                child = subprocess.Popen(
                    [sys.executable, "-m", "chain.server.verify_ahead"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    cwd=_ROOT,
                )
            except OSError:
                self._broken = True
                return None
            assert child.stdout is not None
            os.set_blocking(child.stdout.fileno(), False)
            self._outbox = queue.SimpleQueue()
            threading.Thread(target=_feed, args=(child.stdin, self._outbox), daemon=True).start()
            self._child = child
        return self._child

    def _drop_child(self) -> None:
        """Stop using the child (it ended or answered out of step): every check runs inline."""
        self._broken = True
        self._frames.clear()
        self._stop()

    def _stop(self) -> None:
        child, self._child = self._child, None
        if child is None:
            return
        self._outbox.put(None)
        child.kill()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()

    def _forget_child(self) -> None:
        """In a forked process: the child is the parent's; this process starts its own."""
        child, self._child = self._child, None
        self._lock = threading.Lock()
        self._outbox = queue.SimpleQueue()
        self._frames = collections.deque()
        self._buffer = bytearray()
        if child is not None:
            for stream in (child.stdin, child.stdout):
                if stream is not None:
                    stream.close()


_LIVE: weakref.WeakSet[ChildVerifier] = weakref.WeakSet()


def _after_fork() -> None:
    for verifier in list(_LIVE):
        verifier._forget_child()


def _stop_all() -> None:
    for verifier in list(_LIVE):
        verifier._stop()


os.register_at_fork(after_in_child=_after_fork)
atexit.register(_stop_all)


def _feed(stdin: BinaryIO | None, outbox: queue.SimpleQueue[bytes | None]) -> None:
    """Write each queued frame to the child until ``None``; a child gone away ends the feed
    (the reading side notices and drops it)."""
    assert stdin is not None
    try:
        while (data := outbox.get()) is not None:
            stdin.write(data)
            stdin.flush()
    except (OSError, ValueError):
        pass
    finally:
        with contextlib.suppress(OSError, ValueError):
            stdin.close()


def serve(source: BinaryIO, sink: BinaryIO) -> None:
    """The child: answer each frame of (key, signature, digest) records with one byte per
    record (1: valid), until ``source`` ends."""
    while len(header := source.read(_HEADER.size)) == _HEADER.size:
        _, count = _HEADER.unpack(header)
        body = source.read(count * _RECORD)
        if len(body) != count * _RECORD:
            return
        flags = bytearray(count)
        for index in range(count):
            at = index * _RECORD
            key = body[at : at + KEY_SIZE]
            signature = body[at + KEY_SIZE : at + KEY_SIZE + SIGNATURE_SIZE]
            flags[index] = check_digest(
                key, signature, body[at + KEY_SIZE + SIGNATURE_SIZE : at + _RECORD]
            )
        sink.write(header + flags)
        sink.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
