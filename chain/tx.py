"""Transactions as the SDK reads them: ``TxRaw`` bytes decoded, hashed and signed over.

Owns ``decode_tx`` (the SDK's ``x/tx`` decoder, v0.50), ``tx_hash``, ``sign_bytes`` (the
SIGN_MODE_DIRECT ``SignDoc``) and ``signers_of`` (the ``cosmos.msg.v1.signer`` option). Decoding:

1. the bytes must follow ADR-027 (only length-delimited fields, in ascending field order, with
   shortest length prefixes) and parse as ``TxRaw`` with no unknown field;
2. ``TxBody`` may carry unknown *non-critical* fields (field numbers with bit 11 set, ``>= 1024``),
   nothing else unknown, at any depth; ``AuthInfo`` no unknown field at all;
3. every ``Any`` (messages, extension options, public keys, nested messages) must name a type of
   the default descriptor pool (``/`` + full name) and is checked the same way, 100 levels deep at
   most;
4. each message must declare its signers with ``cosmos.msg.v1.signer`` (string, repeated string
   or nested-message fields, as ``x/tx/signing`` reads them) and they must be valid ``akash``
   addresses (``akashvaloper`` for validator-address fields);
5. fee coins must have integer amounts, valid denoms and be sorted by denom.

The tx's signers are the messages' signers, each once, in first-seen order, followed by the fee
payer when one is set and is not among them (so the fee payer always signs). Types are resolved
in the default pool: a message type is known once its ``_pb2`` module is imported (the app
imports those it routes).

Fails when: any step above fails (``ErrTxDecode``, with the reason in front).
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar, cast

import cosmpy.protos  # noqa: F401  (puts cosmpy's generated modules on the import path)
from cosmpy.protos.cosmos.crypto.ed25519 import keys_pb2 as _ed25519_pb2  # noqa: F401
from cosmpy.protos.cosmos.crypto.multisig import keys_pb2 as _multisig_pb2  # noqa: F401
from cosmpy.protos.cosmos.crypto.secp256k1 import keys_pb2 as _secp256k1_pb2  # noqa: F401
from cosmpy.protos.cosmos.msg.v1 import msg_pb2
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import AuthInfo, SignDoc, TxBody, TxRaw
from cosmpy.protos.cosmos_proto import cosmos_pb2
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import DecodeError, Message

from chain.sdk.address import BECH32_PREFIX, decode_address, encode_address
from chain.sdk.errors import ErrTxDecode, SdkError
from chain.sdk.math import MAX_INT_BITS, MAX_INT_DIGITS, validate_denom
from chain.sdk.memo import BoundedMemo

NON_CRITICAL_FIELD_BIT = 1 << 10
MAX_NESTING_DEPTH = 100
VALIDATOR_PREFIX = BECH32_PREFIX + "valoper"
_ANY_NAME = "google.protobuf.Any"
_VALIDATOR_SCALAR = "cosmos.ValidatorAddressString"
_WIRE_BYTES = 2

M = TypeVar("M", bound=Message)

# ``google.protobuf.unknown_fields`` is missing from the type stubs.
_unknown_fields = importlib.import_module("google.protobuf.unknown_fields")


@dataclass(frozen=True, slots=True)
class DecodedTx:
    """A decoded transaction; ``raw`` are the bytes as received (hashed, and charged for)."""

    raw: bytes
    tx_raw: TxRaw
    body: TxBody
    auth_info: AuthInfo
    msgs: tuple[Message, ...]
    signers: tuple[bytes, ...]
    fee: tuple[tuple[str, int], ...]
    fee_payer: bytes | None
    hash: str
    body_has_unknown_non_criticals: bool = False

    @property
    def size(self) -> int:
        return len(self.raw)

    @property
    def signatures(self) -> tuple[bytes, ...]:
        return tuple(self.tx_raw.signatures)

    @property
    def gas_limit(self) -> int:
        limit: int = self.auth_info.fee.gas_limit
        return limit

    @property
    def memo(self) -> str:
        memo: str = self.body.memo
        return memo

    @property
    def type_urls(self) -> tuple[str, ...]:
        return tuple(f"/{msg.DESCRIPTOR.full_name}" for msg in self.msgs)


def tx_hash(tx_bytes: bytes) -> str:
    """The tx hash as CometBFT and the SDK show it: upper-case hex SHA-256 of the bytes."""
    return hashlib.sha256(tx_bytes).hexdigest().upper()


def sign_bytes(
    body_bytes: bytes, auth_info_bytes: bytes, chain_id: str, account_number: int
) -> bytes:
    """The SIGN_MODE_DIRECT sign bytes: the serialized ``SignDoc``."""
    doc = SignDoc(
        body_bytes=body_bytes,
        auth_info_bytes=auth_info_bytes,
        chain_id=chain_id,
        account_number=account_number,
    )
    data: bytes = doc.SerializeToString(deterministic=True)
    return data


# Classes found by name: the default pool only ever gains types, so a name once found keeps its
# class (names not found are looked up again: their module may be imported later).
_CLASSES: dict[str, type[Message]] = {}


def message_class(full_name: str) -> type[Message] | None:
    """The generated class of a message in the default descriptor pool (None if unknown)."""
    found = _CLASSES.get(full_name)
    if found is not None:
        return found
    try:
        pool = descriptor_pool.Default()  # type: ignore[no-untyped-call]
        descriptor = pool.FindMessageTypeByName(full_name)
    except KeyError:
        return None
    cls: type[Message] = message_factory.GetMessageClass(descriptor)
    _CLASSES[full_name] = cls
    return cls


def unpack_any(packed: AnyPb) -> Message:
    """The message inside ``packed``; ``ErrTxDecode`` if its type is unknown or bytes bad."""
    name = packed.type_url[1:] if packed.type_url.startswith("/") else packed.type_url
    cls = message_class(name) if name else None
    if cls is None:
        raise ErrTxDecode.wrap(f"unable to resolve type URL {packed.type_url}")
    try:
        return cls.FromString(packed.value)
    except DecodeError as error:
        raise ErrTxDecode.wrap(f"{name}: {error}") from None


def signers_of(msg: Message) -> list[str]:
    """The addresses that must sign ``msg``, in the order its ``cosmos.msg.v1.signer`` fields
    give them (bech32 text; a bytes field is encoded with the account prefix).

    Raises ``ErrTxDecode`` when the message declares no signer or a field of another kind."""
    return [text for text, _ in _field_signers(msg, top_level=True, depth=0)]


# Per message type with signers: its signer field names; per string field: its address prefix
# (options read once per type, not once per message).
_SIGNER_FIELDS: dict[Descriptor, tuple[str, ...]] = {}
_FIELD_PREFIXES: dict[FieldDescriptor, str] = {}


def _signer_fields(descriptor: Descriptor) -> tuple[str, ...]:
    names = _SIGNER_FIELDS.get(descriptor)
    if names is None:
        names = tuple(descriptor.GetOptions().Extensions[msg_pb2.signer])
        if not names:
            raise ErrTxDecode.wrap(
                f"no cosmos.msg.v1.signer option found for message {descriptor.full_name}; "
                "use DefineCustomGetSigners to specify a custom getter"
            )
        _SIGNER_FIELDS[descriptor] = names
    return names


def _address_prefix(field: FieldDescriptor) -> str:
    prefix = _FIELD_PREFIXES.get(field)
    if prefix is None:
        validator = field.GetOptions().Extensions[cosmos_pb2.scalar] == _VALIDATOR_SCALAR
        prefix = _FIELD_PREFIXES[field] = VALIDATOR_PREFIX if validator else BECH32_PREFIX
    return prefix


def _field_signers(msg: Message, top_level: bool, depth: int) -> Iterator[tuple[str, str]]:
    """(address text, bech32 prefix) of each signer of ``msg``."""
    if depth > MAX_NESTING_DEPTH:
        raise ErrTxDecode.wrap("maximum recursion depth exceeded")
    descriptor = msg.DESCRIPTOR
    names = _signer_fields(descriptor)
    if not top_level and len(names) != 1:
        raise ErrTxDecode.wrap(
            f"nested cosmos.msg.v1.signer option in message {descriptor.full_name} must "
            "contain only one value"
        )
    for name in names:
        field = descriptor.fields_by_name.get(name)
        if field is None:
            raise ErrTxDecode.wrap(f"field {name} not found in message {descriptor.full_name}")
        value = getattr(msg, name)
        values = list(value) if field.label == FieldDescriptor.LABEL_REPEATED else [value]
        if field.type == FieldDescriptor.TYPE_STRING:
            prefix = _address_prefix(field)
            yield from ((text, prefix) for text in values)
        elif field.type == FieldDescriptor.TYPE_MESSAGE:
            for child in values:
                yield from _field_signers(child, top_level=False, depth=depth + 1)
        elif field.type == FieldDescriptor.TYPE_BYTES and top_level:
            for data in values:
                yield (encode_address(data) if 1 <= len(data) <= 255 else "", BECH32_PREFIX)
        else:
            raise ErrTxDecode.wrap(
                f"unexpected field type for field {name} in message {descriptor.full_name}"
            )


def _signer_address(text: str, prefix: str = BECH32_PREFIX) -> bytes:
    try:
        return decode_address(text, prefix)
    except SdkError as error:
        raise ErrTxDecode.wrap(error.log) from None


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for index in range(10):
        if pos + index >= len(data):
            raise ErrTxDecode.wrap("invalid length; unexpected end of input")
        byte = data[pos + index]
        value |= (byte & 0x7F) << (7 * index)
        if byte < 0x80:
            return value, pos + index + 1
    raise ErrTxDecode.wrap("invalid length; variable length integer overflow")


def _varint_size(value: int) -> int:
    size = 1
    while value >= 0x80:
        value >>= 7
        size += 1
    return size


def reject_non_adr027(tx_bytes: bytes) -> None:
    """``ErrTxDecode`` unless ``tx_bytes`` follow ADR-027 (``rejectNonADR027TxRaw``)."""
    previous = 0
    pos = 0
    size = len(tx_bytes)
    while pos < size:
        tag = tx_bytes[pos]
        if tag < 0x80:  # a one-byte varint
            pos += 1
        else:
            tag, pos = _read_varint(tx_bytes, pos)
        field, wire_type = tag >> 3, tag & 7
        if field == 0:
            raise ErrTxDecode.wrap("invalid field number")
        if wire_type != _WIRE_BYTES:
            raise ErrTxDecode.wrap(f"expected {_WIRE_BYTES} wire type, got {wire_type}")
        if field < previous:
            raise ErrTxDecode.wrap(
                f"txRaw must follow ADR-027, got tagNum {field} after tagNum {previous}"
            )
        previous = field
        start = pos
        if pos < size and tx_bytes[pos] < 0x80:  # a one-byte length: as short as possible
            length = tx_bytes[pos]
            pos += 1
        else:
            length, pos = _read_varint(tx_bytes, pos)
            if pos - start != _varint_size(length):
                raise ErrTxDecode.wrap(
                    f"length prefix varint for tagNum {field} is not as short as possible, "
                    f"read {pos - start}, only need {_varint_size(length)}"
                )
        pos += length
        if pos > size:
            raise ErrTxDecode.wrap("invalid length; unexpected end of input")


_SINGLE, _REPEATED, _MAP = 0, 1, 2


def _child_mode(field: FieldDescriptor) -> int | None:
    """How ``reject_unknown_fields`` descends into a field (None: it does not)."""
    if field.type != FieldDescriptor.TYPE_MESSAGE:
        return None
    if field.message_type.GetOptions().map_entry:
        value_field = field.message_type.fields_by_name["value"]
        if value_field.type != FieldDescriptor.TYPE_MESSAGE:
            return None
        return _MAP
    if field.label == FieldDescriptor.LABEL_REPEATED:
        return _REPEATED
    return _SINGLE


# Per message class: whether it is ``Any``, the mode of each field to descend into, and whether
# it has none (the descriptor walk done once per type, not once per message).
_WALKS: dict[type[Message], tuple[bool, dict[FieldDescriptor, int], bool]] = {}


def _walk_of(cls: type[Message]) -> tuple[bool, dict[FieldDescriptor, int], bool]:
    walk = _WALKS.get(cls)
    if walk is None:
        descriptor = cls.DESCRIPTOR
        modes = {}
        for field in descriptor.fields:
            mode = _child_mode(field)
            if mode is not None:
                modes[field] = mode
        leaf = not modes and not descriptor.extension_ranges
        walk = _WALKS[cls] = (descriptor.full_name == _ANY_NAME, modes, leaf)
    return walk


# Walks that passed, by what they depend on alone: an ``Any`` by (type URL, value bytes,
# ``allow_non_critical``), a tx body by its bytes; each with whether non-critical unknown fields
# were found and how many levels the walk went below its start (the same bytes nested deeper
# could pass the depth limit, and are then walked again). Failures are never kept. Bounded.
_PASSED_LIMIT = 4096
_PASSED_ANYS: BoundedMemo[tuple[str, bytes, bool], tuple[bool, int]] = BoundedMemo(_PASSED_LIMIT)
_PASSED_BODIES: BoundedMemo[bytes, bool] = BoundedMemo(_PASSED_LIMIT)


def reject_unknown_fields(msg: Message, allow_non_critical: bool, depth: int = 0) -> bool:
    """Walk ``msg`` (into every ``Any``); ``ErrTxDecode`` on an unknown field that is critical
    or when ``allow_non_critical`` is false. Returns whether non-critical ones were found."""
    return _reject_unknown_fields(msg, allow_non_critical, depth)[0]


def _reject_unknown_fields(msg: Message, allow_non_critical: bool, depth: int) -> tuple[bool, int]:
    """``reject_unknown_fields``, and the deepest level the walk reached."""
    if depth > MAX_NESTING_DEPTH:
        raise ErrTxDecode.wrap("max protobuf nesting depth exceeded")
    found = False
    for unknown in _unknown_fields.UnknownFieldSet(msg):
        if allow_non_critical and unknown.field_number & NON_CRITICAL_FIELD_BIT:
            found = True
            continue
        raise ErrTxDecode.wrap(
            f"unknown field in {msg.DESCRIPTOR.full_name}: {{TagNum: {unknown.field_number}, "
            f"WireType: {unknown.wire_type}}}"
        )
    is_any, modes, leaf = _walk_of(msg.__class__)
    if is_any:
        packed = cast(AnyPb, msg)
        key = (packed.type_url, packed.value, allow_non_critical)
        passed = _PASSED_ANYS.get(key)
        if passed is not None and depth + passed[1] <= MAX_NESTING_DEPTH:
            return passed[0] or found, depth + passed[1]
        inner_found, deepest = _reject_unknown_fields(
            unpack_any(packed), allow_non_critical, depth + 1
        )
        _PASSED_ANYS.remember(key, (inner_found, deepest - depth))
        return inner_found or found, deepest
    deepest = depth
    if leaf:
        return found, deepest
    for field, value in msg.ListFields():
        mode = modes.get(field) if field in modes else _child_mode(field)  # extensions
        if mode is None:
            continue
        if mode == _MAP:
            children = list(value.values())
        elif mode == _REPEATED:
            children = list(value)
        else:
            children = [value]
        for child in children:
            child_found, child_deepest = _reject_unknown_fields(
                child, allow_non_critical, depth + 1
            )
            found |= child_found
            deepest = max(deepest, child_deepest)
    return found, deepest


# The fast check. ``reject_unknown_fields`` looks at every message of a tree in Python; most trees
# have no unknown field at all, which upb's recursive ``DiscardUnknownFields`` shows in C: it
# removes the unknown fields of a message and of its set message fields, repeated elements and
# map values (a map entry with an unknown field is kept whole as an unknown field of the message
# holding the map), though not those of extensions, so ``ByteSize`` drops iff there was one (each
# takes a byte at least). It stops ``_DISCARD_REACH`` levels below where it starts (upb's own
# depth limit; map entries do not count as levels) and does not look into the bytes of an
# ``Any``. So a message whose size the discard leaves alone has no unknown field in its first
# ``_TRUSTED_LEVELS`` levels (well inside the reach), and ``reject_unknown_fields`` of it only has
# to look at the ``Any`` values there (each checked the same way, memoized) and at the nesting
# depth. ``_fast_walk`` visits the fields that may hold an ``Any``; below the others a message
# nests at most its type's height levels (or, for types that nest without bound, half its size:
# each level takes a tag and a length byte). Whatever the fast check cannot vouch for (an unknown
# field, a level past the trusted ones or past ``MAX_NESTING_DEPTH``, a type with extension
# ranges or required fields, any error) is decided by ``reject_unknown_fields`` itself, on a
# message as parsed: the outcome and the error texts are the walk's. The deepest level the fast
# check reports may exceed the walk's (it counts the bound): it only bounds the reuse of an
# ``Any`` that passed, which is otherwise walked again.
_DISCARD_REACH = 62
_TRUSTED_LEVELS = 32


class _UndecidedError(Exception):
    """The fast check cannot vouch for a message: ``reject_unknown_fields`` decides."""


class _DiscardedError(_UndecidedError):
    """The discard removed unknown fields from the message it was given (no longer as parsed)."""


def _children(descriptor: Descriptor) -> Iterator[tuple[FieldDescriptor, int, Descriptor]]:
    """The fields the walk descends into, with their mode and the type of the messages there."""
    for field in descriptor.fields:
        mode = _child_mode(field)
        if mode == _MAP:
            yield field, mode, field.message_type.fields_by_name["value"].message_type
        elif mode is not None:
            yield field, mode, field.message_type


# Levels a type's messages may nest below themselves through the fields the walk descends into
# (None: without bound, through a cycle of types).
_HEIGHTS: dict[Descriptor, int | None] = {}


def _height(descriptor: Descriptor, visiting: set[Descriptor]) -> int | None:
    if descriptor in _HEIGHTS:
        return _HEIGHTS[descriptor]
    if descriptor in visiting:
        return None  # every type on the way back up reaches this cycle: unbounded too
    visiting.add(descriptor)
    height: int | None = 0
    for _, _, child in _children(descriptor):
        below = _height(child, visiting)
        height = None if below is None or height is None else max(height, below + 1)
    visiting.discard(descriptor)
    _HEIGHTS[descriptor] = height
    return height


def _reachable(descriptor: Descriptor) -> set[Descriptor]:
    """``descriptor`` and every type below it through the fields the walk descends into."""
    seen = {descriptor}
    todo = [descriptor]
    while todo:
        for _, _, child in _children(todo.pop()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the fast check does with the messages of one type."""

    is_any: bool
    # No type reachable through the fields the walk descends into has extension ranges (the
    # walk follows the extensions set, the fast check does not look) or required fields
    # (``ByteSize`` raises without them).
    covered: bool
    # Levels the fields not visited may nest below the message, by their types' heights.
    below: int
    # The fields to visit: name, mode, and whether the field's type holds no ``Any`` but nests
    # without bound (its messages are bounded by their size, and visited only past the bound).
    visits: tuple[tuple[str, int, bool], ...]


