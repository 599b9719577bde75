"""``RouterSimulator``: a threaded TCP (optionally TLS) RouterOS API server over ``Router`` state.

Typical test use::

    with RouterSimulator(username="admin", password="pw") as sim:
        api = librouteros.connect("127.0.0.1", "admin", "pw", port=sim.port)
        sim.menu("/ip/hotspot/host").add({"mac-address": "AA:BB:CC:00:00:01", "address": "10.5.0.9"})
        sim.start_flow("10.5.0.9", 100_000_000)
        sim.advance(10)

Reply rule: zero or more ``!re``, then ``!empty`` when a ``print`` found nothing (RouterOS 7.18 and
later), or one or more ``!trap`` (optional ``category`` first, then ``message``), then exactly one
``!done``; a tagged request gets ``.tag=X`` right after the reply word of every sentence. ``!fatal`` only
for ``/quit``, a command before login, or garbage framing. A refused login answers ``!trap`` + ``!done``
and closes the connection.
"""

from __future__ import annotations

import binascii
import contextlib
import hashlib
import hmac
import itertools
import logging
import secrets
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from routeros_sim import tls as tls_files
from routeros_sim import versions
from routeros_sim.catalog import ALREADY
from routeros_sim.hooks import CommandLog, Injections, LogEntry, WriteHooks
from routeros_sim.menus import Result, Trap
from routeros_sim.protocol import (
    EndOfStream,
    FramingError,
    Request,
    SentenceReader,
    encode_sentence,
    parse_request,
    reply,
)
from routeros_sim.router import MenuHandle, Router

logger = logging.getLogger(__name__)

PRE_LOGIN_MAX_WORD = 1 << 16
PLAIN_LOGIN_FAILED = "invalid user name or password (6)"
TOKEN_LOGIN_FAILED = "cannot log in"
# /cancel naming a tag that is not running. Every simulated command finishes before the next is read, so
# no tag is ever running. The text is unverified on a router ([U]); the conformance suite shows it.
CANCEL_NOT_RUNNING = "no such command"


def token_response(challenge: str, password: str) -> str:
    """The pre-6.43 login response: ``00`` + MD5 hex of ``0x00 + password + unhexlify(challenge)``."""
    digest = hashlib.md5(b"\x00" + password.encode() + binascii.unhexlify(challenge), usedforsecurity=False)
    return "00" + digest.hexdigest()


@dataclass
class _Connection:
    number: int
    sock: socket.socket
    logged_in: bool = False
    challenge: str | None = None
    thread: threading.Thread | None = field(default=None, repr=False)


