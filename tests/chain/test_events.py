"""``typed_event`` writes flat messages itself: its events are those of the ``json_format`` path
(``MessageToDict`` then ``json.dumps`` per field) for every event message the app emits, with
any field values, and messages of other shapes take that path."""

from __future__ import annotations

from typing import Any

from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.epochs.v1beta1.events_pb2 import EventEpochEnd, EventEpochStart
from cosmpy.protos.cosmos.gov.v1.gov_pb2 import Vote
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from hypothesis import given, settings
from hypothesis import strategies as st

from chain.sdk.events import _typed_event_by_json_format, parse_typed_event, typed_event
from incentives.pb import events_pb2

EVENTS: list[type[Message]] = [
    *(getattr(events_pb2, name) for name in dir(events_pb2) if name.startswith("Event")),
    EventEpochEnd,
    EventEpochStart,
]

_RANGES = {
    FieldDescriptor.CPPTYPE_INT32: (-(2**31), 2**31 - 1),
    FieldDescriptor.CPPTYPE_UINT32: (0, 2**32 - 1),
    FieldDescriptor.CPPTYPE_INT64: (-(2**63), 2**63 - 1),
    FieldDescriptor.CPPTYPE_UINT64: (0, 2**64 - 1),
}


def _value(field: FieldDescriptor) -> st.SearchStrategy[Any]:
    if field.cpp_type in _RANGES:
        low, high = _RANGES[field.cpp_type]
        return st.one_of(st.sampled_from([0, low, high]), st.integers(low, high))
    if field.cpp_type == FieldDescriptor.CPPTYPE_BOOL:
        return st.booleans()
    if field.cpp_type == FieldDescriptor.CPPTYPE_ENUM:
        return st.integers(-3, 9)  # known and unknown numbers of an open enum
    return st.text()


@st.composite
def events(draw: st.DrawFn) -> Message:
    kind = draw(st.sampled_from(EVENTS))
    message = kind()
    for field in kind.DESCRIPTOR.fields:
        if field.cpp_type == FieldDescriptor.CPPTYPE_MESSAGE:
            continue
        if draw(st.booleans()):
            setattr(message, field.name, draw(_value(field)))
    return message


@settings(max_examples=400, deadline=None)
@given(events())
def test_flat_events_are_written_as_json_format_writes_them(message: Message) -> None:
    event = typed_event(message)
    assert event == _typed_event_by_json_format(message)
    assert parse_typed_event(event, type(message)()) == message


def test_other_messages_take_the_json_format_path() -> None:
    vote = Vote(proposal_id=3, voter="v", metadata="m")
    vote.options.add(option=1, weight="1.0")
    send = MsgSend(from_address="a", to_address="b")
    send.amount.add(denom="uakt", amount="5")
    for message in (vote, send):
        assert typed_event(message) == _typed_event_by_json_format(message)
    assert typed_event(send).attribute("amount") == '[{"amount":"5","denom":"uakt"}]'