_PLANS: dict[type[Message], _Plan] = {}


def _plan_of(cls: type[Message]) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        descriptor = cls.DESCRIPTOR
        covered = not any(
            below.extension_ranges
            or any(field.label == FieldDescriptor.LABEL_REQUIRED for field in below.fields)
            for below in _reachable(descriptor)
        )
        below = 0
        visits = []
        for field, mode, child in _children(descriptor):
            if any(reached.full_name == _ANY_NAME for reached in _reachable(child)):
                visits.append((field.name, mode, False))
                continue
            height = _height(child, set())
            if height is None:
                visits.append((field.name, mode, True))
            else:
                below = max(below, height + 1)
        is_any = descriptor.full_name == _ANY_NAME
        plan = _PLANS[cls] = _Plan(is_any, covered, below, tuple(visits))
    return plan


def _checked_parse(
    cls: type[M], data: bytes, what: str, allow_non_critical: bool
) -> tuple[M, bool]:
    """``data`` parsed as ``cls`` (``ErrTxDecode`` if it does not) and its
    ``reject_unknown_fields``: the fast check, else the walk."""
    msg = _parse(cls, data, what)
    try:
        return msg, _fast_check(msg, allow_non_critical, 0)[0]
    except _DiscardedError:
        msg = _parse(cls, data, what)  # the discard changed it: walk the message as parsed
    except (_UndecidedError, SdkError):
        pass
    return msg, reject_unknown_fields(msg, allow_non_critical)


