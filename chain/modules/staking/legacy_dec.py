"""``LegacyDec`` fields as cosmos-sdk puts them on the wire, in stores and in JSON.

A field declared ``(gogoproto.customtype) = "cosmossdk.io/math.LegacyDec"`` holds, on the wire and
in the store, the integer text of the 18-decimal raw value without a point (0.02 is
``"20000000000000000"``); in JSON (genesis files, REST answers) it is decimal text with 18 places
(``"0.020000000000000000"``). The fields are found through that option in cosmpy's descriptors,
so one walker converts any message. An empty field is zero, as a nil ``LegacyDec`` is. The
consensus key types are imported so ``Any`` keys (``/cosmos.crypto.ed25519.PubKey``) print as JSON.

Used by staking, distribution and mint (it would sit in ``chain/sdk`` as well).

Fails when: a raw field is not integer text, or JSON text is not a decimal with at most 18
places (``ErrInvalidNumber``); genesis JSON has unknown fields or wrong types
(``ErrJSONUnmarshal``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar

from cosmpy.protos.cosmos.crypto.ed25519 import keys_pb2 as _ed25519  # noqa: F401
from cosmpy.protos.cosmos.crypto.secp256k1 import keys_pb2 as _secp256k1  # noqa: F401
from cosmpy.protos.gogoproto import gogo_pb2
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from chain.sdk.errors import ErrInvalidNumber, ErrJSONUnmarshal
from chain.sdk.math import Dec

LEGACY_DEC = "cosmossdk.io/math.LegacyDec"

_RAW = re.compile(r"-?[0-9]+")

M = TypeVar("M", bound=Message)


def dec_to_proto(value: Dec) -> str:
    """The wire/store text of a ``Dec``: its raw integer."""
    return str(value.raw)


def dec_from_proto(text: str) -> Dec:
    """The ``Dec`` of wire/store text (empty text is zero)."""
    if not text:
        return Dec.zero()
    if not _RAW.fullmatch(text):
        raise ErrInvalidNumber.wrap(f"not a LegacyDec proto value: {text!r}")
    return Dec(int(text))


def dec_from_json(text: str) -> Dec:
    """The ``Dec`` of JSON text (``"0.02"``, ``"1"``; empty text is zero)."""
    return Dec.from_str(text) if text else Dec.zero()


@functools.lru_cache(maxsize=1024)
def _is_legacy_dec(field: FieldDescriptor) -> bool:
    options = field.GetOptions()
    return (
        field.type == FieldDescriptor.TYPE_STRING
        and options.HasExtension(gogo_pb2.customtype)
        and options.Extensions[gogo_pb2.customtype] == LEGACY_DEC
    )


def _convert(message: Message, convert: Callable[[str], str]) -> None:
    for field in message.DESCRIPTOR.fields:
        repeated = field.label == FieldDescriptor.LABEL_REPEATED
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            if field.message_type.GetOptions().map_entry:
                continue
            if repeated:
                for item in getattr(message, field.name):
                    _convert(item, convert)
            elif message.HasField(field.name):
                _convert(getattr(message, field.name), convert)
        elif _is_legacy_dec(field):
            if repeated:
                container = getattr(message, field.name)
                values = [convert(value) for value in container]
                del container[:]
                container.extend(values)
            else:
                setattr(message, field.name, convert(getattr(message, field.name)))


def _raw_to_json(text: str) -> str:
    return str(dec_from_proto(text))


def _json_to_raw(text: str) -> str:
    return dec_to_proto(dec_from_json(text))


def to_sdk_json(message: Message) -> dict[str, Any]:
    """The SDK's JSON of a stored message: proto field names, defaults printed, decimals with a
    point."""
    copy = type(message)()
    copy.CopyFrom(message)
    _convert(copy, _raw_to_json)
    result: dict[str, Any] = json_format.MessageToDict(
        copy, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return result


def from_sdk_json(data: dict[str, Any], message_type: type[M]) -> M:
    """The stored form of SDK JSON (decimals become raw integer text)."""
    message = message_type()
    try:
        json_format.ParseDict(data, message)
    except json_format.ParseError as err:
        raise ErrJSONUnmarshal.wrap(str(err)) from None
    _convert(message, _json_to_raw)
    return message
