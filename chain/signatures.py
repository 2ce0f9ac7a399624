"""secp256k1 signature checks, memoized, with answers that may be worked out ahead of time.

``verified(key, signature, message)`` is the one check the ante handler makes: a 64-byte compact
(r, s) signature over ``sha256(message)`` by a 33-byte compressed key, low-S as libsecp256k1 and
the SDK require. Results are kept by their exact inputs, so a tx checked at CheckTx is not
checked again when its block runs.

A block of txs never seen at CheckTx (a block from elsewhere, a replay, a benchmark) would spend
one verification (~50 µs) per signer on the thread that runs it. A shell may install a helper
(``use_helper``; the node's is ``chain.server.verify_ahead``) that ``ahead`` hands a block's
(key, signature, sign bytes) triples to as the block starts, and whose answers ``verified`` takes
when they have arrived, verifying inline otherwise. A helper must answer with ``check_digest``,
so either side gives the same answer: only the time changes, never a tx result or an app hash.

Owns: the memo of results and the installed helper (none by default).

Fails when: never (a malformed key or signature is simply not valid).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator, Sequence
from typing import Protocol

from coincurve import PublicKey
from coincurve.ecdsa import cdata_to_der, deserialize_compact

from chain.sdk.memo import BoundedMemo

KEY_SIZE = 33
SIGNATURE_SIZE = 64

# Fewer fresh triples than this are verified inline: a helper's answer would not come sooner.
AHEAD_MIN_TRIPLES = 64

Triple = tuple[bytes, bytes, bytes]  # (key, signature, message)


class Helper(Protocol):
    """Verifies triples elsewhere (with ``check_digest``), never blocking the caller."""

    def pending(self) -> bool:
        """Whether some submitted triple is not answered yet."""

    def submit(self, triples: list[Triple]) -> None:
        """Start verifying ``triples`` (each of well-formed sizes)."""

    def answers(self) -> Iterator[tuple[Triple, bool]]:
        """The answers that have arrived since the last call (without waiting)."""

    def discard_pending(self) -> None:
        """Never answer the triples submitted so far."""


_VERIFIED: BoundedMemo[Triple, bool] = BoundedMemo(1 << 15)
_helper: Helper | None = None


def use_helper(helper: Helper | None) -> None:
    """Install ``helper`` (None: verify everything inline)."""
    global _helper
    _helper = helper


def has_helper() -> bool:
    """Whether a helper is installed (else ``ahead`` does nothing)."""
    return _helper is not None


@functools.lru_cache(maxsize=4096)
def _public_key(key: bytes) -> PublicKey:
    """The parsed key (memoized: the same signers sign many txs; raises ``ValueError``)."""
    return PublicKey(key)


def check_digest(key: bytes, signature: bytes, digest: bytes) -> bool:
    """Whether ``signature`` (compact, low-S) by ``key`` (compressed) signs ``digest``."""
    if len(signature) != SIGNATURE_SIZE or len(key) != KEY_SIZE:
        return False
    try:
        public_key = _public_key(key)
        der = cdata_to_der(deserialize_compact(signature))
    except ValueError:
        return False
    return bool(public_key.verify(der, digest, hasher=None))


def verified(key: bytes, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` by ``key`` signs ``sha256(message)`` (memoized; the helper's
    answer when it has one)."""
    triple = (key, signature, message)
    known = _VERIFIED.values
    result = known.get(triple)
    if result is None:
        helper = _helper
        if helper is not None and helper.pending():
            for answered, valid in helper.answers():
                _VERIFIED.remember(answered, valid)
            result = known.get(triple)
        if result is None:
            result = check_digest(key, signature, hashlib.sha256(message).digest())
            _VERIFIED.remember(triple, result)
    return result


def ahead(triples: Sequence[Triple]) -> None:
    """Have the helper (if any) start on ``triples`` not known yet, if there are enough."""
    helper = _helper
    if helper is None:
        return
    known = _VERIFIED.values
    fresh = [
        triple
        for triple in triples
        if triple not in known and len(triple[0]) == KEY_SIZE and len(triple[1]) == SIGNATURE_SIZE
    ]
    if len(fresh) >= AHEAD_MIN_TRIPLES:
        helper.submit(fresh)


def forget() -> None:
    """Forget every result, also those the helper has yet to give (for measurements from a
    cold start)."""
    if _helper is not None:
        _helper.discard_pending()
    _VERIFIED.values.clear()