def _fast_check(msg: Message, allow_non_critical: bool, depth: int) -> tuple[bool, int]:
    """``_reject_unknown_fields`` of ``msg``, or an exception (any: the walk decides, on ``msg``
    as parsed, which ``_DiscardedError`` says it no longer is). Discards its unknown fields."""
    plan = _plan_of(msg.__class__)
    if not plan.covered:
        raise _UndecidedError
    size = msg.ByteSize()
    msg.DiscardUnknownFields()  # type: ignore[attr-defined]  # missing from the stubs
    if msg.ByteSize() != size:
        raise _DiscardedError
    return _fast_walk(msg, plan, allow_non_critical, depth, 0)


def _fast_walk(
    msg: Message, plan: _Plan, allow_non_critical: bool, depth: int, level: int
) -> tuple[bool, int]:
    """The fast check of ``msg``, ``level`` levels below the discard that left it alone."""
    deepest = depth + plan.below
    if deepest > MAX_NESTING_DEPTH or level + plan.below >= _TRUSTED_LEVELS:
        raise _UndecidedError
    if plan.is_any:
        packed = cast(AnyPb, msg)
        key = (packed.type_url, packed.value, allow_non_critical)
        passed = _PASSED_ANYS.get(key)
        if passed is not None and depth + passed[1] <= MAX_NESTING_DEPTH:
            return passed[0], depth + passed[1]
        try:
            found, deepest = _fast_check(unpack_any(packed), allow_non_critical, depth + 1)
        except _DiscardedError:  # in the message inside, thrown away: this one is as parsed
            raise _UndecidedError from None
        _PASSED_ANYS.remember(key, (found, deepest - depth))
        return found, deepest
    found = False
    for name, mode, sized in plan.visits:
        if mode == _SINGLE:
            if not msg.HasField(name):
                continue
            children = [getattr(msg, name)]
        else:
            value = getattr(msg, name)
            if not value:
                continue
            children = list(value.values()) if mode == _MAP else list(value)
        for child in children:
            if sized:
                bound = depth + 1 + child.ByteSize() // 2
                if bound <= MAX_NESTING_DEPTH and bound - depth + level < _TRUSTED_LEVELS:
                    deepest = max(deepest, bound)
                    continue
            child_found, child_deepest = _fast_walk(
                child, _plan_of(child.__class__), allow_non_critical, depth + 1, level + 1
            )
            found |= child_found
            deepest = max(deepest, child_deepest)
    return found, deepest


