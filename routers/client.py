"""Connections to RouterOS through librouteros, with timeouts, optional TLS, bounded retries, and our errors.

For other engineers:

- `connect(router, *, timeout=None, attempts=None)` is a context manager yielding a librouteros `Api`
  (`api.path("/ip/arp")`, `api("/system/identity/print")`). `router` is a `routers.models.Router` (or
  anything with name, host, port, use_tls, username, password). Connect and read timeouts default to
  `settings.MIKROTIK_TIMEOUT_S`; set-up is tried `settings.MIKROTIK_CONNECT_ATTEMPTS` times with
  exponential backoff. Every failure, at connect time or later inside the block, arrives as one of:
- `RouterError`: the router answered a command with a trap (`.message` holds RouterOS's text).
- `RouterUnavailable(RouterError)`: the router could not be used at all: unreachable, timed out, refused
  the login, closed the connection or answered something that is not the RouterOS API. The connection is
  closed. Messages name the router and host, never the credentials, and are in the active language (staff
  read them as the router's last error in the admin).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import logging
import socket
import ssl
import time
from contextlib import contextmanager

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from librouteros import Api, ApiProtocol, SocketTransport, plain
from librouteros.exceptions import (
    ConnectionClosed,
    FatalError,
    LibRouterosError,
    MultiTrapError,
    ProtocolError,
    TrapError,
)
from librouteros.protocol import compose_word

logger = logging.getLogger(__name__)

LOGIN_REFUSED_MARKERS = ("invalid user name or password", "cannot log in")
# The network errors an operator meets, in words staff can read (the OS gives them in English).
_OS_REASONS = {
    errno.ECONNREFUSED: gettext_noop("connection refused"),
    errno.ECONNRESET: gettext_noop("connection reset"),
    errno.EHOSTUNREACH: gettext_noop("host unreachable"),
    errno.ENETUNREACH: gettext_noop("network unreachable"),
}


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return _("unknown host name")
    if exc.errno in _OS_REASONS:
        return _(_OS_REASONS[exc.errno])
    return exc.strerror or exc.__class__.__name__


class RouterError(Exception):
    """A RouterOS command failed with a trap; the connection is still usable."""

    def __init__(self, message: str, *, category: int | None = None):
        super().__init__(message)
        self.message = message
        self.category = category


class RouterUnavailable(RouterError):
    """The router could not be reached or used; nothing more can be done on this connection."""


class RouterBusy(RouterUnavailable):
    """Another run held the router's writer lock for as long as this one could wait (routers.locks)."""


class _LoginFailed(RouterUnavailable):
    """The router answered and refused the login: trying again would only be refused again."""


def _trap_message(exc: TrapError | MultiTrapError) -> tuple[str, int | None]:
    if isinstance(exc, MultiTrapError):
        return str(exc), None
    category = exc.category if isinstance(exc.category, int) else None
    return str(exc.message), category


class GuardedApi(Api):
    """librouteros' Api whose every failure becomes RouterError or RouterUnavailable.

    A router answering garbage (a word without `=`, an odd trap, a reserved length byte) makes librouteros
    raise ValueError, TypeError or IndexError and leaves the stream out of step; we close the connection
    and report it as unavailable, so no worker crashes on it and no later reply is misread.
    """

    label = "router"

    def _fail(self, exc: BaseException) -> RouterUnavailable:
        with contextlib.suppress(Exception):  # closing a broken socket must not hide the real error
            self.protocol.close()
        if isinstance(exc, TimeoutError):
            reason = _("timed out waiting for an answer")
        elif isinstance(exc, ConnectionClosed | ConnectionError):
            reason = _("the connection was closed")
        elif isinstance(exc, FatalError):
            reason = _("the router ended the session (%(detail)s)") % {"detail": exc}
        elif isinstance(exc, OSError):
            reason = _("network error (%(detail)s)") % {"detail": _os_reason(exc)}
        else:
            reason = _("answered something that is not the RouterOS API")
        return RouterUnavailable(f"{self.label}: {reason}")

    def _run(self, cmd: str, words) -> list:
        try:
            self.protocol.writeSentence(cmd, *words)
            return self.readResponse()
        except (TrapError, MultiTrapError) as exc:
            message, category = _trap_message(exc)
            raise RouterError(message, category=category) from exc
        except UnicodeEncodeError as exc:
            # Raised before anything is sent: the connection stays in step.
            message = _("only ASCII text can be sent (%(command)s)") % {"command": cmd}
            raise RouterError(f"{self.label}: {message}") from exc
        except (LibRouterosError, OSError, ValueError, TypeError, IndexError, KeyError) as exc:
            raise self._fail(exc) from exc

    def readResponse(self) -> list[dict]:  # librouteros' name
        """librouteros' readResponse (rows of `!re`/`!done` with words, traps raised after `!done`) on the
        buffered transport."""
        transport = self.protocol.transport
        traps, rows = [], []
        while True:
            sentence = []
            while word := transport.read_word():
                sentence.append(word.decode("ascii", errors="ignore"))
            if not sentence:
                continue  # RouterOS ignores empty sentences; so do we
            reply, attributes = sentence[0], dict(_attribute(word) for word in sentence[1:])
            if reply == "!fatal":
                raise FatalError(sentence[1] if len(sentence) > 1 else "")
            if reply == "!trap":
                traps.append(TrapError(**attributes))
            elif reply in ("!re", "!done") and attributes:
                rows.append(attributes)
            if reply == "!done":
                break
        if len(traps) > 1:
            raise MultiTrapError(*traps)
        if traps:
            raise traps[0]
        return rows

    def __call__(self, cmd: str, /, **kwargs):
        yield from self._run(cmd, [compose_word(key, value) for key, value in kwargs.items()])

    def rawCmd(self, cmd: str, *words: str):  # librouteros' name
        yield from self._run(cmd, list(words))

    def run(self, cmd: str, *words: str) -> list[dict]:
        """Send one command with raw words (`=k=v`, `?query`, `=.proplist=…`) and return its rows."""
        return self._run(cmd, list(words))


