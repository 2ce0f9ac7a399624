"""The fast unknown-field check of tx decoding (upb's recursive discard) against the walk it
stands in for: the same outcome, error text, non-critical flag and message, for unknown fields
at every level (top, nested, repeated, map entries and values, the ``Any`` itself and inside
it), past the levels the discard is trusted for and around the nesting-depth limit; and the upb
behaviour the fast check rests on."""

from __future__ import annotations

from collections.abc import Callable

from cosmpy.protos.cosmos.bank.v1beta1.bank_pb2 import Input, Output
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgMultiSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from cosmpy.protos.cosmos.crypto.multisig.keys_pb2 import LegacyAminoPubKey
from cosmpy.protos.cosmos.crypto.secp256k1.keys_pb2 import PubKey
from cosmpy.protos.cosmos.tx.signing.v1beta1.signing_pb2 import SIGN_MODE_DIRECT
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import AuthInfo, Fee, ModeInfo, SignerInfo, Tip, TxBody
from cosmpy.protos.cosmos_proto import cosmos_pb2
from google.api import annotations_pb2  # type: ignore[import-untyped]
from google.protobuf import descriptor_pb2, struct_pb2
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from hypothesis import given, settings
from hypothesis import strategies as st

from chain import tx as tx_module
from chain.sdk.errors import SdkError
from chain.tx import MAX_NESTING_DEPTH, decode_tx, message_class, reject_unknown_fields
from tests.chain.test_tx import raw_of, rejects, send, signed

ADDRESS = "akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v6"

# (field number, wire type): critical and non-critical numbers, numbers of known fields (with
# their own or another wire type), at the edges of the non-critical bit.
UNKNOWNS = [
    (field, wire)
    for field in (1, 2, 3, 4, 7, 15, 16, 1023, 1024, 1025, 1536, 2047, 2048, 3072)
    for wire in (0, 1, 2, 5)
]
_PAYLOADS = {0: b"\x01", 1: b"\x00" * 8, 2: b"\x01A", 5: b"\x00" * 4}


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


# Given the message whose bytes it ends (None: a map entry), what to append to them.
Inject = Callable[[Message | None], bytes]


def _encode(msg: Message, inject: Inject) -> bytes:
    """``msg``'s bytes, with what ``inject`` gives appended to each message of the tree: every
    message field, repeated element, map entry and value, ``Any`` and message inside one."""
    scalars = type(msg)()
    scalars.CopyFrom(msg)
    parts = []
    for field, value in msg.ListFields():
        if field.type != FieldDescriptor.TYPE_MESSAGE:
            continue
        if field.is_extension:
            scalars.ClearExtension(field)
        else:
            scalars.ClearField(field.name)
        if field.message_type.GetOptions().map_entry:  # string keys, message values here
            key_field, value_field = field.message_type.fields
            assert key_field.type == FieldDescriptor.TYPE_STRING
            assert value_field.type == FieldDescriptor.TYPE_MESSAGE
            for key in sorted(value):
                entry = _field(1, key.encode()) + _field(2, _encode(value[key], inject))
                parts.append(_field(field.number, entry + inject(None)))
            continue
        children = value if field.label == FieldDescriptor.LABEL_REPEATED else [value]
        parts.extend(_field(field.number, _encode(child, inject)) for child in children)
    if isinstance(msg, AnyPb):
        cls = message_class(msg.type_url[1:])
        if cls is not None:
            try:
                inner = cls.FromString(msg.value)
            except Exception:
                inner = None
            if inner is not None:
                scalars.value = _encode(inner, inject)
    return scalars.SerializePartialToString() + b"".join(parts) + inject(msg)


def _pack(msg: Message) -> AnyPb:
    packed = AnyPb()
    packed.Pack(msg, type_url_prefix="/")
    return packed


def _pubkey(byte: int) -> PubKey:
    return PubKey(key=bytes([2]) + bytes([byte]) * 32)


