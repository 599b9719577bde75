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
  closed. Messages name the router and host, never the credentials.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import socket
import ssl
import time
from contextlib import contextmanager

from django.conf import settings
from librouteros import Api, ApiProtocol, SocketTransport, plain
from librouteros.exceptions import (
    ConnectionClosed,
    FatalError,
    LibRouterosError,
    MultiTrapError,
    TrapError,
)
from librouteros.protocol import compose_word

logger = logging.getLogger(__name__)

LOGIN_REFUSED_MARKERS = ("invalid user name or password", "cannot log in")


class RouterError(Exception):
    """A RouterOS command failed with a trap; the connection is still usable."""

    def __init__(self, message: str, *, category: int | None = None):
        super().__init__(message)
        self.message = message
        self.category = category


class RouterUnavailable(RouterError):
    """The router could not be reached or used; nothing more can be done on this connection."""


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
            reason = "timed out waiting for an answer"
        elif isinstance(exc, ConnectionClosed | ConnectionError):
            reason = "the connection was closed"
        elif isinstance(exc, FatalError):
            reason = f"the router ended the session ({exc})"
        elif isinstance(exc, OSError):
            reason = f"network error ({exc.strerror or exc.__class__.__name__})"
        else:
            reason = "answered something that is not the RouterOS API"
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
            raise RouterError(f"{self.label}: only ASCII text can be sent ({cmd})") from exc
        except (LibRouterosError, OSError, ValueError, TypeError, IndexError, KeyError) as exc:
            raise self._fail(exc) from exc

    def __call__(self, cmd: str, /, **kwargs):
        yield from self._run(cmd, [compose_word(key, value) for key, value in kwargs.items()])

    def rawCmd(self, cmd: str, *words: str):  # librouteros' name
        yield from self._run(cmd, list(words))

    def run(self, cmd: str, *words: str) -> list[dict]:
        """Send one command with raw words (`=k=v`, `?query`, `=.proplist=…`) and return its rows."""
        return self._run(cmd, list(words))


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
    api = GuardedApi(protocol=ApiProtocol(transport=SocketTransport(sock=sock), encoding="ASCII"))
    api.label = label
    try:
        plain(api, router.username, router.password)
    except RouterUnavailable:
        raise
    except RouterError as exc:
        api.close()
        if any(marker in exc.message for marker in LOGIN_REFUSED_MARKERS):
            raise RouterUnavailable(f"{label}: login refused, check the API user and password") from exc
        raise RouterUnavailable(f"{label}: login failed ({exc.message})") from exc
    return api


def open_api(router, *, timeout: float | None = None, attempts: int | None = None) -> GuardedApi:
    """A logged-in connection (close it yourself); see `connect` for the context-manager form."""
    timeout = settings.MIKROTIK_TIMEOUT_S if timeout is None else timeout
    attempts = max(1, settings.MIKROTIK_CONNECT_ATTEMPTS if attempts is None else attempts)
    label = f"{router.name} ({router.host}:{router.port})"
    for attempt in range(1, attempts + 1):
        try:
            return _open(router, timeout)
        except RouterUnavailable as exc:
            if "login" in exc.message or attempt == attempts:
                raise
            error = exc
        except ssl.SSLError as exc:
            raise RouterUnavailable(f"{label}: TLS handshake failed ({exc.reason or 'certificate'})") from exc
        except TimeoutError as exc:
            error = RouterUnavailable(f"{label}: no answer within {timeout:g} s")
            error.__cause__ = exc
        except OSError as exc:
            error = RouterUnavailable(f"{label}: cannot connect ({exc.strerror or exc.__class__.__name__})")
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
