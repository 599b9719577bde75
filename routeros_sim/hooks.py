"""Test-hook bookkeeping for the server: the command log and injected misbehaviour."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from routeros_sim.protocol import Request

READ_VERBS = frozenset({"print", "getall", "login", "quit", "cancel", "listen"})
SECRET_ATTRIBUTES = ("password", "response")


@dataclass(frozen=True)
class LogEntry:
    """One received command: its path, its other words as sent (secrets shown as ``***``), the
    connection number and the simulated time."""

    command: str
    words: tuple[str, ...]
    connection: int
    at: float

    @property
    def verb(self) -> str:
        return self.command.rsplit("/", 1)[-1]

    @property
    def attributes(self) -> dict[str, str]:
        return dict(w[1:].split("=", 1) if "=" in w[1:] else (w[1:], "") for w in self.words if w[:1] == "=")

    def __str__(self) -> str:
        return " ".join((self.command, *self.words))


class CommandLog:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._entries: list[LogEntry] = []

    def record(self, connection: int, request: Request, at: float) -> LogEntry:
        words = []
        for word in request.words:
            name = word[1:].split("=", 1)[0] if word.startswith("=") else None
            words.append(f"={name}=***" if name in SECRET_ATTRIBUTES else word)
        entry = LogEntry(request.command, tuple(words), connection, at)
        with self._lock:
            self._entries.append(entry)
        return entry

    def entries(self) -> list[LogEntry]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def writes(self) -> list[LogEntry]:
        return [entry for entry in self.entries() if entry.verb not in READ_VERBS]


@dataclass
class Injection:
    prefix: str
    trap: str | None = None
    category: int | None = None
    delay: float | None = None
    drop: bool | str = False
    times: int | None = 1

    def matches(self, command: str) -> bool:
        return command == self.prefix or command.startswith(self.prefix + "/")


class Injections:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._pending: list[Injection] = []

    def add(self, prefix: str, **options) -> None:
        if options.get("drop") not in (False, True, "before", "after"):
            raise ValueError("drop must be False, True, 'before' or 'after'")
        with self._lock:
            self._pending.append(Injection("/" + prefix.strip("/"), **options))

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def take(self, command: str) -> Injection | None:
        """The first injection matching ``command``, used up once."""
        with self._lock:
            for injection in self._pending:
                if injection.matches(command):
                    if injection.times is not None:
                        injection.times -= 1
                        if injection.times <= 0:
                            self._pending.remove(injection)
                    return injection
        return None


class WriteHooks:
    """Callbacks run after every write command the router executed (see ``RouterSimulator.on_write``),
    under the router's lock, so each one sees the state exactly as that write left it."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._callbacks: list = []

    def add(self, callback) -> None:
        with self._lock:
            self._callbacks.append(callback)

    def remove(self, callback) -> None:
        with self._lock:
            self._callbacks.remove(callback)

    def run(self, entry: LogEntry) -> None:
        """Call every callback with ``entry`` (the caller holds the router's lock)."""
        if entry.verb in READ_VERBS:
            return
        for callback in list(self._callbacks):
            callback(entry)