def _multi_mode(levels: int) -> ModeInfo:
    mode = ModeInfo(single=ModeInfo.Single(mode=SIGN_MODE_DIRECT))
    for _ in range(levels):
        outer = ModeInfo()
        outer.multi.bitarray.extra_bits_stored = 2
        outer.multi.bitarray.elems = b"\xc0"
        outer.multi.mode_infos.extend([mode, ModeInfo(single=ModeInfo.Single(mode=1))])
        mode = outer
    return mode


def _nested_anys(levels: int, inner: Message) -> AnyPb:
    packed = _pack(inner)
    for _ in range(levels):
        packed = _pack(packed)
    return packed


def _auth_info(signers: list[SignerInfo]) -> AuthInfo:
    return AuthInfo(
        signer_infos=signers,
        fee=Fee(
            amount=[Coin(denom="uakt", amount="5"), Coin(denom="uatom", amount="7")],
            gas_limit=200_000,
            payer=ADDRESS,
        ),
        tip=Tip(amount=[Coin(denom="uakt", amount="1")], tipper=ADDRESS),
    )


def _struct() -> struct_pb2.Struct:
    value = struct_pb2.Struct()
    value.update({"a": 1, "b": {"c": [1, "x", {"d": None}]}, "e": "text"})
    return value


def _templates() -> list[Message]:
    single = SignerInfo(public_key=_pack(_pubkey(1)), mode_info=_multi_mode(0), sequence=9)
    multisig = LegacyAminoPubKey(
        threshold=2, public_keys=[_pack(_pubkey(2)), _pack(_pubkey(3)), _pack(_pubkey(1))]
    )
    multi = SignerInfo(public_key=_pack(multisig), mode_info=_multi_mode(3), sequence=1)
    multi_send = MsgMultiSend(
        inputs=[Input(address=ADDRESS, coins=[Coin(denom="uakt", amount="2")])],
        outputs=[Output(address=ADDRESS, coins=[Coin(denom="uakt", amount="2")])] * 2,
    )
    options = descriptor_pb2.DescriptorProto(
        name="M", field=[descriptor_pb2.FieldDescriptorProto(name="f", number=1, label=1)]
    )
    options.options.deprecated = True
    # Extensions of message type (``covered`` is false for types with extension ranges) and
    # required fields (``ByteSize`` raises without them): the walk decides.
    file_options = descriptor_pb2.FileOptions(java_package="p")
    file_options.Extensions[cosmos_pb2.declare_interface].add(name="I", description="d")
    method_options = descriptor_pb2.MethodOptions()
    method_options.Extensions[annotations_pb2.http].get = "/a"
    method_options.Extensions[annotations_pb2.http].additional_bindings.add(post="/b")
    name_part = descriptor_pb2.UninterpretedOption.NamePart
    required = descriptor_pb2.UninterpretedOption(
        name=[name_part(name_part="a", is_extension=False)], identifier_value="x"
    )
    missing = AnyPb(type_url="/" + name_part.DESCRIPTOR.full_name, value=b"\x0a\x01a")
    return [
        _auth_info([single]),
        _auth_info([single, multi]),
        _auth_info([SignerInfo(mode_info=_multi_mode(33), sequence=3)]),  # past the discard
        TxBody(
            messages=[_pack(send(0, 1)), _pack(multi_send)],
            memo="memo",
            timeout_height=5,
            extension_options=[_pack(_struct()), _nested_anys(3, send(1, 0))],
            non_critical_extension_options=[_pack(options), _pack(multisig)],
        ),
        TxBody(extension_options=[_nested_anys(MAX_NESTING_DEPTH - 2, _struct())]),
        TxBody(extension_options=[_nested_anys(MAX_NESTING_DEPTH - 1, Coin(denom="a"))]),
        TxBody(extension_options=[AnyPb(type_url="/no.Such", value=b"\x08\x01")]),
        _pack(_pack(_struct())),
        TxBody(
            extension_options=[_pack(file_options), _pack(method_options)],
            non_critical_extension_options=[_pack(required), missing],
        ),
        file_options,
        _struct(),
    ]


