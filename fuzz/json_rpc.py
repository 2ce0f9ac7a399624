"""atheris harness: the CometBFT JSON-RPC service of a devnet node on any POST body and any GET
target (the service's transport-free entry points, as the HTTP server calls them).

Fails when (atheris reports a crash and writes the input): a call raises; a reply does not
encode as JSON or is not JSON-RPC 2.0; an error has a code outside JSON-RPC's five or reports a
Python exception (the wording the service gives a bug it caught).
"""

from __future__ import annotations

import json
import re
import sys
import time
from typing import Any

import atheris

with atheris.instrument_imports(include=["chain"]):
    from chain.devnet import devnet_genesis
    from chain.server.localnet import start_localnet
    from chain.server.rpc import RpcService

from fuzz.corpus import run

# Their valid params run blocks: not what this harness is about.
TIME_CONTROLS = ("advance_time", "advance_blocks", "snapshot", "revert", "broadcast_tx_commit")
CODES = {-32700, -32600, -32601, -32602, -32603}
PYTHON_EXCEPTION = re.compile(r"^[A-Z][A-Za-z]*(Error|Exception)\b|Traceback")

_net = start_localnet(devnet_genesis(genesis_time=int(time.time())), grpc_address="127.0.0.1:0")
SERVICE = RpcService(_net.node)
for _name in TIME_CONTROLS:
    SERVICE.methods.pop(_name)


def _check(reply: Any) -> None:
    if reply is None or isinstance(reply, str):
        return
    json.dumps(reply, allow_nan=False)
    for item in reply if isinstance(reply, list) else [reply]:
        if item.get("jsonrpc") != "2.0" or ("result" in item) == ("error" in item):
            raise AssertionError(f"not a JSON-RPC reply: {item!r:.300}")
        error = item.get("error")
        if error is not None:
            if error["code"] not in CODES:
                raise AssertionError(f"bad error code: {error!r:.300}")
            if PYTHON_EXCEPTION.search(error.get("data", "")):
                raise AssertionError(f"a caught bug: {error!r:.300}")


def test_one_input(data: bytes) -> None:
    if data[:1] == b"/":
        _check(SERVICE.handle_get(data.decode("latin-1"))[1])
    else:
        _check(SERVICE.handle_post("/", data)[1])


def main() -> None:
    from fuzz.seeds import json_rpc_requests

    run(sys.argv, test_one_input, json_rpc_requests())


if __name__ == "__main__":
    main()
