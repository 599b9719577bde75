"""A tiny threaded HTTP server on 127.0.0.1 for the fakes of external services."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeServer:
    """Subclasses implement `handle(path, headers, form) -> (status, body_dict)` and may keep state."""

    def __init__(self):
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    def handle(self, path: str, headers: dict, form: dict) -> tuple[int, dict]:
        raise NotImplementedError

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, port: int = 0) -> "FakeServer":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    form = json.loads(raw or "{}")
                else:
                    form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                headers = {k.lower(): v for k, v in self.headers.items()}
                with fake._lock:
                    fake.requests.append({"path": self.path, "headers": headers, "form": form})
                    status, body = fake.handle(self.path, headers, form)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
