"""A loopback TCP proxy for fault tests: `cut()` breaks every open connection and refuses new ones, as a
restarting PostgreSQL does; `restore()` lets connections through again. Standard library only."""

import socket
import threading
from contextlib import contextmanager, suppress


class TcpProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._cut = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self._lock:
                cut = self._cut
            if cut:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        with self._lock:
            self._cut = True
            sockets, self._open = self._open, []
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def restore(self) -> None:
        with self._lock:
            self._cut = False

    def close(self) -> None:
        self.cut()
        self.listener.close()


@contextmanager
def database_through_proxy(connection):
    """Every new connection of `connection`'s alias (in any thread: they share its settings) goes through
    a TcpProxy that the caller can cut; the old settings are back on the way out."""
    settings_dict = connection.settings_dict
    original_port = settings_dict["PORT"]
    proxy = TcpProxy(settings_dict["HOST"] or "127.0.0.1", int(original_port or 5432))
    connection.close()
    settings_dict["PORT"] = str(proxy.port)
    try:
        yield proxy
    finally:
        proxy.restore()
        connection.close()
        settings_dict["PORT"] = original_port
        proxy.close()
