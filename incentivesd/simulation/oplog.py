"""The op log: every step of a run, as values that write to JSON lines and read back exactly.

A run is a list of ``Block``s: a block's time and its ops. An ``Op`` is one tx: the index of
the signing account, its Msgs, the fee, an optional ante ``tamper``, the name of the variant
that drew it (``invalid/...`` for a deliberately invalid one), whether it must pass
(``expected_ok``: True must pass, False must fail, None either), what happened (``ok``), its
number in the run (``id``) and, for a deposit or vote, the ``id`` of the op that submitted its
proposal (``proposal_of``). Signatures, sequences, account numbers and the proposal ids of
deposits and votes are settled at run time, so a log with ops removed (shrinking) still makes
valid txs aimed at the same proposals.

The file: the first line is ``{"seed", "genesis"}``, then one line per block start
(``{"block", "op": "BeginBlock", "time"}``) and one per op (Msgs as proto JSON with ``@type``).

Fails when: a line is not JSON, names an unknown Msg type or misses a field (``ValueError``,
``KeyError``).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import Message

from chain.tx import message_class
from incentivesd.simulation.genesis import Genesis


def msg_type(msg: Message) -> str:
    """``module/MsgName`` of a Msg (``cosmos.bank.v1beta1.MsgSend`` -> ``bank/MsgSend``)."""
    parts = msg.DESCRIPTOR.full_name.split(".")
    return f"{parts[-3]}/{parts[-1]}"


def _message_class(type_url: str) -> type[Message]:
    cls = message_class(type_url.lstrip("/"))
    if cls is None:
        raise ValueError(f"unknown message type {type_url!r}")
    return cls


def msg_to_json(msg: Message) -> dict[str, Any]:
    return {"@type": f"/{msg.DESCRIPTOR.full_name}", **json_format.MessageToDict(msg)}


def msg_from_json(data: dict[str, Any]) -> Message:
    body = dict(data)
    cls = _message_class(body.pop("@type"))
    return json_format.ParseDict(body, cls())


@dataclass(frozen=True)
class Op:
    """One tx of a run."""

    block: int
    signer: int
    msgs: tuple[Message, ...]
    name: str
    fee: int = 0
    tamper: str | None = None
    expected_ok: bool | None = None
    ok: bool | None = None
    id: int = 0
    proposal_of: int | None = None

    @property
    def type(self) -> str:
        return msg_type(self.msgs[0]) if self.msgs else "tx/empty"

    def to_json(self) -> dict[str, Any]:
        return {
            "block": self.block,
            "op": self.type,
            "name": self.name,
            "signer": self.signer,
            "fee": self.fee,
            "tamper": self.tamper,
            "msgs": [msg_to_json(msg) for msg in self.msgs],
            "expected_ok": self.expected_ok,
            "ok": self.ok,
            "id": self.id,
            "proposal_of": self.proposal_of,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Op:
        return cls(
            block=int(data["block"]),
            signer=int(data["signer"]),
            msgs=tuple(msg_from_json(item) for item in data["msgs"]),
            name=str(data["name"]),
            fee=int(data["fee"]),
            tamper=data.get("tamper"),
            expected_ok=data.get("expected_ok"),
            ok=data.get("ok"),
            id=int(data.get("id", 0)),
            proposal_of=data.get("proposal_of"),
        )


@dataclass
class Block:
    """A block of a run: its number, time (seconds) and ops."""

    number: int
    time: int
    ops: list[Op] = field(default_factory=list)

    def renumbered(self, number: int) -> Block:
        ops = [dataclasses.replace(op, block=number) for op in self.ops]
        return Block(number, self.time, ops)


@dataclass
class OpLog:
    """A whole run: seed, genesis and blocks."""

    seed: int | None
    genesis: Genesis
    blocks: list[Block]

    @property
    def op_count(self) -> int:
        return sum(len(block.ops) for block in self.blocks)

    def lines(self) -> Iterator[str]:
        yield json.dumps({"seed": self.seed, "genesis": self.genesis.to_json()}, sort_keys=True)
        for block in self.blocks:
            yield json.dumps(
                {"block": block.number, "op": "BeginBlock", "time": block.time}, sort_keys=True
            )
            for op in block.ops:
                yield json.dumps(op.to_json(), sort_keys=True)

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"

    @classmethod
    def parse(cls, lines: Iterable[str]) -> OpLog:
        iterator = iter(line for line in lines if line.strip())
        header = json.loads(next(iterator))
        log = cls(header.get("seed"), Genesis.from_json(header["genesis"]), [])
        for line in iterator:
            data = json.loads(line)
            if data.get("op") == "BeginBlock":
                log.blocks.append(Block(int(data["block"]), int(data["time"])))
            elif not log.blocks:
                raise ValueError("an op before the first BeginBlock")
            else:
                log.blocks[-1].ops.append(Op.from_json(data))
        return log