TEMPLATES = _templates()


def _clear_memo() -> None:
    tx_module._PASSED_ANYS.values.clear()


def _outcome(run: Callable[[], tuple[Message, bool]]) -> tuple[object, ...]:
    try:
        msg, found = run()
    except SdkError as error:
        return ("error", error.log)
    return ("ok", found, msg.SerializePartialToString(deterministic=True))


def _walk(cls: type[Message], data: bytes, allow: bool) -> tuple[Message, bool]:
    msg = tx_module._parse(cls, data, "what")
    return msg, reject_unknown_fields(msg, allow)


def assert_same_as_the_walk(cls: type[Message], data: bytes, allow: bool) -> tuple[object, ...]:
    _clear_memo()
    fast = _outcome(lambda: tx_module._checked_parse(cls, data, "what", allow))
    warm = _outcome(lambda: _walk(cls, data, allow))  # with the memo the fast check left
    again = _outcome(lambda: tx_module._checked_parse(cls, data, "what", allow))
    _clear_memo()
    walk = _outcome(lambda: _walk(cls, data, allow))
    assert fast == walk
    assert warm == walk
    assert again == walk
    return walk


@settings(max_examples=400)
@given(
    st.sampled_from(range(len(TEMPLATES))),
    st.booleans(),
    st.data(),
)
def test_the_fast_check_decides_as_the_walk(index: int, allow: bool, data: st.DataObject) -> None:
    template = TEMPLATES[index]
    unknown = st.one_of(st.just(None), st.sampled_from(UNKNOWNS))

    def inject(_: Message | None) -> bytes:
        drawn = data.draw(unknown)
        if drawn is None:
            return b""
        field, wire = drawn
        return _varint(field << 3 | wire) + _PAYLOADS[wire]

    assert_same_as_the_walk(type(template), _encode(template, inject), allow)


def _inject_at(position: int, unknown: bytes) -> tuple[Inject, list[int]]:
    """An ``inject`` that appends ``unknown`` at its ``position``-th call, and its call count."""
    calls = [0]

    def inject(_: Message | None) -> bytes:
        calls[0] += 1
        return unknown if calls[0] - 1 == position else b""

    return inject, calls


def test_unknown_fields_at_each_level_are_rejected_with_the_walks_text() -> None:
    """One unknown field at a time, in each message of the templates (critical and not)."""
    outcomes = set()
    for template in TEMPLATES:
        for field in (20, 1025):
            position = 0
            while True:
                inject, calls = _inject_at(position, _varint(field << 3) + b"\x01")
                data = _encode(template, inject)
                if calls[0] <= position:
                    break
                for allow in (False, True):
                    outcomes.add(assert_same_as_the_walk(type(template), data, allow)[0])
                position += 1
    assert outcomes == {"ok", "error"}


def test_decode_tx_error_texts_at_each_level_of_the_auth_info() -> None:
    raw = raw_of(signed([send(0, 1)], [0]))
    info = AuthInfo.FromString(raw.auth_info_bytes)
    unknown = _varint(20 << 3) + b"\x01"
    for target in (
        "cosmos.tx.v1beta1.AuthInfo",
        "cosmos.tx.v1beta1.SignerInfo",
        "google.protobuf.Any",
        "cosmos.crypto.secp256k1.PubKey",
        "cosmos.tx.v1beta1.ModeInfo",
        "cosmos.tx.v1beta1.ModeInfo.Single",
        "cosmos.tx.v1beta1.Fee",
        "cosmos.base.v1beta1.Coin",
    ):
        done = [False]
        raw.auth_info_bytes = _encode(info, _first_named(target, unknown, done))
        assert done[0], target
        rejects(raw.SerializeToString(), f"unknown field in {target}: {{TagNum: 20, WireType: 0}}")
    raw.auth_info_bytes = _encode(info, lambda _: b"")
    assert decode_tx(raw.SerializeToString()).auth_info == info