def _body_non_critical(body_bytes: bytes) -> tuple[TxBody, bool]:
    """The tx body parsed from ``body_bytes`` and its ``reject_unknown_fields`` (non-critical
    unknown fields allowed), walked once per distinct body: bytes that passed pass again."""
    found = _PASSED_BODIES.get(body_bytes)
    if found is not None:
        return _parse(TxBody, body_bytes, "tx body"), found
    body, found = _checked_parse(TxBody, body_bytes, "tx body", allow_non_critical=True)
    _PASSED_BODIES.remember(body_bytes, found)
    return body, found


def _parse(cls: type[M], data: bytes, what: str) -> M:
    try:
        return cls.FromString(data)
    except DecodeError as error:
        raise ErrTxDecode.wrap(f"{what}: {error}") from None


# Fees that parsed, by their (denom, amount) texts: fees repeat from tx to tx. Bounded.
_PARSED_FEES: BoundedMemo[tuple[tuple[str, str], ...], tuple[tuple[str, int], ...]] = BoundedMemo(
    _PASSED_LIMIT
)


def _fee(auth_info: AuthInfo) -> tuple[tuple[str, int], ...]:
    texts = tuple((coin.denom, coin.amount) for coin in auth_info.fee.amount)
    fee = _PARSED_FEES.get(texts)
    if fee is None:
        fee = _parse_fee(auth_info)
        _PARSED_FEES.remember(texts, fee)
    return fee


