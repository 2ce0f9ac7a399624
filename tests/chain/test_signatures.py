"""``chain.signatures``: the memoized secp256k1 check, and how a helper's answers are used.

The helper here is an in-process stand-in for the node's child process (tested in
``tests/server/test_verify_ahead.py``): it answers with ``check_digest`` when told to, so each
test controls which answers have arrived when the check is asked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import coincurve
import pytest

from chain import signatures
from chain.signatures import Triple, check_digest, verified

KEY = coincurve.PrivateKey(b"\x07" * 32)
PUBLIC = KEY.public_key.format(compressed=True)
ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def signed(message: bytes) -> Triple:
    digest = hashlib.sha256(message).digest()
    return PUBLIC, KEY.sign_recoverable(digest, hasher=None)[:64], message


def high_s(signature: bytes) -> bytes:
    s = int.from_bytes(signature[32:], "big")
    return signature[:32] + (ORDER - s).to_bytes(32, "big")


class StandIn:
    """Answers the submitted triples it is told to release, with ``check_digest``."""

    def __init__(self) -> None:
        self.submitted: list[Triple] = []
        self.released: list[Triple] = []
        self.discarded = False

    def pending(self) -> bool:
        return bool(self.submitted)

    def submit(self, triples: list[Triple]) -> None:
        self.submitted += triples

    def release(self, count: int) -> None:
        self.released += self.submitted[:count]
        del self.submitted[:count]

    def answers(self) -> Iterator[tuple[Triple, bool]]:
        released, self.released = self.released, []
        for key, signature, message in released:
            yield (
                (key, signature, message),
                check_digest(key, signature, hashlib.sha256(message).digest()),
            )

    def discard_pending(self) -> None:
        self.discarded = True
        self.submitted.clear()


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    helper = StandIn()
    signatures.forget()
    signatures.use_helper(helper)
    yield helper
    signatures.use_helper(None)
    signatures.forget()


def test_a_signature_verifies_only_over_its_own_message_and_key() -> None:
    key, signature, message = signed(b"sign doc")
    assert verified(key, signature, message)
    assert not verified(key, signature, b"another doc")
    other = coincurve.PrivateKey(b"\x08" * 32).public_key.format(compressed=True)
    assert not verified(other, signature, message)


def test_high_s_and_malformed_signatures_and_keys_do_not_verify() -> None:
    key, signature, message = signed(b"low s only")
    assert not verified(key, high_s(signature), message)
    assert not verified(key, signature[:63], message)
    assert not verified(key[:32], signature, message)
    assert not verified(b"\x05" + key[1:], signature, message)  # not a key prefix
    assert not verified(key, b"\xff" * 64, message)  # r, s beyond the group order


def test_without_a_helper_ahead_hands_nothing_out() -> None:
    signatures.use_helper(None)
    assert not signatures.has_helper()
    signatures.ahead([signed(bytes([n])) for n in range(100)])  # nowhere to go: no error


def test_ahead_submits_only_fresh_well_formed_triples_and_only_enough_of_them(
    stand_in: StandIn,
) -> None:
    few = [signed(b"few %d" % n) for n in range(signatures.AHEAD_MIN_TRIPLES - 1)]
    signatures.ahead(few)
    assert stand_in.submitted == []
    many = [signed(b"many %d" % n) for n in range(signatures.AHEAD_MIN_TRIPLES + 2)]
    assert verified(*many[0])  # known already
    short = (many[1][0], many[1][1][:10], many[1][2])
    signatures.ahead([*many, short])
    assert stand_in.submitted == many[1:]


def test_answers_that_arrived_are_used_and_the_rest_verified_inline(
    stand_in: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    triples = [signed(b"block tx %d" % n) for n in range(80)]
    forged = (triples[5][0], triples[5][1], b"forged")
    triples[6] = forged
    signatures.ahead(triples)
    stand_in.release(40)
    inline: list[bytes] = []
    real_check = signatures.check_digest

    def counted(key: bytes, signature: bytes, digest: bytes) -> bool:
        inline.append(digest)
        return real_check(key, signature, digest)

    monkeypatch.setattr(signatures, "check_digest", counted)
    results = [verified(*triple) for triple in triples]
    assert results == [triple is not forged for triple in triples]
    assert len(inline) == 40  # the 40 answers not released were worked out here


def test_forget_drops_every_result_and_the_pending_answers(stand_in: StandIn) -> None:
    triples = [signed(b"cold %d" % n) for n in range(70)]
    assert verified(*triples[0])
    signatures.ahead(triples)
    signatures.forget()
    assert stand_in.discarded
    assert triples[0] not in signatures._VERIFIED.values
