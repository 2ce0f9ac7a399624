"""Events: what a block tells the outside world about state changes.

Owns the ABCI event shape (a type and ordered string attributes) and the conversion of typed
protobuf events into it the way the SDK's ``EmitTypedEvent`` does: the type is the message's full
name, each attribute key is a proto field name and each value the field's JSON text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from google.protobuf import json_format
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


def parse_typed_event(event: Event, message: Message) -> Message:
    """Fill ``message`` (of the event's type) back from an ABCI typed event."""
    if event.type != message.DESCRIPTOR.full_name:
        raise ValueError(f"event {event.type} is not a {message.DESCRIPTOR.full_name}")
    fields = {key: json.loads(value) for key, value in event.attributes}
    json_format.ParseDict(fields, message)
    return message
