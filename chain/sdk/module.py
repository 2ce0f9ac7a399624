"""The contract between a module and the app that hosts it.

Owns ``AppModule``: what every module (bank, auth, staking, distribution, gov, epochs, incentives)
offers the app, in the SDK's terms:

- ``msg_handlers``: type URL (``/cosmos.bank.v1beta1.MsgSend``) -> handler(ctx, msg) -> response;
  the app checks the Msg's signer (``cosmos.msg.v1.signer``) before calling, runs the handler in a
  branch, and keeps the branch only on success;
- ``query_handlers``: gRPC method (``/cosmos.bank.v1beta1.Query/Balance``) -> handler(ctx,
  request) -> response, read-only;
- ``begin_block`` / ``end_block``: block hooks, called in the app's module order;
- ``default_genesis`` / ``init_genesis`` / ``export_genesis``: the module's ``app_state`` entry
  as JSON-ready data in the SDK's shape (proto field names); export(init(g)) == g;
- ``invariants``: named read-only checks returning None or a diagnosis.

Handlers raise ``SdkError`` for expected rejections; anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from google.protobuf.message import Message

from chain.sdk.context import Context

MsgHandler = Callable[[Context, Any], Message]
QueryHandler = Callable[[Context, Any], Message]
Invariant = Callable[[Context], "str | None"]


class AppModule(Protocol):
    name: str

    def msg_handlers(self) -> dict[str, MsgHandler]: ...

    def query_handlers(self) -> dict[str, QueryHandler]: ...

    def begin_block(self, ctx: Context) -> None: ...

    def end_block(self, ctx: Context) -> None: ...

    def default_genesis(self) -> dict[str, Any]: ...

    def init_genesis(self, ctx: Context, state: dict[str, Any]) -> None: ...

    def export_genesis(self, ctx: Context) -> dict[str, Any]: ...

    def invariants(self) -> list[tuple[str, Invariant]]: ...