def _first_named(name: str, unknown: bytes, done: list[bool]) -> Inject:
    """An ``inject`` that appends ``unknown`` to the first message named ``name`` (``done``)."""

    def inject(node: Message | None) -> bytes:
        if node is not None and node.DESCRIPTOR.full_name == name and not done[0]:
            done[0] = True
            return unknown
        return b""

    return inject


def _mode_chain(levels: int, unknown: bytes) -> bytes:
    """A ``ModeInfo`` nested ``levels`` (even) messages deep, ``unknown`` in the deepest one."""
    data = ModeInfo(single=ModeInfo.Single(mode=1)).SerializeToString() + unknown
    for _ in range(levels // 2):
        data = _field(2, _field(2, data))  # ModeInfo.multi.mode_infos
    return data


def test_the_discard_reaches_the_trusted_levels() -> None:
    """upb's ``DiscardUnknownFields`` removes unknown fields ``_DISCARD_REACH`` levels down
    (through repeated fields and map values alike) and ``ByteSize`` shows it: the fast check
    trusts it for ``_TRUSTED_LEVELS`` levels."""
    assert tx_module._TRUSTED_LEVELS <= tx_module._DISCARD_REACH
    unknown = _varint(4 << 3) + b"\x01"
    for levels in range(0, tx_module._DISCARD_REACH + 1, 2):
        msg = ModeInfo.FromString(_mode_chain(levels, unknown))
        size = msg.ByteSize()
        msg.DiscardUnknownFields()  # type: ignore[attr-defined]
        assert msg.ByteSize() < size, levels
    value = struct_pb2.Value(number_value=1).SerializeToString() + _varint(9 << 3) + b"\x01"
    for levels in range(tx_module._DISCARD_REACH + 1):
        data, cls = value, struct_pb2.Value
        for _ in range(levels):
            if cls is struct_pb2.Value:
                data, cls = _field(1, _field(1, b"k") + _field(2, data)), struct_pb2.Struct
            else:
                data, cls = _field(5, data), struct_pb2.Value
        parsed = cls.FromString(data)
        size = parsed.ByteSize()
        parsed.DiscardUnknownFields()  # type: ignore[attr-defined]
        assert parsed.ByteSize() < size, levels


def test_a_map_entry_with_an_unknown_field_is_an_unknown_field_of_the_map_holder() -> None:
    entry = _field(1, b"k") + _field(2, struct_pb2.Value(number_value=1).SerializeToString())
    data = _field(1, entry + _varint(3 << 3) + b"\x01")
    with_unknown = struct_pb2.Struct.FromString(data)
    assert not with_unknown.fields
    assert_same_as_the_walk(struct_pb2.Struct, data, True)
    message = "unknown field in google.protobuf.Struct: {TagNum: 1, WireType: 2}: tx parse error"
    assert assert_same_as_the_walk(struct_pb2.Struct, data, False) == ("error", message)


def test_types_the_discard_does_not_cover_are_walked() -> None:
    """The discard leaves the unknown fields of extensions alone, and ``ByteSize`` raises when a
    required field is missing: types that may have either are not covered."""
    interface = cosmos_pb2.InterfaceDescriptor(name="I").SerializeToString() + _varint(20 << 3)
    number = cosmos_pb2.declare_interface.number
    data = _field(number, interface + b"\x01")
    options = descriptor_pb2.FileOptions.FromString(data)
    size = options.ByteSize()
    options.DiscardUnknownFields()  # type: ignore[attr-defined]
    assert options.ByteSize() == size
    assert not tx_module._plan_of(descriptor_pb2.FileOptions).covered
    assert not tx_module._plan_of(descriptor_pb2.DescriptorProto).covered
    assert tx_module._plan_of(AuthInfo).covered
    assert tx_module._plan_of(TxBody).covered
