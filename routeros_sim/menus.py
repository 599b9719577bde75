"""A generic RouterOS menu table: fields, validation, ``.id`` allocation and the menu commands.

The concrete menus (their fields and special rules) are declared in ``catalog.py``. Values are kept
as the wire strings that ``print`` shows; a missing key means "unset" and is left out of ``print``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from routeros_sim import query
from routeros_sim.clock import Clock
from routeros_sim.index import MenuIndex
from routeros_sim.protocol import Request
from routeros_sim.values import boolean, format_bool

PRINT_IGNORED = ("detail", "stats", "without-paging", "terse", "brief", "value-list")


class Trap(Exception):
    """A command failed: the server answers ``!trap [=category=…] =message=…`` then ``!done``."""

    def __init__(self, message: str, category: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.category = category

    @property
    def traps(self) -> list[tuple[str, int | None]]:
        """Every ``!trap`` sentence of the reply, in order, as (message, category)."""
        return [(self.message, self.category)]


class NoSuchCommand(Trap):
    """An unknown menu or command. RouterOS answers two traps before ``!done``:
    ``=category=0 =message=no such command or directory (<the first unknown name>)``, then
    ``=message=no such command prefix`` (clients join them: Home Assistant's mikrotik integration logs
    "no such command or directory (routerboard), no such command prefix", home-assistant/core#68115)."""

    PREFIX = "no such command prefix"

    def __init__(self, name: str) -> None:
        super().__init__(f"no such command or directory ({name})", 0)
        self.name = name

    @property
    def traps(self) -> list[tuple[str, int | None]]:
        return [(self.message, self.category), (self.PREFIX, None)]


@dataclass(frozen=True)
class Field:
    """One property. ``parse`` normalises a wire value or raises ValueError; ``enum`` selects the
    trap text for a bad value (``input does not match any value of`` vs ``invalid value for argument``)."""

    name: str
    default: str | None = None
    parse: Callable[[str], str] | None = None
    read_only: bool = False
    enum: bool = False
    required: bool = False

    def clean(self, raw: str) -> str:
        if self.parse is None:
            return raw
        try:
            return self.parse(raw)
        except (ValueError, TypeError) as exc:
            if self.enum:
                raise Trap(f"input does not match any value of {self.name}", 1) from exc
            raise Trap(f"invalid value for argument {self.name}", 1) from exc


def text(name: str, default: str | None = None, **kw) -> Field:
    return Field(name, default, **kw)


def flag(name: str, default: str | None = "false", **kw) -> Field:
    return Field(name, default, boolean, enum=True, **kw)


def enum(name: str, parse: Callable[[str], str], default: str | None = None, **kw) -> Field:
    return Field(name, default, parse, enum=True, **kw)


@dataclass(eq=False)
class Entry:
    """One row. ``number`` gives the ``.id`` (``*`` + upper hex); ``scratch`` holds simulator-only state.
    Compared by identity, so finding one in a menu's list costs no field comparisons."""

    number: int
    values: dict[str, str]
    dynamic: bool = False
    born_ms: int = 0
    seen_ms: int = 0
    expires_ms: int | None = None
    scratch: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"*{self.number:X}"


@dataclass
class Result:
    """What a command produced: rows for ``!re``, an optional ``=ret=`` for ``!done``."""

    rows: list[dict[str, str]] = field(default_factory=list)
    ret: str | None = None
    printed: bool = False


@dataclass
class MenuSpec:
    """Declaration of a menu. ``verbs`` are the generic commands it supports besides print/getall;
    ``commands`` adds menu-specific ones (``make-static``); ``unique`` maps a tuple of field names to the
    trap message for a duplicate; ``name_field`` may be used in place of ``.id``."""

    path: str
    fields: list[Field]
    verbs: frozenset[str] = frozenset({"add", "set", "remove", "enable", "disable", "unset"})
    commands: dict[str, Callable[[Menu, Request], Result]] = field(default_factory=dict)
    singleton: bool = False
    unique: dict[tuple[str, ...], str] = field(default_factory=dict)
    name_field: str | None = None
    auto_name: str | None = None
    ordered: bool = False
    dynamic_field: bool = True
    dynamic_default: bool = False
    render: Callable[[Menu, Entry], dict[str, str]] | None = None
    on_write: Callable[[Menu, Entry, dict[str, str | None], bool], None] | None = None
    check: Callable[[Menu, Entry, dict[str, str]], None] | None = None

    def auto_name_field(self) -> str:
        return self.name_field or "name"

    def key_sets(self) -> list[tuple[str, ...]]:
        """The field tuples a menu indexes: its unique keys, its name field and its auto-named field."""
        names = [self.name_field] if self.name_field else []
        names += [self.auto_name_field()] if self.auto_name else []
        return [*self.unique, *((name,) for name in names)]


class Menu:
    """State and commands of one menu; callers hold the router lock.

    ``entries`` is the menu order; an index (``index.py``) finds entries by ``.id``, name and unique
    key without scanning it. Change entries only through the methods here (``add``, ``set``,
    ``remove``, ``expire``, ``keep``, ``renumber``) or by assigning ``entries`` (which re-indexes);
    counters and timestamps may be written in place, key fields may not."""

    def __init__(self, spec: MenuSpec, clock: Clock) -> None:
        self.spec = spec
        self.clock = clock
        self.fields = {f.name: f for f in spec.fields}
        self._index = MenuIndex(spec.key_sets())
        self.entries = [Entry(0, self._defaults())] if spec.singleton else []
        self.counter = 0
        self.siblings: dict[str, Menu] = {}  # every menu of the router, by path (cross-menu checks)

    @property
    def path(self) -> str:
        return self.spec.path

    @property
    def entries(self) -> list[Entry]:
        """The entries in menu order (read it; do not append to or remove from it directly)."""
        return self._entries

    @entries.setter
    def entries(self, entries: list[Entry]) -> None:
        self._entries = list(entries)
        self._index.rebuild(self._entries)

    def _defaults(self) -> dict[str, str]:
        return {f.name: f.default for f in self.spec.fields if f.default is not None}

    # ---- lookups -------------------------------------------------------------------------------

    def find(self, ref: str) -> Entry:
        ref = ref.strip()
        if ref.startswith("*"):
            try:
                number = int(ref[1:], 16)
            except ValueError:
                number = None
            entry = self._index.by_number.get(number)
            if entry is not None and entry.id == ref.upper():
                return entry
        if self.spec.name_field:
            named = self.holding((self.spec.name_field,), (ref,))
            if len(named) == 1:
                return self._index.by_number[next(iter(named))]
            for entry in self.entries if named else ():  # duplicates planted by a hook: the first wins
                if entry.number in named:
                    return entry
        raise Trap("no such item")

    def holding(self, keys: tuple[str, ...], key: tuple[str, ...]) -> set[int]:
        """Numbers of the entries whose fields ``keys`` now hold ``key`` (an indexed key set)."""
        return self._index.holders(keys, key)

    def resolve(self, request: Request) -> list[Entry]:
        refs = request.attributes.get(".id", request.attributes.get("numbers"))
        if self.spec.singleton:
            return self.entries[:1]
        if not refs:
            raise Trap("no such item")
        entries = []
        for ref in refs.split(","):
            entry = self.find(ref)
            if entry not in entries:
                entries.append(entry)
        return entries

    # ---- validation ----------------------------------------------------------------------------

    def clean(self, attrs: dict[str, str], *, trusted: bool = False) -> dict[str, str | None]:
        """Validate and normalise attributes; ``None`` means "unset". ``trusted`` (test hooks) may
        write read-only fields."""
        out: dict[str, str | None] = {}
        for name, raw in attrs.items():
            spec = self.fields.get(name)
            if spec is None or (spec.read_only and not trusted):
                raise Trap(f"unknown parameter {name}")
            if raw == "" and spec.default is None:
                out[name] = None
            else:
                out[name] = spec.clean(raw)
        return out

    def _check_unique(self, pending: dict[int, dict[str, str]], changed: set[str] | None = None) -> None:
        """``pending`` maps entry number to prospective values. Only conflicts that involve a pending
        entry count, and for ``set`` only unique keys whose fields are being ``changed``: a pending entry
        collides with another pending one, or with an entry that keeps its current values."""
        for keys, message in self.spec.unique.items():
            if changed is not None and not changed.intersection(keys):
                continue
            claimed: set[tuple] = set()
            for values in pending.values():
                key = MenuIndex.key_of(keys, values)
                if key is None:
                    continue
                if key in claimed or any(n not in pending for n in self.holding(keys, key)):
                    raise Trap(message)
                claimed.add(key)

    @staticmethod
    def _apply(values: dict[str, str], changes: dict[str, str | None]) -> dict[str, str]:
        new = dict(values)
        for name, value in changes.items():
            if value is None:
                new.pop(name, None)
            else:
                new[name] = value
        return new

    # ---- operations (API and hooks) -----------------------------------------------------------

    def add(
        self,
        attrs: dict[str, str],
        *,
        trusted: bool = False,
        dynamic: bool | None = None,
        before: Entry | None = None,
    ) -> Entry:
        changes = self.clean(attrs, trusted=trusted)
        values = self._apply(self._defaults(), changes)
        if self.spec.auto_name and not values.get(self.spec.auto_name_field()):
            values[self.spec.auto_name_field()] = self._auto_name()
        missing = [f.name for f in self.spec.fields if f.required and not values.get(f.name)]
        if missing:
            raise Trap(f"missing value(s) of argument(s) {', '.join(missing)}", 1)
        entry = Entry(
            self.counter + 1,
            values,
            dynamic=self.spec.dynamic_default if dynamic is None else dynamic,
            born_ms=self.clock.now_ms,
            seen_ms=self.clock.now_ms,
        )
        if self.spec.check:
            self.spec.check(self, entry, values)
        if not trusted:
            self._check_unique({entry.number: values})
        self.counter += 1
        if before is not None:
            self._entries.insert(self._entries.index(before), entry)
        else:
            self._entries.append(entry)
        if self.spec.on_write:
            self.spec.on_write(self, entry, changes, True)
        self._index.add(entry)
        return entry

    def _auto_name(self) -> str:
        keys = (self.spec.auto_name_field(),)
        n = 1
        while self.holding(keys, (f"{self.spec.auto_name}{n}",)):
            n += 1
        return f"{self.spec.auto_name}{n}"

    def set(self, entries: list[Entry], attrs: dict[str, str], *, trusted: bool = False) -> None:
        changes = self.clean(attrs, trusted=trusted)
        pending = {e.number: self._apply(e.values, changes) for e in entries}
        for entry in entries:
            if self.spec.check:
                self.spec.check(self, entry, pending[entry.number])
        if not trusted:
            self._check_unique(pending, set(changes))
        for entry in entries:
            entry.values = pending[entry.number]
            if self.spec.on_write:
                self.spec.on_write(self, entry, changes, False)
            self._index.refresh(entry)

    def remove(self, entries: list[Entry]) -> None:
        if len(entries) > 16:  # one pass over the menu instead of one per entry
            gone = {id(entry) for entry in entries}
            self._entries = [entry for entry in self._entries if id(entry) not in gone]
        else:
            for entry in entries:
                self._entries.remove(entry)
        for entry in entries:
            self._index.discard(entry)

    def expire(self, now_ms: int) -> None:
        """Drop entries whose timeout has run out (cheap when none has)."""
        due = self._index.expired(now_ms)
        if due:
            self.remove(due)

    def keep(self, wanted: Callable[[Entry], bool]) -> None:
        """Drop every entry for which ``wanted`` is false (reboot)."""
        self.entries = [entry for entry in self._entries if wanted(entry)]

    def renumber(self) -> None:
        """Give every entry a fresh ``.id`` in menu order (reboot with renumbering)."""
        for entry in self._entries:
            self.counter += 1
            entry.number = self.counter
        self.entries = self._entries

    def render(self, entry: Entry) -> dict[str, str]:
        row = {} if self.spec.singleton else {".id": entry.id}
        row.update((name, entry.values[name]) for name in self.fields if name in entry.values)
        row.update(entry.values)  # anything not declared keeps its place after the fields
        if self.spec.dynamic_field and not self.spec.singleton:
            row["dynamic"] = format_bool(entry.dynamic)
        if self.spec.render:
            row.update(self.spec.render(self, entry))
        return row

    def rows(self) -> list[dict[str, str]]:
        return [self.render(entry) for entry in self.entries]

    # ---- the API commands ----------------------------------------------------------------------

    def execute(self, request: Request) -> Result:
        verb = request.verb
        if verb in ("print", "getall"):
            return self._print(request)
        if verb in self.spec.commands:
            return self.spec.commands[verb](self, request)
        if verb not in self.spec.verbs:
            raise NoSuchCommand(verb)
        attrs = {k: v for k, v in request.attributes.items() if k not in (".id", "numbers")}
        if verb == "add":
            before = None
            if self.spec.ordered and "place-before" in attrs:
                before = self.find(attrs.pop("place-before"))
            return Result(ret=self.add(attrs, before=before).id)
        entries = self.resolve(request)
        if verb == "set":
            self.set(entries, attrs)
        elif verb == "remove":
            self.remove(entries)
        elif verb in ("enable", "disable"):
            self.set(entries, {"disabled": "true" if verb == "disable" else "false"})
        elif verb == "unset":
            names = [n for n in attrs.get("value-name", "").split(",") if n]
            unknown = [n for n in names if n not in self.fields or self.fields[n].read_only]
            if not names or unknown:
                raise Trap(f"unknown parameter {(unknown or ['value-name'])[0]}")
            defaults = {n: self.fields[n].default for n in names}
            self.set(entries, {n: d if d is not None else "" for n, d in defaults.items()})
        elif verb == "move":
            self._move(entries, attrs.get("destination"))
        return Result()

    def _move(self, entries: list[Entry], destination: str | None) -> None:
        target = self.find(destination) if destination else None
        for entry in entries:
            self._entries.remove(entry)
        index = self._entries.index(target) if target in self._entries else len(self._entries)
        self._entries[index:index] = entries

    def _print(self, request: Request) -> Result:
        attrs = dict(request.attributes)
        proplist = attrs.pop(".proplist", None)
        count_only = attrs.pop("count-only", None) is not None
        refs = attrs.pop("from", None)
        for name in PRINT_IGNORED:
            attrs.pop(name, None)
        if attrs:
            raise Trap(f"unknown parameter {next(iter(attrs))}")
        try:
            items = query.parse(request.queries)
        except query.QueryError as exc:
            raise Trap(str(exc)) from exc
        entries = self.entries
        if refs:
            wanted = {self.find(ref).number for ref in refs.split(",")}
            entries = [e for e in entries if e.number in wanted]
        rows = [row for row in (self.render(e) for e in entries) if query.evaluate(items, row)]
        if count_only:
            return Result(ret=str(len(rows)))
        if proplist is not None:
            names = [n for n in proplist.split(",") if n]
            rows = [{n: row[n] for n in names if n in row} for row in rows]
        return Result(rows=rows, printed=True)
