"""The ``print`` query stack (reference A6), as pure functions.

Each row is evaluated against a boolean stack that starts as an infinite supply of ``true``; the
row matches when no ``false`` remains at the end. Words:

* ``?name`` pushes "name is present", ``?-name`` pushes "name is absent";
* ``?name=x`` and ``?=name=x`` push "name equals x"; ``?<name=x`` / ``?>name=x`` push less/greater;
* ``?#ops`` runs stack operations left to right: a run of digits is an index (top = 0); an index
  followed by another character pushes a copy of that value, an index at the end of the word
  replaces the whole stack with that value; ``!`` negates the top; ``&`` and ``|`` pop two values
  and push the result; ``.`` after an index does nothing, ``.`` elsewhere pushes a copy of the top.

Values are compared after normalisation: MAC addresses upper-case, an IPv4 address equals the same
address with ``/32`` (also inside comma lists), and ``yes``/``true`` and ``no``/``false`` are the
same boolean. ``<`` and ``>`` compare as integers when both sides parse as integers, otherwise as
strings. A property the row does not have compares as the empty string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

_MAC = re.compile(r"^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$")
_IPV4_32 = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){3})/32$")
_BOOLS = {"yes": "true", "true": "true", "no": "false", "false": "false"}
_INT = re.compile(r"^-?\d+$")


class QueryError(ValueError):
    """A query word that cannot be parsed."""


@dataclass(frozen=True)
class Push:
    """Push the result of a test: ``op`` is one of present, absent, eq, lt, gt."""

    op: str
    name: str
    value: str = ""

    # The query's own side, prepared once per print rather than once per row.
    @cached_property
    def normalised(self) -> str:
        return normalise(self.value)

    @cached_property
    def integer(self) -> int | None:
        return int(self.value) if _INT.match(self.value) else None


@dataclass(frozen=True)
class Ops:
    """A ``?#`` word: the raw operation string."""

    ops: str


Item = Push | Ops


def parse_word(word: str) -> Item:
    if not word.startswith("?") or len(word) < 2:
        raise QueryError(f"not a query word: {word!r}")
    body = word[1:]
    lead = body[0]
    if lead == "#":
        _check_ops(body[1:])
        return Ops(body[1:])
    if lead in "=<>":
        name, sep, value = body[1:].partition("=")
        if not name:
            raise QueryError(f"query word without a property name: {word!r}")
        return Push({"=": "eq", "<": "lt", ">": "gt"}[lead], name, value)
    if lead == "-":
        if not body[1:]:
            raise QueryError(f"query word without a property name: {word!r}")
        return Push("absent", body[1:])
    name, sep, value = body.partition("=")
    return Push("eq", name, value) if sep else Push("present", name)


def parse(words: Iterable[str]) -> list[Item]:
    return [parse_word(word) for word in words]


def _check_ops(ops: str) -> None:
    for char in ops:
        if not (char.isdigit() or char in "!&|."):
            raise QueryError(f"unknown query operation {char!r} in ?#{ops}")


def normalise(value: str) -> str:
    """Canonical form used for comparisons (see module docstring)."""
    if "," in value:
        return ",".join(normalise(part) for part in value.split(","))
    if value.lower() in _BOOLS:
        return _BOOLS[value.lower()]
    if _MAC.match(value):
        return value.upper().replace("-", ":")
    match = _IPV4_32.match(value)
    if match:
        return match.group(1)
    return value


def compare(left: str, right: str) -> int:
    """-1, 0 or 1: integers numerically when both sides are integers, else normalised strings."""
    if _INT.match(left) and _INT.match(right):
        a, b = int(left), int(right)
    else:
        a, b = normalise(left), normalise(right)
    return (a > b) - (a < b)


class _Stack:
    """A stack over an infinite supply of ``true``: reading or popping past the bottom gives true."""

    def __init__(self) -> None:
        self.values: list[bool] = []

    def push(self, value: bool) -> None:
        self.values.append(value)

    def pop(self) -> bool:
        return self.values.pop() if self.values else True

    def peek(self, index: int = 0) -> bool:
        return self.values[-1 - index] if index < len(self.values) else True

    def replace_all(self, value: bool) -> None:
        self.values = [value]


def _run_ops(stack: _Stack, ops: str) -> None:
    i, after_index = 0, False
    while i < len(ops):
        char = ops[i]
        if char.isdigit():
            j = i
            while j < len(ops) and ops[j].isdigit():
                j += 1
            value = stack.peek(int(ops[i:j]))
            if j == len(ops):
                stack.replace_all(value)
            else:
                stack.push(value)
            i, after_index = j, True
            continue
        if char == "!":
            stack.push(not stack.pop())
        elif char in "&|":
            a, b = stack.pop(), stack.pop()
            stack.push((a and b) if char == "&" else (a or b))
        elif char == "." and not after_index:
            stack.push(stack.peek())
        i, after_index = i + 1, False


def _test(push: Push, row: Mapping[str, str]) -> bool:
    if push.op == "present":
        return push.name in row
    if push.op == "absent":
        return push.name not in row
    actual = row.get(push.name, "")
    if push.op == "eq":
        return normalise(actual) == push.normalised
    if push.integer is not None and _INT.match(actual):
        a, b = int(actual), push.integer
    else:
        a, b = normalise(actual), push.normalised
    return a < b if push.op == "lt" else a > b


def evaluate(items: list[Item], row: Mapping[str, str]) -> bool:
    """True when ``row`` (property name -> wire string) satisfies the parsed query."""
    stack = _Stack()
    for item in items:
        if isinstance(item, Ops):
            _run_ops(stack, item.ops)
        else:
            stack.push(_test(item, row))
    return all(stack.values)


def matches(words: Iterable[str], row: Mapping[str, str]) -> bool:
    return evaluate(parse(words), row)


def select(words: Iterable[str], rows: Iterable[Mapping[str, str]]) -> list[Mapping[str, str]]:
    """The rows matching the query words, in order."""
    items = parse(words)
    return [row for row in rows if evaluate(items, row)]
