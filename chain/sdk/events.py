"""Events: what a block tells the outside world about state changes.

Owns the ABCI event shape (a type and ordered string attributes) and the conversion of typed
protobuf events into it the way the SDK's ``EmitTypedEvent`` does: the type is the message's full
name, each attribute key is a proto field name and each value the field's JSON text (a flat
message's, of strings, bools, integers and enums, written here directly; any other through
``json_format``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii

from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message


@dataclass(frozen=True, slots=True)
class Event:
    """An ABCI event."""

    type: str
    attributes: tuple[tuple[str, str], ...] = ()

    def attribute(self, key: str) -> str | None:
        for name, value in self.attributes:
            if name == key:
                return value
        return None

    def to_json(self) -> dict[str, object]:
        return {
            "type": self.type,
            "attributes": [{"key": key, "value": value} for key, value in self.attributes],
        }


def typed_event(message: Message) -> Event:
    """The ABCI form of a typed event message (attributes sorted by field name)."""
    descriptor = message.DESCRIPTOR
    if descriptor in _PLANS:
        plan = _PLANS[descriptor]
    else:
        plan = _PLANS[descriptor] = _plan(descriptor)
    if plan is None:
        return _typed_event_by_json_format(message)
    attributes = tuple([(name, encode(getattr(message, name))) for name, encode in plan])
    return Event(descriptor.full_name, attributes)


def _typed_event_by_json_format(message: Message) -> Event:
    fields = json_format.MessageToDict(
        message,
        preserving_proto_field_name=True,
        always_print_fields_with_no_presence=True,
    )
    attributes = tuple(
        (key, json.dumps(fields[key], separators=(",", ":"), sort_keys=True))
        for key in sorted(fields)
    )
    return Event(message.DESCRIPTOR.full_name, attributes)


# How each attribute of a flat message is written: per field, sorted by name, the field's JSON
# text as ``json.dumps`` writes ``MessageToDict``'s value (None: a message with a field of another
# kind, which goes through ``json_format``).
_Plan = tuple[tuple[str, Callable[[object], str]], ...]
_PLANS: dict[Descriptor, _Plan | None] = {}
_INT32 = (FieldDescriptor.CPPTYPE_INT32, FieldDescriptor.CPPTYPE_UINT32)
_INT64 = (FieldDescriptor.CPPTYPE_INT64, FieldDescriptor.CPPTYPE_UINT64)


def _int64_text(value: object) -> str:
    return f'"{value}"'  # MessageToDict's str(value): digits and a sign need no escaping


def _bool_text(value: object) -> str:
    return "true" if value else "false"


def _enum_text(field: FieldDescriptor) -> Callable[[object], str]:
    known = field.enum_type.values_by_number.items()
    names: dict[object, str] = {number: f'"{value.name}"' for number, value in known}
    return lambda value: names.get(value) or str(value)


def _plan(descriptor: Descriptor) -> _Plan | None:
    """The attribute writers of a message whose fields are all singular, without presence, and
    strings, bools, integers or open enums; None for any other."""
    plan: list[tuple[str, Callable[[object], str]]] = []
    for field in descriptor.fields:
        if field.label == FieldDescriptor.LABEL_REPEATED or field.has_presence:
            return None
        kind = field.cpp_type
        encode: Callable[[object], str]
        if kind == FieldDescriptor.CPPTYPE_STRING and field.type == FieldDescriptor.TYPE_STRING:
            encode = encode_basestring_ascii  # type: ignore[assignment]  # json.dumps of a str
        elif kind == FieldDescriptor.CPPTYPE_BOOL:
            encode = _bool_text
        elif kind in _INT32:
            encode = str
        elif kind in _INT64:
            encode = _int64_text
        elif (
            kind == FieldDescriptor.CPPTYPE_ENUM
            and not field.enum_type.is_closed
            and field.enum_type.full_name != "google.protobuf.NullValue"
        ):
            encode = _enum_text(field)
        else:
            return None
        plan.append((field.name, encode))
    plan.sort(key=lambda item: item[0])
    return tuple(plan)


def parse_typed_event(event: Event, message: Message) -> Message:
    """Fill ``message`` (of the event's type) back from an ABCI typed event."""
    if event.type != message.DESCRIPTOR.full_name:
        raise ValueError(f"event {event.type} is not a {message.DESCRIPTOR.full_name}")
    fields = {key: json.loads(value) for key, value in event.attributes}
    json_format.ParseDict(fields, message)
    return message
