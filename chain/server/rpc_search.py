"""The CometBFT event query language of ``tx_search`` and ``block_search``, and their paging.

Owns ``parse_query`` (``key op operand`` conditions joined by ``AND``; ``op`` one of ``=``, ``<``,
``<=``, ``>``, ``>=``, ``CONTAINS``, ``EXISTS``; operands 'quoted strings' or numbers, compared as
numbers when the operand is one; ``tx.hash`` compared case-insensitively), the attributes a
condition is matched against (``type.key`` of every event attribute), and CometBFT's paging and
ordering checks (``page``/``per_page``, ``order_by`` ``asc``/``desc``).

Fails when (``RpcError`` -32603 internal, as CometBFT reports them): the query does not parse;
the page is out of range; ``order_by`` is neither ``asc``, ``desc`` nor empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from chain.sdk.events import Event
from chain.server.jsonrpc import internal

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


@dataclass(frozen=True, slots=True)
class Condition:
    key: str
    op: str  # = < <= > >= CONTAINS EXISTS
    operand: str | Decimal | None

    def holds(self, values: Sequence[str]) -> bool:
        if self.op == "EXISTS":
            return bool(values)
        return any(self._holds(value) for value in values)

    def _holds(self, value: str) -> bool:
        operand = self.operand
        if isinstance(operand, Decimal):
            try:
                number = Decimal(value)
            except (InvalidOperation, ValueError):
                return False
            if not number.is_finite():
                return False
            return _compare(self.op, number, operand)
        assert operand is not None
        if self.op == "CONTAINS":
            return operand in value
        if self.key == "tx.hash":
            value, operand = value.upper(), operand.upper()
        return _compare(self.op, value, operand)


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "=":
        return bool(left == right)
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    if op == ">=":
        return bool(left >= right)
    return False


_QUERY_TOKEN = re.compile(r"\s*(?:('[^']*')|(<=|>=|=|<|>)|([^\s'<>=]+))")


def parse_query(query: str) -> list[Condition]:
    """Parse ``key op operand [AND ...]``; operands are 'strings' or numbers.

    Fails (``RpcError`` internal, as CometBFT reports a bad query) on anything else.
    """
    tokens: list[tuple[str, str]] = []
    position = 0
    text = query.strip()
    while position < len(text):
        match = _QUERY_TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise internal(f"failed to parse query: unexpected input at {position}")
        quoted, op, word = match.groups()
        if quoted is not None:
            tokens.append(("str", quoted[1:-1]))
        elif op is not None:
            tokens.append(("op", op))
        else:
            tokens.append(("word", word))
        position = match.end()
    conditions: list[Condition] = []
    index = 0
    while True:
        if index >= len(tokens) or tokens[index][0] != "word":
            raise internal("failed to parse query: expected a key")
        key = tokens[index][1]
        index += 1
        if index >= len(tokens):
            raise internal(f"failed to parse query: expected an operator after {key}")
        kind, value = tokens[index]
        index += 1
        if kind == "word" and value == "EXISTS":
            conditions.append(Condition(key, "EXISTS", None))
        else:
            if kind == "op" or (kind == "word" and value == "CONTAINS"):
                op = value
            else:
                raise internal(f"failed to parse query: unexpected {value!r} after {key}")
            if index >= len(tokens):
                raise internal(f"failed to parse query: expected an operand for {key}")
            operand_kind, operand_text = tokens[index]
            index += 1
            operand: str | Decimal
            if operand_kind == "str":
                operand = operand_text
            elif operand_kind == "word" and op != "CONTAINS":
                try:
                    operand = Decimal(operand_text)
                except (InvalidOperation, ValueError):
                    raise internal(f"failed to parse query: bad operand {operand_text!r}") from None
                if not operand.is_finite():
                    raise internal(f"failed to parse query: bad operand {operand_text!r}")
            else:
                raise internal(f"failed to parse query: bad operand {operand_text!r}")
            conditions.append(Condition(key, op, operand))
        if index == len(tokens):
            return conditions
        if tokens[index] != ("word", "AND"):
            raise internal(f"failed to parse query: expected AND, got {tokens[index][1]!r}")
        index += 1


def collect_attributes(events: Iterable[Event], into: dict[str, list[str]]) -> dict[str, list[str]]:
    for event in events:
        for key, value in event.attributes:
            into.setdefault(f"{event.type}.{key}", []).append(value)
    return into


def page_bounds(page: int | None, per_page: int | None, total: int) -> tuple[int, int]:
    """(skip, per page) as CometBFT validates them."""
    size = DEFAULT_PER_PAGE if per_page is None or per_page < 1 else min(per_page, MAX_PER_PAGE)
    if page is None:
        return 0, size
    pages = max((total - 1) // size + 1, 1)
    if page <= 0 or page > pages:
        raise internal(f"page should be within [1, {pages}] range, given {page}")
    return (page - 1) * size, size


def orders_newest_first(order_by: str | None) -> bool:
    """Whether results come newest first."""
    if order_by in (None, "", "asc"):
        return False
    if order_by == "desc":
        return True
    raise internal("expected order_by to be either `asc` or `desc` or empty")


__all__ = [
    "DEFAULT_PER_PAGE",
    "MAX_PER_PAGE",
    "Condition",
    "collect_attributes",
    "orders_newest_first",
    "page_bounds",
    "parse_query",
]
