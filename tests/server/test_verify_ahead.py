"""The node's signature helper: a real child process that verifies triples ahead of their turn.

Each test runs its own ``ChildVerifier`` and ends it; the answers it gives are compared with
``check_digest`` in this process.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import coincurve
import pytest

from chain import signatures
from chain.server.verify_ahead import ChildVerifier, install, usable_cores
from chain.signatures import Triple, check_digest

ROOT = Path(__file__).resolve().parents[2]
KEY = coincurve.PrivateKey(b"\x09" * 32)
PUBLIC = KEY.public_key.format(compressed=True)


def triples(count: int, forged_every: int = 7) -> list[Triple]:
    """``count`` signed triples, every ``forged_every``-th one over another message."""
    made = []
    for n in range(count):
        message = b"sign doc %d" % n
        signature = KEY.sign_recoverable(hashlib.sha256(message).digest(), hasher=None)[:64]
        made.append((PUBLIC, signature, b"forged" if n % forged_every == 0 else message))
    return made


def expected(triple: Triple) -> bool:
    key, signature, message = triple
    return check_digest(key, signature, hashlib.sha256(message).digest())


def collect(helper: ChildVerifier, timeout: float = 30.0) -> dict[Triple, bool]:
    """Every answer, waiting (with a deadline) until none is pending."""
    answers: dict[Triple, bool] = {}
    deadline = time.monotonic() + timeout
    while helper.pending():
        assert time.monotonic() < deadline, "the child did not answer"
        answers.update(helper.answers())
        time.sleep(0.001)
    return answers


@pytest.fixture
def helper() -> Iterator[ChildVerifier]:
    child = ChildVerifier()
    yield child
    child.close()


def test_the_child_answers_every_triple_as_check_digest_does(helper: ChildVerifier) -> None:
    sent = triples(600)
    helper.submit(sent)
    answers = collect(helper)
    assert answers == {triple: expected(triple) for triple in sent}
    assert sum(answers.values()) == 600 - len(range(0, 600, 7))
    assert helper.submitted == 600


def test_discarded_frames_are_never_answered(helper: ChildVerifier) -> None:
    helper.submit(triples(300))
    helper.discard_pending()
    later = triples(20, forged_every=3)[10:]
    helper.submit(later)
    assert collect(helper) == {triple: expected(triple) for triple in later}


def test_a_child_that_dies_is_dropped_and_everything_is_verified_inline(
    helper: ChildVerifier,
) -> None:
    helper.submit(triples(50))
    collect(helper)
    child = helper._child
    assert child is not None
    child.kill()
    child.wait()
    helper.submit(triples(40))
    deadline = time.monotonic() + 30
    while helper.pending():
        assert time.monotonic() < deadline
        assert list(helper.answers()) == []
    helper.submit(triples(40))  # a dropped child is not restarted
    assert not helper.pending()
    signatures.use_helper(helper)
    try:
        sent = triples(70)
        signatures.forget()
        signatures.ahead(sent)
        assert [signatures.verified(*triple) for triple in sent] == [
            expected(triple) for triple in sent
        ]
    finally:
        signatures.use_helper(None)


FORKING = """
import os, sys
from tests.server.test_verify_ahead import collect, expected, triples
from chain.server.verify_ahead import ChildVerifier

helper = ChildVerifier()
helper.submit(triples(20))
collect(helper)
pid = os.fork()
if pid == 0:  # the forked process: no child of its own yet, none of the parent's frames
    os._exit(0 if not helper.pending() and helper._child is None else 3)
_, status = os.waitpid(pid, 0)
sent = triples(30)
helper.submit(sent)  # the parent's child still answers the parent
answers = collect(helper)
helper.close()
sys.exit(os.waitstatus_to_exitcode(status) or (answers != {t: expected(t) for t in sent}) * 4)
"""


def test_a_forked_process_does_not_talk_to_the_parents_child() -> None:
    # In a process of its own: forking pytest's worker (with its threads) is not the point.
    done = subprocess.run(
        [sys.executable, "-c", FORKING], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_install_gives_the_app_a_child_on_a_machine_with_two_cores() -> None:
    previous = signatures._helper
    try:
        signatures.use_helper(None)
        installed = install()
        assert installed == (usable_cores() >= 2)
        assert signatures.has_helper() == installed
        assert install() == installed  # a second install keeps the same helper
    finally:
        helper = signatures._helper
        signatures.use_helper(previous)
        if isinstance(helper, ChildVerifier):
            helper.close()
