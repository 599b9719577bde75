"""A throw-away redis-server on a free loopback port, for fault tests: stop() and start() are the fault."""

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@contextmanager
def cache_on_own_redis(settings):
    """The default cache (the failover backend) on a fresh RedisServer for the duration; yields the server.
    `settings` is pytest-django's fixture. The old cache settings are back before the server stops, so
    fixtures that clean the shared cache afterwards reach the shared one."""
    from core import cache as failover  # Django's settings are loaded by the caller's fixture

    server = RedisServer().start()
    original = settings.CACHES
    caches = {key: dict(value) for key, value in original.items()}
    caches["default"].update(BACKEND="core.cache.FailoverRedisCache", LOCATION=server.url)
    settings.CACHES = caches
    failover._state.update(down=False, down_until=0.0)
    try:
        yield server
    finally:
        settings.CACHES = original
        server.stop()
        failover._state.update(down=False, down_until=0.0)