class RouterSimulator:
    """A RouterOS API server for tests and demos. See the module docstring and README.md.

    ``users`` (name -> password) adds accounts besides ``username``/``password``.
    ``queue_name_trap`` / ``binding_mac_trap`` set the trap text for a duplicate simple-queue name or
    ip-binding MAC (``None`` allows duplicates); both are unverified on a real router.
    """

    def __init__(
        self,
        username: str = "admin",
        password: str = "",
        *,
        login_method: str = "plain",
        tls: bool = False,
        version: str = versions.LATEST,
        identity: str = "MikroTik",
        users: dict[str, str] | None = None,
        queue_name_trap: str = ALREADY,
        binding_mac_trap: str | None = None,
        step: float = 0.1,
        max_word: int = 1 << 22,
    ) -> None:
        if login_method not in ("plain", "token"):
            raise ValueError("login_method must be 'plain' or 'token'")
        self.users = {username: password, **(users or {})}
        self.login_method = login_method
        self.tls = tls
        self.behaviour = versions.behaviour(version)
        self.max_word = max_word
        self.router = Router(
            step=step,
            identity=identity,
            queue_name_trap=queue_name_trap,
            binding_mac_trap=binding_mac_trap,
            version=self.behaviour.resource_version,
        )
        self.host: str | None = None
        self.port: int | None = None
        self.cafile: str | None = None
        self._certs: tls_files.CertFiles | None = None
        self._ssl: ssl.SSLContext | None = None
        self._listener: socket.socket | None = None
        self._stopping = threading.Event()
        self._accept_thread: threading.Thread | None = None
        self._connections: dict[int, _Connection] = {}
        self._numbers = itertools.count(1)
        self._log = CommandLog(self.router.lock)
        self._injections = Injections(self.router.lock)
        self._write_hooks = WriteHooks(self.router.lock)

    # ---- lifecycle -----------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> RouterSimulator:
        """Listen and return once the socket accepts connections; ``.port`` holds the bound port."""
        if self.tls:
            self._certs = tls_files.self_signed(host)
            self.cafile = self._certs.cert
            self._ssl = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._ssl.load_cert_chain(self._certs.cert, self._certs.key)
        self._listener = socket.create_server((host, port))
        self._listener.settimeout(0.1)
        self.host, self.port = host, self._listener.getsockname()[1]
        self._stopping.clear()
        self._accept_thread = threading.Thread(target=self._accept_loop, name="routeros-sim", daemon=True)
        self._accept_thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.router.set_realtime(False)
        if self._listener:
            _shutdown(self._listener)  # wakes a blocked accept() at once on Linux; polling covers the rest
        if self._accept_thread:
            self._accept_thread.join(timeout=5)
        if self._listener:
            self._listener.close()
        threads = [c.thread for c in list(self._connections.values()) if c.thread]
        self.drop_connections()
        for thread in threads:
            thread.join(timeout=5)
        if self._certs:
            self._certs.cleanup()

    def __enter__(self) -> RouterSimulator:
        return self if self._listener else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(None)
            conn = _Connection(next(self._numbers), sock)
            conn.thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self.router.lock:
                self._connections[conn.number] = conn
            conn.thread.start()

    def drop_connections(self) -> None:
        """Close every open API connection (clients see the connection drop)."""
        with self.router.lock:
            conns = list(self._connections.values())
        for conn in conns:
            _shutdown(conn.sock)

    # ---- one connection ------------------------------------------------------------------------

    def _serve(self, conn: _Connection) -> None:
        try:
            if self._ssl is not None:
                conn.sock.settimeout(10)
                conn.sock = self._ssl.wrap_socket(conn.sock, server_side=True)
                conn.sock.settimeout(None)
            reader = SentenceReader(conn.sock, max_word=PRE_LOGIN_MAX_WORD)
            while not self._stopping.is_set():
                try:
                    words = reader.read_sentence()
                except EndOfStream:
                    return
                except FramingError as exc:
                    self._send(conn, [["!fatal", f"malformed sentence: {exc}"]])
                    return
                if not words:
                    continue  # the router ignores empty sentences
                if not self._handle(conn, parse_request(words)):
                    return
                if conn.logged_in:
                    reader.max_word = self.max_word
        except (OSError, ssl.SSLError):
            return  # the peer went away, or the socket was closed under us (stop, reboot, drop)
        except Exception:
            logger.exception("routeros simulator: connection %s failed", conn.number)
        finally:
            _hard_close(conn.sock)
            with self.router.lock:
                self._connections.pop(conn.number, None)

    def _handle(self, conn: _Connection, request: Request) -> bool:
        """Answer one sentence; False closes the connection."""
        logged = self._log.record(conn.number, request, self.router.now())
        injection = self._injections.take(request.command)
        if injection and injection.delay:
            time.sleep(injection.delay)
        if injection and injection.drop in (True, "before"):
            return False
        if injection and injection.trap is not None:
            return self._send(conn, _traps([(injection.trap, injection.category)], request.tag))
        if request.command == "/quit":
            self._send(conn, [["!fatal", "session terminated on request"]])
            return False
        if request.command == "/login":
            sentences = self._login(conn, request)
            if sentences[0][0] == "!trap":
                # A refused login ends the session: the router sends the trap and !done, then closes.
                self._send(conn, sentences)
                return False
        elif not conn.logged_in:
            self._send(conn, [["!fatal", "not logged in"]])
            return False
        elif request.command == "/system/reboot":
            self.router.reboot()  # state first, so a client that saw !done sees the rebooted router
            self._send(conn, [reply("!done", tag=request.tag)])
            self.drop_connections()
            return False
        else:
            sentences = self._execute(request, logged)
        if injection and injection.drop == "after":
            return False
        return self._send(conn, sentences)

    def _execute(self, request: Request, logged: LogEntry) -> list[list[str]]:
        if request.command == "/cancel":
            if "tag" in request.attributes:  # nothing is ever still running here (see CANCEL_NOT_RUNNING)
                return _traps([(CANCEL_NOT_RUNNING, None)], request.tag)
            return [reply("!done", tag=request.tag)]
        try:
            if request.unknown:
                raise Trap(f"unknown parameter {request.unknown[0]}")
            with self.router.lock:  # the write and the hooks' look at its outcome, with nothing in between
                try:
                    result: Result = self.router.execute(request)
                finally:
                    self._write_hooks.run(logged)
        except Trap as trap:
            return _traps(trap.traps, request.tag)
        except Exception as exc:  # a simulator bug: report it, keep serving
            logger.exception("routeros simulator: %s failed", request.command)
            return _traps([(f"simulator error: {exc}", None)], request.tag)
        sentences = [reply("!re", row, request.tag) for row in result.rows]
        if result.printed and not result.rows and self.behaviour.empty_reply:
            sentences.append(reply("!empty", tag=request.tag))
        sentences.append(reply("!done", None if result.ret is None else {"ret": result.ret}, request.tag))
        return sentences

    def _login(self, conn: _Connection, request: Request) -> list[list[str]]:
        attrs, tag = request.attributes, request.tag
        name = attrs.get("name")
        if self.login_method == "token":
            if "name" not in attrs and "response" not in attrs and "password" not in attrs:
                conn.challenge = secrets.token_hex(16)
                return [reply("!done", {"ret": conn.challenge}, tag)]
            challenge, conn.challenge = conn.challenge, None
            ok = (
                challenge is not None
                and name in self.users
                and hmac.compare_digest(
                    attrs.get("response", ""), token_response(challenge, self.users[name])
                )
            )
            failure = TOKEN_LOGIN_FAILED
        else:
            ok = name in self.users and "password" in attrs
            ok = ok and hmac.compare_digest(attrs["password"].encode(), self.users[name].encode())
            failure = PLAIN_LOGIN_FAILED
        if not ok:
            return _traps([(failure, None)], tag)
        conn.logged_in = True
        return [reply("!done", tag=tag)]

    def _send(self, conn: _Connection, sentences: list[list[str]]) -> bool:
        conn.sock.sendall(b"".join(encode_sentence(s) for s in sentences))
        return True

    # ---- log and injections --------------------------------------------------------------------

    @property
    def log(self) -> list[LogEntry]:
        """Every command received, oldest first (a copy)."""
        return self._log.entries()

    def clear_log(self) -> None:
        self._log.clear()

    def writes(self) -> list[LogEntry]:
        """Logged commands that may change state: anything but print/getall/login/quit/cancel/listen."""
        return self._log.writes()

    def inject(
        self,
        command_prefix: str,
        *,
        trap: str | None = None,
        category: int | None = None,
        delay: float | None = None,
        drop: bool | str = False,
        times: int | None = 1,
    ) -> None:
        """Misbehave on the next ``times`` commands (``None`` = until ``clear_injections()``) whose path is
        ``command_prefix`` or lies under it (``/queue/simple`` matches ``/queue/simple/set``).

        ``delay`` sleeps that many seconds first; then ``drop=True`` (or ``"before"``) closes the
        connection without executing or answering, ``drop="after"`` executes the command and closes
        without answering (the write happened, the client never learns), and ``trap`` answers
        ``!trap =message=<trap>`` (plus ``category``) + ``!done`` without executing."""
        self._injections.add(
            command_prefix, trap=trap, category=category, delay=delay, drop=drop, times=times
        )

    def clear_injections(self) -> None:
        self._injections.clear()

    def on_write(self, callback) -> None:
        """Call ``callback(log_entry)`` after every write command the router executed (refused ones
        too), under the router's lock: it may read ``menu(...).rows()`` to sample the state each write
        left. ``remove_write_hook(callback)`` stops it."""
        self._write_hooks.add(callback)

    def remove_write_hook(self, callback) -> None:
        self._write_hooks.remove(callback)

    # ---- state hooks (delegated to Router) -----------------------------------------------------

    def menu(self, path: str) -> MenuHandle:
        """The menu at ``path`` (``/queue/simple``): ``.rows()``, ``.get(id)``,
        ``.add(values, dynamic=None)``, ``.set(id, values)``, ``.remove(id)``."""
        return self.router.menu(path)

    def now(self) -> float:
        """Simulated seconds since the simulator was created."""
        return self.router.now()

    def advance(self, seconds: float) -> None:
        """Move the clock in steps (``step``, default 0.1 s), applying active flows at each step and
        expiring address-list timeouts."""
        self.router.advance(seconds)

    def start_flow(
        self, ip: str, bits_per_second: int, seconds: float | None = None, direction: str = "down"
    ) -> int:
        """Start a flow to (``down``) or from (``up``) ``ip`` (or a MAC known to the router); it is
        applied by ``advance()`` and ends after ``seconds`` of simulated time, or on ``stop_flow``."""
        return self.router.start_flow(ip, bits_per_second, seconds, direction)

    def stop_flow(self, flow_id: int) -> None:
        self.router.stop_flow(flow_id)

    def add_traffic(self, ip: str, bytes_per_second: int, seconds: float, direction: str = "down") -> int:
        """Apply a flow of ``bytes_per_second`` for ``seconds`` at once, alone, without moving the clock
        (other flows do not share its queue meanwhile). Returns the bytes that got through."""
        return self.router.add_traffic(ip, bytes_per_second, seconds, direction)

    def set_realtime(self, enabled: bool = True) -> None:
        """Advance the clock with wall time in a background thread (for live demos)."""
        self.router.set_realtime(enabled)

    def reboot(self, renumber: bool = False) -> None:
        """Zero queue counters, drop dynamic entries (timed address-list entries, hotspot hosts and
        sessions, dynamic leases and ARP), restart uptime and drop open connections. ``renumber=True``
        also gives every remaining entry a new ``.id``."""
        self.router.reboot(renumber)
        self.drop_connections()

    @property
    def address(self) -> tuple[str | None, int | None]:
        return self.host, self.port


def _traps(traps: list[tuple[str, int | None]], tag: str | None) -> list[list[str]]:
    """``!trap`` sentences (``=category=`` before ``=message=``, as in the manual's examples and the
    captures in librouteros' docs/api_analysis.rst), then ``!done``."""
    sentences = []
    for message, category in traps:
        attrs: dict[str, Any] = {} if category is None else {"category": str(category)}
        attrs["message"] = message
        sentences.append(reply("!trap", attrs, tag))
    return [*sentences, reply("!done", tag=tag)]


def _shutdown(sock: socket.socket) -> None:
    """Shut a socket down from any thread: its blocked reader sees EOF, the peer sees the close.
    (The plain-socket method is used on TLS sockets too, so no TLS state is touched here.)"""
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _hard_close(sock: socket.socket) -> None:
    _shutdown(sock)
    with contextlib.suppress(OSError):
        sock.close()
