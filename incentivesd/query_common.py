"""What every ``incentivesd query`` command shares: the ``--node``/``-o`` options, fetching every
page of a paginated query, and printing an answer.

Output: ``-o json`` prints the response message as JSON with sorted keys (proto field names;
every page of a paginated list merged into one response without ``pagination``; ``LegacyDec``
amounts, which gRPC carries as 18-decimal raw integers, as decimal strings like the SDK's own
CLI). ``-o text`` prints a list response as a table (``incentivesd.tables``) followed by its
other fields, and anything else as ``key: value`` lines, nested fields joined with dots and
coins as ``<amount><denom>``.

Fails when (exit 1, the reason on stderr, no traceback): the node cannot be reached, the object
is not found, or the request is invalid.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import click
import grpc
from cosmpy.protos.gogoproto import gogo_pb2
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

from incentivesd.client.client import DEFAULT_NODE, Client, ClientError
from incentivesd.tables import render_table

DEC_PRECISION = 18
MAX_PAGES = 100_000

node_option = click.option(
    "--node",
    default=DEFAULT_NODE,
    show_default=True,
    help="The node's gRPC endpoint: a URL, or host:port for plaintext gRPC.",
)
output_option = click.option(
    "-o", "--output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
page_size_option = click.option(
    "--page-size",
    type=click.IntRange(min=1, max=1000),
    default=100,
    show_default=True,
    help="Items per request; every page is fetched.",
)

T = TypeVar("T")
Cell = str | Callable[[dict[str, Any]], object]


@dataclass(frozen=True)
class Table:
    """How ``-o text`` shows a list response: the repeated field holding the rows and, per
    column, the dotted path of its value in a row (or a function of the row)."""

    rows: str
    columns: Mapping[str, Cell] = field(default_factory=dict)


def coins_text(value: Any) -> str:
    """``[{"denom": "uakt", "amount": "5"}]`` -> ``5uakt``; one coin alike; "" for none."""
    if isinstance(value, dict):
        value = [value]
    if not value:
        return ""
    return ",".join(f"{coin.get('amount', '0')}{coin.get('denom', '')}" for coin in value)


def _is_coins(value: Any) -> bool:
    if isinstance(value, dict):
        return set(value) == {"denom", "amount"}
    return bool(value) and isinstance(value, list) and all(_is_coins(item) for item in value)


def _legacy_dec(descriptor: FieldDescriptor) -> bool:
    custom = str(descriptor.GetOptions().Extensions[gogo_pb2.customtype])
    return custom.endswith(("LegacyDec", "types.Dec"))


def _dec_text(raw: str) -> str:
    if not raw or "." in raw:
        return raw
    return f"{Decimal(raw).scaleb(-DEC_PRECISION):.{DEC_PRECISION}f}"


def _fix_decs(message: Message, data: dict[str, Any]) -> None:
    """Turn the raw ``LegacyDec`` strings of ``data`` (``message`` as JSON) into decimals."""
    for descriptor in message.DESCRIPTOR.fields:
        name = descriptor.name
        if name not in data:
            continue
        repeated = descriptor.label == FieldDescriptor.LABEL_REPEATED
        if descriptor.type == FieldDescriptor.TYPE_MESSAGE:
            if descriptor.message_type.GetOptions().map_entry:
                continue
            if descriptor.message_type.full_name == "google.protobuf.Any":
                continue
            value = getattr(message, name)
            if repeated:
                for item, item_data in zip(value, data[name], strict=False):
                    if isinstance(item_data, dict):
                        _fix_decs(item, item_data)
            elif isinstance(data[name], dict):
                _fix_decs(value, data[name])
        elif descriptor.type == FieldDescriptor.TYPE_STRING and _legacy_dec(descriptor):
            if repeated:
                data[name] = [_dec_text(str(item)) for item in data[name]]
            else:
                data[name] = _dec_text(str(data[name]))


def to_json(message: Message) -> dict[str, Any]:
    """The message as JSON (see the module docstring)."""
    data = MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    _fix_decs(message, data)
    return data


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if _is_coins(value):
        yield prefix, coins_text(value)
    elif isinstance(value, dict):
        if not value and prefix:
            yield prefix, "{}"
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        if not value:
            yield prefix, "[]"
        for index, item in enumerate(value):
            yield from _flatten(item, f"{prefix}[{index}]")
    else:
        yield prefix, str(value)


def key_values(data: Mapping[str, Any]) -> str:
    return "\n".join(f"{key}: {value}" for key, value in _flatten(dict(data)))


def _cell(row: dict[str, Any], spec: Cell) -> object:
    if callable(spec):
        value: Any = spec(row)
    else:
        value = row
        for part in spec.split("."):
            value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return ""
    if _is_coins(value):
        return coins_text(value)
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    if isinstance(value, str) and value.isdigit() and len(value) < 40:
        return int(value)
    return value


def table_text(data: dict[str, Any], table: Table) -> str:
    rows = data.get(table.rows) or []
    if rows:
        columns = table.columns or {key: key for key in rows[0]}
        lines = [
            render_table(
                [{header: _cell(row, spec) for header, spec in columns.items()} for row in rows]
            )
        ]
    else:
        lines = [f"no {table.rows.replace('_', ' ')}"]
    rest = {
        key: value
        for key, value in data.items()
        if key not in (table.rows, "pagination") and value != []
    }
    if rest:
        lines.append(key_values(rest))
    return "\n".join(lines)


def render(message: Message, output: str, table: Table | None = None) -> str:
    """A response as JSON, as a table, or as ``key: value`` lines."""
    data = to_json(message)
    if output == "json":
        return json.dumps(data, sort_keys=True)
    if table is not None:
        return table_text(data, table)
    return key_values(data)


def all_pages(
    client: Client, method: Any, request: Message, rows: str, page_size: int = 100
) -> Message:
    """Every page of a paginated query merged into one response (its ``pagination`` cleared).

    Fails when the node repeats a page key (a loop) or answers more than ``MAX_PAGES`` pages."""
    page = type(request)()
    page.CopyFrom(request)
    page.pagination.limit = page_size  # type: ignore[attr-defined]
    merged: Message | None = None
    seen: set[bytes] = set()
    for _ in range(MAX_PAGES):
        response = client.call(method, page)
        if merged is None:
            merged = type(response)()
            merged.CopyFrom(response)
            merged.ClearField("pagination")
        else:
            getattr(merged, rows).extend(getattr(response, rows))
        next_key = bytes(response.pagination.next_key)
        if not next_key:
            return merged
        if next_key in seen:
            raise ClientError("the node repeated a page key")
        seen.add(next_key)
        page.pagination.key = next_key  # type: ignore[attr-defined]
    raise ClientError(f"more than {MAX_PAGES} pages")


def fail_on_errors(call: Callable[[], T]) -> T:
    """``call()``; a client, gRPC or input error becomes a ``ClickException`` (exit 1)."""
    try:
        return call()
    except (ValueError, ClientError) as error:
        raise click.ClickException(str(error)) from None
    except grpc.RpcError as error:
        code = error.code()
        if code == grpc.StatusCode.NOT_FOUND:
            raise click.ClickException(f"not found: {error.details()}") from None
        raise click.ClickException(f"{code.name.lower()}: {error.details()}") from None


def run_query(
    node: str, output: str, call: Callable[[Client], Message], table: Table | None = None
) -> None:
    """Run ``call`` on a client of ``node`` and print its answer; errors exit 1."""

    def answer() -> Message:
        with Client(node) as client:
            return call(client)

    click.echo(render(fail_on_errors(answer), output, table))
