"""The HTTP side of the node's JSON servers (CometBFT RPC and REST): a threading server, a
quiet keep-alive handler with CORS, bounded request bodies and JSON replies, and the helpers to
parse a listen address, split a request target, serve on a daemon thread and stop.

Fails when: a listen address is not ``host:port`` (``OSError``); a request's ``Content-Length``
is invalid (the handler replies 400) or above ``MAX_BODY_BYTES`` (413, after draining a body of
up to ``DRAIN_BODY_BYTES`` so the client reads the reply); a reply cannot be encoded as JSON
(500 with a JSON-RPC internal error).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from chain.server.jsonrpc import error_reply, internal

DRAIN_BODY_BYTES = 16_000_000
MAX_BODY_BYTES = 1_000_000  # CometBFT's rpc.max_body_bytes default


class JsonHttpServer(ThreadingHTTPServer):
    """A threading HTTP server whose handler threads never outlive the process."""

    daemon_threads = True
    allow_reuse_address = True


CORS_HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "HEAD, GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Origin, Accept, Content-Type, X-Requested-With"),
)


class QuietHandler(BaseHTTPRequestHandler):
    """Keep-alive HTTP/1.1, CORS, no access log; helpers to read a bounded body and reply."""

    protocol_version = "HTTP/1.1"
    extra_headers: tuple[tuple[str, str], ...] = ()

    def log_message(self, format: str, *args: Any) -> None:
        """No access log."""

    def read_body(self) -> bytes | None:
        """The request body, or None (after replying 400/413) when it cannot be read."""
        length_text = self.headers.get("Content-Length", "0") or "0"
        try:
            length = int(length_text)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self.reply(400, "text/plain", b"invalid Content-Length\n")
            return None
        if length > MAX_BODY_BYTES:
            # Read (and drop) a moderately oversized body first, so the client, still sending,
            # receives the 413 instead of a reset connection.
            if length <= DRAIN_BODY_BYTES:
                remaining = length
                while remaining > 0:
                    chunk = self.rfile.read(min(remaining, 65_536))
                    if not chunk:
                        break
                    remaining -= len(chunk)
            self.close_connection = True
            self.reply(413, "text/plain", b"request body too large\n")
            return None
        return self.rfile.read(length) if length else b""

    def reply(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (*CORS_HEADERS, *self.extra_headers):
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def reply_json(self, status: int, payload: Any) -> None:
        try:
            text = json.dumps(payload, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as error:
            status = 500
            text = json.dumps(error_reply(None, internal(f"cannot encode reply: {error}")))
        self.reply(status, "application/json", text.encode())

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        for name, value in CORS_HEADERS:
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()


def split_target(target: str) -> tuple[str, str]:
    """The path and query of an HTTP request target (origin form: ``//x`` is a path, not a
    host, and no character makes it fail, unlike ``urlsplit``)."""
    path, _, query = target.partition("#")[0].partition("?")
    return path, query


def split_address(address: str) -> tuple[str, int]:
    """``host:port`` (also ``tcp://host:port``) as (host, port)."""
    text = address.removeprefix("tcp://").removeprefix("http://")
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise OSError(f"invalid address {address!r}: expected host:port")
    return host.strip("[]"), int(port)


def serve(server: ThreadingHTTPServer, name: str) -> None:
    """Serve ``server`` on a daemon thread."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
    )
    thread.start()


def stop_server(server: ThreadingHTTPServer) -> None:
    """Stop serving and close the socket."""
    server.shutdown()
    server.server_close()


__all__ = [
    "CORS_HEADERS",
    "JsonHttpServer",
    "QuietHandler",
    "serve",
    "split_address",
    "split_target",
    "stop_server",
]