class BufferedSocketTransport(SocketTransport):
    """librouteros reads each length prefix and word with its own recv(); a menu of 6,000 rows costs
    ~300,000 system calls that way. This reads in 64 KiB blocks and cuts words out of the buffer."""

    def __init__(self, sock: socket.socket) -> None:
        super().__init__(sock)
        self._buf = b""
        self._pos = 0

    def _ensure(self, count: int) -> None:
        while len(self._buf) - self._pos < count:
            got = self.sock.recv(65536)
            if not got:
                raise ConnectionClosed("Connection unexpectedly closed.")
            self._buf = self._buf[self._pos :] + got
            self._pos = 0

    def read(self, length: int) -> bytes:
        self._ensure(length)
        data = self._buf[self._pos : self._pos + length]
        self._pos += length
        return data

    def read_word(self) -> bytes:
        """One word (b"" is the end of a sentence); length prefixes as in reference A1."""
        self._ensure(1)
        first = self._buf[self._pos]
        if first < 0x80:
            self._pos += 1
            return self.read(first) if first else b""
        for size, mask, limit in ((2, 0x8000, 0xC0), (3, 0xC00000, 0xE0), (4, 0xE0000000, 0xF0)):
            if first < limit:
                prefix = self.read(size)
                return self.read(int.from_bytes(prefix, "big") ^ mask)
        raise ProtocolError(f"unknown control byte {first:#x}")


_BOOLEANS = {"yes": True, "true": True, "no": False, "false": False}


def _attribute(word: str) -> tuple[str, object]:
    """librouteros' parse_word, faster: `=k=v` with yes/no to bool and canonical integers to int."""
    _, key, value = word.split("=", 2)
    if value[:1] in "-0123456789" and value:
        try:
            number = int(value)
        except ValueError:
            return key, value
        return key, number if str(number) == value else value
    return key, _BOOLEANS.get(value, value)


def _ssl_wrapper(host: str):
    context = ssl.create_default_context(cafile=settings.MIKROTIK_TLS_CAFILE or None)
    if not settings.MIKROTIK_TLS_VERIFY:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return functools.partial(context.wrap_socket, server_hostname=host)


def _open(router, timeout: float) -> GuardedApi:
    label = f"{router.name} ({router.host}:{router.port})"
    sock = socket.create_connection((router.host, router.port), timeout=timeout)
    try:
        # Each command is one small request and one reply: never wait for delayed ACKs (routeros.md F).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(timeout)
        if router.use_tls:
            sock = _ssl_wrapper(router.host)(sock)
    except BaseException:
        sock.close()
        raise
    api = GuardedApi(protocol=ApiProtocol(transport=BufferedSocketTransport(sock), encoding="ASCII"))
    api.label = label
    try:
        plain(api, router.username, router.password)
    except RouterUnavailable:
        raise
    except RouterError as exc:
        api.close()
        if any(marker in exc.message for marker in LOGIN_REFUSED_MARKERS):
            message = _("login refused, check the API user and password")
        else:
            message = _("login failed (%(detail)s)") % {"detail": exc.message}
        raise _LoginFailed(f"{label}: {message}") from exc
    return api


def open_api(router, *, timeout: float | None = None, attempts: int | None = None) -> GuardedApi:
    """A logged-in connection (close it yourself); see `connect` for the context-manager form."""
    timeout = settings.MIKROTIK_TIMEOUT_S if timeout is None else timeout
    attempts = max(1, settings.MIKROTIK_CONNECT_ATTEMPTS if attempts is None else attempts)
    label = f"{router.name} ({router.host}:{router.port})"
    for attempt in range(1, attempts + 1):
        try:
            return _open(router, timeout)
        except _LoginFailed:
            raise
        except RouterUnavailable as exc:
            if attempt == attempts:
                raise
            error = exc
        except ssl.SSLError as exc:
            message = _("TLS handshake failed (%(detail)s)") % {"detail": exc.reason or "certificate"}
            raise RouterUnavailable(f"{label}: {message}") from exc
        except TimeoutError as exc:
            message = _("no answer within %(seconds)s s") % {"seconds": f"{timeout:g}"}
            error = RouterUnavailable(f"{label}: {message}")
            error.__cause__ = exc
        except OSError as exc:
            message = _("cannot connect (%(detail)s)") % {"detail": _os_reason(exc)}
            error = RouterUnavailable(f"{label}: {message}")
            error.__cause__ = exc
        if attempt == attempts:
            raise error
        delay = settings.MIKROTIK_RETRY_BACKOFF_S * (2 ** (attempt - 1))
        logger.info("router %s: attempt %d failed (%s), retrying in %.2fs", label, attempt, error, delay)
        time.sleep(delay)
    raise AssertionError("unreachable")


@contextmanager
def connect(router, *, timeout: float | None = None, attempts: int | None = None):
    """Context manager yielding a logged-in `GuardedApi`; closes it on exit. Raises RouterUnavailable."""
    api = open_api(router, timeout=timeout, attempts=attempts)
    try:
        yield api
    finally:
        api.close()