def _parse_fee(auth_info: AuthInfo) -> tuple[tuple[str, int], ...]:
    result = []
    for index, coin in enumerate(auth_info.fee.amount):
        text = coin.amount[1:] if coin.amount.startswith(("+", "-")) else coin.amount
        if not text.isdigit() or not text.isascii() or len(text.lstrip("0")) > MAX_INT_DIGITS:
            raise ErrTxDecode.wrap(f"invalid fee coin amount at index {index}: {coin.amount}")
        amount = -int(text) if coin.amount.startswith("-") else int(text)
        if amount.bit_length() > MAX_INT_BITS:
            raise ErrTxDecode.wrap(f"invalid fee coin amount at index {index}: {coin.amount}")
        try:
            validate_denom(coin.denom)
        except SdkError as error:
            raise ErrTxDecode.wrap(
                f"invalid fee coin denom at index {index}: {error.log}"
            ) from None
        result.append((coin.denom, amount))
    denoms = [denom for denom, _ in result]
    if denoms != sorted(denoms):
        text = ",".join(f"{amount}{denom}" for denom, amount in result)
        raise ErrTxDecode.wrap(f"invalid not sorted tx fees: {text}")
    return tuple(result)


def decode_tx(tx_bytes: bytes) -> DecodedTx:
    """Decode and check ``tx_bytes`` (see the module docstring); ``ErrTxDecode`` on failure."""
    reject_non_adr027(tx_bytes)
    tx_raw = _parse(TxRaw, tx_bytes, "tx raw")
    reject_unknown_fields(tx_raw, allow_non_critical=False)
    body, non_critical = _body_non_critical(tx_raw.body_bytes)
    auth_info = _checked_parse(
        AuthInfo, tx_raw.auth_info_bytes, "auth info", allow_non_critical=False
    )[0]
    msgs = tuple(unpack_any(packed) for packed in body.messages)
    signers: list[bytes] = []
    for msg in msgs:
        for text, prefix in _field_signers(msg, top_level=True, depth=0):
            signer = _signer_address(text, prefix)
            if signer not in signers:
                signers.append(signer)
    fee_payer = None
    if auth_info.fee.payer:
        fee_payer = _signer_address(auth_info.fee.payer)
        if fee_payer not in signers:
            signers.append(fee_payer)
    elif signers:
        fee_payer = signers[0]
    return DecodedTx(
        raw=bytes(tx_bytes),
        tx_raw=tx_raw,
        body=body,
        auth_info=auth_info,
        msgs=msgs,
        signers=tuple(signers),
        fee=_fee(auth_info),
        fee_payer=fee_payer,
        hash=tx_hash(tx_bytes),
        body_has_unknown_non_criticals=non_critical,
    )
